/*
 * `sculpt config NAME (FILE.json | KEY=VALUE... | --reset)`: sets the
 * config a component reads, in the working composition. A JSON file
 * replaces it; KEY=VALUE pairs change single top-level keys of the current
 * config (the user's, else the pkg's). Applied live: init delivers a
 * changed config as the child's next config ROM version, no restart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compose.h"
#include "lib/state.h"
#include "options.h"

static const char about[] =
	"Sets the config of component NAME: with FILE (a JSON object) it is\n"
	"replaced; with KEY=VALUE pairs single top-level keys are set on the\n"
	"current config (yours, else the pkg's default); VALUE is JSON when it\n"
	"parses as JSON (5, true, {\"a\":1}, \"text\"), else a string. --reset\n"
	"goes back to the pkg's config. The config is checked (a JSON object\n"
	"of at most 64 KiB) before it is saved; 'sculpt apply' delivers it\n"
	"live, without a restart.\n";

/* The config `component` has now: its own, else its pkg's, else {}. */
static cJSON *current_config(struct sculpt *s,
                             const struct sculpt_component *component,
                             struct sculpt_diag *diag)
{
	struct pkg_source pkgs = sculpt_pkg_source(s);
	struct pkg_runtime *runtime;
	cJSON *config;

	if (component->config)
		return cJSON_Parse(component->config);
	if (pkgs.load(pkgs.ctx, component->pkg, &runtime, diag))
		return NULL;
	config = runtime->config ? cJSON_Parse(runtime->config)
	                         : cJSON_CreateObject();
	pkg_runtime_free(runtime);
	return config;
}

static int set_pairs(cJSON *config, char **pairs, int count,
                     struct sculpt_diag *diag)
{
	for (int i = 0; i < count; i++) {
		char *equals = strchr(pairs[i], '=');
		cJSON *value;

		if (!equals || equals == pairs[i])
			return sculpt_fail(diag, SCULPT_E_USAGE,
			                   "'%s' is no KEY=VALUE "
			                   "pair",
			                   pairs[i]);
		*equals = '\0';
		value = cJSON_Parse(equals + 1);
		if (!value)
			value = cJSON_CreateString(equals + 1);
		cJSON_DeleteItemFromObjectCaseSensitive(config, pairs[i]);
		if (!value || !cJSON_AddItemToObject(config, pairs[i], value))
			return sculpt_fail(diag, SCULPT_E_NOMEM,
			                   "out of memory");
	}
	return 0;
}

/* The canonical text of `config` into *text (free), at most the size the
 * runtime configuration allows. */
static int print_config(const cJSON *config, const char *name, char **text,
                        struct sculpt_diag *diag)
{
	char *printed = cJSON_PrintUnformatted(config);

	if (!printed)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	if (strlen(printed) > RUNTIME_CONFIG_TEXT_MAX) {
		free(printed);
		return sculpt_fail(diag, SCULPT_E_CONFIG,
		                   "the config of '%s' is "
		                   "larger than %d bytes",
		                   name, RUNTIME_CONFIG_TEXT_MAX);
	}
	*text = printed;
	return 0;
}

/* The new config text of `component` from the operands. */
static int new_config(struct sculpt *s,
                      const struct sculpt_component *component, char **operands,
                      int count, char **text, struct sculpt_diag *diag)
{
	cJSON *config;
	char *file;
	int err = 0;

	if (count == 1 && !strchr(operands[0], '=')) {
		err = state_read(operands[0], RUNTIME_CONFIG_TEXT_MAX, &file,
		                 NULL, NULL, diag);
		if (err)
			return err;
		config = cJSON_Parse(file);
		free(file);
		if (!cJSON_IsObject(config)) {
			cJSON_Delete(config);
			return sculpt_fail(diag, SCULPT_E_CONFIG,
			                   "'%s' is not a JSON "
			                   "object",
			                   operands[0]);
		}
	} else {
		config = current_config(s, component, diag);
		if (!config)
			return diag->message[0]
			               ? SCULPT_E_PKG
			               : sculpt_fail(diag, SCULPT_E_NOMEM,
			                             "out of memory");
		err = set_pairs(config, operands, count, diag);
	}
	*text = NULL;
	if (!err)
		err = print_config(config, component->name, text, diag);
	cJSON_Delete(config);
	return err;
}

static int configure(struct sculpt *s, struct sculpt_composition *c,
                     const char *name, char **operands, int count, int reset,
                     struct sculpt_diag *diag)
{
	struct sculpt_component *component = composition_find(c, name);
	char *text = NULL;
	int err;

	if (!component)
		return sculpt_fail(diag, SCULPT_E_COMPONENT,
		                   "no component '%s'", name);
	if (reset)
		return composition_set(&component->config, NULL, diag);
	err = new_config(s, component, operands, count, &text, diag);
	if (!err)
		err = composition_set(&component->config, text, diag);
	if (!err)
		printf("config of '%s': %s\n", name, text);
	free(text);
	return err;
}

int cmd_config(struct sculpt *s, int argc, char **argv)
{
	int reset = 0;
	const struct option_row rows[] = {
		OPTION_FLAG_ROW("reset", 0, "back to the pkg's config", &reset),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"sculpt config NAME (FILE.json | KEY=VALUE... | --reset)",
		.about = about,
		.options = rows,
		.example =
			"  sculpt config counter increments=10 period_ms=100\n"
			"  sculpt config counter counter.json\n",
		.operands_min = 1,
		.operands_max = -1,
		.operands_wrong =
			"give a component and a file, KEY=VALUE pairs "
			"or --reset",
	};
	struct sculpt_composition *c = NULL;
	struct sculpt_diag diag = { "" };
	int first, err, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	if ((argc - first == 1) != reset)
		return options_usage_error(&face,
		                           "give a component and a file, "
		                           "KEY=VALUE pairs or --reset");
	err = state_load_composition(s->target, &c, &diag);
	if (!err)
		err = configure(s, c, argv[first], argv + first + 1,
		                argc - first - 1, reset, &diag);
	if (!err)
		err = state_save_composition(s->target, c, &diag);
	composition_free(c);
	return err ? sculpt_report(&diag) : 0;
}
