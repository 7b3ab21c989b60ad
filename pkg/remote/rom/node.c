/*
 * The common start of every remote proxy (node.h), how it gets its link,
 * and its report of the link's state.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <runtime/cap.h>
#include <runtime/clock.h>
#include <remote/reconnect.h>
#include <remote/stream_cap.h>

#include "net_rpc.h"
#include "node.h"
#include "report_rpc.h"

/* The Report session's size: a state word and a link error. */
#define NODE_REPORT_RAM "8K"

const char *node_string(const struct node *n, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(n->config, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int read_rom(env_t *env, const char *name, env_rom_t *rom)
{
	if (!name || env_rom_open(env, name, rom) != 0)
		return -1;
	if (!rom->data) {
		env_rom_close(rom);
		return -1;
	}
	return 0;
}

static int load_identity(struct node *n)
{
	env_rom_t key, cert;
	char err[256];
	int rc;
	if (read_rom(n->env, node_string(n, "key"), &key) != 0) {
		env_log(n->env,
		        "no key: name the ROM of this node's private key in config \"key\"");
		return -1;
	}
	if (read_rom(n->env, node_string(n, "cert"), &cert) != 0) {
		env_rom_close(&key);
		env_log(n->env,
		        "no certificate: name its ROM in config \"cert\"");
		return -1;
	}
	rc = identity_from_pem(&n->identity, key.data, key.size, cert.data,
	                       cert.size, err, sizeof err);
	env_rom_close(&key);
	env_rom_close(&cert);
	if (rc)
		env_log(n->env, "this node's identity: %s", err);
	return rc;
}

/* peer.keepalive_ms, optional: how long the link may be quiet before it
 * pings the peer (it gives up after three times that), within link.h's
 * bounds: init checked them when it wrote this config, a config written
 * by hand is checked here. */
static int load_keepalive(struct node *n, const cJSON *peer)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(peer,
	                                                   "keepalive_ms");
	n->keepalive_ms = 0;
	if (!ms)
		return 0;
	if (!cJSON_IsNumber(ms) || ms->valuedouble < LINK_IDLE_MIN_MS ||
	    ms->valuedouble > LINK_IDLE_MAX_MS ||
	    ms->valuedouble != (double)(int)ms->valuedouble) {
		env_log(n->env,
		        "config \"peer\": \"keepalive_ms\" must be a whole number from %d to %d",
		        LINK_IDLE_MIN_MS, LINK_IDLE_MAX_MS);
		return -1;
	}
	n->keepalive_ms = (int)ms->valuedouble;
	return 0;
}

static int load_pin(struct node *n)
{
	const cJSON *peer = cJSON_GetObjectItemCaseSensitive(n->config, "peer");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(peer, "node");
	const cJSON *fp = cJSON_GetObjectItemCaseSensitive(peer, "fingerprint");
	if (!cJSON_IsString(name) || !cJSON_IsString(fp) ||
	    strlen(name->valuestring) >= sizeof n->peer.name ||
	    identity_fp_parse(fp->valuestring, n->peer.fp) != 0) {
		env_log(n->env,
		        "config \"peer\" needs \"node\" and \"fingerprint\" (sha256:<64 hex digits>)");
		return -1;
	}
	snprintf(n->peer.name, sizeof n->peer.name, "%s", name->valuestring);
	return load_keepalive(n, peer);
}

static int open_report(struct node *n)
{
	uint32_t id;
	kcap_t ds;
	uint64_t size;
	n->report_tried = 1;
	n->report_ds = DATASPACE_EMPTY;
	if (env_session(n->env, "Report",
	                "label=\"link\", ram_quota=" NODE_REPORT_RAM,
	                &n->report, &id)) {
		env_log(n->env,
		        "no Report session \"link\": the link's state is not reported");
		n->report = KCAP_INVALID;
		return -1;
	}
	if (report_dataspace(n->report, &ds, &size) ||
	    dataspace_open(&n->report_ds, ds, size) ||
	    dataspace_attach(&n->report_ds, true)) {
		env_log(n->env, "the Report session \"link\" gives no buffer");
		n->report = KCAP_INVALID;
		return -1;
	}
	return 0;
}

void node_report_link(struct node *n, const char *state, const char *why)
{
	cJSON *o;
	char *text;
	if (!n->report_tried)
		open_report(n);
	if (!cap_valid(n->report) || !(o = cJSON_CreateObject()))
		return;
	if (cJSON_AddStringToObject(o, "state", state) &&
	    cJSON_AddStringToObject(o, "node", n->peer.name) &&
	    (!why || cJSON_AddStringToObject(o, "error", why)) &&
	    (text = cJSON_PrintUnformatted(o)) != NULL) {
		size_t len = strlen(text);
		if (len <= n->report_ds.size) {
			memcpy(n->report_ds.addr, text, len);
			report_submit(n->report, len);
		}
		cJSON_free(text);
	}
	cJSON_Delete(o);
}

/* The link's TLS seeds itself from getentropy(): a node that has none
 * (on riscv, no Entropy session) says so at its start, not at every
 * attempt to link. */
static int check_entropy(struct node *n)
{
	unsigned char probe[16];
	if (getentropy(probe, sizeof probe) == 0)
		return 0;
	env_log(n->env, "no random numbers for the TLS link: getentropy: %s",
	        strerror(errno));
	return -1;
}

int node_init(struct node *n, env_t *env)
{
	env_rom_t rom;
	int err;
	n->env = env;
	n->config = NULL;
	if (env_rom_open(env, "config", &rom) == 0) {
		if (rom.data)
			n->config = cJSON_ParseWithLength(rom.data, rom.size);
		env_rom_close(&rom);
	}
	if (!n->config) {
		env_log(env, "config is no JSON");
		return -1;
	}
	n->report = KCAP_INVALID;
	if (load_identity(n) || load_pin(n) || check_entropy(n))
		return -1;
	err = env_session(env, "Net", "label=\"\"", &n->net, &n->net_id);
	if (err) {
		env_log(env, "no Net session: %s: route \"Net\" to core",
		        runtime_strerror(err));
		return -1;
	}
	return 0;
}

/* The link configuration of this node, as the server of a link or not. */
static link_config_t node_link_config(const struct node *n, int server)
{
	return (link_config_t){ n->identity, &n->peer,        1, server,
		                10000,       n->keepalive_ms, 0 };
}

/* Waits ms on rx; a signal that ends it early is taken and said. */
static int pause_on(signal_receiver_t *rx, uint32_t ms)
{
	uint64_t until = clock_now_ns() / 1000000u + ms;
	int signalled = 0;
	for (;;) {
		uint64_t now = clock_now_ns() / 1000000u;
		signal_t sig;
		if (now >= until)
			return signalled;
		if (signal_receiver_wait(rx, &sig, (int)(until - now)) == 0)
			signalled = 1;
	}
}

link_t *node_accept_link(struct node *n, uint16_t port, signal_receiver_t *rx,
                         void (*signalled)(void *ctx), void *ctx)
{
	link_config_t cfg = node_link_config(n, 1);
	for (;;) {
		kcap_t stream;
		link_stream_t ls;
		link_t *l;
		char err[320];
		int rc = net_accept(n->net, port, &stream);
		if (rc == NET_ERR_NONE) {
			if (pause_on(rx, 100) && signalled)
				signalled(ctx);
			continue;
		}
		if (rc) {
			env_log(n->env, "cannot accept on port %u: %s", port,
			        rc == NET_ERR_DENIED
			                ? "the network policy denies it"
			                : "cannot listen");
			node_report_link(n, NODE_LINK_DOWN,
			                 "cannot accept on the port");
			return NULL;
		}
		if (stream_cap(stream, rx, &ls) != 0)
			continue;
		if ((rc = link_open(&l, &ls, &cfg, err, sizeof err)) == 0)
			return l;
		env_log(n->env, "refused a connection: %s", err);
		if (rc == LINK_ERR_PEER)
			node_report_link(n, NODE_LINK_REFUSED, err);
	}
}

struct dialling {
	struct node *node;
	signal_receiver_t *rx;
};

static int dial(void *ctx, link_stream_t *out, char *err, size_t errlen)
{
	struct dialling *d = ctx;
	kcap_t stream;
	int rc = net_connect(d->node->net, d->node->peer.name, &stream);
	if (rc) {
		snprintf(err, errlen, "the Net session refused node \"%s\": %s",
		         d->node->peer.name, rpc_strerror(&net_rpc, rc));
		return -1;
	}
	return stream_cap(stream, d->rx, out);
}

link_t *node_dial_link(struct node *n, signal_receiver_t *rx, int was_up)
{
	link_config_t cfg = node_link_config(n, 0);
	struct dialling d = { n, rx };
	/* one attempt per link_connect(), so a refused key is reported as such */
	link_dialer_t dialer = { dial, NULL, NULL, &d, 100, 2000, 1 };
	int last_rc = 0;
	for (unsigned attempt = 1;; attempt++) {
		link_t *l;
		char err[320];
		int rc = link_connect(&l, &dialer, &cfg, err, sizeof err);
		uint32_t delay = backoff_delay(100, 2000, attempt);
		if (rc == 0)
			return l;
		node_report_link(n,
		                 rc == LINK_ERR_PEER ? NODE_LINK_REFUSED
		                 : was_up            ? NODE_LINK_DOWN
		                                     : NODE_LINK_CONNECTING,
		                 err);
		/* the first failure, every tenth, and one whose kind differs
		 * from the last (a key that is not pinned shows at once, not
		 * at the next tenth attempt) */
		if (attempt == 1 || attempt % 10 == 0 || rc != last_rc)
			env_log(n->env,
			        "no link to %s (attempt %u): %s; again in %u ms",
			        n->peer.name, attempt, err, delay);
		last_rc = rc;
		pause_on(rx, delay);
	}
}
