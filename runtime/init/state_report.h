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
 * sessions_changed hook). The entrypoint then writes at once if the last
 * write is at least `delay_ms` ago, else it arms a timer for that moment,
 * so that a burst of changes costs one write per delay. A report equal
 * to the last one written is not written again.
 *
 * The timer is a thread of init that sleeps until the moment it was armed
 * for (a signal receiver's wait with a timeout: init has no Timer
 * session, core serves none, and a waiting thread needs nothing from
 * anyone) and then submits a signal that the entrypoint dispatches. The
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
#include <runtime/semaphore.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

struct init;

struct init_report {
	struct init *init;
	/* entrypoint thread only */
	bool dirty;                 /* changed since the last report was made */
	bool armed;                 /* the timer sleeps towards `due_ns` */
	uint32_t delay_ms;          /* of the running config */
	uint64_t last_write_ns;     /* when the last report was submitted */
	char *last;                 /* its text; NULL before the first */
	/* the Report session at the parent, while `report` is configured */
	bool open;
	kcap_t cap, ds;
	uint32_t id;
	void *buffer;               /* ds, mapped */
	uint64_t size;              /* bytes of ds */
	/* the signals from other threads */
	signal_dispatcher_t changed, due;
	signal_transmitter_t changed_tx, due_tx;
	kcap_t changed_cap, due_cap;
	/* the timer thread */
	struct thread timer;
	struct semaphore arm;       /* one up per arming */
	uint64_t due_ns;            /* __atomic: when to submit `due` */
};

/* Sets up the signals and starts the timer thread; nothing is written
 * before init_report_apply() finds `report` in a config. 0 or a KERR_*. */
int init_report_start(struct init_report *r, struct init *init);

/* After a config was applied: opens or closes the Report session as the
 * config says, takes its delay and marks the report dirty. Entrypoint. */
void init_report_apply(struct init_report *r);

/* Something the report shows changed. Any thread, cheap, never blocks. */
void init_report_changed(struct init_report *r);

/* The same with a void pointer, for runtime/child's sessions_changed. */
void init_report_sessions_changed(void *report);

#endif
