/*
 * Unit tests of `depot download` in libdepot (download.c, trust.c,
 * fetch_buffer.c) through a real HTTP transfer, under the sanitizers: a
 * small file server (httpd.c) serves a tree published by depot_publish.
 * The newest signed version is chosen, the closure installs and verifies,
 * an unsigned name is refused before anything is fetched, and a tampered
 * dependency takes back the pkg that was already installed. The attack
 * catalogue runs against nginx in tests/depot-trust/run-suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "testutil.h"
#include "trustutil.h"

struct fixture {
	struct world *w;
	struct httpd *server;
	char mirror[64], client[600];
	const char *mirrors[1];
	struct depot_fetch_options options;
};

static void app(struct world *w, const char *version, const char *needs)
{
	char name[64];
	const char *const files[][2] = {
		{ "runtime",
		  "{\"binary\": \"app\", \"ram\": \"4M\", \"caps\": 50}\n" },
		{ "archives", needs },
	};
	snprintf(name, sizeof name, "alice/pkg/app/%s", version);
	tw_archive_files(w, name, files, 2);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct depot_diag diag = { 0 };
	struct depot_root_info info;
	const char *names[] = { "alice/raw/data/1", "alice/pkg/app/1",
		                "alice/pkg/app/2" };
	assert_non_null(f);
	f->w = tw_new();
	tw_archive(f->w, names[0], "the data");
	app(f->w, "1", "alice/raw/data/1\n");
	app(f->w, "2", "alice/raw/data/1\n");
	assert_int_equal(tw_publish(f->w, names, 3, &diag), DEPOT_OK);
	f->server = httpd_start(f->w->tree);
	snprintf(f->mirror, sizeof f->mirror, "http://127.0.0.1:%d",
	         httpd_port(f->server));
	f->mirrors[0] = f->mirror;
	f->options = (struct depot_fetch_options){ .mirrors = f->mirrors,
		                                   .mirror_count = 1,
		                                   .connect_timeout_s = 5 };
	snprintf(f->client, sizeof f->client, "%s/client", f->w->dir);
	assert_int_equal(depot_trust_import(f->client, "default",
	                                    tu_path(f->w->tree,
	                                            "metadata/1.root.json"),
	                                    &info, &diag),
	                 DEPOT_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	httpd_stop(f->server);
	tw_free(f->w);
	free(f);
	return 0;
}

static int download(struct fixture *f, const char *pkg, char *version_out,
                    struct depot_diag *diag)
{
	struct depot_name name;
	struct depot_limits limits = depot_limits_default();
	char full[DEPOT_NAME_MAX + 4];
	snprintf(full, sizeof full, "%s%s", pkg,
	         strchr(pkg + strlen("alice/pkg/"), '/') ? "" : "/0");
	assert_int_equal(depot_name_parse(full, &name, diag), DEPOT_OK);
	if (!strchr(pkg + strlen("alice/pkg/"), '/'))
		name.version[0] = '\0';
	int err = depot_download(f->client, "default", &name, "x86_64",
	                         &f->options, &limits, diag);
	if (version_out)
		strcpy(version_out, name.version);
	return err;
}

static int count_installed(void *ctx, const struct depot_name *name)
{
	(void)name;
	++*(int *)ctx;
	return 0;
}

static int installed(struct fixture *f)
{
	int count = 0;
	struct depot_diag diag = { 0 };
	depot_list(f->client, count_installed, &count, &diag);
	return count;
}

static void test_newest_version_with_closure(void **state)
{
	struct fixture *f = *state;
	struct depot_diag diag = { 0 };
	struct depot_name name;
	char version[DEPOT_PART_MAX];
	assert_int_equal(download(f, "alice/pkg/app", version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2");
	assert_int_equal(installed(f), 2);
	assert_int_equal(depot_name_parse("alice/raw/data/1", &name, &diag), 0);
	assert_int_equal(depot_verify(f->client, &name, &diag), DEPOT_OK);
	assert_true(tu_exists(f->client, ".trust/default/alice.json"));
	/* a given version, and a second run with everything in place */
	assert_int_equal(download(f, "alice/pkg/app/1", version, &diag),
	                 DEPOT_OK);
	assert_int_equal(installed(f), 3);
	assert_int_equal(download(f, "alice/pkg/app/1", version, &diag),
	                 DEPOT_OK);
}

static void test_unsigned_names_refused(void **state)
{
	struct fixture *f = *state;
	struct depot_diag diag = { 0 };
	char version[DEPOT_PART_MAX];
	assert_int_equal(download(f, "alice/pkg/app/3", version, &diag),
	                 DEPOT_E_UNTRUSTED);
	assert_string_equal(diag.subject, "alice/pkg/app/3.tar.zst");
	assert_non_null(strstr(diag.detail, "arbitrary installation"));
	assert_int_equal(download(f, "alice/pkg/none", version, &diag),
	                 DEPOT_E_UNTRUSTED);
	assert_non_null(strstr(diag.detail, "list no version"));
	assert_int_equal(download(f, "bob/pkg/app", version, &diag),
	                 DEPOT_E_UNTRUSTED);
	assert_int_equal(installed(f), 0);
}

static void test_lookup_answers_from_signed_targets(void **state)
{
	struct fixture *f = *state;
	struct depot_diag diag = { 0 };
	struct depot_trust *t = NULL;
	struct depot_name name;
	uint64_t length = 0;
	uint8_t sha[DEPOT_SHA256_LEN], want[DEPOT_SHA256_LEN];
	uint64_t want_length;
	struct depot_limits limits = depot_limits_default();
	assert_int_equal(depot_trust_open(&t, f->client, "default", &f->options,
	                                  0, &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_name_parse("alice/raw/data/1", &name, &diag), 0);
	assert_int_equal(depot_trust_lookup(t, &name, &length, sha, &limits,
	                                    &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_sha256_file(tu_path(f->w->depot,
	                                           "alice/raw/data/1.tar.zst"),
	                                   want, &want_length, &diag),
	                 0);
	assert_int_equal(length, want_length);
	assert_memory_equal(sha, want, sizeof want);
	/* the signed unpacked size and entry count lowered the limits */
	assert_true(limits.max_bytes > 0 && limits.max_bytes < 1u << 20);
	assert_true(limits.max_entries > 0 && limits.max_entries < 100);
	assert_int_equal(depot_name_parse("alice/raw/data/9", &name, &diag), 0);
	assert_int_equal(depot_trust_lookup(t, &name, &length, sha, &limits,
	                                    &diag),
	                 DEPOT_E_UNTRUSTED);
	depot_trust_free(t);
	/* after the server's clock moved past the timestamp's expiry */
	assert_int_equal(depot_trust_open(&t, f->client, "default", &f->options,
	                                  time(NULL) + 3 * 86400, &diag),
	                 DEPOT_E_METADATA);
	assert_non_null(strstr(diag.detail, "freeze"));
	assert_null(t);
}

static void test_tampered_dependency_takes_back_the_pkg(void **state)
{
	struct fixture *f = *state;
	struct depot_diag diag = { 0 };
	char version[DEPOT_PART_MAX];
	/* same length, other bytes */
	const char *path = tu_path(f->w->tree,
	                           "targets/alice/raw/data/1.tar.zst");
	FILE *file = fopen(path, "r+b");
	assert_non_null(file);
	assert_int_equal(fseek(file, 20, SEEK_SET), 0);
	int c = fgetc(file);
	assert_int_equal(fseek(file, 20, SEEK_SET), 0);
	fputc(c ^ 0xff, file);
	assert_int_equal(fclose(file), 0);
	assert_int_equal(download(f, "alice/pkg/app/2", version, &diag),
	                 DEPOT_E_HASH_MISMATCH);
	assert_int_equal(installed(f), 0); /* the pkg came in round 1 */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_newest_version_with_closure),
		T(test_unsigned_names_refused),
		T(test_lookup_answers_from_signed_targets),
		T(test_tampered_dependency_takes_back_the_pkg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
