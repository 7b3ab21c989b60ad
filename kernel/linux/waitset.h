/*
 * Private to the linux platform of the kernel interface: what endpoint.c
 * and signal.c need from the waitset when their objects go away.
 */
#ifndef KERNEL_LINUX_WAITSET_H
#define KERNEL_LINUX_WAITSET_H

#include "kernel/kernel.h"

/* Takes the endpoint out of its waitset, if any, closing every channel
 * that callers opened to it. */
void waitset_detach_endpoint(kendpoint_t *ep);

/* Takes the signal source out of its waitset, if any. */
void waitset_detach_signal(ksignal_source_t *src);

#endif /* KERNEL_LINUX_WAITSET_H */
