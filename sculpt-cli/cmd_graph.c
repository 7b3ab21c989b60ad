/*
 * `sculpt graph`: the components and their session routes as Graphviz DOT
 * (the generated routes, so automatic ones show too), and as SVG through
 * `dot` when it is installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Prints the composition as a Graphviz DOT graph: a node per component\n"
	"(with its pkg) and one for the parent, an edge per routed service\n"
	"from the client to its server. With --svg FILE, Graphviz's 'dot'\n"
	"renders it into FILE (refused when 'dot' is not installed).\n";

static void print_graph(FILE *out, const struct sculpt_composition *c,
                        const struct generate_runtimes *runtimes)
{
	fputs("digraph sculpt {\n  rankdir=LR;\n  node [shape=box];\n"
	      "  \"parent\" [label=\"parent (core)\", style=dashed];\n",
	      out);
	for (size_t i = 0; i < c->count; i++)
		fprintf(out, "  \"%s\" [label=\"%s\\n%s\"];\n",
		        c->components[i].name, c->components[i].name,
		        c->components[i].pkg);
	for (size_t i = 0; i < c->count; i++) {
		const struct runtime_name_list *requires =
			&runtimes->of[i]->requires;

		for (size_t r = 0; r < requires->count; r++) {
			const char *to;

			if (generate_route(c, runtimes, i, requires->names[r],
			                   &to, NULL))
				to = "?";
			fprintf(out, "  \"%s\" -> \"%s\" [label=\"%s\"];\n",
			        c->components[i].name, to, requires->names[r]);
		}
	}
	fputs("}\n", out);
}

/* Runs `dot -Tsvg -o FILE` with the graph on its input. */
static int render(const struct sculpt_composition *c,
                  const struct generate_runtimes *runtimes, const char *svg,
                  struct sculpt_diag *diag)
{
	char command[PATH_MAX + 32];
	FILE *dot;
	int status;

	if (system("command -v dot >/dev/null 2>&1") != 0)
		return sculpt_fail(
			diag, SCULPT_E_USAGE,
			"'dot' is not installed "
			"(Debian: graphviz); without --svg sculpt prints "
			"DOT");
	if (strchr(svg, '\'') ||
	    snprintf(command, sizeof(command), "dot -Tsvg -o '%s'", svg) >=
	            (int)sizeof(command))
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "cannot use '%s' as the "
		                   "SVG file",
		                   svg);
	dot = popen(command, "w");
	if (!dot)
		return sculpt_fail(diag, SCULPT_E_IO, "cannot run 'dot'");
	print_graph(dot, c, runtimes);
	status = pclose(dot);
	if (status != 0)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "'dot' failed writing '%s'", svg);
	printf("wrote %s\n", svg);
	return 0;
}

static int graph(struct sculpt *s, const char *svg, struct sculpt_diag *diag)
{
	struct pkg_source pkgs = sculpt_pkg_source(s);
	struct sculpt_composition *c;
	struct generate_runtimes runtimes = { NULL, 0 };
	int err = state_load_composition(s->target, &c, diag);

	if (!err)
		err = generate_load_runtimes(c, &pkgs, &runtimes, diag);
	if (!err && svg)
		err = render(c, &runtimes, svg, diag);
	else if (!err)
		print_graph(stdout, c, &runtimes);
	if (runtimes.of)
		generate_runtimes_free(&runtimes);
	composition_free(c);
	return err;
}

int cmd_graph(struct sculpt *s, int argc, char **argv)
{
	const char *svg = NULL;
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("svg", "FILE", "render SVG into FILE with dot",
		                &svg),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt graph [--svg FILE]",
		.about = about,
		.options = rows,
		.example = "  sculpt graph | dot -Tpng -o graph.png\n"
			   "  sculpt graph --svg graph.svg\n",
		.operands_min = 0,
		.operands_max = 0,
		.operands_wrong = "graph takes no operands",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	return graph(s, svg, &diag) ? sculpt_report(&diag) : 0;
}
