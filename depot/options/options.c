/*
 * The option parser and help printer of the host tools' subcommands
 * (`depot` and `sculpt`, see options.h): one getopt_long loop for every
 * command, driven by the command's table.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum { ROWS_MAX = 32, HELP_COLUMN = 26, LONG_BASE = 1000 };

static void print_row(const struct option_row *row, FILE *out)
{
	char letter[8] = "";
	if (row->letter)
		snprintf(letter, sizeof letter, "-%c, ", row->letter);
	int n = fprintf(out, "  %s--%s%s%s", letter, row->name,
	                row->arg ? " " : "", row->arg ? row->arg : "");
	fprintf(out, "%*s", n < HELP_COLUMN - 2 ? HELP_COLUMN - n : 2, "");
	for (const char *p = row->help; *p;) {
		size_t len = strcspn(p, "\n");
		fprintf(out, "%.*s\n", (int)len, p);
		p += len;
		if (*p == '\n' && *++p)
			fprintf(out, "%*s", HELP_COLUMN, "");
	}
}

/* Prints the help of a command. */
static void options_help(const struct command_face *face, FILE *out)
{
	fprintf(out, "usage: %s\n\n%s", face->synopsis, face->about);
	if (face->options && face->options[0].name) {
		fputs("\noptions:\n", out);
		for (const struct option_row *row = face->options; row->name;
		     row++)
			print_row(row, out);
	}
	fprintf(out, "\nexample:\n%s", face->example);
}

int options_usage_error(const struct command_face *face, const char *fmt, ...)
{
	va_list ap;
	/* The tool's name: the synopsis's first word ("depot", "sculpt"). */
	fprintf(stderr, "%.*s: ", (int)strcspn(face->synopsis, " "),
	        face->synopsis);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start just above
	va_end(ap);
	fputs("\n\n", stderr);
	options_help(face, stderr);
	return EXIT_USAGE;
}

int options_parse_u64(const char *text, uint64_t *out)
{
	if (!text[0] || strspn(text, "0123456789") != strlen(text))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, NULL, 10);
	if (errno)
		return -1;
	*out = v;
	return 0;
}

/* Stores one option's argument; OPTIONS_RUN, or the usage error status. */
static int apply(const struct command_face *face, const struct option_row *row,
                 const char *arg)
{
	uint64_t number;
	const char *why;
	switch (row->kind) {
	case OPTION_FLAG:
		*(int *)row->value = 1;
		return OPTIONS_RUN;
	case OPTION_TEXT:
		*(const char **)row->value = arg;
		return OPTIONS_RUN;
	case OPTION_NUMBER:
		if (options_parse_u64(arg, &number) || number < row->min ||
		    number > row->max)
			return options_usage_error(face,
			                           "--%s takes a whole "
			                           "number from %" PRIu64
			                           " to %" PRIu64 ", not '%s'",
			                           row->name, row->min,
			                           row->max, arg);
		*(uint64_t *)row->value = number;
		return OPTIONS_RUN;
	case OPTION_LIST:
		if (*row->count == row->max)
			return options_usage_error(face,
			                           "--%s may be given at "
			                           "most %" PRIu64 " times",
			                           row->name, row->max);
		((const char **)row->value)[(*row->count)++] = arg;
		return OPTIONS_RUN;
	case OPTION_CALL:
		why = row->call(row->value, arg);
		return why ? options_usage_error(face, "invalid --%s '%s': %s",
		                                 row->name, arg, why)
		           : OPTIONS_RUN;
	}
	return OPTIONS_RUN;
}

/* The getopt_long table and short option string of a command's rows;
 * a row's val is LONG_BASE + its index. Returns the number of rows. */
static size_t getopt_table(const struct option_row *rows,
                           struct option longs[ROWS_MAX + 2],
                           char shorts[2 * ROWS_MAX + 3])
{
	size_t n = 0, s = 0;
	shorts[s++] = ':'; /* a missing argument returns ':', not '?' */
	shorts[s++] = 'h';
	for (; rows && rows[n].name && n < ROWS_MAX; n++) {
		int has_arg = rows[n].kind == OPTION_FLAG ? no_argument
		                                          : required_argument;
		longs[n] = (struct option){ rows[n].name, has_arg, NULL,
			                    LONG_BASE + (int)n };
		if (rows[n].letter) {
			shorts[s++] = rows[n].letter;
			if (has_arg == required_argument)
				shorts[s++] = ':';
		}
	}
	longs[n] = (struct option){ "help", no_argument, NULL, 'h' };
	longs[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	shorts[s] = '\0';
	return n;
}

static const struct option_row *row_of(const struct option_row *rows,
                                       size_t count, int opt)
{
	if (opt >= LONG_BASE && (size_t)(opt - LONG_BASE) < count)
		return &rows[opt - LONG_BASE];
	for (size_t i = 0; opt > 0 && i < count; i++)
		if (rows[i].letter == opt)
			return &rows[i];
	return NULL;
}

int options_parse(const struct command_face *face, int argc, char **argv,
                  int *first)
{
	struct option longs[ROWS_MAX + 2];
	char shorts[2 * ROWS_MAX + 3];
	size_t count = getopt_table(face->options, longs, shorts);
	int opt, status;
	optind = 0; /* a fresh scan: getopt keeps state between calls */
	opterr = 0; /* a wrong option gets this file's message */
	while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct option_row *row = row_of(face->options, count,
		                                      opt);
		if (opt == 'h') {
			options_help(face, stdout);
			return 0;
		}
		if (opt == ':')
			return options_usage_error(face,
			                           "option '%s' needs "
			                           "an argument",
			                           argv[optind - 1]);
		if (!row && optopt > 0 && optopt < LONG_BASE)
			return options_usage_error(face, "invalid option '-%c'",
			                           optopt);
		if (!row)
			return options_usage_error(face, "invalid option '%s'",
			                           argv[optind - 1]);
		if ((status = apply(face, row, optarg)) != OPTIONS_RUN)
			return status;
	}
	int operands = argc - optind;
	if (operands < face->operands_min ||
	    (face->operands_max >= 0 && operands > face->operands_max))
		return options_usage_error(face, "%s", face->operands_wrong);
	*first = optind;
	return OPTIONS_RUN;
}
