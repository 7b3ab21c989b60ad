/*
 * Private to the linux platform of the kernel interface: what the waitset
 * (waitset.c) needs from the thread subsystem (thread.c) so that
 * kthread_cancel_blocking() also wakes a thread blocked in epoll.
 */
#ifndef KERNEL_LINUX_THREAD_H
#define KERNEL_LINUX_THREAD_H

#include "kernel/kernel.h"

/* The thread's cancel eventfd (nonblocking, close-on-exec), created on the
 * first call. kthread_cancel_blocking() writes it after setting the cancel
 * flag. Must be called by `thread` itself. */
int kthread_cancel_fd(kthread_t *thread, int *fd);

/* Consumes a pending cancel of `thread`: 1 if one was pending, else 0.
 * Also drains the cancel eventfd, so a cancel consumed by one blocking
 * operation leaves no stale wake-up for the next. */
int kthread_take_cancel(kthread_t *thread);

#endif /* KERNEL_LINUX_THREAD_H */
