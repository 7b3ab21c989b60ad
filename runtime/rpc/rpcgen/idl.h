/*
 * The IDL of rpcgen, the host tool that turns one interface declaration into
 * client stubs, server dispatch and a type descriptor (see mk/rpc.mk).
 * This header is the parsed form; idl.c parses and checks a file, emit.c
 * writes the C code. An interface file looks like this:
 *
 *   # comments run to the end of the line
 *   interface counter {
 *       error overflow "the total would exceed 2^64 - 1";
 *       add(in u64 delta, out u64 total);
 *       echo(in string<64> text, out string<64> echoed);
 *       share(in cap given, out cap returned);
 *   };
 *
 * Types: u8 u16 u32 u64 i32 i64 bool cap cap<IFACE> string<N> bytes<N>.
 * cap<IFACE> says which interface an object capability speaks, so that a
 * proxy (pkg/remote/rpc) can stand in for it on another node; a plain cap
 * crosses only as a signal or a dataspace there. Functions get
 * opcodes 0, 1, 2... and errors the codes 1, 2, 3... in declaration order.
 */
#ifndef RPCGEN_IDL_H
#define RPCGEN_IDL_H

#include <stddef.h>
#include <stdint.h>

#include <runtime/rpc.h>

#define IDL_NAME_MAX 48

struct idl_arg {
	char name[IDL_NAME_MAX];
	enum rpc_type type;
	uint32_t max;
	int out;                  /* 0: in, 1: out */
	char iface[IDL_NAME_MAX]; /* cap<NAME>: its interface; "" */
};

struct idl_func {
	char name[IDL_NAME_MAX];
	unsigned arg_count;
	struct idl_arg args[2 * RPC_MAX_ARGS];
};

struct idl_error {
	char name[IDL_NAME_MAX];
	char text[160];
};

struct idl_interface {
	char name[IDL_NAME_MAX];
	unsigned func_count;
	struct idl_func *funcs; /* heap, func_count entries */
	size_t func_room;       /* of funcs (grow/grow.h) */
	unsigned error_count;
	struct idl_error *errors; /* heap, error_count entries */
	size_t error_room;        /* of errors */
};

/*
 * Parses and checks an interface declaration. `file` names it in messages.
 * On failure returns -1 and leaves "FILE:LINE: what is wrong" in `err`;
 * nothing needs freeing then. On success the caller frees with idl_free().
 */
int idl_parse(const char *text, const char *file, struct idl_interface *out,
              char *err, size_t err_size);
void idl_free(struct idl_interface *iface);

/* The interface id on the wire: FNV-1a (32 bit) of the name. */
uint32_t idl_interface_id(const char *name);

/* The C spelling of a type, e.g. "uint64_t" ("kcap_t" for cap). */
const char *idl_c_type(enum rpc_type type);

#endif /* RPCGEN_IDL_H */
