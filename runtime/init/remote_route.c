/*
 * Init's side of sessions across nodes (remote_route.h): the Report root
 * that hears the proxies' links, and the state report's "remote" list.
 * What a proxy writes is hostile input like any child's: it is copied out
 * of the shared buffer first (the proxy may change it meanwhile), bounded,
 * and decoded by remote_link_word.c before anything is kept.
 */
#include "remote_route.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <format/remote.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/session_args.h>
#include <runtime/str.h>

#include "init.h"
#include "report_rpc.h"
#include "root_rpc.h"

#define LINK_LABEL "link"
#define LINK_BUFFER 4096u   /* a state word, a node and an error */

struct link_session {
	struct root_session base;
	struct dataspace buffer; /* the proxy writes, init reads */
	struct remote_link_word *word;
};

static struct link_session *session_of(rpc_object_t *self)
{
	return container_of(root_session_of(self), struct link_session, base);
}

static int link_dataspace(rpc_object_t *self, kcap_t *ds, uint64_t *size)
{
	struct link_session *s = session_of(self);

	*ds = s->buffer.cap;
	*size = s->buffer.size;
	return 0;
}

static int link_submit(rpc_object_t *self, uint64_t length)
{
	struct link_session *s = session_of(self);
	struct remote_links *links = root_component_server(s->base.root);
	char copy[LINK_BUFFER];

	if (length > s->buffer.size || length > sizeof(copy))
		return REPORT_ERR_TOO_BIG;
	memcpy(copy, s->buffer.addr, (size_t)length);
	if (remote_link_word_take(s->word, copy, (size_t)length))
		init_report_changed(&links->init->report);
	return 0;
}

static const struct report_ops link_ops = {
	.dataspace = link_dataspace,
	.submit = link_submit,
};

/* The slot of `proxy`: its own, else a free one or one of a proxy the
 * running config no longer has. */
static struct remote_link_word *word_of(struct remote_links *links,
                                        const char *proxy)
{
	struct remote_link_word *free_slot = NULL;

	for (size_t i = 0; i < STATE_REPORT_REMOTE_MAX; i++) {
		struct remote_link_word *w = &links->words[i];
		if (!strcmp(w->proxy, proxy))
			return w;
		if (!free_slot &&
		    (!w->proxy[0] ||
		     !runtime_config_find_child(links->init->config, w->proxy)))
			free_slot = w;
	}
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		str_copy(free_slot->proxy, proxy, sizeof(free_slot->proxy));
	}
	return free_slot;
}

static int create_link(struct root_component *root, struct root_session *base,
                       const struct session_args *args, const char *raw_args,
                       const char **why)
{
	struct remote_links *links = root_component_server(root);
	struct link_session *s = container_of(base, struct link_session, base);
	char proxy[RUNTIME_NAME_MAX + 1];
	const char *end = strstr(args->label, " -> ");
	(void)raw_args;

	/* the label is init's own "<proxy> -> link" (init_remote_route) */
	str_copy(proxy, args->label,
	         end && (size_t)(end - args->label) < sizeof(proxy)
	                 ? (size_t)(end - args->label) + 1
	                 : sizeof(proxy));
	s->word = word_of(links, proxy);
	s->buffer = DATASPACE_EMPTY;
	if (!s->word) {
		*why = "init hears no more proxies";
		return ROOT_ERR_DENIED;
	}
	if (dataspace_alloc(&s->buffer, links->init->host.host.pd,
	                    LINK_BUFFER) ||
	    dataspace_attach(&s->buffer, false)) {
		dataspace_release(&s->buffer);
		*why = "init has no memory for the link's report";
		return ROOT_ERR_OUT_OF_RAM;
	}
	return 0;
}

/* The proxy ended or closed the session: its link ended with it. */
static void destroy_link(struct root_component *root, struct root_session *base)
{
	struct remote_links *links = root_component_server(root);
	struct link_session *s = container_of(base, struct link_session, base);

	dataspace_release(&s->buffer);
	if (!s->word)
		return;
	s->word->link = STATE_REPORT_LINK_DOWN;
	str_copy(s->word->error, "the proxy closed its report",
	         sizeof(s->word->error));
	init_report_changed(&links->init->report);
}

static const struct root_component_ops link_root_ops = {
	.create = create_link,
	.destroy = destroy_link,
};

static bool serve(struct init *init)
{
	struct remote_links *links = &init->remote;
	const struct root_component_config config = {
		.name = "Report",
		.iface = &report_rpc,
		.session_ops = &link_ops,
		ROOT_SESSION_LAYOUT(struct link_session, base),
		.ram_cost = LINK_BUFFER + 1024,
		.cap_cost = 2,
		.ops = &link_root_ops,
		.server = links,
	};

	if (links->serving)
		return true;
	links->init = init;
	links->serving = root_component_init(&links->root, init->env->ep,
	                                     &config) == 0;
	if (!links->serving)
		env_log(init->env, "cannot serve the proxies' link reports");
	return links->serving;
}

bool init_remote_route(struct init_child *ic, const char *service,
                       const char *label, struct child_route *route)
{
	struct runtime_remote_proxy proxy;

	if (strcmp(service, "Report") != 0 || strcmp(label, LINK_LABEL) != 0 ||
	    !runtime_child_is_remote_proxy(ic->entry, &proxy))
		return false;
	if (!serve(ic->init)) {
		route->kind = CHILD_ROUTE_DENIED;
		str_copy(route->reason, "init cannot hear link reports",
		         sizeof(route->reason));
		return true;
	}
	route->kind = CHILD_ROUTE_LOCAL;
	route->local.root = ic->init->remote.root.cap;
	route->local.pd = ic->init->host.host.pd;
	return true;
}

/* --- the state report ----------------------------------------------------- */

static bool copy_text(char **to, const char *text)
{
	*to = text ? strdup(text) : NULL;
	return !text || *to;
}

/* The proxy's modules, from the config init made for it (none for an RPC
 * proxy: its sessions say what crosses). */
static bool add_modules(struct state_report_remote *out,
                        const struct runtime_child *proxy)
{
	cJSON *config = cJSON_Parse(proxy->config ? proxy->config : "{}");
	const cJSON *modules = cJSON_GetObjectItemCaseSensitive(config,
	                                                        "modules"),
		    *m;
	size_t n = (size_t)cJSON_GetArraySize(modules);
	bool ok = true;

	out->modules.names = calloc(n ? n : 1, sizeof(*out->modules.names));
	ok = out->modules.names != NULL;
	cJSON_ArrayForEach (m, modules) {
		if (!ok || !cJSON_IsString(m) ||
		    out->modules.count == STATE_REPORT_MODULES_MAX)
			break;
		ok = copy_text(&out->modules.names[out->modules.count],
		               m->valuestring);
		out->modules.count += ok;
	}
	cJSON_Delete(config);
	return ok;
}

/* An import's sessions: the proxy's served list, as the children's entry
 * of the report has it. */
static bool add_sessions(struct state_report_remote *out,
                         const struct state_report_child *c)
{
	if (!c->served_count)
		return true;
	out->sessions = calloc(c->served_count, sizeof(*out->sessions));
	if (!out->sessions)
		return false;
	for (size_t i = 0; i < c->served_count; i++) {
		struct state_report_served *s =
			&out->sessions[out->session_count++];
		s->state = c->served[i].state;
		if (!copy_text(&s->client, c->served[i].client) ||
		    !copy_text(&s->label, c->served[i].label))
			return false;
	}
	return true;
}

static void link_state(const struct remote_links *links,
                       const struct state_report_child *c,
                       struct state_report_remote *out, const char **error)
{
	const struct remote_link_word *w = NULL;

	for (size_t i = 0; links->serving && i < STATE_REPORT_REMOTE_MAX && !w;
	     i++)
		if (!strcmp(links->words[i].proxy, c->name))
			w = &links->words[i];
	*error = NULL;
	if (c->state != STATE_REPORT_RUNNING) {
		out->link = STATE_REPORT_LINK_DOWN;
		*error = "the proxy does not run";
	} else if (w) {
		out->link = w->link;
		*error = w->error[0] && w->link != STATE_REPORT_LINK_UP
		                 ? w->error
		                 : NULL;
	} else {
		out->link = STATE_REPORT_LINK_CONNECTING;
	}
}

bool init_remote_report(struct init *init, struct state_report *report)
{
	const struct runtime_config *config = init->config;
	size_t proxies = 0;

	for (size_t i = 0; i < report->child_count; i++) {
		struct runtime_remote_proxy proxy;
		proxies += runtime_child_is_remote_proxy(&config->start[i],
		                                         &proxy);
	}
	if (!proxies)
		return true;
	report->remote = calloc(proxies, sizeof(*report->remote));
	if (!report->remote)
		return false;
	for (size_t i = 0; i < report->child_count; i++) {
		const struct runtime_child *entry = &config->start[i];
		struct runtime_remote_proxy proxy;
		const char *error;
		if (!runtime_child_is_remote_proxy(entry, &proxy))
			continue;
		struct state_report_remote *out =
			&report->remote[report->remote_count++];
		out->export = !proxy.client;
		link_state(&init->remote, &report->children[i], out, &error);
		if (!copy_text(&out->node, proxy.node) ||
		    !copy_text(&out->proxy, entry->name) ||
		    !copy_text(&out->service, proxy.service) ||
		    !copy_text(&out->error, error) ||
		    !add_modules(out, entry) ||
		    (proxy.client && !add_sessions(out, &report->children[i])))
			return false;
	}
	return true;
}
