/*
 * The composition: what the user composed, kept apart from the runtime
 * configuration sculpt generates from it (generate.h). It is the file
 * TARGET/sculpt/composition.json (sculpt-cli/README.md, "The sculpt state
 * directory"): the services init's parent provides and the components,
 * each a name, a pkg, the user's overrides of the pkg's quota and config,
 * and the routes of the services it requires.
 *
 * Invariants of a model (kept by composition_parse and by every function
 * below that changes it):
 *   - component names follow the runtime configuration's child-name rule
 *     (checked by composition_name_ok) and are unique;
 *   - pkg is a pkg archive name user/pkg/name/version;
 *   - route services are service names, unique per component; a route's
 *     `to` is "parent" or a component name (that it exists is checked when
 *     the configuration is generated, as removals may leave it dangling);
 *   - config, when given, is the canonical JSON text of an object.
 * Every string is owned by the model (malloc); composition_free frees all.
 */
#ifndef SCULPT_COMPOSITION_H
#define SCULPT_COMPOSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define COMPOSITION_INPUT_MAX (1u << 20)   /* bytes of composition.json */
#define COMPOSITION_COMPONENTS_MAX 1024
#define COMPOSITION_ROUTES_MAX 64

struct sculpt_route {
	char *service;
	char *to; /* "parent" or a component's name */
};

struct sculpt_component {
	char *name;
	char *pkg;     /* user/pkg/name/version */
	char *ram;     /* override: a size as the format takes it, or NULL */
	uint64_t caps; /* override, or 0 */
	char *config;  /* override: canonical JSON object text, or NULL */
	struct sculpt_route *routes;
	size_t route_count, route_capacity;
};

struct sculpt_composition {
	char **parent_provides;
	size_t parent_provides_count;
	struct sculpt_component *components;
	size_t count, capacity;
};

/* A new composition without components whose parent provides `services`
 * (count of them); NULL when out of memory. */
struct sculpt_composition *composition_new(const char *const *services,
                                           size_t count);

/* Parses composition.json (`length` bytes). 0, or SCULPT_E_COMPOSITION
 * naming the field, or SCULPT_E_NOMEM. */
int composition_parse(const char *text, size_t length,
                      struct sculpt_composition **out,
                      struct sculpt_diag *diag);

/* The file's text (formatted, one component per block); NULL when out of
 * memory. Parsing it gives an equal model. */
char *composition_to_json(const struct sculpt_composition *composition);

void composition_free(struct sculpt_composition *composition);

/* Whether `name` may name a component (the child-name rule). */
bool composition_name_ok(const char *name);

struct sculpt_component *composition_find(const struct sculpt_composition *c,
                                          const char *name);

/* Appends a component `name` of `pkg` without overrides or routes. 0,
 * SCULPT_E_COMPONENT (exists, or a bad name), SCULPT_E_PKG (not a pkg
 * name) or SCULPT_E_NOMEM. */
int composition_add(struct sculpt_composition *c, const char *name,
                    const char *pkg, struct sculpt_diag *diag);

/* Removes component `name`; refused (SCULPT_E_ROUTE) while another one
 * routes a service to it, naming them. */
int composition_remove(struct sculpt_composition *c, const char *name,
                       struct sculpt_diag *diag);

/* Sets (replaces) the route of `service` of `component` to `to`. */
int composition_route(struct sculpt_composition *c, const char *component,
                      const char *service, const char *to,
                      struct sculpt_diag *diag);

/* The route of `service` in `component`, or NULL. */
const char *composition_route_of(const struct sculpt_component *component,
                                 const char *service);

/* Replaces a string field (pkg, ram or config) of a component with a copy
 * of `value` (NULL clears it). 0 or SCULPT_E_NOMEM. */
int composition_set(char **field, const char *value, struct sculpt_diag *diag);

#endif
