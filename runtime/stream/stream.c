/*
 * Streams of a component (runtime/stream.h): the kernel interface's
 * stream capabilities, behind libruntime's names.
 */
#include <runtime/stream.h>

long stream_read(kcap_t stream, void *buf, size_t n, int timeout_ms)
{
	return kstream_read(stream, buf, n, timeout_ms);
}

long stream_write(kcap_t stream, const void *buf, size_t n, int timeout_ms)
{
	return kstream_write(stream, buf, n, timeout_ms);
}
