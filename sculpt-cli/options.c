/*
 * The option parser and help printer of the sculpt verbs (options.h): one
 * getopt_long loop for every verb, driven by the verb's table.
 */
#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>

enum { ROWS_MAX = 16, HELP_COLUMN = 26, LONG_BASE = 1000 };

static void print_row(const struct option_row *row, FILE *out)
{
	char letter[8] = "";
	int n;

	if (row->letter)
		snprintf(letter, sizeof(letter), "-%c, ", row->letter);
	n = fprintf(out, "  %s--%s%s%s", letter, row->name, row->arg ? " " : "",
	            row->arg ? row->arg : "");
	fprintf(out, "%*s", n < HELP_COLUMN - 2 ? HELP_COLUMN - n : 2, "");
	for (const char *p = row->help; *p;) {
		size_t length = strcspn(p, "\n");

		fprintf(out, "%.*s\n", (int)length, p);
		p += length;
		if (*p == '\n' && *++p)
			fprintf(out, "%*s", HELP_COLUMN, "");
	}
}

void options_help(const struct verb_face *face, FILE *out)
{
	fprintf(out, "usage: %s\n\n%s", face->synopsis, face->about);
	if (face->options && face->options[0].name) {
		fputs("\noptions:\n", out);
		for (const struct option_row *row = face->options; row->name; row++)
			print_row(row, out);
	}
	fprintf(out, "\nexample:\n%s", face->example);
}

int options_usage_error(const struct verb_face *face, const char *fmt, ...)
{
	va_list ap;

	fputs("sculpt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): started just above
	va_end(ap);
	fputs("\n\n", stderr);
	options_help(face, stderr);
	return EXIT_USAGE;
}

static int apply(const struct verb_face *face, const struct option_row *row,
                 const char *arg)
{
	switch (row->kind) {
	case OPTION_FLAG:
		*(int *)row->value = 1;
		break;
	case OPTION_TEXT:
		*(const char **)row->value = arg;
		break;
	case OPTION_LIST:
		if (*row->count == row->max)
			return options_usage_error(face, "--%s may be given at most "
			                           "%zu times", row->name, row->max);
		((const char **)row->value)[(*row->count)++] = arg;
		break;
	}
	return OPTIONS_RUN;
}

/* The getopt_long table of a verb's rows; a row's val is LONG_BASE + its
 * index. Returns the number of rows. */
static size_t getopt_table(const struct option_row *rows,
                           struct option longs[ROWS_MAX + 2],
                           char shorts[2 * ROWS_MAX + 3])
{
	size_t n = 0, s = 0;

	shorts[s++] = ':';
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

int options_parse(const struct verb_face *face, int argc, char **argv,
                  int *first)
{
	struct option longs[ROWS_MAX + 2];
	char shorts[2 * ROWS_MAX + 3];
	size_t count = getopt_table(face->options, longs, shorts);
	int opt, status, operands;

	optind = 0; /* a fresh scan: getopt keeps state between calls */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct option_row *row = row_of(face->options, count, opt);

		if (opt == 'h') {
			options_help(face, stdout);
			return 0;
		}
		if (opt == ':')
			return options_usage_error(face, "option '%s' needs an "
			                           "argument", argv[optind - 1]);
		if (!row)
			return options_usage_error(face, "invalid option '%s'",
			                           argv[optind - 1]);
		status = apply(face, row, optarg);
		if (status != OPTIONS_RUN)
			return status;
	}
	operands = argc - optind;
	if (operands < face->operands_min ||
	    (face->operands_max >= 0 && operands > face->operands_max))
		return options_usage_error(face, "%s", face->operands_wrong);
	*first = optind;
	return OPTIONS_RUN;
}
