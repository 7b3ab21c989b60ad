/*
 * What init says about one of its children in the state report
 * (state_report.c; the format is runtime/format/README.md, "The state
 * report"): its id, its state, how it ended and how often it was
 * restarted. One `struct init_child_state` sits in every struct
 * init_child; init.c, init_policy.c (and the pkg start) change it only
 * through the setters below, which keep the rules of the state machine in
 * one place. The setters run on init's entrypoint thread, where the
 * report is made, so the block needs no lock.
 *
 * The states and their transitions (every other one is a bug, asserted):
 *
 *   (new entry) --begin--> STARTING --running--> RUNNING --exited--> EXITED
 *                            |  |                   |  \---failed--> FAILED
 *                            |  +---incomplete--> INCOMPLETE
 *                            +-----failed-------> FAILED
 *   any state --restarting--> RESTARTING --> (as STARTING: running,
 *                                             incomplete, failed)
 *   (a config change, or the restart policy after the program ended on
 *   its own: RUNNING --restarting--> RESTARTING while the back-off runs;
 *   RUNNING --failed--> FAILED when the policy gives up)
 *   INCOMPLETE, FAILED --starting--> STARTING (the next applied config
 *                                              tries again)
 *
 * The report spells the states in lower case ("starting", "running", ...;
 * state_report.c maps them to format/state_report.h).
 *
 * Invariants:
 *   - `id` is given once by init_child_state_begin() from init's counter,
 *     which only counts up: no two entries of one init's lifetime share an
 *     id, and an entry removed and added again gets a new one. A restart
 *     keeps the id (and counts `restarts`).
 *   - `exit_code` means something only in EXITED (has_exit_code);
 *   - `reason` is non-empty exactly in INCOMPLETE and FAILED.
 * child_state.c asserts these after every setter (INVARIANT).
 */
#ifndef INIT_CHILD_STATE_H
#define INIT_CHILD_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes of a reason, NUL included (a pkg path and a depot command fit). */
#define INIT_CHILD_REASON_MAX 512u

enum init_child_state_kind {
	INIT_CHILD_STARTING, /* being started (the PD, its ROMs, the binary) */
	INIT_CHILD_RUNNING,  /* its program was started and has not ended */
	INIT_CHILD_INCOMPLETE, /* not started: something it needs is missing
	                           (an archive of its pkg); `reason` says what */
	INIT_CHILD_EXITED,     /* its program called exit: `exit_code` */
	INIT_CHILD_RESTARTING, /* taken down by a config change, to start again */
	INIT_CHILD_FAILED,     /* could not start, or died of a fault;
	                           `reason` says which */
};

struct init_child_state {
	uint64_t id;
	enum init_child_state_kind state;
	bool has_exit_code;
	int exit_code;
	uint32_t restarts; /* restarts by config changes and by the
	                          restart policy (supervise.h), from 0 */
	char reason[INIT_CHILD_REASON_MAX];
};

/* A new entry: the next id of `*counter` (counted up), STARTING, no
 * restarts. */
void init_child_state_begin(struct init_child_state *s, uint64_t *counter);

/* Init starts the child (again): from INCOMPLETE or FAILED to STARTING;
 * STARTING and RESTARTING stay as they are. */
void init_child_state_starting(struct init_child_state *s);

/* Its program was started. From STARTING or RESTARTING. */
void init_child_state_running(struct init_child_state *s);

/* Not started because something it needs is missing (printf-style
 * reason). From STARTING or RESTARTING. */
void init_child_state_incomplete(struct init_child_state *s, const char *fmt,
                                 ...) __attribute__((format(printf, 2, 3)));

/* Could not start, or its program died of a fault (printf-style reason).
 * From STARTING, RESTARTING or RUNNING. */
void init_child_state_failed(struct init_child_state *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Its program called exit(code). From RUNNING. */
void init_child_state_exited(struct init_child_state *s, int code);

/* A config change or its restart policy restarts it: RESTARTING, one
 * restart more. From any state. */
void init_child_state_restarting(struct init_child_state *s);

#endif
