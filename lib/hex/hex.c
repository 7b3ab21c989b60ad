/*
 * libhex (hex/hex.h): hexadecimal text of bytes. Decoding checks every
 * digit before it writes a byte, so a refused text leaves the caller's
 * buffer as it was.
 */
#include "hex/hex.h"

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void hex_encode(const uint8_t *bytes, size_t count, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < count; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * count] = '\0';
}

bool hex_decode(const char *text, size_t count, uint8_t *out)
{
	/* Stops at the first non-digit, a NUL included: never past the end. */
	for (size_t i = 0; i < 2 * count; i++)
		if (hex_digit_value(text[i]) < 0)
			return false;
	/* Every value is 0..15 now: the casts lose nothing. */
	for (size_t i = 0; i < count; i++)
		out[i] = (uint8_t)((unsigned)hex_digit_value(text[2 * i]) << 4 |
		                   (unsigned)hex_digit_value(text[2 * i + 1]));
	return true;
}
