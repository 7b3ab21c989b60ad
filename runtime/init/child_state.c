/*
 * The setters of a child's state block (child_state.h): each checks that
 * the transition is one of the state machine's, so a misplaced call shows
 * as an assertion at once instead of as a report that lies.
 */
#include "child_state.h"

#include <runtime/invariant.h>

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* For INVARIANT: the header's invariants on one block (the id's
 * uniqueness is init's counter's, seen here only as "given"). */
static bool state_ok(const struct init_child_state *s)
{
	bool has_reason = s->state == INIT_CHILD_INCOMPLETE ||
	                  s->state == INIT_CHILD_FAILED;
	return s->id != 0 &&
	       s->has_exit_code == (s->state == INIT_CHILD_EXITED) &&
	       (s->has_exit_code || s->exit_code == 0) &&
	       (s->reason[0] != '\0') == has_reason;
}

static void enter(struct init_child_state *s, enum init_child_state_kind to)
{
	s->state = to;
	s->has_exit_code = false;
	s->exit_code = 0;
	s->reason[0] = '\0';
}

static void enter_with_reason(struct init_child_state *s,
                              enum init_child_state_kind to, const char *fmt,
                              va_list args)
{
	enter(s, to);
	vsnprintf(s->reason, sizeof(s->reason), fmt, args); // NOLINT(clang-analyzer-valist.Uninitialized): both callers va_start the list just before
	if (!s->reason[0])
		snprintf(s->reason, sizeof(s->reason), "no reason given");
}

static bool is_starting(const struct init_child_state *s)
{
	return s->state == INIT_CHILD_STARTING ||
	       s->state == INIT_CHILD_RESTARTING;
}

void init_child_state_begin(struct init_child_state *s, uint64_t *counter)
{
	memset(s, 0, sizeof(*s));
	s->id = ++*counter;
	enter(s, INIT_CHILD_STARTING);
	INVARIANT(state_ok(s));
}

void init_child_state_starting(struct init_child_state *s)
{
	assert(s->state == INIT_CHILD_INCOMPLETE ||
	       s->state == INIT_CHILD_FAILED || is_starting(s));
	if (s->state != INIT_CHILD_RESTARTING)
		enter(s, INIT_CHILD_STARTING);
	INVARIANT(state_ok(s));
}

void init_child_state_running(struct init_child_state *s)
{
	assert(is_starting(s));
	enter(s, INIT_CHILD_RUNNING);
	INVARIANT(state_ok(s));
}

void init_child_state_incomplete(struct init_child_state *s, const char *fmt,
                                 ...)
{
	va_list args;

	assert(is_starting(s));
	va_start(args, fmt);
	enter_with_reason(s, INIT_CHILD_INCOMPLETE, fmt, args);
	va_end(args);
	INVARIANT(state_ok(s));
}

void init_child_state_failed(struct init_child_state *s, const char *fmt, ...)
{
	va_list args;

	assert(is_starting(s) || s->state == INIT_CHILD_RUNNING);
	va_start(args, fmt);
	enter_with_reason(s, INIT_CHILD_FAILED, fmt, args);
	va_end(args);
	INVARIANT(state_ok(s));
}

void init_child_state_exited(struct init_child_state *s, int code)
{
	assert(s->state == INIT_CHILD_RUNNING);
	enter(s, INIT_CHILD_EXITED);
	s->has_exit_code = true;
	s->exit_code = code;
	INVARIANT(state_ok(s));
}

void init_child_state_restarting(struct init_child_state *s)
{
	enter(s, INIT_CHILD_RESTARTING);
	s->restarts++;
	INVARIANT(state_ok(s));
}
