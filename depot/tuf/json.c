/*
 * Strict JSON reader and OLPC canonical writer for TUF metadata.
 *
 * Decision: libtuf reads metadata with this small reader, not with cJSON.
 * A TUF client must re-serialize the `signed` object byte for byte as the
 * signer canonicalized it, and cJSON cannot do that faithfully: it stores
 * numbers as doubles (versions above 2^53 change), accepts duplicate keys
 * (two readers could then see different metadata), and gives no control over
 * invalid UTF-8 or nesting depth. Pre-validating for cJSON would need a full
 * scanner anyway, so the scanner builds the tree itself. The reader:
 *   - keeps members in document order (the first hash of a target names its
 *     URL) and keeps unknown fields, so canonical output covers them;
 *   - accepts only integers in int64 range (canonical JSON has no floats);
 *   - rejects duplicate keys, invalid UTF-8, lone surrogates, raw control
 *     characters, nesting deeper than JSON_MAX_DEPTH and trailing bytes.
 * The canonical writer: keys sorted by byte (equal to code point order for
 * UTF-8), no whitespace, only `"` and `\` escaped, raw UTF-8 otherwise.
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

struct reader {
	const unsigned char *p, *end;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct reader *r, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
	va_end(ap);
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	                         *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

struct json *json_new(enum json_type t)
{
	struct json *j = calloc(1, sizeof *j);
	if (j)
		j->type = t;
	return j;
}

void json_free(struct json *j)
{
	if (!j)
		return;
	for (size_t k = 0; k < j->n; k++) {
		json_free(j->items[k]);
		if (j->keys)
			free(j->keys[k]);
	}
	free(j->items);
	free(j->keys);
	free(j->klens);
	free(j->s);
	free(j);
}

/* Growable byte buffer for strings and canonical output. */
struct buf {
	unsigned char *d;
	size_t len, cap;
	int oom;
	int escape_controls; /* file form: control characters as \u00XX */
};

static void buf_put(struct buf *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	unsigned char *d = grow_array(b->d, &b->cap, b->len + n + 1, 1);
	if (!d) {
		b->oom = 1;
		return;
	}
	b->d = d;
	memcpy(b->d + b->len, src, n);
	b->len += n;
	b->d[b->len] = 0;
}

static void buf_putc(struct buf *b, unsigned char c)
{
	buf_put(b, &c, 1);
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	unsigned char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_put(b, u, n);
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n;
	unsigned long cp, min;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

static int hex4(struct reader *r, unsigned long *out)
{
	if (r->end - r->p < 4) {
		fail(r, "truncated \\u escape");
		return -1;
	}
	unsigned long v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned char c = r->p[k];
		int d = (c >= '0' && c <= '9')   ? c - '0'
		        : (c >= 'a' && c <= 'f') ? c - 'a' + 10
		        : (c >= 'A' && c <= 'F') ? c - 'A' + 10
		                                 : -1;
		if (d < 0) {
			fail(r, "invalid \\u escape");
			return -1;
		}
		v = v * 16 + (unsigned long)d;
	}
	r->p += 4;
	*out = v;
	return 0;
}

static int parse_escape(struct reader *r, struct buf *b)
{
	unsigned char c = *r->p++;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit = memchr(from, c, sizeof from - 1);
	if (hit) {
		buf_putc(b, (unsigned char)to[hit - from]);
		return 0;
	}
	if (c != 'u') {
		fail(r, "invalid escape '\\%c'", c);
		return -1;
	}
	unsigned long cp, lo;
	if (hex4(r, &cp))
		return -1;
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		fail(r, "lone low surrogate in \\u escape");
		return -1;
	}
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
			fail(r, "lone high surrogate in \\u escape");
			return -1;
		}
		r->p += 2;
		if (hex4(r, &lo))
			return -1;
		if (lo < 0xDC00 || lo > 0xDFFF) {
			fail(r, "invalid surrogate pair in \\u escape");
			return -1;
		}
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	put_utf8(b, cp);
	return 0;
}

/* Reads a string after its opening quote into *out (malloc'd). */
static int parse_string(struct reader *r, char **out, size_t *len)
{
	struct buf b = { 0 };
	buf_put(&b, "", 0);
	while (!r->failed) {
		if (r->p >= r->end) {
			fail(r, "unterminated string");
			break;
		}
		unsigned char c = *r->p;
		if (c == '"') {
			r->p++;
			break;
		}
		if (c < 0x20) {
			fail(r, "raw control character in string");
			break;
		}
		if (c == '\\') {
			r->p++;
			if (r->p >= r->end) {
				fail(r, "unterminated string");
				break;
			}
			parse_escape(r, &b);
			continue;
		}
		size_t n = utf8_seq(r->p, r->end);
		if (n == 0) {
			fail(r, "invalid UTF-8 in string");
			break;
		}
		buf_put(&b, r->p, n);
		r->p += n;
	}
	if (b.oom)
		fail(r, "out of memory");
	if (r->failed) {
		free(b.d);
		return -1;
	}
	*out = (char *)b.d;
	*len = b.len;
	return 0;
}

static struct json *parse_number(struct reader *r)
{
	int neg = 0;
	if (*r->p == '-') {
		neg = 1;
		r->p++;
	}
	if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
		fail(r, "invalid number");
		return NULL;
	}
	if (*r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' &&
	    r->p[1] <= '9') {
		fail(r, "number with leading zero");
		return NULL;
	}
	uint64_t v = 0,
		 limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		unsigned d = (unsigned)(*r->p++ - '0');
		if (v > (limit - d) / 10) {
			fail(r, "integer out of int64 range");
			return NULL;
		}
		v = v * 10 + d;
	}
	if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')) {
		fail(r,
		     "non-integer number (canonical JSON has integers only)");
		return NULL;
	}
	struct json *j = json_new(JSON_INT);
	if (!j) {
		fail(r, "out of memory");
		return NULL;
	}
	j->i = neg ? (int64_t)(0 - v) : (int64_t)v;
	return j;
}

static struct json *parse_value(struct reader *r, int depth);

/* Byte order of member names, shorter first on a common prefix: the
 * canonical order, and the order in which duplicates become neighbours. */
static int name_cmp(const void *a, const void *b)
{
	const struct json_name *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* The member names of obj in canonical (byte) order, malloc'd, or NULL on
 * no memory. O(n log n). */
static struct json_name *json_sorted_names(const struct json *obj)
{
	struct json_name *names = malloc((obj->n ? obj->n : 1) * sizeof *names);
	if (!names)
		return NULL;
	for (size_t k = 0; k < obj->n; k++)
		names[k] = (struct json_name){ obj->keys[k], obj->klens[k], k };
	qsort(names, obj->n, sizeof *names, name_cmp);
	return names;
}

int json_names_unique(struct json_name *names, size_t n)
{
	qsort(names, n, sizeof *names, name_cmp);
	for (size_t k = 1; k < n; k++)
		if (!name_cmp(&names[k - 1], &names[k]))
			return 0;
	return 1;
}

/* Refuses an object that names a member twice (two readers could see
 * different metadata). Sorting makes this O(n log n) where a scan per
 * member was O(n^2): the check runs before any signature is verified. */
static int check_unique_members(struct reader *r, const struct json *obj)
{
	struct json_name *names = json_sorted_names(obj);
	if (!names) {
		fail(r, "out of memory");
		return -1;
	}
	for (size_t k = 1; k < obj->n; k++)
		if (!name_cmp(&names[k - 1], &names[k])) {
			fail(r, "duplicate key \"%.60s\"", names[k].s);
			free(names);
			return -1;
		}
	free(names);
	return 0;
}

/* Grows the arrays of j geometrically (grow/grow.h), so that n appends
 * cost O(n) copies in all. The arrays share j->cap: each grows from it,
 * and it moves on once all have (the same doubling gives each the same). */
static int append(struct json *j, char *key, size_t klen, struct json *v)
{
	size_t cap = j->cap, room;
	struct json **items = grow_array(j->items, &cap, j->n + 1, sizeof *items); // NOLINT(bugprone-sizeof-expression): the array holds pointers, so an element is a pointer
	if (!items)
		return -1;
	j->items = items;
	if (j->type == JSON_OBJECT) {
		room = j->cap;
		char **keys = grow_array(j->keys, &room, j->n + 1,
		                         sizeof *keys);
		if (!keys)
			return -1;
		j->keys = keys;
		room = j->cap;
		size_t *klens = grow_array(j->klens, &room, j->n + 1,
		                           sizeof *klens);
		if (!klens)
			return -1;
		j->klens = klens;
	}
	j->cap = cap;
	if (j->type == JSON_OBJECT) {
		j->keys[j->n] = key;
		j->klens[j->n] = klen;
	}
	j->items[j->n++] = v;
	return 0;
}

static int parse_member(struct reader *r, struct json *obj, int depth)
{
	char *key;
	size_t klen;
	skip_ws(r);
	if (r->p >= r->end || *r->p != '"') {
		fail(r, "expected member name");
		return -1;
	}
	r->p++;
	if (parse_string(r, &key, &klen))
		return -1;
	skip_ws(r);
	if (r->p >= r->end || *r->p != ':') {
		fail(r, "expected ':' after member name");
		free(key);
		return -1;
	}
	r->p++;
	struct json *v = parse_value(r, depth);
	if (!v) {
		free(key);
		return -1;
	}
	if (append(obj, key, klen, v)) {
		fail(r, "out of memory");
		free(key);
		json_free(v);
		return -1;
	}
	return 0;
}

/* Parses an array or object after its opening bracket. */
static struct json *parse_container(struct reader *r, enum json_type t,
                                    int depth)
{
	unsigned char close = (unsigned char)(t == JSON_OBJECT ? '}' : ']');
	struct json *j = json_new(t);
	if (!j) {
		fail(r, "out of memory");
		return NULL;
	}
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return j;
	}
	for (;;) {
		if (t == JSON_OBJECT) {
			if (parse_member(r, j, depth))
				break;
		} else {
			struct json *v = parse_value(r, depth);
			if (!v)
				break;
			if (append(j, NULL, 0, v)) {
				fail(r, "out of memory");
				json_free(v);
				break;
			}
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			if (t == JSON_OBJECT && check_unique_members(r, j))
				break;
			return j;
		}
		fail(r, "expected ',' or '%c'", close);
		break;
	}
	json_free(j);
	return NULL;
}

static struct json *parse_literal(struct reader *r, const char *word,
                                  enum json_type t)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) {
		fail(r, "invalid literal");
		return NULL;
	}
	r->p += n;
	struct json *j = json_new(t);
	if (!j)
		fail(r, "out of memory");
	return j;
}

static struct json *parse_value(struct reader *r, int depth)
{
	skip_ws(r);
	if (r->p >= r->end) {
		fail(r, "unexpected end of input");
		return NULL;
	}
	if (depth >= JSON_MAX_DEPTH) {
		fail(r, "nesting deeper than %d levels", JSON_MAX_DEPTH);
		return NULL;
	}
	unsigned char c = *r->p;
	switch (c) {
	case '{':
		r->p++;
		return parse_container(r, JSON_OBJECT, depth + 1);
	case '[':
		r->p++;
		return parse_container(r, JSON_ARRAY, depth + 1);
	case 't':
		return parse_literal(r, "true", JSON_TRUE);
	case 'f':
		return parse_literal(r, "false", JSON_FALSE);
	case 'n':
		return parse_literal(r, "null", JSON_NULL);
	case '"': {
		r->p++;
		struct json *j = json_new(JSON_STRING);
		if (!j) {
			fail(r, "out of memory");
			return NULL;
		}
		if (parse_string(r, &j->s, &j->slen)) {
			free(j);
			return NULL;
		}
		return j;
	}
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(r);
		fail(r, "unexpected character 0x%02x", c);
		return NULL;
	}
}

struct json *json_parse(const unsigned char *text, size_t len, char *err,
                        size_t errlen)
{
	struct reader r = { text, text + len, err, errlen, 0 };
	if (errlen)
		err[0] = 0;
	struct json *j = parse_value(&r, 0);
	if (j) {
		skip_ws(&r);
		if (r.p != r.end) {
			fail(&r, "trailing bytes after the JSON value");
			json_free(j);
			return NULL;
		}
	}
	return j;
}

/* ---- canonical writer ---- */

static void put_cstring(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c < 0x20 && b->escape_controls) {
			char esc[8];
			snprintf(esc, sizeof esc, "\\u%04x", c);
			buf_put(b, esc, 6);
			continue;
		}
		if (c == '"' || c == '\\')
			buf_putc(b, '\\');
		buf_putc(b, c);
	}
	buf_putc(b, '"');
}

static void put_canonical(struct buf *b, const struct json *j);

static void put_object(struct buf *b, const struct json *j)
{
	struct json_name *order = json_sorted_names(j);
	if (!order) {
		b->oom = 1;
		return;
	}
	buf_putc(b, '{');
	for (size_t k = 0; k < j->n; k++) {
		if (k)
			buf_putc(b, ',');
		put_cstring(b, order[k].s, order[k].len);
		buf_putc(b, ':');
		put_canonical(b, j->items[order[k].index]);
	}
	buf_putc(b, '}');
	free(order);
}

static void put_canonical(struct buf *b, const struct json *j)
{
	char num[32];
	switch (j->type) {
	case JSON_NULL:
		buf_put(b, "null", 4);
		break;
	case JSON_FALSE:
		buf_put(b, "false", 5);
		break;
	case JSON_TRUE:
		buf_put(b, "true", 4);
		break;
	case JSON_INT:
		buf_put(b, num,
		        (size_t)snprintf(num, sizeof num, "%lld",
		                         (long long)j->i));
		break;
	case JSON_STRING:
		put_cstring(b, j->s, j->slen);
		break;
	case JSON_ARRAY:
		buf_putc(b, '[');
		for (size_t k = 0; k < j->n; k++) {
			if (k)
				buf_putc(b, ',');
			put_canonical(b, j->items[k]);
		}
		buf_putc(b, ']');
		break;
	case JSON_OBJECT:
		put_object(b, j);
		break;
	}
}

static int write_form(const struct json *j, int escape_controls,
                      unsigned char **out, size_t *out_len)
{
	struct buf b = { 0 };
	b.escape_controls = escape_controls;
	put_canonical(&b, j);
	buf_put(&b, "", 0);
	if (b.oom) {
		free(b.d);
		return -1;
	}
	*out = b.d;
	*out_len = b.len;
	return 0;
}

int json_canonical(const struct json *j, unsigned char **out, size_t *out_len)
{
	return write_form(j, 0, out, out_len);
}

int json_write(const struct json *j, unsigned char **out, size_t *out_len)
{
	return write_form(j, 1, out, out_len);
}

/* ---- lookups and construction ---- */

struct json *json_get(const struct json *j, const char *key)
{
	if (!j || j->type != JSON_OBJECT)
		return NULL;
	size_t klen = strlen(key);
	for (size_t k = 0; k < j->n; k++)
		if (j->klens[k] == klen && memcmp(j->keys[k], key, klen) == 0)
			return j->items[k];
	return NULL;
}

struct json *json_get_type(const struct json *j, const char *key,
                           enum json_type t)
{
	struct json *v = json_get(j, key);
	if (v && t == JSON_TRUE && v->type == JSON_FALSE)
		return v; /* JSON_TRUE asks for any boolean */
	return v && v->type == t ? v : NULL;
}

const char *json_get_str(const struct json *j, const char *key)
{
	struct json *v = json_get_type(j, key, JSON_STRING);
	return v && strlen(v->s) == v->slen ? v->s : NULL;
}

struct json *json_new_int(int64_t v)
{
	struct json *j = json_new(JSON_INT);
	if (j)
		j->i = v;
	return j;
}

struct json *json_new_str(const char *s)
{
	struct json *j = json_new(JSON_STRING);
	if (j && !(j->s = strdup(s))) {
		free(j);
		return NULL;
	}
	if (j)
		j->slen = strlen(s);
	return j;
}

int json_set(struct json *obj, const char *key, struct json *v)
{
	if (!v)
		return -1;
	size_t klen = strlen(key);
	for (size_t k = 0; k < obj->n; k++)
		if (obj->klens[k] == klen &&
		    memcmp(obj->keys[k], key, klen) == 0) {
			json_free(obj->items[k]);
			obj->items[k] = v;
			return 0;
		}
	char *kc = strdup(key);
	if (!kc || append(obj, kc, klen, v)) {
		free(kc);
		json_free(v);
		return -1;
	}
	return 0; // NOLINT(clang-analyzer-unix.Malloc): append took ownership of kc
}

void json_del(struct json *obj, const char *key)
{
	size_t klen = strlen(key);
	for (size_t k = 0; k < obj->n; k++)
		if (obj->klens[k] == klen &&
		    memcmp(obj->keys[k], key, klen) == 0) {
			json_free(obj->items[k]);
			free(obj->keys[k]);
			memmove(&obj->items[k], &obj->items[k + 1], (obj->n - k - 1) * sizeof *obj->items); // NOLINT(bugprone-sizeof-expression): the array holds pointers, so an element is a pointer
			memmove(&obj->keys[k], &obj->keys[k + 1],
			        (obj->n - k - 1) * sizeof *obj->keys);
			memmove(&obj->klens[k], &obj->klens[k + 1],
			        (obj->n - k - 1) * sizeof *obj->klens);
			obj->n--;
			return;
		}
}

int json_push(struct json *arr, struct json *v)
{
	if (!v)
		return -1;
	if (append(arr, NULL, 0, v)) {
		json_free(v);
		return -1;
	}
	return 0;
}

struct json *json_clone(const struct json *j)
{
	struct json *c = json_new(j->type);
	if (!c)
		return NULL;
	c->i = j->i;
	if (j->type == JSON_STRING) {
		if (!(c->s = malloc(j->slen + 1))) {
			free(c);
			return NULL;
		}
		memcpy(c->s, j->s, j->slen + 1);
		c->slen = j->slen;
	}
	for (size_t k = 0; k < j->n; k++) {
		struct json *item = json_clone(j->items[k]);
		char *key = NULL;
		if (j->keys && item && (key = malloc(j->klens[k] + 1)))
			memcpy(key, j->keys[k], j->klens[k] + 1);
		if (!item || (j->keys && !key) ||
		    append(c, key, j->keys ? j->klens[k] : 0, item)) {
			json_free(item);
			free(key);
			json_free(c);
			return NULL;
		}
	}
	return c; // NOLINT(clang-analyzer-unix.Malloc): append took ownership of key
}
