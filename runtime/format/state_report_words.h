/*
 * Private to libformat: the words of the state report's enumerated fields
 * (state_report.c), shared by its writer and its parser so that both
 * spell them from one table.
 */
#ifndef FORMAT_STATE_REPORT_WORDS_H
#define FORMAT_STATE_REPORT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "format/state_report.h"

struct state_report_words {
	const char *const *words;   /* indexed by the enum's value */
	unsigned count;
};

extern const struct state_report_words state_report_child_states;
extern const struct state_report_words state_report_session_states;
extern const struct state_report_words state_report_bounds;

/* The word of `value`, or NULL when it is out of the table. */
const char *state_report_word(const struct state_report_words *words,
                              unsigned value);

/* The value whose word is `word`; false when there is none. */
bool state_report_word_find(const struct state_report_words *words,
                            const char *word, unsigned *value);

#endif
