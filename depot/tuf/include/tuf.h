/*
 * libtuf: The Update Framework 1.0 (https://theupdateframework.github.io/
 * specification/v1.0.31/) for the depot, host side only. It reads and writes
 * real TUF metadata, so python-tuf, go-tuf and tuf-js read ours and we read
 * theirs. This is the library's one public header; everything else in
 * depot/tuf/ is private. Small enough to audit: the client trusts nothing it
 * has not checked against root, and every refusal names the attack it stops.
 *
 * Three parts:
 *   - canonical JSON and metadata checks (tuf_canonicalize, tuf_verify_role),
 *   - the client workflow of spec section 5 (tuf_client_*), fetching through
 *     a callback so the depot plugs in its libcurl fetcher,
 *   - the repository side for `depot publish` (tuf_key_*, tuf_repo_*).
 *
 * Errors: every function returns TUF_OK or a tuf_err code and, when given a
 * struct tuf_error, fills it with the code and a message naming the file or
 * role involved. tuf_strerror() turns any code into words.
 */
#ifndef TUF_H
#define TUF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum tuf_err {
	TUF_OK = 0,
	TUF_E_NOMEM,     /* out of memory */
	TUF_E_IO,        /* local file system error */
	TUF_E_ARG,       /* invalid argument from the caller */
	TUF_E_JSON,      /* malformed or hostile JSON */
	TUF_E_METADATA,  /* well-formed JSON that is not valid TUF metadata */
	TUF_E_KEY,       /* unsupported or malformed key */
	TUF_E_NOT_FOUND, /* the server has no such file (HTTP 404/403) */
	TUF_E_FETCH,     /* download failed (network, HTTP error) */
	/* Attacks the client detects, named as in the TUF specification. */
	TUF_E_ARBITRARY_INSTALL, /* target listed by no trusted role */
	TUF_E_ENDLESS_DATA,      /* download larger than its allowed length */
	TUF_E_EXTRANEOUS, /* target listed only by a role not delegated its path */
	TUF_E_FAST_FORWARD, /* version ahead of the version its referrer names */
	TUF_E_FREEZE,       /* expired metadata (indefinite freeze) */
	TUF_E_MIRROR, /* server returned metadata of another role or version */
	TUF_E_MIX_AND_MATCH, /* metadata length/hash differs from what snapshot/timestamp pin */
	TUF_E_ROLLBACK,       /* version older than the trusted one */
	TUF_E_SLOW_RETRIEVAL, /* download timed out or stalled */
	TUF_E_WRONG_SOFTWARE, /* target length or hash differs from trusted metadata */
	TUF_E_THRESHOLD, /* fewer valid signatures than the role's threshold */
	TUF_E_COUNT
};

struct tuf_error {
	int code;
	char message[1024];
};

/* Words for any code (never NULL). */
const char *tuf_strerror(int code);

/* ---- canonical JSON and metadata checks ------------------------------- */

/* Parses JSON strictly (no duplicate keys, no floats, valid UTF-8, depth
 * bound) and writes its OLPC canonical form to a malloc'd *out. */
int tuf_canonicalize(const unsigned char *json, size_t len, unsigned char **out,
                     size_t *out_len, struct tuf_error *e);

/* Checks that `json` is well-formed TUF metadata of any role type; when
 * `type_out` is not NULL it receives "root", "targets", "snapshot" or
 * "timestamp" (static storage). */
int tuf_metadata_check(const unsigned char *json, size_t len,
                       const char **type_out, struct tuf_error *e);

/* Verifies that metadata `md` is signed by a threshold of the keys that the
 * delegator (root metadata, or targets metadata with delegations) assigns to
 * `role`. Each keyid counts once; duplicate signature keyids are refused. */
int tuf_verify_role(const unsigned char *delegator, size_t delegator_len,
                    const char *role, const unsigned char *md, size_t md_len,
                    struct tuf_error *e);

/* ---- client ------------------------------------------------------------ */

/* Fetches `url` into a malloc'd buffer of at most `max_len` bytes. Returns
 * TUF_OK, TUF_E_NOT_FOUND (404/403), TUF_E_ENDLESS_DATA (more than max_len),
 * TUF_E_SLOW_RETRIEVAL (timeout) or TUF_E_FETCH, with a message in *e. */
typedef int (*tuf_fetch_fn)(void *ctx, const char *url, size_t max_len,
                            unsigned char **data, size_t *len,
                            struct tuf_error *e);

struct tuf_client_config {
	const char *metadata_dir;    /* trusted metadata; must hold root.json */
	const char *metadata_url;    /* base URL of the metadata */
	const char *target_base_url; /* base URL of the targets (may be NULL) */
	tuf_fetch_fn fetch;
	void *fetch_ctx;
	time_t now; /* reference time; 0 means time(NULL) */
};

struct tuf_client;

/* Writes the initial trusted root into an empty metadata directory (no
 * checks: the first refresh verifies it is signed by itself). */
int tuf_client_bootstrap(const char *metadata_dir, const unsigned char *root,
                         size_t len, struct tuf_error *e);

/* Loads the trusted root (self-signed) from cfg->metadata_dir. */
int tuf_client_open(struct tuf_client **out,
                    const struct tuf_client_config *cfg, struct tuf_error *e);
void tuf_client_free(struct tuf_client *c);

/* Spec 5.3-5.6: root chain, timestamp, snapshot, top-level targets. */
int tuf_client_refresh(struct tuf_client *c, struct tuf_error *e);

/* What trusted metadata says about one target. */
struct tuf_target {
	const char *path;
	uint64_t length;
	const char *sha256;     /* lowercase hex, or NULL */
	const char *sha512;     /* lowercase hex, or NULL */
	const char *first_hash; /* first hash in document order (URL prefix) */
	const char *role;       /* role that listed it */
	const void *custom;     /* its "custom" object (opaque), or NULL */
};

/* An unsigned integer member `key` of the target's "custom" object: 0 and
 * *out set, or TUF_E_ARG when there is none (or not a non-negative
 * integer). The value is as trusted as the role that listed the target. */
int tuf_target_custom_uint(const struct tuf_target *t, const char *key,
                           uint64_t *out);

/* Finds `path` by the pre-order delegation search (refreshing first if
 * needed). The result points into the client and lives until it is freed. */
int tuf_client_find_target(struct tuf_client *c, const char *path,
                           struct tuf_target *out, struct tuf_error *e);

/* Calls `fn` for every target that `role` lists, in document order; the
 * role must have been loaded (and so verified) by a tuf_client_find_target
 * search of this run, e.g. for a path inside the role's delegation. A
 * non-zero return of `fn` stops the walk and is returned. Listing is not
 * trusting: look the chosen target up with tuf_client_find_target. */
typedef int (*tuf_target_fn)(void *ctx, const struct tuf_target *t);
int tuf_client_role_targets(struct tuf_client *c, const char *role,
                            tuf_target_fn fn, void *ctx, struct tuf_error *e);

/* Stores the target at `dest`: if a file there already matches length and
 * hashes nothing is fetched, else it is downloaded from target_base_url
 * (consistent snapshot name <dir>/<hash>.<base>), checked, and written
 * atomically. */
int tuf_client_download_target(struct tuf_client *c, const struct tuf_target *t,
                               const char *dest, struct tuf_error *e);

/* ---- repository (publisher side) ----------------------------------------- */

/* Generates an Ed25519 key pair: `<prefix>.key` (PKCS#8 PEM, mode 0600,
 * encrypted with AES-256 when `passphrase` is not NULL) and `<prefix>.pub`
 * (SPKI PEM). Writes the TUF keyid (64 hex + NUL) to keyid_out if given. */
int tuf_key_generate(const char *prefix, const char *passphrase,
                     char keyid_out[65], struct tuf_error *e);

struct tuf_repo;

/* Creates a repository in `dir` (metadata in dir/metadata, targets in
 * dir/targets): root v1 with the four top-level roles each signed by the one
 * key given (private key PEM file), consistent snapshots on, and empty
 * targets, snapshot and timestamp. `now` 0 means time(NULL). */
int tuf_repo_create(const char *dir, const char *root_key,
                    const char *targets_key, const char *snapshot_key,
                    const char *timestamp_key, const char *passphrase,
                    time_t now, struct tuf_error *e);

/* Opens an existing repository; signing keys are added with
 * tuf_repo_add_signer for the roles that will be re-signed. */
int tuf_repo_open(struct tuf_repo **out, const char *dir, time_t now,
                  struct tuf_error *e);
void tuf_repo_free(struct tuf_repo *r);

/* Makes a private key (PEM file) available to sign `role` (top-level name or
 * a depot user's delegated role). */
int tuf_repo_add_signer(struct tuf_repo *r, const char *role,
                        const char *key_file, const char *passphrase,
                        struct tuf_error *e);

/* Delegates the patterns <user>/ followed by *, by * / * / * (archive
 * <kind>/<name>/<version>) and by bin/ * / * / * (bin/<arch>/<name>/<version>),
 * terminating, from targets to a role named `user`, signed by the public
 * key in `pub_file` with threshold 1; adds the key if the role exists. */
int tuf_repo_add_user(struct tuf_repo *r, const char *user,
                      const char *pub_file, struct tuf_error *e);

/* Removes the key in `pub_file` from user `user`'s role (key rotation:
 * add the new key with tuf_repo_add_user first). Refused when fewer keys
 * than the role's threshold would remain. The user's role is re-signed at
 * the next commit, so a signer for it must be added. */
int tuf_repo_remove_user_key(struct tuf_repo *r, const char *user,
                             const char *pub_file, struct tuf_error *e);

/* Adds or replaces target `path` in the user's role; the path must match
 * one of the user's delegated patterns and have no empty, "." or ".."
 * segment. */
int tuf_repo_add_target(struct tuf_repo *r, const char *user, const char *path,
                        uint64_t length, const char *sha256_hex,
                        struct tuf_error *e);

/* Sets custom.<key> = value on target `path`, already added to the user's
 * role (TUF allows any "custom" object; the depot signs an archive's
 * unpacked size and entry count there). */
int tuf_repo_set_target_custom(struct tuf_repo *r, const char *user,
                               const char *path, const char *key,
                               uint64_t value, struct tuf_error *e);

/* Adds (add=1) or removes (add=0) a key for a top-level role in root and
 * sets its threshold (0 keeps it). A removal is refused (TUF_E_ARG, nothing
 * changed) when the key is not the role's or when fewer keys than the
 * threshold (the new one, if given) would remain: lower the threshold or
 * add a key first. The next commit writes a new root signed by the old and
 * the new threshold of root keys (so removing a root key may need that
 * key, or others of the old root, as signers), and signs the role's
 * metadata again with the signers added for it; metadata signed only by a
 * removed key no longer verifies at a client that has the new root. */
int tuf_repo_set_role_key(struct tuf_repo *r, const char *role,
                          const char *pub_file, int add, unsigned threshold,
                          struct tuf_error *e);

/* Signs and writes every changed role with a new version, then snapshot and
 * timestamp: N.root.json + root.json, V.<role>.json, V.snapshot.json,
 * timestamp.json. Expiry defaults: root 365 d, targets 90 d, snapshot 7 d,
 * timestamp 1 d. Every file is verified (threshold, root rotation signed by
 * the old and the new root keys) before it is written. On failure some
 * role files may be written but no snapshot or timestamp refers to them;
 * free the handle and open the repository again before retrying. */
int tuf_repo_commit(struct tuf_repo *r, struct tuf_error *e);

/* Re-signs timestamp.json with a new version and expiry (a server's timer). */
int tuf_repo_refresh_timestamp(struct tuf_repo *r, struct tuf_error *e);

#endif
