/*
 * Fuzz target of the link's frame parser (pkg/remote/link/frame.c): any
 * byte stream is scanned in linear time, never read beyond, and what
 * decodes satisfies the header invariants of remote/frame.h.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <remote/frame.h>

#include "frame_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	frame_header_t h;
	long frames = frame_scan(data, size);
	assert(frames >= FRAME_BAD_LENGTH);
	assert(frames <= (long)(size / (FRAME_HEADER_BYTES + 1)) + 1);
	if (frame_header_decode(data, size, &h) == FRAME_OK) {
		assert(h.channel < FRAME_CHANNELS);
		assert(h.length <= FRAME_PAYLOAD_MAX);
	}
	return 0;
}
