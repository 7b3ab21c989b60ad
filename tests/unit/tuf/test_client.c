/*
 * libtuf client tests: the spec 5 workflow against a repository built by
 * the test fixture, and one test per attack of the TUF specification, each
 * expecting its own error code. No network: the fixture's fetch callback
 * serves the repository's files and plays the attacker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto.h"
#include "fixture.h"
#include "store.h"

static int setup(void **state)
{
	*state = fx_new();
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* Runs a refresh on a fresh client; returns its code and keeps the message. */
static int refresh(struct fixture *fx, struct tuf_error *e)
{
	struct tuf_client *c = fx_client(fx);
	int rc = tuf_client_refresh(c, e);
	tuf_client_free(c);
	return rc;
}

static int download(struct fixture *fx, const char *path, const char *dest,
                    struct tuf_error *e)
{
	struct tuf_client *c = fx_client(fx);
	struct tuf_target t;
	int rc = tuf_client_find_target(c, path, &t, e);
	if (rc == TUF_OK)
		rc = tuf_client_download_target(c, &t, dest, e);
	tuf_client_free(c);
	return rc;
}

static void expect_error(int rc, const struct tuf_error *e, int want,
                         const char *mention)
{
	if (rc != want)
		fail_msg("expected '%s', got %d '%s': %s", tuf_strerror(want),
		         rc, tuf_strerror(rc), e->message);
	if (mention && !strstr(e->message, mention))
		fail_msg("message '%s' does not mention '%s'", e->message,
		         mention);
}

static void commit_again(struct fixture *fx)
{
	struct tuf_repo *r = fx_repo(fx);
	struct tuf_error e = { 0 };
	if (tuf_repo_commit(r, &e))
		fail_msg("commit: %s", e.message);
	tuf_repo_free(r);
}

static void test_refresh_and_download(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char dest[256], path[256];
	unsigned char *got, *served;
	size_t n, m;
	snprintf(dest, sizeof dest, "%s/hello", fx->dir);
	assert_int_equal(download(fx, "alice/hello", dest, &e), TUF_OK);
	assert_int_equal(store_read(dest, 100, &got, &n, &e), TUF_OK);
	assert_int_equal(n, 11);
	assert_memory_equal(got, "hello alice", 11);
	free(got);
	/* trusted metadata holds exactly the downloaded bytes, unprefixed */
	static const char *const files[][2] = {
		{ "timestamp.json", "timestamp.json" },
		{ "snapshot.json", "2.snapshot.json" },
		{ "targets.json", "2.targets.json" },
		{ "alice.json", "1.alice.json" },
		{ "root.json", "1.root.json" }
	};
	for (size_t k = 0; k < 5; k++) {
		snprintf(path, sizeof path, "%s/%s", fx->client, files[k][0]);
		assert_int_equal(store_read(path, 1 << 20, &got, &n, &e),
		                 TUF_OK);
		served = fx_read(fx, files[k][1], &m);
		assert_int_equal(n, m);
		assert_memory_equal(got, served, n);
		free(got);
		free(served);
	}
}

static void test_cached_target_is_not_fetched_again(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	struct tuf_target t;
	char dest[256];
	snprintf(dest, sizeof dest, "%s/hello", fx->dir);
	assert_int_equal(download(fx, "alice/hello", dest, &e), TUF_OK);
	struct tuf_client *c = fx_client(fx);
	assert_int_equal(tuf_client_find_target(c, "alice/hello", &t, &e),
	                 TUF_OK);
	assert_string_equal(t.role, "alice");
	assert_int_equal(t.length, 11);
	int before = fx->fetches;
	assert_int_equal(tuf_client_download_target(c, &t, dest, &e), TUF_OK);
	assert_int_equal(fx->fetches, before);
	/* a tampered local copy is replaced by a fresh download */
	assert_int_equal(store_write(dest, "hello alicE", 11, 0644, &e),
	                 TUF_OK);
	assert_int_equal(tuf_client_download_target(c, &t, dest, &e), TUF_OK);
	assert_int_equal(fx->fetches, before + 1);
	tuf_client_free(c);
}

static void test_arbitrary_installation(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char dest[256];
	snprintf(dest, sizeof dest, "%s/x", fx->dir);
	expect_error(download(fx, "alice/not-published", dest, &e), &e,
	             TUF_E_ARBITRARY_INSTALL, "alice/not-published");
	expect_error(download(fx, "carol/x", dest, &e), &e,
	             TUF_E_ARBITRARY_INSTALL, NULL);
}

static void test_endless_data(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	size_t n = 100000;
	char *big = malloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	fx_override(fx, "timestamp.json", big, n);
	free(big);
	expect_error(refresh(fx, &e), &e, TUF_E_ENDLESS_DATA, NULL);
}

static void add_bob_target(struct json *s)
{
	struct json *entry = json_clone(json_get(json_get(s, "targets"),
	                                         "alice/hello"));
	json_set(json_get(s, "targets"), "bob/evil", entry);
}

static void test_extraneous_dependencies(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	struct tuf_target t;
	fx_resign(fx, "1.alice.json", "alice", add_bob_target);
	struct tuf_client *c = fx_client(fx);
	assert_int_equal(tuf_client_find_target(c, "alice/hello", &t, &e),
	                 TUF_OK);
	expect_error(tuf_client_find_target(c, "bob/evil", &t, &e), &e,
	             TUF_E_EXTRANEOUS, "alice");
	tuf_client_free(c);
}

static void set_version_3(struct json *s)
{
	json_set(s, "version", json_new_int(3));
}

static void test_fast_forward(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	fx_resign(fx, "2.targets.json", "targets", set_version_3);
	expect_error(refresh(fx, &e), &e, TUF_E_FAST_FORWARD, "targets");
}

static void test_indefinite_freeze(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	assert_int_equal(refresh(fx, &e), TUF_OK);
	fx->now = FX_T0 + 2 * 86400; /* timestamp lives one day */
	expect_error(refresh(fx, &e), &e, TUF_E_FREEZE, "timestamp");
	fx->now = FX_T0 + 400 * 86400; /* root lives 365 days */
	expect_error(refresh(fx, &e), &e, TUF_E_FREEZE, "root");
}

static void test_malicious_mirror(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	size_t n;
	unsigned char *snapshot = fx_read(fx, "1.snapshot.json", &n);
	fx_override(fx, "timestamp.json", snapshot, n);
	free(snapshot);
	expect_error(refresh(fx, &e), &e, TUF_E_MIRROR, "expected timestamp");
}

static void test_mix_and_match(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	size_t n;
	commit_again(fx);
	unsigned char *old = fx_read(fx, "2.snapshot.json", &n);
	fx_override(fx, "3.snapshot.json", old, n);
	free(old);
	expect_error(refresh(fx, &e), &e, TUF_E_MIX_AND_MATCH, "snapshot.json");
}

static void test_rollback(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	size_t n;
	unsigned char *old = fx_read(fx, "timestamp.json", &n);
	commit_again(fx);
	assert_int_equal(refresh(fx, &e), TUF_OK);
	fx_override(fx, "timestamp.json", old, n);
	free(old);
	expect_error(refresh(fx, &e), &e, TUF_E_ROLLBACK, "timestamp");
}

static void test_slow_retrieval(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	snprintf(fx->slow_url, sizeof fx->slow_url,
	         "test://metadata/2.snapshot.json");
	expect_error(refresh(fx, &e), &e, TUF_E_SLOW_RETRIEVAL,
	             "2.snapshot.json");
}

static void test_wrong_software(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char dest[256], file[512], sha[65];
	snprintf(dest, sizeof dest, "%s/hello", fx->dir);
	fx_put_target(fx, "alice/hello", "hello alice", sha);
	snprintf(file, sizeof file, "%s/targets/alice/%s.hello", fx->repo, sha);
	assert_int_equal(store_write(file, "HELLO ALICE", 11, 0644, &e),
	                 TUF_OK);
	expect_error(download(fx, "alice/hello", dest, &e), &e,
	             TUF_E_WRONG_SOFTWARE, "sha256");
	assert_int_equal(access(dest, F_OK), -1);
	assert_int_equal(store_write(file, "hello alice, more", 17, 0644, &e),
	                 TUF_OK);
	expect_error(download(fx, "alice/hello", dest, &e), &e,
	             TUF_E_ENDLESS_DATA, NULL);
	assert_int_equal(store_write(file, "hello", 5, 0644, &e), TUF_OK);
	expect_error(download(fx, "alice/hello", dest, &e), &e,
	             TUF_E_WRONG_SOFTWARE, "bytes");
}

static void keep(struct json *s)
{
	(void)s;
}

static void test_signatures_below_threshold(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	fx_resign(fx, "timestamp.json", "snapshot", keep);
	expect_error(refresh(fx, &e), &e, TUF_E_THRESHOLD, "timestamp");
}

static void new_key(struct fixture *fx, const char *name)
{
	char prefix[256];
	struct tuf_error e;
	snprintf(prefix, sizeof prefix, "%s/%s", fx->keys, name);
	assert_int_equal(tuf_key_generate(prefix, NULL, NULL, &e), TUF_OK);
}

/* Replaces the key of a top-level role by key `name` and commits. */
static void rotate(struct fixture *fx, const char *role, const char *name)
{
	struct tuf_repo *r = fx_repo(fx);
	struct tuf_error e = { 0 };
	char pub[256], old[256], key[256];
	new_key(fx, name);
	snprintf(pub, sizeof pub, "%s/%s.pub", fx->keys, name);
	snprintf(old, sizeof old, "%s/%s.pub", fx->keys, role);
	assert_int_equal(tuf_repo_set_role_key(r, role, pub, 1, 0, &e), TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, role, old, 0, 0, &e), TUF_OK);
	assert_int_equal(tuf_repo_add_signer(r, role,
	                                     fx_key(fx, name, key, sizeof key),
	                                     NULL, &e),
	                 TUF_OK);
	if (tuf_repo_commit(r, &e))
		fail_msg("commit: %s", e.message);
	tuf_repo_free(r);
	fx_add_signer(fx, role, name);
}

/* The client's root.json holds exactly the bytes of the served `file`. */
static void assert_client_trusts(struct fixture *fx, const char *file)
{
	struct tuf_error e = { 0 };
	char path[256];
	unsigned char *got, *served;
	size_t n, m;
	snprintf(path, sizeof path, "%s/root.json", fx->client);
	assert_int_equal(store_read(path, 1 << 20, &got, &n, &e), TUF_OK);
	served = fx_read(fx, file, &m);
	assert_int_equal(n, m);
	assert_memory_equal(got, served, n);
	free(got);
	free(served);
}

static void test_root_rotation(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	assert_int_equal(refresh(fx, &e), TUF_OK);
	rotate(fx, "root", "root2");
	assert_int_equal(refresh(fx, &e), TUF_OK);
	assert_client_trusts(fx, "2.root.json");
}

static void test_root_signed_by_new_key_only(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	rotate(fx, "root", "root2");
	fx_resign(fx, "2.root.json", "root2",
	          keep); /* drops the old key's signature */
	expect_error(refresh(fx, &e), &e, TUF_E_THRESHOLD, "root");
}

/* Adds key `name` to top-level `role` (threshold kept) and commits. */
static void add_key(struct fixture *fx, const char *role, const char *name)
{
	struct tuf_error e = { 0 };
	char pub[256];
	new_key(fx, name);
	fx_add_signer(fx, role, name);
	struct tuf_repo *r = fx_repo(fx);
	snprintf(pub, sizeof pub, "%s/%s.pub", fx->keys, name);
	assert_int_equal(tuf_repo_set_role_key(r, role, pub, 1, 0, &e), TUF_OK);
	if (tuf_repo_commit(r, &e))
		fail_msg("commit: %s", e.message);
	tuf_repo_free(r);
}

static void bump_version(struct json *s)
{
	json_set(s, "version", json_new_int(json_get(s, "version")->i + 1));
}

/* A root key and a timestamp key are removed (root re-signed: v3). A
 * client that trusts v2 accepts v3; then a root and a timestamp signed
 * only by the removed keys are refused. */
static void test_top_level_key_removal(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char pub[256];
	add_key(fx, "root", "root2");
	add_key(fx, "timestamp", "timestamp2");
	assert_int_equal(refresh(fx, &e), TUF_OK); /* trusts root v3 */
	struct tuf_repo *r = fx_repo(fx);
	snprintf(pub, sizeof pub, "%s/root2.pub", fx->keys);
	assert_int_equal(tuf_repo_set_role_key(r, "root", pub, 0, 0, &e),
	                 TUF_OK);
	snprintf(pub, sizeof pub, "%s/timestamp.pub", fx->keys);
	assert_int_equal(tuf_repo_set_role_key(r, "timestamp", pub, 0, 0, &e),
	                 TUF_OK);
	if (tuf_repo_commit(r, &e))
		fail_msg("commit: %s", e.message);
	tuf_repo_free(r);
	assert_int_equal(refresh(fx, &e), TUF_OK); /* accepts root v4 */
	assert_client_trusts(fx, "4.root.json");
	/* root v5 signed only by the removed root key */
	char path[256];
	size_t m;
	unsigned char *served = fx_read(fx, "4.root.json", &m);
	snprintf(path, sizeof path, "%s/metadata/5.root.json", fx->repo);
	assert_int_equal(store_write(path, served, m, 0644, &e), TUF_OK);
	free(served);
	fx_resign(fx, "5.root.json", "root2", bump_version);
	expect_error(refresh(fx, &e), &e, TUF_E_THRESHOLD, "root");
	unlink(path);
	/* a timestamp signed only by the removed timestamp key */
	fx_resign(fx, "timestamp.json", "timestamp", bump_version);
	expect_error(refresh(fx, &e), &e, TUF_E_THRESHOLD, "timestamp");
}

static void set_version_1(struct json *s)
{
	json_set(s, "version", json_new_int(1));
}

static void test_fast_forward_recovery(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	commit_again(fx);
	assert_int_equal(refresh(fx, &e), TUF_OK); /* trusts timestamp v3 */
	rotate(fx, "timestamp", "timestamp2");     /* timestamp v4, new key */
	fx_resign(fx, "timestamp.json", "timestamp2", set_version_1);
	assert_int_equal(refresh(fx, &e),
	                 TUF_OK); /* old v3 no longer verifies */
	/* without a key rotation the same reset is a rollback */
	commit_again(fx);
	assert_int_equal(refresh(fx, &e), TUF_OK);
	fx_resign(fx, "timestamp.json", "timestamp2", set_version_1);
	expect_error(refresh(fx, &e), &e, TUF_E_ROLLBACK, "timestamp");
}

static void test_hostile_local_metadata_is_not_trusted(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char path[256];
	assert_int_equal(refresh(fx, &e), TUF_OK);
	snprintf(path, sizeof path, "%s/snapshot.json", fx->client);
	assert_int_equal(store_write(path, "{\"signed\":[[[[", 14, 0644, &e),
	                 TUF_OK);
	assert_int_equal(refresh(fx, &e), TUF_OK); /* re-downloaded */
	snprintf(path, sizeof path, "%s/root.json", fx->client);
	assert_int_equal(store_write(path, "{}", 2, 0644, &e), TUF_OK);
	struct tuf_client_config cfg = { .metadata_dir = fx->client,
		                         .fetch = fx_fetch,
		                         .fetch_ctx = fx };
	struct tuf_client *c = NULL;
	expect_error(tuf_client_open(&c, &cfg, &e), &e, TUF_E_METADATA, "root");
	assert_null(c);
}

/* Delegation matching: rewrites alice's delegation in targets (re-signed by
 * the targets key) and looks up alice/hello. */
static const char *pattern_under_test;
static int use_hash_prefix;

static void set_alice_delegation(struct json *s)
{
	struct json *roles = json_get(json_get(s, "delegations"), "roles");
	for (size_t k = 0; k < roles->n; k++) {
		if (strcmp(json_get_str(roles->items[k], "name"), "alice"))
			continue;
		struct json *list = json_new(JSON_ARRAY);
		json_push(list, json_new_str(pattern_under_test));
		json_del(roles->items[k], "paths");
		json_del(roles->items[k], "path_hash_prefixes");
		json_set(roles->items[k],
		         use_hash_prefix ? "path_hash_prefixes" : "paths",
		         list);
	}
}

static int lookup_with(struct fixture *fx, const char *pattern, int hash_prefix)
{
	struct tuf_error e = { 0 };
	struct tuf_target t;
	pattern_under_test = pattern;
	use_hash_prefix = hash_prefix;
	fx_resign(fx, "2.targets.json", "targets", set_alice_delegation);
	char local
		[256]; /* same version: drop the trusted copy of the old one */
	snprintf(local, sizeof local, "%s/targets.json", fx->client);
	unlink(local);
	struct tuf_client *c = fx_client(fx);
	int rc = tuf_client_find_target(c, "alice/hello", &t, &e);
	tuf_client_free(c);
	return rc;
}

static void test_delegation_path_matching(void **state)
{
	struct fixture *fx = *state;
	char hex[65];
	digest_hex("sha256", (const unsigned char *)"alice/hello", 11, hex);
	static const struct {
		const char *pattern;
		int found;
	} cases[] = {
		{ "alice/*", 1 },
		{ "alice/h*", 1 },
		{ "*/hello", 1 },
		{ "al?ce/[gh]ello", 1 },
		{ "alice/hello", 1 },
		{ "alice", 0 },
		{ "*", 0 },
		{ "alice/*/*", 0 },
		{ "bob/*", 0 },
		{ "alice/x*", 0 },
		{ "alice\\/hello", 0 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		int rc = lookup_with(fx, cases[k].pattern, 0);
		if (rc != (cases[k].found ? TUF_OK : TUF_E_ARBITRARY_INSTALL))
			fail_msg("pattern '%s': got %d", cases[k].pattern, rc);
	}
	char prefix[5] = { hex[0], hex[1], hex[2], 0 };
	assert_int_equal(lookup_with(fx, prefix, 1), TUF_OK);
	prefix[0] = hex[0] == '0' ? '1' : '0';
	assert_int_equal(lookup_with(fx, prefix, 1), TUF_E_ARBITRARY_INSTALL);
}

/* ---- crafted metadata for the checks the README claims -------------- */

/* fx_resign's mutate takes no context: the crafting below passes its
 * values through these, one test at a time. */
static struct fixture *craft_fx;
static char craft_file[64];
static int64_t craft_version;
static void (*craft_change)(struct json *s);

static void set_craft_version(struct json *s)
{
	json_set(s, "version", json_new_int(craft_version));
	if (craft_change)
		craft_change(s);
}

/* The timestamp (one version newer) pins snapshot file craft_file of
 * version craft_version with its length and sha256. */
static void pin_snapshot(struct json *s)
{
	size_t n;
	char hex[129];
	unsigned char *d = fx_read(craft_fx, craft_file, &n);
	assert_int_equal(digest_hex("sha256", d, n, hex), 0);
	free(d);
	struct json *entry = json_new(JSON_OBJECT),
		    *hashes = json_new(JSON_OBJECT);
	json_set(hashes, "sha256", json_new_str(hex));
	json_set(entry, "version", json_new_int(craft_version));
	json_set(entry, "length", json_new_int((int64_t)n));
	json_set(entry, "hashes", hashes);
	json_set(json_get(s, "meta"), "snapshot.json", entry);
	json_set(s, "version", json_new_int(json_get(s, "version")->i + 1));
}

static void copy_metadata(struct fixture *fx, const char *from, const char *to)
{
	size_t n;
	char path[512];
	struct tuf_error e;
	unsigned char *d = fx_read(fx, from, &n);
	snprintf(path, sizeof path, "%s/metadata/%s", fx->repo, to);
	assert_int_equal(store_write(path, d, n, 0644, &e), TUF_OK);
	free(d);
}

/* Publishes <version>.snapshot.json: `from` changed by `change`, signed by
 * the snapshot key, and a newer timestamp that pins it. */
static void craft_snapshot(struct fixture *fx, const char *from,
                           int64_t version, void (*change)(struct json *s))
{
	char name[64];
	snprintf(name, sizeof name, "%lld.snapshot.json", (long long)version);
	copy_metadata(fx, from, name);
	craft_version = version;
	craft_change = change;
	fx_resign(fx, name, "snapshot", set_craft_version);
	craft_fx = fx;
	snprintf(craft_file, sizeof craft_file, "%s", name);
	fx_resign(fx, "timestamp.json", "timestamp", pin_snapshot);
}

/* 5.4.3.2 (rollback of the snapshot the timestamp names): a newer
 * timestamp, correctly signed, naming an older snapshot. */
static void test_timestamp_names_older_snapshot(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	commit_again(fx); /* snapshot 3 */
	assert_int_equal(refresh(fx, &e), TUF_OK);
	craft_fx = fx;
	craft_version = 2;
	snprintf(craft_file, sizeof craft_file, "2.snapshot.json");
	fx_resign(fx, "timestamp.json", "timestamp", pin_snapshot);
	expect_error(refresh(fx, &e), &e, TUF_E_ROLLBACK,
	             "names snapshot version 2");
}

static void targets_back_to_1(struct json *s)
{
	json_set(json_get(json_get(s, "meta"), "targets.json"), "version",
	         json_new_int(1));
}

static void drop_alice(struct json *s)
{
	json_del(json_get(s, "meta"), "alice.json");
}

/* 5.5.5: a new snapshot may neither roll a role back nor drop one. */
static void test_snapshot_rolls_back_or_drops_a_role(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	assert_int_equal(refresh(fx, &e), TUF_OK); /* trusts snapshot 2 */
	craft_snapshot(fx, "2.snapshot.json", 3, targets_back_to_1);
	expect_error(refresh(fx, &e), &e, TUF_E_ROLLBACK,
	             "rolls targets.json back");
	craft_snapshot(fx, "2.snapshot.json", 4, drop_alice);
	expect_error(refresh(fx, &e), &e, TUF_E_ROLLBACK,
	             "no longer lists alice.json");
}

/* 5.6.1: a delegated role must be listed in snapshot (a client without
 * a trusted snapshot, so that only this check can refuse). */
static void test_delegated_role_missing_from_snapshot(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char dest[256];
	snprintf(dest, sizeof dest, "%s/hello", fx->dir);
	craft_snapshot(fx, "2.snapshot.json", 3, drop_alice);
	expect_error(download(fx, "alice/hello", dest, &e), &e,
	             TUF_E_MIX_AND_MATCH,
	             "'alice' is delegated but snapshot does not list it");
}

/* 5.3: at most 256 root rotations per refresh, even when the mirror has
 * more (here 2..258.root.json, each a valid rotation). */
static void test_root_chain_limit(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	craft_change = NULL;
	for (int64_t v = 2; v <= 258; v++) {
		char name[64];
		snprintf(name, sizeof name, "%lld.root.json", (long long)v);
		copy_metadata(fx, "1.root.json", name);
		craft_version = v;
		fx_resign(fx, name, "root", set_craft_version);
	}
	assert_int_equal(refresh(fx, &e), TUF_OK);
	char path[512];
	size_t n;
	unsigned char *root;
	char err[128];
	snprintf(path, sizeof path, "%s/root.json", fx->client);
	assert_int_equal(store_read(path, 1 << 20, &root, &n, &e), TUF_OK);
	struct json *doc = json_parse(root, n, err, sizeof err);
	assert_non_null(doc);
	assert_int_equal(json_get(json_get(doc, "signed"), "version")->i,
	                 1 + 256);
	json_free(doc);
	free(root);
}

enum { CRAFTED_ROLES = 40 };
static int64_t alice_version;

/* 40 more roles delegated "* / *" (non-terminating), all alice's key. */
static void delegate_many(struct json *s)
{
	struct json *roles = json_get(json_get(s, "delegations"), "roles");
	const struct json *alice = NULL;
	for (size_t k = 0; k < roles->n; k++)
		if (!strcmp(json_get_str(roles->items[k], "name"), "alice"))
			alice = roles->items[k];
	assert_non_null(alice);
	for (int k = 0; k < CRAFTED_ROLES; k++) {
		char name[16];
		snprintf(name, sizeof name, "r%02d", k);
		struct json *role = json_new(JSON_OBJECT),
			    *paths = json_new(JSON_ARRAY);
		json_push(paths, json_new_str("*/*"));
		json_set(role, "name", json_new_str(name));
		json_set(role, "keyids", json_clone(json_get(alice, "keyids")));
		json_set(role, "threshold", json_new_int(1));
		json_set(role, "terminating", json_new(JSON_FALSE));
		json_set(role, "paths", paths);
		json_push(roles, role);
	}
}

static void list_many(struct json *s)
{
	for (int k = 0; k < CRAFTED_ROLES; k++) {
		char name[32];
		snprintf(name, sizeof name, "r%02d.json", k);
		struct json *entry = json_new(JSON_OBJECT);
		json_set(entry, "version", json_new_int(alice_version));
		json_set(json_get(s, "meta"), name, entry);
	}
}

/* The delegation search visits at most 32 roles: here 42 could match. */
static void test_role_count_limit(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	size_t n;
	char err[128];
	unsigned char *snap = fx_read(fx, "2.snapshot.json", &n);
	struct json *doc = json_parse(snap, n, err, sizeof err);
	assert_non_null(doc);
	alice_version = json_get(json_get(json_get(json_get(doc, "signed"),
	                                           "meta"),
	                                  "alice.json"),
	                         "version")
	                        ->i;
	json_free(doc);
	free(snap);
	char alice_file[64];
	snprintf(alice_file, sizeof alice_file, "%lld.alice.json",
	         (long long)alice_version);
	for (int k = 0; k < CRAFTED_ROLES; k++) {
		char name[64];
		snprintf(name, sizeof name, "%lld.r%02d.json",
		         (long long)alice_version, k);
		copy_metadata(fx, alice_file, name);
	}
	fx_resign(fx, "2.targets.json", "targets", delegate_many);
	craft_snapshot(fx, "2.snapshot.json", 3, list_many);
	struct tuf_client *c = fx_client(fx);
	struct tuf_target t;
	assert_int_equal(tuf_client_refresh(c, &e), TUF_OK);
	int before = fx->fetches;
	expect_error(tuf_client_find_target(c, "carol/x", &t, &e), &e,
	             TUF_E_ARBITRARY_INSTALL, NULL);
	tuf_client_free(c);
	assert_true(fx->fetches - before <= 32);
	assert_true(fx->fetches - before >= 30);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static int collect_path(void *ctx, const struct tuf_target *t)
{
	char *seen = ctx;
	size_t n = strlen(seen);
	snprintf(seen + n, 256 - n, "%s:%llu:%s,", t->path,
	         (unsigned long long)t->length, t->role);
	return 0;
}

static int stop_walk(void *ctx, const struct tuf_target *t)
{
	(void)ctx;
	(void)t;
	return 42;
}

static void test_role_targets_lists_a_verified_role(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	struct tuf_target t;
	char seen[256] = "";
	struct tuf_client *c = fx_client(fx);
	/* nothing loaded yet: nothing to list */
	assert_int_equal(tuf_client_role_targets(c, "alice", collect_path, seen,
	                                         &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_client_find_target(c, "alice/none", &t, &e),
	                 TUF_E_ARBITRARY_INSTALL);
	assert_int_equal(tuf_client_role_targets(c, "alice", collect_path, seen,
	                                         &e),
	                 TUF_OK);
	assert_string_equal(seen, "alice/hello:11:alice,");
	assert_int_equal(tuf_client_role_targets(c, "alice", stop_walk, NULL,
	                                         &e),
	                 42);
	/* bob's role was not on the search path for alice/none */
	assert_int_equal(tuf_client_role_targets(c, "bob", collect_path, seen,
	                                         &e),
	                 TUF_E_ARG);
	tuf_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_refresh_and_download),
		T(test_top_level_key_removal),
		T(test_cached_target_is_not_fetched_again),
		T(test_arbitrary_installation),
		T(test_endless_data),
		T(test_extraneous_dependencies),
		T(test_fast_forward),
		T(test_indefinite_freeze),
		T(test_malicious_mirror),
		T(test_mix_and_match),
		T(test_rollback),
		T(test_slow_retrieval),
		T(test_wrong_software),
		T(test_signatures_below_threshold),
		T(test_root_rotation),
		T(test_root_signed_by_new_key_only),
		T(test_fast_forward_recovery),
		T(test_hostile_local_metadata_is_not_trusted),
		T(test_delegation_path_matching),
		T(test_role_targets_lists_a_verified_role),
		T(test_timestamp_names_older_snapshot),
		T(test_snapshot_rolls_back_or_drops_a_role),
		T(test_delegated_role_missing_from_snapshot),
		T(test_root_chain_limit),
		T(test_role_count_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
