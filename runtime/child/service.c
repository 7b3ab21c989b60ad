/*
 * The service registry of runtime/child (runtime/service.h): a locked list
 * of (service name, owner) -> root and PD capabilities, and the signal
 * capabilities of the threads waiting for a service to appear.
 */
#include <runtime/service.h>

#include <stdlib.h>
#include <string.h>

#include <runtime/str.h>

struct service_entry {
	struct list_elem elem;
	char name[SERVICE_NAME_MAX + 1];
	char owner[SERVICE_OWNER_MAX + 1];
	struct service_provider provider;
};

struct service_watcher {
	struct list_elem elem;
	kcap_t signal;
};

void service_registry_init(struct service_registry *reg)
{
	lock_init(&reg->lock);
	list_init(&reg->services);
	list_init(&reg->watchers);
}

void service_provider_close(struct service_provider *provider)
{
	kcap_close(provider->root);
	kcap_close(provider->pd);
	provider->root = KCAP_INVALID;
	provider->pd = KCAP_INVALID;
}

static void free_entry(struct service_entry *entry)
{
	service_provider_close(&entry->provider);
	free(entry);
}

void service_registry_destroy(struct service_registry *reg)
{
	struct list_elem *e;

	while ((e = list_first(&reg->services))) {
		list_remove(&reg->services, e);
		free_entry(container_of(e, struct service_entry, elem));
	}
	while ((e = list_first(&reg->watchers))) {
		struct service_watcher *w = container_of(e,
		                                         struct service_watcher,
		                                         elem);
		list_remove(&reg->watchers, e);
		kcap_close(w->signal);
		free(w);
	}
}

bool service_name_valid(const char *name)
{
	size_t len = str_length(name, SERVICE_NAME_MAX + 1);

	if (len == 0 || len > SERVICE_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		          c == '-';
		if (!ok)
			return false;
	}
	return true;
}

/* Precondition: reg->lock held. */
static struct service_entry *find(struct service_registry *reg,
                                  const char *name, const char *owner)
{
	for (struct list_elem *e = list_first(&reg->services); e;
	     e = list_next(e)) {
		struct service_entry *s = container_of(e, struct service_entry,
		                                       elem);
		if (!strcmp(s->name, name) && !strcmp(s->owner, owner))
			return s;
	}
	return NULL;
}

/* Precondition: reg->lock held. */
static void notify_watchers(struct service_registry *reg)
{
	for (struct list_elem *e = list_first(&reg->watchers); e;
	     e = list_next(e))
		ksignal_submit(container_of(e, struct service_watcher, elem)
		                       ->signal,
		               1);
}

static int copy_provider(const struct service_provider *from,
                         struct service_provider *to)
{
	to->root = KCAP_INVALID;
	to->pd = KCAP_INVALID;
	if (kcap_valid(from->root) && kcap_copy(from->root, &to->root))
		return SERVICE_ERR_NOMEM;
	if (kcap_valid(from->pd) && kcap_copy(from->pd, &to->pd)) {
		service_provider_close(to);
		return SERVICE_ERR_NOMEM;
	}
	return SERVICE_OK;
}

int service_registry_add(struct service_registry *reg, const char *name,
                         const char *owner,
                         const struct service_provider *provider)
{
	struct service_entry *entry;

	if (!service_name_valid(name) ||
	    str_length(owner, SERVICE_OWNER_MAX + 1) > SERVICE_OWNER_MAX)
		return SERVICE_ERR_INVALID;
	entry = calloc(1, sizeof(*entry));
	if (!entry)
		return SERVICE_ERR_NOMEM;
	str_copy(entry->name, name, sizeof(entry->name));
	str_copy(entry->owner, owner, sizeof(entry->owner));
	if (copy_provider(provider, &entry->provider)) {
		free(entry);
		return SERVICE_ERR_NOMEM;
	}

	LOCK_GUARD(&reg->lock);
	if (find(reg, name, owner)) {
		free_entry(entry);
		return SERVICE_ERR_EXISTS;
	}
	list_insert(&reg->services, &entry->elem, NULL);
	notify_watchers(reg);
	return SERVICE_OK;
}

int service_registry_lookup(struct service_registry *reg, const char *name,
                            const char *owner,
                            struct service_provider *provider)
{
	LOCK_GUARD(&reg->lock);
	struct service_entry *entry = find(reg, name, owner);

	if (!entry)
		return SERVICE_ERR_NOT_FOUND;
	return copy_provider(&entry->provider, provider);
}

int service_registry_remove_owner(struct service_registry *reg,
                                  const char *owner)
{
	int removed = 0;
	struct list_elem *e, *next;

	LOCK_GUARD(&reg->lock);
	for (e = list_first(&reg->services); e; e = next) {
		struct service_entry *s = container_of(e, struct service_entry,
		                                       elem);
		next = list_next(e);
		if (strcmp(s->owner, owner) != 0)
			continue;
		list_remove(&reg->services, e);
		free_entry(s);
		removed++;
	}
	if (removed)
		notify_watchers(reg);
	return removed;
}

int service_registry_watch(struct service_registry *reg, kcap_t signal)
{
	struct service_watcher *w = calloc(1, sizeof(*w));

	if (!w)
		return SERVICE_ERR_NOMEM;
	if (kcap_copy(signal, &w->signal)) {
		free(w);
		return SERVICE_ERR_NOMEM;
	}
	LOCK_GUARD(&reg->lock);
	list_insert(&reg->watchers, &w->elem, NULL);
	return SERVICE_OK;
}

void service_registry_unwatch(struct service_registry *reg, kcap_t signal)
{
	LOCK_GUARD(&reg->lock);
	for (struct list_elem *e = list_first(&reg->watchers); e;
	     e = list_next(e)) {
		struct service_watcher *w = container_of(e,
		                                         struct service_watcher,
		                                         elem);
		if (!kcap_same_object(w->signal, signal))
			continue;
		list_remove(&reg->watchers, e);
		kcap_close(w->signal);
		free(w);
		return;
	}
}
