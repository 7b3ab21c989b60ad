/*
 * A pkg's `archives` file and what init makes of it. The file lists, one
 * archive name per line, the archives a pkg needs ('#' starts a comment
 * line, blank lines and spaces around a name are ignored); the depot tool
 * reads it to resolve and install a pkg's closure (depot/lib/pkg.c wraps
 * pkg_archives_parse), init reads it to find the files of a pkg child
 * (runtime/init). Part of libformat (cJSON only, no libruntime), so both
 * sides accept the same files with the same words; runtime/format/README.md
 * ("The pkg archives file") is the document.
 *
 * An archive name is user/kind/name/version, or user/bin/arch/name/version;
 * kind is one of src, api, raw, pkg, bin; every part is 1 to
 * PKG_ARCHIVE_PART_MAX bytes of [A-Za-z0-9._+-] and does not start with '.'.
 *
 * Invariants of a parsed list: at most PKG_ARCHIVES_MAX entries, each with
 * every part valid as above, arch NULL unless the kind is bin, text the
 * name as "user/kind[/arch]/name/version" (asserted per entry in the
 * builds with invariants, runtime/invariant.h). The list owns every string.
 */
#ifndef FORMAT_PKG_ARCHIVES_H
#define FORMAT_PKG_ARCHIVES_H

#include <stddef.h>

#include "format/runtime_config.h"

#define PKG_ARCHIVE_PART_MAX 95     /* bytes of one part of a name */
#define PKG_ARCHIVE_NAME_MAX (5 * (PKG_ARCHIVE_PART_MAX + 1))
#define PKG_ARCHIVES_MAX 1024       /* entries of one archives file */
#define PKG_ARCHIVES_INPUT_MAX 262144

/*
 * The arch of the bin archives this build runs: the name `depot build`
 * gives them (`uname -m`), so init looks for user/bin/<arch>/N/V.
 */
#if defined(__x86_64__)
#define PKG_BIN_ARCH "x86_64"
#elif defined(__aarch64__)
#define PKG_BIN_ARCH "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define PKG_BIN_ARCH "riscv64"
#else
#error "no bin archive arch for this machine: add it to PKG_BIN_ARCH"
#endif

enum pkg_archive_kind {
	PKG_ARCHIVE_SRC,
	PKG_ARCHIVE_API,
	PKG_ARCHIVE_RAW,
	PKG_ARCHIVE_PKG,
	PKG_ARCHIVE_BIN,
};

struct pkg_archive {
	enum pkg_archive_kind kind;
	char *user;
	char *arch; /* bin only, else NULL */
	char *name;
	char *version;
	char *text;    /* the whole name */
	unsigned line; /* where the archives file lists it, from 1 */
};

struct pkg_archives {
	struct pkg_archive *entries;
	size_t count;
};

/*
 * Parses `length` bytes of an archives file (no NUL needed; a NUL byte in
 * it is refused). RUNTIME_CONFIG_OK with *out a new list for
 * pkg_archives_free, or RUNTIME_CONFIG_INVALID / _NO_MEMORY with *out NULL
 * and error->message naming the line ("line 3: \"alice/src/../2\": part
 * \"..\" starts with '.'"). `out` may be NULL to only validate.
 */
enum runtime_config_status pkg_archives_parse(
	const char *text, size_t length, struct pkg_archives **out,
	struct runtime_config_error *error);

void pkg_archives_free(struct pkg_archives *archives);

/*
 * The archives in which init looks for the files of a pkg child, in the
 * order of the list (a ROM name resolves to the first of them whose index
 * lists it): user/src/N/V becomes user/bin/<arch>/N/V, user/raw/N/V and
 * bin archives of `arch` stay, api archives (headers for building),
 * pkg archives (nested pkgs: their own children) and bin archives of other
 * arches are left out; a name that comes twice is kept once. *out is a new
 * list of names (runtime_name_list_clear). RUNTIME_CONFIG_OK or
 * RUNTIME_CONFIG_NO_MEMORY.
 */
enum runtime_config_status pkg_archives_search_list(
	const struct pkg_archives *archives, const char *arch,
	struct runtime_name_list *out);

#endif
