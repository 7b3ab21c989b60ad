/*
 * Parse time against input size for the parsers of untrusted input
 * (issue 12: every one must be linear, before any signature is checked):
 * libtuf's metadata reader (strict JSON, duplicate-member check, shape
 * checks, canonical form of `signed`) on a targets role with many targets
 * in reverse order and on a role with many signatures; libformat's pkg
 * archives list (what libdepot's depot_archives_parse and init read), pkg
 * runtime file, runtime configuration and init's state report; and the
 * kernel's wire_recv (kernel/linux/wire.c), which decodes every RPC
 * message a component sends.
 *
 * Each input is built at about N and 2N bytes; the best of several runs is
 * printed with the ratio t(2N) / t(N), which a linear (or n log n) parser
 * keeps near 2 and a quadratic one near 4. Most of these formats have
 * bounds of their own (bytes, entries); an input is built as large as the
 * bound allows with 2N still inside it, so the figure measures the parser
 * and not its refusal (a generator that would cross a bound stops the
 * bench, naming it). A kernel message is at most KMSG_MAX_BYTES, so its
 * row doubles one message's size (each run sends and receives it
 * WIRE_ROUNDS times, to be measurable). Exits non-zero when a parser
 * refuses its valid input.
 *
 * Wall-clock ratios also show the caches: rows whose 2N input builds a
 * tree of megabytes (the state report, the runtime config) read above 2
 * on a busy machine. To tell that from the algorithm, count instructions,
 * e.g. `valgrind --tool=callgrind` on a program that parses N and 2N
 * (SECURITY.md quotes such counts).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/socket.h>
#include <unistd.h>

#include <grow/grow.h>

#include "depot/depot.h"
#include "format/pkg_archives.h"
#include "format/pkg_runtime.h"
#include "format/runtime_config.h"
#include "format/state_report.h"
#include "kernel/kernel.h"
#include "tuf.h"
#include "wire.h"

/* At least RUNS runs, and more (up to RUNS_MAX) until half a second has
 * been spent, so that small inputs are not measured by one noisy run. */
enum { RUNS = 3, RUNS_MAX = 200 };

/* Messages sent and received per run of the kernel's row. */
enum { WIRE_ROUNDS = 256 };

/* The bench's one socket pair for kernel messages, made in main: a
 * program-wide constant once made, so that a run measures wire_recv and
 * not socketpair(). */
static int wire_pair[2] = { -1, -1 };

struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);
	char *grown = grow_array(t->s, &t->cap, t->len + n + 1, 1);
	if (!grown) {
		perror("parse_bench");
		exit(1);
	}
	t->s = grown;
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

static const char head[] =
	"{\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0.31\","
	"\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{";
static const char hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* A targets role listing about `size` bytes of targets, names descending
 * (the worst order for a sort by insertion). */
static struct text targets_role(size_t size)
{
	struct text t = { 0 };
	put(&t, head);
	size_t count = size / 120;
	for (size_t i = count; i > 0; i--) {
		char entry[256];
		snprintf(entry, sizeof entry,
		         "%s\"alice/raw/n%09zu/1.tar.zst\":"
		         "{\"length\":1,\"hashes\":{\"sha256\":\"%s\"}}",
		         i == count ? "" : ",", i, hash);
		put(&t, entry);
	}
	put(&t, "}},\"signatures\":[]}");
	return t;
}

/* An empty targets role with about `size` bytes of signatures. */
static struct text signatures(size_t size)
{
	struct text t = { 0 };
	put(&t, head);
	put(&t, "}},\"signatures\":[");
	size_t count = size / 100;
	for (size_t i = 0; i < count; i++) {
		char entry[256];
		snprintf(entry, sizeof entry,
		         "%s{\"keyid\":\"%09zu%.55s\","
		         "\"sig\":\"00\"}",
		         i ? "," : "", count - i, hash);
		put(&t, entry);
	}
	put(&t, "]}");
	return t;
}

/* Stops the bench when a generator would cross a parser's bound: the
 * figure would time a refusal. */
static void within(const char *what, size_t value, size_t bound)
{
	if (value > bound) {
		fprintf(stderr,
		        "parse_bench: %s: %zu is beyond the parser's "
		        "bound %zu; make the bench's inputs smaller\n",
		        what, value, bound);
		exit(1);
	}
}

/* An archives list of about `size` bytes: bin archive names of about 244
 * bytes (long parts, as a hostile pkg would write them), so that 2N stays
 * within PKG_ARCHIVES_INPUT_MAX bytes and PKG_ARCHIVES_MAX entries. */
static struct text archives_list(size_t size)
{
	struct text t = { 0 };
	char user[41], name[96], version[96];
	memset(user, 'u', sizeof user - 1);
	memset(name, 'n', sizeof name - 1);
	memset(version, 'v', sizeof version - 1);
	user[sizeof user - 1] = name[sizeof name - 1] =
		version[sizeof version - 1] = '\0';
	put(&t, "");
	size_t count = 0;
	while (t.len < size) {
		char line[PKG_ARCHIVE_NAME_MAX + 2];
		/* a distinct name per line: the index replaces its head */
		int n = snprintf(line, sizeof line,
		                 "%s/bin/x86_64/%09zu%s/%s\n", user, count,
		                 name + 9, version);
		within("archives list line", (size_t)n,
		       (size_t)PKG_ARCHIVE_NAME_MAX);
		put(&t, line);
		count++;
	}
	within("archives list entries", count, PKG_ARCHIVES_MAX);
	within("archives list bytes", t.len, PKG_ARCHIVES_INPUT_MAX);
	return t;
}

/* A pkg runtime file whose config object has about `size` bytes of
 * members, keys descending (within RUNTIME_CONFIG_TEXT_MAX). */
static struct text pkg_runtime_config(size_t size)
{
	struct text t = { 0 };
	put(&t, "{\"binary\":\"b\",\"ram\":\"1M\",\"caps\":1,\"config\":{");
	size_t count = size / 32;
	for (size_t i = count; i > 0; i--) {
		char member[64];
		snprintf(member, sizeof member, "%s\"k%09zu\":\"v%015zu\"",
		         i == count ? "" : ",", i, i);
		put(&t, member);
	}
	put(&t, "}}");
	within("pkg runtime config text", t.len, RUNTIME_CONFIG_TEXT_MAX);
	return t;
}

/* A pkg runtime file listing about `size` bytes of ROM names of
 * RUNTIME_ROM_NAME_MAX bytes (within PKG_RUNTIME_ROMS_MAX). */
static struct text pkg_runtime_roms(size_t size)
{
	struct text t = { 0 };
	char pad[RUNTIME_ROM_NAME_MAX + 1];
	memset(pad, 'r', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	put(&t, "{\"binary\":\"b\",\"ram\":\"1M\",\"caps\":1,\"roms\":[");
	size_t count = size / (RUNTIME_ROM_NAME_MAX + 3);
	within("pkg runtime roms", count, PKG_RUNTIME_ROMS_MAX);
	for (size_t i = count; i > 0; i--) {
		char rom[RUNTIME_ROM_NAME_MAX + 8];
		snprintf(rom, sizeof rom, "%s\"%09zu%s\"",
		         i == count ? "" : ",", i, pad + 9);
		put(&t, rom);
	}
	put(&t, "]}");
	return t;
}

static int parse_pkg_runtime(const struct text *t)
{
	struct runtime_config_error error;
	if (pkg_runtime_parse(t->s, t->len, NULL, &error) !=
	    RUNTIME_CONFIG_OK) {
		fprintf(stderr, "parse_bench: %s\n", error.message);
		return 1;
	}
	return 0;
}

#define AMOUNTS "\"ram\":{\"assigned\":1,\"quota\":1,\"used\":0," \
                "\"avail\":1},\"caps\":{\"assigned\":1,\"quota\":1," \
                "\"used\":0,\"avail\":1}"
#define REPORT_HEAD "{\"config_version\":\"7\",\"init\":{\"ram\":" \
                    "{\"quota\":1,\"used\":0,\"avail\":1},\"caps\":" \
                    "{\"quota\":1,\"used\":0,\"avail\":1}},\"children\":["

/* A state report of about `size` bytes of children (ids descending),
 * each with one requested and one served session (within
 * RUNTIME_CHILDREN_MAX children and STATE_REPORT_INPUT_MAX bytes). */
static struct text state_report_children(size_t size)
{
	struct text t = { 0 };
	put(&t, REPORT_HEAD);
	size_t count = size / 400;
	within("state report children", count, RUNTIME_CHILDREN_MAX);
	for (size_t i = count; i > 0; i--) {
		char child[512];
		snprintf(
			child, sizeof child,
			"%s{\"name\":\"c%zu\",\"binary\":"
			"\"b\",\"id\":%zu,\"state\":\"running\",\"restarts\":0," AMOUNTS
			",\"provides\":[\"S\"],\"requested\":[{\"service\":"
			"\"LOG\",\"label\":\"c%zu\",\"bound\":\"parent\",\"state\":"
			"\"ready\"}],\"served\":[{\"client\":\"c%zu\",\"label\":"
			"\"c%zu\",\"state\":\"ready\"}]}",
			i == count ? "" : ",", i, i, i, i + 1, i + 1);
		put(&t, child);
	}
	put(&t, "]}");
	within("state report bytes", t.len, STATE_REPORT_INPUT_MAX);
	return t;
}

/* A state report of one child serving about `size` bytes of sessions
 * with long labels (within STATE_REPORT_SERVED_MAX). */
static struct text state_report_served(size_t size)
{
	struct text t = { 0 };
	char label[STATE_REPORT_LABEL_MAX + 1];
	memset(label, 'l', sizeof label - 1);
	label[sizeof label - 1] = '\0';
	put(&t, REPORT_HEAD "{\"name\":\"log\",\"binary\":\"b\",\"id\":1,"
	                    "\"state\":\"running\",\"restarts\":0," AMOUNTS
	                    ",\"served\":[");
	size_t count = size / 240;
	within("state report served sessions", count, STATE_REPORT_SERVED_MAX);
	for (size_t i = 0; i < count; i++) {
		char session[512];
		snprintf(session, sizeof session,
		         "%s{\"client\":\"c%zu\",\"label\":"
		         "\"c%zu -> %.190s\",\"state\":\"ready\"}",
		         i ? "," : "", i, i, label);
		put(&t, session);
	}
	put(&t, "]}]}");
	return t;
}

static int parse_state_report(const struct text *t)
{
	struct state_report *report;
	struct runtime_config_error error;
	if (state_report_parse(t->s, t->len, &report, &error) !=
	    RUNTIME_CONFIG_OK) {
		fprintf(stderr, "parse_bench: %s\n", error.message);
		return 1;
	}
	state_report_free(report);
	return 0;
}

/* One kernel message of `size` bytes of data (at most KMSG_MAX_BYTES). */
static struct text kernel_message(size_t size)
{
	struct text t = { 0 };
	within("kernel message bytes", size, KMSG_MAX_BYTES);
	t.s = malloc(size + 1);
	if (!t.s) {
		perror("parse_bench");
		exit(1);
	}
	for (size_t i = 0; i < size; i++)
		t.s[i] = (char)(i * 7);
	t.len = t.cap = size;
	return t;
}

/* Sends the message and receives it with wire_recv, WIRE_ROUNDS times. */
static int recv_messages(const struct text *t)
{
	static kmsg_t out, in;
	out.size = (uint32_t)t->len;
	out.cap_count = 0;
	memcpy(out.data, t->s, t->len);
	for (int i = 0; i < WIRE_ROUNDS; i++) {
		if (wire_send(wire_pair[0], WIRE_REQUEST, &out) != 0 ||
		    wire_recv(wire_pair[1], WIRE_REQUEST, &in, 0) !=
		            WIRE_MESSAGE ||
		    in.size != out.size)
			return 1;
	}
	return 0;
}

/* A runtime configuration of about `size` bytes: children each routing
 * a service to the one before (a lookup by name per rule). The format
 * caps it at RUNTIME_CHILDREN_MAX children and 1 MiB. */
static struct text runtime_config(size_t size)
{
	struct text t = { 0 };
	put(&t, "{\"start\":[");
	for (size_t i = 0; t.len + 200 < size; i++) {
		char child[256];
		if (i == 0)
			snprintf(
				child, sizeof child,
				"{\"name\":\"c0\",\"binary\":"
				"\"b\",\"ram\":\"1M\",\"caps\":1,\"provides\":[\"S\"]}");
		else
			snprintf(
				child, sizeof child,
				",{\"name\":\"c%zu\",\"binary\":"
				"\"b\",\"ram\":\"1M\",\"caps\":1,\"provides\":[\"S\"],"
				"\"route\":[{\"service\":\"S\",\"to\":\"c%zu\"}]}",
				i, i - 1);
		put(&t, child);
	}
	put(&t, "]}");
	return t;
}

static int parse_runtime_config(const struct text *t)
{
	struct runtime_config *config;
	struct runtime_config_error error;
	if (runtime_config_parse(t->s, t->len, &config, &error) !=
	    RUNTIME_CONFIG_OK) {
		fprintf(stderr, "parse_bench: %s\n", error.message);
		return 1;
	}
	runtime_config_free(config);
	return 0;
}

static int ignore(void *ctx, const struct depot_name *name)
{
	(void)ctx;
	(void)name;
	return DEPOT_OK;
}

static int parse_tuf(const struct text *t)
{
	struct tuf_error e;
	return tuf_metadata_check((const unsigned char *)t->s, t->len, NULL,
	                          &e);
}

static int parse_archives(const struct text *t)
{
	struct depot_diag diag;
	return depot_archives_parse(t->s, t->len, ignore, NULL, &diag);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Best of the runs; exits when the parser refuses the (valid) input. */
static double best(int (*parse)(const struct text *), const struct text *t,
                   const char *name)
{
	double min = 1e30, start = seconds();
	for (int r = 0; r < RUNS || (r < RUNS_MAX && seconds() - start < 0.5);
	     r++) {
		double t0 = seconds();
		if (parse(t) != 0) {
			fprintf(stderr, "parse_bench: %s refused its input\n",
			        name);
			exit(1);
		}
		double dt = seconds() - t0;
		min = dt < min ? dt : min;
	}
	return min;
}

static void row(const char *name, struct text (*make)(size_t),
                int (*parse)(const struct text *), size_t size)
{
	struct text a = make(size), b = make(2 * size);
	double ta = best(parse, &a, name), tb = best(parse, &b, name);
	printf("%-28s %9zu B %9.2f ms %9zu B %9.2f ms %6.2f\n", name, a.len,
	       ta * 1e3, b.len, tb * 1e3, tb / ta);
	free(a.s);
	free(b.s);
}

int main(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, wire_pair) <
	    0) {
		perror("parse_bench: socketpair");
		return 1;
	}
	printf("%-28s %11s %12s %11s %12s %6s\n", "parser", "N", "t(N)", "2N",
	       "t(2N)", "ratio");
	row("tuf targets (reverse order)", targets_role, parse_tuf, 4u << 20);
	row("tuf signatures", signatures, parse_tuf, 4u << 20);
	row("depot archives list", archives_list, parse_archives, 122u << 10);
	row("pkg runtime (config)", pkg_runtime_config, parse_pkg_runtime,
	    30u << 10);
	row("pkg runtime (roms)", pkg_runtime_roms, parse_pkg_runtime,
	    16u << 10);
	row("runtime config (children)", runtime_config, parse_runtime_config,
	    48u << 10);
	row("state report (children)", state_report_children,
	    parse_state_report, 176u << 10);
	row("state report (served)", state_report_served, parse_state_report,
	    120u << 10);
	row("kernel wire_recv (message)", kernel_message, recv_messages,
	    KMSG_MAX_BYTES / 2);
	close(wire_pair[0]);
	close(wire_pair[1]);
	return 0;
}
