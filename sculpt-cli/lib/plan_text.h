/*
 * `sculpt plan` in words: the plan of libformat (format/plan.h, the very
 * comparison init makes when its config changes) of the running
 * configuration against the generated one, one line per child:
 *   start NAME (pkg P, ram R, caps C)
 *   restart NAME: its pkg changed (P -> Q)
 *   update NAME: new config, delivered live
 *   update NAME: ram +N, caps +M, moved live
 *   remove NAME: ram R and caps C go back to init
 *   re-route NAME: open sessions whose route changed are re-opened
 *   re-connect NAME: its S session to X is opened anew at the restarted server
 *   keep NAME
 * Pure: writes to a stream, so the unit tests read its lines.
 */
#ifndef SCULPT_PLAN_TEXT_H
#define SCULPT_PLAN_TEXT_H

#include <stdio.h>

#include "format/runtime_config.h"

/* Writes the plan of `running` (NULL: nothing runs) to `next`; returns the
 * number of children that change (started, restarted, updated, removed or
 * re-routed), or -1 when out of memory. */
int plan_print(FILE *out, const struct runtime_config *running,
               const struct runtime_config *next);

#endif
