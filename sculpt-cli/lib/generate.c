/*
 * The runtime configuration generated from a composition (generate.h): the
 * routing of required services, then the start entries as JSON, validated
 * and made canonical by libformat.
 */
#include "generate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static bool parent_has(const struct sculpt_composition *c, const char *service)
{
	for (size_t i = 0; i < c->parent_provides_count; i++)
		if (strcmp(c->parent_provides[i], service) == 0)
			return true;
	return false;
}

void generate_runtimes_free(struct generate_runtimes *runtimes)
{
	for (size_t i = 0; i < runtimes->count; i++)
		pkg_runtime_free(runtimes->of[i]);
	free(runtimes->of);
	memset(runtimes, 0, sizeof(*runtimes));
}

int generate_load_runtimes(const struct sculpt_composition *c,
                           const struct pkg_source *pkgs,
                           struct generate_runtimes *out,
                           struct sculpt_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->of = calloc(c->count ? c->count : 1, sizeof(struct pkg_runtime *));
	if (!out->of)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	for (; out->count < c->count; out->count++) {
		int err = pkgs->load(pkgs->ctx, c->components[out->count].pkg,
		                     &out->of[out->count], diag);

		if (err) {
			generate_runtimes_free(out);
			return err;
		}
	}
	return 0;
}

size_t generate_candidates(const struct sculpt_composition *c,
                           const struct generate_runtimes *runtimes,
                           size_t index, const char *service,
                           const char *out[GENERATE_CANDIDATES_MAX])
{
	size_t count = 0;

	if (parent_has(c, service))
		out[count++] = "parent";
	for (size_t i = 0; i < c->count && count < GENERATE_CANDIDATES_MAX; i++)
		if (i != index &&
		    runtime_name_list_has(&runtimes->of[i]->provides, service))
			out[count++] = c->components[i].name;
	return count;
}

/* "a, b and parent" into `out`. */
static void list_words(const char *const *names, size_t count, char *out,
                       size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < count && used < size; i++) {
		int n = snprintf(out + used, size - used, "%s'%s'",
		                 i == 0           ? ""
		                 : i + 1 == count ? " and "
		                                  : ", ",
		                 names[i]);
		if (n < 0)
			return;
		used += (size_t)n;
	}
}

/* Checks the user's route of `service` to `to`. */
static int check_route(const struct sculpt_composition *c,
                       const struct generate_runtimes *runtimes, size_t index,
                       const char *service, const char *to,
                       struct sculpt_diag *diag)
{
	const char *name = c->components[index].name;
	const struct sculpt_component *target;

	if (strcmp(to, "parent") == 0) {
		if (parent_has(c, service))
			return 0;
		return sculpt_fail(
			diag, SCULPT_E_ROUTE,
			"'%s' routes %s to the "
			"parent, which does not provide it: route it to "
			"a component (sculpt route %s %s=NAME)",
			name, service, name, service);
	}
	target = composition_find(c, to);
	if (!target)
		return sculpt_fail(
			diag, SCULPT_E_ROUTE,
			"'%s' routes %s to '%s', "
			"which is not in the composition: sculpt route "
			"%s %s=NAME",
			name, service, to, name, service);
	if (!runtime_name_list_has(
		    &runtimes->of[target - c->components]->provides, service))
		return sculpt_fail(diag, SCULPT_E_ROUTE,
		                   "'%s' routes %s to '%s', "
		                   "whose pkg does not provide it",
		                   name, service, to);
	return 0;
}

int generate_route(const struct sculpt_composition *c,
                   const struct generate_runtimes *runtimes, size_t index,
                   const char *service, const char **to,
                   struct sculpt_diag *diag)
{
	const char *names[GENERATE_CANDIDATES_MAX];
	const char *name = c->components[index].name;
	size_t count;
	char words[512];

	*to = composition_route_of(&c->components[index], service);
	if (*to)
		return check_route(c, runtimes, index, service, *to, diag);
	count = generate_candidates(c, runtimes, index, service, names);
	if (count == 1) {
		*to = names[0];
		return 0;
	}
	if (count == 0)
		return sculpt_fail(diag, SCULPT_E_ROUTE,
		                   "'%s' needs service %s, "
		                   "which neither the parent nor any component "
		                   "provides: add a component that provides %s",
		                   name, service, service);
	list_words(names, count, words, sizeof(words));
	return sculpt_fail(diag, SCULPT_E_ROUTE,
	                   "'%s' needs service %s, which "
	                   "%s provide: choose one with --route %s=NAME (or "
	                   "sculpt route %s %s=NAME)",
	                   name, service, words, service, name, service);
}

/* ---- the start entries ----------------------------------------------- */

static bool add_names(cJSON *object, const char *key,
                      const struct runtime_name_list *list)
{
	cJSON *array;

	if (list->count == 0)
		return true;
	array = cJSON_AddArrayToObject(object, key);
	for (size_t i = 0; array && i < list->count; i++)
		if (!cJSON_AddItemToArray(array,
		                          cJSON_CreateString(list->names[i])))
			return false;
	return array != NULL;
}

static bool add_rule(cJSON *routes, const char *service, const char *to)
{
	cJSON *rule = cJSON_CreateObject();

	if (!rule || !cJSON_AddItemToArray(routes, rule))
		return cJSON_Delete(rule), false;
	return cJSON_AddStringToObject(rule, "service", service) &&
	       cJSON_AddStringToObject(rule, "to", to);
}

/* The route list of component `index`: a rule per service it needs from
 * a component (required ones, then the user's other routes). */
static int add_routes(cJSON *entry, const struct sculpt_composition *c,
                      const struct generate_runtimes *runtimes, size_t index,
                      struct sculpt_diag *diag)
{
	const struct sculpt_component *component = &c->components[index];
	const struct runtime_name_list *requires =
		&runtimes->of[index]->requires;
	cJSON *routes = cJSON_AddArrayToObject(entry, "route");
	const char *to;
	int err;

	if (!routes)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	for (size_t i = 0; i < requires->count; i++) {
		err = generate_route(c, runtimes, index, requires->names[i],
		                     &to, diag);
		if (err)
			return err;
		if (strcmp(to, "parent") != 0 &&
		    !add_rule(routes, requires->names[i], to))
			return sculpt_fail(diag, SCULPT_E_NOMEM,
			                   "out of memory");
	}
	for (size_t i = 0; i < component->route_count; i++) {
		const struct sculpt_route *route = &component->routes[i];

		if (runtime_name_list_has(requires, route->service))
			continue;
		err = check_route(c, runtimes, index, route->service, route->to,
		                  diag);
		if (err)
			return err;
		if (strcmp(route->to, "parent") != 0 &&
		    !add_rule(routes, route->service, route->to))
			return sculpt_fail(diag, SCULPT_E_NOMEM,
			                   "out of memory");
	}
	return 0;
}

static int add_entry(cJSON *start, const struct sculpt_composition *c,
                     const struct generate_runtimes *runtimes, size_t index,
                     struct sculpt_diag *diag)
{
	const struct sculpt_component *component = &c->components[index];
	const struct pkg_runtime *runtime = runtimes->of[index];
	const char *config = component->config ? component->config
	                                       : runtime->config;
	cJSON *entry = cJSON_CreateObject();
	bool ok = entry && cJSON_AddItemToArray(start, entry) &&
	          cJSON_AddStringToObject(entry, "name", component->name) &&
	          cJSON_AddStringToObject(entry, "pkg", component->pkg);

	if (!entry)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	if (ok && component->ram)
		ok = cJSON_AddStringToObject(entry, "ram", component->ram) !=
		     NULL;
	else if (ok)
		ok = cJSON_AddNumberToObject(entry, "ram",
		                             (double)runtime->ram) != NULL;
	if (ok)
		ok = cJSON_AddNumberToObject(
			     entry, "caps",
			     (double)(component->caps ? component->caps
		                                      : runtime->caps)) != NULL;
	if (ok)
		ok = add_names(entry, "provides", &runtime->provides);
	if (ok && config)
		ok = cJSON_AddItemToObject(entry, "config",
		                           cJSON_Parse(config));
	if (!ok)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	return add_routes(entry, c, runtimes, index, diag);
}

static int document(const struct sculpt_composition *c,
                    const struct generate_runtimes *runtimes, cJSON **out,
                    struct sculpt_diag *diag)
{
	int err = 0;
	cJSON *root = cJSON_CreateObject();
	cJSON *provides = cJSON_AddArrayToObject(root, "parent_provides");
	cJSON *rules = cJSON_AddArrayToObject(root, "default_route");
	cJSON *report = cJSON_AddObjectToObject(root, "report");
	cJSON *start = cJSON_AddArrayToObject(root, "start");
	bool ok = provides && rules && report && start &&
	          add_rule(rules, "*", "parent") &&
	          cJSON_AddNumberToObject(report, "delay_ms", 200);

	for (size_t i = 0; ok && i < c->parent_provides_count; i++)
		ok = cJSON_AddItemToArray(
			provides, cJSON_CreateString(c->parent_provides[i]));
	if (!ok)
		err = sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	for (size_t i = 0; !err && i < c->count; i++)
		err = add_entry(start, c, runtimes, i, diag);
	if (err) {
		cJSON_Delete(root);
		return err;
	}
	*out = root;
	return 0;
}

/* Validates the generated text with libformat and makes it canonical. */
static int canonical(const char *text, char **out,
                     struct runtime_config **model, struct sculpt_diag *diag)
{
	struct runtime_config *config;
	struct runtime_config_error error;
	enum runtime_config_status status =
		runtime_config_parse(text, strlen(text), &config, &error);

	if (status == RUNTIME_CONFIG_NO_MEMORY)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	if (status)
		return sculpt_fail(diag, SCULPT_E_CONFIG,
		                   "the generated "
		                   "configuration is invalid: %s",
		                   error.message);
	*out = runtime_config_to_json(config);
	if (!*out) {
		runtime_config_free(config);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	if (model)
		*model = config;
	else
		runtime_config_free(config);
	return 0;
}

int generate_config(const struct sculpt_composition *c,
                    const struct pkg_source *pkgs, const char *version,
                    char **text, struct runtime_config **model,
                    struct sculpt_diag *diag)
{
	struct generate_runtimes runtimes;
	cJSON *root = NULL;
	char *raw;
	int err;

	*text = NULL;
	if (model)
		*model = NULL;
	err = generate_load_runtimes(c, pkgs, &runtimes, diag);
	if (err)
		return err;
	err = document(c, &runtimes, &root, diag);
	generate_runtimes_free(&runtimes);
	if (err)
		return err;
	if (version && !cJSON_AddStringToObject(root, "version", version)) {
		cJSON_Delete(root);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	raw = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!raw)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	err = canonical(raw, text, model, diag);
	free(raw);
	return err;
}
