/*
 * The report of a closure install for the `depot` tool (summary.h): the
 * progress line while archives arrive (libdepot's depot_progress_draw),
 * a line on stderr for each damaged archive as soon as it is found (it is
 * fetched again), and at the end, on stdout whether or not it is a
 * terminal, what the install fetched, repaired and found already there.
 */
#include <stdio.h>
#include <stdlib.h>

#include <grow/grow.h>

#include "summary.h"

static void on_progress(void *ctx, const struct depot_progress *p)
{
	struct summary *s = ctx;
	s->last = *p;
	if (s->draw)
		depot_progress_draw(NULL, p);
}

static void on_archive(void *ctx, const struct depot_name *name,
                       enum depot_fate fate, const struct depot_diag *diag)
{
	struct summary *s = ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	if (fate == DEPOT_FATE_DAMAGED) {
		fprintf(stderr,
		        "%sdepot: damaged '%s': '%s' %s; fetching it "
		        "again\n",
		        s->draw ? "\n" : "", text, diag->subject,
		        diag->detail[0] ? diag->detail : "differs");
		return;
	}
	/* Two arrays of one capacity: each grows from the shared one, which
	 * moves on once both have (the same doubling gives both the same). */
	size_t names_room = s->capacity, fates_room = s->capacity;
	struct depot_name *names = grow_array(s->names, &names_room,
	                                      s->count + 1, sizeof *names);
	if (names)
		s->names = names;
	enum depot_fate *fates = grow_array(s->fates, &fates_room, s->count + 1,
	                                    sizeof *fates);
	if (fates)
		s->fates = fates;
	if (!names || !fates)
		return; /* the summary misses a line; the install is done */
	s->capacity = names_room < fates_room ? names_room : fates_room;
	s->names[s->count] = *name;
	s->fates[s->count++] = fate;
}

void summary_init(struct summary *s, int draw)
{
	*s = (struct summary){ .draw = draw };
	s->report = (struct depot_install_report){ .ctx = s,
		                                   .progress = on_progress,
		                                   .archive = on_archive };
}

static size_t count_of(const struct summary *s, enum depot_fate fate)
{
	size_t n = 0;
	for (size_t i = 0; i < s->count; i++)
		n += s->fates[i] == fate;
	return n;
}

void summary_print(const struct summary *s, const char *pkg)
{
	static const char *const words[] = {
		[DEPOT_FATE_PRESENT] = "already there",
		[DEPOT_FATE_INSTALLED] = "new",
		[DEPOT_FATE_REPAIRED] = "repaired",
		[DEPOT_FATE_DAMAGED] = "damaged",
	};
	printf("installed %s: %zu new (%.1f KiB fetched), %zu repaired, %zu "
	       "already there\n",
	       pkg, count_of(s, DEPOT_FATE_INSTALLED),
	       (double)s->last.fetched / 1024, count_of(s, DEPOT_FATE_REPAIRED),
	       count_of(s, DEPOT_FATE_PRESENT));
	for (size_t i = 0; i < s->count; i++) {
		char text[DEPOT_NAME_MAX];
		depot_name_format(&s->names[i], text);
		printf("  %-13s %s\n", words[s->fates[i]], text);
	}
}

void summary_free(struct summary *s)
{
	free(s->names);
	free(s->fates);
}
