/*
 * The TLS link (pkg/remote/link) on our kernel, without a network: this
 * root starts the board's virtio entropy device for getentropy()
 * (core/riscv/entropy.h), which seeds OpenSSL's random generator, prints
 * 32 bytes of RAND_bytes() (the suite boots twice and wants different
 * bytes: under -icount every boot runs the same instructions, so a seed
 * from a clock or a constant would repeat), makes two node identities and
 * opens a link between two of its threads over an in-memory stream pair
 * (stream_pair.h): TLS 1.3, both keys pinned, frames both ways. Then the
 * server pins a third key only, and both ends must refuse with the link's
 * own sentences. Every check prints one line; the exit status is 0 when
 * all passed, 1 when a check failed, 2 without entropy.
 */
#include <remote/identity.h>
#include <remote/link.h>

#include "entropy.h"
#include "stream_pair.h"

#include <kernel/kernel.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG        FRAME_PAYLOAD_MAX
#define TIMEOUT_MS 60000
#define STACK      (256u * 1024u)

static int failures; /* checks that failed; main's thread counts them */

static void check(int ok, const char *what)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

/* One end of a link: its stream, config and what came of it. */
struct end {
	struct stream_pair *pair;
	link_stream_t stream;
	link_config_t cfg;
	identity_pin_t pin;
	int open_rc, ok;
	char err[256];
};

/* The byte at `i` of the big message of side `from`. */
static uint8_t pattern(unsigned i, unsigned from)
{
	return (uint8_t)(i * 7u + from);
}

static int big_ok(const uint8_t *buf, uint32_t len, unsigned from)
{
	if (len != BIG)
		return 0;
	for (uint32_t i = 0; i < len; i++)
		if (buf[i] != pattern(i, from))
			return 0;
	return 1;
}

/* Sends a greeting on channel 1 and a full message on channel 2, then
 * receives the peer's two and checks them: 1 when all matched. */
static int exchange(link_t *l, unsigned self, unsigned peer)
{
	static uint8_t out[2][BIG], in[2][BIG]; /* per side: threads overlap */
	char hello[32], want[32];
	uint32_t ch, len;
	int ok = 1;
	snprintf(hello, sizeof hello, "hello from %c", 'a' + self);
	snprintf(want, sizeof want, "hello from %c", 'a' + peer);
	for (unsigned i = 0; i < BIG; i++)
		out[self][i] = pattern(i, self);
	if (link_send(l, 1, hello, (uint32_t)strlen(hello), TIMEOUT_MS) != 0 ||
	    link_send(l, 2, out[self], BIG, TIMEOUT_MS) != 0)
		return 0;
	for (int got = 0; got < 2; got++) {
		if (link_recv(l, &ch, in[self], &len, TIMEOUT_MS) != 0)
			return 0;
		if (ch == 1)
			ok &= len == strlen(want) &&
			      !memcmp(in[self], want, len);
		else
			ok &= ch == 2 && big_ok(in[self], len, peer);
	}
	return ok;
}

/* Opens the end's link and, when asked, exchanges frames; runs with the
 * pair entered. */
static void run_end(struct end *e, unsigned self)
{
	link_t *l;
	e->open_rc = link_open(&l, &e->stream, &e->cfg, e->err, sizeof e->err);
	if (e->open_rc == 0) {
		e->ok = exchange(l, self, 1 - self);
		link_close(l);
	}
}

static void server_main(void *arg)
{
	struct end *e = arg;
	stream_pair_enter(e->pair);
	run_end(e, 1);
	stream_pair_leave(e->pair);
}

/* A link between a client (self a, pin b) and a server thread (self b,
 * pin `server_pin`): 0 when both ends ran, with their results in *ca, *sb. */
static int link_round(const identity_t *a, const identity_t *b,
                      const identity_t *server_pin, struct end *ca,
                      struct end *sb)
{
	struct stream_pair *pair;
	kthread_t *t;
	memset(ca, 0, sizeof(*ca));
	memset(sb, 0, sizeof(*sb));
	if (stream_pair_make(&pair, &ca->stream, &sb->stream) != 0)
		return -1;
	ca->pair = sb->pair = pair;
	identity_fingerprint(b, ca->pin.fp);
	snprintf(ca->pin.name, sizeof ca->pin.name, "b");
	identity_fingerprint(server_pin, sb->pin.fp);
	snprintf(sb->pin.name, sizeof sb->pin.name, "a");
	ca->cfg = (link_config_t){ .self = a,
		                   .pins = &ca->pin,
		                   .pin_count = 1,
		                   .server = 0,
		                   .timeout_ms = TIMEOUT_MS };
	sb->cfg = (link_config_t){ .self = b,
		                   .pins = &sb->pin,
		                   .pin_count = 1,
		                   .server = 1,
		                   .timeout_ms = TIMEOUT_MS };
	stream_pair_enter(pair);
	if (kthread_create(&t, "tlslink-server", STACK, server_main, sb) != 0) {
		stream_pair_leave(pair);
		return -1;
	}
	run_end(ca, 0);
	stream_pair_leave(pair);
	kthread_join(t);
	stream_pair_free(pair);
	return 0;
}

static void print_random(void)
{
	unsigned char r[32];
	char hex[2 * sizeof r + 1];
	int same = 1;
	if (RAND_bytes(r, sizeof r) != 1) {
		printf("RAND_bytes failed: %s\n",
		       entropy_error() ? entropy_error() : "no detail");
		failures++;
		return;
	}
	for (size_t i = 0; i < sizeof r; i++) {
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
		same &= r[i] == r[0];
	}
	printf("random: %s\n", hex);
	check(!same, "random bytes not all equal");
}

int main(void)
{
	char why[160];
	identity_t *a, *b, *c;
	struct end ca, sb;
	if (entropy_start(why, sizeof why) != 0) {
		printf("entropy: %s\n", why);
		return 2;
	}
	print_random();
	if (identity_generate(&a, "a", why, sizeof why) != 0 ||
	    identity_generate(&b, "b", why, sizeof why) != 0 ||
	    identity_generate(&c, "c", why, sizeof why) != 0) {
		printf("identity: %s\n", why);
		return 1;
	}

	if (link_round(a, b, a, &ca, &sb) != 0) {
		printf("no thread for the server\n");
		return 1;
	}
	check(ca.open_rc == 0 && sb.open_rc == 0,
	      "TLS 1.3 link opened, keys pinned");
	if (ca.open_rc || sb.open_rc)
		printf("client: %s\nserver: %s\n", ca.err, sb.err);
	check(ca.ok && sb.ok, "frames both ways");

	/* The server pins c: a's key is refused, and a hears of it. */
	if (link_round(a, b, c, &ca, &sb) != 0) {
		printf("no thread for the server\n");
		return 1;
	}
	char fp[IDENTITY_FP_TEXT], want[IDENTITY_FP_TEXT + 32];
	uint8_t raw[IDENTITY_FP_BYTES];
	identity_fingerprint(a, raw);
	identity_fp_format(raw, fp);
	snprintf(want, sizeof want, "peer key %s is not pinned", fp);
	printf("server: %s\nclient: %s\n", sb.err, ca.err);
	check(sb.open_rc == LINK_ERR_PEER && strstr(sb.err, want),
	      "unpinned key refused by the server");
	check(ca.open_rc == LINK_ERR_PEER &&
	              strstr(ca.err, "the peer refused this node's key"),
	      "client told its key was refused");
	identity_free(a);
	identity_free(b);
	identity_free(c);
	printf("tlslink: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
