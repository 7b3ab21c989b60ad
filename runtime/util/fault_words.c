/*
 * The crash vocabulary shared by both platforms (fault_words.h): one
 * table of fault classes, and for each platform which of its codes
 * belongs to which class. A class is what a reader (a person, a
 * scenario's pattern) wants to know first; the platform's code follows
 * in parentheses for whoever debugs it.
 */
#include <runtime/fault_words.h>

#include <runtime/str.h>

#include <signal.h>

enum fault_class {
	FAULT_NONE, /* no class: only the code's own words */
	FAULT_MEMORY,
	FAULT_MISALIGNED,
	FAULT_BUS,
	FAULT_ILLEGAL,
	FAULT_ARITHMETIC,
	FAULT_ABORT,
	FAULT_ABORT_OR_SIGNAL,
};

static const char *const class_words[] = {
	[FAULT_NONE] = "",
	[FAULT_MEMORY] = "an invalid memory access",
	[FAULT_MISALIGNED] = "a misaligned memory access",
	[FAULT_BUS] = "a bus error",
	[FAULT_ILLEGAL] = "an illegal instruction",
	[FAULT_ARITHMETIC] = "an arithmetic error",
	[FAULT_ABORT] = "abort()",
	/* libkernel's kill() on riscv ends a domain by ebreak, as abort()
	 * does (kernel/riscv/lib/libc_posix.c): the two look alike */
	[FAULT_ABORT_OR_SIGNAL] = "abort() or a signal",
};

struct fault_code {
	const char *name;
	int code;
	enum fault_class class;
};

static const struct fault_code signals[] = {
	{ "SIGSEGV", SIGSEGV, FAULT_MEMORY },
	{ "SIGBUS", SIGBUS, FAULT_BUS },
	{ "SIGILL", SIGILL, FAULT_ILLEGAL },
	{ "SIGFPE", SIGFPE, FAULT_ARITHMETIC },
	{ "SIGABRT", SIGABRT, FAULT_ABORT },
	{ "SIGKILL", SIGKILL, FAULT_NONE },
	{ "SIGTERM", SIGTERM, FAULT_NONE },
	{ "SIGINT", SIGINT, FAULT_NONE },
	{ "SIGHUP", SIGHUP, FAULT_NONE },
	{ "SIGPIPE", SIGPIPE, FAULT_NONE },
	{ "SIGTRAP", SIGTRAP, FAULT_NONE },
};

/* scause's exception codes 0..15, named as the privileged spec does. */
static const struct fault_code exceptions[] = {
	{ "instruction misaligned", 0, FAULT_MISALIGNED },
	{ "instruction access fault", 1, FAULT_MEMORY },
	{ "illegal instruction", 2, FAULT_ILLEGAL },
	{ "breakpoint", 3, FAULT_ABORT_OR_SIGNAL },
	{ "load misaligned", 4, FAULT_MISALIGNED },
	{ "load access fault", 5, FAULT_MEMORY },
	{ "store misaligned", 6, FAULT_MISALIGNED },
	{ "store access fault", 7, FAULT_MEMORY },
	{ "ecall from U-mode", 8, FAULT_NONE },
	/* not the spec's: the kernel's code for a domain its creator
	 * ended (kernel/riscv/thread.c) */
	{ "killed by its creator", 9, FAULT_NONE },
	{ "ecall from M-mode", 11, FAULT_NONE },
	{ "instruction page fault", 12, FAULT_MEMORY },
	{ "load page fault", 13, FAULT_MEMORY },
	{ "store page fault", 15, FAULT_MEMORY },
};

/* The entry of `code` in table[0..count), or NULL. */
static const struct fault_code *find(const struct fault_code *table,
                                     size_t count, int code)
{
	for (size_t i = 0; i < count; i++)
		if (table[i].code == code)
			return &table[i];
	return NULL;
}

/* The table of `numbering` and the word for its kind of code. */
static const struct fault_code *table_of(enum kfault_numbering numbering,
                                         size_t *count, const char **kind)
{
	if (numbering == KFAULT_EXCEPTION) {
		*count = sizeof(exceptions) / sizeof(*exceptions);
		*kind = "exception";
		return exceptions;
	}
	*count = sizeof(signals) / sizeof(*signals);
	*kind = "signal";
	return signals;
}

/* "CLASS (KIND N, NAME)", or "KIND N (NAME)" for a code of no class. */
void fault_words_in(enum kfault_numbering numbering, int code, char *out,
                    size_t size)
{
	size_t count;
	const char *kind;
	const struct fault_code *table = table_of(numbering, &count, &kind);
	const struct fault_code *f = find(table, count, code);
	if (f && f->class != FAULT_NONE)
		str_format(out, size, "%s (%s %d, %s)", class_words[f->class],
		           kind, code, f->name);
	else
		str_format(out, size, "%s %d (%s)", kind, code,
		           f ? f->name : "unknown");
}

void fault_number_in(enum kfault_numbering numbering, int code, char *out,
                     size_t size)
{
	size_t count;
	const char *kind;
	const struct fault_code *table = table_of(numbering, &count, &kind);
	if (numbering == KFAULT_SIGNAL) {
		str_format(out, size, "%s %d", kind, code);
		return;
	}
	const struct fault_code *f = find(table, count, code);
	str_format(out, size, "%s %d, %s", kind, code, f ? f->name : "unknown");
}

void fault_words(int code, char *out, size_t size)
{
	fault_words_in(kfault_numbering(), code, out, size);
}

void fault_number(int code, char *out, size_t size)
{
	fault_number_in(kfault_numbering(), code, out, size);
}
