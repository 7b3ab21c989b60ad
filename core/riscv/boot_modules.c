/*
 * Core's ROMs on riscv: the boot modules of the boot image (kernel/riscv/
 * bootimage.h), found by name. The kernel tells each module's name and
 * size (SYS_BOOTMOD_INFO) and hands out a sealed memory object over the
 * module's own frames (SYS_BOOTMOD_MEM): nothing is copied, and an ELF
 * image so obtained is what kpd_create starts (kernel/riscv/lib/pd/).
 * Module 0 is core itself and is no ROM. The table of names is read and
 * checked once (boot_module_name.h: ROM names and depot files' paths,
 * unique); an image that breaks the rule is refused whole. Files of depot
 * archives are modules too, served by depot_modules.c (never through the
 * functions here: their names hold '/'). A ROM pushed over the control
 * channel (pushed_roms.h) stands in front of the boot module of its name
 * (a config is pushed as config/NAME, as the image holds it);
 * its generation is the stamp's `ino`, so the ROM service's rescan sees
 * each push as a change of the module, as linux core sees a replaced file.
 */
#include "core_platform.h"

#include "boot_module_name.h"
#include "boot_modules.h"
#include "pushed_roms.h"

#include "sys.h"
#include "../../kernel/riscv/bootimage.h"

#include <runtime/str.h>

#include <stdbool.h>
#include <string.h>

/* The boot image's table, read once at start: global with a reason, the
 * boot modules are the system's for its whole life and never change. */
static struct {
	unsigned count; /* core's module 0 included */
	char names[BOOT_MAX_MODULES][BOOT_NAME_MAX];
	size_t sizes[BOOT_MAX_MODULES];
} modules;

/* Reads the table from the kernel; 0, or -1 with the module's index and
 * the reason in *bad and *why. */
static int read_table(unsigned *bad, const char **why)
{
	modules.count = 0;
	for (unsigned i = 0; i < BOOT_MAX_MODULES; i++) {
		char *name = modules.names[i];
		long bytes = sys_call2(SYS_BOOTMOD_INFO, i, (long)name);
		if (bytes < 0)
			break; /* past the last */
		name[BOOT_NAME_MAX - 1] = '\0';
		modules.sizes[i] = (size_t)bytes;
		modules.count = i + 1;
		*bad = i;
		if (boot_module_name_check(name, why) != 0)
			return -1;
		for (unsigned j = 0; j < i; j++)
			if (strcmp(modules.names[j], name) == 0) {
				*why = "two modules of one name";
				return -1;
			}
	}
	return 0;
}

int target_open_boot(struct target *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->dir, "boot image", sizeof("boot image"));
	t->module_limit = TARGET_MODULE_LIMIT_DEFAULT;
	unsigned bad = 0;
	const char *why = "";
	if (read_table(&bad, &why) == 0)
		return 0;
	target_logf(t, "boot image refused: module %u '%s': %s", bad,
	            modules.names[bad], why);
	modules.count = 0; /* nothing of a refused image is served */
	return KERR_INVALID;
}

int target_module_name_ok(const char *name)
{
	size_t len = strlen(name);
	return len > 0 && len <= TARGET_NAME_MAX && name[0] != '.' &&
	       !strchr(name, '/');
}

unsigned boot_module_find(const char *name, size_t *size)
{
	for (unsigned i = 1; i < modules.count; i++)
		if (strcmp(modules.names[i], name) == 0) {
			*size = modules.sizes[i];
			return i;
		}
	return 0;
}

unsigned boot_modules_of_archive(const char *archive)
{
	unsigned files = 0;
	for (unsigned i = 1; i < modules.count; i++)
		files += boot_module_file_of(modules.names[i], archive) != NULL;
	return files;
}

const char *boot_module_name(unsigned index)
{
	return index >= 1 && index < modules.count ? modules.names[index]
	                                           : NULL;
}

int boot_module_mem(unsigned index, kcap_t *mem)
{
	long sel = sys_call2(SYS_BOOTMOD_MEM, index, 0);
	if (sel < 0)
		return sel == KERR_NOMEM ? KERR_NOMEM : KERR_INVALID;
	mem->sel = (int32_t)sel;
	return 0;
}

/* Where a ROM comes from: a push (by its pushed name) or a boot module. */
struct module_source {
	char pushed[TARGET_NAME_MAX]; /* "" unless pushed */
	unsigned index;               /* the boot module, 0 for none */
	size_t size;
	uint64_t generation; /* of the push */
};

/* Finds ROM `name`, never a depot file, in linux's order: for
 * TARGET_IN_CONFIG_OR_BOOT config/NAME before NAME (DIR/config/ before
 * DIR/boot/), TARGET_IN_BOOT takes NAME alone (a config is no boot
 * module: a binary child never reads init.config); for each of those a
 * push stands in front of the image's module (as a replaced file).
 * Whether one was found. */
static bool find_source(enum target_where where, const char *name,
                        struct module_source *src)
{
	char config[BOOT_NAME_MAX];
	const char *candidates[2];
	unsigned count = 0;

	memset(src, 0, sizeof(*src));
	if (!target_module_name_ok(name))
		return false;
	if (where == TARGET_IN_CONFIG_OR_BOOT &&
	    str_format(config, sizeof(config), "config/%s", name) > 0)
		candidates[count++] = config;
	candidates[count++] = name;
	for (unsigned i = 0; i < count; i++) {
		if (pushed_roms_find(candidates[i], NULL, &src->size,
		                     &src->generation) == 1) {
			str_copy(src->pushed, candidates[i],
			         sizeof(src->pushed));
			return true;
		}
		src->index = boot_module_find(candidates[i], &src->size);
		if (src->index)
			return true;
	}
	return false;
}

/* Boot modules never change: the stamp says whether it exists, and
 * which push stands in front of it. */
void target_module_stamp(const struct target *t, enum target_where where,
                         const char *name, struct module_stamp *stamp)
{
	struct module_source src;

	(void)t;
	memset(stamp, 0, sizeof(*stamp));
	stamp->found = find_source(where, name, &src);
	stamp->ino = src.pushed[0] ? src.generation : 0;
	stamp->size = src.size;
}

int target_read_module(const struct target *t, enum target_where where,
                       const char *name, kcap_t *mem, size_t *size,
                       struct module_stamp *stamp)
{
	struct module_source src;

	(void)t;
	if (!find_source(where, name, &src))
		return KERR_INVALID;
	memset(stamp, 0, sizeof(*stamp));
	if (src.pushed[0]) {
		/* the stamp of this very push, not a later one */
		int pushed = pushed_roms_find(src.pushed, mem, &src.size,
		                              &src.generation);
		if (pushed < 0)
			return KERR_NOMEM;
		if (pushed == 0)
			return KERR_INVALID;
		stamp->ino = src.generation;
	} else {
		int rc = boot_module_mem(src.index, mem);
		if (rc != 0)
			return rc;
	}
	stamp->found = 1;
	stamp->size = src.size;
	*size = src.size;
	return 0;
}
