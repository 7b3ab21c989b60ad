/*
 * Init's side of sessions across nodes (README.md, "Routes to other
 * nodes"). The proxies themselves are ordinary children of the expanded
 * config (format/remote.h, made in reconfig.c); what init adds here is
 * hearing their links: each proxy opens a Report session labelled "link",
 * which init serves itself (a local route, as a child's "config" ROM),
 * and writes its link's state into it ({"state": "up", "error": ...}).
 * Init keeps the last word of each proxy and puts it, with the proxy's
 * modules and sessions, into the state report's "remote" list.
 * Entrypoint thread.
 */
#ifndef INIT_REMOTE_ROUTE_H
#define INIT_REMOTE_ROUTE_H

#include <stdbool.h>

#include <format/state_report.h>
#include <runtime/child.h>
#include <runtime/root_component.h>

struct init;
struct init_child;

/* What a proxy last said of its link. */
struct remote_link_word {
	char proxy[RUNTIME_NAME_MAX + 1]; /* "": a free slot */
	enum state_report_link link;
	char error[STATE_REPORT_REASON_MAX + 1]; /* "" when none */
};

struct remote_links {
	struct root_component root; /* the "link" Report sessions */
	bool serving;               /* root made (at the first proxy) */
	struct init *init;
	struct remote_link_word words[STATE_REPORT_REMOTE_MAX];
};

/*
 * Takes `length` bytes a proxy reported, JSON {"state": "up" |
 * "connecting" | "down" | "refused", "error": "..."}, into *w: true when
 * the state word is known (the error kept unless the link is up, cut to
 * STATE_REPORT_REASON_MAX bytes, bytes outside printable ASCII as '?');
 * false and *w
 * unchanged otherwise (remote_link_word.c, pure).
 */
bool remote_link_word_take(struct remote_link_word *w, const char *text,
                           size_t length);

/* Routes a proxy's Report "link" to init itself; false for every other
 * request (then init's routing decides). */
bool init_remote_route(struct init_child *ic, const char *service,
                       const char *label, struct child_route *route);

/* Fills report->remote from the running config's proxies, their last
 * words and the children's entries already in `report`. false when out
 * of memory. */
bool init_remote_report(struct init *init, struct state_report *report);

#endif
