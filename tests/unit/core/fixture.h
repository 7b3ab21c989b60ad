/*
 * The fixture of core's unit tests: a fresh target directory with a boot
 * module and a config ROM, an entrypoint, and every core service on it,
 * served in-process; the test thread is the client, as a component would
 * be (it calls the root and session objects through RPC).
 */
#ifndef TESTS_CORE_FIXTURE_H
#define TESTS_CORE_FIXTURE_H

#include "services.h"
#include "target.h"

#include <limits.h>

struct fixture {
	char dir[PATH_MAX];
	struct target target;
	entrypoint_t *ep;
	struct core_services services;
};

/* Sets up target (boot/module "hello boot", config/conf "version 1"),
 * entrypoint and services; the test fails if any step does. */
struct fixture *fixture_create(void);
void fixture_destroy(struct fixture *f);

/* Writes config/NAME atomically (temp file, rename). */
void fixture_write_config(struct fixture *f, const char *name,
                          const char *text);

/* Reads a whole file of the target into buf; its length. */
size_t fixture_read(struct fixture *f, const char *path, char *buf,
                    size_t size);

/* Opens a session at `svc` through its root object, over RPC. */
int fixture_session(struct root_component *svc, const char *args, kcap_t *cap);

#endif
