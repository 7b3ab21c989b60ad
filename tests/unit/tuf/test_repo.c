/*
 * Tests of libtuf's repository side: layout and key files, the depot-user
 * to role mapping (one terminating delegated role per user, paths
 * ["<user>/" "*"]), expiry defaults, thresholds enforced at commit, root
 * rotation needing the old keys, and the timestamp re-signing timer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "metadata.h"
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

/* The role object a signed document gives `name`, read from the document
 * as a client reads it: root's "roles", or the targets' delegated roles. */
static const struct json *role_in(const struct md *m, const char *name)
{
	if (m->type == MD_ROOT)
		return json_get(json_get(m->sig, "roles"), name);
	const struct json *roles = json_get(json_get(m->sig, "delegations"),
	                                    "roles");
	for (size_t k = 0; roles && k < roles->n; k++)
		if (!strcmp(json_get_str(roles->items[k], "name"), name))
			return roles->items[k];
	return NULL;
}

static struct md *load(struct fixture *fx, const char *file)
{
	size_t n;
	struct md *m;
	struct tuf_error e = { 0 };
	unsigned char *d = fx_read(fx, file, &n);
	if (md_parse(d, n, file, &m, &e))
		fail_msg("%s: %s", file, e.message);
	free(d);
	return m;
}

static void test_layout_and_key_files(void **state)
{
	struct fixture *fx = *state;
	static const char *const files[] = {
		"1.root.json",     "root.json",       "1.targets.json",
		"2.targets.json",  "1.alice.json",    "1.bob.json",
		"1.snapshot.json", "2.snapshot.json", "timestamp.json"
	};
	char path[512];
	struct stat st;
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		snprintf(path, sizeof path, "%s/metadata/%s", fx->repo,
		         files[k]);
		if (stat(path, &st))
			fail_msg("missing %s", path);
	}
	snprintf(path, sizeof path, "%s/alice.key", fx->keys);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof path, "%s/alice.pub", fx->keys);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	struct tuf_error e;
	snprintf(path, sizeof path, "%s/alice", fx->keys);
	assert_int_equal(tuf_key_generate(path, NULL, NULL, &e),
	                 TUF_E_IO); /* never overwrites */
}

static void test_passphrase_protects_private_key(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char prefix[256], key[300], id[65];
	unsigned char *pem;
	size_t n;
	snprintf(prefix, sizeof prefix, "%s/carol", fx->keys);
	assert_int_equal(tuf_key_generate(prefix, "s3cret", id, &e), TUF_OK);
	assert_int_equal(strlen(id), 64);
	snprintf(key, sizeof key, "%s.key", prefix);
	assert_int_equal(store_read(key, 10000, &pem, &n, &e), TUF_OK);
	assert_non_null(memmem(pem, n, "ENCRYPTED PRIVATE KEY", 21));
	free(pem);
	struct tuf_repo *r = fx_repo(fx);
	assert_int_equal(tuf_repo_add_signer(r, "carol", key, "wrong", &e),
	                 TUF_E_KEY);
	assert_int_equal(tuf_repo_add_signer(r, "carol", key, NULL, &e),
	                 TUF_E_KEY);
	assert_int_equal(tuf_repo_add_signer(r, "carol", key, "s3cret", &e),
	                 TUF_OK);
	tuf_repo_free(r);
}

/* Regression: tuf_repo_create read the four keys' public halves without
 * the passphrase, so a repository could not be created from encrypted
 * keys. */
static void test_create_with_encrypted_keys(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	static const char *const roles[] = { "eroot", "etargets", "esnapshot",
		                             "etimestamp" };
	char keys[4][300], prefix[256], dir[300];
	for (int k = 0; k < 4; k++) {
		snprintf(prefix, sizeof prefix, "%s/%s", fx->keys, roles[k]);
		assert_int_equal(tuf_key_generate(prefix, "s3cret", NULL, &e),
		                 TUF_OK);
		snprintf(keys[k], sizeof keys[k], "%s.key", prefix);
	}
	snprintf(dir, sizeof dir, "%s/encrypted", fx->dir);
	assert_int_equal(tuf_repo_create(dir, keys[0], keys[1], keys[2],
	                                 keys[3], "wrong", FX_T0, &e),
	                 TUF_E_KEY);
	snprintf(dir, sizeof dir, "%s/encrypted2", fx->dir);
	assert_int_equal(tuf_repo_create(dir, keys[0], keys[1], keys[2],
	                                 keys[3], "s3cret", FX_T0, &e),
	                 TUF_OK);
	struct tuf_repo *r;
	assert_int_equal(tuf_repo_open(&r, dir, FX_T0, &e), TUF_OK);
	tuf_repo_free(r);
}

static void test_user_roles_are_terminating_path_delegations(void **state)
{
	struct fixture *fx = *state;
	struct md *targets = load(fx, "2.targets.json");
	const struct json *roles = json_get(json_get(targets->sig,
	                                             "delegations"),
	                                    "roles");
	assert_int_equal(roles->n, 2);
	const struct json *alice = role_in(targets, "alice");
	assert_non_null(alice);
	assert_int_equal(json_get(alice, "terminating")->type, JSON_TRUE);
	assert_int_equal(json_get(alice, "threshold")->i, 1);
	/* a wildcard never matches '/': one pattern per depot name shape */
	assert_int_equal(json_get(alice, "paths")->n, 3);
	assert_string_equal(json_get(alice, "paths")->items[0]->s, "alice/*");
	assert_string_equal(json_get(alice, "paths")->items[1]->s,
	                    "alice/*/*/*");
	assert_string_equal(json_get(alice, "paths")->items[2]->s,
	                    "alice/bin/*/*/*");
	assert_int_equal(json_get(alice, "keyids")->n, 1);
	/* the user's role is signed by the user's key, verified by targets */
	struct md *role = load(fx, "1.alice.json");
	struct tuf_error e = { 0 };
	assert_int_equal(md_verify(targets, "alice", role, &e), TUF_OK);
	assert_int_equal(md_verify(targets, "bob", role, &e), TUF_E_THRESHOLD);
	assert_non_null(json_get(json_get(role->sig, "targets"),
	                         "alice/hello"));
	md_free(role);
	md_free(targets);
}

static void test_targets_must_sit_under_their_user(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	struct tuf_repo *r = fx_repo(fx);
	const char *sha =
		"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
	assert_int_equal(tuf_repo_add_target(r, "alice", "bob/x", 5, sha, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/sub/x", 5, sha,
	                                     &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/", 5, sha, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "carol", "carol/x", 5, sha, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/x", 5, "abc",
	                                     &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/x", 5, sha, &e),
	                 TUF_OK);
	/* depot archive names: <kind>/<name>/<version> and bin/<arch>/... */
	assert_int_equal(tuf_repo_add_target(r, "alice",
	                                     "alice/raw/x/1.tar.zst", 5, sha,
	                                     &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_add_target(r, "alice",
	                                     "alice/bin/x86_64/x/1.tar.zst", 5,
	                                     sha, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/src/x/y/1", 5,
	                                     sha, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/raw/../1", 5,
	                                     sha, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/raw/./1", 5,
	                                     sha, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/raw//1", 5, sha,
	                                     &e),
	                 TUF_E_ARG);
	char pub[256];
	snprintf(pub, sizeof pub, "%s/alice.pub", fx->keys);
	assert_int_equal(tuf_repo_add_user(r, "../x", pub, &e), TUF_E_ARG);
	assert_int_equal(tuf_repo_add_user(r, "root", pub, &e), TUF_E_ARG);
	assert_int_equal(tuf_repo_add_user(r, "a/b", pub, &e), TUF_E_ARG);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_OK);
	tuf_repo_free(r);
	struct md *alice = load(fx, "2.alice.json");
	assert_non_null(json_get(json_get(alice->sig, "targets"), "alice/x"));
	assert_non_null(json_get(json_get(alice->sig, "targets"),
	                         "alice/raw/x/1.tar.zst"));
	assert_non_null(json_get(json_get(alice->sig, "targets"),
	                         "alice/hello"));
	md_free(alice);
}

static void test_expiry_defaults(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *file;
		int days;
	} want[] = {
		{ "root.json", 365 },    { "2.targets.json", 90 },
		{ "1.alice.json", 90 },  { "2.snapshot.json", 7 },
		{ "timestamp.json", 1 },
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		struct md *m = load(fx, want[k].file);
		assert_int_equal(m->expires,
		                 FX_T0 + (time_t)want[k].days * 86400);
		md_free(m);
	}
}

static void test_commit_refuses_below_threshold(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char pub[256];
	size_t before_len, after_len;
	unsigned char *before = fx_read(fx, "timestamp.json", &before_len);
	struct tuf_repo *r = fx_repo(fx);
	snprintf(pub, sizeof pub, "%s/snapshot.pub", fx->keys);
	assert_int_equal(tuf_repo_set_role_key(r, "snapshot", pub, 1, 2, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_E_THRESHOLD);
	assert_non_null(strstr(e.message, "snapshot"));
	tuf_repo_free(r);
	unsigned char *after = fx_read(fx, "timestamp.json", &after_len);
	assert_int_equal(before_len, after_len);
	assert_memory_equal(before, after, after_len); /* nothing published */
	free(before);
	free(after);
}

/* Generates key pair <keys>/<name>; its file names in pub and key. */
static void new_key(struct fixture *fx, const char *name, char pub[300],
                    char key[300])
{
	struct tuf_error e = { 0 };
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s/%s", fx->keys, name);
	assert_int_equal(tuf_key_generate(prefix, NULL, NULL, &e), TUF_OK);
	snprintf(pub, 300, "%s.pub", prefix);
	snprintf(key, 300, "%s.key", prefix);
}

static void test_root_rotation_needs_old_root_keys(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char pub[300], key[300], old[256];
	new_key(fx, "root2", pub, key);
	snprintf(old, sizeof old, "%s/root.pub", fx->keys);
	/* only the new key signs: the old root's threshold is not met */
	struct tuf_repo *r;
	assert_int_equal(tuf_repo_open(&r, fx->repo, FX_T0, &e), TUF_OK);
	assert_int_equal(tuf_repo_add_signer(r, "root", key, NULL, &e), TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, "root", pub, 1, 0, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, "root", old, 0, 0, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_E_THRESHOLD);
	tuf_repo_free(r);
	/* with the old key too, the new root verifies with old and new keys */
	r = fx_repo(fx);
	assert_int_equal(tuf_repo_add_signer(r, "root", key, NULL, &e), TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, "root", pub, 1, 0, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, "root", old, 0, 0, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_OK);
	tuf_repo_free(r);
	struct md *v1 = load(fx, "1.root.json"), *v2 = load(fx, "2.root.json");
	assert_int_equal(md_verify(v1, "root", v2, &e), TUF_OK);
	assert_int_equal(md_verify(v2, "root", v2, &e), TUF_OK);
	assert_int_equal(md_verify(v2, "root", v1, &e), TUF_E_THRESHOLD);
	md_free(v1);
	md_free(v2);
}

/* Removing a top-level key: refused when it is not the role's or when
 * the role would fall below its threshold; allowed with the threshold
 * lowered in the same call, and the new root verifies with the old root's
 * keys and its own. */
static void test_top_level_key_removal_keeps_threshold(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char pub[300], key[300], old[256];
	new_key(fx, "root2", pub, key);
	snprintf(old, sizeof old, "%s/snapshot.pub", fx->keys);
	struct tuf_repo *r = fx_repo(fx);
	assert_int_equal(tuf_repo_add_signer(r, "root", key, NULL, &e), TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, "root", pub, 1, 2, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_OK); /* root v2: 2 of 2 */
	tuf_repo_free(r);
	r = fx_repo(fx);
	assert_int_equal(tuf_repo_add_signer(r, "root", key, NULL, &e), TUF_OK);
	assert_int_equal(tuf_repo_set_role_key(r, "root", pub, 0, 0, &e),
	                 TUF_E_ARG);
	assert_non_null(strstr(
		e.message,
		"would leave role 'root' 1 key, below its threshold of 2"));
	assert_int_equal(tuf_repo_set_role_key(r, "root", old, 0, 1, &e),
	                 TUF_E_ARG);
	assert_non_null(strstr(e.message, "is not a key of role 'root'"));
	/* the only timestamp key cannot go either */
	snprintf(old, sizeof old, "%s/timestamp.pub", fx->keys);
	assert_int_equal(tuf_repo_set_role_key(r, "timestamp", old, 0, 0, &e),
	                 TUF_E_ARG);
	/* nothing changed by the refusals: a commit writes no new root */
	char v3_path[300];
	snprintf(v3_path, sizeof v3_path, "%s/metadata/3.root.json", fx->repo);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_OK);
	assert_int_not_equal(access(v3_path, F_OK), 0);
	/* with the threshold lowered in the same step */
	assert_int_equal(tuf_repo_set_role_key(r, "root", pub, 0, 1, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_OK);
	tuf_repo_free(r);
	struct md *v2 = load(fx, "2.root.json"), *v3 = load(fx, "3.root.json");
	assert_int_equal(json_get(role_in(v3, "root"), "keyids")->n, 1);
	assert_int_equal(json_get(role_in(v3, "root"), "threshold")->i, 1);
	assert_int_equal(md_verify(v2, "root", v3, &e), TUF_OK);
	assert_int_equal(md_verify(v3, "root", v3, &e), TUF_OK);
	md_free(v2);
	md_free(v3);
}

static void test_refresh_timestamp(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	struct tuf_repo *r;
	struct md *before = load(fx, "timestamp.json");
	assert_int_equal(tuf_repo_open(&r, fx->repo, FX_T0 + 86400, &e),
	                 TUF_OK);
	char key[256];
	assert_int_equal(tuf_repo_refresh_timestamp(r, &e),
	                 TUF_E_THRESHOLD); /* no key */
	assert_int_equal(tuf_repo_add_signer(r, "timestamp",
	                                     fx_key(fx, "timestamp", key,
	                                            sizeof key),
	                                     NULL, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_refresh_timestamp(r, &e), TUF_OK);
	tuf_repo_free(r);
	struct md *after = load(fx, "timestamp.json");
	assert_int_equal(after->version, before->version + 1);
	assert_int_equal(after->expires, FX_T0 + 2 * 86400);
	md_free(before);
	md_free(after);
	/* a client two days on still accepts it (1 day would have expired) */
	fx->now = FX_T0 + 86400 + 3600;
	struct tuf_client *c = fx_client(fx);
	assert_int_equal(tuf_client_refresh(c, &e), TUF_OK);
	tuf_client_free(c);
}

static void test_user_key_retirement(void **state)
{
	struct fixture *fx = *state;
	struct tuf_error e = { 0 };
	char prefix[256], pub[300], key[300], old[256];
	snprintf(prefix, sizeof prefix, "%s/alice2", fx->keys);
	assert_int_equal(tuf_key_generate(prefix, NULL, NULL, &e), TUF_OK);
	snprintf(pub, sizeof pub, "%s.pub", prefix);
	snprintf(key, sizeof key, "%s.key", prefix);
	snprintf(old, sizeof old, "%s/alice.pub", fx->keys);
	struct tuf_repo *r;
	assert_int_equal(tuf_repo_open(&r, fx->repo, FX_T0, &e), TUF_OK);
	/* the only key cannot go: the role would be below its threshold */
	assert_int_equal(tuf_repo_remove_user_key(r, "alice", old, &e),
	                 TUF_E_ARG);
	assert_non_null(strstr(e.message, "threshold"));
	assert_int_equal(tuf_repo_remove_user_key(r, "carol", old, &e),
	                 TUF_E_ARG);
	assert_int_equal(tuf_repo_remove_user_key(r, "alice", pub, &e),
	                 TUF_E_ARG); /* not alice's */
	tuf_repo_free(r);
	/* rotation: add the new key, retire the old one, sign with the new */
	r = fx_repo(fx);
	assert_int_equal(tuf_repo_add_user(r, "alice", pub, &e), TUF_OK);
	assert_int_equal(tuf_repo_remove_user_key(r, "alice", old, &e), TUF_OK);
	assert_int_equal(tuf_repo_add_signer(r, "alice", key, NULL, &e),
	                 TUF_OK);
	assert_int_equal(tuf_repo_commit(r, &e), TUF_OK);
	tuf_repo_free(r);
	struct md *targets = load(fx, "3.targets.json");
	struct md *v1 = load(fx, "1.alice.json"),
		  *v2 = load(fx, "2.alice.json");
	assert_int_equal(json_get(role_in(targets, "alice"), "keyids")->n, 1);
	assert_int_equal(md_verify(targets, "alice", v2, &e), TUF_OK);
	assert_int_equal(md_verify(targets, "alice", v1, &e),
	                 TUF_E_THRESHOLD); /* old key retired */
	md_free(targets);
	md_free(v1);
	md_free(v2);
	/* a client follows: alice's targets verify under the new key */
	struct tuf_client *c = fx_client(fx);
	struct tuf_target t;
	assert_int_equal(tuf_client_find_target(c, "alice/hello", &t, &e),
	                 TUF_OK);
	tuf_client_free(c);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout_and_key_files),
		T(test_passphrase_protects_private_key),
		T(test_create_with_encrypted_keys),
		T(test_user_roles_are_terminating_path_delegations),
		T(test_targets_must_sit_under_their_user),
		T(test_expiry_defaults),
		T(test_commit_refuses_below_threshold),
		T(test_root_rotation_needs_old_root_keys),
		T(test_top_level_key_removal_keeps_threshold),
		T(test_refresh_timestamp),
		T(test_user_key_retirement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
