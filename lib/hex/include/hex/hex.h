/*
 * libhex: bytes as hexadecimal text and back, for the digests, keys and
 * signatures that depot metadata, archive indexes and link identities
 * carry, and the numbers of a session's arguments. Depends on the C library
 * only (as libgrow), so that the host tools, core, libruntime on every
 * platform and the remote link all link the one copy.
 */
#ifndef HEX_HEX_H
#define HEX_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value 0..15 of a hexadecimal digit of either case, or -1. */
int hex_digit_value(char c);

/* Writes 2 * count lowercase digits and a NUL: out holds 2 * count + 1. */
void hex_encode(const uint8_t *bytes, size_t count, char *out);

/*
 * Reads exactly 2 * count digits (either case) at the start of `text` into
 * out; false, out untouched, when one of them is no digit (a NUL among them
 * is none, so a short text is refused without being read past its end).
 * What follows them is the caller's to judge.
 */
bool hex_decode(const char *text, size_t count, uint8_t *out);

#endif
