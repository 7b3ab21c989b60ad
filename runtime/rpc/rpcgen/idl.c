/*
 * Parser and checker of rpcgen's IDL (the grammar is in idl.h). A small
 * lexer feeds a recursive-descent parser; every rule that can fail reports
 * "FILE:LINE: message" once and returns -1, so a bad interface file is
 * answered with the line to fix. Beyond syntax it checks what the wire
 * format needs: unique names, bounds, capability counts and the worst-case
 * size of every request and reply within one kernel message.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "idl.h"

enum token_kind { TOK_END, TOK_IDENT, TOK_NUMBER, TOK_STRING, TOK_PUNCT };

struct token {
	enum token_kind kind;
	char text[IDL_NAME_MAX + 160];
	uint64_t number;
	int line;
};

struct parser {
	const char *pos;
	const char *file;
	int line;
	struct token tok; /* the current token */
	char *err;
	size_t err_size;
	int failed;
};

static int fail(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (p->failed)
		return -1;
	p->failed = 1;
	n = snprintf(p->err, p->err_size, "%s:%d: ", p->file, line);
	if (n < 0 || (size_t)n >= p->err_size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
	va_end(ap);
	return -1;
}

static void skip_space_and_comments(struct parser *p)
{
	for (;;) {
		if (*p->pos == '\n') {
			p->line++;
			p->pos++;
		} else if (isspace((unsigned char)*p->pos)) {
			p->pos++;
		} else if (*p->pos == '#') {
			while (*p->pos && *p->pos != '\n')
				p->pos++;
		} else {
			return;
		}
	}
}

static int lex_ident(struct parser *p, struct token *t)
{
	size_t n = 0;
	while (isalnum((unsigned char)p->pos[n]) || p->pos[n] == '_')
		n++;
	if (n >= IDL_NAME_MAX)
		return fail(p, p->line,
		            "name '%.*s...' is longer than %d characters", 16,
		            p->pos, IDL_NAME_MAX - 1);
	t->kind = TOK_IDENT;
	memcpy(t->text, p->pos, n);
	t->text[n] = 0;
	p->pos += n;
	return 0;
}

static int lex_number(struct parser *p, struct token *t)
{
	uint64_t value = 0;
	while (isdigit((unsigned char)*p->pos)) {
		value = value * 10 + (uint64_t)(*p->pos - '0');
		if (value > UINT32_MAX)
			return fail(p, p->line, "number is too large");
		p->pos++;
	}
	if (isalpha((unsigned char)*p->pos) || *p->pos == '_')
		return fail(p, p->line, "unexpected '%c' after a number",
		            *p->pos);
	t->kind = TOK_NUMBER;
	t->number = value;
	snprintf(t->text, sizeof t->text, "%llu", (unsigned long long)value);
	return 0;
}

/* A description in double quotes: printable, no '"' or '\' inside. */
static int lex_string(struct parser *p, struct token *t)
{
	size_t n = 0;
	p->pos++;
	while (*p->pos != '"') {
		unsigned char c = (unsigned char)*p->pos;
		if (c == 0 || c == '\n')
			return fail(p, p->line,
			            "unterminated description string");
		if (c == '\\' || !isprint(c))
			return fail(p, p->line,
			            "description strings hold printable "
			            "characters only, no backslash");
		if (n + 1 >= sizeof((struct idl_error *)0)->text)
			return fail(p, p->line,
			            "description string is too long");
		t->text[n++] = (char)c;
		p->pos++;
	}
	p->pos++;
	t->text[n] = 0;
	t->kind = TOK_STRING;
	return 0;
}

/* Reads the next token into p->tok. */
static int next(struct parser *p)
{
	struct token *t = &p->tok;
	skip_space_and_comments(p);
	t->line = p->line;
	if (*p->pos == 0) {
		t->kind = TOK_END;
		strcpy(t->text, "end of file");
		return 0;
	}
	if (isalpha((unsigned char)*p->pos) || *p->pos == '_')
		return lex_ident(p, t);
	if (isdigit((unsigned char)*p->pos))
		return lex_number(p, t);
	if (*p->pos == '"')
		return lex_string(p, t);
	if (strchr("{}();,<>", *p->pos)) {
		t->kind = TOK_PUNCT;
		t->text[0] = *p->pos++;
		t->text[1] = 0;
		return 0;
	}
	return fail(p, p->line, "unexpected character '%c'",
	            isprint((unsigned char)*p->pos) ? *p->pos : '?');
}

static int is_punct(const struct parser *p, char c)
{
	return p->tok.kind == TOK_PUNCT && p->tok.text[0] == c;
}

static int is_word(const struct parser *p, const char *word)
{
	return p->tok.kind == TOK_IDENT && strcmp(p->tok.text, word) == 0;
}

static int expect_punct(struct parser *p, char c, const char *context)
{
	if (!is_punct(p, c))
		return fail(p, p->tok.line, "expected '%c' %s, found '%s'", c,
		            context, p->tok.text);
	return next(p);
}

/* Names that would clash with the generated C code. */
static int reserved(const char *name)
{
	static const char *const words[] = {
		"object",   "self",    "auto",     "bool",     "break",
		"case",     "char",    "const",    "continue", "default",
		"do",       "double",  "else",     "enum",     "extern",
		"float",    "for",     "goto",     "if",       "inline",
		"int",      "long",    "register", "restrict", "return",
		"short",    "signed",  "sizeof",   "static",   "struct",
		"switch",   "typedef", "union",    "unsigned", "void",
		"volatile", "while",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(name, words[i]) == 0)
			return 1;
	return 0;
}

static int take_name(struct parser *p, char name[IDL_NAME_MAX],
                     const char *what)
{
	if (p->tok.kind != TOK_IDENT)
		return fail(p, p->tok.line, "expected %s, found '%s'", what,
		            p->tok.text);
	if (reserved(p->tok.text))
		return fail(p, p->tok.line,
		            "'%s' is reserved and cannot name %s", p->tok.text,
		            what);
	strcpy(name, p->tok.text); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): the lexer bounds token text to the name buffer
	return next(p);
}

static const struct {
	const char *name;
	enum rpc_type type;
} type_names[] = {
	{ "u8", RPC_U8 },     { "u16", RPC_U16 },       { "u32", RPC_U32 },
	{ "u64", RPC_U64 },   { "i32", RPC_I32 },       { "i64", RPC_I64 },
	{ "bool", RPC_BOOL }, { "string", RPC_STRING }, { "bytes", RPC_BYTES },
	{ "cap", RPC_CAP },
};

/* The IDL spelling, e.g. "u64", "string" (bounds not included). */
static const char *idl_type_name(enum rpc_type type)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "?";
}

const char *idl_c_type(enum rpc_type type)
{
	switch (type) {
	case RPC_U8:
		return "uint8_t";
	case RPC_U16:
		return "uint16_t";
	case RPC_U32:
		return "uint32_t";
	case RPC_U64:
		return "uint64_t";
	case RPC_I32:
		return "int32_t";
	case RPC_I64:
		return "int64_t";
	case RPC_BOOL:
		return "bool";
	case RPC_CAP:
		return "kcap_t";
	case RPC_STRING:
		return "char";
	case RPC_BYTES:
		return "void";
	}
	return "?";
}

/* type := u8 | ... | cap [ '<' IFACE '>' ] | string '<' N '>' | bytes '<' N '>' */
static int parse_type(struct parser *p, struct idl_arg *arg)
{
	size_t n = sizeof type_names / sizeof type_names[0];
	int known = 0;
	for (size_t i = 0; i < n && !known; i++) {
		known = is_word(p, type_names[i].name);
		if (known)
			arg->type = type_names[i].type;
	}
	if (!known)
		return fail(p, p->tok.line,
		            "unknown type '%s' (known: u8 u16 u32 "
		            "u64 i32 i64 bool cap string<N> bytes<N>)",
		            p->tok.text);
	if (next(p))
		return -1;
	if (arg->type == RPC_CAP && is_punct(p, '<')) {
		if (next(p) ||
		    take_name(p, arg->iface, "an interface after cap<"))
			return -1;
		return expect_punct(p, '>', "after the interface of cap");
	}
	if (arg->type != RPC_STRING && arg->type != RPC_BYTES)
		return 0;
	if (expect_punct(p, '<', "after string or bytes (a bound like <64>)"))
		return -1;
	if (p->tok.kind != TOK_NUMBER || p->tok.number == 0 ||
	    p->tok.number > KMSG_MAX_BYTES)
		return fail(p, p->tok.line,
		            "the bound of %s must be a number "
		            "from 1 to %u",
		            idl_type_name(arg->type), KMSG_MAX_BYTES);
	arg->max = (uint32_t)p->tok.number;
	if (next(p))
		return -1;
	return expect_punct(p, '>', "after the bound");
}

static int arg_name_taken(const struct idl_func *f, const char *name)
{
	char len_name[IDL_NAME_MAX + 8];
	for (unsigned i = 0; i < f->arg_count; i++) {
		if (strcmp(f->args[i].name, name) == 0)
			return 1;
		/* a bytes argument X also takes the C parameter X_len */
		snprintf(len_name, sizeof len_name, "%s_len", f->args[i].name);
		if (f->args[i].type == RPC_BYTES && strcmp(len_name, name) == 0)
			return 1;
	}
	return 0;
}

/* param := ('in' | 'out') type NAME */
static int parse_param(struct parser *p, struct idl_func *f)
{
	struct idl_arg arg = { 0 };
	int line = p->tok.line;
	if (is_word(p, "in") || is_word(p, "out"))
		arg.out = is_word(p, "out");
	else
		return fail(p, line,
		            "expected 'in' or 'out' before an argument "
		            "of %s, found '%s'",
		            f->name, p->tok.text);
	if (next(p) || parse_type(p, &arg) ||
	    take_name(p, arg.name, "an argument"))
		return -1;
	if (arg_name_taken(f, arg.name))
		return fail(p, line, "argument '%s' of %s is declared twice",
		            arg.name, f->name);
	if (arg.type == RPC_BYTES) {
		char len_name[IDL_NAME_MAX + 8];
		snprintf(len_name, sizeof len_name, "%s_len", arg.name);
		if (arg_name_taken(f, len_name))
			return fail(p, line,
			            "argument '%s' of %s clashes with '%s'",
			            arg.name, f->name, len_name);
	}
	if (f->arg_count == 2 * RPC_MAX_ARGS)
		return fail(p, line, "%s has too many arguments", f->name);
	f->args[f->arg_count++] = arg;
	return 0;
}

/* Whether a function's requests and replies fit one message, worst case. */
static int check_sizes(struct parser *p, const struct idl_func *f, int line)
{
	uint32_t bytes[2] = { RPC_REQUEST_HEADER_BYTES,
		              RPC_REPLY_HEADER_BYTES };
	unsigned count[2] = { 0, 0 }, caps[2] = { 0, 0 };
	static const char *const dir[2] = { "in", "out" };
	for (unsigned i = 0; i < f->arg_count; i++) {
		const struct idl_arg *a = &f->args[i];
		rpc_arg_desc_t d = { .type = a->type, .max = a->max };
		bytes[a->out] += rpc_arg_max_bytes(&d);
		count[a->out]++;
		caps[a->out] += a->type == RPC_CAP;
	}
	for (int d = 0; d < 2; d++) {
		if (count[d] > RPC_MAX_ARGS)
			return fail(p, line,
			            "%s has %u %s-arguments, at most %u are "
			            "allowed",
			            f->name, count[d], dir[d], RPC_MAX_ARGS);
		if (caps[d] > KMSG_MAX_CAPS)
			return fail(p, line,
			            "%s has %u %s-capabilities, a message "
			            "carries at most %u",
			            f->name, caps[d], dir[d], KMSG_MAX_CAPS);
		if (bytes[d] > KMSG_MAX_BYTES)
			return fail(
				p, line,
				"the %s-arguments of %s take up to %u bytes,"
				" more than one message (%u bytes): lower the bounds",
				dir[d], f->name, bytes[d], KMSG_MAX_BYTES);
	}
	return 0;
}

static int func_name_taken(const struct idl_interface *iface, const char *name)
{
	for (unsigned i = 0; i < iface->func_count; i++)
		if (strcmp(iface->funcs[i].name, name) == 0)
			return 1;
	return 0;
}

/* func := NAME '(' [param (',' param)*] ')' ';' */
static int parse_func(struct parser *p, struct idl_interface *iface)
{
	struct idl_func *f;
	int line = p->tok.line;
	void *grown = grow_array(iface->funcs, &iface->func_room,
	                         (size_t)iface->func_count + 1, sizeof *f);
	if (!grown)
		return fail(p, line, "out of memory");
	iface->funcs = grown;
	f = &iface->funcs[iface->func_count];
	memset(f, 0, sizeof *f);
	if (take_name(p, f->name, "a function"))
		return -1;
	if (func_name_taken(iface, f->name))
		return fail(p, line, "function '%s' is declared twice",
		            f->name);
	if (expect_punct(p, '(', "after the function name"))
		return -1;
	while (!is_punct(p, ')')) {
		if (f->arg_count && expect_punct(p, ',', "between arguments"))
			return -1;
		if (parse_param(p, f))
			return -1;
	}
	if (next(p) || expect_punct(p, ';', "after a function declaration") ||
	    check_sizes(p, f, line))
		return -1;
	iface->func_count++;
	return 0;
}

/* error := 'error' NAME "description" ';' */
static int parse_error(struct parser *p, struct idl_interface *iface)
{
	struct idl_error *e;
	int line = p->tok.line;
	void *grown;
	if (iface->error_count == RPC_MAX_ERRORS)
		return fail(p, line, "more than %u errors", RPC_MAX_ERRORS);
	grown = grow_array(iface->errors, &iface->error_room,
	                   (size_t)iface->error_count + 1, sizeof *e);
	if (!grown)
		return fail(p, line, "out of memory");
	iface->errors = grown;
	e = &iface->errors[iface->error_count];
	if (next(p) || take_name(p, e->name, "an error"))
		return -1;
	for (unsigned i = 0; i < iface->error_count; i++)
		if (strcmp(iface->errors[i].name, e->name) == 0)
			return fail(p, line, "error '%s' is declared twice",
			            e->name);
	if (p->tok.kind != TOK_STRING)
		return fail(p, p->tok.line,
		            "expected a description in double "
		            "quotes after error '%s'",
		            e->name);
	strcpy(e->text, p->tok.text); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): the lexer bounds token text to the text buffer
	if (next(p) || expect_punct(p, ';', "after an error declaration"))
		return -1;
	iface->error_count++;
	return 0;
}

/* file := 'interface' NAME '{' (error | func)* '}' ';' */
static int parse_file(struct parser *p, struct idl_interface *iface)
{
	if (next(p))
		return -1;
	if (!is_word(p, "interface"))
		return fail(p, p->tok.line, "expected 'interface', found '%s'",
		            p->tok.text);
	if (next(p) || take_name(p, iface->name, "the interface") ||
	    expect_punct(p, '{', "after the interface name"))
		return -1;
	while (!is_punct(p, '}')) {
		if (p->tok.kind == TOK_END)
			return fail(p, p->tok.line,
			            "missing '}' at the end of "
			            "interface %s",
			            iface->name);
		if (is_word(p, "error") ? parse_error(p, iface)
		                        : parse_func(p, iface))
			return -1;
	}
	if (iface->func_count == 0)
		return fail(p, p->tok.line, "interface %s declares no function",
		            iface->name);
	if (next(p) || expect_punct(p, ';', "after the interface's '}'"))
		return -1;
	if (p->tok.kind != TOK_END)
		return fail(p, p->tok.line,
		            "unexpected '%s' after the interface", p->tok.text);
	return 0;
}

int idl_parse(const char *text, const char *file, struct idl_interface *out,
              char *err, size_t err_size)
{
	struct parser p = { .pos = text,
		            .file = file,
		            .line = 1,
		            .err = err,
		            .err_size = err_size };
	struct idl_interface iface = { 0 };
	if (parse_file(&p, &iface)) {
		idl_free(&iface);
		return -1;
	}
	*out = iface;
	return 0;
}

void idl_free(struct idl_interface *iface)
{
	free(iface->funcs);
	free(iface->errors);
	iface->funcs = NULL;
	iface->errors = NULL;
	iface->func_count = iface->error_count = 0;
	iface->func_room = iface->error_room = 0;
}

uint32_t idl_interface_id(const char *name)
{
	uint32_t hash = 2166136261u;
	for (; *name; name++) {
		hash ^= (uint8_t)*name;
		hash *= 16777619u;
	}
	return hash;
}
