/*
 * Frame header decimals (decimal.h).
 */
#include "decimal.h"

int decimal_parse(const char *s, size_t len, unsigned digits, uint64_t max,
                  uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > digits || digits > 19)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}
