/*
 * The repository (publisher) side of libtuf, used by `depot publish`:
 * creates, updates and signs TUF metadata in <dir>/metadata with consistent
 * snapshots. Depot users map to roles as decided in README.md: top-level
 * targets delegates, terminating, paths ["<user>/" "*", "<user>/" "*" "/" "*"
 * "/" "*", "<user>/bin/" "*" "/" "*" "/" "*"] (a wildcard never matches a
 * '/', so the depot's archive names <user>/<kind>/<name>/<version>.tar.zst
 * and <user>/bin/<arch>/<name>/<version>.tar.zst need their own patterns),
 * to one role per user, named after the user and signed by that user's
 * key(s).
 *
 * The repository keeps the `signed` objects in memory, marks what changed,
 * and tuf_repo_commit writes new versions in dependency order: root, user
 * roles, targets, snapshot, timestamp. Everything it writes is parsed back
 * and verified with the client's own checks (md_parse, md_verify) before it
 * is written, so a commit can never publish metadata below threshold; a new
 * root must verify with the previous root's keys and with its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <grow/grow.h>

#include "crypto.h"
#include "keys.h"
#include "metadata.h"
#include "store.h"
#include "tuf.h"

enum { DAY = 86400, META_MAX = 5000000 };

static const struct {
	const char *role;
	int days;
} expiry_days[] = {
	{ "root", 365 },
	{ "targets", 90 },
	{ "snapshot", 7 },
	{ "timestamp", 1 },
};

struct signer {
	char *role;
	EVP_PKEY *key;
	char keyid[65];
};

struct role_md {
	char *name; /* "targets" or a user's role */
	struct json *sig;
	int dirty;
};

struct tuf_repo {
	char *meta_dir;
	time_t now;
	struct json *root, *snapshot, *timestamp;
	struct md *trusted_root; /* last written root; NULL before the first */
	int root_dirty;
	struct role_md *roles; /* roles[0] is targets */
	size_t nroles, roles_cap;
	struct signer *signers;
	size_t nsigners, signers_cap;
};

void tuf_repo_free(struct tuf_repo *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->nroles; k++) {
		free(r->roles[k].name);
		json_free(r->roles[k].sig);
	}
	for (size_t k = 0; k < r->nsigners; k++) {
		free(r->signers[k].role);
		EVP_PKEY_free(r->signers[k].key);
	}
	free(r->roles);
	free(r->signers);
	json_free(r->root);
	json_free(r->snapshot);
	json_free(r->timestamp);
	md_free(r->trusted_root);
	free(r->meta_dir);
	free(r);
}

static int oom(struct tuf_error *e)
{
	return tuf_fail(e, TUF_E_NOMEM, "out of memory");
}

static int days_for(const char *role)
{
	for (size_t k = 0; k < sizeof expiry_days / sizeof expiry_days[0]; k++)
		if (!strcmp(expiry_days[k].role, role))
			return expiry_days[k].days;
	return 90; /* user roles expire like targets */
}

/* Bumps version and expiry of a signed object for its next publication. */
static int bump(struct json *sig, const char *role, time_t now)
{
	char when[21];
	md_format_time(now + (time_t)days_for(role) * DAY, when);
	return json_set(sig, "version",
	                json_new_int(json_get(sig, "version")->i + 1)) ||
	       json_set(sig, "expires", json_new_str(when));
}

static struct json *new_signed(const char *type)
{
	struct json *s = json_new(JSON_OBJECT);
	if (!s || json_set(s, "_type", json_new_str(type)) ||
	    json_set(s, "spec_version", json_new_str("1.0.31")) ||
	    json_set(s, "version", json_new_int(0)) ||
	    json_set(s, "expires", json_new_str("1970-01-01T00:00:00Z"))) {
		json_free(s);
		return NULL;
	}
	return s;
}

static struct role_md *find_role(struct tuf_repo *r, const char *name)
{
	for (size_t k = 0; k < r->nroles; k++)
		if (!strcmp(r->roles[k].name, name))
			return &r->roles[k];
	return NULL;
}

static int add_role(struct tuf_repo *r, const char *name, struct json *sig,
                    int dirty)
{
	struct role_md *roles = grow_array(r->roles, &r->roles_cap,
	                                   r->nroles + 1, sizeof *roles);
	char *n = strdup(name);
	if (roles)
		r->roles = roles;
	if (!roles || !n || !sig) {
		free(n);
		json_free(sig);
		return -1;
	}
	r->roles[r->nroles].name = n;
	r->roles[r->nroles].sig = sig;
	r->roles[r->nroles++].dirty = dirty;
	return 0;
}

/* ---- signing and writing ---- */

/* Envelope bytes for sig signed by every signer registered for role. */
static int sign_envelope(struct tuf_repo *r, const char *role,
                         const struct json *sig, unsigned char **out,
                         size_t *len, struct tuf_error *e)
{
	unsigned char *canon = NULL;
	size_t n;
	struct json *env = json_new(JSON_OBJECT), *sigs = json_new(JSON_ARRAY);
	int rc = !env || !sigs || json_canonical(sig, &canon, &n) ? oom(e)
	                                                          : TUF_OK;
	for (size_t k = 0; rc == TUF_OK && k < r->nsigners; k++) {
		char *hex;
		struct json *one;
		if (strcmp(r->signers[k].role, role) != 0)
			continue;
		rc = key_sign(r->signers[k].key, canon, n, &hex, e);
		if (rc)
			break;
		one = json_new(JSON_OBJECT);
		if (!one ||
		    json_set(one, "keyid", json_new_str(r->signers[k].keyid)) ||
		    json_set(one, "sig", json_new_str(hex)) ||
		    json_push(sigs, one))
			rc = oom(e);
		free(hex);
	}
	free(canon);
	if (rc == TUF_OK) {
		int bad = json_set(env, "signatures",
		                   sigs); /* takes sigs, even on failure */
		sigs = NULL;
		if (bad || json_set(env, "signed", json_clone(sig)) ||
		    json_write(env, out, len))
			rc = oom(e);
	}
	json_free(sigs);
	json_free(env);
	return rc;
}

/* A metadata object for an unsigned signed-part (to verify delegations). */
static int md_of(const struct json *sig, struct md **out, struct tuf_error *e)
{
	struct json *env = json_new(JSON_OBJECT);
	unsigned char *bytes;
	size_t n;
	if (!env || json_set(env, "signatures", json_new(JSON_ARRAY)) ||
	    json_set(env, "signed", json_clone(sig)) ||
	    json_write(env, &bytes, &n)) {
		json_free(env);
		return oom(e);
	}
	json_free(env);
	int rc = md_parse(bytes, n, "repository metadata", out, e);
	free(bytes);
	return rc;
}

static int write_meta(struct tuf_repo *r, const char *file,
                      const unsigned char *d, size_t n, struct tuf_error *e)
{
	char *path = store_join(r->meta_dir, file);
	int rc = path ? store_write(path, d, n, 0644, e) : oom(e);
	free(path);
	return rc;
}

/* Signs role's signed object, verifies it against delegator, writes it as
 * <version>.<role>.json (and root.json / timestamp.json unprefixed). */
static int publish(struct tuf_repo *r, const char *role, const struct json *sig,
                   const struct md *delegator, struct md **written,
                   struct tuf_error *e)
{
	unsigned char *bytes;
	size_t n;
	struct md *m = NULL;
	char *q = store_quote(role), *file = NULL;
	int rc = q ? sign_envelope(r, role, sig, &bytes, &n, e) : oom(e);
	if (rc) {
		free(q);
		return rc;
	}
	rc = md_parse(bytes, n, role, &m, e);
	if (rc == TUF_OK)
		rc = md_verify(delegator ? delegator : m, role, m, e);
	if (rc == TUF_OK && !strcmp(role, "root") && delegator)
		rc = md_verify(m, role, m, e); /* rotation: old and new keys */
	if (rc == TUF_OK && strcmp(role, "timestamp") != 0) {
		if (asprintf(&file, "%lld.%s.json", (long long)m->version, q) <
		    0)
			rc = oom(e);
		else
			rc = write_meta(r, file, bytes, n, e);
	}
	if (rc == TUF_OK &&
	    (!strcmp(role, "root") || !strcmp(role, "timestamp")))
		rc = write_meta(r,
		                !strcmp(role, "root") ? "root.json"
		                                      : "timestamp.json",
		                bytes, n, e);
	if (rc == TUF_OK && written)
		*written = m;
	else
		md_free(m);
	free(bytes);
	free(file);
	free(q);
	return rc;
}

static int set_meta_version(struct json *snapshot, const char *role,
                            int64_t version)
{
	char name[1024];
	struct json *entry = json_new(JSON_OBJECT);
	snprintf(name, sizeof name, "%s.json", role);
	if (!entry || json_set(entry, "version", json_new_int(version)))
		return json_free(entry), -1;
	return json_set(json_get(snapshot, "meta"), name, entry);
}

static int commit_root(struct tuf_repo *r, struct tuf_error *e)
{
	struct md *m;
	if (bump(r->root, "root", r->now))
		return oom(e);
	int rc = publish(r, "root", r->root, r->trusted_root, &m, e);
	if (rc)
		return rc;
	md_free(r->trusted_root);
	r->trusted_root = m;
	r->root_dirty = 0;
	return TUF_OK;
}

static int commit_roles(struct tuf_repo *r, struct tuf_error *e)
{
	struct role_md *t = &r->roles[0];
	struct md *targets = NULL;
	if (t->dirty && bump(t->sig, "targets", r->now))
		return oom(e);
	int rc = md_of(t->sig, &targets, e);
	for (size_t k = 1; rc == TUF_OK && k < r->nroles; k++) {
		struct role_md *u = &r->roles[k];
		if (!u->dirty)
			continue;
		if (bump(u->sig, u->name, r->now))
			rc = oom(e);
		if (rc == TUF_OK)
			rc = publish(r, u->name, u->sig, targets, NULL, e);
		if (rc == TUF_OK &&
		    set_meta_version(r->snapshot, u->name,
		                     json_get(u->sig, "version")->i))
			rc = oom(e);
		u->dirty = 0;
	}
	md_free(targets);
	if (rc == TUF_OK && t->dirty) {
		rc = publish(r, "targets", t->sig, r->trusted_root, NULL, e);
		if (rc == TUF_OK &&
		    set_meta_version(r->snapshot, "targets",
		                     json_get(t->sig, "version")->i))
			rc = oom(e);
		t->dirty = 0;
	}
	return rc;
}

static int commit_timestamp(struct tuf_repo *r, const unsigned char *snap,
                            size_t snap_len, struct tuf_error *e)
{
	char hex[129];
	struct json *entry = json_new(JSON_OBJECT);
	digest_hex("sha256", snap, snap_len, hex);
	if (!entry ||
	    json_set(entry, "version",
	             json_new_int(json_get(r->snapshot, "version")->i)) ||
	    json_set(entry, "length", json_new_int((int64_t)snap_len)) ||
	    json_set(entry, "hashes", json_new(JSON_OBJECT)) ||
	    json_set(json_get(entry, "hashes"), "sha256", json_new_str(hex))) {
		json_free(entry);
		return oom(e);
	}
	if (json_set(json_get(r->timestamp, "meta"), "snapshot.json", entry))
		return oom(e);
	if (bump(r->timestamp, "timestamp", r->now))
		return oom(e);
	return publish(r, "timestamp", r->timestamp, r->trusted_root, NULL, e);
}

int tuf_repo_commit(struct tuf_repo *r, struct tuf_error *e)
{
	struct md *snap = NULL;
	int rc = r->root_dirty ? commit_root(r, e) : TUF_OK;
	if (rc == TUF_OK)
		rc = commit_roles(r, e);
	if (rc == TUF_OK && bump(r->snapshot, "snapshot", r->now))
		rc = oom(e);
	if (rc == TUF_OK)
		rc = publish(r, "snapshot", r->snapshot, r->trusted_root, &snap,
		             e);
	if (rc == TUF_OK)
		rc = commit_timestamp(r, snap->raw, snap->raw_len, e);
	md_free(snap);
	return rc;
}

int tuf_repo_refresh_timestamp(struct tuf_repo *r, struct tuf_error *e)
{
	struct json *next =
		json_clone(r->timestamp); /* kept only once published */
	if (!next || bump(next, "timestamp", r->now)) {
		json_free(next);
		return oom(e);
	}
	int rc = publish(r, "timestamp", next, r->trusted_root, NULL, e);
	if (rc) {
		json_free(next);
		return rc;
	}
	json_free(r->timestamp);
	r->timestamp = next;
	return TUF_OK;
}

/* ---- opening and creating ---- */

static int read_meta(struct tuf_repo *r, const char *role, int64_t version,
                     struct md **out, struct tuf_error *e)
{
	char *q = store_quote(role), *file = NULL, *path = NULL;
	unsigned char *data = NULL;
	size_t n;
	int rc = TUF_E_NOMEM;
	if (q &&
	    (version ? asprintf(&file, "%lld.%s.json", (long long)version, q)
	             : asprintf(&file, "%s.json", q)) >= 0 &&
	    (path = store_join(r->meta_dir, file)))
		rc = store_read(path, META_MAX, &data, &n, e);
	else
		oom(e);
	if (rc == TUF_OK)
		rc = md_parse(data, n, file, out, e);
	free(data);
	free(q);
	free(file);
	free(path);
	return rc;
}

static int64_t meta_version(const struct json *snapshot, const char *role)
{
	char name[1024];
	snprintf(name, sizeof name, "%s.json", role);
	const struct json *v = json_get(json_get(json_get(snapshot, "meta"),
	                                         name),
	                                "version");
	return v ? v->i : -1;
}

/* Takes the signed object out of m (m is freed). */
static struct json *take_signed(struct md *m)
{
	struct json *s = json_clone(m->sig);
	md_free(m);
	return s;
}

static int open_roles(struct tuf_repo *r, struct tuf_error *e)
{
	struct md *m;
	int rc = read_meta(r, "targets", meta_version(r->snapshot, "targets"),
	                   &m, e);
	if (rc || add_role(r, "targets", take_signed(m), 0))
		return rc ? rc : oom(e);
	const struct json *roles = json_get(json_get(r->roles[0].sig,
	                                             "delegations"),
	                                    "roles");
	for (size_t k = 0; roles && k < roles->n; k++) {
		const char *name = json_get_str(roles->items[k], "name");
		rc = read_meta(r, name, meta_version(r->snapshot, name), &m, e);
		if (rc || add_role(r, name, take_signed(m), 0))
			return rc ? rc : oom(e);
		roles = json_get(json_get(r->roles[0].sig, "delegations"),
		                 "roles");
	}
	return TUF_OK;
}

static struct tuf_repo *repo_new(const char *dir, time_t now)
{
	struct tuf_repo *r = calloc(1, sizeof *r);
	if (r && !(r->meta_dir = store_join(dir, "metadata"))) {
		free(r);
		return NULL;
	}
	if (r)
		r->now = now ? now : time(NULL);
	return r;
}

int tuf_repo_open(struct tuf_repo **out, const char *dir, time_t now,
                  struct tuf_error *e)
{
	struct tuf_repo *r = repo_new(dir, now);
	struct md *m;
	if (!r)
		return oom(e);
	int rc = read_meta(r, "root", 0, &r->trusted_root, e);
	if (rc == TUF_OK && !(r->root = json_clone(r->trusted_root->sig)))
		rc = oom(e);
	if (rc == TUF_OK &&
	    (rc = read_meta(r, "timestamp", 0, &m, e)) == TUF_OK)
		r->timestamp = take_signed(m);
	if (rc == TUF_OK) {
		const struct json *v = json_get(json_get(json_get(r->timestamp,
		                                                  "meta"),
		                                         "snapshot.json"),
		                                "version");
		if ((rc = read_meta(r, "snapshot", v->i, &m, e)) == TUF_OK)
			r->snapshot = take_signed(m);
	}
	if (rc == TUF_OK)
		rc = open_roles(r, e);
	if (rc) {
		tuf_repo_free(r);
		return rc;
	}
	*out = r;
	return TUF_OK;
}

int tuf_repo_add_signer(struct tuf_repo *r, const char *role,
                        const char *key_file, const char *passphrase,
                        struct tuf_error *e)
{
	EVP_PKEY *k;
	struct json *j = NULL;
	char keyid[65];
	int rc = key_load_private(key_file, passphrase, &k, e);
	if (rc)
		return rc;
	rc = key_to_json(k, &j, keyid, e);
	json_free(j);
	struct signer *s = rc ? NULL
	                      : grow_array(r->signers, &r->signers_cap,
	                                   r->nsigners + 1, sizeof *s);
	char *name = s ? strdup(role) : NULL;
	if (s)
		r->signers = s;
	if (rc || !name) {
		EVP_PKEY_free(k);
		return rc ? rc : oom(e);
	}
	r->signers[r->nsigners].role = name;
	r->signers[r->nsigners].key = k;
	memcpy(r->signers[r->nsigners++].keyid, keyid, 65);
	return TUF_OK;
}

/* The public key of a key file as TUF key JSON; a private key file is
 * read with `passphrase` (NULL: unencrypted). */
static int public_key_json(const char *file, int private,
                           const char *passphrase, struct json **key,
                           char keyid[65], struct tuf_error *e)
{
	EVP_PKEY *k;
	int rc = private ? key_load_private(file, passphrase, &k, e)
	                 : key_load_public(file, &k, e);
	if (rc)
		return rc;
	rc = key_to_json(k, key, keyid, e);
	EVP_PKEY_free(k);
	return rc;
}

static int has_string(const struct json *arr, const char *s)
{
	for (size_t k = 0; k < arr->n; k++)
		if (!strcmp(arr->items[k]->s, s))
			return 1;
	return 0;
}

static struct json *new_role(const char *keyid)
{
	struct json *role = json_new(JSON_OBJECT);
	if (!role || json_set(role, "keyids", json_new(JSON_ARRAY)) ||
	    json_push(json_get(role, "keyids"), json_new_str(keyid)) ||
	    json_set(role, "threshold", json_new_int(1))) {
		json_free(role);
		return NULL;
	}
	return role;
}

static int create_root(struct tuf_repo *r, const char *const files[4],
                       const char *pass, struct tuf_error *e)
{
	static const char *const names[4] = { "root", "targets", "snapshot",
		                              "timestamp" };
	r->root = new_signed("root");
	if (!r->root ||
	    json_set(r->root, "consistent_snapshot", json_new(JSON_TRUE)) ||
	    json_set(r->root, "keys", json_new(JSON_OBJECT)) ||
	    json_set(r->root, "roles", json_new(JSON_OBJECT)))
		return oom(e);
	for (int k = 0; k < 4; k++) {
		struct json *key;
		char id[65];
		int rc = public_key_json(files[k], 1, pass, &key, id, e);
		if (rc == TUF_OK)
			rc = tuf_repo_add_signer(r, names[k], files[k], pass,
			                         e);
		if (rc)
			return rc;
		if (json_set(json_get(r->root, "keys"), id, key) ||
		    json_set(json_get(r->root, "roles"), names[k],
		             new_role(id)))
			return oom(e);
	}
	return TUF_OK;
}

int tuf_repo_create(const char *dir, const char *root_key,
                    const char *targets_key, const char *snapshot_key,
                    const char *timestamp_key, const char *passphrase,
                    time_t now, struct tuf_error *e)
{
	const char *const files[4] = { root_key, targets_key, snapshot_key,
		                       timestamp_key };
	struct tuf_repo *r = repo_new(dir, now);
	if (!r)
		return oom(e);
	char *targets_dir = store_join(dir, "targets");
	int rc = TUF_OK;
	if ((mkdir(dir, 0755) && errno != EEXIST) || mkdir(r->meta_dir, 0755) ||
	    !targets_dir || (mkdir(targets_dir, 0755) && errno != EEXIST))
		rc = tuf_fail(
			e, TUF_E_IO,
			"cannot create repository directories in '%s': %s", dir,
			strerror(errno));
	free(targets_dir);
	if (rc == TUF_OK)
		rc = create_root(r, files, passphrase, e);
	struct json *targets = rc ? NULL : new_signed("targets");
	if (rc == TUF_OK &&
	    (!targets || json_set(targets, "targets", json_new(JSON_OBJECT)) ||
	     add_role(r, "targets", targets, 1)))
		rc = oom(e);
	if (rc == TUF_OK &&
	    (!(r->snapshot = new_signed("snapshot")) ||
	     json_set(r->snapshot, "meta", json_new(JSON_OBJECT)) ||
	     !(r->timestamp = new_signed("timestamp")) ||
	     json_set(r->timestamp, "meta", json_new(JSON_OBJECT))))
		rc = oom(e);
	r->root_dirty = 1;
	if (rc == TUF_OK)
		rc = tuf_repo_commit(r, e);
	tuf_repo_free(r);
	return rc;
}

/* ---- changes ---- */

static int valid_user(const char *user)
{
	if (!*user || !strcmp(user, ".") || !strcmp(user, ".."))
		return 0;
	for (const char *p = user; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.'))
			return 0;
	return !strcmp(user, "root") || !strcmp(user, "targets") ||
	                       !strcmp(user, "snapshot") ||
	                       !strcmp(user, "timestamp")
	               ? 0
	               : 1;
}

static struct json *delegation_for(struct tuf_repo *r, const char *user)
{
	struct json *roles = json_get(json_get(r->roles[0].sig, "delegations"),
	                              "roles");
	for (size_t k = 0; roles && k < roles->n; k++)
		if (!strcmp(json_get_str(roles->items[k], "name"), user))
			return roles->items[k];
	return NULL;
}

static int ensure_delegations(struct json *targets)
{
	struct json *d = json_get(targets, "delegations");
	if (d)
		return 0;
	d = json_new(JSON_OBJECT);
	if (!d || json_set(d, "keys", json_new(JSON_OBJECT)) ||
	    json_set(d, "roles", json_new(JSON_ARRAY))) {
		json_free(d);
		return -1;
	}
	return json_set(targets, "delegations", d);
}

/* The path patterns a user's role is delegated (see the top of this file). */
static int push_user_patterns(struct json *paths, const char *user)
{
	static const char *const tails[] = { "/*", "/*/*/*", "/bin/*/*/*" };
	char pattern[300];
	for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++) {
		snprintf(pattern, sizeof pattern, "%s%s", user, tails[k]);
		if (json_push(paths, json_new_str(pattern)))
			return -1;
	}
	return 0;
}

static int new_user_role(struct tuf_repo *r, const char *user,
                         const char *keyid)
{
	struct json *role = new_role(keyid), *ut = new_signed("targets");
	if (!role || !ut || json_set(ut, "targets", json_new(JSON_OBJECT)) ||
	    json_set(role, "name", json_new_str(user)) ||
	    json_set(role, "terminating", json_new(JSON_TRUE)) ||
	    json_set(role, "paths", json_new(JSON_ARRAY)) ||
	    push_user_patterns(json_get(role, "paths"), user)) {
		json_free(role);
		json_free(ut);
		return -1;
	}
	if (json_push(json_get(json_get(r->roles[0].sig, "delegations"),
	                       "roles"),
	              role)) {
		json_free(ut);
		return -1;
	}
	return add_role(r, user, ut, 1);
}

int tuf_repo_add_user(struct tuf_repo *r, const char *user,
                      const char *pub_file, struct tuf_error *e)
{
	struct json *key;
	char keyid[65];
	if (!valid_user(user) || strlen(user) > 200)
		return tuf_fail(e, TUF_E_ARG,
		                "'%s' is not a valid depot user name", user);
	int rc = public_key_json(pub_file, 0, NULL, &key, keyid, e);
	if (rc)
		return rc;
	if (ensure_delegations(r->roles[0].sig) ||
	    json_set(json_get(json_get(r->roles[0].sig, "delegations"), "keys"),
	             keyid, key))
		return oom(e);
	struct json *role = delegation_for(r, user);
	if (!role && new_user_role(r, user, keyid))
		return oom(e);
	if (role && !has_string(json_get(role, "keyids"), keyid) &&
	    json_push(json_get(role, "keyids"), json_new_str(keyid)))
		return oom(e);
	r->roles[0].dirty = 1;
	return TUF_OK;
}

static int key_in_use(const struct json *roles, const char *keyid)
{
	for (size_t k = 0; k < roles->n; k++)
		if (has_string(json_get(roles->items[k], "keyids"), keyid))
			return 1;
	return 0;
}

/* No empty, "." or ".." segment: the path names one file below the user. */
static int plain_segments(const char *path)
{
	for (const char *seg = path; seg;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && !strncmp(seg, "..", 2)))
			return 0;
		seg = end ? end + 1 : NULL;
	}
	return 1;
}

static int delegated_path(const struct json *delegation, const char *path)
{
	const struct json *paths = delegation ? json_get(delegation, "paths")
	                                      : NULL;
	for (size_t k = 0; paths && k < paths->n; k++)
		if (md_path_matches(path, paths->items[k]->s))
			return 1;
	return 0;
}

/* Removes `keyid` (of key file `pub_file`) from the keyids of role object
 * `role` (named `name` in messages). Refuses a key the role does not have,
 * and a removal that would leave fewer keys than `threshold`. */
static int remove_role_keyid(struct json *role, const char *name,
                             const char *keyid, const char *pub_file,
                             int64_t threshold, struct tuf_error *e)
{
	struct json *ids = json_get(role, "keyids");
	size_t at = ids->n;
	for (size_t k = 0; k < ids->n; k++)
		if (!strcmp(ids->items[k]->s, keyid))
			at = k;
	if (at == ids->n)
		return tuf_fail(e, TUF_E_ARG,
		                "key '%s' is not a key of role '%s'", pub_file,
		                name);
	if ((int64_t)ids->n - 1 < threshold)
		return tuf_fail(
			e, TUF_E_ARG,
			"removing key '%s' would leave role '%s' %zu key%s, "
			"below its threshold of %lld: lower the threshold or add a key first",
			pub_file, name, ids->n - 1, ids->n == 2 ? "" : "s",
			(long long)threshold);
	json_free(ids->items[at]);
	memmove(&ids->items[at], &ids->items[at + 1], (ids->n - at - 1) * sizeof *ids->items); // NOLINT(bugprone-sizeof-expression): the array holds pointers, so an element is a pointer
	ids->n--;
	return TUF_OK;
}

int tuf_repo_remove_user_key(struct tuf_repo *r, const char *user,
                             const char *pub_file, struct tuf_error *e)
{
	struct json *role = delegation_for(r, user), *key;
	char keyid[65];
	if (!role || !find_role(r, user))
		return tuf_fail(e, TUF_E_ARG, "no role for depot user '%s'",
		                user);
	int rc = public_key_json(pub_file, 0, NULL, &key, keyid, e);
	if (rc)
		return rc;
	json_free(key);
	rc = remove_role_keyid(role, user, keyid, pub_file,
	                       json_get(role, "threshold")->i, e);
	if (rc)
		return rc;
	struct json *delegations = json_get(r->roles[0].sig, "delegations");
	if (!key_in_use(json_get(delegations, "roles"), keyid))
		json_del(json_get(delegations, "keys"), keyid);
	r->roles[0].dirty = 1;
	find_role(r, user)->dirty = 1;
	return TUF_OK;
}

int tuf_repo_add_target(struct tuf_repo *r, const char *user, const char *path,
                        uint64_t length, const char *sha256_hex,
                        struct tuf_error *e)
{
	struct role_md *role = find_role(r, user);
	size_t ul = strlen(user);
	unsigned char *raw;
	size_t rawlen;
	if (!role || role == &r->roles[0])
		return tuf_fail(
			e, TUF_E_ARG,
			"no role for depot user '%s' (add the user first)",
			user);
	if (strncmp(path, user, ul) != 0 || path[ul] != '/' ||
	    !plain_segments(path) ||
	    !delegated_path(delegation_for(r, user), path))
		return tuf_fail(
			e, TUF_E_ARG,
			"target '%s' matches none of the paths delegated to '%s'",
			path, user);
	if (length > INT64_MAX || hex_decode_new(sha256_hex, &raw, &rawlen))
		return tuf_fail(e, TUF_E_ARG,
		                "target '%s': invalid length or sha256", path);
	free(raw);
	if (rawlen != 32)
		return tuf_fail(e, TUF_E_ARG,
		                "target '%s': sha256 must be 64 hex digits",
		                path);
	struct json *entry = json_new(JSON_OBJECT);
	if (!entry ||
	    json_set(entry, "length", json_new_int((int64_t)length)) ||
	    json_set(entry, "hashes", json_new(JSON_OBJECT)) ||
	    json_set(json_get(entry, "hashes"), "sha256",
	             json_new_str(sha256_hex))) {
		json_free(entry);
		return oom(e);
	}
	if (json_set(json_get(role->sig, "targets"), path, entry))
		return oom(e);
	role->dirty = 1;
	return TUF_OK;
}

int tuf_repo_set_target_custom(struct tuf_repo *r, const char *user,
                               const char *path, const char *key,
                               uint64_t value, struct tuf_error *e)
{
	struct role_md *role = find_role(r, user);
	struct json *entry = role ? json_get(json_get(role->sig, "targets"),
	                                     path)
	                          : NULL;
	if (!entry)
		return tuf_fail(e, TUF_E_ARG,
		                "target '%s' is not in the role of '%s'", path,
		                user);
	if (value > INT64_MAX)
		return tuf_fail(e, TUF_E_ARG,
		                "target '%s': custom '%s' beyond int64", path,
		                key);
	struct json *custom = json_get_type(entry, "custom", JSON_OBJECT);
	if (!custom && json_set(entry, "custom", json_new(JSON_OBJECT)))
		return oom(e);
	custom = json_get(entry, "custom");
	if (json_set(custom, key, json_new_int((int64_t)value)))
		return oom(e);
	role->dirty = 1;
	return TUF_OK;
}

int tuf_repo_set_role_key(struct tuf_repo *r, const char *role,
                          const char *pub_file, int add, unsigned threshold,
                          struct tuf_error *e)
{
	struct json *roles = json_get(r->root, "roles"),
		    *rl = json_get(roles, role), *key;
	char keyid[65];
	if (!rl)
		return tuf_fail(e, TUF_E_ARG, "'%s' is not a top-level role",
		                role);
	int rc = public_key_json(pub_file, 0, NULL, &key, keyid, e);
	if (rc)
		return rc;
	struct json *ids = json_get(rl, "keyids");
	if (add) {
		if (json_set(json_get(r->root, "keys"), keyid, key) ||
		    (!has_string(ids, keyid) &&
		     json_push(ids, json_new_str(keyid))))
			return oom(e);
	} else {
		json_free(key);
		rc = remove_role_keyid(rl, role, keyid, pub_file,
		                       threshold ? threshold
		                                 : json_get(rl, "threshold")->i,
		                       e);
		if (rc)
			return rc;
		if (!key_in_use(roles, keyid))
			json_del(json_get(r->root, "keys"), keyid);
	}
	if (threshold && json_set(rl, "threshold", json_new_int(threshold)))
		return oom(e);
	r->root_dirty = 1;
	/* snapshot and timestamp are signed again at every commit; targets
     * only when changed, so that its new keys sign it */
	if (!strcmp(role, "targets"))
		r->roles[0].dirty = 1;
	return TUF_OK;
}
