/*
 * A link stream (remote/stream.h) over a stream capability that core's
 * Net service handed out (kernel.h, "streams"): what a proxy component
 * runs its link on. Kept apart from the link library, which links no part
 * of the kernel interface so that host programs can use it too.
 */
#ifndef REMOTE_STREAM_CAP_H
#define REMOTE_STREAM_CAP_H

#include <kernel/kernel.h>
#include <runtime/signal.h>
#include <remote/stream.h>

/* Takes `cap` (closed by the stream's close()). With a receiver `rx` of
 * the calling thread (the one that will use the link), the stream can
 * wait (link_wait()): for bytes to read or for any signal of rx's
 * contexts, which is the stream's waker; NULL: no wait. 0, or -1 when
 * out of memory or the stream cannot be watched (cap is closed then
 * too). */
int stream_cap(kcap_t cap, signal_receiver_t *rx, link_stream_t *out);

#endif
