/*
 * Printable text (printable.h): a UTF-8 validator that works byte by
 * byte, in place, in one pass.
 */
#include "printable.h"

#include <string.h>

size_t printable_lead_length(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Whether b may follow the lead byte: a continuation byte, narrowed after
 * some leads so that overlong forms, surrogates and code points above
 * U+10FFFF are refused. */
static int may_follow(unsigned char lead, unsigned char b)
{
	switch (lead) {
	case 0xe0:
		return b >= 0xa0 && b <= 0xbf;
	case 0xed:
		return b >= 0x80 && b <= 0x9f;
	case 0xf0:
		return b >= 0x90 && b <= 0xbf;
	case 0xf4:
		return b >= 0x80 && b <= 0x8f;
	default:
		return b >= 0x80 && b <= 0xbf;
	}
}

size_t printable_valid_prefix(const unsigned char *s, size_t n)
{
	size_t want = printable_lead_length(s[0]);
	if (want == 0)
		return 0;
	size_t i = 1;
	for (; i < want && i < n; i++) {
		int ok = i == 1 ? may_follow(s[0], s[1])
		                : (s[i] & 0xc0) == 0x80;
		if (!ok)
			return 0;
	}
	return i;
}

size_t printable_sanitize(char *text, size_t n)
{
	unsigned char *s = (unsigned char *)text;
	size_t o = 0;
	/* o <= i throughout: what is written never overtakes what is read */
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : printable_lead_length(c);
		if (c < 0x80) {
			s[o++] = (unsigned char)(c < 0x20 || c == 0x7f ? '?'
			                                               : c);
		} else if (len == 0 ||
		           printable_valid_prefix(s + i, n - i) != len) {
			s[o++] = '?';
			len = 1;
		} else if (c == 0xc2 && s[i + 1] < 0xa0) {
			s[o++] =
				'?'; /* a C1 control character, U+0080..U+009F */
		} else {
			memmove(s + o, s + i, len);
			o += len;
		}
		i += len;
	}
	return o;
}
