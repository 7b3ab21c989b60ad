/*
 * depot-tufcraft: makes the forged or stale metadata that the trust
 * end-to-end suite (tests/depot-trust/run-suite) serves to `depot
 * download`, things an attacker or a stopped timer produce and `depot
 * publish` never would:
 *   depot-tufcraft expire-timestamp TREE TIMESTAMP.key
 *       signs a new timestamp (next version) whose expiry is two days in
 *       the past: a freeze attack, made with libtuf's repository side at
 *       a clock three days back
 *   depot-tufcraft drop-signature FILE
 *       removes the last signature of a metadata file (too few
 *       signatures for a threshold of 2)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <tuf.h>

static int expire_timestamp(const char *tree, const char *key)
{
	struct tuf_repo *r = NULL;
	struct tuf_error e = { 0 };
	int rc = tuf_repo_open(&r, tree, time(NULL) - (time_t)3 * 86400, &e);
	if (!rc)
		rc = tuf_repo_add_signer(r, "timestamp", key, NULL, &e);
	if (!rc)
		rc = tuf_repo_refresh_timestamp(r, &e);
	tuf_repo_free(r);
	if (rc)
		fprintf(stderr, "depot-tufcraft: %s\n", e.message);
	return rc ? 1 : 0;
}

static char *read_all(const char *file)
{
	FILE *f = fopen(file, "rb");
	char *text = f ? calloc(1, 1 << 20) : NULL;
	if (text)
		fread(text, 1, (1 << 20) - 1, f);
	if (f)
		fclose(f);
	return text;
}

static int drop_signature(const char *file)
{
	char *text = read_all(file);
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	cJSON *sigs = cJSON_GetObjectItemCaseSensitive(doc, "signatures");
	char *out = NULL;
	int n = cJSON_GetArraySize(sigs);
	if (n > 0) {
		cJSON_DeleteItemFromArray(sigs, n - 1);
		out = cJSON_PrintUnformatted(doc);
	}
	FILE *f = out ? fopen(file, "wb") : NULL;
	int ok = f && fputs(out, f) >= 0;
	if (f)
		ok &= fclose(f) == 0;
	free(out);
	cJSON_Delete(doc);
	free(text);
	if (!ok)
		fprintf(stderr,
		        "depot-tufcraft: cannot drop a signature of "
		        "'%s'\n",
		        file);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "expire-timestamp") == 0)
		return expire_timestamp(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "drop-signature") == 0)
		return drop_signature(argv[2]);
	fputs("usage: depot-tufcraft expire-timestamp TREE TIMESTAMP.key\n"
	      "       depot-tufcraft drop-signature FILE\n",
	      stderr);
	return 2;
}
