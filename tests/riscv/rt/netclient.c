/*
 * A client of core's Net service on riscv (core/riscv/net_service.h),
 * driven by the boot module "netclient.cmd": one command a line, each
 * said in one line of its outcome, through a Net session of its own
 * (tests/riscv/run-suite, "core's Net service"):
 *
 *   connect NODE      connect(NODE), the stream before closed
 *   close             the stream closed
 *   send TEXT         TEXT and a newline written to the stream
 *   recv              one line read back
 *   recv_fail         reads (dropping the bytes) until a read fails
 *   drain BYTES       reads BYTES (dropping them), says the first byte
 *   accept PORT       accept(PORT) every 100 ms until it is not `none`
 *   session2 NODE T   a second Net session: connect(NODE), T sent, a
 *                     line read back, the session closed
 *   bulk BYTES        BYTES written while what comes back is read, both
 *                     checksummed (the host's peer echoes)
 *   reconnect N NODE  N connects in a row, each closing the one before
 *   hoard N NODE      up to N connects, keeping every stream
 *   pause MS          waits, reading nothing
 *
 * Exits 0 after the last command, 1 for a line it does not know.
 */
#include <runtime/clock.h>
#include <runtime/env.h>
#include <runtime/signal.h>
#include <runtime/stream.h>

#include "net_rpc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* No wait is bounded in guest time: the suite runs QEMU with -icount
 * sleep=off, where an idle guest's clock leaps ahead of the host it
 * waits for; the suite bounds each run in the host's time. */
#define IO_MS     (-1)
#define LINE_MAX  200
#define HOARD_MAX 64

struct client {
	env_t *env;
	kcap_t net;
	kcap_t stream;
	signal_receiver_t *rx;
};

/* Byte i of what bulk sends: not periodic within a page. */
static unsigned char pattern(unsigned long i)
{
	return (unsigned char)((i * 7u) ^ (i >> 9) ^ (i >> 17));
}

static void pause_ms(struct client *c, int ms)
{
	uint64_t until = clock_now_ns() / 1000000u + (uint64_t)ms;
	for (;;) {
		uint64_t now = clock_now_ns() / 1000000u;
		signal_t sig;
		if (now >= until)
			return;
		(void)signal_receiver_wait(c->rx, &sig, (int)(until - now));
	}
}

/* net.rpc's error by its name, any other in words. */
static const char *net_words(int rc)
{
	switch (rc) {
	case 0:
		return "success";
	case NET_ERR_DENIED:
		return "denied";
	case NET_ERR_UNREACHABLE:
		return "unreachable";
	case NET_ERR_NONE:
		return "none";
	default:
		return rpc_strerror(&net_rpc, rc);
	}
}

static void do_connect(struct client *c, const char *node)
{
	kcap_t s;
	int rc = net_connect(c->net, node, &s);
	env_log(c->env, "connect '%s': %s", node, net_words(rc));
	if (rc == 0) {
		kcap_close(c->stream);
		c->stream = s;
	}
}

static void do_send(struct client *c, const char *text)
{
	char line[LINE_MAX + 1];
	size_t len = strlen(text), done = 0;
	memcpy(line, text, len);
	line[len++] = '\n';
	while (done < len) {
		long n = stream_write(c->stream, line + done, len - done,
		                      IO_MS);
		if (n < 0) {
			env_log(c->env, "write failed: %s", kerr_str((int)n));
			return;
		}
		done += (size_t)n;
	}
}

static void do_recv(struct client *c)
{
	char line[LINE_MAX + 1];
	size_t len = 0;
	while (len < LINE_MAX) {
		long n = stream_read(c->stream, line + len, 1, IO_MS);
		if (n < 0) {
			env_log(c->env, "read failed: %s", kerr_str((int)n));
			return;
		}
		if (n == 0) {
			env_log(c->env, "read: the end of the stream");
			return;
		}
		if (line[len] == '\n')
			break;
		len++;
	}
	line[len] = '\0';
	env_log(c->env, "read: %s", line);
}

static void do_recv_fail(struct client *c)
{
	static char sink[4096];
	unsigned long total = 0;
	long n;
	while ((n = stream_read(c->stream, sink, sizeof(sink), IO_MS)) > 0)
		total += (unsigned long)n;
	env_log(c->env, "read %lu bytes, then: %s", total,
	        n == 0 ? "the end of the stream" : kerr_str((int)n));
}

/* Reads BYTES of a flooding peer's stream, checked against the peer's
 * pattern (riscv-tcp-peer flood: byte i is i mod 251) from the first
 * byte read on (core dropped what came before the stream). */
static void do_drain(struct client *c, unsigned long bytes)
{
	static unsigned char sink[4096];
	unsigned long total = 0, wrong = 0, first = 0;
	long n = 1;
	while (total < bytes &&
	       (n = stream_read(c->stream, sink,
	                        bytes - total < sizeof(sink) ? bytes - total
	                                                     : sizeof(sink),
	                        IO_MS)) > 0)
		for (long i = 0; i < n; i++, total++) {
			if (total == 0)
				first = sink[0];
			wrong += sink[i] != (first + total) % 251u;
		}
	env_log(c->env, "drained %lu bytes, %lu not the peer's%s%s", total,
	        wrong, n > 0 ? "" : ", then: ",
	        n > 0    ? ""
	        : n == 0 ? "the end of the stream"
	                 : kerr_str((int)n));
	/* a connection of its own starts the peer's pattern at 0 */
	env_log(c->env, "drain: the first byte was %lu", first);
}

/* A second session of this client, while the first keeps its stream. */
static void do_session2(struct client *c, const char *args)
{
	struct client second = *c;
	char node[LINE_MAX + 1];
	const char *text = strchr(args, ' ');
	uint32_t id;
	if (!text || env_session(c->env, "Net", "ram_quota=8K, cap_quota=2",
	                         &second.net, &id) != 0) {
		env_log(c->env, "no second Net session");
		return;
	}
	memcpy(node, args, (size_t)(text - args));
	node[text - args] = '\0';
	second.stream = KCAP_INVALID;
	do_connect(&second, node);
	if (kcap_valid(second.stream)) {
		do_send(&second, text + 1);
		do_recv(&second);
	}
	kcap_close(second.stream);
	env_close(c->env, id);
}

static void do_accept(struct client *c, unsigned port)
{
	kcap_t s;
	int rc = NET_ERR_NONE;
	for (int i = 0; rc == NET_ERR_NONE; i++) {
		rc = net_accept(c->net, (uint16_t)port, &s);
		if (rc == NET_ERR_NONE && i == 0)
			env_log(c->env, "accept %u: none yet", port);
		if (rc == NET_ERR_NONE)
			pause_ms(c, 100);
	}
	env_log(c->env, "accept %u: %s", port, net_words(rc));
	if (rc == 0) {
		kcap_close(c->stream);
		c->stream = s;
	}
}

/* FNV-1a over the bytes, continued from *sum. */
static void checksum(uint32_t *sum, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*sum = (*sum ^ p[i]) * 16777619u;
}

static void do_bulk(struct client *c, unsigned long bytes)
{
	static unsigned char out[8192], in[8192];
	uint32_t sent_sum = 2166136261u, got_sum = 2166136261u;
	unsigned long sent = 0, got = 0;
	long err = 0;
	while (sent < bytes || got < bytes) {
		if (sent < bytes) {
			size_t n = bytes - sent < sizeof(out) ? bytes - sent
			                                      : sizeof(out);
			for (size_t i = 0; i < n; i++)
				out[i] = pattern(sent + i);
			long w = stream_write(c->stream, out, n, 0);
			if (w > 0) {
				checksum(&sent_sum, out, (size_t)w);
				sent += (unsigned long)w;
			} else if (w != KERR_TIMEOUT) {
				err = w;
				break;
			}
		}
		long r = stream_read(c->stream, in, sizeof(in), 10);
		if (r > 0) {
			checksum(&got_sum, in, (size_t)r);
			got += (unsigned long)r;
		} else if (r == 0 || r != KERR_TIMEOUT) {
			err = r == 0 ? KERR_REVOKED : r;
			break;
		}
	}
	env_log(c->env,
	        "bulk: sent %lu bytes (sum %08x), read back %lu (sum %08x)%s%s",
	        sent, (unsigned)sent_sum, got, (unsigned)got_sum,
	        err ? ", then: " : "", err ? kerr_str((int)err) : "");
	if (sent == bytes && got == bytes && sent_sum == got_sum)
		env_log(c->env, "bulk: %lu bytes each way, checksums equal",
		        bytes);
}

static void do_reconnect(struct client *c, unsigned long n, const char *node)
{
	for (unsigned long i = 0; i < n; i++) {
		kcap_t s;
		int rc = net_connect(c->net, node, &s);
		if (rc) {
			env_log(c->env, "connect %lu of %lu failed: %s", i + 1,
			        n, net_words(rc));
			return;
		}
		kcap_close(c->stream);
		c->stream = s;
	}
	env_log(c->env, "%lu connects to '%s' in a row: all success", n, node);
}

static void do_hoard(struct client *c, unsigned long n, const char *node)
{
	static kcap_t kept[HOARD_MAX];
	unsigned long got = 0;
	int rc = 0;
	while (got < n && got < HOARD_MAX &&
	       (rc = net_connect(c->net, node, &kept[got])) == 0)
		got++;
	env_log(c->env, "hoarded %lu streams, then: %s", got,
	        got < n ? net_words(rc) : "stopped");
	for (unsigned long i = 0; i < got; i++)
		kcap_close(kept[i]);
}

/* One command line: 0, or -1 for one it does not know. */
static int run(struct client *c, char *line)
{
	char *arg = strchr(line, ' ');
	char *end;
	unsigned long n;
	if (arg)
		*arg++ = '\0';
	else
		arg = line + strlen(line);
	n = strtoul(arg, &end, 10);
	if (!strcmp(line, "connect"))
		do_connect(c, arg);
	else if (!strcmp(line, "close")) {
		kcap_close(c->stream);
		c->stream = KCAP_INVALID;
	} else if (!strcmp(line, "send"))
		do_send(c, arg);
	else if (!strcmp(line, "recv"))
		do_recv(c);
	else if (!strcmp(line, "recv_fail"))
		do_recv_fail(c);
	else if (!strcmp(line, "drain"))
		do_drain(c, n);
	else if (!strcmp(line, "session2"))
		do_session2(c, arg);
	else if (!strcmp(line, "accept"))
		do_accept(c, (unsigned)n);
	else if (!strcmp(line, "bulk"))
		do_bulk(c, n);
	else if (!strcmp(line, "reconnect") && *end == ' ')
		do_reconnect(c, n, end + 1);
	else if (!strcmp(line, "hoard") && *end == ' ')
		do_hoard(c, n, end + 1);
	else if (!strcmp(line, "pause"))
		pause_ms(c, (int)n);
	else
		return -1;
	return 0;
}

void component_construct(env_t *env)
{
	static struct client c;
	env_rom_t rom;
	uint32_t id;
	c.env = env;
	c.stream = KCAP_INVALID;
	if (signal_receiver_create(&c.rx) != 0 ||
	    env_rom_open(env, "netclient.cmd", &rom) != 0 || !rom.data ||
	    env_session(env, "Net", "ram_quota=8K, cap_quota=2", &c.net, &id) !=
	            0) {
		env_log(env, "no commands or no Net session");
		env_exit(env, 1);
	}
	const char *p = rom.data, *stop = p + rom.size;
	while (p < stop) {
		char line[LINE_MAX + 1];
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		size_t len = (size_t)((nl ? nl : stop) - p);
		if (len == 0) {
			p++;
			continue;
		}
		if (len > LINE_MAX || (memcpy(line, p, len), line[len] = '\0',
		                       run(&c, line) != 0)) {
			env_log(env, "no such command: %.*s", (int)len, p);
			env_exit(env, 1);
		}
		p += len + 1;
	}
	env_log(env, "done");
	env_exit(env, 0);
}
