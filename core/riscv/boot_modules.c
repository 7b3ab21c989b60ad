/*
 * Core's ROMs on riscv: the boot modules of the boot image (kernel/riscv/
 * bootimage.h), found by name. The kernel tells each module's name and
 * size (SYS_BOOTMOD_INFO) and hands out a sealed memory object over the
 * module's own frames (SYS_BOOTMOD_MEM): nothing is copied, and an ELF
 * image so obtained is what kpd_create starts (kernel/riscv/lib/pd/).
 * Module 0 is core itself and is no ROM. A ROM pushed over the control
 * channel (pushed_roms.h) stands in front of the boot module of its name;
 * its generation is the stamp's `ino`, so the ROM service's rescan sees
 * each push as a change of the module, as linux core sees a replaced file.
 */
#include "core_platform.h"

#include "pushed_roms.h"

#include "sys.h"
#include "../../kernel/riscv/bootimage.h"

#include <string.h>

int target_open_boot(struct target *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->dir, "boot image", sizeof("boot image"));
	t->module_limit = TARGET_MODULE_LIMIT_DEFAULT;
	return 0;
}

int target_module_name_ok(const char *name)
{
	size_t len = strlen(name);
	return len > 0 && len < BOOT_NAME_MAX && name[0] != '.' &&
	       !strchr(name, '/');
}

/* The index of module `name` and its size; 0 if there is none (0 is
 * core's own, never a ROM). */
static unsigned module_index(const char *name, size_t *size)
{
	if (!target_module_name_ok(name))
		return 0;
	for (unsigned i = 1; i < BOOT_MAX_MODULES; i++) {
		char found[BOOT_NAME_MAX];
		long bytes = sys_call2(SYS_BOOTMOD_INFO, i, (long)found);
		if (bytes < 0)
			return 0; /* past the last */
		found[BOOT_NAME_MAX - 1] = '\0';
		if (strcmp(found, name) == 0) {
			*size = (size_t)bytes;
			return i;
		}
	}
	return 0;
}

/* Boot modules never change: the stamp says whether it exists, and
 * which push stands in front of it. */
void target_module_stamp(const struct target *t, enum target_where where,
                         const char *name, struct module_stamp *stamp)
{
	(void)t;
	(void)where;
	size_t size = 0;
	uint64_t generation = 0;
	memset(stamp, 0, sizeof(*stamp));
	if (pushed_roms_find(name, NULL, &size, &generation) == 1) {
		stamp->found = 1;
		stamp->ino = generation;
	} else {
		stamp->found = module_index(name, &size) != 0;
	}
	stamp->size = size;
}

int target_read_module(const struct target *t, enum target_where where,
                       const char *name, kcap_t *mem, size_t *size,
                       struct module_stamp *stamp)
{
	size_t bytes = 0;
	uint64_t generation;
	int pushed = pushed_roms_find(name, mem, &bytes, &generation);
	if (pushed < 0)
		return KERR_NOMEM;
	if (pushed) { /* the stamp of this very push, not a later one */
		*size = bytes;
		memset(stamp, 0, sizeof(*stamp));
		stamp->found = 1;
		stamp->ino = generation;
		stamp->size = bytes;
		return 0;
	}
	unsigned index = module_index(name, &bytes);
	if (!index)
		return KERR_INVALID;
	long sel = sys_call2(SYS_BOOTMOD_MEM, index, 0);
	if (sel < 0)
		return sel == KERR_NOMEM ? KERR_NOMEM : KERR_INVALID;
	mem->sel = (int32_t)sel;
	*size = bytes;
	target_module_stamp(t, where, name, stamp);
	return 0;
}
