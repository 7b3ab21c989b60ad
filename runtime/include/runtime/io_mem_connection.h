/*
 * An IO_MEM connection: a driver's side of an IO_MEM session at core
 * (runtime/session/io_mem.rpc), the registers of a device as a
 * dataspace (runtime/dataspace.h) that the driver attaches writable
 * with dataspace_attach() and reads and writes as volatile memory.
 */
#ifndef RUNTIME_IO_MEM_CONNECTION_H
#define RUNTIME_IO_MEM_CONNECTION_H

#include <stdint.h>

#include <runtime/connection.h>
#include <runtime/dataspace.h>

struct env;

struct io_mem_connection {
	connection_t connection;
	struct dataspace ds; /* the registers; not attached by open */
};

/* Opens an IO_MEM session for [base, base + size) and takes its
 * dataspace into io->ds. On failure the connection is closed, io->ds is
 * empty and the status says why (runtime_strerror()). */
int io_mem_connection_open(struct io_mem_connection *io, struct env *env,
                           uint64_t base, uint64_t size);

/* Releases the dataspace (detaching it) and closes the session. */
void io_mem_connection_close(struct io_mem_connection *io);

#endif /* RUNTIME_IO_MEM_CONNECTION_H */
