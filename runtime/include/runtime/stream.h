/*
 * A byte stream a component holds as a capability: a connected socket
 * that core's Net service handed out (core/README.md, "Network
 * authority"). The component reads and writes it, bounded in time, and
 * can neither open another nor see where it leads.
 */
#ifndef RUNTIME_STREAM_H
#define RUNTIME_STREAM_H

#include <stddef.h>

#include <kernel/kernel.h>

/* Reads 1..n bytes, waiting up to timeout_ms; the count, 0 at the end of
 * the stream, or a negative KERR_* (KERR_TIMEOUT, KERR_REVOKED, ...). */
long stream_read(kcap_t stream, void *buf, size_t n, int timeout_ms);

/* Writes 1..n bytes, waiting up to timeout_ms for room; the count written
 * (perhaps fewer than n) or a negative KERR_*. */
long stream_write(kcap_t stream, const void *buf, size_t n, int timeout_ms);

#endif
