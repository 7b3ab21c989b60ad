/*
 * The inside of the RPC proxy engine (proxy.h), shared by its rooms:
 * proxy_tables.c (exports and stand-ins of a link), proxy_calls.c (this
 * node's requests, the forwarding invoke, the worker that replays the
 * peer's) and proxy.c (the link thread, creation).
 *
 * Invariants (under p->lock):
 *  - an export's slot is in use in p->refs exactly while exports[slot].kind
 *    is non-zero; it owns its capability (and, for memory, the mapping and
 *    the shadow of what the peer was sent);
 *  - an import is FREE, RESERVED (being set up by one thread, outside the
 *    lock) or LIVE; only LIVE ones are dissolved by others;
 *  - whoever fills a slot or counts a signal for the link thread wakes
 *    it (wake_link), so it sleeps until there is work: the link thread
 *    never polls;
 *  - at most one request of this node (p->pending) and one of the peer
 *    (p->busy) is in flight; a second one from the peer while the first
 *    is of the same link kills the link.
 */
#ifndef REMOTE_RPC_PROXY_IMPL_H
#define REMOTE_RPC_PROXY_IMPL_H

#include <runtime/dataspace.h>
#include <runtime/lock.h>
#include <runtime/semaphore.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#include "proxy.h"
#include "ref_table.h"

_Static_assert(PROXY_CAPS_MAX == KMSG_MAX_CAPS,
               "a message's capabilities cross");
_Static_assert(PROXY_DATA_MAX == KMSG_MAX_BYTES, "a message's bytes cross");
_Static_assert(PROXY_MSG_MAX == FRAME_PAYLOAD_MAX,
               "a proxy message is a link message");

#define IMPORTS_MAX      256u
#define CALL_TIMEOUT_MS  10000   /* a replayed call; below the keepalive's dead_ms */
#define REFRESH_MS       100     /* dataspace copies are compared at least this often */
#define IMPORT_BYTES_MAX (16u << 20)  /* dataspace copies one peer may make us hold */
#define PLACEHOLDER      (-100)  /* capability index j decodes as PLACEHOLDER - j */

enum import_state { IMPORT_FREE, IMPORT_RESERVED, IMPORT_LIVE };

struct export
{
	uint32_t kind; /* PROXY_CAP_*; 0: free */
	uint32_t session;
	kcap_t cap;
	struct dataspace ds; /* MEMORY: mapped read-only */
	uint8_t *shadow;     /* MEMORY: what the peer has */
	int sent;            /* MEMORY: the shadow is the peer's */
};

struct import {
	enum import_state state;
	uint32_t kind;
	uint32_t session;
	struct proxy_ref remote;
	struct proxy *proxy;
	kcap_t cap;                 /* what this node's clients get */
	rpc_object_t obj;           /* OBJECT */
	struct proxy_target target; /* OBJECT */
	signal_dispatcher_t sig;    /* SIGNAL */
	uint32_t pending;           /* SIGNAL: counts not yet sent */
	struct dataspace ds;        /* MEMORY: attached writable */
};

/* A message between a thread and the link thread. */
struct slot {
	int full;
	uint32_t len;
	uint8_t buf[PROXY_MSG_MAX];
};

struct proxy {
	struct proxy_config cfg;
	struct lock lock;
	int up;
	uint32_t epoch; /* raised at every link up and down */
	uint32_t next_tag;
	struct ref_table refs;
	struct export exports[REF_SLOTS];
	struct import imports[IMPORTS_MAX];
	uint64_t import_bytes;
	int signals_pending;
	/* this node's request (entrypoint thread) */
	struct slot request;
	int pending, answered;
	uint32_t request_tag;
	struct semaphore answer_sem;
	struct proxy_msg answer; /* data in answer_buf */
	uint8_t answer_buf[PROXY_MSG_MAX];
	/* the peer's request (worker thread) */
	struct slot incoming;
	int busy;
	uint32_t incoming_epoch;
	struct semaphore work_sem;
	struct slot reply;
	struct thread worker;
	kmsg_t fw_req, fw_rep; /* entrypoint thread's */
	kmsg_t wk_req, wk_rep; /* worker's */
	rpc_value_t wk_in[RPC_MAX_ARGS], wk_out[RPC_MAX_ARGS];
	uint8_t wk_text[RPC_TEXT_BYTES], wk_store[RPC_TEXT_BYTES];
	/* the link thread's receiver: the link's stream and `wake`, which
	 * whoever fills a slot or counts a signal submits to (wake_link) */
	char down_why[320]; /* why the last link went */
	signal_receiver_t *link_rx;
	signal_context_t wake;
	kcap_t wake_cap;
	uint8_t rx[PROXY_MSG_MAX]; /* link thread's */
	uint8_t tx[PROXY_MSG_MAX];
	uint8_t tx_reply[PROXY_MSG_MAX], tx_request[PROXY_MSG_MAX];
	uint32_t signal_counts[IMPORTS_MAX];
	uint8_t chunk[PROXY_DS_CHUNK];
};

/* Wakes the link thread: something waits to be sent (lock held). */
void wake_link(struct proxy *p);

/* Formats a line for the log the config names. */
void say(struct proxy *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* proxy_tables.c */
extern const struct proxy_target_of import_of;
void export_cap(struct proxy *p, kcap_t cap, uint32_t session,
                struct proxy_cap *out);
struct export *export_find(struct proxy *p, struct proxy_ref ref, uint32_t kind,
                           uint32_t session);
struct import *import_reserve(struct proxy *p, uint32_t kind, uint32_t session,
                              struct proxy_ref remote);
struct import *import_find(struct proxy *p, uint32_t kind,
                           struct proxy_ref remote);
kcap_t import_cap(struct proxy *p, const struct proxy_cap *c, uint32_t session,
                  uint32_t epoch, const char *iface_name);
void drop(struct proxy *p, uint32_t session, int all);

/* proxy_calls.c */
void forwarding_init(void);
void worker(void *arg);

#endif /* REMOTE_RPC_PROXY_IMPL_H */
