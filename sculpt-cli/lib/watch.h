/*
 * Whether an applied generation took (the transaction of `sculpt apply`):
 * a judgement of init's state report (format/state_report.h) against the
 * generation's configuration. Pure, so the unit tests hand it reports.
 *
 *   WATCH_WAIT    not yet decided: init has not reported the generation's
 *                 config version, a child is starting, or a session it
 *                 asked for is pending (a route not yet complete);
 *   WATCH_DONE    every child of the configuration runs (or exited 0) and
 *                 no session is pending;
 *   WATCH_FAILED  a child failed, is incomplete, exited with an error or
 *                 crashed and is restarting.
 * `why` says, in words, what is awaited or what failed; sculpt rolls back
 * on WATCH_FAILED and on WATCH_WAIT past its timeout, and prints it.
 */
#ifndef SCULPT_WATCH_H
#define SCULPT_WATCH_H

#include <stddef.h>

#include "format/runtime_config.h"
#include "format/state_report.h"

enum watch_verdict { WATCH_WAIT, WATCH_DONE, WATCH_FAILED };

enum watch_verdict watch_judge(const struct state_report *report,
                               const char *version,
                               const struct runtime_config *config, char *why,
                               size_t size);

#endif
