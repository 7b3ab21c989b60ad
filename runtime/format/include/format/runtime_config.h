/*
 * The runtime configuration: the JSON document that tells init which children
 * to start and how to route their session requests. Both sides of the system
 * read it: init on the target (from its config ROM) and the host tools (the
 * `sculpt` CLI writes it, the depot's pkg `runtime` files feed it). This one
 * header is the format's C model; runtime/format/README.md is its document.
 * libformat depends only on cJSON, never on libruntime, so host tools link it.
 *
 * Parsing is all or nothing: runtime_config_parse returns either a complete
 * model that satisfies every invariant below, or an error whose message names
 * the entry and field a person must fix. Nothing is half-applied.
 *
 * Invariants of a parsed model (kept by runtime_config_parse, relied on by
 * init's route decision and by runtime_config_to_json):
 *   - every child name matches [a-z0-9_.-]+, is at most RUNTIME_NAME_MAX
 *     bytes, is not "parent", "any-child", "." or "..", and is unique among
 *     the children;
 *   - every child has binary or pkg or both (with pkg, binary names which
 *     program of the pkg's archives runs instead of its runtime file's:
 *     how init starts its remote proxies from a base pkg, format/remote.h);
 *   - a binary child has ram_given, caps_given and provides_given set (its
 *     caps default to RUNTIME_DEFAULT_CAPS, its provides to none); a pkg
 *     child has them set for the fields its entry gives, and ram, caps and
 *     provides are zero/empty where it does not (the pkg's runtime file
 *     gives them: runtime_child_apply_pkg, format/pkg_runtime.h);
 *   - every rule naming a child (RUNTIME_TO_CHILD) names an existing child
 *     other than the one whose route list holds it; when the rule's service
 *     is not "*" and that child's provides are given, it provides the
 *     service (a pkg child without its own provides is checked per request);
 *   - every rule to the parent with a service other than "*" names a service
 *     in parent_provides;
 *   - service names match [A-Za-z0-9_.-]+ (or are "*" in a rule) and lists of
 *     services hold no duplicates;
 *   - config, when present, is the canonical (unformatted) JSON text of an
 *     object;
 *   - a rule to another node (RUNTIME_TO_NODE) names a node listed in
 *     nodes (not node_name), the same service on both sides (none of the
 *     proxies' own: Net, LOG, PD, CPU, RM, Report) and, for "ROM" only, a
 *     module name in to_label; nodes, exports and such rules come only
 *     with node_name, node_key and node_cert; node names and fingerprints
 *     are unique; a ROM export names a module and a listed node that has
 *     a port, any other export no module and a port of its own, distinct
 *     from every other export's and node's (format/remote.h).
 * Every string and array in a model is owned by it and allocated with
 * malloc, so runtime_config_free frees them all; a tool that builds a model
 * by hand (to write it with runtime_config_to_json) allocates the same way
 * and keeps the invariants.
 */
#ifndef FORMAT_RUNTIME_CONFIG_H
#define FORMAT_RUNTIME_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits, in bytes without the terminating NUL unless said otherwise. */
#define RUNTIME_NAME_MAX 64              /* child and service names */
#define RUNTIME_ROM_NAME_MAX 128         /* binary */
#define RUNTIME_PKG_MAX 256              /* pkg path user/pkg/name/version */
#define RUNTIME_LABEL_MAX 256            /* label matchers, session labels */
#define RUNTIME_VERSION_MAX 64           /* version strings */
#define RUNTIME_CONFIG_TEXT_MAX 65536    /* a child's canonical config text */
#define RUNTIME_CONFIG_INPUT_MAX 1048576 /* the whole document */
#define RUNTIME_NESTING_MAX 64           /* depth of JSON arrays and objects */
#define RUNTIME_CHILDREN_MAX 1024        /* entries of "start" */
#define RUNTIME_RULES_MAX 256            /* rules of one route list */
#define RUNTIME_SERVICES_MAX 64          /* parent_provides, one provides */
#define RUNTIME_RAM_MAX (UINT64_C(1) << 48)
#define RUNTIME_CAPS_MAX UINT64_C(4294967295)
#define RUNTIME_DELAY_MS_MAX 60000
#define RUNTIME_HEARTBEAT_RATE_MIN 50    /* init's tick (runtime/init/ticker.h) */
#define RUNTIME_HEARTBEAT_RATE_MAX 3600000
#define RUNTIME_SKIPPED_MAX 1000000      /* restart_after_skipped */
#define RUNTIME_YIELD_DEADLINE_MIN 50    /* init's tick (runtime/init/ticker.h) */
#define RUNTIME_YIELD_DEADLINE_MAX 600000
#define RUNTIME_YIELD_DEADLINE_DEFAULT 2000
#define RUNTIME_DEFAULT_CAPS 50          /* caps of a child that gives none */
#define RUNTIME_CONFIG_ERROR_MAX 512     /* bytes of an error message, NUL included */
#define RUNTIME_NODE_NAME_MAX 40         /* a node's name (proxy names grow by 16) */
#define RUNTIME_NODES_MAX 32             /* entries of "nodes" */
#define RUNTIME_EXPORTS_MAX 256          /* entries of "exports" */
#define RUNTIME_FINGERPRINT_LEN 71       /* "sha256:" and 64 hex digits */

enum runtime_config_status {
	RUNTIME_CONFIG_OK = 0,
	RUNTIME_CONFIG_BAD_JSON, /* not JSON at all; message has line/column */
	RUNTIME_CONFIG_INVALID,  /* JSON, but not a valid configuration */
	RUNTIME_CONFIG_OVER_QUOTA, /* runtime_config_check_quota refused */
	RUNTIME_CONFIG_NO_MEMORY,
};

/* The words a person reads when a function above fails. */
struct runtime_config_error {
	char message[RUNTIME_CONFIG_ERROR_MAX];
};

enum runtime_route_to {
	RUNTIME_TO_PARENT,    /* init's parent; only for parent_provides */
	RUNTIME_TO_CHILD,     /* the child named in `child` */
	RUNTIME_TO_ANY_CHILD, /* the first other child that provides it */
	RUNTIME_TO_NODE, /* another node: `node`, `node_service`, `to_label`
	                          (format/remote.h; gone after the expansion) */
};

/*
 * One route rule. It matches a request when its service equals the requested
 * one (or is "*") and every label matcher that is not NULL matches the full
 * session label (see the README for the label rules).
 */
struct runtime_route_rule {
	char *service;      /* a service name or "*" */
	char *label;        /* exact label, or NULL */
	char *label_prefix; /* or NULL */
	char *label_suffix; /* or NULL */
	char *label_last;   /* element after the final " -> ", or NULL */
	enum runtime_route_to to;
	char *child;        /* the target for RUNTIME_TO_CHILD, else NULL */
	char *node;         /* RUNTIME_TO_NODE: the node's name, else NULL */
	char *node_service; /* RUNTIME_TO_NODE: the service there ("ROM") */
	char *to_label;     /* the label the server sees instead of the
	                        session label: a remote route's "label"; NULL
	                        means the session label */
};

struct runtime_route_list {
	struct runtime_route_rule *rules;
	size_t count;
};

struct runtime_name_list {
	char **names;
	size_t count;
};

/* What init does when a child's program ends on its own (runtime/init/
 * README.md, "Restart policy"). */
enum runtime_restart {
	RUNTIME_RESTART_NEVER = 0,  /* it stays exited or failed (default) */
	RUNTIME_RESTART_ON_FAILURE, /* again after a fault or a nonzero exit */
	RUNTIME_RESTART_ALWAYS,     /* again after any end, exit 0 included */
};

struct runtime_child {
	char *name;
	char *binary; /* ROM name of the binary; with pkg, a file of its
	                       archives, NULL: the runtime file's binary */
	char *pkg;    /* "user/pkg/name/version", or NULL when binary is set */
	uint64_t ram; /* bytes */
	uint64_t caps;
	struct runtime_name_list provides;
	struct runtime_route_list route;
	char *config;  /* canonical JSON text for the config ROM, or NULL */
	char *version; /* changing it restarts the child, or NULL */
	enum runtime_restart restart;
	uint32_t restart_after_skipped; /* restart after this many heartbeats
	                                   in a row unanswered; 0: never */
	bool ram_given;      /* the entry gives ram (always for binary) */
	bool caps_given;     /* the entry gives caps (always for binary) */
	bool provides_given; /* the entry gives provides (always for binary) */
};

/* A peer node (format/remote.h): its name, its pinned key, the port this
 * node listens on for its link (0: none, nothing is exported to it), and
 * the link's keepalive: after keepalive_ms of quiet the proxy pings the
 * peer, after three times that it gives the link up (0: the proxies'
 * default, 5000; else RUNTIME_KEEPALIVE_MIN_MS..RUNTIME_KEEPALIVE_MAX_MS,
 * the range the link takes: LINK_IDLE_MIN_MS..MAX_MS in remote/link.h). */
#define RUNTIME_KEEPALIVE_MIN_MS 100u
#define RUNTIME_KEEPALIVE_MAX_MS 60000u
struct runtime_node {
	char *name;
	char *fingerprint; /* "sha256:" and 64 lowercase hex digits */
	uint32_t port;
	uint32_t keepalive_ms;
};

/* What this node serves to a peer: `service`, taken from `from`; for
 * "ROM" the module `label` (its name as the peer asks for it), for any
 * other service (the RPC proxies) the `port` its proxy listens on. */
struct runtime_export {
	char *node;
	char *service;
	char *label;                /* ROM: the module; else NULL */
	uint32_t port;              /* not ROM: 1..65535; ROM: 0 */
	enum runtime_route_to from; /* RUNTIME_TO_PARENT or RUNTIME_TO_CHILD */
	char *from_child;           /* for RUNTIME_TO_CHILD, else NULL */
};

struct runtime_config {
	char *version;   /* or NULL */
	char *node_name; /* this node ("node"), or NULL */
	char *node_key;  /* ROM of its private key, or NULL */
	char *node_cert; /* ROM of its certificate, or NULL */
	char *node_pkg;  /* the pkg whose archives hold the
	                                       proxies ("node" "pkg"), or NULL:
	                                       they are boot modules */
	struct runtime_node *nodes;
	size_t node_count;
	struct runtime_export *exports;
	size_t export_count;
	struct runtime_name_list parent_provides;
	struct runtime_route_list default_route;
	bool report; /* whether "report" was given */
	uint32_t report_delay_ms;
	uint32_t heartbeat_rate_ms; /* 0: no heartbeats */
	uint32_t yield_deadline_ms; /* how long a child whose quota
	                                       was lowered has to yield; 0:
	                                       not given (the default) */
	struct runtime_child *start;
	size_t start_count;
};

/*
 * Parses and validates `length` bytes of `text` (no NUL needed). On
 * RUNTIME_CONFIG_OK, *out is a new model for runtime_config_free; on any other
 * status *out is NULL and error->message says what to fix.
 */
enum runtime_config_status runtime_config_parse(
	const char *text, size_t length, struct runtime_config **out,
	struct runtime_config_error *error);

void runtime_config_free(struct runtime_config *config);

/*
 * The canonical JSON text of a model: unformatted, fixed key order, sizes in
 * bytes, absent optional fields left out. Parsing it gives an equal model.
 * Returns a string for free(), or NULL when out of memory.
 */
char *runtime_config_to_json(const struct runtime_config *config);

/*
 * Checks that the children's ram and caps, summed in start order, fit in what
 * init has available. On RUNTIME_CONFIG_OVER_QUOTA the message names the first
 * child that does not fit.
 */
enum runtime_config_status runtime_config_check_quota(
	const struct runtime_config *config, uint64_t ram_available,
	uint64_t caps_available, struct runtime_config_error *error);

/* Frees what a child owns and zeroes it (for a child made by
 * runtime_child_apply_pkg, or taken out of a model). */
void runtime_child_clear(struct runtime_child *child);

/* Frees the names of a list and empties it. */
void runtime_name_list_clear(struct runtime_name_list *list);

/* The child called `name`, or NULL. */
const struct runtime_child *runtime_config_find_child(
	const struct runtime_config *config, const char *name);

/* The word of a restart policy in the config ("never", "on-failure",
 * "always"). */
const char *runtime_restart_word(enum runtime_restart restart);

/* Whether `name` is a valid service name: [A-Za-z0-9_.-]+, at most
 * RUNTIME_NAME_MAX bytes. */
bool runtime_service_name_is_valid(const char *name);

/* Whether `label` is empty or at most RUNTIME_LABEL_MAX bytes of
 * printable UTF-8: the config's rule for text (no C0, DEL or C1 control,
 * no invalid or overlong sequence), applied to a label a component chose. */
bool runtime_label_is_printable(const char *label);

/* Whether `list` holds `name`. */
bool runtime_name_list_has(const struct runtime_name_list *list,
                           const char *name);

#endif
