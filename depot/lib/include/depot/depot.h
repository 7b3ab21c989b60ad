/*
 * libdepot: the host-side library behind the `depot` tool. It turns recipes
 * into reproducible archives, moves archives over HTTP(S) with verification,
 * installs them safely into a depot directory, and answers questions about
 * what is installed (closures, garbage, integrity). It never links
 * libruntime; the trust layer (depot/tuf) sits beside it and feeds it the
 * expected length and SHA-256 of every archive it fetches.
 *
 * Depot layout (DESIGN.md):
 *   <depot>/<user>/{src,api,raw,pkg}/<name>/<version>/     installed archive
 *   <depot>/<user>/bin/<arch>/<name>/<version>/            installed archive
 *   <same path>.tar.zst                                    the archive file
 *   <same path>.manifest                                   what was installed
 *   <depot>/.staging/   work dirs of running installs (removed when stale)
 *   <depot>/.download/  partial downloads (<path>.tar.zst.part, resumable)
 *
 * Invariant kept by every function here: a directory
 * <depot>/<archive name>/ exists only when it is complete and its manifest
 * exists beside it. Installs and removals go through a staging directory on
 * the same file system and an atomic rename.
 *
 * Errors: every function returns 0 or a DEPOT_E_* code; the optional
 * struct depot_diag says what the error is about. depot_strerror() is the one
 * place that turns a code into words.
 */
#ifndef DEPOT_DEPOT_H
#define DEPOT_DEPOT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum depot_error {
	DEPOT_OK = 0,
	DEPOT_E_NOMEM = 1000,  /* out of memory */
	DEPOT_E_IO,            /* system call failed; detail holds errno text */
	DEPOT_E_NAME,          /* malformed archive name */
	DEPOT_E_ARCHIVE,       /* archive unreadable or unwritable */
	DEPOT_E_ABSOLUTE_PATH, /* entry with an absolute path */
	DEPOT_E_DOTDOT,        /* entry with a '..' component */
	DEPOT_E_LINK_ESCAPE,   /* symlink or hardlink leaving the archive */
	DEPOT_E_SPECIAL_FILE,  /* device, fifo or socket entry */
	DEPOT_E_TOO_LARGE,     /* content beyond the byte budget */
	DEPOT_E_TOO_MANY_ENTRIES, /* more entries than the entry limit */
	DEPOT_E_BAD_ENTRY,        /* empty or oversized entry name, duplicate */
	DEPOT_E_EXISTS,           /* version exists with different content */
	DEPOT_E_NOT_INSTALLED,    /* archive not in the depot */
	DEPOT_E_RECIPE,           /* recipe missing or malformed */
	DEPOT_E_NO_HASH,          /* recipe without hash file */
	DEPOT_E_NOT_BUMPED,       /* content changed, version did not */
	DEPOT_E_RUNTIME,          /* pkg runtime file invalid */
	DEPOT_E_ARCHIVES_LIST,    /* pkg archives file invalid */
	DEPOT_E_NETWORK,          /* connection failed, reset or TLS error */
	DEPOT_E_HTTP,             /* server answered with an error status */
	DEPOT_E_TIMEOUT,          /* server too slow */
	DEPOT_E_OVERSIZE,         /* more bytes than the expected length */
	DEPOT_E_TRUNCATED,        /* fewer bytes than the expected length */
	DEPOT_E_HASH_MISMATCH,    /* SHA-256 differs from the expected one */
	DEPOT_E_CYCLE,            /* dependency cycle */
	DEPOT_E_MODIFIED,         /* installed content differs from manifest */
	DEPOT_E_USAGE,            /* invalid argument from the caller */
	DEPOT_E_UNTRUSTED,        /* no verified length and sha256 for it */
	DEPOT_E_METADATA,    /* TUF metadata refused (detail: the attack) */
	DEPOT_E_SIGNING,     /* publishing: keys or signing failed */
	DEPOT_E_BUILD,       /* a build (depot/build.h) failed */
	DEPOT_E_INCOMPLETE,  /* a pkg whose listed archives are missing */
	DEPOT_E_UNPUBLISHED, /* publishing a pkg whose closure has holes */
	DEPOT_E_LAST
};

/* What an error is about: subject is quoted by the caller's message
 * (a path, an archive name, a URL); detail adds a reason or a remedy. */
struct depot_diag {
	char subject[1024];
	char detail[1024];
};

/* Words for an error code, lowercase, no final full stop. */
const char *depot_strerror(int code);

/* ---- archive names -------------------------------------------------- */

enum { DEPOT_PART_MAX = 96 };

/* user/kind/name/version, or user/bin/arch/name/version; arch is empty
 * for other kinds. Parts are [A-Za-z0-9._+-], not starting with '.'. */
struct depot_name {
	char user[DEPOT_PART_MAX];
	char kind[8];
	char arch[DEPOT_PART_MAX];
	char name[DEPOT_PART_MAX];
	char version[DEPOT_PART_MAX];
};

enum { DEPOT_NAME_MAX = 5 * DEPOT_PART_MAX };

int depot_name_parse(const char *text, struct depot_name *out,
                     struct depot_diag *diag);
/* Formats the name (which is also its path inside the depot). */
void depot_name_format(const struct depot_name *name, char out[DEPOT_NAME_MAX]);
int depot_kind_valid(const char *kind);
int depot_part_valid(const char *part);

/* ---- SHA-256 --------------------------------------------------------- */

enum { DEPOT_SHA256_LEN = 32, DEPOT_SHA256_HEX = 65 };

void depot_sha256_hex(const uint8_t hash[DEPOT_SHA256_LEN],
                      char out[DEPOT_SHA256_HEX]);
int depot_sha256_parse(const char *hex, uint8_t hash[DEPOT_SHA256_LEN]);
int depot_sha256_file(const char *path, uint8_t hash[DEPOT_SHA256_LEN],
                      uint64_t *length, struct depot_diag *diag);
/* The same for an open file, read to its end and closed; `label` names it
 * in diagnostics. */
int depot_sha256_fd(int fd, const char *label, uint8_t hash[DEPOT_SHA256_LEN],
                    uint64_t *length, struct depot_diag *diag);

/* ---- reproducible archives ------------------------------------------ */

/* The content of an archive: files and directories taken from disk, each
 * with the path it gets inside the archive. Entries are kept sorted by
 * archive path; a directory added brings everything beneath it. */
struct depot_content;

struct depot_content *depot_content_new(void);
void depot_content_free(struct depot_content *content);
/* Adds `source` (file, directory tree or symlink) as `archive_path`. */
int depot_content_add(struct depot_content *content, const char *source,
                      const char *archive_path, struct depot_diag *diag);

/* SHA-256 of the normalized, uncompressed tar stream of the content: the
 * recipe's content hash. */
int depot_content_hash(const struct depot_content *content,
                       uint8_t hash[DEPOT_SHA256_LEN], struct depot_diag *diag);
/* Writes the content as a reproducible .tar.zst: sorted entries, mtime 0,
 * uid/gid 0, no user or group names, modes 0755/0644, pax-restricted
 * headers. Same content, bit-identical file. Writes atomically. */
int depot_archive_create(const struct depot_content *content,
                         const char *out_path, struct depot_diag *diag);

/* ---- safe installation ---------------------------------------------- */

struct depot_limits {
	uint64_t max_bytes;   /* budget of extracted content bytes */
	uint64_t max_entries; /* budget of archive entries */
};

/* Defaults: 1 GiB, 100000 entries. */
struct depot_limits depot_limits_default(void);

/* Removes staging directories left behind by killed runs. */
int depot_staging_cleanup(const char *depot, struct depot_diag *diag);

/* Gets each leftover of the download cache, as a path below the depot
 * (".download/alice/raw/beta/1.tar.zst.part"). */
typedef void (*depot_leftover_fn)(void *ctx, const char *path);

/* Removes what killed or failed downloads left in <depot>/.download/:
 * every file no running transfer holds (a .part being written is
 * flock'ed; fetch.c resumes a held-over .part only when the same archive
 * is fetched again), then the directories that became empty. With
 * `remove` 0 it only reports what it would remove. */
int depot_download_cleanup(const char *depot, int remove,
                           depot_leftover_fn report, void *ctx,
                           struct depot_diag *diag);

/* Removes the pkgs that killed or failed closure installs left in
 * <depot>/.pending/ (fetched and verified, waiting for their closure),
 * reporting each as ".pending/<user>/pkg/<name>/<version>", unless a
 * closure install runs (it holds <depot>/.pending.lock shared): then
 * nothing. With `remove` 0 it only reports. */
int depot_pending_cleanup(const char *depot, int remove,
                          depot_leftover_fn report, void *ctx,
                          struct depot_diag *diag);

/* Extracts `archive_file` (.tar.zst or .tar.xz) into the depot as `name`.
 * Refuses hostile content (see the DEPOT_E_* codes) and leaves nothing in
 * the depot when it does. Installing an already installed archive is a
 * no-op. */
int depot_install(const char *depot, const struct depot_name *name,
                  const char *archive_file, const struct depot_limits *limits,
                  struct depot_diag *diag);
int depot_installed(const char *depot, const struct depot_name *name);
/* Rechecks an installed archive against its manifest. */
int depot_verify(const char *depot, const struct depot_name *name,
                 struct depot_diag *diag);
/* Removes an installed archive (directory and manifest), atomically. */
int depot_remove(const char *depot, const struct depot_name *name,
                 struct depot_diag *diag);

/* Calls `fn` for every installed archive, in sorted order. */
typedef int (*depot_archive_fn)(void *ctx, const struct depot_name *name);
int depot_list(const char *depot, depot_archive_fn fn, void *ctx,
               struct depot_diag *diag);

/*
 * Reads the installed file `path` (relative: "alice/pkg/p/1/runtime") below
 * the directory `root` (a depot, or a target's depot/), the way core serves
 * depot files: openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV, so the kernel resolves it and
 * no link of any archive is followed; a regular file only, opened
 * non-blocking so that a fifo cannot hold the reader. At most `max` bytes
 * into *out (NUL-terminated, for free()) and *length. Missing:
 * DEPOT_E_NOT_INSTALLED; a link, '..' or another file system on the way:
 * DEPOT_E_LINK_ESCAPE; not a regular file: DEPOT_E_SPECIAL_FILE; longer
 * than max: DEPOT_E_TOO_LARGE. For host tools that read what a depot
 * holds (sculpt reads pkg runtime files of a target this way).
 */
int depot_read_installed(const char *root, const char *path, size_t max,
                         char **out, size_t *length, struct depot_diag *diag);

/* ---- recipes --------------------------------------------------------- */

struct depot_recipe_paths {
	const char *recipes; /* the recipes/ directory */
	const char *root;    /* repository root that content paths start at */
};

/* Computes the content of recipe kind/name; fills version from the hash
 * file and `hash` with the content hash. DEPOT_E_NO_HASH / NOT_BUMPED when
 * the hash file is missing or stale (detail holds the command to run). */
int depot_recipe_check(const struct depot_recipe_paths *paths, const char *kind,
                       const char *name, char version[DEPOT_PART_MAX],
                       uint8_t hash[DEPOT_SHA256_LEN], struct depot_diag *diag);
/* Creates <depot>/<user>/<kind>/<name>/<version>.tar.zst from a recipe;
 * `out_path` receives the file's path. */
int depot_recipe_create(const struct depot_recipe_paths *paths,
                        const char *depot, const char *user, const char *kind,
                        const char *name, char out_path[4096],
                        struct depot_diag *diag);
/* Records the current content hash under a new version: today's date
 * (UTC, YYYY-MM-DD), with a letter suffix when that version exists. */
int depot_recipe_bump(const struct depot_recipe_paths *paths, const char *kind,
                      const char *name, time_t now,
                      char version[DEPOT_PART_MAX], struct depot_diag *diag);

/* ---- pkg content ----------------------------------------------------- */

/* Validates a pkg runtime file (JSON: ram, caps, binary, config,
 * requires, provides, roms). */
int depot_runtime_validate(const char *json, size_t length,
                           struct depot_diag *diag);
/* Parses a pkg archives file: one archive name per line, '#' comments.
 * `fn` is called for each. */
int depot_archives_parse(const char *text, size_t length, depot_archive_fn fn,
                         void *ctx, struct depot_diag *diag);

/* ---- transfers ------------------------------------------------------- */

/* A consumer of a file's bytes while they arrive, so that work on them
 * (decompressing, extracting into a staging directory) overlaps the
 * transfer. The bytes are unverified until the transfer's result says so:
 * a consumer commits nothing before. Called from depot_fetch's thread. */
struct depot_sink {
	void *ctx;
	/* The file starts (again) at its first byte: forget earlier bytes. */
	void (*start)(void *ctx);
	/* The next bytes of the file, in order. */
	void (*data)(void *ctx, const void *bytes, size_t length);
	/* No more bytes come; the target's result says if they verified. */
	void (*done)(void *ctx, int result);
};

/* One file to fetch. The trust layer supplies length and sha256 (from
 * verified TUF targets metadata); the transfer refuses anything else. */
struct depot_target {
	const char *path; /* URL path below each mirror, no leading '/' */
	const char *dest; /* local file to produce */
	uint64_t length;  /* exact expected length */
	uint8_t sha256[DEPOT_SHA256_LEN];
	int result;                    /* out: 0 or DEPOT_E_* */
	struct depot_diag diag;        /* out: about the result */
	const struct depot_sink *sink; /* optional: gets the bytes as they
	                                  arrive (NULL: none) */
};

enum { DEPOT_MIN_RATE = 4096, DEPOT_CONNECT_TIMEOUT_S = 30 };

/* How far a transfer (depot_fetch) or a closure install has come. A
 * closure install learns a pkg's list only once the pkg arrived, so its
 * `total` and `bytes_total` grow from round to round. */
struct depot_progress {
	size_t done, total;   /* archives (files) finished, known */
	uint64_t bytes;       /* bytes there, resumed .part bytes included */
	uint64_t bytes_total; /* signed lengths of the files fetched */
	uint64_t fetched;     /* bytes that came over the network */
	uint64_t elapsed_ms;  /* since the transfer or install began */
	int final;            /* the last call of the transfer/install */
};

/* What became of one archive of a closure install (depot_install_report). */
enum depot_fate {
	DEPOT_FATE_PRESENT,   /* installed before and intact: left alone */
	DEPOT_FATE_INSTALLED, /* fetched, verified and installed */
	DEPOT_FATE_DAMAGED,   /* installed but no longer what its manifest
	                         says (diag: what differs): fetched again; the
	                         old copy stays until the new one verified */
	DEPOT_FATE_REPAIRED,  /* a damaged one, replaced by a verified copy */
};

/* Optional reports of a transfer or closure install; every member may be
 * NULL. Called from the caller's thread. */
struct depot_install_report {
	void *ctx;
	/* At most ten times a second, and once with `final` set. */
	void (*progress)(void *ctx, const struct depot_progress *progress);
	/* A closure install: DEPOT_FATE_DAMAGED when found; once it
	 * succeeded, every archive of the closure once (dependencies first)
	 * with PRESENT, INSTALLED or REPAIRED. */
	void (*archive)(void *ctx, const struct depot_name *name,
	                enum depot_fate fate, const struct depot_diag *diag);
};

/* A depot_install_report.progress that draws one line on stderr, redrawn
 * in place ("\r"): archives done of total, bytes, the network rate, and
 * a newline with `final`. `ctx` is unused. */
void depot_progress_draw(void *ctx, const struct depot_progress *progress);

struct depot_fetch_options {
	const char *const *mirrors; /* base URLs, tried in order */
	size_t mirror_count;
	const char *ca_file;    /* NULL: system CAs */
	long connect_timeout_s; /* 0: 30 */
	long low_speed_bytes;   /* abort below this rate ... (0: 1) */
	long low_speed_time_s;  /* ... sustained this long (0: 30) */
	/* Slow retrieval: every attempt has a deadline of the connect
	 * timeout plus its expected bytes (still to come) at this rate, in
	 * bytes per second (0: DEPOT_MIN_RATE); past it, the next mirror. */
	uint64_t min_rate;
	/* Optional: told each time a mirror failed and the next one is
	 * tried (diag: the mirror's URL and why), so a caller can say which
	 * mirror was slow or broken even when the next one succeeds. */
	void (*mirror_failed)(void *ctx, int code,
	                      const struct depot_diag *diag);
	void *mirror_failed_ctx;
	unsigned parallel; /* concurrent transfers (0: 4) */
	int progress;      /* draw progress on stderr
	                               (depot_progress_draw), unless
	                               report->progress is given */
	const struct depot_install_report *report; /* optional */
};

/* Fetches every target, in parallel, resuming <dest>.part files left by an
 * earlier run, verifying length and SHA-256 while bytes arrive. On success
 * <dest> holds the verified file. Returns 0 when all succeeded, else the
 * first target's error (each target has its own result). */
int depot_fetch(const struct depot_fetch_options *options,
                struct depot_target *targets, size_t count);

/* Fetches one small file of unknown length (at most `max_length` bytes)
 * from the full `url` into a malloc'd *data, with the TLS, timeout and
 * protocol settings of `options` (its mirrors are not used). More bytes
 * give DEPOT_E_OVERSIZE; *http_status receives the server's status (0
 * when none came), so a caller can tell 404 from other failures. */
int depot_fetch_buffer(const struct depot_fetch_options *options,
                       const char *url, size_t max_length, uint8_t **data,
                       size_t *length, long *http_status,
                       struct depot_diag *diag);

/* ---- closures -------------------------------------------------------- */

/* Calls `fn` for every archive that installed pkg `root` needs (the pkg
 * itself, its archives list, nested pkgs; src archives replaced by
 * bin/<arch>), each once, in dependency-first order. A cycle gives
 * DEPOT_E_CYCLE with the cycle in detail. An empty root version means the
 * newest installed one. */
int depot_closure(const char *depot, const struct depot_name *root,
                  const char *arch, depot_archive_fn fn, void *ctx,
                  struct depot_diag *diag);

/* ---- where the trust layer plugs in --------------------------------- */

/* Answers, for one archive, the length and SHA-256 that verified metadata
 * (TUF targets) records for it: 0, or DEPOT_E_UNTRUSTED (or another code)
 * with a diagnostic when it has none. `limits` comes in as the caller's
 * extraction limits; the trust layer lowers them to the archive's signed
 * unpacked size and entry count when its metadata carries them (custom
 * target fields DEPOT_CUSTOM_UNPACKED, DEPOT_CUSTOM_ENTRIES), so that an
 * unverified stream is never extracted beyond what the archive is. */
typedef int (*depot_trust_fn)(void *ctx, const struct depot_name *name,
                              uint64_t *length,
                              uint8_t sha256[DEPOT_SHA256_LEN],
                              struct depot_limits *limits,
                              struct depot_diag *diag);
#define DEPOT_CUSTOM_UNPACKED "unpacked_bytes"
#define DEPOT_CUSTOM_ENTRIES "entries"

/* Installs pkg `root` (with a version) and everything it needs for `arch`:
 * round by round, finds what the closure lacks, asks `trust` for each
 * archive's length and SHA-256, fetches the lacking ones in parallel from
 * <mirror>/<name>.tar.zst via <depot>/.download/, and installs them, until
 * nothing lacks. An archive is installed only after it verified; a
 * refusal stops the install with what was refused in diag. An installed
 * archive of the closure is checked against its manifest first (as
 * depot_verify, without a pkg's list): a damaged one counts as lacking,
 * and its verified new copy takes the old one's place in one rename
 * (options->report hears of it). */
int depot_install_closure(const char *depot, const struct depot_name *root,
                          const char *arch,
                          const struct depot_fetch_options *options,
                          const struct depot_limits *limits,
                          depot_trust_fn trust, void *trust_ctx,
                          struct depot_diag *diag);

/* ---- trust: TUF repositories (trust.c, download.c, publish.c) ------ */

/* A public tree, as `depot publish` writes it and any static web server
 * serves it:
 *   <tree>/metadata/   TUF metadata (consistent snapshots): root, targets
 *                      delegating "<user>/..." to one role per user,
 *                      the user roles, snapshot, timestamp
 *   <tree>/targets/<archive name>.tar.zst           the archives, and
 *   <tree>/targets/<dir of name>/<sha256>.<version>.tar.zst   the same
 *                      file under its consistent-snapshot name
 * Its TUF target names are the archive names with ".tar.zst". A client
 * keeps one trusted-metadata directory per repository:
 * <depot>/.trust/<repo>/ (root.json imported by hand, the rest refreshed
 * and verified on each download). */

enum { DEPOT_KEYIDS_MAX = 16, DEPOT_KEYID_HEX = 65 };

/* What `depot trust import` shows about a root before anyone relies on it. */
struct depot_root_info {
	char sha256[DEPOT_SHA256_HEX]; /* of the file: its fingerprint */
	long long version;
	long long threshold; /* of the root role */
	size_t key_count;    /* root role's keys (first ones kept) */
	char keyids[DEPOT_KEYIDS_MAX][DEPOT_KEYID_HEX];
	char expires[32];
};

/* Checks that `root_file` is root metadata signed by its own threshold
 * and describes it, without trusting it: what a publisher shares. */
int depot_root_describe(const char *root_file, struct depot_root_info *info,
                        struct depot_diag *diag);

/* Trusts `root_file` as the root of repository `repo` (a plain name):
 * checks it is root metadata signed by its own threshold, then writes it
 * to <depot>/.trust/<repo>/root.json. Importing the same file again is a
 * no-op; another root for a repository that has one is DEPOT_E_EXISTS. */
int depot_trust_import(const char *depot, const char *repo,
                       const char *root_file, struct depot_root_info *info,
                       struct depot_diag *diag);

/* The verified metadata of one repository, refreshed from its mirrors
 * (base URLs of public trees: metadata from <mirror>/metadata/). */
struct depot_trust;

/* Loads the trusted root of `repo` and refreshes timestamp, snapshot and
 * targets through depot_fetch_buffer(), mirror after mirror. Any refusal
 * (rollback, freeze, mix-and-match, threshold, ...) is DEPOT_E_METADATA
 * with the attack named in detail. `now` 0 means the current time. */
int depot_trust_open(struct depot_trust **out, const char *depot,
                     const char *repo,
                     const struct depot_fetch_options *options, time_t now,
                     struct depot_diag *diag);
void depot_trust_free(struct depot_trust *trust);

/* Fills pkg->version with the newest version (byte order) of
 * <user>/<kind>/<name> that the user's verified role lists. */
int depot_trust_latest(struct depot_trust *trust, struct depot_name *pkg,
                       struct depot_diag *diag);

/* A depot_trust_fn (ctx: struct depot_trust): length and sha256 of
 * <name>.tar.zst as the verified targets metadata lists it, found by the
 * TUF delegation search; DEPOT_E_UNTRUSTED when no trusted role lists it. */
int depot_trust_lookup(void *trust, const struct depot_name *name,
                       uint64_t *length, uint8_t sha256[DEPOT_SHA256_LEN],
                       struct depot_limits *limits, struct depot_diag *diag);

/* Gets each archive a user's verified role lists, with its signed length. */
typedef void (*depot_listed_fn)(void *ctx, const struct depot_name *name,
                                uint64_t length);

/* Calls `fn` for every archive (target "<name>.tar.zst" with a valid
 * archive name) that user `user`'s role lists, after loading and
 * verifying that role: what `sculpt depot list` shows. Listing is not
 * trusting: an install looks each archive up again. */
int depot_trust_list(struct depot_trust *trust, const char *user,
                     depot_listed_fn fn, void *ctx, struct depot_diag *diag);

/* `depot download`: refreshes the metadata of `repo`, resolves pkg's
 * version when it is empty (filled in on return), and installs the pkg's
 * closure for `arch` from <mirror>/targets/ with depot_trust_lookup as
 * the trust callback. When anything fails, the archives this call
 * installed are removed again: the depot is as it was. */
int depot_download(const char *depot, const char *repo, struct depot_name *pkg,
                   const char *arch, const struct depot_fetch_options *options,
                   const struct depot_limits *limits, struct depot_diag *diag);

/* Where `depot publish` finds its keys: <dir>/<role>.key (private, PEM)
 * and <dir>/<role>.pub for the top-level roles root, targets, snapshot,
 * timestamp and for every user whose archives are published; more keys
 * of a top-level role as <dir>/<role>-2.key ... <role>-9.key. */
struct depot_publish_keys {
	const char *dir;
	const char *passphrase; /* of every private key; NULL: none */
};

struct depot_publish_options {
	time_t now; /* 0: the current time */
	/* Thresholds to set, by top-level role (0: keep). Setting one makes
	 * the role's keys every <role>[-N].pub of the keys directory. */
	unsigned threshold_root, threshold_targets, threshold_snapshot,
		threshold_timestamp;
	/* Key rotation: retire these public keys from their user's role
	 * (the user's current key is <dir>/<user>.pub). */
	const char *const *retire_users; /* user of each retired key */
	const char *const *retire_keys;  /* public key file of each */
	size_t retire_count;
	/* Key removal from top-level roles ("root", "targets", "snapshot",
	 * "timestamp"): the key in public key file remove_keys[i] leaves role
	 * remove_roles[i]; root is signed again (new version) by the old
	 * root's threshold and the new one. Refused while the key is still
	 * one of the keys directory's <role>[-N].pub, or when the role would
	 * keep fewer keys than its threshold. A root key's private half
	 * beside its .pub (same name, .key) signs this one rotation. */
	const char *const *remove_roles;
	const char *const *remove_keys;
	size_t remove_count;
};

/* Publishes archives `names` (each <depot>/<name>.tar.zst) into public
 * tree `tree`, creating the repository on first use: signs each archive's
 * name, length and sha256 into its user's role, then snapshot and
 * timestamp. All work happens in a copy of the tree beside it
 * (<tree>.publish-<pid>) that replaces the tree in one rename, so readers
 * and failures never see a half-published tree. */
int depot_publish(const char *depot, const char *tree,
                  const struct depot_publish_keys *keys,
                  const struct depot_name *names, size_t count,
                  const struct depot_publish_options *options,
                  struct depot_diag *diag);

/* Re-signs <tree>/metadata/timestamp.json with a new version and expiry
 * (one day) with <dir>/timestamp*.key: what a server's timer runs. */
int depot_publish_timestamp(const char *tree,
                            const struct depot_publish_keys *keys, time_t now,
                            struct depot_diag *diag);

#endif
