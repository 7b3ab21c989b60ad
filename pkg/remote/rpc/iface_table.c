/*
 * Look-ups in the generated descriptor table (iface_table.h). rpcgen
 * refuses a table with two interfaces of one name or id, so the first
 * match is the only one.
 */
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
