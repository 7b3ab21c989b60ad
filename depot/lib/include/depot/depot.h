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
	DEPOT_E_NOMEM = 1000,    /* out of memory */
	DEPOT_E_IO,              /* system call failed; detail holds errno text */
	DEPOT_E_NAME,            /* malformed archive name */
	DEPOT_E_ARCHIVE,         /* archive unreadable or unwritable */
	DEPOT_E_ABSOLUTE_PATH,   /* entry with an absolute path */
	DEPOT_E_DOTDOT,          /* entry with a '..' component */
	DEPOT_E_LINK_ESCAPE,     /* symlink or hardlink leaving the archive */
	DEPOT_E_SPECIAL_FILE,    /* device, fifo or socket entry */
	DEPOT_E_TOO_LARGE,       /* content beyond the byte budget */
	DEPOT_E_TOO_MANY_ENTRIES,/* more entries than the entry limit */
	DEPOT_E_BAD_ENTRY,       /* empty or oversized entry name, duplicate */
	DEPOT_E_EXISTS,          /* version exists with different content */
	DEPOT_E_NOT_INSTALLED,   /* archive not in the depot */
	DEPOT_E_RECIPE,          /* recipe missing or malformed */
	DEPOT_E_NO_HASH,         /* recipe without hash file */
	DEPOT_E_NOT_BUMPED,      /* content changed, version did not */
	DEPOT_E_RUNTIME,         /* pkg runtime file invalid */
	DEPOT_E_ARCHIVES_LIST,   /* pkg archives file invalid */
	DEPOT_E_NETWORK,         /* connection failed, reset or TLS error */
	DEPOT_E_HTTP,            /* server answered with an error status */
	DEPOT_E_TIMEOUT,         /* server too slow */
	DEPOT_E_OVERSIZE,        /* more bytes than the expected length */
	DEPOT_E_TRUNCATED,       /* fewer bytes than the expected length */
	DEPOT_E_HASH_MISMATCH,   /* SHA-256 differs from the expected one */
	DEPOT_E_CYCLE,           /* dependency cycle */
	DEPOT_E_MODIFIED,        /* installed content differs from manifest */
	DEPOT_E_USAGE,           /* invalid argument from the caller */
	DEPOT_E_UNTRUSTED,       /* no verified length and sha256 for it */
	DEPOT_E_BUILD,           /* a build (depot/build.h) failed */
	DEPOT_E_LAST
};

/* What an error is about: subject is quoted by the caller's message
 * (a path, an archive name, a URL); detail adds a reason or a remedy. */
struct depot_diag {
	char subject[1024];
	char detail[512];
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
void depot_name_format(const struct depot_name *name,
                       char out[DEPOT_NAME_MAX]);
int depot_kind_valid(const char *kind);
int depot_part_valid(const char *part);

/* ---- SHA-256 --------------------------------------------------------- */

enum { DEPOT_SHA256_LEN = 32, DEPOT_SHA256_HEX = 65 };

void depot_sha256_hex(const uint8_t hash[DEPOT_SHA256_LEN],
                      char out[DEPOT_SHA256_HEX]);
int depot_sha256_parse(const char *hex, uint8_t hash[DEPOT_SHA256_LEN]);
int depot_sha256_file(const char *path, uint8_t hash[DEPOT_SHA256_LEN],
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
                       uint8_t hash[DEPOT_SHA256_LEN],
                       struct depot_diag *diag);
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

/* ---- recipes --------------------------------------------------------- */

struct depot_recipe_paths {
	const char *recipes; /* the recipes/ directory */
	const char *root;    /* repository root that content paths start at */
};

/* Computes the content of recipe kind/name; fills version from the hash
 * file and `hash` with the content hash. DEPOT_E_NO_HASH / NOT_BUMPED when
 * the hash file is missing or stale (detail holds the command to run). */
int depot_recipe_check(const struct depot_recipe_paths *paths,
                       const char *kind, const char *name,
                       char version[DEPOT_PART_MAX],
                       uint8_t hash[DEPOT_SHA256_LEN],
                       struct depot_diag *diag);
/* Creates <depot>/<user>/<kind>/<name>/<version>.tar.zst from a recipe;
 * `out_path` receives the file's path. */
int depot_recipe_create(const struct depot_recipe_paths *paths,
                        const char *depot, const char *user,
                        const char *kind, const char *name,
                        char out_path[4096], struct depot_diag *diag);
/* Records the current content hash under a new version: today's date
 * (UTC, YYYY-MM-DD), with a letter suffix when that version exists. */
int depot_recipe_bump(const struct depot_recipe_paths *paths,
                      const char *kind, const char *name, time_t now,
                      char version[DEPOT_PART_MAX], struct depot_diag *diag);

/* ---- pkg content ----------------------------------------------------- */

/* Validates a pkg runtime file (JSON: ram, caps, binary, config,
 * requires, provides, roms). */
int depot_runtime_validate(const char *json, size_t length,
                           struct depot_diag *diag);
/* Parses a pkg archives file: one archive name per line, '#' comments.
 * `fn` is called for each. */
int depot_archives_parse(const char *text, size_t length,
                         depot_archive_fn fn, void *ctx,
                         struct depot_diag *diag);

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
	const char *path;        /* URL path below each mirror, no leading '/' */
	const char *dest;        /* local file to produce */
	uint64_t length;         /* exact expected length */
	uint8_t sha256[DEPOT_SHA256_LEN];
	int result;              /* out: 0 or DEPOT_E_* */
	struct depot_diag diag;  /* out: about the result */
	const struct depot_sink *sink; /* optional: gets the bytes as they
	                                  arrive (NULL: none) */
};

struct depot_fetch_options {
	const char *const *mirrors; /* base URLs, tried in order */
	size_t mirror_count;
	const char *ca_file;        /* NULL: system CAs */
	long connect_timeout_s;     /* 0: 30 */
	long low_speed_bytes;       /* abort below this rate ... (0: 1) */
	long low_speed_time_s;      /* ... sustained this long (0: 30) */
	unsigned parallel;          /* concurrent transfers (0: 4) */
	int progress;               /* draw progress on stderr */
};

/* Fetches every target, in parallel, resuming <dest>.part files left by an
 * earlier run, verifying length and SHA-256 while bytes arrive. On success
 * <dest> holds the verified file. Returns 0 when all succeeded, else the
 * first target's error (each target has its own result). */
int depot_fetch(const struct depot_fetch_options *options,
                struct depot_target *targets, size_t count);

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
 * with a diagnostic when it has none. */
typedef int (*depot_trust_fn)(void *ctx, const struct depot_name *name,
                              uint64_t *length,
                              uint8_t sha256[DEPOT_SHA256_LEN],
                              struct depot_diag *diag);

/* Installs pkg `root` (with a version) and everything it needs for `arch`:
 * round by round, finds what the closure lacks, asks `trust` for each
 * archive's length and SHA-256, fetches the lacking ones in parallel from
 * <mirror>/<name>.tar.zst via <depot>/.download/, and installs them, until
 * nothing lacks. An archive is installed only after it verified; a
 * refusal stops the install with what was refused in diag. */
int depot_install_closure(const char *depot, const struct depot_name *root,
                          const char *arch,
                          const struct depot_fetch_options *options,
                          const struct depot_limits *limits,
                          depot_trust_fn trust, void *trust_ctx,
                          struct depot_diag *diag);

#endif
