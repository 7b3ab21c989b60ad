/*
 * Invariants in code. A file states its invariants once, in prose at its
 * top; INVARIANT(condition) asserts them where the data changes. The
 * conditions are checked in the sanitizer and fuzz builds (mk/flags.mk
 * defines RUNTIME_INVARIANTS there), so every unit test runs with them,
 * and compiled out of the release build, where they cost nothing: a
 * condition may be as expensive as a walk over the whole structure
 * (avl_check(), range_alloc_check()), and must have no side effect.
 *
 * A broken invariant is a bug of the code that keeps it (or memory
 * corruption), never bad input: input is refused by decode steps with an
 * error. So it is not returned but reported on stderr with the condition
 * and where it broke, and the process aborts, under the sanitizers with
 * a stack trace.
 */
#ifndef RUNTIME_INVARIANT_H
#define RUNTIME_INVARIANT_H

#ifdef RUNTIME_INVARIANTS
#define INVARIANT(condition) \
	((condition) ? (void)0 \
	             : invariant_broken(#condition, __FILE__, __LINE__, __func__))
#else
/* Not evaluated; still compiled, so a condition cannot rot unseen. */
#define INVARIANT(condition) ((void)sizeof(!(condition)))
#endif

_Noreturn void invariant_broken(const char *condition, const char *file,
                                int line, const char *function);

#endif /* RUNTIME_INVARIANT_H */
