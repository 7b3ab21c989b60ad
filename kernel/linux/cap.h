/*
 * Private to the linux platform of the kernel interface: what the caller
 * side of IPC (call.c) needs from the capability subsystem (cap.c).
 */
#ifndef KERNEL_LINUX_CAP_H
#define KERNEL_LINUX_CAP_H

#include <stdint.h>
#include <sys/types.h>

/* Counts kcap_close() calls process-wide. A cached fact about a selector
 * that was checked at close epoch E is still true while the epoch is E:
 * no selector number has been freed for reuse since. */
uint64_t cap_close_epoch(void);

/* The identity of the object behind a selector: the (device, inode) of
 * its descriptor. Returns 0 or KERR_INVALID. */
int cap_identity(int fd, dev_t *dev, ino_t *ino);

/* Closes the calling thread's channel to the object `sel` named, if it
 * has one: kcap_close() calls it so a thread that drops a capability does
 * not keep a channel to its object (call.c). */
void call_forget_channel(int sel);

/* Marks a signal source by its receive end `recv_fd`, before the
 * capability end is handed out. Endpoints and signal sources are both
 * AF_UNIX SOCK_SEQPACKET socket pairs (the only kind of socket a confined
 * component may create, see kernel/pd.h); the mark is what tells them
 * apart, and it sits where only the creator can reach it. */
int cap_mark_signal(int recv_fd);

#endif /* KERNEL_LINUX_CAP_H */
