/*
 * The server of the example interface counter.rpc, shared by the RPC tests
 * and the RPC bench: one entrypoint serving a main counter and up to
 * COUNTER_SERVER_MADE counters made on request.
 */
#ifndef TESTS_COUNTER_SERVER_H
#define TESTS_COUNTER_SERVER_H

#include "counter_rpc.h"

#define COUNTER_SERVER_MADE 8

struct counter_server;

struct counter {
	rpc_object_t rpc; /* first: ops get &rpc */
	struct counter_server *server;
	uint64_t value;
	kcap_t stored; /* from store(), or KCAP_INVALID */
	kcap_t cap;    /* of a made counter, else invalid */
	int in_use;
};

struct counter_server {
	entrypoint_t *ep;
	struct counter main;
	struct counter made[COUNTER_SERVER_MADE];
};

extern const struct counter_ops counter_server_ops;

/* Starts the entrypoint and serves the main counter; *cap invokes it. */
int counter_server_start(struct counter_server *s, kcap_t *cap);

/* Dissolves every counter and stops the entrypoint. */
void counter_server_stop(struct counter_server *s);

#endif /* TESTS_COUNTER_SERVER_H */
