/*
 * The libtuf test fixture (see fixture.h): a real repository made with the
 * repository API, served from files through the fetch callback.
 */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto.h"
#include "keys.h"
#include "store.h"

static const char *const key_names[] = { "root",      "targets", "snapshot",
	                                 "timestamp", "alice",   "bob" };

const char *fx_key(struct fixture *fx, const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s.key", fx->keys, name);
	return buf;
}

struct tuf_repo *fx_repo(struct fixture *fx)
{
	struct tuf_repo *r;
	struct tuf_error e = { 0 };
	char key[256];
	if (tuf_repo_open(&r, fx->repo, FX_T0, &e))
		fail_msg("open repository: %s", e.message);
	for (size_t k = 0; k < sizeof key_names / sizeof key_names[0]; k++)
		assert_int_equal(tuf_repo_add_signer(r, key_names[k],
		                                     fx_key(fx, key_names[k],
		                                            key, sizeof key),
		                                     NULL, &e),
		                 TUF_OK);
	for (int k = 0; k < fx->nextra; k++)
		assert_int_equal(tuf_repo_add_signer(r, fx->extra[k][0],
		                                     fx_key(fx, fx->extra[k][1],
		                                            key, sizeof key),
		                                     NULL, &e),
		                 TUF_OK);
	return r;
}

void fx_add_signer(struct fixture *fx, const char *role, const char *name)
{
	assert_true(fx->nextra < 4);
	snprintf(fx->extra[fx->nextra][0], 32, "%s", role);
	snprintf(fx->extra[fx->nextra++][1], 32, "%s", name);
}

void fx_put_target(struct fixture *fx, const char *path, const char *content,
                   char sha256_out[65])
{
	char file[1024], dir[512];
	const char *slash = strrchr(path, '/');
	digest_hex("sha256", (const unsigned char *)content, strlen(content),
	           sha256_out);
	snprintf(dir, sizeof dir, "%s/targets/%.*s", fx->repo,
	         (int)(slash - path), path);
	mkdir(dir, 0755);
	snprintf(file, sizeof file, "%s/%s.%s", dir, sha256_out, slash + 1);
	struct tuf_error e;
	assert_int_equal(store_write(file, content, strlen(content), 0644, &e),
	                 TUF_OK);
}

struct fixture *fx_new(void)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct tuf_error e = { 0 };
	char key[256], pub[256], k2[256], k3[256], k4[256], sha[65];
	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/tuf-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->repo, sizeof fx->repo, "%s/repo", fx->dir);
	snprintf(fx->client, sizeof fx->client, "%s/client", fx->dir);
	snprintf(fx->keys, sizeof fx->keys, "%s/keys", fx->dir);
	assert_int_equal(mkdir(fx->keys, 0700), 0);
	assert_int_equal(mkdir(fx->client, 0755), 0);
	for (size_t k = 0; k < sizeof key_names / sizeof key_names[0]; k++) {
		snprintf(key, sizeof key, "%s/%s", fx->keys, key_names[k]);
		assert_int_equal(tuf_key_generate(key, NULL, NULL, &e), TUF_OK);
	}
	if (tuf_repo_create(fx->repo, fx_key(fx, "root", key, sizeof key),
	                    fx_key(fx, "targets", k2, sizeof k2),
	                    fx_key(fx, "snapshot", k3, sizeof k3),
	                    fx_key(fx, "timestamp", k4, sizeof k4), NULL, FX_T0,
	                    &e))
		fail_msg("create repository: %s", e.message);
	struct tuf_repo *r = fx_repo(fx);
	snprintf(pub, sizeof pub, "%s/alice.pub", fx->keys);
	assert_int_equal(tuf_repo_add_user(r, "alice", pub, &e), TUF_OK);
	snprintf(pub, sizeof pub, "%s/bob.pub", fx->keys);
	assert_int_equal(tuf_repo_add_user(r, "bob", pub, &e), TUF_OK);
	fx_put_target(fx, "alice/hello", "hello alice", sha);
	assert_int_equal(tuf_repo_add_target(r, "alice", "alice/hello", 11, sha,
	                                     &e),
	                 TUF_OK);
	if (tuf_repo_commit(r, &e))
		fail_msg("commit: %s", e.message);
	tuf_repo_free(r);
	size_t len;
	unsigned char *root = fx_read(fx, "1.root.json", &len);
	assert_int_equal(tuf_client_bootstrap(fx->client, root, len, &e),
	                 TUF_OK);
	free(root);
	fx->now = FX_T0 + 3600;
	return fx;
}

void fx_free(struct fixture *fx)
{
	char cmd[128];
	for (int k = 0; k < fx->noverrides; k++)
		free(fx->overrides[k].data);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
}

unsigned char *fx_read(struct fixture *fx, const char *file, size_t *len)
{
	char path[512];
	unsigned char *d;
	snprintf(path, sizeof path, "%s/metadata/%s", fx->repo, file);
	if (store_read(path, 1 << 24, &d, len, NULL))
		fail_msg("cannot read %s", path);
	return d;
}

void fx_override(struct fixture *fx, const char *file, const void *data,
                 size_t len)
{
	struct fx_override *o = &fx->overrides[fx->noverrides++];
	snprintf(o->url, sizeof o->url, "test://metadata/%s", file);
	o->data = malloc(len + 1);
	memcpy(o->data, data, len);
	o->len = len;
}

int fx_fetch(void *ctx, const char *url, size_t max_len, unsigned char **data,
             size_t *len, struct tuf_error *e)
{
	struct fixture *fx = ctx;
	char path[512];
	fx->fetches++;
	snprintf(fx->last_url, sizeof fx->last_url, "%s", url);
	if (!strcmp(url, fx->slow_url)) {
		e->code = TUF_E_SLOW_RETRIEVAL;
		snprintf(e->message, sizeof e->message, "%s: timed out", url);
		return TUF_E_SLOW_RETRIEVAL;
	}
	for (int k = 0; k < fx->noverrides; k++)
		if (!strcmp(url, fx->overrides[k].url)) {
			if (fx->overrides[k].len > max_len)
				return TUF_E_ENDLESS_DATA;
			*data = malloc(fx->overrides[k].len + 1);
			memcpy(*data, fx->overrides[k].data,
			       fx->overrides[k].len);
			*len = fx->overrides[k].len;
			return TUF_OK;
		}
	if (!strncmp(url, "test://", 7))
		snprintf(path, sizeof path, "%s/%s", fx->repo, url + 7);
	else
		return TUF_E_FETCH;
	int rc = store_read(path, (size_t)1 << 30, data, len, e);
	if (rc == TUF_OK && *len > max_len) {
		free(*data);
		e->code = TUF_E_ENDLESS_DATA;
		snprintf(e->message, sizeof e->message,
		         "%s: more than %zu bytes", url, max_len);
		return TUF_E_ENDLESS_DATA;
	}
	return rc;
}

struct tuf_client *fx_client(struct fixture *fx)
{
	struct tuf_client_config cfg = {
		.metadata_dir = fx->client,
		.metadata_url = "test://metadata/",
		.target_base_url = "test://targets/",
		.fetch = fx_fetch,
		.fetch_ctx = fx,
		.now = fx->now,
	};
	struct tuf_client *c;
	struct tuf_error e = { 0 };
	if (tuf_client_open(&c, &cfg, &e))
		fail_msg("open client: %s", e.message);
	return c;
}

void fx_resign(struct fixture *fx, const char *file, const char *key_name,
               void (*mutate)(struct json *signed_part))
{
	size_t len, clen;
	char err[128], key_path[256], *sig_hex;
	unsigned char *data = fx_read(fx, file, &len), *canon, *out;
	struct json *doc = json_parse(data, len, err, sizeof err);
	EVP_PKEY *k;
	struct json *kj;
	char keyid[65];
	struct tuf_error e;
	assert_non_null(doc);
	free(data);
	mutate(json_get(doc, "signed"));
	assert_int_equal(key_load_private(fx_key(fx, key_name, key_path,
	                                         sizeof key_path),
	                                  NULL, &k, &e),
	                 TUF_OK);
	assert_int_equal(key_to_json(k, &kj, keyid, &e), TUF_OK);
	json_free(kj);
	assert_int_equal(json_canonical(json_get(doc, "signed"), &canon, &clen),
	                 0);
	assert_int_equal(key_sign(k, canon, clen, &sig_hex, &e), TUF_OK);
	struct json *sigs = json_new(JSON_ARRAY), *one = json_new(JSON_OBJECT);
	json_set(one, "keyid", json_new_str(keyid));
	json_set(one, "sig", json_new_str(sig_hex));
	json_push(sigs, one);
	json_set(doc, "signatures", sigs);
	assert_int_equal(json_write(doc, &out, &clen), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/metadata/%s", fx->repo, file);
	assert_int_equal(store_write(path, out, clen, 0644, &e), TUF_OK);
	free(out);
	free(canon);
	free(sig_hex);
	EVP_PKEY_free(k);
	json_free(doc);
}
