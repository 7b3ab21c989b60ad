/*
 * Parse time against input size for the parsers of untrusted depot input
 * (issue 12: every one must be linear, before any signature is checked):
 * libtuf's metadata reader (strict JSON, duplicate-member check, shape
 * checks, canonical form of `signed`) on a targets role with many targets
 * in reverse order and on a role with many signatures, libdepot's pkg
 * archives list, and libformat's runtime configuration (as big as its
 * RUNTIME_CHILDREN_MAX allows). Each input is built at about N and 2N bytes; the best of
 * several runs is printed with the ratio t(2N) / t(N), which a linear (or
 * n log n) parser keeps near 2 and a quadratic one near 4.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "depot/depot.h"
#include "format/runtime_config.h"
#include "tuf.h"

/* At least RUNS runs, and more (up to RUNS_MAX) until half a second has
 * been spent, so that small inputs are not measured by one noisy run. */
enum { RUNS = 3, RUNS_MAX = 200 };

struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n + 1 > t->cap) {
		t->cap = 2 * (t->len + n + 1);
		t->s = realloc(t->s, t->cap);
		if (!t->s) {
			perror("parse_bench");
			exit(1);
		}
	}
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
		snprintf(entry, sizeof entry, "%s\"alice/raw/n%09zu/1.tar.zst\":"
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
		snprintf(entry, sizeof entry, "%s{\"keyid\":\"%09zu%.55s\","
		         "\"sig\":\"00\"}", i ? "," : "", count - i, hash);
		put(&t, entry);
	}
	put(&t, "]}");
	return t;
}

static struct text archives_list(size_t size)
{
	struct text t = { 0 };
	put(&t, "");
	for (size_t i = 0; t.len < size; i++) {
		char line[64];
		snprintf(line, sizeof line, "alice/raw/n%09zu/1\n", i);
		put(&t, line);
	}
	return t;
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
			snprintf(child, sizeof child, "{\"name\":\"c0\",\"binary\":"
			         "\"b\",\"ram\":\"1M\",\"caps\":1,\"provides\":[\"S\"]}");
		else
			snprintf(child, sizeof child, ",{\"name\":\"c%zu\",\"binary\":"
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
	if (runtime_config_parse(t->s, t->len, &config, &error)
	    != RUNTIME_CONFIG_OK) {
		fprintf(stderr, "parse_bench: %s\n", error.message);
		return 1;
	}
	runtime_config_free(config);
	return 0;
}

static int ignore(void *ctx, const struct depot_name *name)
{
	(void)ctx; (void)name;
	return DEPOT_OK;
}

static int parse_tuf(const struct text *t)
{
	struct tuf_error e;
	return tuf_metadata_check((const unsigned char *)t->s, t->len, NULL, &e);
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
			fprintf(stderr, "parse_bench: %s refused its input\n", name);
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
	printf("%-28s %11s %12s %11s %12s %6s\n", "parser", "N", "t(N)", "2N",
	       "t(2N)", "ratio");
	row("tuf targets (reverse order)", targets_role, parse_tuf, 4u << 20);
	row("tuf signatures", signatures, parse_tuf, 4u << 20);
	row("depot archives list", archives_list, parse_archives, 4u << 20);
	row("runtime config (children)", runtime_config,
	    parse_runtime_config, 48u << 10);
	return 0;
}
