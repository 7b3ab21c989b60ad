/*
 * Fake servers for the in-process tests of runtime/child: a core-like PD
 * service that keeps quota accounts and moves quota between them, a root
 * that opens LOG-like sessions and counts what it is asked, and a parent
 * host whose "parent services" are such roots too. They all run on one
 * entrypoint of their own, apart from the broker's, as other processes
 * would.
 */
#ifndef TESTS_CHILD_FAKES_H
#define TESTS_CHILD_FAKES_H

#include <runtime/child.h>

#include "cpu_rpc.h"
#include "log_rpc.h"
#include "parent_rpc.h"
#include "pd_rpc.h"
#include "root_rpc.h"

#define FAKE_SESSIONS 8
#define FAKE_DATASPACES 4

struct fake_pd {
	rpc_object_t obj;
	kcap_t cap;
	uint64_t ram, caps;                /* limits */
	kcap_t allocated[FAKE_DATASPACES]; /* what alloc made, not yet freed */
};

struct fake_log_session {
	rpc_object_t obj;
	kcap_t cap;
	bool open;
	unsigned lines;
};

/* A CPU session of a fake_root in CPU mode: remembers its bound PD. */
struct fake_cpu_session {
	rpc_object_t obj;
	kcap_t cap;
	bool open;
	kcap_t bound; /* a copy of the PD given to bind_pd */
};

struct fake_root {
	rpc_object_t obj;
	kcap_t cap;
	entrypoint_t *ep;
	unsigned opened, closed, upgrades;
	char last_args[ROOT_SESSION_ARGS_MAX + 1];
	struct fake_log_session sessions[FAKE_SESSIONS];
	bool cpu;         /* opens CPU sessions instead of LOG ones */
	bool refuse_bind; /* its CPU sessions refuse bind_pd */
	struct fake_cpu_session cpus[FAKE_SESSIONS];
};

/* The parent's parent, as the broker sees it through struct child_host:
 * every session it opens is a session at `root`. */
struct fake_host {
	struct child_host host;
	struct fake_root *root;
	unsigned opened, closed, upgrades;
	uint32_t next_id;
	kcap_t caps[FAKE_SESSIONS];
};

int fake_pd_start(struct fake_pd *pd, entrypoint_t *ep, uint64_t ram,
                  uint64_t caps);
void fake_pd_stop(struct fake_pd *pd);

int fake_root_start(struct fake_root *root, entrypoint_t *ep);
void fake_root_stop(struct fake_root *root);

void fake_host_init(struct fake_host *host, struct fake_root *root, kcap_t pd);
void fake_host_fini(struct fake_host *host);

#endif
