/*
 * Init's routing decision: where a child's session request goes. It is the
 * decode step of a session request (in seL4's sense): it looks at the runtime
 * configuration model (format/runtime_config.h) and the request, decides, and
 * changes nothing. The plumbing that opens the session acts on the decision.
 *
 * The rules (runtime/format/README.md, "Routing"): init names the session
 * "<client>" when the child sent an empty label, else "<client> -> <label>";
 * the client's own route list is tried first, in order, then default_route;
 * the first rule whose service and label matchers all match decides. Its
 * target must be able to serve: the parent only for parent_provides, a named
 * child only if it provides the service, "any-child" the first other child in
 * start order that provides it. A child is never routed to itself.
 */
#ifndef INIT_ROUTE_H
#define INIT_ROUTE_H

#include "format/runtime_config.h"

/* Bytes of the label init forwards, "<client> -> <label>", without NUL. */
#define ROUTE_LABEL_MAX (RUNTIME_NAME_MAX + 4 + RUNTIME_LABEL_MAX)
#define ROUTE_REASON_MAX 512

enum route_target {
	ROUTE_TO_PARENT,
	ROUTE_TO_CHILD,
	ROUTE_DENIED,
};

struct route_decision {
	enum route_target target;
	const struct runtime_child *server; /* for ROUTE_TO_CHILD, else NULL */
	char label[ROUTE_LABEL_MAX + 1]; /* the label the server sees ("" if the
	                                        request was refused before naming it) */
	char reason[ROUTE_REASON_MAX];   /* which rule decided, or why denied */
	bool named_service;              /* the deciding rule names the service
	                                        (not "*"); false when no rule decided */
};

/*
 * Decides where the request of child `client` for `service` with the session
 * `label` (as the child sent it) goes, and returns decision->target.
 * Unknown clients, malformed service names and labels longer than
 * RUNTIME_LABEL_MAX or holding control characters are denied.
 */
enum route_target route_decide(const struct runtime_config *config,
                               const char *client, const char *service,
                               const char *label,
                               struct route_decision *decision);

#endif
