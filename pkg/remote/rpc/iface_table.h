/*
 * The descriptors of every interface declared in an .rpc file of the tree,
 * as `rpcgen --table` writes them (mk/rpc.mk, $(RPC_IFACE_TABLE)): what
 * the generic proxy checks and forwards calls with. No code per interface.
 */
#ifndef REMOTE_IFACE_TABLE_H
#define REMOTE_IFACE_TABLE_H

#include <runtime/rpc.h>

extern const rpc_interface_t *const rpc_iface_table[];
extern const unsigned rpc_iface_table_count;

/* The interface named `name`, or NULL. */
const rpc_interface_t *iface_by_name(const char *name);

/* The interface of service `service` by the tree's naming: its name in
 * lowercase with "_session" ("Counter": counter_session), else its name
 * in lowercase ("Vault": vault); NULL when the table has neither. What
 * init's routes to other nodes rely on (format/remote.h). */
const rpc_interface_t *iface_for_service(const char *service);

/* The interface whose wire id is `id`, or NULL. */
const rpc_interface_t *iface_by_id(uint32_t id);

#endif /* REMOTE_IFACE_TABLE_H */
