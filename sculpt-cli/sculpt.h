/*
 * The shape shared by every `sculpt` verb (the depot tool's shape,
 * depot/tool/tool.h). main.c reads the global options into a struct sculpt
 * and dispatches by name through its verb table to one cmd_<verb>() per
 * file; interactive.c runs the same table line by line. To add a verb:
 * write cmd_<verb>.c with its help text (what it does, an example), static
 * helpers and the entry point last, describing its options and operands in
 * a struct command_face for options_parse() (options.h); declare the entry
 * point here; add one row to the table in verbs.c.
 *
 * An entry point returns the exit status (0 success, 1 failure, 2 wrong
 * usage); only main() exits. Messages: lowercase, no final full stop, the
 * subject in single quotes, "sculpt: " in front; every libsculpt error goes
 * through sculpt_report().
 *
 * sculpt works on a target directory (core/README.md, "The target
 * directory"): TARGET/depot/ its depot, TARGET/config/init.config what init
 * runs, TARGET/report/, TARGET/log/, and sculpt's own TARGET/sculpt/
 * (lib/state.h).
 */
#ifndef SCULPT_SCULPT_H
#define SCULPT_SCULPT_H

#include <limits.h>

#include "lib/composition.h"
#include "lib/diag.h"
#include "lib/generate.h"

struct sculpt {
	const char *target; /* --target, $SCULPT_TARGET, or "target" */
	int progress;       /* stderr is a terminal */
	/* The interactive mode's question: shows `question` and the `count`
	 * choices, returns the index of the one the person picked, or -1.
	 * NULL from the command line, where a choice is an option. */
	int (*ask)(struct sculpt *s, const char *question,
	           const char *const *choices, size_t count);
};

struct verb {
	const char *name;
	int (*run)(struct sculpt *s, int argc, char **argv);
	const char *summary;
};

extern const struct verb sculpt_verbs[];
extern const size_t sculpt_verb_count;

/* The verb called `name`, or NULL. */
const struct verb *sculpt_find_verb(const char *name);

/* Prints "sculpt: <message>" for a libsculpt error; returns 1. */
int sculpt_report(const struct sculpt_diag *diag);

/* TARGET/depot into out. */
void sculpt_depot_dir(const struct sculpt *s, char out[PATH_MAX]);

/* The pkg runtime files of the target's depot (ctx: the sculpt). */
struct pkg_source sculpt_pkg_source(struct sculpt *s);

/* The configuration init runs now (TARGET/config/init.config), or *out
 * NULL when there is none. An invalid one is an error. */
int sculpt_running(const struct sculpt *s, struct runtime_config **out,
                   struct sculpt_diag *diag);

struct deploy_options {
	int wait; /* watch init's state report, roll back on failure */
	unsigned timeout_s; /* how long a generation may take to run */
};

struct command_face;

/* The rows of a transaction's options (apply, update), read by
 * deploy_options_read. */
#define DEPLOY_ROWS(no_wait, timeout) \
	OPTION_FLAG_ROW("no-wait", 0, "do not watch the running target", \
	                (no_wait)), \
	OPTION_TEXT_ROW("timeout", "SECONDS", "how long the new generation " \
	                "may take\nto run (default 10)", (timeout))

/* Fills `out` from --no-wait and --timeout (DEPLOY_ROWS): waits when the
 * target has a state report and --no-wait is not given. OPTIONS_RUN, or
 * the usage error's status. */
int deploy_options_read(const struct command_face *face, struct sculpt *s,
                        int no_wait, const char *timeout,
                        struct deploy_options *out);

/* The transaction of apply and update: generates the configuration of
 * `c` (its version "generation N"), prints the plan, records it as
 * generation N, writes it to TARGET/config/init.config atomically (init
 * applies it live; a riscv target gets it over its control channel,
 * target_control.h), makes N the current generation and saves `c` as the
 * working composition; nothing is written when generation fails, or when
 * a riscv target is not running or the push fails. With
 * options->wait it then watches init's state report: when a child fails,
 * crashes, is incomplete or a session stays pending past the timeout, it
 * rolls back to the generation before and fails, saying why. */
int sculpt_deploy(struct sculpt *s, const struct sculpt_composition *c,
                  const struct deploy_options *options,
                  struct sculpt_diag *diag);

/* `sculpt boot`: applies the composition (empty at first) as the first
 * configuration when the target has none, without waiting; `version`
 * receives the version init is to report ("generation 0" when there is
 * still none). */
int sculpt_first_config(struct sculpt *s, char version[32],
                        struct sculpt_diag *diag);

/* Writes generation `generation` to the target again (its config and its
 * composition), makes it current, and prints the plan of that change. */
int sculpt_restore(struct sculpt *s, unsigned generation,
                   struct sculpt_diag *diag);

/* Polls TARGET/report/init.state (every 100 ms, at most `timeout_s`)
 * until init has run `config` as `version` (watch.h) for 1.5 s without a
 * failure; 0 when it has, else 1 with `why` saying what failed or is
 * still awaited. */
int sculpt_watch(struct sculpt *s, const char *version,
                 const struct runtime_config *config, unsigned timeout_s,
                 char *why, size_t size);

/* The pkg named by `text` (user/pkg/name[/version]) with its version: as
 * given, or the newest installed in the target's depot. */
int sculpt_installed_pkg(const struct sculpt *s, const char *text,
                         char out[DEPOT_NAME_MAX], struct sculpt_diag *diag);

int cmd_add(struct sculpt *s, int argc, char **argv);
int cmd_apply(struct sculpt *s, int argc, char **argv);
int cmd_boot(struct sculpt *s, int argc, char **argv);
int cmd_config(struct sculpt *s, int argc, char **argv);
int cmd_depot(struct sculpt *s, int argc, char **argv);
int cmd_graph(struct sculpt *s, int argc, char **argv);
int cmd_install(struct sculpt *s, int argc, char **argv);
int cmd_log(struct sculpt *s, int argc, char **argv);
int cmd_plan(struct sculpt *s, int argc, char **argv);
int cmd_publish(struct sculpt *s, int argc, char **argv);
int cmd_remove(struct sculpt *s, int argc, char **argv);
int cmd_rollback(struct sculpt *s, int argc, char **argv);
int cmd_route(struct sculpt *s, int argc, char **argv);
int cmd_status(struct sculpt *s, int argc, char **argv);
int cmd_update(struct sculpt *s, int argc, char **argv);

/* The interactive mode (interactive.c): a prompt with line editing,
 * history and completion that runs verbs until end of input. */
int sculpt_interactive(struct sculpt *s);

#endif
