/*
 * Connections (connection.h): a session opened through the parent, with
 * the quota donated for it kept beside the capability so that upgrades
 * add to it and the client can tell what the session costs it.
 */
#include <runtime/connection.h>

#include "env_private.h"
#include "parent_rpc.h"

int connection_open(connection_t *c, env_t *env, const char *service,
                    const char *args)
{
	char full[ENV_SESSION_ARGS_MAX + 1];
	*c = (connection_t){ .env = env, .cap = KCAP_INVALID };
	int rc = env_session_args(args, full, &c->ram_quota, &c->cap_quota);
	if (rc == 0)
		rc = env_session(env, service, full, &c->cap, &c->id);
	if (rc != 0) {
		c->cap = KCAP_INVALID;
		c->ram_quota = c->cap_quota = 0;
	}
	return rc;
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
	if (!kcap_valid(c->cap))
		return;
	(void)env_close(c->env, c->id);
	kcap_close(c->cap);
	c->cap = KCAP_INVALID;
	c->ram_quota = c->cap_quota = 0;
}
