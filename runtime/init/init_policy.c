/*
 * How init answers its children (init.h): the routing callback turns
 * route.c's decision into a runtime/child route (and serves the "config"
 * ROM itself), scoping every ROM request that goes to init's parent to
 * what the child may read (README.md, "ROM scoping"), and the other
 * callbacks put a child's end and its refused sessions into init's log in
 * words a person can act on.
 */
#include "init.h"

#include <stdarg.h>
#include <string.h>

#include <runtime/session_args.h>
#include <runtime/str.h>

#include "parent_rpc.h"
#include "route.h"

static void deny(struct child_route *r, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void deny(struct child_route *r, const char *format, ...)
{
	va_list args;

	r->kind = CHILD_ROUTE_DENIED;
	va_start(args, format);
	str_vformat(r->reason, sizeof(r->reason), format, args);
	va_end(args);
}

/* Sets where core takes a ROM from (rom_from, archive) for a request
 * route.c sends to the parent (README.md, "ROM scoping"), or denies it. */
static void scope_rom(const struct init_child *ic,
                      const struct route_decision *d, struct child_route *r)
{
	const char *name = session_label_last(d->label);
	const char *pkg = ic->entry->pkg;
	const char *archive;

	if (!pkg_rom_name_is_valid(name)) {
		deny(r, "ROM label \"%s\" does not end in a module name",
		     d->label);
		return;
	}
	if (d->named_service) { /* the config routes this ROM by name */
		if (child_route_set_arg(r, "rom_from", "config") ||
		    child_route_drop_arg(r, "archive"))
			deny(r, "cannot scope ROM \"%s\"", name);
		return;
	}
	if (!pkg) {
		if (child_route_set_arg(r, "rom_from", "boot") ||
		    child_route_drop_arg(r, "archive"))
			deny(r, "cannot scope ROM \"%s\"", name);
		return;
	}
	archive = ic->pkg ? pkg_table_find(ic->pkg, name) : NULL;
	if (!archive)
		deny(r, "ROM \"%s\" is in none of pkg %s's archives", name,
		     pkg);
	else if (child_route_set_arg(r, "rom_from", "depot") ||
	         child_route_set_arg(r, "archive", archive))
		deny(r, "cannot scope ROM \"%s\" to archive %s", name, archive);
}

static void route(void *ctx, child_t *child, const char *service,
                  const char *label, struct child_route *r)
{
	struct init_child *ic = ctx;
	struct init *init = ic->init;
	struct route_decision d;

	if (init_remote_route(ic, service, label, r))
		return;
	if (!strcmp(service, "ROM") && !strcmp(label, "config")) {
		r->kind = CHILD_ROUTE_LOCAL;
		r->local.root = ic->rom.root.cap;
		r->local.pd = init->host.host.pd;
		return;
	}
	switch (route_decide(init->config, child_name(child), service, label,
	                     &d)) {
	case ROUTE_TO_PARENT:
		r->kind = CHILD_ROUTE_PARENT;
		if (!strcmp(service, "ROM"))
			scope_rom(ic, &d, r);
		break;
	case ROUTE_TO_CHILD:
		r->kind = CHILD_ROUTE_CHILD;
		str_copy(r->server, d.server->name, sizeof(r->server));
		break;
	case ROUTE_DENIED:
		r->kind = CHILD_ROUTE_DENIED;
		str_copy(r->reason, d.reason, sizeof(r->reason));
		break;
	}
	if (d.label[0])
		str_copy(r->label, d.label, sizeof(r->label));
}

static void exited(void *ctx, child_t *child, bool fault, int code)
{
	(void)child;
	init_supervise_ended(ctx, fault, code);
}

static const char *error_name(int error)
{
	switch (error) {
	case PARENT_ERR_DENIED:
		return "denied";
	case PARENT_ERR_OUT_OF_RAM:
		return "out_of_ram";
	case PARENT_ERR_OUT_OF_CAPS:
		return "out_of_caps";
	case PARENT_ERR_UNRESPONSIVE:
		return "unresponsive";
	case PARENT_ERR_INVALID:
		return "invalid";
	default:
		return "refused";
	}
}

static void session_failed(void *ctx, child_t *child, const char *service,
                           const char *label, int error, const char *reason)
{
	struct init_child *ic = ctx;

	env_log(ic->init->env, "child \"%s\": %s session \"%s\" %s: %s",
	        child_name(child), service, label, error_name(error), reason);
}

/* The child's quota ran out: it waits; raising its quota in the config
 * answers it (init.c, update_child). */
static void resource_requested(void *ctx, child_t *child, uint64_t ram,
                               uint64_t caps)
{
	struct init_child *ic = ctx;

	env_log(ic->init->env,
	        "child \"%s\" ran out of quota and waits: it asks "
	        "for ram %llu and caps %llu more (it has ram %llu, caps %llu); "
	        "raise its \"ram\"/\"caps\" in the config to answer",
	        child_name(child), (unsigned long long)ram,
	        (unsigned long long)caps, (unsigned long long)ic->entry->ram,
	        (unsigned long long)ic->entry->caps);
	init_report_changed(&ic->init->report);
}

/* The child answered a yield request: take back what it freed. */
static void yielded(void *ctx, child_t *child)
{
	(void)child;
	init_downgrade_yielded(ctx);
}

const struct child_policy init_child_policy_template = {
	.route = route,
	.exited = exited,
	.session_failed = session_failed,
	.resource_requested = resource_requested,
	.yielded = yielded,
};
