/*
 * The report of a broken invariant (runtime/invariant.h): what broke and
 * where, then abort, which the sanitizers turn into a stack trace.
 */
#include <runtime/invariant.h>

#include <stdio.h>
#include <stdlib.h>

_Noreturn void invariant_broken(const char *condition, const char *file,
                                int line, const char *function)
{
	fprintf(stderr, "%s:%d: %s: invariant broken: %s\n", file, line,
	        function, condition);
	abort();
}
