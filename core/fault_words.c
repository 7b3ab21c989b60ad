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
	int code;
	const char *name;
	enum fault_class class;
};

static const struct fault_code signals[] = {
	{ SIGSEGV, "SIGSEGV", FAULT_MEMORY },
	{ SIGBUS, "SIGBUS", FAULT_BUS },
	{ SIGILL, "SIGILL", FAULT_ILLEGAL },
	{ SIGFPE, "SIGFPE", FAULT_ARITHMETIC },
	{ SIGABRT, "SIGABRT", FAULT_ABORT },
	{ SIGKILL, "SIGKILL", FAULT_NONE },
	{ SIGTERM, "SIGTERM", FAULT_NONE },
	{ SIGINT, "SIGINT", FAULT_NONE },
	{ SIGHUP, "SIGHUP", FAULT_NONE },
	{ SIGPIPE, "SIGPIPE", FAULT_NONE },
	{ SIGTRAP, "SIGTRAP", FAULT_NONE },
};

/* scause's exception codes 0..15, named as the privileged spec does. */
static const struct fault_code exceptions[] = {
	{ 0, "instruction misaligned", FAULT_MISALIGNED },
	{ 1, "instruction access fault", FAULT_MEMORY },
	{ 2, "illegal instruction", FAULT_ILLEGAL },
	{ 3, "breakpoint", FAULT_ABORT_OR_SIGNAL },
	{ 4, "load misaligned", FAULT_MISALIGNED },
	{ 5, "load access fault", FAULT_MEMORY },
	{ 6, "store misaligned", FAULT_MISALIGNED },
	{ 7, "store access fault", FAULT_MEMORY },
	{ 8, "ecall from U-mode", FAULT_NONE },
	/* not the spec's: the kernel's code for a domain its creator
	 * ended (kernel/riscv/thread.c) */
	{ 9, "killed by its creator", FAULT_NONE },
	{ 11, "ecall from M-mode", FAULT_NONE },
	{ 12, "instruction page fault", FAULT_MEMORY },
	{ 13, "load page fault", FAULT_MEMORY },
	{ 15, "store page fault", FAULT_MEMORY },
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
