/*
 * The progress line of transfers and closure installs on a terminal
 * (depot_progress_draw, depot.h): what `depot download`, `depot fetch` and
 * `sculpt install` draw on stderr while archives arrive. One line, redrawn
 * in place: archives done of those known, bytes there of the bytes to
 * fetch, and the rate of what came over the network since the start.
 */
#include <stdio.h>

#include "depot/depot.h"

/* "512 B", "3.4 KiB", "12.0 MiB": one figure a person reads at a glance. */
static void human(uint64_t bytes, char *out, size_t size)
{
	if (bytes < 1024)
		snprintf(out, size, "%llu B", (unsigned long long)bytes);
	else if (bytes < (1u << 20))
		snprintf(out, size, "%.1f KiB", (double)bytes / 1024);
	else if (bytes < (1u << 30))
		snprintf(out, size, "%.1f MiB", (double)bytes / (1 << 20));
	else
		snprintf(out, size, "%.2f GiB", (double)bytes / (1 << 30));
}

void depot_progress_draw(void *ctx, const struct depot_progress *p)
{
	(void)ctx;
	char have[32], total[32], rate[32];
	human(p->bytes, have, sizeof have);
	human(p->bytes_total, total, sizeof total);
	/* Before the first millisecond there is no rate to tell. */
	if (p->elapsed_ms > 0)
		human(p->fetched * 1000 / p->elapsed_ms, rate, sizeof rate);
	else
		snprintf(rate, sizeof rate, "-");
	/* Trailing spaces wipe a longer line drawn before. */
	fprintf(stderr, "\rdepot: %zu/%zu archives, %s of %s, %s/s      %s",
	        p->done, p->total, have, total, rate, p->final ? "\n" : "");
	fflush(stderr);
}
