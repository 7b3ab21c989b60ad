/*
 * Which service a forwarded session is for (pkg/remote/README.md, "RPC
 * across"): remote_rpc_client appends `, remote_service="<name>"` to the
 * session arguments it forwards in OPEN, and remote_rpc_server takes it
 * off again and refuses a session for any service but the one it exports
 * to that peer. So an export is the access control even when a node's
 * network policy points a client proxy at the port of another service's
 * export: the peer is told "this node does not export it to you", not
 * handed a session of another interface. Pure.
 */
#ifndef REMOTE_RPC_SERVICE_ARG_H
#define REMOTE_RPC_SERVICE_ARG_H

#include <stddef.h>

#define SERVICE_ARG_KEY ", remote_service=\""
#define SERVICE_ARG_NAME_MAX 64u   /* RUNTIME_NAME_MAX */

/* `args` with the service's name appended into out[size]: 0, or -1 when
 * it does not fit or the name is empty, too long or holds a quote. */
int service_arg_add(char *out, size_t size, const char *args,
                    const char *service);

/*
 * Splits `args` (as received, NUL-terminated) into the arguments without
 * the service (out[size]) and the service's name (service[
 * SERVICE_ARG_NAME_MAX + 1]): 0, or -1 when the arguments do not end in
 * one well-formed service argument.
 */
int service_arg_take(const char *args, char *out, size_t size,
                     char service[SERVICE_ARG_NAME_MAX + 1]);

#endif /* REMOTE_RPC_SERVICE_ARG_H */
