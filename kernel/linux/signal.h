/*
 * Private to the linux platform of the kernel interface: the signal source
 * object, shared by signal.c (its life, submitting, draining) and
 * waitset.c (waiting for it).
 */
#ifndef KERNEL_LINUX_SIGNAL_H
#define KERNEL_LINUX_SIGNAL_H

#include <stdint.h>

#include "kernel/kernel.h"

/*
 * recv_fd is the receive end of a SOCK_SEQPACKET socket pair whose other
 * end is the capability. Each submit is one message of one 32-bit count.
 */
struct ksignal_source {
	int recv_fd;
	uint32_t generation; /* registry generation of recv_fd */
	uint64_t process;    /* registry_process_epoch() at creation */
	kwaitset_t *waitset; /* the waitset it is in, or NULL */
	uint64_t carry;      /* counts read but not yet reported */
};

enum signal_drain_status {
	SIGNAL_OPEN,     /* holders may submit more */
	SIGNAL_ORPHANED, /* no capability is left anywhere; no more will come */
};

/* Reads, in one system call and without blocking, the counts queued on
 * the source (up to a batch; what is left keeps it readable) and sets
 * *count to what is to be reported now: at most UINT32_MAX, the rest
 * stays in `carry` for the next report. */
enum signal_drain_status signal_drain(ksignal_source_t *src, uint32_t *count);

#endif /* KERNEL_LINUX_SIGNAL_H */
