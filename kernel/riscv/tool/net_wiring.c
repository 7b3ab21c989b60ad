/*
 * net_wiring.h: a riscv machine's net ports from its net.policy. A port
 * listed twice alike (a peer once per client) is one; the same port name
 * with another address is refused, as QEMU could bridge it only one way.
 */
#include "net_wiring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define POLICY_MAX_BYTES 65536u /* NET_POLICY_MAX_BYTES, core/net_policy.h */
#define NODE_MAX 63u            /* NET_NODE_MAX */

/* A node name becomes part of a virtio port's name: letters, digits,
 * '-' and '_' only (no ',' that QEMU's option syntax would split on). */
static int node_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* The entry's numeric IPv4 address and port into *p, or 0 with w->why. */
static int address_of(const cJSON *entry, const char *what, unsigned index,
                      struct net_wiring *w, struct net_wiring_port *p)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(entry, "address");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(entry, "port");
	struct in_addr v4;
	if (!cJSON_IsString(a) ||
	    inet_pton(AF_INET, a->valuestring, &v4) != 1) {
		snprintf(w->why, sizeof(w->why),
		         "%s entry %u: \"address\" is no numeric IPv4 address",
		         what, index);
		return 0;
	}
	if (!cJSON_IsNumber(n) || n->valuedouble < 1 ||
	    n->valuedouble > 65535 ||
	    n->valuedouble != (double)(int)n->valuedouble) {
		snprintf(w->why, sizeof(w->why),
		         "%s entry %u: \"port\" is no number 1-65535", what,
		         index);
		return 0;
	}
	/* inet_pton took it: at most 15 characters */
	snprintf(p->address, sizeof(p->address), "%s", a->valuestring);
	p->port = (unsigned)n->valueint;
	return 1;
}

/* Adds the port unless the same is there; 0 with w->why when the name is
 * there bridged elsewhere, or there are too many. */
static int add_port(struct net_wiring *w, const char *what, unsigned index,
                    const struct net_wiring_port *p)
{
	for (unsigned i = 0; i < w->count; i++) {
		const struct net_wiring_port *q = &w->ports[i];
		if (strcmp(q->name, p->name) != 0)
			continue;
		if (strcmp(q->address, p->address) == 0)
			return 1;
		snprintf(w->why, sizeof(w->why),
		         "%s entry %u: port %s listed before with address %s",
		         what, index, p->name, q->address);
		return 0;
	}
	if (w->count == NET_WIRING_PORTS_MAX) {
		snprintf(w->why, sizeof(w->why),
		         "more than %u ports: core on riscv takes no more",
		         NET_WIRING_PORTS_MAX);
		return 0;
	}
	w->ports[w->count++] = *p;
	return 1;
}

static int wire_peers(const cJSON *root, struct net_wiring *w)
{
	const cJSON *peers = cJSON_GetObjectItemCaseSensitive(root, "peers");
	const cJSON *peer;
	unsigned index = 0;
	if (peers && !cJSON_IsArray(peers)) {
		snprintf(w->why, sizeof(w->why), "\"peers\" is no array");
		return 0;
	}
	cJSON_ArrayForEach (peer, peers) {
		const cJSON *node = cJSON_GetObjectItemCaseSensitive(peer,
		                                                     "node");
		struct net_wiring_port p = { .listen = 0 };
		index++;
		if (!cJSON_IsString(node) || !node_name_ok(node->valuestring)) {
			snprintf(w->why, sizeof(w->why),
			         "peers entry %u: \"node\" is no name of 1-63 "
			         "letters, digits, '-' or '_'",
			         index);
			return 0;
		}
		if (!address_of(peer, "peers", index, w, &p))
			return 0;
		snprintf(p.name, sizeof(p.name), "net.%s.%u", node->valuestring,
		         p.port);
		if (!add_port(w, "peers", index, &p))
			return 0;
	}
	return 1;
}

static int wire_listens(const cJSON *root, struct net_wiring *w)
{
	const cJSON *listen = cJSON_GetObjectItemCaseSensitive(root, "listen");
	const cJSON *entry;
	unsigned index = 0;
	if (listen && !cJSON_IsArray(listen)) {
		snprintf(w->why, sizeof(w->why), "\"listen\" is no array");
		return 0;
	}
	cJSON_ArrayForEach (entry, listen) {
		struct net_wiring_port p = { .listen = 1 };
		index++;
		if (!address_of(entry, "listen", index, w, &p))
			return 0;
		snprintf(p.name, sizeof(p.name), "listen.%u", p.port);
		if (!add_port(w, "listen", index, &p))
			return 0;
	}
	return 1;
}

int net_wiring_parse(const char *text, size_t len, struct net_wiring *w)
{
	cJSON *root;
	int ok;
	w->count = 0;
	w->why[0] = '\0';
	if (len > POLICY_MAX_BYTES) {
		snprintf(w->why, sizeof(w->why), "larger than 64 KiB");
		return -1;
	}
	root = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		snprintf(w->why, sizeof(w->why), "no JSON object");
		return -1;
	}
	ok = wire_peers(root, w) && wire_listens(root, w);
	cJSON_Delete(root);
	if (!ok)
		w->count = 0;
	return ok ? 0 : -1;
}

int net_wiring_read(const char *path, struct net_wiring *w)
{
	FILE *f = fopen(path, "rb");
	char *text = malloc(POLICY_MAX_BYTES + 1);
	size_t n;
	int rc;
	w->count = 0;
	if (!f || !text) {
		snprintf(w->why, sizeof(w->why), "cannot read it: %s",
		         strerror(errno));
		if (f)
			fclose(f);
		free(text);
		return -1;
	}
	n = fread(text, 1, POLICY_MAX_BYTES + 1, f);
	fclose(f);
	rc = net_wiring_parse(text, n, w);
	free(text);
	return rc;
}
