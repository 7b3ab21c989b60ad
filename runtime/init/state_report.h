/*
 * Init's state report (runtime/format/README.md, "The state report"): what
 * runs, as init sees it, written through a Report session at init's
 * parent labelled "state", which core's Report service turns into
 * DIR/report/init.state, replaced atomically. Only while the running
 * config has `report`.
 *
 * When: every change marks the report dirty (init_report_changed(), any
 * thread: an applied config, a child that started, exited or restarted,
 * a session filed, opened, failed, closed or ended; runtime/child's
 * sessions_changed hook). The entrypoint writes a dirty report at once
 * unless it is resting: after each write it rests for `delay_ms`, and
 * writes once more at the end of the rest if something changed meanwhile.
 * So a burst of changes costs one write per delay, and the first change
 * after a quiet time is written without waiting. A report equal to the
 * last one written is not written again (and starts no rest).
 *
 * The rest is timed by a thread of init that sleeps `delay_ms` after each
 * write (a signal receiver's wait with a timeout: init has no Timer
 * session, core serves none, and a waiting thread needs nothing from
 * anyone) and then submits a signal that the entrypoint dispatches; it
 * lives as long as init, which never ends its report machinery. The
 * report itself is made and written on the entrypoint, the one thread on
 * which the children's state blocks and init's config are read and
 * changed, so it needs no lock of init's; runtime/child copies the session
 * tables out under its own lock.
 */
#ifndef INIT_STATE_REPORT_H
#define INIT_STATE_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/dataspace.h>
#include <runtime/semaphore.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

struct init;

/* A Report session at the parent and its dataspace. */
struct init_report_session {
	bool open;
	kcap_t cap;
	uint32_t id;
	struct dataspace ds; /* the session's buffer, attached */
};

struct init_report {
	struct init *init;
	/* entrypoint thread only */
	bool dirty;        /* changed since the last report was made */
	bool resting;      /* written less than a delay ago: the
	                               timer sleeps, `due` ends the rest */
	uint32_t delay_ms; /* of the running config */
	char *last;        /* the text last written; NULL before */
	struct init_report_session session; /* while `report` is configured */
	/* the signals from other threads */
	signal_dispatcher_t changed, due;
	signal_transmitter_t changed_tx, due_tx;
	kcap_t changed_cap, due_cap;
	/* the timer thread, started with the first session (a thread is
	 * scarce where the kernel has a fixed pool of them) */
	bool timer_started; /* entrypoint thread only */
	struct thread timer;
	struct semaphore arm; /* one up per rest */
	uint32_t rest_ms;     /* __atomic: how long the timer sleeps */
};

/* Sets up the signals; nothing is written, and the timer thread not
 * started, before init_report_apply() finds `report` in a config and
 * the parent gives a Report session. 0 or a KERR_*. */
int init_report_start(struct init_report *r, struct init *init);

/* After a config was applied: opens or closes the Report session as the
 * config says, takes its delay and marks the report dirty. Entrypoint. */
void init_report_apply(struct init_report *r);

/* Something the report shows changed. Any thread, cheap, never blocks. */
void init_report_changed(struct init_report *r);

/* The same with a void pointer, for runtime/child's sessions_changed. */
void init_report_sessions_changed(void *report);

#endif
