/*
 * Init, the component that starts and connects the others (DESIGN.md, "The
 * running system"): it reads its config ROM (the runtime configuration of
 * format/runtime_config.h), validates all of it before anything starts,
 * starts the children in order with their quotas through runtime/child,
 * serves each its own "config" ROM, and routes every session request with
 * route.c. This header is private to init's program; init.c does the
 * start-up, init_policy.c answers the children (routing and logging).
 */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <stdbool.h>

#include <format/runtime_config.h>
#include <runtime/child.h>
#include <runtime/env.h>
#include <runtime/service.h>

#include "config_rom.h"

/* Deadline of a child's session request, and of init's own requests. */
#define INIT_SESSION_TIMEOUT_MS 2000

/* What init keeps of its own quota: its heap, worker stacks, config ROMs. */
#define INIT_RAM_RESERVE (4ull << 20)
#define INIT_CAPS_RESERVE 100ull

struct init;

struct init_child {
	struct init *init;
	const struct runtime_child *entry;   /* in init->config */
	child_t *child;
	struct config_rom rom;
	bool rom_ready;
};

struct init {
	env_t *env;
	struct child_parent_host host;
	struct runtime_config *config;
	struct service_registry registry;
	child_broker_t *broker;
	struct init_child *children;          /* config->start_count of them */
};

/* Reads and validates the config and starts the children. Nonzero when
 * nothing could be started (the reason is logged). */
int init_start(struct init *init, env_t *env);

/* The policy init gives every child (init_policy.c). */
extern const struct child_policy init_child_policy_template;

#endif
