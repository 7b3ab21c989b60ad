/*
 * The life of a child in runtime/child: spawning (PD session through the
 * parent's own parent, quota, binary ROM, start), watching for its end,
 * and taking it down again (sessions closed, services withdrawn, quota
 * back, PD closed).
 */
#include "child_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/arg_string.h>
#include <runtime/error.h>
#include <runtime/invariant.h>
#include <runtime/str.h>

#include "parent_rpc.h"
#include "pd_rpc.h"
#include "rom_rpc.h"

static bool child_name_valid(const char *name)
{
	size_t len = str_length(name, CHILD_NAME_MAX + 1);

	if (len == 0 || len > CHILD_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

int child_create(child_broker_t *b, const char *name, kcap_t pd, uint32_t pd_id,
                 const struct child_policy *policy, child_t **child)
{
	child_t *c;
	int err;

	if (!child_name_valid(name) || !policy->route)
		return KERR_INVALID;
	c = calloc(1, sizeof(*c));
	if (!c)
		return KERR_NOMEM;
	c->broker = b;
	str_copy(c->name, name, sizeof(c->name));
	c->policy = *policy;
	c->pd_id = pd_id;
	c->session_sigh = KCAP_INVALID;
	c->heartbeat_sigh = KCAP_INVALID;
	c->resource_sigh = KCAP_INVALID;
	c->yield_sigh = KCAP_INVALID;
	c->parent_cap = KCAP_INVALID;
	c->next_id = 1;
	list_init(&c->sessions);
	err = kcap_copy(pd, &c->pd);
	if (err) {
		free(c);
		return err;
	}
	err = parent_manage(b->ep, &c->parent_obj, &child_parent_ops,
	                    &c->parent_cap);
	if (err) {
		kcap_close(c->pd);
		free(c);
		return err;
	}
	lock_acquire(&b->lock);
	list_insert(&b->children, &c->elem, NULL);
	lock_release(&b->lock);
	*child = c;
	return 0;
}

static void exit_signal(signal_dispatcher_t *d, uint32_t count)
{
	child_t *c = container_of(d, child_t, exit_dispatcher);
	uint32_t state = 0;
	int32_t code = 0;

	if (pd_exit_state(c->pd, &state, &code) || state == 0)
		return;
	child_report_exit(c, state == 2, code);
}

int child_start(child_t *c, kcap_t elf)
{
	kcap_t sig;
	int err;

	if (!c->exit_watched) {
		err = signal_dispatcher_init(&c->exit_dispatcher, c->broker->ep,
		                             exit_signal, &sig);
		if (err)
			return err;
		c->exit_watched = true;
		err = pd_exit_sigh(c->pd, sig);
		kcap_close(sig);
		if (err)
			return err;
	}
	return pd_start(c->pd, elf, c->parent_cap);
}

kcap_t child_parent_cap(const child_t *c)
{
	return c->parent_cap;
}

const char *child_name(const child_t *c)
{
	return c->name;
}

/* Takes the child's sessions out of its table and closes them. */
static void close_sessions(child_t *c)
{
	child_broker_t *b = c->broker;
	struct list_elem *e;

	for (;;) {
		struct child_session *s = NULL;

		lock_acquire(&b->lock);
		e = list_first(&c->sessions);
		if (e) {
			s = container_of(e, struct child_session, elem);
			list_remove(&c->sessions, e);
			c->session_count--;
			if (s->state == SESSION_PENDING)
				s->close_requested = true;
		}
		INVARIANT(child_sessions_ok(c));
		lock_release(&b->lock);
		if (!s)
			return;
		broker_sessions_changed(b);
		if (s->state == SESSION_READY && !s->own_pd)
			broker_close(b, s);
		else if (s->state != SESSION_PENDING)
			session_free(s);
	}
}

/* A session another child had at a destroyed server: what goes back to the
 * client, taken out of the record under the lock. */
struct lost_session {
	child_t *client;
	kcap_t from, to; /* copies: server's PD, client's PD */
	uint64_t ram, caps;
	char service[SERVICE_NAME_MAX + 1];
	char label[CHILD_LABEL_MAX + 1];
};

static bool served_by(const struct child_session *s, const child_t *server)
{
	return s->state == SESSION_READY && s->kind == CHILD_ROUTE_CHILD &&
	       strcmp(s->server, server->name) == 0;
}

/* Marks the sessions that others hold at `server` failed and notes what
 * goes back to their clients in lost[] (at most `max`); returns how many.
 * Precondition: broker->lock held (nothing here blocks). */
static size_t take_client_sessions(child_t *server, struct lost_session *lost,
                                   size_t max)
{
	size_t n = 0;

	for (struct list_elem *ce = list_first(&server->broker->children);
	     ce && n < max; ce = list_next(ce)) {
		child_t *client = container_of(ce, child_t, elem);
		for (struct list_elem *se = list_first(&client->sessions);
		     se && n < max; se = list_next(se)) {
			struct child_session *s =
				container_of(se, struct child_session, elem);
			if (client == server || !served_by(s, server) ||
			    kcap_copy(s->provider.pd, &lost[n].from))
				continue;
			if (kcap_copy(client->pd, &lost[n].to)) {
				kcap_close(lost[n].from);
				continue;
			}
			lost[n].client = client;
			lost[n].ram = s->ram;
			lost[n].caps = s->caps;
			str_copy(lost[n].service, s->service,
			         sizeof(lost[n].service));
			str_copy(lost[n].label, s->label,
			         sizeof(lost[n].label));
			s->ram = s->caps = 0;
			s->state = SESSION_FAILED;
			s->error = PARENT_ERR_ENDED;
			s->ended = true;
			child_notify_sessions(client);
			n++;
		}
	}
	return n;
}

/* Ends the sessions other children have at `server`, while its PD still
 * holds their quota: the quota goes back, the clients are told. */
static void end_client_sessions(child_t *server)
{
	child_broker_t *b = server->broker;
	struct lost_session *lost = calloc(CHILD_SESSIONS_MAX, sizeof(*lost));
	char reason[CHILD_REASON_MAX];
	size_t n;

	if (!lost)
		return; /* the quota comes back to the parent with the PD */
	do {
		lock_acquire(&b->lock);
		n = take_client_sessions(server, lost, CHILD_SESSIONS_MAX);
		lock_release(&b->lock);
		if (n)
			broker_sessions_changed(b);
		for (size_t i = 0; i < n; i++) {
			const struct child_policy *p = &lost[i].client->policy;
			broker_move_quota(lost[i].from, lost[i].to, lost[i].ram,
			                  lost[i].caps, reason, sizeof(reason));
			kcap_close(lost[i].from);
			kcap_close(lost[i].to);
			str_format(reason, sizeof(reason),
			           "its server \"%s\" went away", server->name);
			if (p->session_failed)
				p->session_failed(p->ctx, lost[i].client,
				                  lost[i].service,
				                  lost[i].label,
				                  PARENT_ERR_DENIED, reason);
		}
	} while (n == CHILD_SESSIONS_MAX); /* taken ones failed: not again */
	free(lost);
}

void child_destroy(child_t *c)
{
	child_broker_t *b;

	if (!c)
		return;
	b = c->broker;
	lock_acquire(&b->lock);
	list_remove(&b->children, &c->elem);
	lock_release(&b->lock);
	entrypoint_dissolve(&c->parent_obj);
	if (c->exit_watched)
		signal_dispatcher_dissolve(&c->exit_dispatcher);
	close_sessions(c);
	service_registry_remove_owner(b->registry, c->name);
	end_client_sessions(c);
	broker_drain_child(b, c);
	if (c->pd_id != CHILD_NO_ID)
		b->host->close(b->host->ctx, c->pd_id);
	kcap_close(c->session_sigh);
	kcap_close(c->heartbeat_sigh);
	kcap_close(c->resource_sigh);
	kcap_close(c->yield_sigh);
	kcap_close(c->parent_cap);
	kcap_close(c->pd);
	free(c);
}

enum child_heartbeat child_heartbeat(child_t *c)
{
	enum child_heartbeat previous = CHILD_HEARTBEAT_ANSWERED;

	if (!kcap_valid(c->heartbeat_sigh) || c->exit_reported)
		return CHILD_HEARTBEAT_UNWATCHED;
	if (c->heartbeat_asked && !c->heartbeat_answered)
		previous = CHILD_HEARTBEAT_SKIPPED;
	c->heartbeat_asked = true;
	c->heartbeat_answered = false;
	/* a failed submit (the child is gone) shows as a skip next time */
	(void)ksignal_submit(c->heartbeat_sigh, 1);
	return previous;
}

bool child_resource_request(const child_t *c, uint64_t *ram, uint64_t *caps)
{
	if (!c->resource_pending)
		return false;
	*ram = c->resource_ram;
	*caps = c->resource_caps;
	return true;
}

void child_resource_answer(child_t *c)
{
	if (!c->resource_pending)
		return;
	c->resource_pending = false;
	if (kcap_valid(c->resource_sigh))
		(void)ksignal_submit(c->resource_sigh, 1);
}

int child_upgrade(child_t *c, uint64_t ram, uint64_t caps)
{
	const struct child_host *host = c->broker->host;
	char args[CHILD_ARGS_MAX + 1] = "";

	if (c->pd_id == CHILD_NO_ID)
		return KERR_INVALID;
	if (ram == 0 && caps == 0)
		return 0;
	if (arg_string_set_unsigned(args, sizeof(args), "ram_quota", ram) ||
	    arg_string_set_unsigned(args, sizeof(args), "cap_quota", caps))
		return KERR_INVALID;
	return host->upgrade(host->ctx, c->pd_id, args);
}

/* "ram_quota=R, cap_quota=C" into args[CHILD_ARGS_MAX + 1]. */
static int quota_args(char *args, uint64_t ram, uint64_t caps)
{
	args[0] = '\0';
	if (arg_string_set_unsigned(args, CHILD_ARGS_MAX + 1, "ram_quota",
	                            ram) ||
	    arg_string_set_unsigned(args, CHILD_ARGS_MAX + 1, "cap_quota",
	                            caps))
		return KERR_INVALID;
	return 0;
}

int child_downgrade(child_t *c, uint64_t ram, uint64_t caps)
{
	const struct child_host *host = c->broker->host;
	char args[CHILD_ARGS_MAX + 1];

	if (c->pd_id == CHILD_NO_ID || !host->downgrade)
		return KERR_INVALID;
	if (ram == 0 && caps == 0)
		return 0;
	if (quota_args(args, ram, caps))
		return KERR_INVALID;
	return host->downgrade(host->ctx, c->pd_id, args);
}

bool child_yield(child_t *c, uint64_t ram, uint64_t caps)
{
	c->yield_ram = ram;
	c->yield_caps = caps;
	if (!kcap_valid(c->yield_sigh) || c->exit_reported)
		return false;
	if (ram || caps)
		(void)ksignal_submit(c->yield_sigh, 1);
	return true;
}

/* --- spawning --------------------------------------------------------- */

static int fail(int status, char *error, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(int status, char *error, size_t size, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	str_vformat(error, size, fmt, args);
	va_end(args);
	return status;
}

/* Opens the child's PD session at the host with the child's quota as the
 * session's donation: the host's parent takes it from the host's PD and
 * makes it the new PD's quota, and gives it back when the PD is closed. */
static int open_pd(child_broker_t *b, const struct child_config *cfg,
                   kcap_t *pd, uint32_t *pd_id, char *error, size_t size)
{
	const struct child_host *host = b->host;
	char args[CHILD_ARGS_MAX + 1] = "";
	int status;

	if (arg_string_set_quoted(args, sizeof(args), "label", cfg->name) ||
	    arg_string_set_unsigned(args, sizeof(args), "ram_quota",
	                            cfg->ram) ||
	    arg_string_set_unsigned(args, sizeof(args), "cap_quota", cfg->caps))
		return fail(KERR_INVALID, error, size, "name too long");
	status = host->session(host->ctx, "PD", args, b->timeout_ms, pd_id, pd);
	if (status)
		return fail(
			status, error, size,
			"cannot open its PD session (ram %llu, caps %llu): %s",
			(unsigned long long)cfg->ram,
			(unsigned long long)cfg->caps,
			runtime_strerror(status));
	return 0;
}

/* Starts the child's program from the ROM module `binary`, whose session
 * the parent pays for (and gets back when it closes it right after). */
#define CHILD_ROM_RAM_QUOTA "8K"
#define CHILD_ROM_CAP_QUOTA "4"

/* The arguments of the binary's ROM session: its label and quota, then
 * the config's further ones (rom_args). */
static int binary_rom_args(const struct child_config *cfg, char *args,
                           size_t args_size, char *error, size_t size)
{
	args[0] = '\0';
	if (arg_string_set_quoted(args, args_size, "label", cfg->binary) ||
	    arg_string_set(args, args_size, "ram_quota", CHILD_ROM_RAM_QUOTA) ||
	    arg_string_set(args, args_size, "cap_quota", CHILD_ROM_CAP_QUOTA))
		return fail(KERR_INVALID, error, size, "binary name too long");
	if (!cfg->rom_args || !cfg->rom_args[0])
		return 0;
	if (arg_string_validate(cfg->rom_args, strlen(cfg->rom_args) + 1) ||
	    str_append_format(args, args_size, ", %s", cfg->rom_args) < 0)
		return fail(
			KERR_INVALID, error, size,
			"malformed or too long arguments of the binary's ROM "
			"session");
	return 0;
}

static int start_binary(child_t *c, const struct child_config *cfg, char *error,
                        size_t size)
{
	const struct child_host *host = c->broker->host;
	const char *binary = cfg->binary;
	char args[CHILD_ARGS_MAX + 1];
	uint32_t rom_id;
	kcap_t rom, ds;
	uint64_t rom_size;
	uint32_t version;
	int status;

	status = binary_rom_args(cfg, args, sizeof(args), error, size);
	if (status)
		return status;
	status = host->session(host->ctx, "ROM", args, c->broker->timeout_ms,
	                       &rom_id, &rom);
	if (status)
		return fail(status, error, size, "cannot open ROM \"%s\": %s",
		            binary, runtime_strerror(status));
	status = rom_dataspace(rom, &ds, &rom_size, &version);
	if (status) {
		fail(status, error, size, "ROM \"%s\": %s", binary,
		     rpc_strerror(&rom_rpc, status));
	} else {
		status = child_start(c, ds);
		if (status)
			fail(status, error, size, "cannot start \"%s\": %s",
			     binary, rpc_strerror(&pd_rpc, status));
		kcap_close(ds);
	}
	kcap_close(rom);
	host->close(host->ctx, rom_id);
	return status;
}

int child_spawn(child_broker_t *b, const struct child_config *cfg,
                const struct child_policy *policy, child_t **child, char *error,
                size_t size)
{
	kcap_t pd;
	uint32_t pd_id;
	child_t *c;
	int status;

	if (!child_name_valid(cfg->name))
		return fail(KERR_INVALID, error, size, "malformed child name");
	status = open_pd(b, cfg, &pd, &pd_id, error, size);
	if (status)
		return status;
	status = child_create(b, cfg->name, pd, pd_id, policy, &c); // NOLINT(clang-analyzer-core.CallAndMessage): open_pd sets pd and pd_id whenever it returns 0
	kcap_close(pd);
	if (status) {
		b->host->close(b->host->ctx, pd_id);
		return fail(status, error, size, "cannot serve its parent: %s",
		            runtime_strerror(status));
	}
	status = start_binary(c, cfg, error, size);
	if (status) {
		child_destroy(c);
		return status;
	}
	*child = c;
	return 0;
}
