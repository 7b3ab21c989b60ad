/*
 * Streams of the kernel interface (kernel/kernel.h, "streams") over the
 * kernel's stream ends (../stream.h, SYS_STREAM_*): a stream capability
 * is the selector of one end, which core's Net service made with the
 * other end kept for itself and handed on like any capability. Reads,
 * writes and their timeouts are the kernel's (ticks of 10 ms, rounded
 * up; 0 polls); closing is kcap_close() of the last selector, and a
 * waitset takes an end as it takes an endpoint (waitset.c).
 */
#include "lib.h"

long kstream_read(kcap_t cap, void *buf, size_t n, int timeout_ms)
{
	return sys_call4(SYS_STREAM_READ, cap.sel, (long)buf, (long)n,
	                 timeout_ms);
}

long kstream_write(kcap_t cap, const void *buf, size_t n, int timeout_ms)
{
	return sys_call4(SYS_STREAM_WRITE, cap.sel, (long)buf, (long)n,
	                 timeout_ms);
}
