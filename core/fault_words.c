/*
 * The crash vocabulary shared by both platforms (fault_words.h): one
 * table of fault classes, and for each platform which of its codes
 * belongs to which class. A class is what a reader (a person, a
 * scenario's pattern) wants to know first; the platform's code follows
 * in parentheses for whoever debugs it.
 */
#include "fault_words.h"

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

/* "CLASS (KIND N, NAME)", or "KIND N (NAME)" for a code of no class. */
static void words(const struct fault_code *table, size_t count,
                  const char *kind, int code, char *out, size_t size)
{
	const struct fault_code *f = NULL;
	for (size_t i = 0; i < count && !f; i++)
		if (table[i].code == code)
			f = &table[i];
	if (f && f->class != FAULT_NONE)
		str_format(out, size, "%s (%s %d, %s)", class_words[f->class],
		           kind, code, f->name);
	else
		str_format(out, size, "%s %d (%s)", kind, code,
		           f ? f->name : "unknown");
}

void fault_words_signal(int signal, char *out, size_t size)
{
	words(signals, sizeof(signals) / sizeof(*signals), "signal", signal,
	      out, size);
}

void fault_words_exception(int cause, char *out, size_t size)
{
	words(exceptions, sizeof(exceptions) / sizeof(*exceptions), "exception",
	      cause, out, size);
}
