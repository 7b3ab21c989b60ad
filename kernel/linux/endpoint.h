/*
 * Private to the linux platform of the kernel interface: the endpoint
 * object, shared by endpoint.c (its life) and waitset.c (receiving on it).
 */
#ifndef KERNEL_LINUX_ENDPOINT_H
#define KERNEL_LINUX_ENDPOINT_H

#include <stdint.h>
#include <sys/types.h>

#include "kernel/kernel.h"

/*
 * recv_fd is the server end of a SOCK_SEQPACKET socket pair whose other
 * end is the capability. Callers send only channel openings on it (see
 * call.c); requests travel over the channels, which the waitset the
 * endpoint is in receives and owns. Closing recv_fd and those channels
 * revokes the object.
 */
struct kendpoint {
	int recv_fd;
	uint32_t generation; /* registry generation of recv_fd */
	uint64_t process;    /* registry_process_epoch() at creation */
	dev_t cap_dev;       /* identity of the capability end */
	ino_t cap_ino;
	kwaitset_t *waitset; /* the waitset it is in, or NULL */
	unsigned channels;   /* channels open to it, in that waitset (at
	                          * most KENDPOINT_MAX_CHANNELS); guarded by
	                          * the waitset's lock */
};

#endif /* KERNEL_LINUX_ENDPOINT_H */
