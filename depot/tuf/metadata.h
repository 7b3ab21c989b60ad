/*
 * The TUF metadata model (private to libtuf): one signed envelope parsed
 * into the faithful JSON tree, checked for the shape spec 1.0 gives each
 * role type, with its canonical signing input computed once. Typed access
 * goes through the JSON tree (json_get...), which md_parse has validated, so
 * callers may rely on the shapes listed in metadata.c.
 */
#ifndef TUF_METADATA_H
#define TUF_METADATA_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "json.h"
#include "tuf.h"

enum md_type { MD_ROOT, MD_TARGETS, MD_SNAPSHOT, MD_TIMESTAMP };

struct md {
	struct json *doc;        /* whole envelope */
	struct json *sig;        /* doc.signed */
	struct json *signatures; /* doc.signatures (keyids unique) */
	enum md_type type;
	int64_t version;
	time_t expires;
	unsigned char *canon; /* canonical JSON of signed: the signing input */
	size_t canon_len;
	unsigned char *raw; /* the bytes as read or downloaded */
	size_t raw_len;
};

/* Sets e (if not NULL) to code and a formatted message. */
void tuf_error_set(struct tuf_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets e like tuf_error_set and evaluates to code. A macro, so that the
 * reader and the static analyzer both see that `return tuf_fail(e,
 * TUF_E_..., ...)` never returns TUF_OK: out-values are read only after a
 * TUF_OK. `code` is evaluated twice: pass a constant or a variable. */
#define tuf_fail(e, code, ...) (tuf_error_set((e), (code), __VA_ARGS__), (code))

const char *md_type_name(enum md_type t);

/* Parses and validates one metadata file; `what` names it in messages. */
int md_parse(const unsigned char *data, size_t len, const char *what,
             struct md **out, struct tuf_error *e);
void md_free(struct md *m);

int md_expired(const struct md *m, time_t now);

/* Checks that m is signed by a threshold of the keys `delegator` (root or
 * targets) gives `role`. TUF_E_THRESHOLD when not, naming the role. */
int md_verify(const struct md *delegator, const char *role, const struct md *m,
              struct tuf_error *e);

void md_format_time(time_t t, char out[21]);

/* Whether target path matches a delegation's path pattern: fnmatch per
 * '/'-separated segment, with the same number of segments (spec 1.0.31:
 * a wildcard never matches a '/'). */
int md_path_matches(const char *target, const char *pattern);

#endif
