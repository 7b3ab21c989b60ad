/*
 * riscv-net-wiring: the host side of a riscv machine's network, read from
 * the same config/net.policy that core on the machine enforces
 * (core/net_policy.h). Core on riscv has no network card: each peer it
 * may dial and each port it may listen on is a port of a virtio console
 * that QEMU bridges to a TCP socket of the host (core/riscv/net_ports.h).
 * This tool names those ports, one line each, for the shell that builds
 * QEMU's command line (tests/riscv/qemu-control.sh, rv_net_args):
 *
 *   net.NODE.PORT ADDRESS PORT dial     a "peers" entry: QEMU dials
 *                                       ADDRESS:PORT for the machine
 *   listen.PORT ADDRESS PORT listen     a "listen" entry: QEMU listens
 *                                       on ADDRESS:PORT for it
 *
 * The policy crosses a trust boundary (a target's config), so it is read
 * with a bound (64 KiB, as core reads it), every field checked by type
 * and range, and a bad one refused with the entry's number: nothing is
 * printed then. QEMU's socket takes a host name too; only numeric IPv4
 * is taken here, as core takes only numeric addresses.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define POLICY_MAX_BYTES 65536u /* NET_POLICY_MAX_BYTES, core/net_policy.h */
#define NODE_MAX 63u            /* NET_NODE_MAX */
/* The ports core takes of the console: VIRTIO_PORTS_MAX - 1
 * (core/riscv/virtio_console.h; port 0 is the console's own) */
#define LINES_MAX 7u
#define LINE_MAX_BYTES 128u

struct wiring {
	char lines[LINES_MAX][LINE_MAX_BYTES];
	unsigned count;
	char why[160];
};

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

/* The entry's numeric IPv4 address and port, or 0 with w->why. */
static int address_of(const cJSON *entry, const char *what, unsigned index,
                      struct wiring *w, const char **address, int *port)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(entry, "address");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(entry, "port");
	struct in_addr v4;
	if (!cJSON_IsString(a) ||
	    inet_pton(AF_INET, a->valuestring, &v4) != 1) {
		snprintf(w->why, sizeof(w->why),
		         "%s entry %u: \"address\" is no numeric IPv4 address",
		         what, index);
		return 0;
	}
	if (!cJSON_IsNumber(p) || p->valuedouble < 1 ||
	    p->valuedouble > 65535 ||
	    p->valuedouble != (double)(int)p->valuedouble) {
		snprintf(w->why, sizeof(w->why),
		         "%s entry %u: \"port\" is no number 1-65535", what,
		         index);
		return 0;
	}
	*address = a->valuestring;
	*port = p->valueint;
	return 1;
}

/* Adds a line unless the same is there (a peer listed once per client). */
static int add_line(struct wiring *w, const char *line)
{
	for (unsigned i = 0; i < w->count; i++)
		if (strcmp(w->lines[i], line) == 0)
			return 1;
	if (w->count == LINES_MAX) {
		snprintf(w->why, sizeof(w->why),
		         "more than %u ports: core on riscv takes no more",
		         LINES_MAX);
		return 0;
	}
	snprintf(w->lines[w->count++], LINE_MAX_BYTES, "%s", line);
	return 1;
}

static int wire_peers(const cJSON *root, struct wiring *w)
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
		const char *address;
		char line[LINE_MAX_BYTES];
		int port;
		index++;
		if (!cJSON_IsString(node) || !node_name_ok(node->valuestring)) {
			snprintf(w->why, sizeof(w->why),
			         "peers entry %u: \"node\" is no name of 1-63 "
			         "letters, digits, '-' or '_'",
			         index);
			return 0;
		}
		if (!address_of(peer, "peers", index, w, &address, &port))
			return 0;
		snprintf(line, sizeof(line), "net.%s.%d %s %d dial",
		         node->valuestring, port, address, port);
		if (!add_line(w, line))
			return 0;
	}
	return 1;
}

static int wire_listens(const cJSON *root, struct wiring *w)
{
	const cJSON *listen = cJSON_GetObjectItemCaseSensitive(root, "listen");
	const cJSON *entry;
	unsigned index = 0;
	if (listen && !cJSON_IsArray(listen)) {
		snprintf(w->why, sizeof(w->why), "\"listen\" is no array");
		return 0;
	}
	cJSON_ArrayForEach (entry, listen) {
		const char *address;
		char line[LINE_MAX_BYTES];
		int port;
		index++;
		if (!address_of(entry, "listen", index, w, &address, &port))
			return 0;
		snprintf(line, sizeof(line), "listen.%d %s %d listen", port,
		         address, port);
		if (!add_line(w, line))
			return 0;
	}
	return 1;
}

/* The file's text (at most POLICY_MAX_BYTES), or NULL with w->why. */
static char *read_policy(const char *path, size_t *len, struct wiring *w)
{
	FILE *f = fopen(path, "rb");
	char *text = malloc(POLICY_MAX_BYTES + 1);
	size_t n = 0;
	if (!f || !text) {
		snprintf(w->why, sizeof(w->why), "cannot read %s", path);
		if (f)
			fclose(f);
		free(text);
		return NULL;
	}
	n = fread(text, 1, POLICY_MAX_BYTES + 1, f);
	fclose(f);
	if (n > POLICY_MAX_BYTES) {
		snprintf(w->why, sizeof(w->why), "%s is larger than 64 KiB",
		         path);
		free(text);
		return NULL;
	}
	*len = n;
	return text;
}

int main(int argc, char **argv)
{
	static struct wiring w; /* 8 KiB of lines: not on the stack */
	size_t len = 0;
	char *text;
	cJSON *root;
	int ok;
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr,
		        "usage: riscv-net-wiring NET_POLICY\n"
		        "prints the virtio ports QEMU bridges to host TCP "
		        "sockets for a riscv machine\nwhose core enforces "
		        "NET_POLICY (config/net.policy), one a line:\n"
		        "  net.NODE.PORT ADDRESS PORT dial\n"
		        "  listen.PORT ADDRESS PORT listen\n");
		return 2;
	}
	text = read_policy(argv[1], &len, &w);
	if (!text) {
		fprintf(stderr, "riscv-net-wiring: %s\n", w.why);
		return 1;
	}
	root = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		fprintf(stderr, "riscv-net-wiring: %s is no JSON object\n",
		        argv[1]);
		return 1;
	}
	ok = wire_peers(root, &w) && wire_listens(root, &w);
	cJSON_Delete(root);
	if (!ok) {
		fprintf(stderr, "riscv-net-wiring: %s: %s\n", argv[1], w.why);
		return 1;
	}
	for (unsigned i = 0; i < w.count; i++)
		printf("%s\n", w.lines[i]);
	return 0;
}
