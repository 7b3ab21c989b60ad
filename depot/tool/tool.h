/*
 * The shape shared by every `depot` subcommand (git builtin / apk applet
 * style). main.c parses the global options into a struct tool and
 * dispatches by name through the table in main.c to one cmd_<name>()
 * per file. To add a subcommand: write cmd_<name>.c with its help text
 * (what it does, an example), static helpers and the entry point last;
 * the entry point describes its options and operands in a struct
 * command_face and lets options_parse() (options.h) read argv, so
 * --help, option errors and numbers work the same in every command;
 * declare the entry point here; add one row to the table in main.c.
 *
 * An entry point returns the exit status (0 success, 1 failure, 2 wrong
 * usage); only main() exits. Messages follow one guide: lowercase, no final
 * full stop, the subject in single quotes, "depot: " in front; every
 * libdepot error goes through tool_fail(), which asks depot_strerror() for
 * the words.
 */
#ifndef DEPOT_TOOL_H
#define DEPOT_TOOL_H

#include "depot/depot.h"
#include "options.h"

struct tool {
	const char *depot;   /* --depot, $DEPOT_DIR, or "depot" */
	const char *recipes; /* --recipes, or "recipes" */
	const char *root;    /* --root, or "." */
	int progress;        /* stderr is a terminal */
};

/* Prints a libdepot error; returns 1. */
int tool_fail(int code, const struct depot_diag *diag);
/* Prints a root's fingerprint, version, expiry and key ids. */
void tool_print_root(const struct depot_root_info *info);
/* Parses user/pkg/name or user/pkg/name/version (version left empty). */
int tool_parse_pkg(const char *text, struct depot_name *out,
                   struct depot_diag *diag);

int cmd_build(struct tool *tool, int argc, char **argv);
int cmd_create(struct tool *tool, int argc, char **argv);
int cmd_bump(struct tool *tool, int argc, char **argv);
int cmd_extract(struct tool *tool, int argc, char **argv);
int cmd_fetch(struct tool *tool, int argc, char **argv);
int cmd_list(struct tool *tool, int argc, char **argv);
int cmd_deps(struct tool *tool, int argc, char **argv);
int cmd_gc(struct tool *tool, int argc, char **argv);
int cmd_verify(struct tool *tool, int argc, char **argv);
int cmd_keygen(struct tool *tool, int argc, char **argv);
int cmd_publish(struct tool *tool, int argc, char **argv);
int cmd_timestamp(struct tool *tool, int argc, char **argv);
int cmd_trust(struct tool *tool, int argc, char **argv);
int cmd_download(struct tool *tool, int argc, char **argv);

#endif
