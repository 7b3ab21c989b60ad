/*
 * `depot publish` and `depot timestamp`: the repository side. Turns a
 * depot's archive files into a public tree that any static web server can
 * serve (layout in depot.h): the archives under targets/ (by name, and by
 * consistent-snapshot name <sha256>.<version>.tar.zst) and TUF metadata
 * under metadata/, signed with libtuf's repository functions, each
 * archive's name, length and sha256 in its user's delegated role.
 *
 * A pkg is published only with its whole closure (publish_closure.h).
 * Nothing is ever half-published: the work happens in a copy of the tree
 * beside it (hard links, cheap; libtuf and this file only ever replace
 * files by rename, so the links never change the original), and the copy
 * takes the tree's place in one renameat2(RENAME_EXCHANGE).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tuf.h>

#include <grow/grow.h>

#include "diag.h"
#include "extract.h"
#include "fsutil.h"
#include "publish_closure.h"

static const char *const top_roles[] = { "root", "targets", "snapshot",
	                                 "timestamp" };
enum { EXTRA_KEYS_MAX = 9 };

static int signing_failed(struct depot_diag *diag, int code,
                          const char *subject, const struct tuf_error *e)
{
	return diag_set(diag, DEPOT_E_SIGNING, subject, "%s: %s",
	                tuf_strerror(code), e->message);
}

/* ---- the staging copy ------------------------------------------------ */

/* Copies bytes from fd `in` to fd `out`. */
static int copy_bytes(int in, int out)
{
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0)
				return -1;
			done += w;
		}
	return n < 0 ? -1 : 0;
}

/* `to` becomes a link to `from`, or (across file systems) a copy written
 * under a temporary name and renamed. */
static int copy_file(const char *from, const char *to, struct depot_diag *diag)
{
	char tmp[PATH_MAX];
	if (link(from, to) == 0)
		return DEPOT_OK;
	if (errno != EXDEV && errno != EPERM)
		return diag_errno(diag, to);
	int err = fs_pathf(tmp, diag, "%s.tmp-XXXXXX", to);
	int in = err ? -1 : open(from, O_RDONLY | O_CLOEXEC);
	int out = in < 0 ? -1 : mkstemp(tmp);
	if (!err && (in < 0 || out < 0))
		err = diag_errno(diag, in < 0 ? from : to);
	if (!err && (copy_bytes(in, out) < 0 || fchmod(out, 0644) < 0 ||
	             fsync(out) < 0 || rename(tmp, to) < 0))
		err = diag_errno(diag, to);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (err && out >= 0)
		unlink(tmp);
	return err;
}

/* Mirrors directory `from` as `to`: directories made, files linked. */
static int link_tree(const char *from, const char *to, struct depot_diag *diag)
{
	if (mkdir(to, 0755) < 0)
		return diag_errno(diag, to);
	DIR *dir = opendir(from);
	if (!dir)
		return diag_errno(diag, from);
	struct dirent *e;
	int err = DEPOT_OK;
	while (!err && (e = readdir(dir))) {
		char a[PATH_MAX], b[PATH_MAX];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		err = fs_pathf(a, diag, "%s/%s", from, e->d_name);
		if (!err)
			err = fs_pathf(b, diag, "%s/%s", to, e->d_name);
		if (!err && lstat(a, &st) < 0)
			err = diag_errno(diag, a);
		if (!err && S_ISDIR(st.st_mode))
			err = link_tree(a, b, diag);
		else if (!err && S_ISREG(st.st_mode))
			err = copy_file(a, b, diag);
	}
	closedir(dir);
	return err;
}

static int make_staging(const char *tree, char staging[PATH_MAX],
                        struct depot_diag *diag)
{
	struct stat st;
	int err = fs_pathf(staging, diag, "%s.publish-%ld", tree,
	                   (long)getpid());
	if (!err)
		err = fs_remove_tree(staging, diag);
	if (err)
		return err;
	if (stat(tree, &st) == 0)
		return link_tree(tree, staging, diag);
	if (errno != ENOENT)
		return diag_errno(diag, tree);
	return fs_mkdirs(staging, diag);
}

/* The staging copy becomes the tree; the old tree goes away. */
static int swap_in(const char *staging, const char *tree,
                   struct depot_diag *diag)
{
	if (renameat2(AT_FDCWD, staging, AT_FDCWD, tree, RENAME_EXCHANGE) == 0)
		return fs_remove_tree(staging, diag);
	if (errno != ENOENT)
		return diag_errno(diag, tree);
	return rename(staging, tree) < 0 ? diag_errno(diag, tree) : DEPOT_OK;
}

/* ---- keys ------------------------------------------------------------ */

static int key_path(char out[PATH_MAX], const struct depot_publish_keys *k,
                    const char *role, int number, const char *ext,
                    struct depot_diag *diag)
{
	return number <= 1 ? fs_pathf(out, diag, "%s/%s.%s", k->dir, role, ext)
	                   : fs_pathf(out, diag, "%s/%s-%d.%s", k->dir, role,
	                              number, ext);
}

/* Adds every key of top-level `role` in the keys directory as a signer,
 * and, when `threshold` is set, makes them the role's keys in root. */
static int add_top_signers(struct tuf_repo *r,
                           const struct depot_publish_keys *k, const char *role,
                           unsigned threshold, struct depot_diag *diag)
{
	for (int number = 1; number <= EXTRA_KEYS_MAX; number++) {
		char key[PATH_MAX], pub[PATH_MAX];
		struct tuf_error e = { 0 };
		int err = key_path(key, k, role, number, "key", diag);
		if (!err)
			err = key_path(pub, k, role, number, "pub", diag);
		if (err)
			return err;
		if (access(key, F_OK) != 0)
			continue;
		int code = tuf_repo_add_signer(r, role, key, k->passphrase, &e);
		if (!code && threshold)
			code = tuf_repo_set_role_key(r, role, pub, 1, threshold,
			                             &e);
		if (code)
			return signing_failed(diag, code, key, &e);
	}
	return DEPOT_OK;
}

/* The users whose role and signer were added in this publish. */
struct users {
	char (*names)[DEPOT_PART_MAX];
	size_t count, capacity;
};

static int user_added(struct users *u, const char *user)
{
	for (size_t i = 0; i < u->count; i++)
		if (strcmp(u->names[i], user) == 0)
			return 1;
	void *grown = grow_array(u->names, &u->capacity, u->count + 1,
	                         sizeof *u->names);
	if (!grown)
		return -1;
	u->names = grown;
	snprintf(u->names[u->count++], DEPOT_PART_MAX, "%s", user);
	return 0;
}

/* Delegates to `user` with <dir>/<user>.pub and signs with its .key, once
 * per publish. */
static int add_user(struct tuf_repo *r, const struct depot_publish_keys *k,
                    struct users *done, const char *user,
                    struct depot_diag *diag)
{
	char key[PATH_MAX], pub[PATH_MAX];
	int added = user_added(done, user);
	if (added)
		return added < 0 ? diag_set(diag, DEPOT_E_NOMEM, user, NULL)
		                 : DEPOT_OK;
	struct tuf_error e = { 0 };
	int err = key_path(key, k, user, 1, "key", diag);
	if (!err)
		err = key_path(pub, k, user, 1, "pub", diag);
	if (err)
		return err;
	if (access(key, F_OK) != 0 || access(pub, F_OK) != 0)
		return diag_set(diag, DEPOT_E_SIGNING, key,
		                "user '%s' has no "
		                "key pair here; run 'depot keygen %s/%s'",
		                user, k->dir, user);
	int code = tuf_repo_add_user(r, user, pub, &e);
	if (!code)
		code = tuf_repo_add_signer(r, user, key, k->passphrase, &e);
	return code ? signing_failed(diag, code, key, &e) : DEPOT_OK;
}

static int create_repository(const char *staging,
                             const struct depot_publish_keys *k, time_t now,
                             struct depot_diag *diag)
{
	char keys[4][PATH_MAX];
	struct tuf_error e = { 0 };
	for (size_t i = 0; i < 4; i++) {
		int err = key_path(keys[i], k, top_roles[i], 1, "key", diag);
		if (err)
			return err;
		if (access(keys[i], F_OK) != 0)
			return diag_set(
				diag, DEPOT_E_SIGNING, keys[i],
				"a new "
				"repository needs the %s key; run 'depot "
				"keygen %s/%s'",
				top_roles[i], k->dir, top_roles[i]);
	}
	int code = tuf_repo_create(staging, keys[0], keys[1], keys[2], keys[3],
	                           k->passphrase, now, &e);
	return code ? signing_failed(diag, code, staging, &e) : DEPOT_OK;
}

static int open_repository(const char *staging,
                           const struct depot_publish_keys *k,
                           const struct depot_publish_options *o,
                           struct tuf_repo **r, struct depot_diag *diag)
{
	char root[PATH_MAX];
	struct tuf_error e = { 0 };
	int err = fs_pathf(root, diag, "%s/metadata/root.json", staging);
	if (!err && access(root, F_OK) != 0)
		err = create_repository(staging, k, o->now, diag);
	if (err)
		return err;
	int code = tuf_repo_open(r, staging, o->now, &e);
	if (code)
		return signing_failed(diag, code, staging, &e);
	const unsigned thresholds[4] = { o->threshold_root,
		                         o->threshold_targets,
		                         o->threshold_snapshot,
		                         o->threshold_timestamp };
	for (size_t i = 0; !err && i < 4; i++)
		err = add_top_signers(*r, k, top_roles[i], thresholds[i], diag);
	return err;
}

/* ---- archives -------------------------------------------------------- */

/* Places one archive in targets/ (by name and by consistent-snapshot
 * name) and lists it in its user's role. A version once published keeps
 * its content. */
static int add_archive(struct tuf_repo *r, const char *depot,
                       const char *staging, const struct depot_name *name,
                       struct depot_diag *diag)
{
	char text[DEPOT_NAME_MAX], source[PATH_MAX], dest[PATH_MAX];
	char hashed[PATH_MAX], hex[DEPOT_SHA256_HEX],
		target[DEPOT_NAME_MAX + 16];
	uint8_t hash[DEPOT_SHA256_LEN], old[DEPOT_SHA256_LEN];
	uint64_t length;
	struct depot_diag ignored = { 0 };
	depot_name_format(name, text);
	int err = fs_pathf(source, diag, "%s/%s.tar.zst", depot, text);
	if (!err)
		err = fs_pathf(dest, diag, "%s/targets/%s.tar.zst", staging,
		               text);
	if (!err)
		err = depot_sha256_file(source, hash, &length, diag);
	if (err)
		return err;
	depot_sha256_hex(hash, hex);
	if (depot_sha256_file(dest, old, NULL, &ignored) == DEPOT_OK &&
	    memcmp(old, hash, sizeof hash) != 0)
		return diag_set(diag, DEPOT_E_EXISTS, text,
		                "this version is "
		                "published with other content; bump the "
		                "version");
	err = fs_pathf(hashed, diag, "%.*s/%s.%s.tar.zst",
	               (int)(strrchr(dest, '/') - dest), dest, hex,
	               name->version);
	if (!err)
		err = fs_mkdirs_parent(dest, diag);
	if (!err && access(dest, F_OK) != 0)
		err = copy_file(source, dest, diag);
	if (!err && access(hashed, F_OK) != 0)
		err = copy_file(dest, hashed, diag);
	if (err)
		return err;
	uint64_t unpacked, entries;
	err = extract_measure(source, &unpacked, &entries, diag);
	if (err)
		return err;
	struct tuf_error e = { 0 };
	snprintf(target, sizeof target, "%s.tar.zst", text);
	int code = tuf_repo_add_target(r, name->user, target, length, hex, &e);
	if (!code)
		code = tuf_repo_set_target_custom(r, name->user, target,
		                                  DEPOT_CUSTOM_UNPACKED,
		                                  unpacked, &e);
	if (!code)
		code = tuf_repo_set_target_custom(r, name->user, target,
		                                  DEPOT_CUSTOM_ENTRIES, entries,
		                                  &e);
	return code ? signing_failed(diag, code, target, &e) : DEPOT_OK;
}

/* Finds the keys directory's <role>[-N].pub that holds the same key as
 * file `pub`: held[0] is '\0' when none does. */
static int find_in_keys_dir(const struct depot_publish_keys *k,
                            const char *role, const char *pub,
                            char held[PATH_MAX], struct depot_diag *diag)
{
	char *wanted = NULL, *have = NULL;
	size_t wanted_len, have_len;
	held[0] = '\0';
	int err = fs_read_file(pub, 65536, &wanted, &wanted_len, diag);
	for (int number = 1; !err && !held[0] && number <= EXTRA_KEYS_MAX;
	     number++) {
		struct depot_diag ignored = { 0 };
		err = key_path(held, k, role, number, "pub", diag);
		if (!err && (fs_read_file(held, 65536, &have, &have_len,
		                          &ignored) != DEPOT_OK ||
		             have_len != wanted_len ||
		             memcmp(have, wanted, have_len) != 0))
			held[0] = '\0';
		free(have);
		have = NULL;
	}
	free(wanted);
	return err;
}

/* Takes keys out of top-level roles (--remove-key ROLE=PUB). */
static int remove_top_keys(struct tuf_repo *r,
                           const struct depot_publish_keys *k,
                           const struct depot_publish_options *o,
                           struct depot_diag *diag)
{
	for (size_t i = 0; i < o->remove_count; i++) {
		const char *role = o->remove_roles[i], *pub = o->remove_keys[i];
		char held[PATH_MAX], key[PATH_MAX];
		size_t n = strlen(pub);
		struct tuf_error e = { 0 };
		int err = find_in_keys_dir(k, role, pub, held, diag);
		if (!err && held[0])
			err = diag_set(
				diag, DEPOT_E_SIGNING, pub,
				"this key is "
				"still '%s': move its .pub and .key out of "
				"'%s' first, or publishing would keep "
				"signing with it",
				held, k->dir);
		if (err)
			return err;
		int code = TUF_OK;
		/* the old root's threshold may need the removed key's signature
		 * on the new root */
		if (strcmp(role, "root") == 0 && n > 4 &&
		    strcmp(pub + n - 4, ".pub") == 0 &&
		    !fs_pathf(key, diag, "%.*s.key", (int)(n - 4), pub) &&
		    access(key, F_OK) == 0)
			code = tuf_repo_add_signer(r, "root", key,
			                           k->passphrase, &e);
		if (!code)
			code = tuf_repo_set_role_key(r, role, pub, 0, 0, &e);
		if (code)
			return signing_failed(diag, code, pub, &e);
	}
	return DEPOT_OK;
}

static int retire_keys(struct tuf_repo *r, const struct depot_publish_keys *k,
                       const struct depot_publish_options *o,
                       struct users *done, struct depot_diag *diag)
{
	for (size_t i = 0; i < o->retire_count; i++) {
		struct tuf_error e = { 0 };
		int err = add_user(r, k, done, o->retire_users[i], diag);
		if (err)
			return err;
		int code = tuf_repo_remove_user_key(r, o->retire_users[i],
		                                    o->retire_keys[i], &e);
		if (code)
			return signing_failed(diag, code, o->retire_keys[i],
			                      &e);
	}
	return DEPOT_OK;
}

static int publish_into(const char *depot, const char *staging,
                        const struct depot_publish_keys *k,
                        const struct depot_name *names, size_t count,
                        const struct depot_publish_options *o,
                        struct depot_diag *diag)
{
	struct tuf_repo *r = NULL;
	struct users done = { 0 };
	int err = open_repository(staging, k, o, &r, diag);
	if (!err)
		err = remove_top_keys(r, k, o, diag);
	if (!err)
		err = retire_keys(r, k, o, &done, diag);
	for (size_t i = 0; !err && i < count; i++) {
		err = add_user(r, k, &done, names[i].user, diag);
		if (!err)
			err = add_archive(r, depot, staging, &names[i], diag);
	}
	struct tuf_error e = { 0 };
	int code = err ? TUF_OK : tuf_repo_commit(r, &e);
	if (code)
		err = signing_failed(diag, code, staging, &e);
	tuf_repo_free(r);
	free(done.names);
	return err;
}

/* <tree>.lock, held while a publish or a timestamp changes the tree: two
 * at once would each start from the same tree and one would lose the
 * other's work. Closing *fd unlocks. */
static int lock_tree(const char *tree, int *fd, struct depot_diag *diag)
{
	char path[PATH_MAX];
	int err = fs_pathf(path, diag, "%s.lock", tree);
	if (!err)
		err = fs_mkdirs_parent(path, diag);
	if (err)
		return err;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return diag_errno(diag, path);
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return DEPOT_OK;
	close(*fd);
	return diag_set(diag, DEPOT_E_USAGE, tree,
	                "another publish or "
	                "timestamp is changing this tree; try again when it "
	                "is done");
}

int depot_publish(const char *depot, const char *tree,
                  const struct depot_publish_keys *keys,
                  const struct depot_name *names, size_t count,
                  const struct depot_publish_options *options,
                  struct depot_diag *diag)
{
	char staging[PATH_MAX];
	struct depot_diag ignored = { 0 };
	struct depot_publish_options o = *options;
	if (!o.now)
		o.now = time(NULL);
	int lock;
	int err = lock_tree(tree, &lock, diag);
	if (err)
		return err;
	err = publish_check_closure(depot, tree, names, count, diag);
	if (!err)
		err = make_staging(tree, staging, diag);
	if (!err)
		err = publish_into(depot, staging, keys, names, count, &o,
		                   diag);
	if (!err)
		err = swap_in(staging, tree, diag);
	if (err)
		fs_remove_tree(staging, &ignored);
	close(lock);
	return err;
}

int depot_publish_timestamp(const char *tree,
                            const struct depot_publish_keys *keys, time_t now,
                            struct depot_diag *diag)
{
	struct tuf_repo *r = NULL;
	struct tuf_error e = { 0 };
	int lock;
	int err = lock_tree(tree, &lock, diag);
	if (err)
		return err;
	int code = tuf_repo_open(&r, tree, now, &e);
	if (code)
		err = signing_failed(diag, code, tree, &e);
	if (!err)
		err = add_top_signers(r, keys, "timestamp", 0, diag);
	if (!err && (code = tuf_repo_refresh_timestamp(r, &e)))
		err = signing_failed(diag, code, tree, &e);
	tuf_repo_free(r);
	close(lock);
	return err;
}
