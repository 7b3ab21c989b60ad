/*
 * What a closure install did, as `depot download` and `depot fetch` tell
 * it (summary.c): a struct depot_install_report that draws the progress
 * on a terminal, says at once which installed archive was found damaged,
 * and collects what became of each archive for the summary printed once
 * the install succeeded.
 */
#ifndef DEPOT_TOOL_SUMMARY_H
#define DEPOT_TOOL_SUMMARY_H

#include "depot/depot.h"

struct summary {
	struct depot_install_report report; /* give &report to libdepot */
	int draw;                           /* progress on stderr */
	struct depot_progress last;         /* the latest progress */
	struct depot_name *names;           /* the closure, in order */
	enum depot_fate *fates;
	size_t count, capacity;
};

/* Fills `s`; `draw`: the progress line on stderr (a terminal). */
void summary_init(struct summary *s, int draw);
/* Prints "installed PKG: N new (SIZE fetched), N repaired, N already
 * there" and one line per archive, on stdout. */
void summary_print(const struct summary *s, const char *pkg);
void summary_free(struct summary *s);

#endif
