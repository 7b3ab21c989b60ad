/*
 * Core's command line on riscv (boot_options.h): the boot module
 * `core.args` read once at start-up. Its text comes from whoever built the
 * boot image, so it is bounded (BOOT_OPTIONS_MAX) and each word checked:
 * an unknown option or a bad value refuses the whole of it, as linux core
 * exits 2 for a bad command line.
 */
#include "boot_options.h"

#include "base_boot.h"

#include <runtime/arg_string.h>
#include <runtime/dataspace.h>
#include <runtime/str.h>

#include <string.h>

/* room for every option, --base with the longest archive name */
#define BOOT_OPTIONS_MAX 512u

/* A size or count as linux core parses it (arg_string_get_size). */
static int parse_size(const char *word, uint64_t *value)
{
	char args[80];
	if (str_format(args, sizeof(args), "v=%s", word) < 0)
		return -1;
	return arg_string_get_size(args, sizeof(args), "v", value) == ARG_OK &&
	                       *value > 0
	               ? 0
	               : -1;
}

/* The words of text[] (NUL-terminated, changed in place) into *o. */
static int parse_words(char *text, struct boot_options *o, char *why,
                       size_t why_size)
{
	char *save = NULL;
	for (char *w = strtok_r(text, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(w, "--help") == 0) {
			o->help = 1; /* as linux core: nothing more is read */
			return 0;
		}
		if (strcmp(w, "--exit-with-init") == 0) {
			o->exit_with_init = 1;
			continue;
		}
		if (strcmp(w, "--base") == 0) {
			const char *pkg = strtok_r(NULL, " \t\n", &save);
			if (!pkg || base_boot_pkg_ok(pkg) != 0) {
				/* linux core's words (core/main.c) */
				str_copy(why,
				         "--base needs a pkg archive name like "
				         "project/pkg/base/2026-11-21i",
				         why_size);
				return -1;
			}
			str_copy(o->base, pkg, sizeof(o->base));
			continue;
		}
		/* each with linux core's words for a bad value */
		int ram = strcmp(w, "--init-ram") == 0;
		if (!ram && strcmp(w, "--init-caps") != 0) {
			str_format(why, why_size, "unknown option '%.40s'", w);
			return -1;
		}
		uint64_t *to = ram ? &o->init_ram : &o->init_caps;
		const char *value = strtok_r(NULL, " \t\n", &save);
		if (!value || parse_size(value, to) != 0) {
			str_copy(why,
			         ram ? "--init-ram needs a size like 64M"
			             : "--init-caps needs a number",
			         why_size);
			return -1;
		}
	}
	return 0;
}

int boot_options_read(const struct target *t, struct boot_options *o, char *why,
                      size_t why_size)
{
	*o = (struct boot_options){ .exit_with_init = 1 };
	kcap_t mem;
	size_t size;
	struct module_stamp stamp;
	if (target_read_module(t, TARGET_IN_BOOT, BOOT_OPTIONS_MODULE, &mem,
	                       &size, &stamp) != 0)
		return 0; /* no command line */
	if (size > BOOT_OPTIONS_MAX) {
		kcap_close(mem);
		str_format(why, why_size, "%s is %zu bytes, more than %u",
		           BOOT_OPTIONS_MODULE, size, BOOT_OPTIONS_MAX);
		return -1;
	}
	char text[BOOT_OPTIONS_MAX + 1] = "";
	struct dataspace ds = DATASPACE_EMPTY;
	int rc = 0;
	if (size == 0) {
		kcap_close(mem); /* no words */
	} else {
		rc = dataspace_open(&ds, mem, size);
		if (rc == 0)
			rc = dataspace_attach(&ds, false);
		if (rc == 0)
			memcpy(text, ds.addr,
			       size); /* NUL after: size <= MAX */
		dataspace_release(&ds);
	}
	if (rc != 0) {
		str_format(why, why_size, "%s cannot be read: %s",
		           BOOT_OPTIONS_MODULE, kerr_str(rc));
		return -1;
	}
	struct boot_options taken = { .exit_with_init = 0 };
	if (parse_words(text, &taken, why, why_size) != 0)
		return -1;
	*o = taken;
	return 0;
}

void boot_options_teach(struct target *t, int whole)
{
	target_logf(t,
	            "usage: boot module %s holds [--base "
	            "USER/pkg/NAME/VERSION] [--init-ram SIZE] "
	            "[--init-caps N] [--exit-with-init] [--help]",
	            BOOT_OPTIONS_MODULE);
	if (!whole)
		return;
	static const char *const lines[] = {
		"  --base PKG        start init from the file 'init' of "
		"USER/bin/riscv64/init/V among the image's depot modules, "
		"where USER/src/init/V is listed in pkg PKG's archives file",
		"  --init-ram SIZE   init's RAM quota, e.g. 64M (default: what "
		"the kernel has left less core's reserve)",
		"  --init-caps N     init's capability quota (default: core's "
		"free capability slots less its reserve)",
		"  --exit-with-init  end when init ends, with init's exit code "
		"(also without core.args); without it core serves on until a "
		"stop frame",
		"  --help            this text, and core ends with 0",
		"example: riscv-bootimage IMAGE core=core.elf core.args=ARGS "
		"init=init.elf init.config=CONFIG, where the file ARGS holds "
		"'--init-ram 64M --exit-with-init'",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		target_logf(t, "%s", lines[i]);
}
