/*
 * Look-ups in the generated descriptor table (iface_table.h). rpcgen
 * refuses a table with two interfaces of one name or id, so the first
 * match is the only one.
 */
#include <stdio.h>
#include <string.h>

#include "iface_table.h"

const rpc_interface_t *iface_by_name(const char *name)
{
	for (unsigned i = 0; i < rpc_iface_table_count; i++)
		if (strcmp(rpc_iface_table[i]->name, name) == 0)
			return rpc_iface_table[i];
	return NULL;
}

const rpc_interface_t *iface_by_id(uint32_t id)
{
	for (unsigned i = 0; i < rpc_iface_table_count; i++)
		if (rpc_iface_table[i]->id == id)
			return rpc_iface_table[i];
	return NULL;
}

const rpc_interface_t *iface_for_service(const char *service)
{
	char lower[96];
	size_t n = strlen(service);
	const rpc_interface_t *iface;

	if (n + sizeof("_session") > sizeof(lower))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)(service[i] >= 'A' && service[i] <= 'Z'
		                          ? service[i] - 'A' + 'a'
		                          : service[i]);
	snprintf(lower + n, sizeof(lower) - n, "_session");
	iface = iface_by_name(lower);
	lower[n] = '\0';
	return iface ? iface : iface_by_name(lower);
}
