/*
 * Private to libformat: the state of one runtime_config_parse call and the
 * checked readers of JSON values that every part of the parser shares. The
 * context carries the path of the entry being read ("start[2] \"hello\":
 * route[0]") so that every error names the entry and field a person must fix,
 * and it keeps only the first error: parsing stops there.
 */
#ifndef FORMAT_PARSE_CONTEXT_H
#define FORMAT_PARSE_CONTEXT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/runtime_config.h"

#define PARSE_WHERE_MAX 160

struct parse_context {
	char where
		[PARSE_WHERE_MAX]; /* path of the entry being read, "" at top */
	enum runtime_config_status status;
	struct runtime_config_error *error;
};

/* Which characters a string may hold. */
enum parse_charset {
	CHARSET_CHILD_NAME,   /* [a-z0-9_.-] */
	CHARSET_SERVICE_NAME, /* [A-Za-z0-9_.-] */
	CHARSET_PRINTABLE,    /* valid UTF-8 without control characters:
	                        * C0, DEL and C1 (U+0080..U+009F) refused */
};

/* Records "<where>: <message>" as the error; returns false for tail calls. */
bool parse_fail(struct parse_context *ctx, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A copy of `text` fit for an error message: at most PARSE_SHOWN_MAX - 1
 * bytes, control characters and quotes replaced by '?', "..." when cut.
 */
#define PARSE_SHOWN_MAX 72
const char *parse_shown(const char *text, char shown[PARSE_SHOWN_MAX]);

/* Records that memory ran out; returns false. */
bool parse_no_memory(struct parse_context *ctx);

/* Appends ": <segment>" (or <segment> at the top) to the path; returns the
 * previous length for parse_leave. */
size_t parse_enter(struct parse_context *ctx, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
void parse_leave(struct parse_context *ctx, size_t previous_length);

/* Makes NUL-terminated `text` printable in place, the rule of
 * CHARSET_PRINTABLE: each byte that starts no valid, printable UTF-8
 * character becomes '?' (so the length stays). For text that a writer
 * passes on from someone else (a component's session label). */
void parse_make_printable(char *text);

/* Whether `text` is a non-empty string of at most `max` bytes of `charset`,
 * and not "." or ".." unless the charset is CHARSET_PRINTABLE. */
bool parse_text_is_valid(const char *text, size_t max,
                         enum parse_charset charset);

/*
 * Copies the string `value` of field `field` into *out (a new string for
 * free()). Fails naming the field when it is not a string, empty (unless
 * allow_empty), longer than `max`, outside `charset`, or a name that is "."
 * or "..".
 */
bool parse_string(struct parse_context *ctx, const cJSON *value,
                  const char *field, size_t max, enum parse_charset charset,
                  bool allow_empty, char **out);

/* Reads a whole number from 0 to `max` into *out. */
bool parse_uint(struct parse_context *ctx, const cJSON *value,
                const char *field, uint64_t max, uint64_t *out);

/* What a list of names holds: the noun of its messages ("service"), the
 * longest name and the most entries; names are [A-Za-z0-9_.-]+. */
struct parse_name_kind {
	const char *noun;
	size_t max_bytes;
	size_t max_count;
};

/*
 * Sets repeated[i] for every names[i] equal to an earlier names[j] (j < i),
 * clears it for the others. Sorts an index, so O(n log n) for n names: a
 * scan per name would be quadratic in a list an untrusted pkg writes.
 * False when out of memory.
 */
bool parse_names_repeated(char *const *names, size_t count, bool *repeated);

/*
 * The children of a configuration sorted by name, and by position among
 * equal names, for lookups in O(log n) rather than a scan per lookup (a
 * configuration has up to RUNTIME_CHILDREN_MAX children and many rules).
 * parse_index_children returns a new array of config->start_count entries
 * for free(), or NULL when out of memory; parse_find_child the first child
 * named `name`, or NULL.
 */
struct parse_child_index {
	const char *name;
	size_t position;
};
struct parse_child_index *parse_index_children(const struct runtime_config
                                                       *config);
const struct runtime_child *parse_find_child(
	const struct runtime_config *config,
	const struct parse_child_index *index, const char *name);

/*
 * A JSON list of entries of one kind, for parse_list: the words of its
 * errors ("\"start\" must be a list of children", "... has more than 1024
 * children"), the most entries, the size of one, and whether each entry is
 * named "field[i]" in the path and must be an object (entries that name
 * themselves and check their own shape, as a child does, set neither).
 */
struct parse_list_kind {
	const char *list_of; /* "children"; NULL: "must be a list" */
	const char *noun;    /* "children" */
	size_t max_count;
	size_t entry_size;
	bool enter;   /* path "field[i]" while entry i is read */
	bool objects; /* every entry must be an object */
};

/* Reads entry `index` of a list into entries[index] (an array of the
 * kind's entry size); entries[0..index-1] are read already, for checks
 * against the earlier ones. */
typedef bool parse_entry_reader(struct parse_context *ctx, const cJSON *item,
                                void *entries, size_t index);

/*
 * Reads the list `value` of field `field`: its length is checked before
 * any entry is read, then *entries becomes a new zeroed array (for free(),
 * one spare entry at its end) and `read` fills it entry by entry. *count
 * counts an entry before it is read, so that the caller frees a half-read
 * one too: *entries is set whenever memory was found, also on failure.
 */
bool parse_list(struct parse_context *ctx, const cJSON *value,
                const char *field, const struct parse_list_kind *kind,
                parse_entry_reader *read, void **entries, size_t *count);

/* Reads a list of distinct names of one kind. */
bool parse_name_list(struct parse_context *ctx, const cJSON *value,
                     const char *field, const struct parse_name_kind *kind,
                     struct runtime_name_list *out);

/* Reads a list of distinct service names (at most RUNTIME_SERVICES_MAX). */
bool parse_service_list(struct parse_context *ctx, const cJSON *value,
                        const char *field, struct runtime_name_list *out);

/*
 * One field of a JSON object: its key and the reader that stores it into the
 * object being built. parse_object_fields calls the reader of each member,
 * refusing unknown and repeated keys; at most 32 fields per table.
 */
struct parse_field {
	const char *key;
	bool (*read)(struct parse_context *ctx, const cJSON *value,
	             void *target);
};

bool parse_object_fields(struct parse_context *ctx, const cJSON *object,
                         const struct parse_field *fields, size_t field_count,
                         void *target);

/* The same, but members whose key is not in the table are skipped (for
 * documents a newer writer may extend: the state report). */
bool parse_object_known_fields(struct parse_context *ctx, const cJSON *object,
                               const struct parse_field *fields,
                               size_t field_count, void *target);

/*
 * Parses `length` bytes of JSON text into *json (for cJSON_Delete), or says
 * with line and column why not (json_text.c).
 */
enum runtime_config_status json_text_parse(const char *text, size_t length,
                                           cJSON **json,
                                           struct runtime_config_error *error);

/* Parsers of the parts, one file each. */
bool parse_size(struct parse_context *ctx, const cJSON *value,
                const char *field, uint64_t *out);
bool parse_route_list(struct parse_context *ctx, const cJSON *value,
                      const char *field, struct runtime_route_list *out);
bool parse_child(struct parse_context *ctx, const cJSON *value, size_t index,
                 struct runtime_child *out);
bool parse_check_references(struct parse_context *ctx,
                            const struct runtime_config *config);

/* A "pkg" field: "user/pkg/name/version" into *out (start_entry.c). */
bool parse_pkg_path(struct parse_context *ctx, const cJSON *value, char **out);

/* The remote parts (remote_config.c): a rule's "to" naming a node, the
 * top-level "node", "nodes" and "exports", and their whole-document
 * checks (called by parse_check_references for each rule, and once). */
bool parse_remote_target(struct parse_context *ctx, const cJSON *value,
                         struct runtime_route_rule *rule);
bool parse_node_self(struct parse_context *ctx, const cJSON *value,
                     struct runtime_config *config);
bool parse_nodes(struct parse_context *ctx, const cJSON *value,
                 struct runtime_config *config);
bool parse_exports(struct parse_context *ctx, const cJSON *value,
                   struct runtime_config *config);
bool check_remote_rule(struct parse_context *ctx,
                       const struct runtime_config *config,
                       const struct runtime_route_rule *rule);
bool check_remote_config(struct parse_context *ctx,
                         const struct runtime_config *config);
void runtime_remote_clear(struct runtime_config *config);

/* The object of a child's or a pkg's "config": its canonical text, at most
 * RUNTIME_CONFIG_TEXT_MAX bytes, into *out (start_entry.c). */
bool parse_config_text(struct parse_context *ctx, const cJSON *value,
                       char **out);

#endif
