/*
 * Core's Report service (report.rpc): the sink that turns reports into
 * files of the target, DIR/report/<name> (core/README.md, "The target
 * directory"). A session gets a dataspace as large as its RAM quota
 * (rounded down to pages, at most REPORT_SERVICE_MAX); submit(length)
 * replaces the session's file atomically with the first `length` bytes
 * (where the file is, is the platform's: report_sink.h; linux writes
 * DIR/report itself, riscv sends it to the host, which writes it).
 *
 * The file name comes from the session label: its elements joined by
 * '.', "init -> report_rom -> writer -> state" becoming
 * "init.report_rom.writer.state". A label whose element is empty, starts
 * with '.', or holds '/' or a control character is refused, as is a name
 * longer than TARGET_NAME_MAX * 4, so no report is ever written outside
 * report/ or as a hidden file. Two labels that map to one name ("a -> b.c"
 * and "a.b -> c") cannot both hold it: the second is refused while the
 * first is open.
 *
 * A report file lives as long as a session holds its name: when the last
 * one closes (its client closes it, or the client's parent does when the
 * client ends), the file is removed. So report/ holds at most one file per
 * open session, each at most that session's dataspace, which its RAM
 * quota pays for: what a component can leave there is bounded by the
 * quota it keeps donated to open Report sessions. On core's shutdown the
 * files stay, for a person to read; the next start of core removes every
 * regular file in report/ before serving.
 */
#ifndef CORE_REPORT_SERVICE_H
#define CORE_REPORT_SERVICE_H

#include "core_service.h"
#include "report_sink.h"

#include <stddef.h>

#define REPORT_SERVICE_MAX ((size_t)1024 * 1024)
/* TARGET_NAME_MAX * 4 (asserted in report_service.c) */
#define REPORT_FILE_NAME_MAX ((size_t)256)

struct report_service {
	struct root_component base;
	struct target *target;
	struct report_sink *sink;
	int keep_files; /* core's shutdown began: files of
	                                      sessions closed from now on stay */
};

int report_service_init(struct report_service *s, entrypoint_t *ep,
                        struct target *target);
/* Core's shutdown begins: the sessions that close from now on (init's,
 * as core ends it, and every other) leave their files, the last reports,
 * for a person or a host tool to read; the next start of core removes
 * them. Call it before the domains are ended. */
void report_service_keep_files(struct report_service *s);
/* Closes every session and the root (keeping the files). */
void report_service_dissolve(struct report_service *s);

#endif
