/*
 * The session watch's rules (reconnect_rule.h): pure functions, no state.
 */
#include "reconnect_rule.h"

uint32_t reconnect_backoff_next(uint32_t previous)
{
	if (previous < RECONNECT_FIRST_MS)
		return RECONNECT_FIRST_MS;
	return previous >= RECONNECT_MAX_MS / 2 ? RECONNECT_MAX_MS
	                                        : previous * 2;
}

bool reconnect_session_ended(int status)
{
	return status > 0;
}
