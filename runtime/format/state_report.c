/*
 * The state report's C model (format/state_report.h): freeing it, and the
 * words of its enumerated fields, which the writer prints and the parser
 * looks up in the same tables. Part of libformat.
 */
#include "state_report_words.h"

#include <stdlib.h>
#include <string.h>

#include "parse_context.h"

static const char *const child_states[] = {
	[STATE_REPORT_STARTING] = "starting",
	[STATE_REPORT_RUNNING] = "running",
	[STATE_REPORT_INCOMPLETE] = "incomplete",
	[STATE_REPORT_EXITED] = "exited",
	[STATE_REPORT_RESTARTING] = "restarting",
	[STATE_REPORT_FAILED] = "failed",
};

static const char *const session_states[] = {
	[STATE_REPORT_PENDING] = "pending",
	[STATE_REPORT_READY] = "ready",
	[STATE_REPORT_DENIED] = "denied",
	[STATE_REPORT_CLOSED] = "closed",
};

static const char *const bounds[] = {
	[STATE_REPORT_BOUND_NONE] = "none",
	[STATE_REPORT_BOUND_PARENT] = "parent",
	[STATE_REPORT_BOUND_INIT] = "init",
	[STATE_REPORT_BOUND_CHILD] = "child",
};

#define WORDS(table) { (table), sizeof(table) / sizeof((table)[0]) }

const struct state_report_words state_report_child_states = WORDS(child_states);
const struct state_report_words state_report_session_states =
	WORDS(session_states);
const struct state_report_words state_report_bounds = WORDS(bounds);

const char *state_report_word(const struct state_report_words *words,
                              unsigned value)
{
	return value < words->count ? words->words[value] : NULL;
}

bool state_report_word_find(const struct state_report_words *words,
                            const char *word, unsigned *value)
{
	for (unsigned i = 0; i < words->count; i++) {
		if (strcmp(words->words[i], word) == 0) {
			*value = i;
			return true;
		}
	}
	return false;
}

const char *state_report_child_state_name(enum state_report_child_state state)
{
	return state_report_word(&state_report_child_states, state);
}

const char *state_report_session_state_name(enum state_report_session_state
                                                    state)
{
	return state_report_word(&state_report_session_states, state);
}

const char *state_report_bound_name(enum state_report_bound bound)
{
	return state_report_word(&state_report_bounds, bound);
}

static void child_clear(struct state_report_child *child)
{
	free(child->name);
	free(child->binary);
	free(child->pkg);
	free(child->version);
	free(child->reason);
	runtime_name_list_clear(&child->provides);
	for (size_t i = 0; i < child->requested_count; i++) {
		free(child->requested[i].service);
		free(child->requested[i].label);
		free(child->requested[i].server);
	}
	free(child->requested);
	for (size_t i = 0; i < child->served_count; i++) {
		free(child->served[i].client);
		free(child->served[i].label);
	}
	free(child->served);
}

void state_report_free(struct state_report *report)
{
	if (report == NULL)
		return;
	free(report->config_version);
	state_report_remote_clear(report);
	for (size_t i = 0; i < report->child_count; i++)
		child_clear(&report->children[i]);
	free(report->children);
	free(report);
}
