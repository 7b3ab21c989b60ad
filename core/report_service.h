/*
 * Core's Report service (report.rpc): the sink that turns reports into
 * files of the target, DIR/report/<name> (core/README.md, "The target
 * directory"). A session gets a dataspace as large as its RAM quota
 * (rounded down to pages, at most REPORT_SERVICE_MAX); submit(length)
 * replaces the session's file atomically with the first `length` bytes:
 * a temp file in report/, fsync, rename, fsync of report/.
 *
 * The file name comes from the session label: its elements joined by
 * '.', "init -> report_rom -> writer -> state" becoming
 * "init.report_rom.writer.state". A label whose element is empty, starts
 * with '.', or holds '/' or a control character is refused, as is a name
 * longer than TARGET_NAME_MAX * 4, so no report is ever written outside
 * report/ or as a hidden file.
 */
#ifndef CORE_REPORT_SERVICE_H
#define CORE_REPORT_SERVICE_H

#include "service.h"
#include "target.h"

#include <stddef.h>

#define REPORT_SERVICE_MAX ((size_t)1024 * 1024)
#define REPORT_FILE_NAME_MAX ((size_t)TARGET_NAME_MAX * 4)

struct report_service {
	struct root_component  base;
	struct target         *target;
	int                    dir_fd;     /* DIR/report */
};

int report_service_init(struct report_service *s, entrypoint_t *ep,
                        struct target *target);
/* Closes every session and the root. */
void report_service_dissolve(struct report_service *s);

/* The file name of a report label, into name[size]. 0, or -1 with the
 * reason in *why. */
int report_file_name(const char *label, char *name, size_t size,
                     const char **why);

#endif
