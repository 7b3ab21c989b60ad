/*
 * A faithful JSON model for TUF metadata (private to libtuf): a strict
 * reader that keeps every member in document order with exact integers and
 * exact string bytes, and the OLPC canonical writer used as signing input.
 * See json.c for why this is not cJSON.
 */
#ifndef TUF_JSON_H
#define TUF_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_INT,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json {
	enum json_type type;
	int64_t i; /* JSON_INT */
	char *s;   /* JSON_STRING: NUL-terminated, may hold NULs */
	size_t slen;
	size_t n;            /* JSON_ARRAY / JSON_OBJECT: number of items */
	size_t cap;          /* room in items (and keys, klens) */
	struct json **items; /* values, in document order */
	char **keys;         /* JSON_OBJECT: member names (NUL-terminated) */
	size_t *klens;
};

#define JSON_MAX_DEPTH 48

/* Parses `len` bytes; on error returns NULL and writes a reason into err. */
struct json *json_parse(const unsigned char *text, size_t len, char *err,
                        size_t errlen);
void json_free(struct json *j);

/* Canonical form of j into a malloc'd buffer; 0 on success, -1 on no memory.
 * This is the signing input: control characters stay raw, so it is not
 * always valid JSON. */
int json_canonical(const struct json *j, unsigned char **out, size_t *out_len);
/* File form: canonical except control characters are escaped (\u00XX), so
 * every JSON reader accepts it. Metadata files are written this way. */
int json_write(const struct json *j, unsigned char **out, size_t *out_len);

/* Member `key` of object j, or NULL (also when j is not an object). */
struct json *json_get(const struct json *j, const char *key);
/* Member of the given type, or NULL. */
struct json *json_get_type(const struct json *j, const char *key,
                           enum json_type t);
/* String member with no embedded NUL, or NULL. */
const char *json_get_str(const struct json *j, const char *key);

/* Constructors for the repository side (NULL on no memory). */
struct json *json_new(enum json_type t);
struct json *json_new_int(int64_t v);
struct json *json_new_str(const char *s);
/* Sets member key (replacing any old value); takes ownership of v. */
int json_set(struct json *obj, const char *key, struct json *v);
/* Removes member key if present. */
void json_del(struct json *obj, const char *key);
/* Appends v to an array; takes ownership. */
int json_push(struct json *arr, struct json *v);
struct json *json_clone(const struct json *j);

/* A name (member key, keyid, role name) and where it came from. */
struct json_name {
	const char *s;
	size_t len;
	size_t index;
};
/* Whether the n names are pairwise different; sorts them. O(n log n). */
int json_names_unique(struct json_name *names, size_t n);

#endif
