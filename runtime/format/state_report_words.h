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
	const char *const *words; /* indexed by the enum's value */
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

/* The parser's pieces that the remote part shares (state_report_parse.c;
 * parse_context.h's context), and the remote part itself
 * (state_report_remote.c). */
struct parse_context;
struct cJSON;
bool state_report_need(struct parse_context *ctx, const struct cJSON *object,
                       const char *field, const char *what);
bool state_report_parse_word(struct parse_context *ctx,
                             const struct cJSON *value, const char *field,
                             const struct state_report_words *words,
                             unsigned *out);
/* A list of the report's objects (parse_list's reader and arguments). */
bool state_report_parse_list(struct parse_context *ctx,
                             const struct cJSON *value, const char *field,
                             size_t max, size_t entry_size,
                             bool (*read)(struct parse_context *,
                                          const struct cJSON *, void *, size_t),
                             void **entries, size_t *count);
bool state_report_read_session(struct parse_context *ctx,
                               const struct cJSON *value, void *entries,
                               size_t index);
bool state_report_read_remote(struct parse_context *ctx,
                              const struct cJSON *value, void *target);
bool state_report_check_remote(struct parse_context *ctx,
                               const struct state_report *report);
bool state_report_add_remote(struct cJSON *object,
                             const struct state_report *report);
void state_report_remote_clear(struct state_report *report);

#endif
