/*
 * What init's state report says (state_report.h says when and where it is
 * written): the model of format/state_report.h made from init's running
 * config, its children's state blocks (child_state.h), their quota and
 * their sessions (runtime/child, copied out under the broker's lock).
 * Entrypoint thread, where the state blocks live.
 */
#ifndef INIT_REPORT_MODEL_H
#define INIT_REPORT_MODEL_H

#include <stdbool.h>

#include <format/state_report.h>

struct init;

/* A new model for state_report_free(), with the children's session lists
 * or without them (then sessions_left_out); NULL when out of memory. */
struct state_report *init_report_model(struct init *init, bool with_sessions);

#endif
