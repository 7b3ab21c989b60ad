/*
 * The TUF client workflow (spec 1.0, section 5 "Detailed client workflow"):
 * update root through the chain N+1.root.json until 404, then timestamp,
 * snapshot and top-level targets, each checked for signatures against its
 * delegator, version rollback, pinned length and hashes, and expiry; then
 * the pre-order depth-first delegation search for a target and the checked
 * download of its file.
 *
 * Trusted state is the metadata directory: on start only root.json is
 * trusted; timestamp, snapshot and targets files there are re-verified
 * against the current root each run, which is also how fast-forward attack
 * recovery (5.3.11) happens: after a key rotation the old files no longer
 * verify and stop counting for rollback checks. Every file written to the
 * directory holds exactly the bytes that were downloaded, written
 * atomically. Network access goes only through the fetch callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "crypto.h"
#include "metadata.h"
#include "store.h"
#include "tuf.h"

/* Download bounds (the same as python-tuf's defaults). */
enum {
	ROOT_MAX = 512000,
	TIMESTAMP_MAX = 16384,
	SNAPSHOT_MAX = 2000000,
	TARGETS_MAX = 5000000,
	MAX_ROOT_ROTATIONS = 256,
	MAX_DELEGATIONS = 32,
	STACK_MAX = 1024, /* roles waiting in the delegation search */
};

struct loaded_role {
	char *name;
	struct md *md;
};

struct tuf_client {
	char *metadata_dir, *metadata_url, *target_base_url;
	tuf_fetch_fn fetch;
	void *fetch_ctx;
	time_t now;
	struct md *root, *timestamp, *snapshot;
	struct loaded_role
		*roles; /* targets and delegated roles loaded this run */
	size_t nroles, roles_cap;
	int refreshed;
};

static void client_clear_roles(struct tuf_client *c)
{
	for (size_t k = 0; k < c->nroles; k++) {
		free(c->roles[k].name);
		md_free(c->roles[k].md);
	}
	free(c->roles);
	c->roles = NULL;
	c->nroles = 0;
	c->roles_cap = 0;
}

void tuf_client_free(struct tuf_client *c)
{
	if (!c)
		return;
	client_clear_roles(c);
	md_free(c->root);
	md_free(c->timestamp);
	md_free(c->snapshot);
	free(c->metadata_dir);
	free(c->metadata_url);
	free(c->target_base_url);
	free(c);
}

static char *dup_slash(const char *s)
{
	size_t n = strlen(s);
	char *d = malloc(n + 2);
	if (d)
		sprintf(d, "%s%s", s, n && s[n - 1] == '/' ? "" : "/");
	return d;
}

int tuf_client_bootstrap(const char *metadata_dir, const unsigned char *root,
                         size_t len, struct tuf_error *e)
{
	char *path = store_join(metadata_dir, "root.json");
	if (!path)
		return tuf_fail(e, TUF_E_NOMEM, "out of memory");
	int rc = store_write(path, root, len, 0644, e);
	free(path);
	return rc;
}

/* Reads trusted file <dir>/<quoted role>.json. */
static int read_local(struct tuf_client *c, const char *role, size_t max,
                      unsigned char **data, size_t *len, struct tuf_error *e)
{
	char *q = store_quote(role), *name = NULL, *path = NULL;
	int rc = TUF_E_NOMEM;
	if (q && asprintf(&name, "%s.json", q) >= 0 &&
	    (path = store_join(c->metadata_dir, name)))
		rc = store_read(path, max, data, len, e);
	else
		tuf_error_set(e, rc, "out of memory");
	free(q);
	free(name);
	free(path);
	return rc;
}

static int persist(struct tuf_client *c, const char *role, const struct md *m,
                   struct tuf_error *e)
{
	char *q = store_quote(role), *name = NULL, *path = NULL;
	int rc = TUF_E_NOMEM;
	if (q && asprintf(&name, "%s.json", q) >= 0 &&
	    (path = store_join(c->metadata_dir, name)))
		rc = store_write(path, m->raw, m->raw_len, 0644, e);
	else
		tuf_error_set(e, rc, "out of memory");
	free(q);
	free(name);
	free(path);
	return rc;
}

/* Fetches <metadata_url>[<version>.]<quoted role>.json. */
static int fetch_metadata(struct tuf_client *c, const char *role,
                          int64_t version, size_t max, unsigned char **data,
                          size_t *len, struct tuf_error *e)
{
	char *q = store_quote(role), *url = NULL;
	*data = NULL; /* stays NULL unless the fetch succeeds */
	*len = 0;
	int rc, n = !q ? -1
	            : version > 0
	                    ? asprintf(&url, "%s%lld.%s.json", c->metadata_url,
	                               (long long)version, q)
	                    : asprintf(&url, "%s%s.json", c->metadata_url, q);
	free(q);
	if (n < 0)
		return tuf_fail(e, TUF_E_NOMEM, "out of memory");
	rc = c->fetch(c->fetch_ctx, url, max, data, len, e);
	if (rc != TUF_OK && e && !strstr(e->message, url)) {
		char detail[sizeof e->message];
		snprintf(detail, sizeof detail, "%s", e->message);
		tuf_error_set(e, rc, "%s: %s", url, detail);
	}
	free(url);
	return rc;
}

/* Parses data as metadata of `type` for `role`; a different type means the
 * server handed us the wrong file. */
static int parse_as(const unsigned char *data, size_t len, enum md_type type,
                    const char *role, struct md **out, struct tuf_error *e)
{
	struct md *m = NULL;
	int rc = md_parse(data, len, role, &m, e);
	if (rc)
		return rc;
	if (m->type != type) {
		rc = tuf_fail(e, TUF_E_MIRROR,
		              "%s: expected %s metadata, got %s", role,
		              md_type_name(type), md_type_name(m->type));
		md_free(m);
		return rc;
	}
	*out = m;
	return TUF_OK;
}

/* Checks data against a metafile's optional length and hashes (5.4.2, 5.6.2). */
static int check_metafile(const struct json *meta, const char *name,
                          const unsigned char *data, size_t len,
                          struct tuf_error *e)
{
	struct json *length = json_get(meta, "length"),
		    *hashes = json_get(meta, "hashes");
	char hex[129];
	if (length && (uint64_t)length->i != len)
		return tuf_fail(e, TUF_E_MIX_AND_MATCH,
		                "%s is %zu bytes, trusted metadata says %lld",
		                name, len, (long long)length->i);
	for (size_t k = 0; hashes && k < hashes->n; k++) {
		if (digest_hex(hashes->keys[k], data, len, hex))
			return tuf_fail(e, TUF_E_MIX_AND_MATCH,
			                "%s: unsupported hash algorithm '%s'",
			                name, hashes->keys[k]);
		if (strcmp(hex, hashes->items[k]->s) != 0)
			return tuf_fail(
				e, TUF_E_MIX_AND_MATCH,
				"%s: %s hash differs from trusted metadata",
				name, hashes->keys[k]);
	}
	return TUF_OK;
}

static int version_mismatch(const char *what, int64_t got, int64_t want,
                            struct tuf_error *e)
{
	int code = got < want ? TUF_E_ROLLBACK : TUF_E_FAST_FORWARD;
	return tuf_fail(
		e, code,
		"%s is version %lld, trusted metadata names version %lld", what,
		(long long)got, (long long)want);
}

static int expired(const struct md *m, const char *role, time_t now,
                   struct tuf_error *e)
{
	char when[21];
	if (!md_expired(m, now))
		return TUF_OK;
	md_format_time(m->expires, when);
	return tuf_fail(e, TUF_E_FREEZE, "%s v%lld expired at %s", role,
	                (long long)m->version, when);
}

int tuf_client_open(struct tuf_client **out,
                    const struct tuf_client_config *cfg, struct tuf_error *e)
{
	struct tuf_client *c = calloc(1, sizeof *c);
	unsigned char *data = NULL;
	size_t len;
	int rc;
	if (!c)
		return tuf_fail(e, TUF_E_NOMEM, "out of memory");
	c->metadata_dir = strdup(cfg->metadata_dir ? cfg->metadata_dir : ".");
	c->metadata_url = dup_slash(cfg->metadata_url ? cfg->metadata_url : "");
	c->target_base_url = dup_slash(cfg->target_base_url
	                                       ? cfg->target_base_url
	                                       : "");
	c->fetch = cfg->fetch;
	c->fetch_ctx = cfg->fetch_ctx;
	c->now = cfg->now ? cfg->now : time(NULL);
	if (!c->metadata_dir || !c->metadata_url || !c->target_base_url) {
		tuf_client_free(c);
		return tuf_fail(e, TUF_E_NOMEM, "out of memory");
	}
	rc = read_local(c, "root", ROOT_MAX, &data, &len, e);
	if (rc == TUF_OK)
		rc = parse_as(data, len, MD_ROOT, "trusted root.json", &c->root,
		              e);
	if (rc == TUF_OK)
		rc = md_verify(c->root, "root", c->root, e);
	free(data);
	if (rc) {
		tuf_client_free(c);
		return rc;
	}
	*out = c;
	return TUF_OK;
}

/* 5.3.4-5.3.8: one new root, signed by the trusted and by its own root keys. */
static int update_root(struct tuf_client *c, const unsigned char *data,
                       size_t len, int64_t want, struct tuf_error *e)
{
	struct md *m = NULL;
	int rc = parse_as(data, len, MD_ROOT, "root", &m, e);
	if (rc == TUF_OK)
		rc = md_verify(c->root, "root", m, e);
	if (rc == TUF_OK && m->version != want)
		rc = tuf_fail(e, TUF_E_MIRROR,
		              "%lld.root.json holds root version %lld",
		              (long long)want, (long long)m->version);
	if (rc == TUF_OK)
		rc = md_verify(m, "root", m, e);
	if (rc == TUF_OK)
		rc = persist(c, "root", m, e);
	if (rc) {
		md_free(m);
		return rc;
	}
	md_free(c->root);
	c->root = m;
	return TUF_OK;
}

static int load_root(struct tuf_client *c, struct tuf_error *e)
{
	int64_t first = c->root->version + 1;
	for (int64_t v = first; v < first + MAX_ROOT_ROTATIONS; v++) {
		unsigned char *data;
		size_t len;
		int rc = fetch_metadata(c, "root", v, ROOT_MAX, &data, &len, e);
		if (rc == TUF_E_NOT_FOUND)
			return TUF_OK;
		if (rc)
			return rc;
		rc = update_root(c, data, len, v, e);
		free(data);
		if (rc)
			return rc;
	}
	return TUF_OK;
}

static int64_t snapshot_version_in(const struct md *timestamp)
{
	return json_get(json_get(json_get(timestamp->sig, "meta"),
	                         "snapshot.json"),
	                "version")
	        ->i;
}

/* 5.4: timestamp signed by root, no rollback of itself or of snapshot.
 * A timestamp of the trusted version leaves the trusted one in place and
 * sets *same_version (5.4.3.2: nothing new); otherwise it replaces it. */
static int update_timestamp(struct tuf_client *c, const unsigned char *data,
                            size_t len, int *same_version, struct tuf_error *e)
{
	struct md *m = NULL;
	*same_version = 0;
	int rc = expired(c->root, "root", c->now, e);
	if (rc == TUF_OK)
		rc = parse_as(data, len, MD_TIMESTAMP, "timestamp", &m, e);
	if (rc)
		return rc;
	rc = md_verify(c->root, "timestamp", m, e);
	if (rc == TUF_OK && c->timestamp) {
		if (m->version < c->timestamp->version)
			rc = tuf_fail(
				e, TUF_E_ROLLBACK,
				"timestamp version %lld is older than trusted version %lld",
				(long long)m->version,
				(long long)c->timestamp->version);
		else if (m->version == c->timestamp->version)
			*same_version = 1;
		else if (snapshot_version_in(m) <
		         snapshot_version_in(c->timestamp))
			rc = tuf_fail(
				e, TUF_E_ROLLBACK,
				"timestamp names snapshot version %lld, older than trusted %lld",
				(long long)snapshot_version_in(m),
				(long long)snapshot_version_in(c->timestamp));
	}
	if (rc || *same_version) {
		md_free(m);
		return rc;
	}
	md_free(c->timestamp);
	c->timestamp = m;
	return expired(m, "timestamp", c->now, e);
}

static int load_timestamp(struct tuf_client *c, struct tuf_error *e)
{
	unsigned char *data;
	size_t len;
	int same_version;
	if (read_local(c, "timestamp", TIMESTAMP_MAX, &data, &len, NULL) ==
	    TUF_OK) {
		/* kept only if it verifies */
		update_timestamp(c, data, len, &same_version, NULL);
		free(data);
	}
	int rc = fetch_metadata(c, "timestamp", 0, TIMESTAMP_MAX, &data, &len,
	                        e);
	if (rc)
		return rc;
	rc = update_timestamp(c, data, len, &same_version, e);
	free(data);
	if (rc || same_version)
		return rc;
	return persist(c, "timestamp", c->timestamp, e);
}

static int check_final_snapshot(struct tuf_client *c, struct tuf_error *e)
{
	int rc = expired(c->snapshot, "snapshot", c->now, e);
	if (rc == TUF_OK &&
	    c->snapshot->version != snapshot_version_in(c->timestamp))
		rc = version_mismatch("snapshot", c->snapshot->version,
		                      snapshot_version_in(c->timestamp), e);
	return rc;
}

/* 5.5: snapshot pinned by timestamp, signed by root, no role rolled back. */
static int update_snapshot(struct tuf_client *c, const unsigned char *data,
                           size_t len, int trusted, struct tuf_error *e)
{
	const struct json *pin = json_get(json_get(c->timestamp->sig, "meta"),
	                                  "snapshot.json");
	struct md *m = NULL;
	int rc = expired(c->timestamp, "timestamp", c->now, e);
	if (rc == TUF_OK && !trusted)
		rc = check_metafile(pin, "snapshot.json", data, len, e);
	if (rc == TUF_OK)
		rc = parse_as(data, len, MD_SNAPSHOT, "snapshot", &m, e);
	if (rc)
		return rc;
	rc = md_verify(c->root, "snapshot", m, e);
	const struct json *old = c->snapshot
	                                 ? json_get(c->snapshot->sig, "meta")
	                                 : NULL;
	const struct json *new = json_get(m->sig, "meta");
	for (size_t k = 0; rc == TUF_OK && old && k < old->n; k++) {
		const struct json *nf = json_get(new, old->keys[k]);
		int64_t was = json_get(old->items[k], "version")->i;
		if (!nf)
			rc = tuf_fail(e, TUF_E_ROLLBACK,
			              "new snapshot no longer lists %s",
			              old->keys[k]);
		else if (json_get(nf, "version")->i < was)
			rc = tuf_fail(
				e, TUF_E_ROLLBACK,
				"snapshot rolls %s back from version %lld to %lld",
				old->keys[k], (long long)was,
				(long long)json_get(nf, "version")->i);
	}
	if (rc) {
		md_free(m);
		return rc;
	}
	md_free(c->snapshot);
	c->snapshot = m;
	return check_final_snapshot(c, e);
}

static int load_snapshot(struct tuf_client *c, struct tuf_error *e)
{
	unsigned char *data;
	size_t len;
	if (read_local(c, "snapshot", SNAPSHOT_MAX, &data, &len, NULL) ==
	    TUF_OK) {
		int rc = update_snapshot(c, data, len, 1, NULL);
		free(data);
		if (rc == TUF_OK)
			return TUF_OK; /* the trusted snapshot is still the final one */
	}
	const struct json *pin = json_get(json_get(c->timestamp->sig, "meta"),
	                                  "snapshot.json");
	const struct json *length = json_get(pin, "length");
	int consistent = json_get_type(c->root->sig, "consistent_snapshot",
	                               JSON_TRUE) != NULL;
	int rc = fetch_metadata(c, "snapshot",
	                        consistent ? json_get(pin, "version")->i : 0,
	                        length ? (size_t)length->i : SNAPSHOT_MAX,
	                        &data, &len, e);
	if (rc)
		return rc;
	rc = update_snapshot(c, data, len, 0, e);
	free(data);
	return rc ? rc : persist(c, "snapshot", c->snapshot, e);
}

static struct loaded_role *find_loaded(struct tuf_client *c, const char *role)
{
	for (size_t k = 0; k < c->nroles; k++)
		if (!strcmp(c->roles[k].name, role))
			return &c->roles[k];
	return NULL;
}

static const struct json *snapshot_pin(struct tuf_client *c, const char *role,
                                       struct tuf_error *e)
{
	char name[1024];
	snprintf(name, sizeof name, "%s.json", role);
	const struct json *pin = json_get(json_get(c->snapshot->sig, "meta"),
	                                  name);
	if (!pin)
		tuf_error_set(
			e, TUF_E_MIX_AND_MATCH,
			"role '%s' is delegated but snapshot does not list it",
			role);
	return pin;
}

/* 5.6: targets role pinned by snapshot, signed by its delegator. */
static int update_targets(struct tuf_client *c, const unsigned char *data,
                          size_t len, const char *role,
                          const struct md *delegator, struct tuf_error *e)
{
	const struct json *pin;
	struct md *m = NULL;
	int rc = check_final_snapshot(c, e);
	if (rc)
		return rc;
	if (!(pin = snapshot_pin(c, role, e)))
		return TUF_E_MIX_AND_MATCH;
	rc = check_metafile(pin, role, data, len, e);
	if (rc == TUF_OK)
		rc = parse_as(data, len, MD_TARGETS, role, &m, e);
	if (rc)
		return rc;
	rc = md_verify(delegator, role, m, e);
	if (rc == TUF_OK && m->version != json_get(pin, "version")->i)
		rc = version_mismatch(role, m->version,
		                      json_get(pin, "version")->i, e);
	if (rc == TUF_OK)
		rc = expired(m, role, c->now, e);
	struct loaded_role *roles = rc ? NULL
	                               : grow_array(c->roles, &c->roles_cap,
	                                            c->nroles + 1,
	                                            sizeof *roles);
	char *name = roles ? strdup(role) : NULL;
	if (rc == TUF_OK && !name)
		rc = tuf_fail(e, TUF_E_NOMEM, "out of memory");
	if (roles)
		c->roles = roles;
	if (rc) {
		md_free(m);
		return rc;
	}
	c->roles[c->nroles].name = name;
	c->roles[c->nroles++].md = m;
	return TUF_OK;
}

/* Loads a targets role reached from `delegator`. A role loaded before (via
 * another path) is verified again against this delegator, so it never
 * inherits authority from an earlier search path. */
static int load_targets(struct tuf_client *c, const char *role,
                        const struct md *delegator, struct md **out,
                        struct tuf_error *e)
{
	struct loaded_role *have = find_loaded(c, role);
	unsigned char *data;
	size_t len;
	int rc;
	if (have) {
		rc = md_verify(delegator, role, have->md, e);
		*out = have->md;
		return rc;
	}
	if (read_local(c, role, TARGETS_MAX, &data, &len, NULL) == TUF_OK) {
		rc = update_targets(c, data, len, role, delegator, NULL);
		free(data);
		if (rc == TUF_OK) {
			*out = c->roles[c->nroles - 1].md;
			return TUF_OK;
		}
	}
	const struct json *pin = snapshot_pin(c, role, e);
	if (!pin)
		return TUF_E_MIX_AND_MATCH;
	const struct json *length = json_get(pin, "length");
	int consistent = json_get_type(c->root->sig, "consistent_snapshot",
	                               JSON_TRUE) != NULL;
	rc = fetch_metadata(c, role,
	                    consistent ? json_get(pin, "version")->i : 0,
	                    length ? (size_t)length->i : TARGETS_MAX, &data,
	                    &len, e);
	if (rc)
		return rc;
	rc = update_targets(c, data, len, role, delegator, e);
	free(data);
	if (rc)
		return rc;
	*out = c->roles[c->nroles - 1].md;
	return persist(c, role, *out, e);
}

int tuf_client_refresh(struct tuf_client *c, struct tuf_error *e)
{
	struct md *targets;
	client_clear_roles(c);
	md_free(c->timestamp);
	md_free(c->snapshot);
	c->timestamp = c->snapshot = NULL;
	c->refreshed = 0;
	int rc = load_root(c, e);
	if (rc == TUF_OK)
		rc = load_timestamp(c, e);
	if (rc == TUF_OK)
		rc = load_snapshot(c, e);
	if (rc == TUF_OK)
		rc = load_targets(c, "targets", c->root, &targets, e);
	c->refreshed = rc == TUF_OK;
	return rc;
}

/* ---- delegation search (5.7) ---- */

static int role_delegates(const struct json *role, const char *target)
{
	const struct json *paths = json_get(role, "paths");
	const struct json *prefixes = json_get(role, "path_hash_prefixes");
	char hex[129];
	if (paths) {
		for (size_t k = 0; k < paths->n; k++)
			if (md_path_matches(target, paths->items[k]->s))
				return 1;
		return 0;
	}
	digest_hex("sha256", (const unsigned char *)target, strlen(target),
	           hex);
	for (size_t k = 0; k < prefixes->n; k++)
		if (!strncmp(hex, prefixes->items[k]->s,
		             prefixes->items[k]->slen))
			return 1;
	return 0;
}

struct visit {
	const char *role;
	const char *delegator; /* NULL: root */
};

static void fill_target(const struct json *entry, const char *path,
                        const char *role, struct tuf_target *out)
{
	const struct json *hashes = json_get(entry, "hashes");
	out->path = path;
	out->role = role;
	out->length = (uint64_t)json_get(entry, "length")->i;
	out->sha256 = json_get_str(hashes, "sha256");
	out->sha512 = json_get_str(hashes, "sha512");
	out->first_hash = hashes->items[0]->s;
	out->custom = json_get_type(entry, "custom", JSON_OBJECT);
}

int tuf_target_custom_uint(const struct tuf_target *t, const char *key,
                           uint64_t *out)
{
	const struct json *v = t->custom
	                               ? json_get_type(t->custom, key, JSON_INT)
	                               : NULL;
	if (!v || v->i < 0)
		return TUF_E_ARG;
	*out = (uint64_t)v->i;
	return TUF_OK;
}

/* Target listed by a loaded role that was not delegated its path. */
static const char *extraneous_lister(struct tuf_client *c, const char *path)
{
	for (size_t k = 0; k < c->nroles; k++)
		if (json_get(json_get(c->roles[k].md->sig, "targets"), path))
			return c->roles[k].name;
	return NULL;
}

static void push_children(struct visit *stack, size_t *depth,
                          const struct md *m, const char *role,
                          const char *path)
{
	const struct json *roles = json_get(json_get(m->sig, "delegations"),
	                                    "roles");
	size_t first = *depth;
	for (size_t k = 0; roles && k < roles->n; k++) {
		if (!role_delegates(roles->items[k], path))
			continue;
		if (*depth >= STACK_MAX)
			break;
		stack[(*depth)++] = (struct visit){
			json_get_str(roles->items[k], "name"), role
		};
		if (json_get(roles->items[k], "terminating")->type ==
		    JSON_TRUE) {
			memmove(&stack[0], &stack[first],
			        (*depth - first) * sizeof *stack);
			*depth -= first;
			first = 0;
			break;
		}
	}
	for (size_t a = first, b = *depth; b > a + 1;
	     a++, b--) { /* reverse: pop in order */
		struct visit t = stack[a];
		stack[a] = stack[b - 1];
		stack[b - 1] = t;
	}
}

int tuf_client_find_target(struct tuf_client *c, const char *path,
                           struct tuf_target *out, struct tuf_error *e)
{
	struct visit stack[STACK_MAX];
	const char *visited[MAX_DELEGATIONS + 1];
	size_t depth = 0, nvisited = 0;
	int rc = c->refreshed ? TUF_OK : tuf_client_refresh(c, e);
	if (rc)
		return rc;
	stack[depth++] = (struct visit){ "targets", NULL };
	while (depth > 0 && nvisited <= MAX_DELEGATIONS) {
		struct visit v = stack[--depth];
		int seen = 0;
		for (size_t k = 0; k < nvisited; k++)
			seen |= !strcmp(visited[k], v.role);
		if (seen)
			continue;
		const struct md *delegator =
			v.delegator ? find_loaded(c, v.delegator)->md : c->root;
		struct md *m;
		rc = load_targets(c, v.role, delegator, &m, e);
		if (rc)
			return rc;
		const struct json *targets = json_get(m->sig, "targets");
		for (size_t k = 0; k < targets->n; k++)
			if (!strcmp(targets->keys[k], path) &&
			    targets->klens[k] == strlen(path)) {
				fill_target(targets->items[k], targets->keys[k],
				            find_loaded(c, v.role)->name, out);
				return TUF_OK;
			}
		visited[nvisited++] = find_loaded(c, v.role)->name;
		push_children(stack, &depth, m, find_loaded(c, v.role)->name,
		              path);
	}
	const char *lister = extraneous_lister(c, path);
	if (lister)
		return tuf_fail(
			e, TUF_E_EXTRANEOUS,
			"'%s' is listed by role '%s', which is not delegated that path",
			path, lister);
	return tuf_fail(e, TUF_E_ARBITRARY_INSTALL,
	                "no trusted targets role lists '%s'", path);
}

/* ---- target download (5.7.3) ---- */

static int check_target(const struct tuf_target *t, const struct json *hashes,
                        const unsigned char *data, size_t len,
                        struct tuf_error *e)
{
	char hex[129];
	if (len != t->length)
		return tuf_fail(e, TUF_E_WRONG_SOFTWARE,
		                "'%s' is %zu bytes, trusted metadata says %llu",
		                t->path, len, (unsigned long long)t->length);
	for (size_t k = 0; k < hashes->n; k++) {
		if (digest_hex(hashes->keys[k], data, len, hex))
			return tuf_fail(e, TUF_E_WRONG_SOFTWARE,
			                "'%s': unsupported hash algorithm '%s'",
			                t->path, hashes->keys[k]);
		if (strcmp(hex, hashes->items[k]->s) != 0)
			return tuf_fail(
				e, TUF_E_WRONG_SOFTWARE,
				"'%s': %s hash differs from trusted metadata",
				t->path, hashes->keys[k]);
	}
	return TUF_OK;
}

static char *target_url(struct tuf_client *c, const struct tuf_target *t)
{
	const char *slash = strrchr(t->path, '/');
	char *url = NULL;
	int consistent = json_get_type(c->root->sig, "consistent_snapshot",
	                               JSON_TRUE) != NULL;
	int n;
	if (!consistent)
		n = asprintf(&url, "%s%s", c->target_base_url, t->path);
	else if (slash)
		n = asprintf(&url, "%s%.*s/%s.%s", c->target_base_url,
		             (int)(slash - t->path), t->path, t->first_hash,
		             slash + 1);
	else
		n = asprintf(&url, "%s%s.%s", c->target_base_url, t->first_hash,
		             t->path);
	return n < 0 ? NULL : url;
}

int tuf_client_download_target(struct tuf_client *c, const struct tuf_target *t,
                               const char *dest, struct tuf_error *e)
{
	struct loaded_role *lr = t->role ? find_loaded(c, t->role) : NULL;
	const struct json *entry =
		lr ? json_get(json_get(lr->md->sig, "targets"), t->path) : NULL;
	unsigned char *data;
	size_t len;
	if (!entry)
		return tuf_fail(e, TUF_E_ARG,
		                "'%s' was not found by tuf_client_find_target",
		                t->path);
	const struct json *hashes = json_get(entry, "hashes");
	if (store_read(dest, t->length, &data, &len, NULL) == TUF_OK) {
		int rc = check_target(t, hashes, data, len, NULL);
		free(data);
		if (rc == TUF_OK)
			return TUF_OK; /* cached copy is the trusted one */
	}
	char *url = target_url(c, t);
	if (!url)
		return tuf_fail(e, TUF_E_NOMEM, "out of memory");
	int rc = c->fetch(c->fetch_ctx, url, t->length, &data, &len, e);
	free(url);
	if (rc)
		return rc;
	rc = check_target(t, hashes, data, len, e);
	if (rc == TUF_OK)
		rc = store_write(dest, data, len, 0644, e);
	free(data);
	return rc;
}

int tuf_client_role_targets(struct tuf_client *c, const char *role,
                            tuf_target_fn fn, void *ctx, struct tuf_error *e)
{
	struct loaded_role *lr = c->refreshed ? find_loaded(c, role) : NULL;
	if (!lr)
		return tuf_fail(e, TUF_E_ARG,
		                "role '%s' was not loaded by a search this run",
		                role);
	const struct json *targets = json_get(lr->md->sig, "targets");
	for (size_t k = 0; k < targets->n; k++) {
		struct tuf_target t;
		if (targets->klens[k] != strlen(targets->keys[k]))
			continue; /* a name with a NUL byte is no path */
		fill_target(targets->items[k], targets->keys[k], lr->name, &t);
		int rc = fn(ctx, &t);
		if (rc)
			return rc;
	}
	return TUF_OK;
}
