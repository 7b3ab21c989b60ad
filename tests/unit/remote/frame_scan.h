/*
 * A whole buffer of back-to-back link frames (what a stream delivers)
 * checked header by header with frame_header_decode (remote/frame.h): the
 * frame test and the fuzz target share it; the link itself reads one
 * frame at a time.
 */
#ifndef TESTS_REMOTE_FRAME_SCAN_H
#define TESTS_REMOTE_FRAME_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* The number of complete frames in buf[0..len), or the first negative
 * frame_status; a trailing partial frame is not counted. Linear in len. */
long frame_scan(const uint8_t *buf, size_t len);

#endif
