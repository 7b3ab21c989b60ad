/*
 * The plan in words (plan_text.h), over libformat's config_plan_compare.
 */
#include "plan_text.h"

#include <stdbool.h>

#include "format/plan.h"

static const char *what(const struct runtime_child *child)
{
	return child->pkg ? child->pkg : child->binary;
}

static void print_restart(FILE *out, const struct runtime_child *was,
                          const struct runtime_child *is, unsigned why)
{
	fprintf(out, "restart %s: %s", is->name, config_plan_why_text(why));
	if (why & (CONFIG_PLAN_WHY_PKG | CONFIG_PLAN_WHY_BINARY))
		fprintf(out, " (%s -> %s)", what(was), what(is));
	fputc('\n', out);
}

static void print_update(FILE *out, const struct runtime_child *is,
                         const struct config_plan_entry *e)
{
	if (e->config_changed)
		fprintf(out, "update %s: new config, delivered live\n",
		        is->name);
	if (e->ram_raise || e->caps_raise)
		fprintf(out, "update %s: ram +%llu, caps +%llu, moved live\n",
		        is->name, (unsigned long long)e->ram_raise,
		        (unsigned long long)e->caps_raise);
	if (e->ram_lower || e->caps_lower)
		fprintf(out,
		        "update %s: ram -%llu, caps -%llu, taken back live "
		        "(what is free at once, the rest by a yield request; a "
		        "restart if not given back by the deadline)\n",
		        is->name, (unsigned long long)e->ram_lower,
		        (unsigned long long)e->caps_lower);
}

/* One running child's line(s); whether it changes. */
static int print_old(FILE *out, const struct runtime_child *was,
                     const struct runtime_config *next,
                     const struct config_plan_entry *e)
{
	const struct runtime_child *is = &next->start[e->next];

	switch (e->fate) {
	case CONFIG_PLAN_REMOVE:
		fprintf(out,
		        "remove %s: ram %llu and caps %llu go back to init\n",
		        was->name, (unsigned long long)was->ram,
		        (unsigned long long)was->caps);
		return 1;
	case CONFIG_PLAN_RESTART:
		print_restart(out, was, is, e->restart_why);
		return 1;
	case CONFIG_PLAN_UPDATE:
		print_update(out, is, e);
		break;
	case CONFIG_PLAN_UNCHANGED:
		if (!e->routes_changed)
			fprintf(out, "keep %s\n", is->name);
		break;
	}
	if (e->routes_changed)
		fprintf(out,
		        "re-route %s: open sessions whose route changed are "
		        "re-opened\n",
		        is->name);
	return e->fate == CONFIG_PLAN_UPDATE || e->routes_changed;
}

/* Whether the running child `name` restarts under `plan`. */
static bool restarts(const struct runtime_config *running,
                     const struct config_plan *plan, const char *name)
{
	const struct runtime_child *c = runtime_config_find_child(running,
	                                                          name);

	return c && plan->old[c - running->start].fate == CONFIG_PLAN_RESTART;
}

/* The sessions a kept child has at a server that restarts: init closes
 * them and the client opens them anew at the new process. */
static void print_followers(FILE *out, const struct runtime_config *running,
                            const struct runtime_config *next,
                            const struct config_plan *plan)
{
	for (size_t i = 0; i < plan->old_count; i++) {
		const struct runtime_child *is;

		if (plan->old[i].fate == CONFIG_PLAN_RESTART ||
		    plan->old[i].fate == CONFIG_PLAN_REMOVE)
			continue;
		is = &next->start[plan->old[i].next];
		for (size_t r = 0; r < is->route.count; r++)
			if (is->route.rules[r].to == RUNTIME_TO_CHILD &&
			    restarts(running, plan, is->route.rules[r].child))
				fprintf(out,
				        "re-connect %s: its %s session to %s is "
				        "opened anew at the restarted server\n",
				        is->name, is->route.rules[r].service,
				        is->route.rules[r].child);
	}
}

int plan_print(FILE *out, const struct runtime_config *running,
               const struct runtime_config *next)
{
	struct config_plan plan;
	int changes = 0;

	if (config_plan_compare(running, next, &plan))
		return -1;
	for (size_t i = 0; i < plan.old_count; i++)
		changes += print_old(out, &running->start[i], next,
		                     &plan.old[i]);
	print_followers(out, running, next, &plan);
	for (size_t j = 0; j < plan.new_count; j++) {
		const struct runtime_child *is = &next->start[j];

		if (!plan.added[j])
			continue;
		fprintf(out, "start %s (%s %s, ram %llu, caps %llu)\n",
		        is->name, is->pkg ? "pkg" : "binary", what(is),
		        (unsigned long long)is->ram,
		        (unsigned long long)is->caps);
		changes++;
	}
	config_plan_free(&plan);
	return changes;
}
