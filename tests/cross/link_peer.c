/*
 * A big-endian node on the real link (tests/cross/run-suite): the link
 * (pkg/remote/link: frames, mutual TLS 1.3 with pinned keys, credit,
 * keepalive), the remote ROM protocol (rom_wire) and the RPC proxy's
 * messages (proxy_wire), built natively (x86_64) and for s390x (run under
 * qemu-user, OpenSSL for s390x from Debian multiarch), talking over TCP on
 * 127.0.0.1. Both nodes run the same script at once, so every check runs
 * in both directions:
 *
 *   - each says its byte order (channel 0) and the other prints it;
 *   - each publishes ROM "shared" in versions 1..3 (the last 150000
 *     bytes, three chunks) on REMOTE_ROM_CHANNEL; the other assembles
 *     each version whole and compares it with what it computes itself;
 *   - each is the Counter server of the other: the client sends CALLS
 *     increments (a CALL whose request bytes hold the amount as a
 *     little-endian u64), the server adds it, sends the counter's page
 *     as a DS chunk, the REPLY with the new value, and a SIGNAL counting
 *     the amount, in that order, as the proxy does. The client checks
 *     each value, that its copy of the page says the same value when the
 *     reply comes, and that the signal counts sum to the total.
 *
 * What it is not: the proxies themselves (pkg/remote/rpc/proxy*.c and
 * rom/client.c, server.c) need libruntime and core, which do not run on
 * s390x here; the messages are theirs, made and checked by their code.
 * Host program: links no libruntime. Prints "ok - NODE: ..." lines
 * (run-suite numbers them), exits 0 when all passed.
 *
 *   link_peer keys DIR                  writes a, b, c: .key .crt .fp
 *   link_peer run NODE PEER listen|dial PORT DIR [refused]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <remote/frame.h>
#include <remote/identity.h>
#include <remote/link.h>

#include "proxy_wire.h"
#include "rom_wire.h"

#define CALLS      20u
#define VERSIONS   3u
#define PAGE       4096u
#define ROM_MAX    (1u << 20)
#define CH_HELLO   0u

static int failures;

static void check(int ok, const char *node, const char *what)
{
	printf("%s - %s: %s\n", ok ? "ok" : "not ok", node, what);
	fflush(stdout);
	failures += !ok;
}

/* The content of version v of the ROM that `node` publishes. */
static uint32_t rom_size(uint32_t v)
{
	return v == VERSIONS ? 150000u : 100u * v;
}
static uint8_t rom_byte(const char *node, uint32_t v, uint32_t i)
{
	return (uint8_t)(node[0] * 31u + v * 7u + i * 13u + (i >> 8));
}

static char *read_text(const char *dir, const char *name, const char *ext,
                       size_t *len)
{
	char path[512];
	FILE *f;
	static char buf[3][8192];
	static int next;
	char *b = buf[next++ % 3];
	snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
	if (!(f = fopen(path, "r")))
		return NULL;
	*len = fread(b, 1, sizeof buf[0] - 1, f);
	b[*len] = 0;
	fclose(f);
	return b;
}

static int write_text(const char *dir, const char *name, const char *ext,
                      const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int make_keys(const char *dir)
{
	static const char *const nodes[] = { "a", "b", "c" };
	for (unsigned i = 0; i < 3; i++) {
		identity_t *id;
		char err[256], fp_text[IDENTITY_FP_TEXT], *key, *cert;
		uint8_t fp[IDENTITY_FP_BYTES];
		if (identity_generate(&id, nodes[i], err, sizeof err) ||
		    identity_to_pem(id, &key, &cert))
			return fprintf(stderr, "link_peer: key %s: %s\n",
			               nodes[i], err),
			       1;
		identity_fingerprint(id, fp);
		identity_fp_format(fp, fp_text);
		if (write_text(dir, nodes[i], "key", key) ||
		    write_text(dir, nodes[i], "crt", cert) ||
		    write_text(dir, nodes[i], "fp", fp_text))
			return fprintf(stderr,
			               "link_peer: cannot write into %s\n",
			               dir),
			       1;
		free(key);
		free(cert);
		identity_free(id);
	}
	return 0;
}

/* A TCP connection on 127.0.0.1:port, listened for or dialled. */
static int connect_tcp(int listen_side, int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
		                    .sin_port = htons((uint16_t)port),
		                    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (listen_side) {
		int c;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, (struct sockaddr *)&addr, sizeof addr) ||
		    listen(fd, 1))
			return close(fd), -1;
		c = accept(fd, NULL, NULL);
		close(fd);
		fd = c;
	} else {
		/* the listener may start after us (qemu starts slowly, or not) */
		for (int i = 0;
		     connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0;
		     i++) {
			if (i == 200)
				return close(fd), -1;
			usleep(50000);
		}
	}
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* The state of one node's script. */
struct run {
	const char *node, *peer;
	link_t *l;
	uint8_t msg[FRAME_PAYLOAD_MAX], out[PROXY_MSG_MAX];
	uint8_t page[PAGE], page_copy[PAGE];
	uint64_t served; /* the Counter this node serves */
	uint32_t calls_sent, replies, next_tag;
	uint64_t expect; /* the value the next reply must say */
	int replies_ok, page_ok;
	uint64_t signalled;
	struct rom_assembly rom;
	uint32_t roms_ok, roms_got;
	int peer_done, said_order;
	uint32_t pub_version,
		pub_offset; /* the next chunk this node publishes */
};

static int send_msg(struct run *r, uint32_t ch, const struct proxy_msg *m)
{
	long len = proxy_encode(m, r->out);
	return len < 0 || link_send(r->l, ch, r->out, (uint32_t)len,
	                            LINK_STALL_MS)
	               ? -1
	               : 0;
}

/* Sends the next chunks of this node's ROM versions as far as credit
 * allows: both nodes publish at once, and a sender that waited for credit
 * inside link_send() while its peer did the same would wait for ever. */
static int pump_roms(struct run *r)
{
	static uint8_t content[ROM_MAX];
	while (r->pub_version <= VERSIONS) {
		uint32_t v = r->pub_version, total = rom_size(v),
			 left = total - r->pub_offset;
		struct rom_chunk c = { v,     ROM_WIRE_AVAILABLE,
			               total, r->pub_offset,
			               0,     NULL };
		c.len = left > ROM_WIRE_CHUNK_MAX ? ROM_WIRE_CHUNK_MAX : left;
		for (uint32_t i = 0; i < c.len; i++)
			content[i] = rom_byte(r->node, v, c.offset + i);
		c.bytes = content;
		/* no wait: without credit now, the chunk goes in a later round */
		int rc = link_send(r->l, REMOTE_ROM_CHANNEL, r->msg,
		                   rom_wire_encode(&c, r->msg), 0);
		if (rc == LINK_ERR_TIMEOUT)
			return 0;
		if (rc)
			return -1;
		r->pub_offset += c.len;
		if (r->pub_offset == total) {
			r->pub_version++;
			r->pub_offset = 0;
		}
	}
	return 0;
}

static int next_call(struct run *r)
{
	uint8_t req[8];
	struct proxy_msg m = { .kind = PROXY_CALL,
		               .tag = ++r->next_tag,
		               .session = 1,
		               .ref = { 1, 0x0123456789abcdefull },
		               .data = req,
		               .len = 8 };
	uint64_t amount = ++r->calls_sent;
	frame_put_u64(req, amount);
	r->expect += amount;
	return send_msg(r, REMOTE_RPC_CHANNEL, &m);
}

/* The server's side of a CALL: page, reply, signal, in that order. */
static int serve_call(struct run *r, const struct proxy_msg *m)
{
	uint8_t value[8];
	uint64_t amount;
	if (m->len != 8 || m->ref.slot != 1 ||
	    m->ref.nonce != 0x0123456789abcdefull)
		return -1;
	amount = frame_get_u64(m->data);
	r->served += amount;
	frame_put_u64(r->page, r->served);
	frame_put_u64(value, r->served);
	struct proxy_msg ds = { .kind = PROXY_DS,
		                .session = m->session,
		                .ref = { 2, 0x77 },
		                .size = PAGE,
		                .offset = 0,
		                .data = r->page,
		                .len = PAGE };
	struct proxy_msg reply = { .kind = PROXY_REPLY,
		                   .tag = m->tag,
		                   .session = m->session,
		                   .data = value,
		                   .len = 8 };
	struct proxy_msg sig = { .kind = PROXY_SIGNAL,
		                 .session = m->session,
		                 .ref = { 3, 0x99 },
		                 .count = (uint32_t)amount };
	return send_msg(r, REMOTE_RPC_CHANNEL, &ds) ||
	                       send_msg(r, REMOTE_RPC_CHANNEL, &reply) ||
	                       send_msg(r, REMOTE_RPC_CHANNEL, &sig)
	               ? -1
	               : 0;
}

static int on_rpc(struct run *r, uint32_t len)
{
	struct proxy_msg m;
	if (proxy_decode(r->msg, len, &m) != PROXY_OK)
		return -1;
	switch (m.kind) {
	case PROXY_CALL:
		return serve_call(r, &m);
	case PROXY_DS:
		if (m.size != PAGE || m.offset + m.len > PAGE)
			return -1;
		memcpy(r->page_copy + m.offset, m.data, m.len);
		return 0;
	case PROXY_REPLY:
		if (m.tag != r->next_tag || m.len != 8)
			return -1;
		r->replies++;
		r->replies_ok += frame_get_u64(m.data) == r->expect;
		r->page_ok += frame_get_u64(r->page_copy) == r->expect;
		return r->calls_sent < CALLS ? next_call(r) : 0;
	case PROXY_SIGNAL:
		r->signalled += m.count;
		return 0;
	default:
		return -1;
	}
}

static int on_rom(struct run *r, uint32_t len)
{
	struct rom_chunk c;
	int whole;
	if (rom_wire_decode(r->msg, len, &c) ||
	    (whole = rom_assembly_add(&r->rom, &c)) < 0)
		return -1;
	if (whole) {
		int same = r->rom.total == rom_size(r->rom.version);
		for (uint32_t i = 0; same && i < r->rom.total; i++)
			same = r->rom.buf[i] ==
			       rom_byte(r->peer, r->rom.version, i);
		r->roms_got++;
		r->roms_ok += same && r->rom.version == r->roms_got;
	}
	return 0;
}

static int on_hello(struct run *r, uint32_t len)
{
	char line[160];
	if (len == 1 && (r->msg[0] == 'B' || r->msg[0] == 'L') &&
	    !r->said_order) {
		snprintf(line, sizeof line, "peer %s runs %s-endian", r->peer,
		         r->msg[0] == 'B' ? "big" : "little");
		check(1, r->node, line);
		r->said_order = 1;
		return 0;
	}
	if (len == 4 && memcmp(r->msg, "done", 4) == 0) {
		r->peer_done = 1;
		return 0;
	}
	return -1;
}

static int mine_done(const struct run *r)
{
	return r->replies == CALLS && r->roms_got == VERSIONS &&
	       r->signalled == (uint64_t)CALLS * (CALLS + 1) / 2;
}

static int script(struct run *r)
{
	const uint16_t probe = 1;
	uint8_t order = *(const uint8_t *)&probe == 1 ? 'L' : 'B';
	int said_done = 0;
	r->pub_version = 1;
	if (link_send(r->l, CH_HELLO, &order, 1, LINK_STALL_MS) || next_call(r))
		return -1;
	while (!(said_done && r->peer_done)) {
		uint32_t ch, len;
		/* while chunks wait for credit, look again soon: credit comes
		 * as a frame that link_recv() takes without returning */
		int publishing = r->pub_version <= VERSIONS;
		int rc = pump_roms(r);
		if (!rc)
			rc = link_recv(r->l, &ch, r->msg, &len,
			               publishing ? 20 : 30000);
		if (rc == LINK_ERR_TIMEOUT && publishing)
			continue;
		if (rc)
			return rc;
		rc = ch == CH_HELLO             ? on_hello(r, len)
		     : ch == REMOTE_ROM_CHANNEL ? on_rom(r, len)
		     : ch == REMOTE_RPC_CHANNEL ? on_rpc(r, len)
		                                : -1;
		if (rc)
			return rc;
		if (!said_done && mine_done(r)) {
			if (link_send(r->l, CH_HELLO, "done", 4, LINK_STALL_MS))
				return -1;
			said_done = 1;
		}
	}
	return 0;
}

static int run(char **argv, int refused)
{
	struct run r = { .node = argv[0], .peer = argv[1] };
	const char *dir = argv[4];
	int listen_side = strcmp(argv[2], "listen") == 0, fd, rc;
	char err[320], line[512], *key, *cert, *fp;
	size_t key_len, cert_len, fp_len;
	identity_t *self;
	identity_pin_t pin;
	link_stream_t stream;
	memset(&pin, 0, sizeof pin);
	snprintf(pin.name, sizeof pin.name, "%s", r.peer);
	if (!(key = read_text(dir, r.node, "key", &key_len)) ||
	    !(cert = read_text(dir, r.node, "crt", &cert_len)) ||
	    !(fp = read_text(dir, r.peer, "fp", &fp_len)) ||
	    identity_from_pem(&self, key, key_len, cert, cert_len, err,
	                      sizeof err) ||
	    identity_fp_parse(fp, pin.fp))
		return fprintf(stderr, "link_peer: the keys in %s\n", dir), 1;
	link_config_t cfg = { self, &pin, 1, listen_side, 20000, 0, 0 };
	if ((fd = connect_tcp(listen_side, atoi(argv[3]))) < 0 ||
	    stream_fd(fd, &stream))
		return fprintf(stderr,
		               "link_peer: no TCP connection on port %s\n",
		               argv[3]),
		       1;
	rc = link_open(&r.l, &stream, &cfg, err, sizeof err);
	if (refused) {
		snprintf(line, sizeof line,
		         "a link where one key is not pinned is refused "
		         "(%s)",
		         rc ? err : "it opened");
		check(rc == LINK_ERR_PEER, r.node, line);
		identity_free(self);
		return failures != 0;
	}
	snprintf(line, sizeof line, "mutual TLS link with pinned %s up%s%s",
	         r.peer, rc ? ": " : "", rc ? err : "");
	check(rc == 0, r.node, line);
	if (rc)
		return 1;
	r.rom.buf = malloc(ROM_MAX);
	r.rom.max = ROM_MAX;
	rc = r.rom.buf ? script(&r) : -1;
	snprintf(line, sizeof line, "the exchange ran to its end%s%s",
	         rc ? ": " : "",
	         rc ? (link_error(r.l)[0] ? link_error(r.l)
	                                  : "a message out of script")
	            : "");
	check(rc == 0, r.node, line);
	snprintf(line, sizeof line,
	         "%u of %u ROM versions from %s arrived whole and equal",
	         r.roms_ok, VERSIONS, r.peer);
	check(r.roms_ok == VERSIONS, r.node, line);
	snprintf(line, sizeof line,
	         "%u of %u Counter replies from %s right, the page copy "
	         "right at %u",
	         (unsigned)r.replies_ok, CALLS, r.peer, (unsigned)r.page_ok);
	check(r.replies_ok == CALLS && r.page_ok == CALLS, r.node, line);
	snprintf(line, sizeof line,
	         "signal counts from %s sum to %llu (want %u)", r.peer,
	         (unsigned long long)r.signalled, CALLS * (CALLS + 1) / 2);
	check(r.signalled == (uint64_t)CALLS * (CALLS + 1) / 2, r.node, line);
	link_close(r.l);
	free(r.rom.buf);
	identity_free(self);
	return failures != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "keys") == 0)
		return make_keys(argv[2]);
	if ((argc == 7 || (argc == 8 && strcmp(argv[7], "refused") == 0)) &&
	    strcmp(argv[1], "run") == 0 &&
	    (strcmp(argv[4], "listen") == 0 || strcmp(argv[4], "dial") == 0))
		return run(argv + 2, argc == 8);
	fprintf(stderr,
	        "usage: link_peer keys DIR | "
	        "link_peer run NODE PEER listen|dial PORT DIR [refused]\n");
	return 2;
}
