/*
 * What a ROM session asks core for (core/README.md, "ROM sessions"): the
 * decode step of core's ROM service, pure so that it is tested alone.
 * Besides the label, whose last element is the module NAME, a request may
 * carry two arguments that init sets for its children:
 *
 *   rom_from="config" (or absent)  config/NAME, else boot/NAME
 *   rom_from="boot"                boot/NAME only
 *   rom_from="depot"               file NAME of archive `archive`
 *   rom_from="depot-index"         core's index of archive `archive`
 *
 * `archive` is required for the depot kinds and refused for the others;
 * it must be an archive name of a served kind (archive_name.h). NAME must
 * be a module name (target.h) for every kind.
 */
#ifndef CORE_ROM_REQUEST_H
#define CORE_ROM_REQUEST_H

#include "archive_name.h"
#include "core_platform.h"

enum rom_from {
	ROM_FROM_CONFIG,
	ROM_FROM_BOOT,
	ROM_FROM_DEPOT,
	ROM_FROM_DEPOT_INDEX,
};

struct rom_request {
	enum rom_from from;
	char archive[ARCHIVE_NAME_MAX + 1]; /* "" for config and boot */
	char name[TARGET_NAME_MAX + 1];
};

/* Decodes the raw session arguments and the label's last element.
 * 0, or -1 with the reason in *why (a static text). */
int rom_request_decode(const char *raw_args, const char *name,
                       struct rom_request *out, const char **why);

/* Whether two requests name the same module. The index of an archive is
 * one module whatever the label, so that a client cannot make core build
 * and hold one per label. */
int rom_request_same(const struct rom_request *a, const struct rom_request *b);

#endif
