/*
 * The frame test's and the fuzz target's scan of a whole buffer of frames
 * (frame_scan.h).
 */
#include "frame_scan.h"

#include <assert.h>

#include <remote/frame.h>

long frame_scan(const uint8_t *buf, size_t len)
{
	long frames = 0;
	size_t pos = 0;
	for (;;) {
		frame_header_t h;
		enum frame_status s = frame_header_decode(buf + pos, len - pos,
		                                          &h);
		if (s == FRAME_NEED_MORE)
			return frames;
		if (s != FRAME_OK)
			return s;
		assert(h.length <= FRAME_PAYLOAD_MAX);
		if (h.length > len - pos - FRAME_HEADER_BYTES)
			return frames;
		pos += FRAME_HEADER_BYTES + h.length;
		frames++;
	}
}
