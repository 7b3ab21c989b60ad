/*
 * Service registry of a parent (Genode's Service registry): the services a
 * parent can hand its children's session requests to. Part of runtime/child,
 * the child management of libruntime.
 *
 *   local    served by the parent itself (e.g. init's per-child "config"
 *            ROM); the donated quota goes to the parent's own PD
 *   child    announced by one of the parent's children with
 *            parent.announce(); the donated quota goes to that child's PD
 *
 * Services of the parent's own parent are not registered: a route to the
 * parent forwards the request (see child.h).
 *
 * An entry holds its own copies of the root and PD capabilities. A lookup
 * copies them out again (service_registry_lookup), so a session keeps
 * working capabilities even when the entry goes away with its child.
 *
 * Threads waiting for a service that has not been announced yet register a
 * signal capability (service_registry_watch); every change submits to it.
 * All functions are thread-safe (one lock inside).
 */
#ifndef RUNTIME_SERVICE_H
#define RUNTIME_SERVICE_H

#include <runtime/error.h>
#include <stdbool.h>

#include <kernel/kernel.h>
#include <runtime/list.h>
#include <runtime/lock.h>

#define SERVICE_NAME_MAX 32u     /* bytes without NUL, as parent.rpc allows */
#define SERVICE_OWNER_MAX 64u    /* a child's name */

enum service_error {
	SERVICE_OK = 0,
	SERVICE_ERR_INVALID = RUNTIME_ERR_SERVICE_BASE,
	/* name malformed or too long */
	SERVICE_ERR_EXISTS, /* the owner already offers that service */
	SERVICE_ERR_NOT_FOUND,
	SERVICE_ERR_NOMEM,
};

/* Who serves: the parent itself (owner "") or the named child. */
struct service_provider {
	kcap_t root; /* the root interface */
	kcap_t pd;   /* the PD session that receives donated quota */
};

struct service_registry {
	struct lock lock;     /* guards both lists */
	struct list services; /* struct service_entry */
	struct list watchers; /* struct service_watcher */
};

void service_registry_init(struct service_registry *reg);

/* Frees every entry and forgets every watcher. */
void service_registry_destroy(struct service_registry *reg);

/* Whether `name` is a service name: 1..SERVICE_NAME_MAX bytes of
 * [A-Za-z0-9_.-]. */
bool service_name_valid(const char *name);

/* Registers service `name` of `owner` ("" for the parent's own). Copies
 * the capabilities. SERVICE_ERR_EXISTS when the owner offers it already. */
int service_registry_add(struct service_registry *reg, const char *name,
                         const char *owner,
                         const struct service_provider *provider);

/* Copies the provider of service `name` of `owner` into *provider (fresh
 * selectors the caller closes with service_provider_close()). */
int service_registry_lookup(struct service_registry *reg, const char *name,
                            const char *owner,
                            struct service_provider *provider);

/* Removes every service of `owner` (a child that went away). Returns how
 * many there were. */
int service_registry_remove_owner(struct service_registry *reg,
                                  const char *owner);

/* Signals `signal` (a copy is kept) on every later add or removal, until
 * service_registry_unwatch() with the same selector. */
int service_registry_watch(struct service_registry *reg, kcap_t signal);
void service_registry_unwatch(struct service_registry *reg, kcap_t signal);

void service_provider_close(struct service_provider *provider);

#endif /* RUNTIME_SERVICE_H */
