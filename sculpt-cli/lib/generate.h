/*
 * From the composition to the runtime configuration init reads (DESIGN.md,
 * "The running system"; the format is runtime/format/README.md). For each
 * component, the start entry is derived from its pkg's runtime file (ram,
 * caps, provides, config) with the user's overrides on top, and the route
 * of every service the pkg requires:
 *   - the composition's route when it has one;
 *   - else, automatically, the one provider when exactly one exists among
 *     the parent (parent_provides) and the other components;
 *   - else it fails, naming the candidates (SCULPT_E_ROUTE).
 * Only routes to components become rules: a service of the parent is left
 * to the default route (`*` to the parent), so init's ROM scoping gives a
 * pkg child the files of its own archives. The text is validated and made
 * canonical by libformat (runtime_config_parse, runtime_config_to_json):
 * what sculpt writes is what init accepts, or nothing is written.
 *
 * The pkgs' runtime files come through a struct pkg_source, so that the
 * tool reads the target's depot and the unit tests give fakes.
 */
#ifndef SCULPT_GENERATE_H
#define SCULPT_GENERATE_H

#include "composition.h"
#include "format/pkg_runtime.h"
#include "format/runtime_config.h"

/* The parsed runtime file of `pkg` (for pkg_runtime_free): 0, or
 * SCULPT_E_PKG saying how to install it. */
typedef int (*pkg_runtime_fn)(void *ctx, const char *pkg,
                              struct pkg_runtime **out,
                              struct sculpt_diag *diag);

struct pkg_source {
	pkg_runtime_fn load;
	void *ctx;
};

/* The runtime files of every component, index by index. */
struct generate_runtimes {
	struct pkg_runtime **of;
	size_t count;
};

int generate_load_runtimes(const struct sculpt_composition *c,
                           const struct pkg_source *pkgs,
                           struct generate_runtimes *out,
                           struct sculpt_diag *diag);
void generate_runtimes_free(struct generate_runtimes *runtimes);

enum { GENERATE_CANDIDATES_MAX = 16 };

/* Who could serve `service` to component `index`: "parent" when the parent
 * provides it, then every other component whose pkg provides it (at most
 * GENERATE_CANDIDATES_MAX). */
size_t generate_candidates(const struct sculpt_composition *c,
                           const struct generate_runtimes *runtimes,
                           size_t index, const char *service,
                           const char *out[GENERATE_CANDIDATES_MAX]);

/* Where `service` of component `index` goes (*to: "parent" or a component
 * name, owned by the composition): its route, else the single candidate.
 * SCULPT_E_ROUTE naming the candidates when there are none or several, or
 * when its route names what does not provide the service. */
int generate_route(const struct sculpt_composition *c,
                   const struct generate_runtimes *runtimes, size_t index,
                   const char *service, const char **to,
                   struct sculpt_diag *diag);

/* The runtime configuration of `c`, with `version` as its version (NULL:
 * none): *text its canonical text (free), and *model its parsed model
 * when `model` is not NULL (runtime_config_free).
 * SCULPT_E_PKG, SCULPT_E_ROUTE, SCULPT_E_CONFIG (libformat's message) or
 * SCULPT_E_NOMEM; nothing is returned then. */
int generate_config(const struct sculpt_composition *c,
                    const struct pkg_source *pkgs, const char *version,
                    char **text, struct runtime_config **model,
                    struct sculpt_diag *diag);

#endif
