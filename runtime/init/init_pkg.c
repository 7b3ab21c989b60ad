/*
 * Reading the pkgs init runs (init_pkg.h) through core's ROM service: the
 * pkg archive's index first (so a missing pkg is named as such), its
 * runtime and archives files, then the index of each archive it searches;
 * pkg_table.c parses and judges them. Every ROM session is closed once its
 * text is read: the table keeps copies. Core's answers are trusted no more
 * than the files: pkg_table.c bounds and checks them.
 */
#include "init_pkg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/grow.h>
#include <runtime/str.h>

struct init_pkg {
	char *pkg;
	struct pkg_table *table; /* NULL: could not be read */
	char reason[PKG_PROBLEM_MAX];
};

bool init_pkg_rom_args(const char *archive, char *args, size_t size)
{
	int n = snprintf(args, size, "rom_from=\"depot\", archive=\"%s\"",
	                 archive);

	return n > 0 && (size_t)n < size && !strchr(archive, '"') &&
	       !strchr(archive, '\\');
}

/* Opens ROM `name` with `from` (depot or depot-index) about `archive`, for
 * the caller to read and close. 0, or nonzero with words in reason. */
static int open_rom(env_t *env, const char *name, const char *from,
                    const char *archive, env_rom_t *rom, char *reason,
                    size_t size)
{
	char args[CONNECTION_ARGS_MAX + 1];
	int status;

	if (snprintf(args, sizeof(args), "rom_from=\"%s\", archive=\"%s\"",
	             from, archive) >= (int)sizeof(args) ||
	    strchr(archive, '"')) {
		str_format(reason, size, "archive name %s too long", archive);
		return -1;
	}
	status = env_rom_open_args(env, name, args, rom);
	if (status) {
		str_format(reason, size, "cannot read %s of archive %s: %s",
		           !strcmp(from, "depot") ? name : "the index", archive,
		           runtime_strerror(status));
		return -1;
	}
	if (!rom->data) {
		env_rom_close(rom);
		str_format(reason, size, "archive %s has no file \"%s\"",
		           archive, name);
		return -1;
	}
	return 0;
}

/* Reads the index of `archive` into *index; 0 or -1 with words. */
static int read_index(env_t *env, const char *archive, struct pkg_index *index,
                      char *reason, size_t size)
{
	char why[PKG_PROBLEM_MAX];
	env_rom_t rom;

	if (open_rom(env, "index", "depot-index", archive, &rom, reason, size))
		return -1;
	int status = pkg_index_parse(rom.data, rom.size, index, why,
	                             sizeof(why));
	env_rom_close(&rom);
	if (status)
		str_format(reason, size,
		           "core's index of archive %s is unusable: %s",
		           archive, why);
	return status;
}

/* Whether the pkg archive itself is installed (else the words say so). */
static bool pkg_installed(env_t *env, const char *pkg, char *reason,
                          size_t size)
{
	struct pkg_index index;
	bool usable;

	if (read_index(env, pkg, &index, reason, size))
		return false;
	usable = pkg_index_usable(&index, pkg, pkg, reason, size);
	pkg_index_clear(&index);
	return usable;
}

static struct pkg_table *read_table(env_t *env, const char *pkg, char *reason,
                                    size_t size)
{
	env_rom_t runtime, archives;
	struct pkg_table *table = NULL;
	char why[PKG_PROBLEM_MAX];

	if (!pkg_installed(env, pkg, reason, size))
		return NULL;
	if (open_rom(env, "runtime", "depot", pkg, &runtime, reason, size))
		return NULL;
	if (!open_rom(env, "archives", "depot", pkg, &archives, reason, size)) {
		table = pkg_table_new(pkg, runtime.data, runtime.size,
		                      archives.data, archives.size,
		                      PKG_BIN_ARCH, why, sizeof(why));
		if (!table)
			str_format(reason, size, "pkg %s: %s", pkg, why);
		env_rom_close(&archives);
	}
	env_rom_close(&runtime);
	for (size_t i = 0; table && i < table->archives.count; i++) {
		if (read_index(env, table->archives.names[i],
		               &table->indexes[i], reason, size)) {
			pkg_table_free(table);
			table = NULL;
		}
	}
	if (table && !pkg_table_ready(table, reason, size)) {
		pkg_table_free(table);
		table = NULL;
	}
	return table;
}

static struct init_pkg *lookup(const struct init_pkgs *pkgs, const char *pkg)
{
	for (size_t i = 0; i < pkgs->count; i++)
		if (!strcmp(pkgs->pkgs[i]->pkg, pkg))
			return pkgs->pkgs[i];
	return NULL;
}

const struct pkg_table *init_pkgs_find(const struct init_pkgs *pkgs,
                                       const char *pkg, const char **reason)
{
	struct init_pkg *p = lookup(pkgs, pkg);

	*reason = p ? p->reason : "its pkg was not read";
	return p ? p->table : NULL;
}

const struct pkg_table *init_pkgs_get(struct init_pkgs *pkgs, env_t *env,
                                      const char *pkg, const char **reason)
{
	struct init_pkg *p = lookup(pkgs, pkg);
	struct init_pkg **grown;

	if (p)
		return init_pkgs_find(pkgs, pkg, reason);
	*reason = "out of memory reading its pkg";
	p = calloc(1, sizeof(*p));
	grown = p ? grow_array(pkgs->pkgs, &pkgs->capacity, pkgs->count + 1,
	                       sizeof(struct init_pkg *))
	          : NULL;
	if (!grown || !(p->pkg = strdup(pkg))) {
		if (grown)
			pkgs->pkgs = grown;
		free(p);
		return NULL;
	}
	pkgs->pkgs = grown;
	pkgs->pkgs[pkgs->count++] = p;
	p->table = read_table(env, pkg, p->reason, sizeof(p->reason));
	return init_pkgs_find(pkgs, pkg, reason);
}

static bool named(const struct runtime_config *config, const char *pkg)
{
	for (size_t i = 0; config && i < config->start_count; i++)
		if (config->start[i].pkg && !strcmp(config->start[i].pkg, pkg))
			return true;
	return false;
}

void init_pkgs_settle(struct init_pkgs *pkgs,
                      const struct runtime_config *config)
{
	size_t kept = 0;

	for (size_t i = 0; i < pkgs->count; i++) {
		struct init_pkg *p = pkgs->pkgs[i];
		if (p->table && named(config, p->pkg)) {
			pkgs->pkgs[kept++] = p;
			continue;
		}
		pkg_table_free(p->table);
		free(p->pkg);
		free(p);
	}
	pkgs->count = kept;
}
