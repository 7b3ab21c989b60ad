/*
 * The code writer of rpcgen (emit.c): the C header and source of one
 * interface, from its parsed form (idl.h).
 */
#ifndef RPCGEN_EMIT_H
#define RPCGEN_EMIT_H

#include <stdio.h>

#include "idl.h"

/* Writes the generated header and source; `source` names the IDL file in
 * their top comments and `header_name` is what the source includes.
 * Returns -1 when writing failed. */
int emit_files(const struct idl_interface *in, const char *source, FILE *header,
               FILE *code, const char *header_name);

/* Writes one C source holding the type descriptors of `count` interfaces
 * (no stubs, no invoke) and the table rpc_iface_table[] of them all, in the
 * order given. Returns -1 when writing failed. */
int emit_table(const struct idl_interface *ifaces, unsigned count, FILE *code);

#endif /* RPCGEN_EMIT_H */
