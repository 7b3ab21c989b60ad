/*
 * riscv-bootimage: writes a boot image for the riscv kernel (the format is
 * kernel/riscv/bootimage.h) from named files, the root program first:
 *
 *     riscv-bootimage OUT NAME=FILE [NAME=FILE...]
 *
 * A host tool: it links nothing of the project's libraries. The image is
 * written to OUT.tmp and renamed, so a failed run leaves no image behind.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bootimage.h"

#define IMAGE_MAX (8u << 20)  /* MODULE_MAX in kernel/riscv/arch.h */

struct module {
	char name[BOOT_NAME_MAX];
	uint8_t *data;
	uint32_t size, offset;
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Reads FILE of NAME=FILE into `m`; 0, or -1 after a message. */
static int load_module(const char *arg, struct module *m)
{
	const char *eq = strchr(arg, '=');
	size_t name_len = eq ? (size_t)(eq - arg) : 0;
	if (!eq || name_len == 0 || name_len >= BOOT_NAME_MAX) {
		fprintf(stderr, "riscv-bootimage: '%s' is no NAME=FILE with a name of 1..%u bytes\n",
		        arg, BOOT_NAME_MAX - 1);
		return -1;
	}
	memset(m->name, 0, sizeof m->name);
	memcpy(m->name, arg, name_len);
	FILE *f = fopen(eq + 1, "rb");
	if (!f) {
		fprintf(stderr, "riscv-bootimage: cannot open '%s': %s\n", eq + 1, strerror(errno));
		return -1;
	}
	m->data = malloc(IMAGE_MAX + 1u);
	size_t n = m->data ? fread(m->data, 1, IMAGE_MAX + 1u, f) : 0;
	int bad = !m->data || ferror(f) || n > IMAGE_MAX;
	fclose(f);
	if (bad) {
		fprintf(stderr, "riscv-bootimage: cannot read '%s' (or over %u bytes)\n",
		        eq + 1, IMAGE_MAX);
		return -1;
	}
	m->size = (uint32_t)n;
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
		if (at > IMAGE_MAX)
			return 0;
	}
	return (uint32_t)at;
}

static int write_image(const char *out, const struct module *mods, unsigned count,
                       uint32_t total)
{
	uint8_t *img = calloc(1, total);
	if (!img) {
		fprintf(stderr, "riscv-bootimage: out of memory\n");
		return -1;
	}
	memcpy(img, BOOT_MAGIC, sizeof BOOT_MAGIC);
	put32(img + 8, total);
	put32(img + 12, count);
	for (unsigned i = 0; i < count; i++) {
		uint8_t *e = img + BOOT_HEADER_SIZE + (size_t)i * BOOT_ENTRY_SIZE;
		memcpy(e, mods[i].name, BOOT_NAME_MAX);
		put32(e + BOOT_NAME_MAX, mods[i].offset);
		put32(e + BOOT_NAME_MAX + 4, mods[i].size);
		memcpy(img + mods[i].offset, mods[i].data, mods[i].size);
	}
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", out) >= sizeof tmp) {
		free(img);
		fprintf(stderr, "riscv-bootimage: output path too long\n");
		return -1;
	}
	FILE *f = fopen(tmp, "wb");
	int ok = f && fwrite(img, 1, total, f) == total;
	ok = (f && fclose(f) == 0) && ok;
	free(img);
	if (!ok || rename(tmp, out) != 0) {
		fprintf(stderr, "riscv-bootimage: cannot write '%s': %s\n", out, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (unsigned)(argc - 2) > BOOT_MAX_MODULES) {
		fprintf(stderr, "usage: riscv-bootimage OUT NAME=FILE [NAME=FILE...] "
		        "(1..%u modules, the root program first)\n", BOOT_MAX_MODULES);
		return 2;
	}
	unsigned count = (unsigned)(argc - 2);
	struct module mods[BOOT_MAX_MODULES] = { 0 };
	int status = 1;
	for (unsigned i = 0; i < count; i++)
		if (load_module(argv[i + 2], &mods[i]) != 0)
			goto out;
	uint32_t total = layout(mods, count);
	if (total == 0) {
		fprintf(stderr, "riscv-bootimage: the modules exceed %u bytes\n", IMAGE_MAX);
		goto out;
	}
	if (write_image(argv[1], mods, count, total) == 0)
		status = 0;
out:
	for (unsigned i = 0; i < count; i++)
		free(mods[i].data);
	return status;
}
