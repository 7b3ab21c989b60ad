/*
 * IO_MEM connections (runtime/io_mem_connection.h): the IO_MEM
 * session's dataspace taken into an attached dataspace.
 */
#include <runtime/io_mem_connection.h>

#include <runtime/env.h>

#include <inttypes.h>
#include <stdio.h>

#include "io_mem_rpc.h"

int io_mem_connection_open(struct io_mem_connection *io, struct env *env,
                           uint64_t base, uint64_t size)
{
	char args[64];
	kcap_t cap;
	uint64_t granted;
	snprintf(args, sizeof args, "base=0x%" PRIx64 ", size=%" PRIu64, base,
	         size);
	io->ds = DATASPACE_EMPTY;
	int rc = connection_open(&io->connection, env, "IO_MEM", args);
	rc = rc ? rc : io_mem_dataspace(io->connection.cap, &cap, &granted);
	if (!rc && granted != size) {
		kcap_close(cap);
		rc = KERR_INVALID;
	}
	rc = rc ? rc : dataspace_open(&io->ds, cap, (size_t)granted);
	if (rc)
		connection_close(&io->connection);
	return rc;
}

void io_mem_connection_close(struct io_mem_connection *io)
{
	dataspace_release(&io->ds);
	connection_close(&io->connection);
}
