/*
 * Building bin archives: libdepot's `depot build`. A src archive carries its
 * build description at recipes/src/<name>/build (the recipe's own file,
 * shipped at the same path); building extracts that src archive and the
 * archives its description uses into one scratch tree, runs make there, and
 * packs the named outputs as the reproducible archive
 * <depot>/<user>/bin/<arch>/<name>/<version>.tar.zst, which it installs as
 * <depot>/<user>/bin/<arch>/<name>/<version>/. Nothing from the repository
 * is read: the archives in the depot are all the build sees.
 *
 * The build description, one statement per line ('#' comments):
 *   use <kind>/<name>           another archive of the same user whose
 *                               content joins the tree (newest version in
 *                               the depot); any number
 *   use bin/<name> <dir>        the bin archive built from src/<name> of
 *                               the same user for the arch this build
 *                               makes (the depot picks it, newest version;
 *                               never another arch's), extracted into the
 *                               tree path <dir>, which must not exist yet
 *   make <target>               a make target to build; at least one
 *   output <path> <archive path> a file of the tree that goes into the bin
 *                               archive, and its path there; at least one
 * Paths are relative, of [A-Za-z0-9._+/-], without '.' or '..' parts.
 * That file describes the build for the host's arch; a build for another
 * arch (a cross build) reads recipes/src/<name>/build.<arch> instead, in
 * the same language, and is refused when the src archive has none.
 * recipes/README.md documents the shape for recipe writers.
 */
#ifndef DEPOT_BUILD_H
#define DEPOT_BUILD_H

#include "depot/depot.h"

enum {
	DEPOT_BUILD_USES_MAX = 32,
	DEPOT_BUILD_TARGETS_MAX = 32,
	DEPOT_BUILD_OUTPUTS_MAX = 32,
	DEPOT_BUILD_PATH_MAX = 256,
};

struct depot_build_use {
	char kind[8];
	char name[DEPOT_PART_MAX];
	char dir[DEPOT_BUILD_PATH_MAX]; /* bin: where it goes; else "" */
};

struct depot_build_output {
	char path[DEPOT_BUILD_PATH_MAX];         /* in the build tree */
	char archive_path[DEPOT_BUILD_PATH_MAX]; /* in the bin archive */
};

struct depot_build_description {
	struct depot_build_use uses[DEPOT_BUILD_USES_MAX];
	size_t use_count;
	char targets[DEPOT_BUILD_TARGETS_MAX][DEPOT_BUILD_PATH_MAX];
	size_t target_count;
	struct depot_build_output outputs[DEPOT_BUILD_OUTPUTS_MAX];
	size_t output_count;
};

/* Parses a build description; DEPOT_E_RECIPE with "line N: ..." when it is
 * malformed (the subject is "build"). */
int depot_build_description_parse(const char *text, size_t length,
                                  struct depot_build_description *out,
                                  struct depot_diag *diag);

/* Picks the newest version (strverscmp order) of user/kind/name (of
 * user/bin/arch/name when name->arch is set) that the depot holds as an
 * archive file or an installed directory; `name` has an empty version.
 * DEPOT_E_NOT_INSTALLED when it holds none. */
int depot_newest_version(const char *depot, const struct depot_name *name,
                         char version[DEPOT_PART_MAX], struct depot_diag *diag);

/*
 * The bounds of a build's make (depot/lib/README.md, "Building: what a
 * Makefile may do"): make and everything it starts run in a process group
 * of their own, without network (a network namespace of their own), under
 * Landlock (writes only in the build's staging directory; reads only there
 * and in the system's directories, no home directory), with no new
 * privileges, a clean environment and these rlimits, each process; the
 * whole build ends after timeout_s seconds of wall-clock time (the process
 * group killed), and whatever make left running is killed when it ends.
 */
#define DEPOT_BUILD_TIMEOUT_S 3600u                   /* wall clock, default */
#define DEPOT_BUILD_CPU_MAX 3600u                     /* CPU seconds */
#define DEPOT_BUILD_FILE_MAX (1ull << 30)             /* bytes of a file */
#define DEPOT_BUILD_MEMORY_MAX (4ull << 30)           /* address space */
#define DEPOT_BUILD_FILES_MAX 1024u                   /* open descriptors */

struct depot_build_options {
	const char *arch; /* NULL: the host's; another needs build.<arch> */
	const char *make; /* the make program; NULL: "make" (found on the
	                     * clean PATH, /usr/local/bin:/usr/bin:/bin) */
	unsigned jobs;    /* make -j; 0: 2 */
	int quiet;        /* send make's output to /dev/null, not stderr */
	unsigned
		timeout_s; /* wall-clock bound of make; 0: DEPOT_BUILD_TIMEOUT_S */
};

/*
 * Builds the bin archive of src archive `src` (user/src/name/version; an
 * empty version means the newest) and installs it; `bin` receives its name.
 * The src archive and the archives it uses must be in the depot as archive
 * files (`depot create`, `depot fetch`). When the bin archive file exists
 * already, the new build must be bit-identical to it (DEPOT_E_EXISTS if
 * not: versions are immutable). A failed make gives DEPOT_E_BUILD.
 */
int depot_build(const char *depot, const struct depot_name *src,
                const struct depot_build_options *options,
                struct depot_name *bin, struct depot_diag *diag);

#endif
