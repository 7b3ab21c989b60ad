/*
 * Init's state report: the JSON document in which init says what runs (its
 * config version, its own quota, and per child the state, id, quota and
 * sessions), written through core's Report service to the target's
 * report/init.state. Both sides read it: init writes it
 * (state_report_to_json), host tools such as `sculpt status` and the
 * scenario checker tests/scenarios/state_report_check.c parse it
 * (state_report_parse). This one header is the format's C model;
 * runtime/format/README.md ("The state report") is its document. Part of
 * libformat, which depends only on cJSON, so host tools link it.
 *
 * Compatibility: a newer init may add fields, so the parser ignores
 * fields it does not know (at every level) and a host tool reads older and
 * newer reports alike. It refuses what it cannot understand: a missing
 * field it needs, a known field of the wrong type or out of its range, a
 * known field given twice, an enumerated word it does not know (a new
 * state is a change of meaning, not an addition).
 *
 * Parsing is all or nothing and linear in the input, bounded by
 * STATE_REPORT_INPUT_MAX bytes (the largest report core's Report service
 * holds) and libformat's rules for JSON text (no NUL, nesting at most
 * RUNTIME_NESTING_MAX deep, nothing after the value).
 *
 * Invariants of a parsed model (kept by state_report_parse, expected of a
 * model given to state_report_to_json):
 *   - child names are unique, match [a-z0-9_.-]+, at most RUNTIME_NAME_MAX
 *     bytes; ids are unique and at least 1;
 *   - every child has binary or pkg or both (a pkg child that names
 *     which binary of its archives runs: init's remote proxies);
 *   - has_exit_code exactly when state is EXITED; reason is non-NULL and
 *     non-empty exactly when state is INCOMPLETE or FAILED;
 *   - server is non-NULL exactly when a requested session is bound to a
 *     CHILD;
 *   - every remote entry's proxy is one of the children; error is NULL
 *     when its link is UP;
 *   - every number is at most STATE_REPORT_NUMBER_MAX (exact in JSON);
 *   - lists hold at most the *_MAX entries below.
 * Every string and array is owned by the model and allocated with malloc;
 * state_report_free frees them all. A writer that builds a model by hand
 * allocates the same way.
 */
#ifndef FORMAT_STATE_REPORT_H
#define FORMAT_STATE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/runtime_config.h"

#define STATE_REPORT_INPUT_MAX 1048576        /* bytes of a report */
#define STATE_REPORT_LABEL_MAX 400            /* a session label, bytes */
#define STATE_REPORT_REASON_MAX 511           /* a child's reason, bytes */
#define STATE_REPORT_REQUESTED_MAX 256        /* sessions a child requested */
#define STATE_REPORT_SERVED_MAX 1024          /* sessions listed as served */
#define STATE_REPORT_NUMBER_MAX ((UINT64_C(1) << 53) - 1)

enum state_report_child_state {
	STATE_REPORT_STARTING,
	STATE_REPORT_RUNNING,
	STATE_REPORT_INCOMPLETE,
	STATE_REPORT_EXITED,
	STATE_REPORT_RESTARTING,
	STATE_REPORT_FAILED,
};

enum state_report_session_state {
	STATE_REPORT_PENDING, /* asked for, not answered yet */
	STATE_REPORT_READY,   /* open */
	STATE_REPORT_DENIED,  /* refused (or it failed to open); the client
	                           has not taken the answer yet */
	STATE_REPORT_CLOSED,  /* was open; ended by its server's end or a
	                           route change, the client has yet to learn */
};

/* Where a requested session is bound now. */
enum state_report_bound {
	STATE_REPORT_BOUND_NONE, /* nowhere (pending to a parent, denied, closed) */
	STATE_REPORT_BOUND_PARENT, /* init's parent */
	STATE_REPORT_BOUND_INIT,   /* init itself (the child's "config" ROM) */
	STATE_REPORT_BOUND_CHILD,  /* the child named `server` */
};

/* RAM in bytes or capabilities. `assigned` (children only): what the
 * config gives the child; the others are its PD's account at core: its
 * quota, what it uses, and what is left (avail = quota - used). */
struct state_report_amounts {
	uint64_t assigned;
	uint64_t quota;
	uint64_t used;
	uint64_t avail;
};

struct state_report_requested {
	char *service;
	char *label; /* as the server sees it */
	enum state_report_bound bound;
	char *server; /* BOUND_CHILD: its name, else NULL */
	enum state_report_session_state state;
};

struct state_report_served {
	char *client; /* the child that asked */
	char *label;  /* as this child (the server) sees it */
	enum state_report_session_state state;
};

struct state_report_child {
	char *name;
	char *binary;  /* or NULL when pkg is set; with pkg,
	                                     the binary the entry names */
	char *pkg;     /* or NULL when binary is set */
	char *version; /* the entry's `version`, or NULL */
	uint64_t id;   /* never reused within init's life */
	enum state_report_child_state state;
	bool has_exit_code;
	int32_t exit_code; /* EXITED */
	char *reason;      /* INCOMPLETE, FAILED; else NULL */
	uint64_t restarts;
	uint64_t skipped_heartbeats; /* in a row, unanswered; 0: absent */
	bool has_resource_request;   /* it waits for more quota: */
	uint64_t request_ram, request_caps; /* what it asked for */
	bool has_yield_request;             /* its quota was lowered and init
	                                     waits for it to yield: */
	uint64_t yield_ram, yield_caps;     /* what init still takes back */
	struct state_report_amounts ram, caps;
	struct runtime_name_list provides;
	struct state_report_requested *requested;
	size_t requested_count;
	struct state_report_served *served;
	size_t served_count;
	uint64_t served_left_out; /* served sessions not listed */
};

/* The state of a link to another node, as its proxy last reported it. */
enum state_report_link {
	STATE_REPORT_LINK_CONNECTING, /* no link yet (or no word from the
	                                     proxy yet); trying */
	STATE_REPORT_LINK_UP,
	STATE_REPORT_LINK_DOWN,    /* lost, or the proxy does not run;
	                                     trying again */
	STATE_REPORT_LINK_REFUSED, /* the last attempt refused a key */
};

#define STATE_REPORT_REMOTE_MAX 64    /* 2 * RUNTIME_NODES_MAX: both ways */
#define STATE_REPORT_MODULES_MAX 31   /* modules of one proxy */

/* One of init's remote proxies (runtime/format/README.md, "Routes to
 * other nodes"): the node, which way, its link and its sessions. */
struct state_report_remote {
	char *node;
	char *proxy;   /* the proxy child's name */
	bool export;   /* serves this node's ROMs to the
	                                     node (else imports from it) */
	char *service; /* "ROM" */
	enum state_report_link link;
	char *error; /* why it is not up, or NULL */
	struct runtime_name_list modules;
	struct state_report_served *sessions; /* import: this node's
	                                          sessions at the proxy */
	size_t session_count;
};

struct state_report {
	char *config_version; /* the config's `version`, or NULL */
	struct state_report_remote *remote;
	size_t remote_count; /* at most STATE_REPORT_REMOTE_MAX */
	struct state_report_amounts ram, caps; /* init's own (no assigned) */
	struct state_report_child *children;
	size_t child_count;     /* at most RUNTIME_CHILDREN_MAX */
	bool sessions_left_out; /* no session lists (too large) */
};

/*
 * Parses and checks `length` bytes of `text` (no NUL needed). On
 * RUNTIME_CONFIG_OK, *out is a new model for state_report_free; on any
 * other status (RUNTIME_CONFIG_BAD_JSON, _INVALID, _NO_MEMORY) *out is
 * NULL and error->message says what is wrong, naming the entry
 * ("children[2] \"hello\": requested[0]: ...").
 */
enum runtime_config_status state_report_parse(
	const char *text, size_t length, struct state_report **out,
	struct runtime_config_error *error);

void state_report_free(struct state_report *report);

/*
 * The report's JSON text: unformatted, keys in the README's order, absent
 * optional fields left out, so that equal models give equal text (init
 * compares texts to skip identical reports). NULL with error->message set
 * when the model breaks an invariant, or when memory runs out.
 */
char *state_report_to_json(const struct state_report *report,
                           struct runtime_config_error *error);

/* The words of the document ("running", "ready", "parent", ...). */
const char *state_report_child_state_name(enum state_report_child_state state);
const char *state_report_session_state_name(enum state_report_session_state
                                                    state);
const char *state_report_bound_name(enum state_report_bound bound);
const char *state_report_link_name(enum state_report_link link);

#endif
