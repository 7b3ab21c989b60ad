/*
 * sculpt's interactive mode (sculpt.h): a prompt with libedit's line
 * editing and history (kept in TARGET/sculpt/history), completion of
 * verbs, then of component names, pkg names of the target's depot and
 * service names, and each line run as the verb of the same name. Where
 * the command line needs an option to decide (`add` with several
 * providers of a service), it asks.
 * Words are split at blanks; no quoting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <histedit.h>

#include "lib/state.h"
#include "sculpt.h"

enum { WORDS_MAX = 64, CANDIDATES_MAX = 512 };

/* The candidates of one completion, gathered before they are matched. */
struct candidates {
	char *names[CANDIDATES_MAX];
	size_t count;
};

static void push(struct candidates *c, const char *name)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->names[i], name) == 0)
			return;
	if (c->count < CANDIDATES_MAX && (c->names[c->count] = strdup(name)))
		c->count++;
}

/* A depot_archive_fn: a pkg's name with and without its version. */
static int push_pkg(void *ctx, const struct depot_name *name)
{
	char text[DEPOT_NAME_MAX];

	if (strcmp(name->kind, "pkg") != 0)
		return 0;
	depot_name_format(name, text);
	push(ctx, text);
	*strrchr(text, '/') = '\0';
	push(ctx, text);
	return 0;
}

/* Every pkg installed in the target's depot. */
static void push_pkgs(struct candidates *c, const struct sculpt *s)
{
	char depot[PATH_MAX];
	struct depot_diag ignored = { 0 };

	sculpt_depot_dir(s, depot);
	depot_list(depot, push_pkg, c, &ignored);
}

/* Component names, and the services their pkgs require and provide. */
static void push_components(struct candidates *c, struct sculpt *s)
{
	struct sculpt_composition *composition;
	struct pkg_source pkgs = sculpt_pkg_source(s);

	if (state_load_composition(s->target, &composition, NULL))
		return;
	for (size_t i = 0; i < composition->parent_provides_count; i++)
		push(c, composition->parent_provides[i]);
	for (size_t i = 0; i < composition->count; i++) {
		struct pkg_runtime *runtime;
		struct sculpt_diag ignored;

		push(c, composition->components[i].name);
		if (pkgs.load(pkgs.ctx, composition->components[i].pkg,
		              &runtime, &ignored))
			continue;
		for (size_t r = 0; r < runtime->requires.count; r++)
			push(c, runtime->requires.names[r]);
		for (size_t r = 0; r < runtime->provides.count; r++)
			push(c, runtime->provides.names[r]);
		pkg_runtime_free(runtime);
	}
	composition_free(composition);
}

static struct sculpt *session;

/* How many of the first `limit` bytes `a` and `b` share. */
static size_t common_length(const char *a, const char *b, size_t limit)
{
	size_t n = 0;

	while (n < limit && a[n] && a[n] == b[n])
		n++;
	return n;
}

/* libedit's completion callback: completes the word before the cursor.
 * libedit gives no context pointer, hence the file-scope `session`. */
static unsigned char complete(EditLine *el, int ch)
{
	const LineInfo *line = el_line(el);
	const char *start = line->cursor;
	struct candidates c = { .count = 0 };
	const char *match = NULL;
	size_t length, matches = 0, common = 0;
	unsigned char result = CC_ERROR;

	(void)ch;
	while (start > line->buffer && start[-1] != ' ')
		start--;
	length = (size_t)(line->cursor - start);
	if (start == line->buffer) {
		for (size_t i = 0; i < sculpt_verb_count; i++)
			push(&c, sculpt_verbs[i].name);
	} else {
		push_components(&c, session);
		push_pkgs(&c, session);
	}
	for (size_t i = 0; i < c.count; i++)
		if (strncmp(c.names[i], start, length) == 0) {
			/* `common`: what every match so far starts with */
			common = !match ? strlen(c.names[i])
			                : common_length(match, c.names[i],
			                                common);
			match = c.names[i];
			matches++;
		}
	if (matches > 1 && common == length) {
		putchar('\n');
		for (size_t i = 0; i < c.count; i++)
			if (strncmp(c.names[i], start, length) == 0)
				printf("%s  ", c.names[i]);
		putchar('\n');
	}
	/* One match is completed; several to what they share, as far as
	 * that goes beyond the word, else they are listed above. */
	if (matches > 1 && common > length) {
		char *shared = strndup(match + length, common - length);

		if (shared && el_insertstr(el, shared) == 0)
			result = CC_REDISPLAY;
		free(shared);
	} else if ((matches == 1 && el_insertstr(el, match + length) == 0 &&
	            el_insertstr(el, " ") == 0) ||
	           matches > 1)
		result = CC_REDISPLAY;
	for (size_t i = 0; i < c.count; i++)
		free(c.names[i]);
	return result;
}

/* sculpt->ask: the choices numbered, an answer read as a line (by number
 * or by name). libedit has given the terminal back between two lines, so
 * a plain read of standard input sees what the person types. */
static int ask(struct sculpt *s, const char *question,
               const char *const *choices, size_t count)
{
	char answer[128];

	(void)s;
	printf("%s:\n", question);
	for (size_t i = 0; i < count; i++)
		printf("  %zu) %s\n", i + 1, choices[i]);
	printf("which? ");
	fflush(stdout);
	if (!fgets(answer, sizeof(answer), stdin))
		return -1;
	answer[strcspn(answer, "\n")] = '\0';
	for (size_t i = 0; i < count; i++) {
		char number[24];

		snprintf(number, sizeof(number), "%zu", i + 1);
		if (strcmp(answer, number) == 0 ||
		    strcmp(answer, choices[i]) == 0)
			return (int)i;
	}
	printf("no such choice: '%s'\n", answer);
	return -1;
}

static const char *prompt(EditLine *el)
{
	(void)el;
	return "sculpt> ";
}

/* Runs one line as a verb; returns 1 to end the session. */
static int run_line(struct sculpt *s, char *text)
{
	char *words[WORDS_MAX + 1], *save = NULL;
	int count = 0;
	const struct verb *verb;

	for (char *word = strtok_r(text, " \t\n", &save);
	     word && count < WORDS_MAX; word = strtok_r(NULL, " \t\n", &save))
		words[count++] = word;
	words[count] = NULL;
	if (count == 0)
		return 0;
	if (strcmp(words[0], "quit") == 0 || strcmp(words[0], "exit") == 0)
		return 1;
	if (strcmp(words[0], "help") == 0) {
		for (size_t i = 0; i < sculpt_verb_count; i++)
			printf("  %-9s %s\n", sculpt_verbs[i].name,
			       sculpt_verbs[i].summary);
		puts("  quit      end sculpt\n'VERB --help' explains a verb; Tab "
		     "completes");
		return 0;
	}
	verb = sculpt_find_verb(words[0]);
	if (!verb)
		fprintf(stderr, "sculpt: unknown verb '%s' (help lists them)\n",
		        words[0]);
	else
		verb->run(s, count, words);
	fflush(stdout);
	return 0;
}

int sculpt_interactive(struct sculpt *s)
{
	EditLine *el = el_init("sculpt", stdin, stdout, stderr);
	History *past = history_init();
	HistEvent event;
	char path[PATH_MAX];
	const char *line;
	int length;

	if (!el || !past) {
		fputs("sculpt: cannot start line editing\n", stderr);
		return 1;
	}
	session = s;
	s->ask = ask;
	snprintf(path, sizeof(path), "%s/sculpt/history", s->target);
	history(past, &event, H_SETSIZE, 1000);
	history(past, &event, H_LOAD, path);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_HIST, history, past);
	el_set(el, EL_ADDFN, "sculpt-complete", "complete a word", complete);
	el_set(el, EL_BIND, "^I", "sculpt-complete", NULL);
	printf("sculpt on target '%s': 'help' lists the verbs, Tab completes, "
	       "Ctrl-D ends\n",
	       s->target);
	while ((line = el_gets(el, &length)) && length > 0) {
		char *copy = strdup(line);

		if (!copy)
			break;
		if (strspn(line, " \t\n") != (size_t)length)
			history(past, &event, H_ENTER, line);
		if (run_line(s, copy)) {
			free(copy);
			break;
		}
		free(copy);
	}
	history(past, &event, H_SAVE, path);
	history_end(past);
	el_end(el);
	return 0;
}
