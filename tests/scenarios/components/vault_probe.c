/*
 * vault-probe: the client of the remote capability scenario (71). Through
 * a Vault session (vault.rpc) it gets a capability to a new vault object
 * (make), calls it, hands it back to the server (store) which calls it
 * itself (read_stored), then closes the session and calls the object
 * again: the call must fail, the object revoked with its session. It asks
 * for the session every 200 ms (30 s at most) until one is there.
 */
#include <runtime/cap.h>
#include <runtime/connection.h>
#include <runtime/env.h>
#include <runtime/signal.h>

#include "vault_rpc.h"

static void say(env_t *env, const char *what, int err, uint64_t value)
{
	if (err)
		env_log(env, "%s: %s", what, rpc_strerror(&vault_rpc, err));
	else
		env_log(env, "%s: %llu", what, (unsigned long long)value);
}

void component_construct(env_t *env)
{
	static connection_t vault; /* lives as long as the component */
	kcap_t child = KCAP_INVALID;
	signal_receiver_t *idle;
	signal_t sig;
	uint64_t v = 0;
	static signal_context_t quiet; /* never submitted: waits are pauses */
	kcap_t quiet_cap;
	int err = signal_receiver_create(&idle);
	if (!err)
		err = signal_receiver_manage(idle, &quiet, &quiet_cap);
	/* the link to the Vault's node may come up after this starts */
	for (unsigned i = 0; i < 150 && (i == 0 || err); i++) {
		if (i)
			signal_receiver_wait(
				idle, &sig, 200); /* nothing submits: a pause */
		err = connection_open(&vault, env, "Vault",
		                      "label=\"probe\", ram_quota=16K");
	}
	if (err) {
		env_log(env, "no Vault: %s", runtime_strerror(err));
		env_exit(env, 1);
	}
	err = vault_make(vault.cap, 10, &child);
	env_log(env, "make: %s, %s", rpc_strerror(&vault_rpc, err),
	        cap_valid(child) ? "got a capability" : "no capability");
	err = vault_add(child, 5, &v);
	say(env, "child add 5", err, v);
	err = vault_store(vault.cap, child);
	say(env, "store child", err, 0);
	err = vault_read_stored(vault.cap, &v);
	say(env, "server reads the stored child", err, v);
	err = vault_add(vault.cap, 1, &v);
	say(env, "session add 1", err, v);
	connection_close(&vault);
	/* the parent closes the session at the server in its own time */
	for (unsigned i = 0; i < 50 && (err = vault_add(child, 0, &v)) == 0;
	     i++)
		signal_receiver_wait(idle, &sig, 100);
	say(env, "child add 0 after close", err, v);
	cap_close(child);
	env_exit(env, 0);
}
