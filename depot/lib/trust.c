/*
 * Trust: the bridge between libdepot and the TUF client (depot/tuf). It
 * keeps one trusted-metadata directory per repository,
 * <depot>/.trust/<repo>/, whose root.json a person imported on purpose
 * (`depot trust import`); refreshes the rest of the metadata through
 * libdepot's own libcurl transfers (depot_fetch_buffer, mirror after
 * mirror); and answers the install's question "what length and sha256
 * must archive X have?" from verified targets metadata only. Every TUF
 * refusal becomes DEPOT_E_METADATA with the attack's name in the detail.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <tuf.h>

#include "depot/tuf_fetch.h"
#include "diag.h"
#include "fsutil.h"

enum { ROOT_FILE_MAX = 512000 };

struct depot_trust {
	struct tuf_client *client;
	const struct depot_fetch_options *options;
	char **bases; /* "<mirror>/metadata/" for each mirror */
	size_t base_count;
	char dir[PATH_MAX]; /* the trusted-metadata directory */
};

static int trust_dir(const char *depot, const char *repo, char out[PATH_MAX],
                     struct depot_diag *diag)
{
	if (!depot_part_valid(repo))
		return diag_set(diag, DEPOT_E_USAGE, repo,
		                "a repository name "
		                "is made of [A-Za-z0-9._+-], not starting with "
		                "'.'");
	return fs_pathf(out, diag, "%s/.trust/%s", depot, repo);
}

/* A TUF error as a depot diagnostic: the attack's words, then details. */
static int tuf_refusal(struct depot_diag *diag, int code, const char *subject,
                       const struct tuf_error *e)
{
	return diag_set(diag, DEPOT_E_METADATA, subject, "%s: %s",
	                tuf_strerror(code), e->message);
}

/* ---- import ---------------------------------------------------------- */

static void copy_string(char *out, size_t size, const cJSON *item)
{
	snprintf(out, size, "%s",
	         cJSON_IsString(item) ? item->valuestring : "");
}

/* A JSON number as a count for display, clamped into long long (libtuf
 * checked it is an integer; huge ones must not overflow the cast). */
static long long as_count(const cJSON *item)
{
	if (!cJSON_IsNumber(item) || item->valuedouble < 0)
		return 0;
	return item->valuedouble >= 9.2e18 ? LLONG_MAX
	                                   : (long long)item->valuedouble;
}

/* Reads version, expiry and the root role's keys (for the person to
 * compare with what the repository's owner published). */
static void describe_root(const char *text, size_t length,
                          struct depot_root_info *info)
{
	cJSON *doc = cJSON_ParseWithLength(text, length);
	cJSON *sig = cJSON_GetObjectItemCaseSensitive(doc, "signed");
	cJSON *role = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(sig, "roles"), "root");
	cJSON *version = cJSON_GetObjectItemCaseSensitive(sig, "version");
	cJSON *threshold = cJSON_GetObjectItemCaseSensitive(role, "threshold");
	const cJSON *id;
	info->version = as_count(version);
	info->threshold = as_count(threshold);
	copy_string(info->expires, sizeof info->expires,
	            cJSON_GetObjectItemCaseSensitive(sig, "expires"));
	info->key_count = 0;
	cJSON_ArrayForEach (id,
	                    cJSON_GetObjectItemCaseSensitive(role, "keyids"))
		if (info->key_count < DEPOT_KEYIDS_MAX)
			copy_string(info->keyids[info->key_count++],
			            DEPOT_KEYID_HEX, id);
	cJSON_Delete(doc);
}

/* Root metadata, signed by its own threshold of root keys. */
static int check_root(const char *file, const char *text, size_t length,
                      struct depot_diag *diag)
{
	struct tuf_error e = { 0 };
	const char *type = NULL;
	const unsigned char *bytes = (const unsigned char *)text;
	int code = tuf_metadata_check(bytes, length, &type, &e);
	if (code)
		return tuf_refusal(diag, code, file, &e);
	if (strcmp(type, "root") != 0)
		return diag_set(diag, DEPOT_E_METADATA, file,
		                "this is %s "
		                "metadata; import the repository's root.json",
		                type);
	code = tuf_verify_role(bytes, length, "root", bytes, length, &e);
	return code ? tuf_refusal(diag, code, file, &e) : DEPOT_OK;
}

/* Whether the repository already trusts a root: *absent is set when it
 * trusts none; the same root again is fine; another one is refused. */
static int compare_trusted(const char *path, const char *text, size_t length,
                           int *absent, struct depot_diag *diag)
{
	char *have;
	size_t have_length;
	struct depot_diag ignored = { 0 };
	*absent = fs_read_file(path, ROOT_FILE_MAX, &have, &have_length,
	                       &ignored) != DEPOT_OK;
	if (*absent)
		return DEPOT_OK;
	int same = have_length == length && memcmp(have, text, length) == 0;
	free(have);
	return same ? DEPOT_OK
	            : diag_set(diag, DEPOT_E_EXISTS, path,
	                       "this repository "
	                       "already trusts another root (it updates "
	                       "itself by signed rotation); remove the "
	                       "directory to start over");
}

/* Writes the root as the repository's first trusted metadata. */
static int bootstrap(const char *dir, const char *text, size_t length,
                     struct depot_diag *diag)
{
	struct tuf_error e = { 0 };
	int err = fs_mkdirs(dir, diag);
	if (err)
		return err;
	int code = tuf_client_bootstrap(dir, (const unsigned char *)text,
	                                length, &e);
	return code ? diag_set(diag, DEPOT_E_IO, dir, "%s", e.message)
	            : DEPOT_OK;
}

/* Checks root metadata `text` and fills `info` from the very bytes
 * checked (so the fingerprint shown is of what is trusted). */
static int check_and_describe(const char *file, const char *text, size_t length,
                              struct depot_root_info *info,
                              struct depot_diag *diag)
{
	uint8_t hash[DEPOT_SHA256_LEN];
	int err = check_root(file, text, length, diag);
	if (err)
		return err;
	EVP_Digest(text, length, hash, NULL, EVP_sha256(), NULL);
	depot_sha256_hex(hash, info->sha256);
	describe_root(text, length, info);
	return DEPOT_OK;
}

int depot_root_describe(const char *root_file, struct depot_root_info *info,
                        struct depot_diag *diag)
{
	char *text;
	size_t length;
	int err = fs_read_file(root_file, ROOT_FILE_MAX, &text, &length, diag);
	if (err)
		return err;
	err = check_and_describe(root_file, text, length, info, diag);
	free(text);
	return err;
}

int depot_trust_import(const char *depot, const char *repo,
                       const char *root_file, struct depot_root_info *info,
                       struct depot_diag *diag)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *text;
	size_t length;
	int err = trust_dir(depot, repo, dir, diag);
	if (!err)
		err = fs_read_file(root_file, ROOT_FILE_MAX, &text, &length,
		                   diag);
	if (err)
		return err;
	int absent = 0;
	err = check_and_describe(root_file, text, length, info, diag);
	if (!err) {
		snprintf(path, sizeof path, "%s/root.json", dir);
		err = compare_trusted(path, text, length, &absent, diag);
	}
	if (!err && absent)
		err = bootstrap(dir, text, length, diag);
	free(text);
	return err;
}

/* ---- refresh through libdepot's transfers ---------------------------- */

/* The tuf_fetch_fn: `url` starts with the first mirror's metadata base;
 * the same file is asked of each mirror in turn until one has it. When
 * none has it and at least one server answered that it has no such file,
 * the answer is "not found" (which ends the client's search for newer
 * roots), even if other mirrors were unreachable; otherwise the last
 * mirror's failure. */
static int fetch_metadata(void *ctx, const char *url, size_t max_len,
                          unsigned char **data, size_t *len,
                          struct tuf_error *e)
{
	struct depot_trust *t = ctx;
	size_t base_length = strlen(t->bases[0]);
	/* The client builds every URL on the base it was given; anything
	 * else is asked of that one place only. */
	int ours = strncmp(url, t->bases[0], base_length) == 0;
	const char *file = ours ? url + base_length : url;
	int code = TUF_E_FETCH, any_not_found = 0;
	struct tuf_error last = { 0 };
	for (size_t i = 0; i < (ours ? t->base_count : 1); i++) {
		char full[PATH_MAX];
		struct depot_diag diag = { 0 };
		long status;
		snprintf(full, sizeof full, "%s%s", ours ? t->bases[i] : "",
		         file);
		int err = depot_fetch_buffer(t->options, full, max_len, data,
		                             len, &status, &diag);
		if (!err)
			return TUF_OK;
		code = depot_tuf_error(err, status, &diag, &last);
		if (i + 1 < (ours ? t->base_count : 1) &&
		    code != TUF_E_NOT_FOUND && t->options->mirror_failed)
			t->options->mirror_failed(t->options->mirror_failed_ctx,
			                          err, &diag);
		any_not_found |= code == TUF_E_NOT_FOUND;
	}
	last.code = any_not_found ? TUF_E_NOT_FOUND : code;
	if (e)
		*e = last;
	return last.code;
}

static int set_bases(struct depot_trust *t,
                     const struct depot_fetch_options *options,
                     struct depot_diag *diag)
{
	if (options->mirror_count == 0)
		return diag_set(diag, DEPOT_E_USAGE, "--mirror",
		                "no mirror "
		                "given: name the base URL of a published tree");
	t->bases = calloc(options->mirror_count, sizeof *t->bases);
	if (!t->bases)
		return diag_set(diag, DEPOT_E_NOMEM, "mirrors", NULL);
	for (size_t i = 0; i < options->mirror_count; i++) {
		const char *m = options->mirrors[i];
		int length = (int)strlen(m);
		while (length > 0 && m[length - 1] == '/')
			length--;
		if (asprintf(&t->bases[i], "%.*s/metadata/", length, m) < 0)
			return diag_set(diag, DEPOT_E_NOMEM, m, NULL);
		t->base_count++;
	}
	return DEPOT_OK;
}

void depot_trust_free(struct depot_trust *t)
{
	if (!t)
		return;
	tuf_client_free(t->client);
	for (size_t i = 0; i < t->base_count; i++)
		free(t->bases[i]);
	free(t->bases);
	free(t);
}

static int open_client(struct depot_trust *t, time_t now,
                       struct depot_diag *diag)
{
	char root[PATH_MAX + 16];
	struct stat st;
	snprintf(root, sizeof root, "%s/root.json", t->dir);
	if (stat(root, &st) < 0)
		return diag_set(diag, DEPOT_E_METADATA, t->dir,
		                "no trusted "
		                "root; run 'depot trust import ROOT.json' with "
		                "the repository's root.json first");
	struct tuf_client_config config = {
		.metadata_dir = t->dir,
		.metadata_url = t->bases[0],
		.fetch = fetch_metadata,
		.fetch_ctx = t,
		.now = now,
	};
	struct tuf_error e = { 0 };
	int code = tuf_client_open(&t->client, &config, &e);
	if (!code)
		code = tuf_client_refresh(t->client, &e);
	return code ? tuf_refusal(diag, code, t->bases[0], &e) : DEPOT_OK;
}

int depot_trust_open(struct depot_trust **out, const char *depot,
                     const char *repo,
                     const struct depot_fetch_options *options, time_t now,
                     struct depot_diag *diag)
{
	struct depot_trust *t = calloc(1, sizeof *t);
	*out = NULL;
	if (!t)
		return diag_set(diag, DEPOT_E_NOMEM, repo, NULL);
	t->options = options;
	int err = trust_dir(depot, repo, t->dir, diag);
	if (!err)
		err = set_bases(t, options, diag);
	if (!err)
		err = open_client(t, now, diag);
	if (err) {
		depot_trust_free(t);
		return err;
	}
	*out = t;
	return DEPOT_OK;
}

/* ---- answers from verified targets ----------------------------------- */

static int find(struct depot_trust *t, const char *path,
                struct tuf_target *target, struct depot_diag *diag)
{
	struct tuf_error e = { 0 };
	int code = tuf_client_find_target(t->client, path, target, &e);
	if (code == TUF_E_ARBITRARY_INSTALL || code == TUF_E_EXTRANEOUS)
		return diag_set(diag, DEPOT_E_UNTRUSTED, path, "%s: %s",
		                tuf_strerror(code), e.message);
	return code ? tuf_refusal(diag, code, path, &e) : DEPOT_OK;
}

int depot_trust_lookup(void *ctx, const struct depot_name *name,
                       uint64_t *length, uint8_t sha256[DEPOT_SHA256_LEN],
                       struct depot_limits *limits, struct depot_diag *diag)
{
	char text[DEPOT_NAME_MAX], path[DEPOT_NAME_MAX + 16];
	struct tuf_target target;
	depot_name_format(name, text);
	snprintf(path, sizeof path, "%s.tar.zst", text);
	int err = find(ctx, path, &target, diag);
	if (err)
		return err;
	if (!target.sha256 || depot_sha256_parse(target.sha256, sha256))
		return diag_set(diag, DEPOT_E_UNTRUSTED, path,
		                "role '%s' lists "
		                "no sha256 for it",
		                target.role);
	*length = target.length;
	uint64_t signed_bytes, signed_entries;
	if (tuf_target_custom_uint(&target, DEPOT_CUSTOM_UNPACKED,
	                           &signed_bytes) == TUF_OK &&
	    signed_bytes < limits->max_bytes)
		limits->max_bytes = signed_bytes;
	if (tuf_target_custom_uint(&target, DEPOT_CUSTOM_ENTRIES,
	                           &signed_entries) == TUF_OK &&
	    signed_entries < limits->max_entries)
		limits->max_entries = signed_entries;
	return DEPOT_OK;
}

struct newest {
	const char *prefix; /* "<user>/<kind>/[<arch>/]<name>/" */
	char *version;      /* DEPOT_PART_MAX bytes */
};

static int consider(void *ctx, const struct tuf_target *target)
{
	static const char suffix[] = ".tar.zst";
	struct newest *n = ctx;
	size_t plen = strlen(n->prefix), tlen = strlen(target->path);
	if (strncmp(target->path, n->prefix, plen) != 0 ||
	    tlen <= plen + sizeof suffix - 1 ||
	    strcmp(target->path + tlen - (sizeof suffix - 1), suffix) != 0)
		return 0;
	char version[DEPOT_PART_MAX];
	size_t vlen = tlen - plen - (sizeof suffix - 1);
	if (vlen >= sizeof version)
		return 0;
	memcpy(version, target->path + plen, vlen);
	version[vlen] = '\0';
	if (depot_part_valid(version) && strcmp(version, n->version) > 0)
		strcpy(n->version, version); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): version is checked to fit DEPOT_PART_MAX above
	return 0;
}

int depot_trust_latest(struct depot_trust *t, struct depot_name *pkg,
                       struct depot_diag *diag)
{
	char text[DEPOT_NAME_MAX], prefix[DEPOT_NAME_MAX + 2];
	struct tuf_target ignored;
	struct depot_name probe = *pkg;
	/* Searching for any name in the user's space loads and verifies
	 * the user's role; the name itself need not exist. */
	strcpy(probe.version, "0");
	depot_name_format(&probe, text);
	snprintf(prefix, sizeof prefix, "%.*s", (int)(strlen(text) - 1), text);
	char path[DEPOT_NAME_MAX + 16];
	snprintf(path, sizeof path, "%s.tar.zst", text);
	int err = find(t, path, &ignored, diag);
	if (err && err != DEPOT_E_UNTRUSTED)
		return err;
	struct newest n = { .prefix = prefix, .version = pkg->version };
	struct tuf_error e = { 0 };
	pkg->version[0] = '\0';
	if (tuf_client_role_targets(t->client, pkg->user, consider, &n, &e) ||
	    !pkg->version[0])
		return diag_set(diag, DEPOT_E_UNTRUSTED, prefix,
		                "the signed "
		                "targets of user '%s' list no version of it",
		                pkg->user);
	return DEPOT_OK;
}

/* ---- listing a user's signed targets (for `sculpt depot list`) -------- */

struct listing {
	depot_listed_fn fn;
	void *ctx;
};

static int list_one(void *ctx, const struct tuf_target *target)
{
	static const char suffix[] = ".tar.zst";
	struct listing *l = ctx;
	size_t length = strlen(target->path);
	char text[DEPOT_NAME_MAX];
	struct depot_name name;
	struct depot_diag ignored;

	if (length <= sizeof suffix - 1 ||
	    length - (sizeof suffix - 1) >= sizeof text ||
	    strcmp(target->path + length - (sizeof suffix - 1), suffix) != 0)
		return 0;
	memcpy(text, target->path, length - (sizeof suffix - 1));
	text[length - (sizeof suffix - 1)] = '\0';
	if (depot_name_parse(text, &name, &ignored))
		return 0;
	l->fn(l->ctx, &name, target->length);
	return 0;
}

int depot_trust_list(struct depot_trust *t, const char *user,
                     depot_listed_fn fn, void *ctx, struct depot_diag *diag)
{
	char path[DEPOT_NAME_MAX + 16];
	struct tuf_target ignored;
	struct listing l = { fn, ctx };
	struct tuf_error e = { 0 };
	int err;

	/* a search in the user's space loads and verifies the user's role */
	snprintf(path, sizeof path, "%s/pkg/-/0.tar.zst", user);
	err = find(t, path, &ignored, diag);
	if (err && err != DEPOT_E_UNTRUSTED)
		return err;
	err = tuf_client_role_targets(t->client, user, list_one, &l, &e);
	return err ? tuf_refusal(diag, err, user, &e) : DEPOT_OK;
}
