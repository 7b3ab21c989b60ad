/*
 * Archive names as core takes them from a ROM session's `archive`
 * argument and from a pkg's `archives` file (core/README.md, "The target
 * directory"). A name is `user/kind/name/version` or
 * `user/bin/arch/name/version`: the same text is the archive's path
 * beneath DIR/depot/, so the check here is what keeps a client inside the
 * depot before any file is opened (the open itself is confined too,
 * depot_rom.h).
 *
 * Parts are 1..ARCHIVE_PART_MAX bytes of [A-Za-z0-9_.-] and never start
 * with '.' (so never "." or ".."; libdepot refuses such parts too, and
 * DIR/depot/.staging/ holds unfinished installs). Kinds are src, api,
 * raw, pkg and bin; core serves files of bin, raw and pkg archives only
 * (a src or api archive holds sources, nothing a component runs or reads).
 */
#ifndef CORE_ARCHIVE_NAME_H
#define CORE_ARCHIVE_NAME_H

#define ARCHIVE_PART_MAX 64
/* five parts and four '/' */
#define ARCHIVE_NAME_MAX (5 * ARCHIVE_PART_MAX + 4)

/* The arch of the bin archives core runs: what core was compiled for,
 * spelled as `uname -m` prints it (and as `depot build` names it). */
#if defined(__x86_64__)
#define ARCHIVE_ARCH "x86_64"
#elif defined(__aarch64__)
#define ARCHIVE_ARCH "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCHIVE_ARCH "riscv64"
#else
#error "core knows no bin archive arch for this machine"
#endif

struct archive_name {
	char user[ARCHIVE_PART_MAX + 1];
	char kind[4];                    /* src, api, raw, pkg, bin */
	char arch[ARCHIVE_PART_MAX + 1]; /* "" unless kind is bin */
	char name[ARCHIVE_PART_MAX + 1];
	char version[ARCHIVE_PART_MAX + 1];
};

/* Decodes `text` (any kind). 0, or -1 with the reason in *why. */
int archive_name_parse(const char *text, struct archive_name *out,
                       const char **why);

/* Decodes `text` and checks that core serves files of its kind. */
int archive_name_check_served(const char *text, const char **why);

/* Formats `name` as text into out[ARCHIVE_NAME_MAX + 1]. */
void archive_name_format(const struct archive_name *name, char *out);

#endif
