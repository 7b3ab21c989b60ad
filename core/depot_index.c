/*
 * The text of a depot-index ROM (depot_index.h).
 */
#include "depot_index.h"

#include <runtime/str.h>

#include <assert.h>
#include <string.h>

/* Writes the first line into out; returns its length (it always fits:
 * why is cut). */
static size_t status_line(enum depot_index_state state, const char *why,
                          char *out)
{
	static const char *const words[] = {
		[DEPOT_INDEX_INSTALLED] = "installed",
		[DEPOT_INDEX_MISSING] = "missing",
		[DEPOT_INDEX_DAMAGED] = "damaged",
	};
	enum { LINE_MAX_BYTES = 512 };
	static_assert(LINE_MAX_BYTES < DEPOT_INDEX_MAX, "a status line fits");
	int len = state == DEPOT_INDEX_DAMAGED
	                  ? str_format(out, LINE_MAX_BYTES - 1, "damaged %s",
	                               why)
	                  : str_format(out, LINE_MAX_BYTES - 1, "%s",
	                               words[state]);
	size_t n = len < 0 ? strlen(out) : (size_t)len;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	out[n++] = '\n';
	return n;
}

size_t depot_index_text(enum depot_index_state state, const char *why,
                        const struct manifest *m, char *out)
{
	size_t len = status_line(state, why, out);
	if (!m || state == DEPOT_INDEX_MISSING)
		return len;
	for (size_t i = 0; i < m->count; i++) {
		size_t name_len = strlen(m->files[i].name);
		if (len + name_len + 1 > DEPOT_INDEX_MAX)
			return status_line(DEPOT_INDEX_DAMAGED,
			                   "its list of files "
			                   "is larger than 64 KiB",
			                   out);
		memcpy(out + len, m->files[i].name, name_len);
		len += name_len;
		out[len++] = '\n';
	}
	return len;
}
