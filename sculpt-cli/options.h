/*
 * The one option parser of the sculpt verbs, in the shape of the depot
 * tool's (depot/tool/options.h): a verb describes itself once in a struct
 * verb_face (synopsis, what it does, its option table, operand count, an
 * example) and options_parse() reads argv by that table, prints --help
 * from it and reports wrong usage the same way for every verb, so a verb's
 * --help never disagrees with what it parses.
 */
#ifndef SCULPT_OPTIONS_H
#define SCULPT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum option_kind {
	OPTION_FLAG,   /* no argument; sets *(int *)value to 1 */
	OPTION_TEXT,   /* *(const char **)value = the argument */
	OPTION_LIST,   /* ((const char **)value)[(*count)++] = the argument */
};

struct option_row {
	const char *name;      /* the long name, without "--" */
	char letter;           /* a short name, or 0 */
	enum option_kind kind;
	const char *arg;       /* the argument's name in --help ("DIR") */
	const char *help;      /* what it does; '\n' starts another line */
	void *value;           /* where the value goes (see the kinds) */
	size_t max;            /* OPTION_LIST: at most this many */
	size_t *count;         /* OPTION_LIST: entries so far */
};

#define OPTION_FLAG_ROW(name, letter, help, value) \
	{ (name), (letter), OPTION_FLAG, NULL, (help), (value), 0, NULL }
#define OPTION_TEXT_ROW(name, letter, arg, help, value) \
	{ (name), (letter), OPTION_TEXT, (arg), (help), (value), 0, NULL }
#define OPTION_LIST_ROW(name, arg, help, array, count, max) \
	{ (name), 0, OPTION_LIST, (arg), (help), (array), (max), (count) }
#define OPTION_END { NULL, 0, OPTION_FLAG, NULL, NULL, NULL, 0, NULL }

/* The rows of a transaction's options (apply, update); see
 * deploy_options_read in sculpt.h. */
#define DEPLOY_ROWS(no_wait, timeout) \
	OPTION_FLAG_ROW("no-wait", 0, "do not watch the running target", \
	                (no_wait)), \
	OPTION_TEXT_ROW("timeout", 0, "SECONDS", "how long the new generation "\
	                "may take\nto run (default 10)", (timeout))

struct verb_face {
	const char *synopsis;  /* after "usage: " */
	const char *about;     /* paragraphs, each line ending in '\n' */
	const struct option_row *options; /* ended by OPTION_END; NULL: none */
	const char *example;   /* command lines, each ending in '\n' */
	int operands_min;
	int operands_max;      /* -1: no limit */
	const char *operands_wrong; /* the message for another count */
};

enum { OPTIONS_RUN = -1, EXIT_USAGE = 2 };

/* Parses argv (argv[0] is the verb) by face->options. OPTIONS_RUN with
 * *first the index of the first operand, or the status the verb returns at
 * once: 0 after --help, EXIT_USAGE after a usage error (on stderr). */
int options_parse(const struct verb_face *face, int argc, char **argv,
                  int *first);

void options_help(const struct verb_face *face, FILE *out);

/* "sculpt: <message>", a blank line and the help on stderr; EXIT_USAGE. */
int options_usage_error(const struct verb_face *face, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
