/*
 * The rate limit of core's terminal (terminal_limit.h): fixed windows,
 * a count of shown and dropped lines per label, a table of bounded size.
 * A fixed window rather than a token bucket because the note of what was
 * dropped is given per window, and that note is what a person reads.
 */
#include "terminal_limit.h"

#include <runtime/str.h>

#include <string.h>

void terminal_limit_init(struct terminal_limit *l, unsigned per_label,
                         unsigned total)
{
	memset(l, 0, sizeof(*l));
	l->window_ns = TERMINAL_LIMIT_WINDOW_NS;
	l->per_label = per_label;
	l->total = total;
}

void terminal_limit_flush(struct terminal_limit *l, int64_t now_ns,
                          terminal_drop_fn drop, void *ctx)
{
	for (unsigned i = 0; i < l->used; i++)
		if (l->counts[i].dropped)
			drop(ctx, l->counts[i].label, l->counts[i].dropped);
	if (l->others.dropped)
		drop(ctx, NULL, l->others.dropped);
	l->used = 0;
	l->shown = 0;
	memset(&l->others, 0, sizeof(l->others));
	l->window_start = now_ns;
}

/* The count of `label` in this window, a new one if the table has room,
 * else the shared one. */
static struct terminal_count *count_of(struct terminal_limit *l,
                                       const char *label)
{
	for (unsigned i = 0; i < l->used; i++)
		if (strcmp(l->counts[i].label, label) == 0)
			return &l->counts[i];
	if (l->used == TERMINAL_LIMIT_LABELS)
		return &l->others;
	struct terminal_count *c = &l->counts[l->used++];
	str_copy(c->label, label, sizeof(c->label));
	c->shown = c->dropped = 0;
	return c;
}

int terminal_limit_admit(struct terminal_limit *l, const char *label,
                         int64_t now_ns, terminal_drop_fn drop, void *ctx)
{
	if (now_ns - l->window_start >= l->window_ns ||
	    now_ns < l->window_start)
		terminal_limit_flush(l, now_ns, drop, ctx);
	struct terminal_count *c = count_of(l, label);
	if ((l->per_label && c->shown >= l->per_label) ||
	    (l->total && l->shown >= l->total)) {
		c->dropped++;
		return 0;
	}
	c->shown++;
	l->shown++;
	return 1;
}

void terminal_limit_note(char *out, size_t size, const char *label,
                         const char *log_file, unsigned dropped)
{
	if (label)
		str_format(out, size,
		           "%u lines of %s dropped from the terminal (rate "
		           "limit); log/%s has them",
		           dropped, label, log_file);
	else
		str_format(out, size,
		           "%u lines of further labels dropped from the "
		           "terminal (rate limit); log/ has them",
		           dropped);
}
