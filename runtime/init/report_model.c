/*
 * The model of init's state report (report_model.h): per child of the
 * running config, in start order, what its entry says (name, binary or
 * pkg, version, assigned quota, provides), what its state block says (id,
 * state, exit code, reason, restarts), its PD's account at core, and its
 * sessions as runtime/child lists them, mapped to the report's words.
 */
#include "report_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "pd_rpc.h"

static_assert(CHILD_LABEL_MAX == STATE_REPORT_LABEL_MAX,
              "a session label fits the report");
static_assert(INIT_CHILD_REASON_MAX == STATE_REPORT_REASON_MAX + 1,
              "a child's reason fits the report");
static_assert(CHILD_SESSIONS_MAX <= STATE_REPORT_REQUESTED_MAX,
              "every session a child may have fits the report");

/* A copy of `text` (NULL stays NULL); false when out of memory. */
static bool copy(char **to, const char *text)
{
	*to = text ? strdup(text) : NULL;
	return !text || *to;
}

static enum state_report_child_state state_word(enum init_child_state_kind s)
{
	switch (s) {
	case INIT_CHILD_STARTING:
		return STATE_REPORT_STARTING;
	case INIT_CHILD_RUNNING:
		return STATE_REPORT_RUNNING;
	case INIT_CHILD_INCOMPLETE:
		return STATE_REPORT_INCOMPLETE;
	case INIT_CHILD_EXITED:
		return STATE_REPORT_EXITED;
	case INIT_CHILD_RESTARTING:
		return STATE_REPORT_RESTARTING;
	case INIT_CHILD_FAILED:
		return STATE_REPORT_FAILED;
	}
	return STATE_REPORT_FAILED; /* not reached: the switch is complete */
}

static enum state_report_session_state session_word(enum child_session_state s)
{
	switch (s) {
	case CHILD_SESSION_PENDING:
		return STATE_REPORT_PENDING;
	case CHILD_SESSION_READY:
		return STATE_REPORT_READY;
	case CHILD_SESSION_DENIED:
		return STATE_REPORT_DENIED;
	case CHILD_SESSION_CLOSED:
		return STATE_REPORT_CLOSED;
	}
	return STATE_REPORT_DENIED; /* not reached */
}

/* Where a session is bound now: nowhere once it failed or ended; for a
 * pending one, where it waits to be opened. */
static enum state_report_bound bound_word(const struct child_session_info *s)
{
	if (s->state == CHILD_SESSION_DENIED ||
	    s->state == CHILD_SESSION_CLOSED)
		return STATE_REPORT_BOUND_NONE;
	switch (s->kind) {
	case CHILD_ROUTE_PARENT:
		return STATE_REPORT_BOUND_PARENT;
	case CHILD_ROUTE_CHILD:
		return STATE_REPORT_BOUND_CHILD;
	case CHILD_ROUTE_LOCAL:
		return STATE_REPORT_BOUND_INIT;
	case CHILD_ROUTE_DENIED:
		break;
	}
	return STATE_REPORT_BOUND_NONE;
}

static struct state_report_amounts amounts(uint64_t assigned, uint64_t quota,
                                           uint64_t used)
{
	struct state_report_amounts a = {
		.assigned = assigned,
		.quota = quota,
		.used = used,
		.avail = quota > used ? quota - used : 0,
	};
	return a;
}

/* The sessions `list` (child_requested_sessions or child_served_sessions)
 * gives for `c`, at most `max`, in a new array; *total says how many there
 * are. NULL with *total 0 when there are none; NULL with *total > 0 when
 * out of memory. */
static struct child_session_info *sessions_of(
	child_t *c,
	size_t (*list)(child_t *, struct child_session_info *, size_t),
	size_t max, size_t *total, size_t *copied)
{
	struct child_session_info *info;
	size_t n = list(c, NULL, 0);

	*copied = 0;
	*total = n;
	if (n == 0)
		return NULL;
	n = n < max ? n : max;
	info = calloc(n, sizeof(*info));
	if (!info)
		return NULL;
	*total = list(c, info, n); /* it may have changed meanwhile */
	*copied = *total < n ? *total : n;
	return info;
}

static bool add_requested(struct state_report_child *out, child_t *c)
{
	size_t total, n;
	struct child_session_info *info =
		sessions_of(c, child_requested_sessions,
	                    STATE_REPORT_REQUESTED_MAX, &total, &n);

	if (!info)
		return total == 0;
	out->requested = calloc(n, sizeof(*out->requested));
	bool ok = out->requested != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct state_report_requested *r = &out->requested[i];
		out->requested_count = i + 1;
		r->bound = bound_word(&info[i]);
		r->state = session_word(info[i].state);
		ok = copy(&r->service, info[i].service) &&
		     copy(&r->label, info[i].label) &&
		     (r->bound != STATE_REPORT_BOUND_CHILD ||
		      copy(&r->server, info[i].server));
	}
	free(info);
	return ok;
}

static bool add_served(struct state_report_child *out, child_t *c)
{
	size_t total, n;
	struct child_session_info *info = sessions_of(c, child_served_sessions,
	                                              STATE_REPORT_SERVED_MAX,
	                                              &total, &n);

	if (!info)
		return total == 0;
	out->served_left_out = total - n;
	out->served = calloc(n, sizeof(*out->served));
	bool ok = out->served != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct state_report_served *s = &out->served[i];
		out->served_count = i + 1;
		s->state = session_word(info[i].state);
		ok = copy(&s->client, info[i].client) &&
		     copy(&s->label, info[i].label);
	}
	free(info);
	return ok;
}

static bool add_provides(struct state_report_child *out,
                         const struct runtime_name_list *provides)
{
	if (provides->count == 0)
		return true;
	out->provides.names = calloc(provides->count + 1, sizeof(char *));
	if (!out->provides.names)
		return false;
	for (size_t i = 0; i < provides->count; i++) {
		if (!copy(&out->provides.names[i], provides->names[i]))
			return false;
		out->provides.count = i + 1;
	}
	return true;
}

/* The PD's account, when the child has a PD; zeros otherwise (it did not
 * start, or is being restarted). */
static void add_quota(struct state_report_child *out,
                      const struct init_child *ic)
{
	struct child_quota q = { 0, 0, 0, 0 };

	if (ic->child && child_quota(ic->child, &q))
		memset(&q, 0, sizeof(q));
	out->ram = amounts(ic->entry->ram, q.ram_quota, q.ram_used);
	out->caps = amounts(ic->entry->caps, q.caps_quota, q.caps_used);
}

static bool add_child(struct state_report_child *out,
                      const struct init_child *ic, bool with_sessions)
{
	const struct runtime_child *e = ic->entry;
	const struct init_child_state *st = &ic->state;
	bool with_reason = st->state == INIT_CHILD_INCOMPLETE ||
	                   st->state == INIT_CHILD_FAILED;

	out->id = st->id;
	out->state = state_word(st->state);
	out->has_exit_code = st->state == INIT_CHILD_EXITED &&
	                     st->has_exit_code;
	out->exit_code = st->exit_code;
	out->restarts = st->restarts;
	out->skipped_heartbeats = ic->heartbeat.skipped;
	out->has_resource_request = ic->child &&
	                            child_resource_request(ic->child,
	                                                   &out->request_ram,
	                                                   &out->request_caps);
	out->has_yield_request = ic->child && yield_plan_owes(&ic->downgrade);
	out->yield_ram = ic->downgrade.owed.ram;
	out->yield_caps = ic->downgrade.owed.caps;
	add_quota(out, ic);
	if (!copy(&out->name, e->name) || !copy(&out->binary, e->binary) ||
	    !copy(&out->pkg, e->pkg) || !copy(&out->version, e->version) ||
	    (with_reason && !copy(&out->reason, st->reason)) ||
	    !add_provides(out, &e->provides))
		return false;
	if (!with_sessions || !ic->child)
		return true;
	return add_requested(out, ic->child) && add_served(out, ic->child);
}

static void add_init_quota(struct state_report *r, struct init *init)
{
	uint64_t ram_quota = 0, ram_used = 0, caps_quota = 0, caps_used = 0;

	if (pd_quota(init->host.host.pd, &ram_quota, &ram_used, &caps_quota,
	             &caps_used))
		ram_quota = ram_used = caps_quota = caps_used = 0;
	r->ram = amounts(0, ram_quota, ram_used);
	r->caps = amounts(0, caps_quota, caps_used);
}

struct state_report *init_report_model(struct init *init, bool with_sessions)
{
	const struct runtime_config *config = init->config;
	struct state_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	assert(config);
	r->sessions_left_out = !with_sessions;
	add_init_quota(r, init);
	if (!copy(&r->config_version, config->version))
		goto fail;
	r->children = calloc(config->start_count ? config->start_count : 1,
	                     sizeof(*r->children));
	if (!r->children)
		goto fail;
	for (size_t i = 0; i < config->start_count; i++) {
		r->child_count = i + 1;
		if (!add_child(&r->children[i], init->children[i],
		               with_sessions))
			goto fail;
	}
	if (!init_remote_report(init, r))
		goto fail;
	return r;
fail:
	state_report_free(r);
	return NULL;
}
