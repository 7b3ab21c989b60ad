/*
 * Connections (connection.h): a session opened through the parent, with
 * the quota donated for it kept beside the capability so that upgrades
 * add to it and the client can tell what the session costs it, and with
 * the service and arguments it was opened with, so that it can be opened
 * anew when its server went away or the parent moved it. Watching
 * (connection_watch) is reconnect.c's.
 */
#include <runtime/connection.h>

#include <runtime/arg_string.h>
#include <runtime/str.h>

#include "env_private.h"
#include "parent_rpc.h"

/* A request whose session ended before it was taken (PARENT_ERR_ENDED:
 * moved by a config applied meanwhile, or its server went) is asked
 * again, as often as configs can follow each other while it waits. */
#define CONNECTION_ENDED_RETRIES 4   /* requests at most */

/* Asks the parent for the session c->service with c->args. */
static int open_session(connection_t *c)
{
	char asked[CONNECTION_ARGS_MAX + 1];
	str_copy(asked, c->args, sizeof(asked));
	int rc = env_session_args(asked, c->args, &c->ram_quota, &c->cap_quota);
	for (int tries = 1; rc == 0; tries++) {
		rc = env_session_request(c->env, c->service, c->args, &c->cap,
		                         &c->id);
		if (rc != PARENT_ERR_ENDED || tries == CONNECTION_ENDED_RETRIES)
			break;
		rc = 0;
	}
	if (rc != 0) {
		c->cap = KCAP_INVALID;
		c->ram_quota = c->cap_quota = 0;
	}
	return rc;
}

int connection_open(connection_t *c, env_t *env, const char *service,
                    const char *args)
{
	*c = (connection_t){ .env = env, .cap = KCAP_INVALID };
	if (str_copy(c->service, service, sizeof(c->service)) < 0 ||
	    str_copy(c->args, args, sizeof(c->args)) < 0) {
		c->service[0] = '\0';
		return PARENT_ERR_INVALID;
	}
	int rc = open_session(c);
	if (rc != 0)
		c->service[0] = '\0';
	return rc;
}

int connection_reopen(connection_t *c)
{
	if (!c->env || !c->service[0])
		return PARENT_ERR_UNKNOWN;
	env_reconnect_withdraw(c); /* a request the watch filed: not twice */
	if (kcap_valid(c->cap)) {
		/* the next request donates what this session had, upgrades too */
		size_t size = sizeof(c->args);
		if (arg_string_set_unsigned(c->args, size, "ram_quota",
		                            c->ram_quota) ||
		    arg_string_set_unsigned(c->args, size, "cap_quota",
		                            c->cap_quota))
			return PARENT_ERR_INVALID;
		(void)env_close(c->env,
		                c->id); /* a failed record, or the rest */
		kcap_close(c->cap);
		c->cap = KCAP_INVALID;
	}
	return open_session(c);
}

int connection_upgrade(connection_t *c, uint64_t ram, uint64_t caps)
{
	if (!kcap_valid(c->cap))
		return PARENT_ERR_UNKNOWN;
	if (ram > UINT64_MAX - c->ram_quota || caps > UINT64_MAX - c->cap_quota)
		return PARENT_ERR_INVALID;
	int rc = env_upgrade(c->env, c->id, ram, caps);
	if (rc == 0) {
		c->ram_quota += ram;
		c->cap_quota += caps;
	}
	return rc;
}

void connection_close(connection_t *c)
{
	connection_unwatch(c);
	c->service[0] = '\0';
	if (!kcap_valid(c->cap))
		return;
	(void)env_close(c->env, c->id);
	kcap_close(c->cap);
	c->cap = KCAP_INVALID;
	c->ram_quota = c->cap_quota = 0;
}
