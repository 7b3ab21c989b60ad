/*
 * The rules of the session watch (reconnect.c), pure so that a unit test
 * can hold them (tests/unit/env/reconnect_rule_test.c): what an answer of
 * the parent's session_cap says about a session, and how long a client
 * waits before it asks again for a session that found no server.
 *
 * The back-off starts at RECONNECT_FIRST_MS and doubles up to
 * RECONNECT_MAX_MS: a restarted server is found within a tick or two, a
 * server that stays away costs one request every 2 s. The parent's own
 * deadline for a server that has not announced its service yet (init:
 * 2 s) comes on top of it.
 */
#ifndef RUNTIME_ENV_RECONNECT_RULE_H
#define RUNTIME_ENV_RECONNECT_RULE_H

#include <stdbool.h>
#include <stdint.h>

#define RECONNECT_TICK_MS  100u
#define RECONNECT_FIRST_MS 100u
#define RECONNECT_MAX_MS   2000u

/* The wait before the next request after one that found no server;
 * `previous` is the last wait (0: none yet). */
uint32_t reconnect_backoff_next(uint32_t previous);

/* Whether the parent's answer `status` to session_cap for a session the
 * client had open means that it ended (its server went away, or the
 * parent moved it): a parent error does; 0 (open) does not, nor does a
 * kernel error of the call itself (KERR_*, negative), after which the
 * next signal asks again. */
bool reconnect_session_ended(int status);

#endif
