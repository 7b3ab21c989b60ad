/*
 * `sculpt log NAME [-f]`: the lines of one component from init's log file
 * TARGET/log/init.log (core/README.md: a child's lines carry the label
 * "[init -> NAME]", its own children's "[init -> NAME -> ...]"). With -f it
 * keeps reading as lines arrive, and starts over when core rotates the
 * file.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Prints the lines of component NAME from the target's log of init\n"
	"(TARGET/log/init.log): what it logged and what it wrote to stdout or\n"
	"stderr. With -f, waits for more lines until interrupted (Ctrl-C),\n"
	"following the file when core rotates it.\n";

enum { LINE_MAX_BYTES = 8192, FOLLOW_MS = 200 };

static int is_of(const char *line, const char *name)
{
	char prefix[128];
	size_t length = (size_t)snprintf(prefix, sizeof(prefix), "[init -> %s",
	                                 name);

	return strncmp(line, prefix, length) == 0 &&
	       (line[length] == ']' || strncmp(line + length, " -> ", 4) == 0);
}

/* Prints the component's lines from the current position to the end. */
static void print_lines(FILE *file, const char *name)
{
	char line[LINE_MAX_BYTES];

	while (fgets(line, sizeof(line), file))
		if (is_of(line, name))
			fputs(line, stdout);
	fflush(stdout);
	clearerr(file);
}

/* Whether the file at `path` is another one than `file` or shrank. */
static int rotated(FILE *file, const char *path)
{
	struct stat now, open_one;

	return stat(path, &now) || fstat(fileno(file), &open_one) ||
	       now.st_ino != open_one.st_ino || now.st_size < ftell(file);
}

/* Never returns: -f ends with the process (Ctrl-C). */
static _Noreturn void follow(FILE *file, const char *path, const char *name)
{
	const struct timespec pause = { 0, FOLLOW_MS * 1000000L };

	for (;;) {
		nanosleep(&pause, NULL);
		if (rotated(file, path)) {
			FILE *fresh = fopen(path, "r");

			if (!fresh)
				continue;
			fclose(file);
			file = fresh;
		}
		print_lines(file, name);
	}
}

static int show(struct sculpt *s, const char *name, int keep,
                struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	FILE *file;
	int err = state_path(s->target, "log/init.log", path, diag);

	if (err)
		return err;
	file = fopen(path, "r");
	if (!file)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "no log '%s': has target '%s' "
		                   "run?",
		                   path, s->target);
	print_lines(file, name);
	if (keep)
		follow(file, path, name);
	fclose(file);
	return 0;
}

int cmd_log(struct sculpt *s, int argc, char **argv)
{
	int keep = 0;
	const struct option_row rows[] = {
		OPTION_FLAG_ROW("follow", 'f', "keep printing new lines",
		                &keep),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt log [-f] NAME",
		.about = about,
		.options = rows,
		.example = "  sculpt log hello\n  sculpt log -f counter\n",
		.operands_min = 1,
		.operands_max = 1,
		.operands_wrong = "give one component name",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	if (!composition_name_ok(argv[first]))
		return options_usage_error(&face, "'%s' is no component name",
		                           argv[first]);
	return show(s, argv[first], keep, &diag) ? sculpt_report(&diag) : 0;
}
