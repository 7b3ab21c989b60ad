/*
 * Parsing and validation of TUF metadata envelopes, and threshold
 * signature verification. md_parse decodes and checks everything (decode),
 * so the client workflow can then act on a metadata object whose shape is
 * known (invoke). Shapes guaranteed after md_parse succeeds:
 *   envelope  {"signatures":[{"keyid":str,"sig":str}...], "signed":{...}}
 *             with unique signature keyids
 *   signed    _type, spec_version "1.x[.y]", version >= 1, expires
 *   root      keys{id:key}, roles{root,targets,snapshot,timestamp:
 *             {keyids:[unique str], threshold>=1}}, consistent_snapshot bool?
 *   timestamp meta{"snapshot.json": metafile}
 *   snapshot  meta{name: metafile}
 *   metafile  {version>=1, length>=0?, hashes{alg:str}?} (hashes non-empty)
 *   targets   targets{path:{length>=0, hashes{alg:str} non-empty}},
 *             delegations{keys{}, roles[{name, keyids, threshold,
 *             terminating bool, paths[str] xor path_hash_prefixes[str]}]}?
 * Unknown fields anywhere are kept (they are part of the signed bytes).
 * Key ids are opaque labels: never recomputed from the key.
 */
#include "metadata.h"

#include <stdarg.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

void tuf_error_set(struct tuf_error *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof e->message, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
		va_end(ap);
	}
}

static const char *const type_names[] = { "root", "targets", "snapshot",
	                                  "timestamp" };

const char *md_type_name(enum md_type t)
{
	return type_names[t];
}

/* Parses "YYYY-MM-DDTHH:MM:SSZ"; -1 if malformed. */
static int md_parse_time(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	char tail;
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
	           &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	           &tail) != 7 ||
	    tail != 'Z')
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

void md_format_time(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- shape checks: each returns 0 or -1 with a reason in *why ---- */

/* Whether the strings `get` finds in the n items are pairwise different:
 * sorted, O(n log n), as every check of untrusted input must stay near
 * linear (a pairwise scan let a mirror without keys burn minutes). A
 * failed allocation counts as "not unique", i.e. a refusal. */
static int unique_strings(const struct json *array,
                          const char *(*get)(const struct json *item,
                                             size_t *len))
{
	struct json_name *names = malloc((array->n ? array->n : 1) *
	                                 sizeof *names);
	if (!names)
		return 0;
	for (size_t k = 0; k < array->n; k++) {
		names[k].s = get(array->items[k], &names[k].len);
		names[k].index = k;
	}
	int unique = json_names_unique(names, array->n);
	free(names);
	return unique;
}

static const char *string_itself(const struct json *item, size_t *len)
{
	*len = item->slen;
	return item->s;
}

static int is_str_array(const struct json *a, int unique)
{
	if (!a || a->type != JSON_ARRAY)
		return 0;
	for (size_t k = 0; k < a->n; k++)
		if (a->items[k]->type != JSON_STRING)
			return 0;
	return !unique || unique_strings(a, string_itself);
}

static int check_role(const struct json *role, const char **why)
{
	struct json *th = json_get_type(role, "threshold", JSON_INT);
	if (!is_str_array(json_get(role, "keyids"), 1)) {
		*why = "role keyids must be an array of unique strings";
		return -1;
	}
	if (!th || th->i < 1) {
		*why = "role threshold must be an integer >= 1";
		return -1;
	}
	return 0;
}

static int check_keys(const struct json *keys, const char **why)
{
	if (!keys || keys->type != JSON_OBJECT) {
		*why = "keys must be an object";
		return -1;
	}
	for (size_t k = 0; k < keys->n; k++) {
		const struct json *key = keys->items[k];
		if (!json_get_str(key, "keytype") ||
		    !json_get_str(key, "scheme") ||
		    !json_get_type(key, "keyval", JSON_OBJECT)) {
			*why = "key needs keytype, scheme and keyval";
			return -1;
		}
	}
	return 0;
}

static int check_hashes(const struct json *h, const char **why)
{
	if (!h || h->type != JSON_OBJECT || h->n == 0) {
		*why = "hashes must be a non-empty object";
		return -1;
	}
	for (size_t k = 0; k < h->n; k++)
		if (h->items[k]->type != JSON_STRING) {
			*why = "hash values must be strings";
			return -1;
		}
	return 0;
}

static int check_metafile(const struct json *f, const char **why)
{
	struct json *v = json_get_type(f, "version", JSON_INT);
	struct json *len = json_get(f, "length");
	struct json *h = json_get(f, "hashes");
	if (!f || f->type != JSON_OBJECT || !v || v->i < 1) {
		*why = "meta entry needs a version >= 1";
		return -1;
	}
	if (len && (len->type != JSON_INT || len->i < 0)) {
		*why = "meta length must be an integer >= 0";
		return -1;
	}
	return h ? check_hashes(h, why) : 0;
}

static int check_root(const struct json *s, const char **why)
{
	struct json *roles = json_get_type(s, "roles", JSON_OBJECT);
	struct json *cs = json_get(s, "consistent_snapshot");
	if (cs && cs->type != JSON_TRUE && cs->type != JSON_FALSE) {
		*why = "consistent_snapshot must be a boolean";
		return -1;
	}
	if (check_keys(json_get(s, "keys"), why))
		return -1;
	if (!roles || roles->n != 4) {
		*why = "root roles must be exactly root, targets, snapshot and timestamp";
		return -1;
	}
	for (int t = 0; t < 4; t++) {
		struct json *r = json_get_type(roles, type_names[t],
		                               JSON_OBJECT);
		if (!r) {
			*why = "root roles must be exactly root, targets, snapshot and timestamp";
			return -1;
		}
		if (check_role(r, why))
			return -1;
	}
	return 0;
}

static int check_meta(const struct json *s, int timestamp, const char **why)
{
	struct json *meta = json_get_type(s, "meta", JSON_OBJECT);
	if (!meta) {
		*why = "meta must be an object";
		return -1;
	}
	if (timestamp && !json_get(meta, "snapshot.json")) {
		*why = "timestamp meta must describe snapshot.json";
		return -1;
	}
	for (size_t k = 0; k < meta->n; k++)
		if (check_metafile(meta->items[k], why))
			return -1;
	return 0;
}

static int is_top_level(const char *name)
{
	for (int t = 0; t < 4; t++)
		if (!strcmp(name, type_names[t]))
			return 1;
	return 0;
}

static const char *name_of(const struct json *item, size_t *len)
{
	const char *s = json_get_str(item, "name");
	*len = strlen(s);
	return s;
}

static const char *keyid_of(const struct json *item, size_t *len)
{
	const char *s = json_get_str(item, "keyid");
	*len = strlen(s);
	return s;
}

static int check_delegated_role(const struct json *roles, size_t k,
                                const char **why)
{
	const struct json *r = roles->items[k];
	const char *name = json_get_str(r, "name");
	struct json *paths = json_get(r, "paths"),
		    *prefixes = json_get(r, "path_hash_prefixes");
	if (!name || !*name || is_top_level(name)) {
		*why = "delegated role needs a name that is not empty or a top-level role";
		return -1;
	}
	if (check_role(r, why))
		return -1;
	if (!json_get_type(r, "terminating", JSON_TRUE)) {
		*why = "delegated role needs a boolean terminating";
		return -1;
	}
	if ((paths != NULL) == (prefixes != NULL) ||
	    !is_str_array(paths ? paths : prefixes, 0)) {
		*why = "delegated role needs exactly one of paths and path_hash_prefixes (string arrays)";
		return -1;
	}
	return 0;
}

static int check_targets(const struct json *s, const char **why)
{
	struct json *targets = json_get_type(s, "targets", JSON_OBJECT);
	struct json *del = json_get(s, "delegations");
	if (!targets) {
		*why = "targets must be an object";
		return -1;
	}
	for (size_t k = 0; k < targets->n; k++) {
		struct json *len = json_get_type(targets->items[k], "length",
		                                 JSON_INT);
		if (!len || len->i < 0) {
			*why = "target length must be an integer >= 0";
			return -1;
		}
		if (check_hashes(json_get(targets->items[k], "hashes"), why))
			return -1;
	}
	if (!del)
		return 0;
	struct json *roles = json_get_type(del, "roles", JSON_ARRAY);
	if (!roles) {
		*why = "delegations need a roles array (succinct hash-bin roles are not supported)";
		return -1;
	}
	if (check_keys(json_get(del, "keys"), why))
		return -1;
	for (size_t k = 0; k < roles->n; k++)
		if (roles->items[k]->type != JSON_OBJECT ||
		    check_delegated_role(roles, k, why))
			return -1;
	if (!unique_strings(roles, name_of)) {
		*why = "delegated role names must be unique";
		return -1;
	}
	return 0;
}

static int check_spec_version(const char *v)
{
	int parts = 1;
	if (!v || strncmp(v, "1.", 2) != 0)
		return -1;
	for (const char *p = v + 2; *p; p++) {
		if (*p == '.') {
			if (p[-1] == '.' || !p[1])
				return -1;
			parts++;
		} else if (*p < '0' || *p > '9') {
			return -1;
		}
	}
	return parts <= 2 && v[2] ? 0 : -1;
}

static int check_signatures(const struct json *sigs, const char **why)
{
	if (!sigs || sigs->type != JSON_ARRAY) {
		*why = "signatures must be an array";
		return -1;
	}
	for (size_t k = 0; k < sigs->n; k++) {
		const char *id = json_get_str(sigs->items[k], "keyid");
		if (!id || !json_get_str(sigs->items[k], "sig")) {
			*why = "signature needs keyid and sig strings";
			return -1;
		}
	}
	if (!unique_strings(sigs, keyid_of)) {
		*why = "the same keyid signs twice (keyids must be unique in signatures)";
		return -1;
	}
	return 0;
}

static int check_signed(struct md *m, const char **why)
{
	const char *type = json_get_str(m->sig, "_type");
	struct json *version = json_get_type(m->sig, "version", JSON_INT);
	const char *expires = json_get_str(m->sig, "expires");
	int t;
	for (t = 0; t < 4 && (!type || strcmp(type, type_names[t]) != 0); t++)
		;
	if (t == 4) {
		*why = "_type must be root, targets, snapshot or timestamp";
		return -1;
	}
	m->type = (enum md_type)t;
	if (check_spec_version(json_get_str(m->sig, "spec_version"))) {
		*why = "spec_version must be 1.x or 1.x.y";
		return -1;
	}
	if (!version || version->i < 1) {
		*why = "version must be an integer >= 1";
		return -1;
	}
	m->version = version->i;
	if (!expires || md_parse_time(expires, &m->expires)) {
		*why = "expires must be YYYY-MM-DDTHH:MM:SSZ";
		return -1;
	}
	switch (m->type) {
	case MD_ROOT:
		return check_root(m->sig, why);
	case MD_TARGETS:
		return check_targets(m->sig, why);
	case MD_SNAPSHOT:
		return check_meta(m->sig, 0, why);
	case MD_TIMESTAMP:
		return check_meta(m->sig, 1, why);
	}
	return -1;
}

int md_parse(const unsigned char *data, size_t len, const char *what,
             struct md **out, struct tuf_error *e)
{
	char err[128];
	const char *why = NULL;
	struct md *m = calloc(1, sizeof *m);
	if (!m)
		return tuf_fail(e, TUF_E_NOMEM, "out of memory parsing %s",
		                what);
	m->doc = json_parse(data, len, err, sizeof err);
	if (!m->doc) {
		md_free(m);
		return tuf_fail(e, TUF_E_JSON, "%s: malformed JSON: %s", what,
		                err);
	}
	m->sig = json_get_type(m->doc, "signed", JSON_OBJECT);
	m->signatures = json_get(m->doc, "signatures");
	if (!m->sig)
		why = "no signed object";
	else if (check_signatures(m->signatures, &why) == 0)
		check_signed(m, &why);
	if (why) {
		md_free(m);
		return tuf_fail(e, TUF_E_METADATA, "%s: invalid metadata: %s",
		                what, why);
	}
	m->raw = malloc(len ? len : 1);
	if (!m->raw || json_canonical(m->sig, &m->canon, &m->canon_len)) {
		md_free(m);
		return tuf_fail(e, TUF_E_NOMEM, "out of memory parsing %s",
		                what);
	}
	memcpy(m->raw, data, len);
	m->raw_len = len;
	*out = m;
	return TUF_OK;
}

void md_free(struct md *m)
{
	if (!m)
		return;
	json_free(m->doc);
	free(m->canon);
	free(m->raw);
	free(m);
}

int md_expired(const struct md *m, time_t now)
{
	return m->expires <= now;
}

/* The role object (keyids, threshold, ...) that delegator gives `role`. */
static const struct json *md_role(const struct md *delegator, const char *role)
{
	if (delegator->type == MD_ROOT)
		return json_get(json_get(delegator->sig, "roles"), role);
	struct json *roles = json_get(json_get(delegator->sig, "delegations"),
	                              "roles");
	for (size_t k = 0; roles && k < roles->n; k++)
		if (!strcmp(json_get_str(roles->items[k], "name"), role))
			return roles->items[k];
	return NULL;
}

static const char *sig_for(const struct md *m, const char *keyid)
{
	for (size_t k = 0; k < m->signatures->n; k++)
		if (!strcmp(json_get_str(m->signatures->items[k], "keyid"),
		            keyid))
			return json_get_str(m->signatures->items[k], "sig");
	return NULL;
}

int md_verify(const struct md *delegator, const char *role, const struct md *m,
              struct tuf_error *e)
{
	const struct json *r = md_role(delegator, role);
	const struct json *keys = delegator->type == MD_ROOT
	                                  ? json_get(delegator->sig, "keys")
	                                  : json_get(json_get(delegator->sig,
	                                                      "delegations"),
	                                             "keys");
	if (!r)
		return tuf_fail(e, TUF_E_METADATA,
		                "%s does not delegate role '%s'",
		                md_type_name(delegator->type), role);
	struct json *ids = json_get(r, "keyids");
	int64_t threshold = json_get(r, "threshold")->i, valid = 0;
	for (size_t k = 0; k < ids->n;
	     k++) { /* keyids are unique: each counts once */
		const char *id = ids->items[k]->s;
		const struct json *key = json_get(keys, id);
		const char *sig = sig_for(m, id);
		if (key && sig &&
		    verify_signature(key, sig, m->canon, m->canon_len))
			valid++;
	}
	if (valid < threshold)
		return tuf_fail(
			e, TUF_E_THRESHOLD,
			"%s metadata v%lld has %lld valid signature(s) of the %lld required",
			role, (long long)m->version, (long long)valid,
			(long long)threshold);
	return TUF_OK;
}

int md_path_matches(const char *target, const char *pattern)
{
	char *t = strdup(target), *p = strdup(pattern);
	int ok = t && p;
	char *ts, *ps, *tseg = ok ? strtok_r(t, "/", &ts) : NULL,
		       *pseg = ok ? strtok_r(p, "/", &ps) : NULL;
	size_t slashes_t = 0, slashes_p = 0;
	for (const char *q = target; *q; q++)
		slashes_t += *q == '/';
	for (const char *q = pattern; *q; q++)
		slashes_p += *q == '/';
	ok = ok && slashes_t == slashes_p;
	while (ok && (tseg || pseg)) {
		ok = tseg && pseg && fnmatch(pseg, tseg, FNM_NOESCAPE) == 0;
		tseg = strtok_r(NULL, "/", &ts);
		pseg = strtok_r(NULL, "/", &ps);
	}
	free(t);
	free(p);
	return ok;
}
