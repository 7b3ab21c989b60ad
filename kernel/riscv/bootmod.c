/* Decoding the boot image (bootmod.h); integers are read byte by byte, so
 * neither alignment nor the host's byte order matters. */
#include "bootmod.h"
#include "kernel/kernel.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int refuse(const char **why, const char *text)
{
	*why = text;
	return KERR_INVALID;
}

static int same_name(const char *a, const char *b)
{
	for (unsigned i = 0; i < BOOT_NAME_MAX; i++) {
		if (a[i] != b[i])
			return 0;
		if (!a[i])
			return 1;
	}
	return 1;
}

static int decode_entry(const uint8_t *img, uint32_t total, uint32_t data_start,
                        const uint8_t *e, struct bootmod *m, const char **why)
{
	size_t len = 0;
	while (len < BOOT_NAME_MAX && e[len])
		len++;
	if (len == 0 || len == BOOT_NAME_MAX)
		return refuse(why, "module name empty or not terminated");
	uint32_t offset = get32(e + BOOT_NAME_MAX),
		 size = get32(e + BOOT_NAME_MAX + 4);
	if (offset < data_start || offset % BOOT_ALIGN || offset > total ||
	    total - offset < size)
		return refuse(why, "module outside the boot image");
	for (unsigned i = 0; i < BOOT_NAME_MAX; i++)
		m->name[i] = (char)e[i];
	m->data = img + offset;
	m->size = size;
	return 0;
}

int bootmod_decode(const uint8_t *img, size_t window_size, struct bootmods *out,
                   const char **why)
{
	static const char magic[] = BOOT_MAGIC;
	out->count = 0;
	for (unsigned i = 0; i < sizeof magic; i++)
		if (img[i] != (uint8_t)magic[i])
			return refuse(why, "no boot image magic");
	uint32_t total = get32(img + 8), count = get32(img + 12);
	if (total > window_size)
		return refuse(why, "boot image larger than its window");
	if (count == 0 || count > BOOT_MAX_MODULES)
		return refuse(why, "no modules or too many");
	uint32_t data_start = BOOT_HEADER_SIZE + count * BOOT_ENTRY_SIZE;
	if (data_start > total)
		return refuse(why, "module table outside the boot image");
	for (unsigned i = 0; i < count; i++) {
		const uint8_t *e = img + BOOT_HEADER_SIZE +
		                   (size_t)i * BOOT_ENTRY_SIZE;
		int err = decode_entry(img, total, data_start, e, &out->mod[i],
		                       why);
		if (err)
			return err;
		for (unsigned j = 0; j < i; j++)
			if (same_name(out->mod[j].name, out->mod[i].name))
				return refuse(why, "two modules of one name");
	}
	out->count = count; /* only now: a refused image has no modules */
	return 0;
}

/* Global with a reason: the boot modules are the system's for its life. */
static struct bootmods modules;

int bootmod_init(const uint8_t *window, size_t window_size, const char **why)
{
	return bootmod_decode(window, window_size, &modules, why);
}

const struct bootmod *bootmod_get(uint64_t index)
{
	return index < modules.count ? &modules.mod[index] : 0;
}
