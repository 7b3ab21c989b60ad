/*
 * Session-argument strings (runtime/arg_string.h). Every operation first
 * finds the length of the caller's string within its buffer, then walks
 * the assignments with the tokenizer of runtime/token.h; a parse error
 * anywhere in the string fails the whole operation, so a malformed string
 * is never half-used. Changing operations compute the length of the result
 * before they write, and write only when it fits.
 */
#include <runtime/arg_string.h>

#include <runtime/token.h>

#include <hex/hex.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* One `tag=value` assignment, located in the argument string. */
struct entry {
	struct token tag;
	size_t lead;      /* offset where the separator before it begins */
	size_t begin;     /* offset of the tag */
	size_t value;     /* offset of the value */
	size_t value_end; /* offset just after the value */
};

/* Length of the string in args[0..size), or ARG_ERR_UNTERMINATED. */
static int string_length(const char *args, size_t size, size_t *len)
{
	if (!args)
		return ARG_ERR_UNTERMINATED;
	size_t n = strnlen(args, size);
	if (n == size)
		return ARG_ERR_UNTERMINATED;
	*len = n;
	return ARG_OK;
}

static bool is_delim(struct token t, char c)
{
	return t.type == TOKEN_DELIM && t.start[0] == c;
}

/* Scans a value from `t` up to a top-level comma or the end. Stores the
 * offset after its last non-whitespace token in *end (relative to base)
 * and returns the token that stopped the scan. */
static int scan_value(const char *base, struct token t, size_t *end,
                      struct token *stop)
{
	bool any = false;
	while (t.type != TOKEN_END && !is_delim(t, ',')) {
		if (t.type == TOKEN_UNTERMINATED)
			return ARG_ERR_MALFORMED;
		if (t.type != TOKEN_WHITESPACE) {
			any = true;
			*end = (size_t)(t.start - base) + t.len;
		}
		t = token_next(t);
	}
	*stop = t;
	return any ? ARG_OK : ARG_ERR_MALFORMED;
}

/*
 * Parses the assignment that starts at *pos in args[0..len). Returns 1 and
 * advances *pos past its separator, 0 at the end of the string, or
 * ARG_ERR_MALFORMED.
 */
static int next_entry(const char *args, size_t len, size_t *pos, size_t lead,
                      struct entry *e)
{
	struct token t = token_skip_whitespace(token_first(args + *pos,
	                                                   len - *pos));
	if (t.type == TOKEN_END)
		return 0; /* a trailing comma was refused where it was read */
	if (t.type != TOKEN_IDENT)
		return ARG_ERR_MALFORMED;
	e->tag = t;
	e->lead = lead;
	e->begin = (size_t)(t.start - args);

	t = token_skip_whitespace(token_next(t));
	if (!is_delim(t, '='))
		return ARG_ERR_MALFORMED;
	t = token_skip_whitespace(token_next(t));
	e->value = (size_t)(t.start - args);

	struct token stop;
	int r = scan_value(args, t, &e->value_end, &stop);
	if (r != ARG_OK)
		return r;
	if (stop.type == TOKEN_END) {
		*pos = len;
	} else {
		*pos = (size_t)(stop.start - args) + 1;
		struct token after =
			token_skip_whitespace(token_first(args + *pos,
		                                          len - *pos));
		if (after.type == TOKEN_END)
			return ARG_ERR_MALFORMED; /* trailing comma */
	}
	return 1;
}

/*
 * Calls visit() for every assignment in order; stops early when it returns
 * non-zero and passes that value on. Returns ARG_OK, a visit() result, or a
 * parse error, which is found before the first visit().
 */
typedef int (*visit_fn)(const char *args, const struct entry *e, void *ctx);

static int walk(const char *args, size_t len, visit_fn visit, void *ctx)
{
	size_t pos = 0, lead = 0;
	struct entry e;
	int r;
	/* a first pass proves the whole string well-formed */
	while ((r = next_entry(args, len, &pos, lead, &e)) == 1)
		lead = e.value_end;
	if (r < 0)
		return r;
	pos = lead = 0;
	while (next_entry(args, len, &pos, lead, &e) == 1) {
		lead = e.value_end;
		r = visit(args, &e, ctx);
		if (r)
			return r;
	}
	return ARG_OK;
}

int arg_string_validate(const char *args, size_t size)
{
	size_t len;
	int r = string_length(args, size, &len);
	if (r)
		return r;
	size_t pos = 0, lead = 0;
	struct entry e;
	while ((r = next_entry(args, len, &pos, lead, &e)) == 1)
		lead = e.value_end;
	return r;
}

/* --- lookup ---------------------------------------------------------------- */

struct find_ctx {
	const char *tag;
	struct entry found;
};

static int find_visit(const char *args, const struct entry *e, void *ctx)
{
	struct find_ctx *f = ctx;
	if (!token_equals(e->tag, f->tag))
		return 0;
	f->found = *e;
	return 1;
}

/* Finds the first assignment of `tag`: ARG_OK, or an error. */
static int find(const char *args, size_t size, const char *tag, struct entry *e)
{
	size_t len;
	int r = string_length(args, size, &len);
	if (r)
		return r;
	struct find_ctx f = { .tag = tag };
	r = walk(args, len, find_visit, &f);
	if (r < 0)
		return r;
	if (r == 0)
		return ARG_ERR_NOT_FOUND;
	*e = f.found;
	return ARG_OK;
}

int arg_string_get_string(const char *args, size_t size, const char *tag,
                          char *dst, size_t dst_size)
{
	if (!dst || dst_size == 0)
		return ARG_ERR_NO_SPACE;
	dst[0] = '\0';
	struct entry e;
	int r = find(args, size, tag, &e);
	if (r)
		return r;
	struct token v = token_first(args + e.value, e.value_end - e.value);
	if (v.type == TOKEN_STRING && v.len == e.value_end - e.value)
		return token_copy_unquoted(v, dst, dst_size) < 0
		               ? ARG_ERR_NO_SPACE
		               : ARG_OK;
	v.len = e.value_end - e.value;
	return token_copy(v, dst, dst_size) < 0 ? ARG_ERR_NO_SPACE : ARG_OK;
}

static unsigned suffix_shift(char c)
{
	switch (c) {
	case 'K':
	case 'k':
		return 10;
	case 'M':
	case 'm':
		return 20;
	case 'G':
	case 'g':
		return 30;
	default:
		return 0;
	}
}

/* Parses s[0..n) as a decimal or 0x number, with a K/M/G suffix when
 * `suffixes` is set. */
static int parse_number(const char *s, size_t n, bool suffixes, uint64_t *out)
{
	unsigned shift = 0;
	if (suffixes && n > 1 && suffix_shift(s[n - 1])) {
		shift = suffix_shift(s[n - 1]);
		n--;
	}
	unsigned base = 10;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (n == 0)
		return ARG_ERR_NOT_A_NUMBER;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit_value(s[i]);
		if (d < 0 || (unsigned)d >= base)
			return ARG_ERR_NOT_A_NUMBER;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return ARG_ERR_RANGE;
		v = v * base + (unsigned)d;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return ARG_ERR_RANGE;
	*out = v << shift;
	return ARG_OK;
}

static int get_number(const char *args, size_t size, const char *tag,
                      bool suffixes, uint64_t *value)
{
	struct entry e;
	int r = find(args, size, tag, &e);
	if (r)
		return r;
	uint64_t v;
	r = parse_number(args + e.value, e.value_end - e.value, suffixes, &v);
	if (r)
		return r;
	*value = v;
	return ARG_OK;
}

int arg_string_get_unsigned(const char *args, size_t size, const char *tag,
                            uint64_t *value)
{
	return get_number(args, size, tag, false, value);
}

int arg_string_get_size(const char *args, size_t size, const char *tag,
                        uint64_t *value)
{
	return get_number(args, size, tag, true, value);
}

/* --- changes --------------------------------------------------------------- */

struct remove_ctx {
	char *args;
	const char *tag;
	bool write; /* false: only measure */
	size_t out; /* length of the result so far */
	bool found;
};

/* Keeps an assignment that is not `tag`, with the separator before it
 * unless it becomes the first; drops one that is. The result is never
 * longer than what was read, so writing in place is safe. */
static int remove_visit(const char *args, const struct entry *e, void *ctx)
{
	struct remove_ctx *c = ctx;
	if (token_equals(e->tag, c->tag)) {
		c->found = true;
		return 0;
	}
	size_t from = c->out == 0 ? e->begin : e->lead;
	size_t n = e->value_end - from;
	if (c->write)
		memmove(c->args + c->out, args + from, n);
	c->out += n;
	return 0;
}

static bool valid_tag(const char *tag)
{
	if (!tag)
		return false;
	size_t n = strlen(tag);
	struct token t = token_first(tag, n);
	return t.type == TOKEN_IDENT && t.len == n;
}

/* Whether `value` is one well-formed argument value as written. */
static bool valid_value(const char *value)
{
	if (!value)
		return false;
	struct token t = token_skip_whitespace(token_first(value,
	                                                   strlen(value)));
	if (t.start != value)
		return false; /* no leading whitespace: the value is kept verbatim */
	size_t end = 0;
	struct token stop;
	if (scan_value(value, t, &end, &stop) != ARG_OK)
		return false;
	return stop.type == TOKEN_END && end == strlen(value);
}

/* Length of `text` quoted and escaped. */
static size_t quoted_length(const char *text)
{
	size_t n = 2;
	for (const char *p = text; *p; p++)
		n += (*p == '"' || *p == '\\') ? 2 : 1;
	return n;
}

static void write_quoted(char *dst, const char *text)
{
	*dst++ = '"';
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			*dst++ = '\\';
		*dst++ = *p;
	}
	*dst = '"';
}

/*
 * Removes every assignment of `tag` and appends `tag=<value>`, where the
 * value is `value` verbatim or, with `quote`, quoted. The string changes
 * only when the result fits.
 */
static int replace(char *args, size_t size, const char *tag, const char *value,
                   bool quote)
{
	size_t len;
	int r = string_length(args, size, &len);
	if (r)
		return r;
	struct remove_ctx c = { .args = args, .tag = tag, .write = false };
	r = walk(args, len, remove_visit, &c);
	if (r)
		return r;

	size_t tag_len = strlen(tag);
	size_t value_len = quote ? quoted_length(value) : strlen(value);
	size_t sep = c.out ? 2 : 0;
	if (value_len >= size || tag_len >= size ||
	    c.out + sep + tag_len + 1 + value_len >= size)
		return ARG_ERR_NO_SPACE;

	c.write = true;
	c.out = 0;
	walk(args, len, remove_visit, &c);
	char *p = args + c.out;
	if (sep) {
		memcpy(p, ", ", 2);
		p += 2;
	}
	memcpy(p, tag, tag_len);
	p += tag_len;
	*p++ = '=';
	if (quote)
		write_quoted(p, value);
	else
		memcpy(p, value, value_len);
	p[value_len] = '\0';
	return ARG_OK;
}

int arg_string_set(char *args, size_t size, const char *tag, const char *value)
{
	if (!valid_tag(tag))
		return ARG_ERR_BAD_TAG;
	if (!valid_value(value))
		return ARG_ERR_BAD_VALUE;
	return replace(args, size, tag, value, false);
}

int arg_string_set_quoted(char *args, size_t size, const char *tag,
                          const char *text)
{
	if (!valid_tag(tag))
		return ARG_ERR_BAD_TAG;
	if (!text)
		return ARG_ERR_BAD_VALUE;
	return replace(args, size, tag, text, true);
}

int arg_string_set_unsigned(char *args, size_t size, const char *tag,
                            uint64_t value)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%" PRIu64, value);
	return arg_string_set(args, size, tag, digits);
}

int arg_string_remove(char *args, size_t size, const char *tag)
{
	if (!valid_tag(tag))
		return ARG_ERR_BAD_TAG;
	size_t len;
	int r = string_length(args, size, &len);
	if (r)
		return r;
	struct remove_ctx c = { .args = args, .tag = tag, .write = false };
	r = walk(args, len, remove_visit, &c);
	if (r)
		return r;
	if (!c.found)
		return ARG_ERR_NOT_FOUND;
	c.write = true;
	c.out = 0;
	walk(args, len, remove_visit, &c);
	args[c.out] = '\0';
	return ARG_OK;
}
