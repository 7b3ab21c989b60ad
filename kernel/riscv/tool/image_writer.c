/*
 * The boot image writer (image_writer.h): checks every module's name
 * (boot_name.h: well formed, unique), reads each module's file, lays
 * the modules out page aligned after the header and the entries
 * (kernel/riscv/bootimage.h), and writes the image in one rename. A host
 * library: it links nothing of the project's runtime.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bootimage.h"
#include "boot_name.h"
#include "image_writer.h"

struct module {
	uint8_t *data;
	uint32_t size, offset;
};

static int fail(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): started just above
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
	return -1;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Reads the file of `in` into `m`; 0, or -1 with `why`. */
static int load_module(const struct bootimage_module *in, struct module *m,
                       char *why, size_t why_size)
{
	FILE *f;
	size_t n;
	int bad;

	f = fopen(in->path, "rb");
	if (!f)
		return fail(why, why_size, "cannot open '%s': %s", in->path,
		            strerror(errno));
	m->data = malloc(BOOTIMAGE_MAX + 1u);
	n = m->data ? fread(m->data, 1, BOOTIMAGE_MAX + 1u, f) : 0;
	bad = !m->data || ferror(f) || n > BOOTIMAGE_MAX;
	fclose(f);
	if (bad)
		return fail(why, why_size,
		            "cannot read '%s' (or over %u bytes)", in->path,
		            BOOTIMAGE_MAX);
	m->size = (uint32_t)n;
	return 0;
}

/* Every name well formed (boot_name.h) and unique, before any file is
 * read; 0, or -1 with `why`. */
static int check_names(const struct bootimage_module *in, unsigned count,
                       char *why, size_t why_size)
{
	for (unsigned i = 0; i < count; i++) {
		if (boot_name_check(in[i].name, why, why_size) != 0)
			return -1;
		for (unsigned j = 0; j < i; j++)
			if (strcmp(in[j].name, in[i].name) == 0)
				return fail(why, why_size,
				            "two modules named '%s'",
				            in[i].name);
	}
	return 0;
}

/* Lays the modules out after the header; the total size, or 0 if over. */
static uint32_t layout(struct module *mods, unsigned count)
{
	uint64_t at = BOOT_HEADER_SIZE + (uint64_t)count * BOOT_ENTRY_SIZE;

	for (unsigned i = 0; i < count; i++) {
		at = (at + BOOT_ALIGN - 1) & ~(uint64_t)(BOOT_ALIGN - 1);
		mods[i].offset = (uint32_t)at;
		at += mods[i].size;
		if (at > BOOTIMAGE_MAX)
			return 0;
	}
	return (uint32_t)at;
}

static int write_image(const char *out, const struct bootimage_module *in,
                       const struct module *mods, unsigned count,
                       uint32_t total, char *why, size_t why_size)
{
	uint8_t *img;
	char tmp[4096];
	FILE *f;
	int ok;

	/* every module loaded and laid out after the header and entries */
	assert(total >= BOOT_HEADER_SIZE + count * BOOT_ENTRY_SIZE);
	img = calloc(1, total);
	if (!img)
		return fail(why, why_size, "out of memory");
	memcpy(img, BOOT_MAGIC, sizeof BOOT_MAGIC);
	put32(img + 8, total);
	put32(img + 12, count);
	for (unsigned i = 0; i < count; i++) {
		uint8_t *e = img + BOOT_HEADER_SIZE +
		             (size_t)i * BOOT_ENTRY_SIZE;

		assert(mods[i].data != NULL);
		memcpy(e, in[i].name,
		       strlen(in[i].name)); /* NUL padded by calloc */
		put32(e + BOOT_NAME_MAX, mods[i].offset);
		put32(e + BOOT_NAME_MAX + 4, mods[i].size);
		memcpy(img + mods[i].offset, mods[i].data, mods[i].size);
	}
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", out) >= sizeof tmp) {
		free(img);
		return fail(why, why_size, "output path too long");
	}
	f = fopen(tmp, "wb");
	ok = f && fwrite(img, 1, total, f) == total;
	ok = (f && fclose(f) == 0) && ok;
	free(img);
	if (!ok || rename(tmp, out) != 0) {
		fail(why, why_size, "cannot write '%s': %s", out,
		     strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

int bootimage_write(const char *out, const struct bootimage_module *in,
                    unsigned count, char *why, size_t why_size)
{
	struct module mods[BOOT_MAX_MODULES] = { 0 };
	uint32_t total = 0;
	int status = 0;

	if (count < 1 || count > BOOT_MAX_MODULES)
		return fail(why, why_size, "%u modules: an image holds 1..%u",
		            count, BOOT_MAX_MODULES);
	status = check_names(in, count, why, why_size);
	for (unsigned i = 0; status == 0 && i < count; i++)
		status = load_module(&in[i], &mods[i], why, why_size);
	if (status == 0 && (total = layout(mods, count)) == 0)
		status = fail(why, why_size, "the modules exceed %u bytes",
		              BOOTIMAGE_MAX);
	if (status == 0)
		status = write_image(out, in, mods, count, total, why,
		                     why_size);
	for (unsigned i = 0; i < count; i++)
		free(mods[i].data);
	return status;
}
