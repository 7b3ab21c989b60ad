/*
 * Test fixture for libtuf's client and repository tests: a repository
 * built with libtuf's repository API in a temporary directory, served to the
 * client through a fetch callback that reads files (no network), with hooks
 * an attacker would have: replace a URL's bytes, stall a URL, and count
 * requests. Also re-signs a metadata file after changing it (a compromised
 * or buggy key holder).
 */
#ifndef TUF_TEST_FIXTURE_H
#define TUF_TEST_FIXTURE_H

#include <stddef.h>
#include <time.h>

#include "json.h"
#include "tuf.h"

#define FX_T0 ((time_t)1700000000)   /* repository clock: 2023-11-14 */

struct fx_override {
	char url[256];
	unsigned char *data;
	size_t len;
};

struct fixture {
	char dir[64]; /* temp dir: keys/, repo/, client/, out/ */
	char repo[128], client[128], keys[128];
	struct fx_override overrides[8];
	int noverrides;
	char slow_url[256]; /* fetching it times out */
	int fetches;
	char last_url[256];
	time_t now;           /* client clock */
	char extra[4][2][32]; /* keys added by rotations: role, key name */
	int nextra;
};

/* Repository with users alice and bob; alice/hello is a target. */
struct fixture *fx_new(void);
void fx_free(struct fixture *fx);

int fx_fetch(void *ctx, const char *url, size_t max_len, unsigned char **data,
             size_t *len, struct tuf_error *e);

/* Opens a client over fx (metadata in fx->client) at fx->now. */
struct tuf_client *fx_client(struct fixture *fx);

/* Path of a key file: fx_key(fx, "alice", buf) -> <dir>/keys/alice.key */
const char *fx_key(struct fixture *fx, const char *name, char *buf, size_t n);
/* Registers key `name` as a further signer of `role` for fx_repo. */
void fx_add_signer(struct fixture *fx, const char *role, const char *name);
/* Opens the repository with every key as signer of its role. */
struct tuf_repo *fx_repo(struct fixture *fx);

/* Reads <repo>/metadata/<file> (malloc'd). */
unsigned char *fx_read(struct fixture *fx, const char *file, size_t *len);
/* Serves data instead of the file for URL test://metadata/<file>. */
void fx_override(struct fixture *fx, const char *file, const void *data,
                 size_t len);
/* Changes the signed part of <repo>/metadata/<file> with mutate and signs it
 * again with key `key_name`. */
void fx_resign(struct fixture *fx, const char *file, const char *key_name,
               void (*mutate)(struct json *signed_part));
/* Writes a target file into the repository (consistent name). */
void fx_put_target(struct fixture *fx, const char *path, const char *content,
                   char sha256_out[65]);

#endif
