/*
 * Init's state report, when and where (state_report.h): the Report session
 * at the parent, the dirty mark, the rate limit with its timer thread, and
 * the comparison with the last report written. What the report says is
 * report_model.c's; its text is libformat's (format/state_report.h).
 */
#include "state_report.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/arg_string.h>
#include <runtime/cap.h>
#include <runtime/container_of.h>

#include "init.h"
#include "report_model.h"
#include "report_rpc.h"

#define REPORT_LABEL "state"
#define REPORT_FIRST_SIZE ((uint64_t)64 * 1024u)   /* grows as needed */
#define TIMER_STACK ((size_t)64 * 1024u)

/* --- the Report session ------------------------------------------------- */

static void session_close(env_t *env, struct init_report_session *s)
{
	if (!s->open)
		return;
	dataspace_release(&s->ds);
	cap_close(s->cap);
	env_close(env, s->id);
	memset(s, 0, sizeof(*s));
	s->cap = KCAP_INVALID;
	s->ds = DATASPACE_EMPTY;
}

/* Opens a session with a dataspace of `size` bytes (core rounds down to
 * pages and holds at most STATE_REPORT_INPUT_MAX) and maps it into *s. */
static int session_open(env_t *env, struct init_report_session *s,
                        uint64_t size)
{
	char args[CONNECTION_ARGS_MAX + 1] = "";
	kcap_t ds;
	uint64_t ds_size;
	int err;

	memset(s, 0, sizeof(*s));
	s->cap = KCAP_INVALID;
	s->ds = DATASPACE_EMPTY;
	if (arg_string_set_quoted(args, sizeof(args), "label", REPORT_LABEL) ||
	    arg_string_set_unsigned(args, sizeof(args), "ram_quota", size))
		return KERR_INVALID;
	err = env_session(env, "Report", args, &s->cap, &s->id);
	if (err)
		return err;
	s->open = true;
	err = report_dataspace(s->cap, &ds, &ds_size);
	if (!err)
		err = dataspace_open(&s->ds, ds, (size_t)ds_size);
	if (!err)
		err = dataspace_attach(&s->ds, true);
	if (err)
		session_close(env, s);
	return err;
}

/* A session whose dataspace holds `length` bytes: the open one, or a new
 * larger one (twice as large as needed, at most the format's bound). The
 * new one is opened before the old one closes, so the file always has a
 * session that holds its name (core removes a report whose last session
 * closed), and a failed attempt leaves the old one as it was. */
static int session_for(struct init_report *r, uint64_t length)
{
	struct init_report_session larger;
	uint64_t size = r->session.ds.size ? r->session.ds.size
	                                   : REPORT_FIRST_SIZE;
	int err;

	if (r->session.open && length <= r->session.ds.size)
		return 0;
	while (size < length && size < STATE_REPORT_INPUT_MAX)
		size *= 2;
	if (size < length)
		return REPORT_ERR_TOO_BIG;
	err = session_open(r->init->env, &larger,
	                   size > STATE_REPORT_INPUT_MAX
	                           ? STATE_REPORT_INPUT_MAX
	                           : size);
	if (err)
		return err;
	/* the server decides the dataspace's size; it must hold the report */
	if (length > larger.ds.size) {
		session_close(r->init->env, &larger);
		return REPORT_ERR_TOO_BIG;
	}
	session_close(r->init->env, &r->session);
	r->session = larger;
	return 0;
}

/* --- making and writing a report ---------------------------------------- */

/* The report's text, with the session lists if it fits the format's
 * bound, else without; NULL (logged) when neither can be made. */
static char *make_text(struct init_report *r)
{
	struct runtime_config_error error = { "" };
	char *text = NULL;

	for (int with_sessions = 1; !text && with_sessions >= 0;
	     with_sessions--) {
		struct state_report *model = init_report_model(r->init,
		                                               with_sessions);
		if (!model) {
			env_log(r->init->env, "state report: out of memory");
			return NULL;
		}
		text = state_report_to_json(model, &error);
		state_report_free(model);
	}
	if (!text)
		env_log(r->init->env, "state report not written: %s",
		        error.message);
	return text;
}

static void write_now(struct init_report *r)
{
	char *text;
	size_t length;
	int err;

	r->dirty = false;
	text = make_text(r);
	if (!text)
		return;
	if (r->last && !strcmp(text, r->last)) {
		free(text); /* the same as the file holds */
		return;
	}
	length = strlen(text);
	err = session_for(r, length);
	if (!err) {
		memcpy(r->session.ds.addr, text, length);
		err = report_submit(r->session.cap, length);
	}
	if (err) {
		env_log(r->init->env, "state report not written: %s",
		        rpc_strerror(&report_rpc, err));
		free(text);
		return;
	}
	free(r->last);
	r->last = text;
	/* rest for the delay: changes meanwhile wait for its end */
	r->resting = true;
	__atomic_store_n(&r->rest_ms, r->delay_ms, __ATOMIC_RELEASE);
	semaphore_up(&r->arm);
}

static void changed(signal_dispatcher_t *d, uint32_t count)
{
	struct init_report *r = container_of(d, struct init_report, changed);

	(void)count;
	r->dirty = true;
	if (r->session.open && !r->resting)
		write_now(r);
}

static void due(signal_dispatcher_t *d, uint32_t count)
{
	struct init_report *r = container_of(d, struct init_report, due);

	(void)count;
	r->resting = false;
	if (r->session.open && r->dirty)
		write_now(r);
}

/* --- the timer thread --------------------------------------------------- */

/* For each rest: sleeps its length, then submits `due`. The receiver has
 * no context, so nothing but the timeout ends its wait. If the thread
 * cannot have one, a rest ends at once (reports are then not limited,
 * but still written). */
static void timer_entry(void *arg)
{
	struct init_report *r = arg;
	signal_receiver_t *sleeper = NULL;
	signal_t none;

	if (signal_receiver_create(&sleeper)) {
		env_log(r->init->env,
		        "state report: no timer, so no delay between "
		        "reports");
		sleeper = NULL;
	}
	for (;;) {
		semaphore_down(&r->arm);
		int ms = (int)__atomic_load_n(&r->rest_ms, __ATOMIC_ACQUIRE);
		if (sleeper && ms > 0)
			signal_receiver_wait(sleeper, &none, ms);
		signal_transmitter_submit(&r->due_tx, 1);
	}
}

/* --- the interface ------------------------------------------------------ */

int init_report_start(struct init_report *r, struct init *init)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->init = init;
	r->session.cap = KCAP_INVALID;
	r->session.ds = DATASPACE_EMPTY;
	r->changed_cap = r->due_cap = KCAP_INVALID;
	semaphore_init(&r->arm, 0);
	err = signal_dispatcher_init(&r->changed, init->env->ep, changed,
	                             &r->changed_cap);
	if (err)
		return err;
	signal_transmitter_init(&r->changed_tx, r->changed_cap);
	err = signal_dispatcher_init(&r->due, init->env->ep, due, &r->due_cap);
	if (err)
		return err;
	signal_transmitter_init(&r->due_tx, r->due_cap);
	return 0;
}

/* The timer thread, once: 0 or a KERR_*. */
static int start_timer(struct init_report *r)
{
	int err;

	if (r->timer_started)
		return 0;
	err = thread_start(&r->timer, "report-timer", TIMER_STACK, timer_entry,
	                   r);
	r->timer_started = !err;
	return err;
}

void init_report_apply(struct init_report *r)
{
	const struct runtime_config *config = r->init->config;
	int err;

	if (!config->report) {
		session_close(r->init->env, &r->session);
		free(r->last);
		r->last = NULL;
		return;
	}
	r->delay_ms = config->report_delay_ms;
	if (!r->session.open) {
		err = session_for(r, 0);
		if (!err) {
			err = start_timer(r);
			if (err)
				session_close(r->init->env, &r->session);
		}
		if (err) {
			env_log(r->init->env,
			        "cannot open the state report (Report "
			        "session \"%s\" at the parent): %s",
			        REPORT_LABEL, runtime_strerror(err));
			return;
		}
		env_log(r->init->env,
		        "state report: on every change, at most every "
		        "%u ms",
		        (unsigned)r->delay_ms);
	}
	init_report_changed(r);
}

void init_report_changed(struct init_report *r)
{
	signal_transmitter_submit(&r->changed_tx, 1);
}

void init_report_sessions_changed(void *report)
{
	init_report_changed(report);
}
