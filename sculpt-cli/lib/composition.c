/*
 * The composition model (composition.h): composition.json parsed into a
 * checked model with cJSON, written back, and the edits the verbs make
 * (add, remove, route, set). Pure: no files; state.c reads and writes.
 */
#include "composition.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <grow/grow.h>

#include "format/runtime_config.h"

static char *copy(const char *text)
{
	return text ? strdup(text) : NULL;
}

bool composition_name_ok(const char *name)
{
	size_t length = strlen(name);

	if (length == 0 || length > RUNTIME_NAME_MAX ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strcmp(name, "parent") == 0 || strcmp(name, "any-child") == 0)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.-") ==
	       length;
}

/* Whether `pkg` is a pkg archive name with a version. */
static bool pkg_ok(const char *pkg)
{
	struct depot_name name;
	struct depot_diag ignored;

	return depot_name_parse(pkg, &name, &ignored) == 0 &&
	       strcmp(name.kind, "pkg") == 0 && name.version[0];
}

static void component_clear(struct sculpt_component *c)
{
	free(c->name);
	free(c->pkg);
	free(c->ram);
	free(c->config);
	for (size_t i = 0; i < c->route_count; i++) {
		free(c->routes[i].service);
		free(c->routes[i].to);
	}
	free(c->routes);
	memset(c, 0, sizeof(*c));
}

void composition_free(struct sculpt_composition *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->parent_provides_count; i++)
		free(c->parent_provides[i]);
	free(c->parent_provides);
	for (size_t i = 0; i < c->count; i++)
		component_clear(&c->components[i]);
	free(c->components);
	free(c);
}

struct sculpt_composition *composition_new(const char *const *services,
                                           size_t count)
{
	struct sculpt_composition *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->parent_provides = calloc(count ? count : 1, sizeof(char *));
	if (!c->parent_provides) {
		free(c);
		return NULL;
	}
	for (; c->parent_provides_count < count; c->parent_provides_count++) {
		c->parent_provides[c->parent_provides_count] =
			strdup(services[c->parent_provides_count]);
		if (!c->parent_provides[c->parent_provides_count]) {
			composition_free(c);
			return NULL;
		}
	}
	return c;
}

struct sculpt_component *composition_find(const struct sculpt_composition *c,
                                          const char *name)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->components[i].name, name) == 0)
			return &c->components[i];
	return NULL;
}

const char *composition_route_of(const struct sculpt_component *component,
                                 const char *service)
{
	for (size_t i = 0; i < component->route_count; i++)
		if (strcmp(component->routes[i].service, service) == 0)
			return component->routes[i].to;
	return NULL;
}

int composition_set(char **field, const char *value, struct sculpt_diag *diag)
{
	char *text = copy(value);

	if (value && !text)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	free(*field);
	*field = text;
	return 0;
}

int composition_add(struct sculpt_composition *c, const char *name,
                    const char *pkg, struct sculpt_diag *diag)
{
	struct sculpt_component *grown, *added;

	if (!composition_name_ok(name))
		return sculpt_fail(diag, SCULPT_E_COMPONENT,
		                   "'%s' cannot name a "
		                   "component: use 1-64 of a-z 0-9 _ . - (not "
		                   "'parent' or 'any-child')",
		                   name);
	if (composition_find(c, name))
		return sculpt_fail(diag, SCULPT_E_COMPONENT,
		                   "a component '%s' "
		                   "exists already: remove it first or choose "
		                   "another name",
		                   name);
	if (!pkg_ok(pkg))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "'%s' is not a pkg name "
		                   "with a version (user/pkg/name/version)",
		                   pkg);
	if (c->count >= COMPOSITION_COMPONENTS_MAX)
		return sculpt_fail(diag, SCULPT_E_COMPONENT,
		                   "more than %u "
		                   "components",
		                   COMPOSITION_COMPONENTS_MAX);
	grown = grow_array(c->components, &c->capacity, c->count + 1,
	                   sizeof(*grown));
	if (!grown)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	c->components = grown;
	added = &grown[c->count];
	memset(added, 0, sizeof(*added));
	added->name = strdup(name);
	added->pkg = strdup(pkg);
	if (!added->name || !added->pkg) {
		component_clear(added);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	c->count++;
	return 0;
}

int composition_remove(struct sculpt_composition *c, const char *name,
                       struct sculpt_diag *diag)
{
	struct sculpt_component *gone = composition_find(c, name);
	size_t index;

	if (!gone)
		return sculpt_fail(diag, SCULPT_E_COMPONENT,
		                   "no component '%s'", name);
	for (size_t i = 0; i < c->count; i++)
		for (size_t r = 0; r < c->components[i].route_count; r++)
			if (strcmp(c->components[i].routes[r].to, name) == 0)
				return sculpt_fail(
					diag, SCULPT_E_ROUTE,
					"'%s' routes %s to '%s': route it "
					"elsewhere first (sculpt route %s "
					"%s=...)",
					c->components[i].name,
					c->components[i].routes[r].service,
					name, c->components[i].name,
					c->components[i].routes[r].service);
	index = (size_t)(gone - c->components);
	component_clear(gone);
	memmove(gone, gone + 1, (c->count - index - 1) * sizeof(*gone));
	c->count--;
	return 0;
}

int composition_route(struct sculpt_composition *c, const char *component,
                      const char *service, const char *to,
                      struct sculpt_diag *diag)
{
	struct sculpt_component *from = composition_find(c, component);
	struct sculpt_route *grown;

	if (!from)
		return sculpt_fail(diag, SCULPT_E_COMPONENT,
		                   "no component '%s'", component);
	if (!runtime_service_name_is_valid(service))
		return sculpt_fail(diag, SCULPT_E_ROUTE,
		                   "'%s' is not a service "
		                   "name",
		                   service);
	if (strcmp(to, "parent") != 0 && !composition_name_ok(to))
		return sculpt_fail(diag, SCULPT_E_ROUTE,
		                   "'%s' is neither "
		                   "'parent' nor a component name",
		                   to);
	if (strcmp(to, component) == 0)
		return sculpt_fail(diag, SCULPT_E_ROUTE,
		                   "'%s' cannot route %s "
		                   "to itself",
		                   component, service);
	for (size_t i = 0; i < from->route_count; i++)
		if (strcmp(from->routes[i].service, service) == 0)
			return composition_set(&from->routes[i].to, to, diag);
	if (from->route_count >= COMPOSITION_ROUTES_MAX)
		return sculpt_fail(diag, SCULPT_E_ROUTE,
		                   "'%s' has %u routes "
		                   "already",
		                   component, COMPOSITION_ROUTES_MAX);
	grown = grow_array(from->routes, &from->route_capacity,
	                   from->route_count + 1, sizeof(*grown));
	if (!grown)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	from->routes = grown;
	grown[from->route_count].service = strdup(service);
	grown[from->route_count].to = strdup(to);
	if (!grown[from->route_count].service || !grown[from->route_count].to) {
		free(grown[from->route_count].service);
		free(grown[from->route_count].to);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	from->route_count++;
	return 0;
}

/* ---- reading composition.json ---------------------------------------- */

static int bad(struct sculpt_diag *diag, const char *where, const char *what)
{
	return sculpt_fail(diag, SCULPT_E_COMPOSITION, "%s: %s", where, what);
}

static int read_routes(struct sculpt_composition *c, const char *name,
                       const cJSON *routes, struct sculpt_diag *diag)
{
	const cJSON *route;
	int err;

	if (!routes)
		return 0;
	if (!cJSON_IsArray(routes))
		return bad(diag, name, "\"routes\" is not a list");
	cJSON_ArrayForEach (route, routes) {
		const cJSON *service =
			cJSON_GetObjectItemCaseSensitive(route, "service");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(route, "to");

		if (!cJSON_IsString(service) || !cJSON_IsString(to))
			return bad(diag, name,
			           "a route needs \"service\" and \"to\" "
			           "strings");
		if (composition_route_of(composition_find(c, name),
		                         service->valuestring))
			return bad(diag, name, "a service is routed twice");
		err = composition_route(c, name, service->valuestring,
		                        to->valuestring, diag);
		if (err)
			return err;
	}
	return 0;
}

static int read_overrides(struct sculpt_component *added, const cJSON *item,
                          struct sculpt_diag *diag)
{
	const cJSON *ram = cJSON_GetObjectItemCaseSensitive(item, "ram");
	const cJSON *caps = cJSON_GetObjectItemCaseSensitive(item, "caps");
	const cJSON *config = cJSON_GetObjectItemCaseSensitive(item, "config");
	char *text;

	if (ram && !cJSON_IsString(ram))
		return bad(diag, added->name,
		           "\"ram\" is not a size string like "
		           "\"4M\"");
	if (caps && (!cJSON_IsNumber(caps) || caps->valuedouble < 1 ||
	             caps->valuedouble > (double)RUNTIME_CAPS_MAX ||
	             caps->valuedouble != (double)(uint64_t)caps->valuedouble))
		return bad(diag, added->name,
		           "\"caps\" is not a whole number of "
		           "capabilities");
	if (config && !cJSON_IsObject(config))
		return bad(diag, added->name, "\"config\" is not an object");
	if (ram && composition_set(&added->ram, ram->valuestring, diag))
		return SCULPT_E_NOMEM;
	added->caps = caps ? (uint64_t)caps->valuedouble : 0;
	if (!config)
		return 0;
	text = cJSON_PrintUnformatted(config);
	if (!text)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	added->config = text;
	return 0;
}

static int read_component(struct sculpt_composition *c, const cJSON *item,
                          struct sculpt_diag *diag)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
	const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(item, "pkg");
	struct sculpt_component *added;
	int err;

	if (!cJSON_IsObject(item) || !cJSON_IsString(name) ||
	    !cJSON_IsString(pkg))
		return bad(diag, "components",
		           "each needs \"name\" and \"pkg\" "
		           "strings");
	err = composition_add(c, name->valuestring, pkg->valuestring, diag);
	added = err ? NULL : composition_find(c, name->valuestring);
	if (added)
		err = read_overrides(added, item, diag);
	if (!err)
		err = read_routes(c, name->valuestring,
		                  cJSON_GetObjectItemCaseSensitive(item,
		                                                   "routes"),
		                  diag);
	return err == SCULPT_E_NOMEM ? err : err ? SCULPT_E_COMPOSITION : 0;
}

static int read_document(const cJSON *root, struct sculpt_composition **out,
                         struct sculpt_diag *diag)
{
	const cJSON *provides =
		cJSON_GetObjectItemCaseSensitive(root, "parent_provides");
	const cJSON *components =
		cJSON_GetObjectItemCaseSensitive(root, "components");
	const char *services[RUNTIME_SERVICES_MAX];
	size_t count = 0;
	const cJSON *item;
	int err = 0;

	if (!cJSON_IsArray(provides) || !cJSON_IsArray(components))
		return bad(diag, "composition",
		           "needs the lists \"parent_provides\" "
		           "and \"components\"");
	cJSON_ArrayForEach (item, provides) {
		if (!cJSON_IsString(item) ||
		    !runtime_service_name_is_valid(item->valuestring) ||
		    count == RUNTIME_SERVICES_MAX)
			return bad(diag, "parent_provides",
			           "holds something that is "
			           "not a service name, or too many");
		services[count++] = item->valuestring;
	}
	*out = composition_new(services, count);
	if (!*out)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	cJSON_ArrayForEach (item, components) {
		err = read_component(*out, item, diag);
		if (err)
			break;
	}
	if (err) {
		composition_free(*out);
		*out = NULL;
	}
	return err;
}

int composition_parse(const char *text, size_t length,
                      struct sculpt_composition **out, struct sculpt_diag *diag)
{
	cJSON *root;
	int err;

	*out = NULL;
	if (length > COMPOSITION_INPUT_MAX)
		return bad(diag, "composition", "larger than 1 MiB");
	root = cJSON_ParseWithLength(text, length);
	if (!root)
		return bad(diag, "composition", "not JSON");
	err = read_document(root, out, diag);
	cJSON_Delete(root);
	return err;
}

/* ---- writing it ------------------------------------------------------ */

static cJSON *component_json(const struct sculpt_component *c)
{
	cJSON *item = cJSON_CreateObject(), *routes = cJSON_CreateArray();
	bool ok = item && routes &&
	          cJSON_AddStringToObject(item, "name", c->name) &&
	          cJSON_AddStringToObject(item, "pkg", c->pkg);

	if (ok && c->ram)
		ok = cJSON_AddStringToObject(item, "ram", c->ram) != NULL;
	if (ok && c->caps)
		ok = cJSON_AddNumberToObject(item, "caps", (double)c->caps) !=
		     NULL;
	for (size_t i = 0; ok && i < c->route_count; i++) {
		cJSON *route = cJSON_CreateObject();

		ok = route && cJSON_AddItemToArray(routes, route) &&
		     cJSON_AddStringToObject(route, "service",
		                             c->routes[i].service) &&
		     cJSON_AddStringToObject(route, "to", c->routes[i].to);
	}
	if (ok)
		ok = cJSON_AddItemToObject(item, "routes", routes);
	else
		cJSON_Delete(routes);
	if (ok && c->config) {
		cJSON *config = cJSON_Parse(c->config);

		ok = config && cJSON_AddItemToObject(item, "config", config);
		if (!ok)
			cJSON_Delete(config);
	}
	if (!ok) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

char *composition_to_json(const struct sculpt_composition *c)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *provides = cJSON_AddArrayToObject(root, "parent_provides");
	cJSON *components = cJSON_AddArrayToObject(root, "components");
	bool ok = root && provides && components;
	char *text = NULL;

	for (size_t i = 0; ok && i < c->parent_provides_count; i++)
		ok = cJSON_AddItemToArray(
			provides, cJSON_CreateString(c->parent_provides[i]));
	for (size_t i = 0; ok && i < c->count; i++) {
		cJSON *item = component_json(&c->components[i]);

		ok = item && cJSON_AddItemToArray(components, item);
	}
	if (ok)
		text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}
