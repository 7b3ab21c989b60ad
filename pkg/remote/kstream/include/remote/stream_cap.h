/*
 * A link stream (remote/stream.h) over a stream capability that core's
 * Net service handed out (kernel.h, "streams"): what a proxy component
 * runs its link on. Kept apart from the link library, which links no part
 * of the kernel interface so that host programs can use it too.
 */
#ifndef REMOTE_STREAM_CAP_H
#define REMOTE_STREAM_CAP_H

#include <kernel/kernel.h>
#include <remote/stream.h>

/* Takes `cap` (closed by the stream's close()). 0, or -1 when out of
 * memory (cap is closed then too). */
int stream_cap(kcap_t cap, link_stream_t *out);

#endif
