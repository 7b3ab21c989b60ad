/*
 * The modules of a remote ROM proxy (node.h): config "modules", what the
 * client asks the peer for or the server exports to it. Apart from
 * node.c because only the ROM proxies carry modules (the RPC proxies
 * share node.c, not rom_wire).
 */
#include <string.h>

#include "node.h"

/* "modules": 1 to ROM_WIRE_MODULES_MAX distinct module names. */
int node_modules_load(struct node *n)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(n->config,
	                                                     "modules"),
		    *m;
	char name[ROM_WIRE_NAME_MAX + 1];
	n->module_count = 0;
	cJSON_ArrayForEach (m, list) {
		if (!cJSON_IsString(m) ||
		    n->module_count == ROM_WIRE_MODULES_MAX ||
		    rom_wire_want_decode((const uint8_t *)m->valuestring,
		                         (uint32_t)strnlen(m->valuestring,
		                                           ROM_WIRE_NAME_MAX +
		                                                   1),
		                         name) != 0 ||
		    node_module(n, m->valuestring) >= 0)
			break;
		n->modules[n->module_count++] = m->valuestring;
	}
	if (!cJSON_IsArray(list) || n->module_count == 0 ||
	    n->module_count != (unsigned)cJSON_GetArraySize(list)) {
		env_log(n->env,
		        "config \"modules\" needs 1 to %u distinct module names",
		        ROM_WIRE_MODULES_MAX);
		return -1;
	}
	return 0;
}

int node_module(const struct node *n, const char *name)
{
	for (unsigned i = 0; i < n->module_count; i++)
		if (!strcmp(n->modules[i], name))
			return (int)i;
	return -1;
}
