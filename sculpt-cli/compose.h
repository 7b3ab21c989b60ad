/*
 * The step every composing verb (add, route, config, remove, update)
 * shares: the target's working composition loaded, changed by the verb,
 * checked and saved, or left as it was when the change fails.
 */
#ifndef SCULPT_COMPOSE_H
#define SCULPT_COMPOSE_H

#include "sculpt.h"

/* Parses "SERVICE=TARGET" into its two halves (pointing into `buffer`,
 * which it fills); SCULPT_E_USAGE naming the text when it is no route. */
int compose_split_route(const char *text, char buffer[256],
                        const char **service, const char **to,
                        struct sculpt_diag *diag);

/* Routes every service the pkg of component `name` requires to its one
 * destination (generate_route) and records the routes that were chosen
 * automatically. Prints them as "  SERVICE -> TARGET" lines when `print`
 * is set. When a service has several providers, the interactive mode
 * asks which (s->ask); else, and when it has none, SCULPT_E_ROUTE naming
 * the candidates. */
int compose_routes(struct sculpt *s, struct sculpt_composition *c,
                   const char *name, int print, struct sculpt_diag *diag);

#endif
