/*
 * The one option parser of the host tools' subcommands, `depot` and
 * `sculpt` (git's parse-options in small). A command describes itself once, in a struct command_face:
 * its synopsis, what it does, a table of its options (each naming where
 * its value goes and the line --help prints for it), its operands and an
 * example. options_parse() reads argv by that table and prints the help
 * (--help) or a usage error itself, so every command takes --help, reports
 * a wrong option, a bad number or a wrong count of operands the same way,
 * and its --help can never disagree with what it parses.
 *
 * Numbers are whole decimal numbers checked against the row's range;
 * text options keep a pointer into argv; a list option appends to an
 * array of at most `max` entries; a call option hands its text to a
 * function that stores it or says why it is wrong.
 */
#ifndef HOST_OPTIONS_H
#define HOST_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum option_kind {
	OPTION_FLAG,   /* no argument; sets *(int *)value to 1 */
	OPTION_TEXT,   /* *(const char **)value = the argument */
	OPTION_NUMBER, /* *(uint64_t *)value = the argument, in [min, max] */
	OPTION_LIST,   /* ((const char **)value)[(*count)++] = the argument */
	OPTION_CALL,   /* call(value, argument): NULL, or why it is wrong */
};

struct option_row {
	const char *name; /* the long name, without "--" */
	char letter;      /* a short name, or 0 */
	enum option_kind kind;
	const char *arg;   /* the argument's name in --help ("DIR") */
	const char *help;  /* what it does; '\n' starts another line */
	void *value;       /* where the value goes (see the kinds) */
	uint64_t min, max; /* OPTION_NUMBER: the range; OPTION_LIST:
	                          max entries */
	size_t *count;     /* OPTION_LIST: entries so far */
	const char *(*call)(void *value, const char *arg); /* OPTION_CALL */
};

/* Rows of an option table. */
#define OPTION_FLAG_ROW(name, letter, help, value) \
	{ (name), (letter), OPTION_FLAG, NULL, (help), (value), 0, 0, NULL, \
	  NULL }
#define OPTION_TEXT_ROW(name, arg, help, value) \
	{ (name), 0, OPTION_TEXT, (arg), (help), (value), 0, 0, NULL, NULL }
#define OPTION_NUMBER_ROW(name, letter, arg, help, value, min, max) \
	{ (name), (letter), OPTION_NUMBER, (arg), (help), (value), (min), \
	  (max), NULL, NULL }
#define OPTION_LIST_ROW(name, arg, help, array, count, max) \
	{ (name), 0, OPTION_LIST, (arg), (help), (array), 0, (max), (count), \
	  NULL }
#define OPTION_CALL_ROW(name, arg, help, ctx, call) \
	{ (name), 0, OPTION_CALL, (arg), (help), (ctx), 0, 0, NULL, (call) }
#define OPTION_END { NULL, 0, OPTION_FLAG, NULL, NULL, NULL, 0, 0, NULL, NULL }

/* Everything `depot <command> --help` shows, and the operand count. */
struct command_face {
	const char *synopsis; /* after "usage: ", e.g. "depot list [<user>]" */
	const char *about;    /* what the command does: paragraphs, each
	                          line ending in '\n' */
	const struct option_row *options; /* ended by OPTION_END; NULL: none */
	const char *example;        /* command lines, each ending in '\n' */
	int operands_min;           /* operands after the options */
	int operands_max;           /* -1: no limit */
	const char *operands_wrong; /* the message for another count */
};

enum { OPTIONS_RUN = -1, EXIT_USAGE = 2 };

/* Parses argv (argv[0] is the command name) by face->options. Returns
 * OPTIONS_RUN with *first set to the index of the first operand when the
 * command should run; otherwise the exit status the command returns at
 * once: 0 after printing the help for --help, EXIT_USAGE after printing
 * a usage error and the help to stderr. */
int options_parse(const struct command_face *face, int argc, char **argv,
                  int *first);

/* Prints "<tool>: <message>" (<tool>: the synopsis's first word, e.g.
 * "depot"), a blank line and the help to stderr;
 * returns EXIT_USAGE. For the checks a table cannot express. */
int options_usage_error(const struct command_face *face, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses a whole decimal number (digits only, no sign, no spaces, within
 * uint64_t); 0 on success, -1 otherwise. */
int options_parse_u64(const char *text, uint64_t *out);

#endif
