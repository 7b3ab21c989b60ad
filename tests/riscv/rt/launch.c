/*
 * A stand-in for init on riscv, booted by core as boot module "init"
 * until init itself builds here (it needs cJSON for riscv64: branch
 * rvdepot). It is what init does, reduced to a fixed list: with
 * libruntime's child management (runtime/child.h) it starts the children
 * its "config" ROM lists (core serves boot module "init.config" as it),
 * one line each,
 *
 *     NAME RAM [SERVICE]
 *
 * NAME the boot module and the child's name, RAM its quota in MiB, and
 * SERVICE the one service it provides, which the others' requests for it
 * are routed to; every other request goes to core. When the last child
 * listed ends, every child is destroyed (the client first, so its closed
 * sessions are closed at their servers) and the launcher exits with that
 * child's exit code (100 + the exception's number if a fault ended it).
 * Other children that end are only logged, as core logs them too.
 */
#include <runtime/child.h>
#include <runtime/env.h>
#include <runtime/str.h>

#include <stdlib.h>
#include <string.h>

#define CHILDREN 6
#define CHILD_CAPS 100
#define SESSION_TIMEOUT_MS 5000

struct kid {
	char name[CHILD_NAME_MAX + 1];
	char service[SERVICE_NAME_MAX + 1]; /* "" if none */
	uint64_t ram;
	child_t *child;
};

struct launch {
	env_t *env;
	struct child_parent_host host;
	struct service_registry registry;
	child_broker_t *broker;
	struct kid kids[CHILDREN];
	unsigned count;
	int last_code;
	entrypoint_signal_t done;
	kcap_t done_cap;
};

static struct launch launch; /* the component's one state, as env's */

static const struct kid *server_of(const struct launch *l, const char *service)
{
	for (unsigned i = 0; i < l->count; i++)
		if (!strcmp(l->kids[i].service, service))
			return &l->kids[i];
	return NULL;
}

static void route(void *ctx, child_t *child, const char *service,
                  const char *label, struct child_route *r)
{
	(void)child;
	(void)label;
	const struct kid *server = server_of(ctx, service);
	r->kind = server ? CHILD_ROUTE_CHILD : CHILD_ROUTE_PARENT;
	if (server)
		str_copy(r->server, server->name, sizeof(r->server));
}

static void exited(void *ctx, child_t *child, bool fault, int code)
{
	struct launch *l = ctx;
	env_log(l->env, "%s %s %d", child_name(child),
	        fault ? "was ended by exception" : "exited with code", code);
	if (child != l->kids[l->count - 1].child)
		return;
	l->last_code = fault ? 100 + code : code;
	ksignal_submit(l->done_cap, 1);
}

static void session_failed(void *ctx, child_t *child, const char *service,
                           const char *label, int error, const char *reason)
{
	struct launch *l = ctx;
	env_log(l->env, "%s: %s session \"%s\" failed: %s (%s)",
	        child_name(child), service, label, runtime_strerror(error),
	        reason);
}

static const struct child_policy policy_template = {
	.route = route,
	.exited = exited,
	.session_failed = session_failed,
};

/* On the entrypoint, after the last child ended: the others go, the
 * launcher ends with the last one's code. */
static void finish(void *arg, uint32_t count)
{
	(void)count;
	struct launch *l = arg;
	for (unsigned i = l->count; i-- > 0;)
		if (l->kids[i].child)
			child_destroy(l->kids[i].child);
	env_exit(l->env, l->last_code);
}

/* One line "NAME RAM [SERVICE]" into kid; 0 or -1. */
static int parse_line(const char *line, size_t len, struct kid *kid)
{
	char text[128], *save = NULL;
	if (len >= sizeof(text))
		return -1;
	memcpy(text, line, len);
	text[len] = '\0';
	const char *name = strtok_r(text, " ", &save);
	const char *ram = strtok_r(NULL, " ", &save);
	const char *service = strtok_r(NULL, " ", &save);
	char *end;
	unsigned long mib = ram ? strtoul(ram, &end, 10) : 0;
	if (!name || !ram || *end || mib == 0 || mib > 64 ||
	    str_copy(kid->name, name, sizeof(kid->name)) < 0 ||
	    str_copy(kid->service, service ? service : "",
	             sizeof(kid->service)) < 0)
		return -1;
	kid->ram = (uint64_t)mib << 20;
	return 0;
}

static int read_config(struct launch *l)
{
	env_rom_t rom;
	int rc = env_rom_open(l->env, "config", &rom);
	if (rc || !rom.data)
		return -1;
	const char *at = rom.data, *end = rom.data + rom.size;
	while (at < end && l->count < CHILDREN) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t len = nl ? (size_t)(nl - at) : (size_t)(end - at);
		if (len && parse_line(at, len, &l->kids[l->count]) == 0)
			l->count++;
		else if (len)
			env_log(l->env, "config line ignored: %.*s", (int)len,
			        at);
		at += len + 1;
	}
	env_rom_close(&rom);
	return l->count ? 0 : -1;
}

static void start_kids(struct launch *l)
{
	for (unsigned i = 0; i < l->count; i++) {
		struct kid *k = &l->kids[i];
		char error[160];
		struct child_policy policy = policy_template;
		policy.ctx = l;
		const struct child_config config = {
			.name = k->name,
			.binary = k->name,
			.ram = k->ram,
			.caps = CHILD_CAPS,
		};
		if (child_spawn(l->broker, &config, &policy, &k->child, error,
		                sizeof(error)))
			env_log(l->env, "%s not started: %s", k->name, error);
	}
}

void component_construct(env_t *env)
{
	struct launch *l = &launch;
	l->env = env;
	service_registry_init(&l->registry);
	if (read_config(l) || child_parent_host_init(&l->host, env->parent)) {
		env_log(env, "no config ROM with children, or no PD");
		env_exit(env, 90);
	}
	const struct child_broker_config config = {
		.ep = env->ep,
		.host = &l->host.host,
		.registry = &l->registry,
		.timeout_ms = SESSION_TIMEOUT_MS,
	};
	if (child_broker_create(&l->broker, &config) ||
	    entrypoint_manage_signal(env->ep, &l->done, finish, l,
	                             &l->done_cap)) {
		env_log(env, "out of memory for the children");
		env_exit(env, 91);
	}
	env_log(env, "starting %u children", l->count);
	start_kids(l);
}
