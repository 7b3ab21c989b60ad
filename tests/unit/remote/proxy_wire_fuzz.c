/*
 * Fuzz target of the RPC proxy's decoder (pkg/remote/rpc/proxy_wire.c):
 * any bytes as one message. What decodes must keep the invariants of
 * proxy_wire.h (data inside the message, counts and ranges within their
 * bounds), and encode to exactly the bytes it came from.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proxy_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[PROXY_MSG_MAX];
	struct proxy_msg m;
	long n;
	if (proxy_decode(data, size, &m) != PROXY_OK)
		return 0;
	assert(m.cap_count <= PROXY_CAPS_MAX);
	assert(!m.len || (m.data >= data && m.data + m.len <= data + size));
	if (m.kind == PROXY_DS)
		assert(m.size <= PROXY_DS_MAX && m.offset + m.len <= m.size);
	n = proxy_encode(&m, again);
	assert(n == (long)size && memcmp(again, data, size) == 0);
	return 0;
}
