/*
 * Safe extraction of untrusted archives. Every entry is checked before
 * anything is written (decode), then written below the destination by
 * libarchive's disk writer with its own secure-path checks as a second
 * line of defence (invoke):
 *   - absolute paths, '..' components, empty or control-character names;
 *   - device, fifo and socket entries;
 *   - symlinks that do not resolve, within the archive itself, to an entry
 *     of the archive (see resolve_link: the rule does not depend on where
 *     the archive is extracted or installed), and entries below a symlink;
 *   - hardlinks to anything but a regular file extracted before;
 *   - more content bytes than the budget (counted as data is decompressed,
 *     never trusting the sizes headers declare) or more entries than the
 *     limit (a decompression bomb stops early).
 * The caller extracts into a staging directory and renames it into place.
 */
#include <errno.h>
#include <limits.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <grow/grow.h>

#include "content.h"
#include "diag.h"
#include "extract.h"
#include "fsutil.h"

/* Every entry extracted so far, in a search tree (tsearch), to refuse
 * duplicates and to check hardlink targets; symlinks also in a list, for
 * the check after extraction. */
struct node {
	char type;     /* 'f', 'd' or 'l' */
	char implicit; /* a parent directory the archive did not list */
	char hash[DEPOT_SHA256_HEX];
	const char
		*target; /* a symlink's target (stored after path), or NULL */
	char path[];
};

/* As many symlinks as Linux follows in one path resolution (ELOOP). */
enum { LINK_HOPS_MAX = 40 };

struct extraction {
	struct archive *in, *out;
	const char *dest;
	const struct depot_limits *limits;
	uint64_t bytes, entries;
	void *tree;
	const struct node **links;
	size_t link_count, link_capacity;
	FILE *manifest;
	struct depot_diag *diag;
};

static int compare_nodes(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->path,
	              ((const struct node *)b)->path);
}

static const struct node *find_node(const struct extraction *x,
                                    const char *path)
{
	size_t n = strlen(path);
	struct node *key = malloc(sizeof *key + n + 1);
	if (!key)
		return NULL;
	memcpy(key->path, path, n + 1);
	void *found = tfind(key, &x->tree, compare_nodes);
	free(key);
	return found ? *(const struct node **)found : NULL;
}

/* Records an entry; the caller has checked it is not a duplicate.
 * `target` is a symlink's target, NULL for other types. */
static int add_node(struct extraction *x, const char *path, char type,
                    char implicit, const char *hash, const char *target)
{
	size_t n = strlen(path), t = target ? strlen(target) + 1 : 0;
	struct node *node = malloc(sizeof *node + n + 1 + t);
	if (!node)
		return DEPOT_E_NOMEM;
	node->type = type;
	node->implicit = implicit;
	snprintf(node->hash, sizeof node->hash, "%s", hash);
	memcpy(node->path, path, n + 1);
	node->target = target ? memcpy(node->path + n + 1, target, t) : NULL;
	if (!tsearch(node, &x->tree, compare_nodes)) {
		free(node);
		return DEPOT_E_NOMEM;
	}
	if (type != 'l')
		return DEPOT_OK;
	void *grown = grow_array(
		x->links, &x->link_capacity, x->link_count + 1,
		sizeof *x->links); // NOLINT(bugprone-sizeof-expression): the array holds pointers, so an element is a pointer
	if (!grown)
		return DEPOT_E_NOMEM;
	x->links = grown;
	x->links[x->link_count++] = node;
	return DEPOT_OK;
}

/* Strips leading "./" parts; tar writers commonly add them. */
static const char *strip_dot(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

static int has_control_chars(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int check_path(const char *path, struct depot_diag *diag)
{
	if (has_control_chars(path))
		return diag_set(diag, DEPOT_E_BAD_ENTRY, path,
		                "control characters in the name");
	int err = content_path_check(path);
	return err ? diag_set(diag, err, path, NULL) : DEPOT_OK;
}

/* Is any parent directory of `path` a symlink of the archive? Writing
 * below it would write wherever the link points. */
static const char *below_link(const struct extraction *x, const char *path)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", path);
	for (char *slash = strchr(parent, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		const struct node *node = find_node(x, parent);
		if (node && node->type == 'l')
			return node->path;
		*slash = '/';
	}
	return NULL;
}

/* Decode: checks the entry's type and links; changes nothing. */
static int check_entry(struct extraction *x, struct archive_entry *e,
                       const char *path)
{
	const char *hardlink = archive_entry_hardlink(e);
	mode_t type = archive_entry_filetype(e);
	const struct node *same = find_node(x, path);
	if (same && !(same->implicit && type == AE_IFDIR && !hardlink))
		return diag_set(x->diag, DEPOT_E_BAD_ENTRY, path,
		                "listed twice in the archive");
	const char *link = below_link(x, path);
	if (link)
		return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, path,
		                "below the symlink '%s'", link);
	if (hardlink) {
		const char *target = strip_dot(hardlink);
		const struct node *node = content_path_check(target)
		                                  ? NULL
		                                  : find_node(x, target);
		if (!node || node->type != 'f')
			return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, path,
			                "hardlink to '%s', not a file of this "
			                "archive",
			                hardlink);
		return DEPOT_OK;
	}
	if (type == AE_IFLNK) {
		const char *target = archive_entry_symlink(e);
		if (!target || target[0] == '/' || target[0] == '\0' ||
		    strlen(target) >= PATH_MAX)
			return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, path,
			                "symlink to '%s'",
			                target ? target : "");
		return DEPOT_OK; /* resolved once every entry is known */
	}
	if (type != AE_IFREG && type != AE_IFDIR)
		return diag_set(x->diag, DEPOT_E_SPECIAL_FILE, path, NULL);
	if (type == AE_IFREG && archive_entry_size_is_set(e) &&
	    (uint64_t)archive_entry_size(e) > x->limits->max_bytes - x->bytes)
		return diag_set(x->diag, DEPOT_E_TOO_LARGE, path,
		                "budget is %llu bytes",
		                (unsigned long long)x->limits->max_bytes);
	return DEPOT_OK;
}

static int archive_failed(struct archive *a, const char *subject,
                          struct depot_diag *diag)
{
	const char *why = archive_error_string(a);
	return diag_set(diag, DEPOT_E_ARCHIVE, subject, "%s",
	                why ? why : "libarchive error");
}

/* Copies an entry's data to disk, counting it against the budget. */
static int copy_data(struct extraction *x, const char *path,
                     char hex[DEPOT_SHA256_HEX])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return diag_set(x->diag, DEPOT_E_NOMEM, path, NULL);
	}
	int err = DEPOT_OK;
	for (;;) {
		const void *buf;
		size_t n;
		la_int64_t offset;
		int r = archive_read_data_block(x->in, &buf, &n, &offset);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK) {
			err = archive_failed(x->in, path, x->diag);
			break;
		}
		if (n > x->limits->max_bytes - x->bytes) {
			err = diag_set(x->diag, DEPOT_E_TOO_LARGE, path,
			               "budget is %llu bytes",
			               (unsigned long long)
			                       x->limits->max_bytes);
			break;
		}
		x->bytes += n;
		EVP_DigestUpdate(md, buf, n);
		if (archive_write_data_block(x->out, buf, n, offset) !=
		    ARCHIVE_OK) {
			err = archive_failed(x->out, path, x->diag);
			break;
		}
	}
	uint8_t hash[DEPOT_SHA256_LEN];
	if (!err) {
		EVP_DigestFinal_ex(md, hash, NULL);
		depot_sha256_hex(hash, hex);
	}
	EVP_MD_CTX_free(md);
	return err;
}

static void sha256_of_string(const char *s, char hex[DEPOT_SHA256_HEX])
{
	uint8_t hash[DEPOT_SHA256_LEN];
	EVP_Digest(s, strlen(s), hash, NULL, EVP_sha256(), NULL);
	depot_sha256_hex(hash, hex);
}

/* Rewrites the entry for the disk writer: path below dest, hardlink
 * target below dest, owner root, modes 0755/0644. */
static int normalize(struct extraction *x, struct archive_entry *e,
                     const char *path, const char *hardlink)
{
	char *full = fs_join(x->dest, path);
	char *link_full = hardlink ? fs_join(x->dest, strip_dot(hardlink))
	                           : NULL;
	if (!full || (hardlink && !link_full)) {
		free(full);
		free(link_full);
		return diag_set(x->diag, DEPOT_E_NOMEM, path, NULL);
	}
	mode_t type = archive_entry_filetype(e);
	int exec = (archive_entry_perm(e) & 0111) != 0;
	archive_entry_set_pathname(e, full);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (type == AE_IFDIR || (type == AE_IFREG && exec))
		archive_entry_set_perm(e, 0755);
	else if (type == AE_IFREG)
		archive_entry_set_perm(e, 0644);
	if (link_full) {
		/* A hard link is its target's inode, so it has the mode the
		 * target was given, whatever the entry says: the manifest
		 * records what verification will find on disk. */
		struct stat target;
		if (lstat(link_full, &target) != 0 ||
		    !S_ISREG(target.st_mode)) {
			free(full);
			free(link_full);
			return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, path,
			                "hardlink to '%s', not a file of this "
			                "archive",
			                hardlink);
		}
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, target.st_mode & 0777);
		archive_entry_set_hardlink(e, link_full);
		archive_entry_set_size(e, 0);
	}
	free(full);
	free(link_full);
	return DEPOT_OK;
}

/* Records the written entry in the tree and the manifest. A directory
 * first created as an implicit parent is already recorded. */
static int record(struct extraction *x, struct archive_entry *e,
                  const char *path, const char *hex)
{
	mode_t type = archive_entry_filetype(e);
	char kind = (char)(type == AE_IFDIR   ? 'd'
	                   : type == AE_IFLNK ? 'l'
	                                      : 'f');
	if (kind == 'd' && find_node(x, path))
		return DEPOT_OK;
	if (add_node(x, path, kind, 0, hex,
	             kind == 'l' ? archive_entry_symlink(e) : NULL))
		return diag_set(x->diag, DEPOT_E_NOMEM, path, NULL);
	unsigned mode = kind == 'l' ? 0777 : archive_entry_perm(e);
	fprintf(x->manifest, "%c %04o %s %s\n", kind, mode, hex, path);
	return DEPOT_OK;
}

/* Invoke: writes one checked entry below dest with normalized metadata,
 * and its manifest line. */
static int write_entry(struct extraction *x, struct archive_entry *e,
                       const char *path)
{
	/* Copied: normalize() replaces the entry's own string. */
	const char *link_raw = archive_entry_hardlink(e);
	char hardlink_buf[PATH_MAX];
	const char *hardlink = NULL;
	if (link_raw) {
		snprintf(hardlink_buf, sizeof hardlink_buf, "%s", link_raw);
		hardlink = hardlink_buf;
	}
	int err = normalize(x, e, path, hardlink);
	if (!err && archive_write_header(x->out, e) != ARCHIVE_OK)
		err = archive_failed(x->out, path, x->diag);
	char hex[DEPOT_SHA256_HEX] = "-";
	mode_t type = archive_entry_filetype(e);
	if (!err && hardlink)
		snprintf(hex, sizeof hex, "%s",
		         find_node(x, strip_dot(hardlink))->hash);
	else if (!err && type == AE_IFREG)
		err = copy_data(x, path, hex);
	else if (!err && type == AE_IFLNK)
		sha256_of_string(archive_entry_symlink(e), hex);
	if (!err && archive_write_finish_entry(x->out) != ARCHIVE_OK)
		err = archive_failed(x->out, path, x->diag);
	return err ? err : record(x, e, path, hex);
}

/* Records the parent directories of `path` that no entry listed before:
 * the disk writer creates them, so the manifest must know them. */
static int note_parents(struct extraction *x, const char *path)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", path);
	for (char *slash = strchr(parent, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (!find_node(x, parent)) {
			if (add_node(x, parent, 'd', 1, "-", NULL))
				return diag_set(x->diag, DEPOT_E_NOMEM, path,
				                NULL);
			fprintf(x->manifest, "d 0755 - %s\n", parent);
		}
		*slash = '/';
	}
	return DEPOT_OK;
}

static int next_entry(struct extraction *x, struct archive_entry *e)
{
	if (++x->entries > x->limits->max_entries)
		return diag_set(x->diag, DEPOT_E_TOO_MANY_ENTRIES,
		                archive_entry_pathname(e),
		                "limit is %llu entries",
		                (unsigned long long)x->limits->max_entries);
	const char *raw = archive_entry_pathname(e);
	if (!raw)
		return diag_set(x->diag, DEPOT_E_BAD_ENTRY, "",
		                "entry without "
		                "a name");
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s", strip_dot(raw));
	size_t n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	if (n == 0 || strcmp(path, ".") == 0)
		return DEPOT_OK; /* the archive root itself */
	int err = check_path(path, x->diag);
	if (!err)
		err = check_entry(x, e, path);
	if (!err)
		err = note_parents(x, path);
	if (!err)
		err = write_entry(x, e, path);
	return err;
}

/* Takes the next '/'-separated component off *rest into `out`. */
static void next_component(const char **rest, char out[PATH_MAX])
{
	size_t n = strcspn(*rest, "/");
	snprintf(out, PATH_MAX, "%.*s", (int)n, *rest);
	*rest += n + ((*rest)[n] == '/');
}

/* One step of resolve_link: `component` looked up below `dir` (both
 * relative to the archive root, "" being the root). Follows a symlink by
 * putting its target in front of `rest`. */
static int resolve_step(struct extraction *x, const struct node *link,
                        char dir[PATH_MAX], const char *component,
                        char rest[PATH_MAX], int *hops)
{
	if (strcmp(component, "..") == 0) {
		if (!dir[0])
			return diag_set(x->diag, DEPOT_E_LINK_ESCAPE,
			                link->path,
			                "symlink to '%s' resolves above the "
			                "archive's root",
			                link->target);
		char *slash = strrchr(dir, '/');
		*(slash ? slash : dir) = '\0';
		return DEPOT_OK;
	}
	char candidate[PATH_MAX];
	if (snprintf(candidate, sizeof candidate, "%s%s%s", dir,
	             dir[0] ? "/" : "", component) >= (int)sizeof candidate)
		return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, link->path,
		                "symlink resolves to a path too long");
	const struct node *node = find_node(x, candidate);
	if (!node)
		return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, link->path,
		                "symlink to '%s': '%s' is not in the archive "
		                "(dangling links are refused)",
		                link->target, candidate);
	if (node->type == 'f' && rest[0])
		return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, link->path,
		                "symlink to '%s': '%s' is a file, not a "
		                "directory",
		                link->target, candidate);
	if (node->type != 'l') {
		memcpy(dir, candidate, strlen(candidate) + 1);
		return DEPOT_OK;
	}
	if (++*hops > LINK_HOPS_MAX || node->target[0] == '/')
		return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, link->path,
		                "symlink to '%s' passes through '%s', %s",
		                link->target, candidate,
		                node->target[0] == '/' ? "an absolute link"
		                                       : "one link too many");
	char joined[PATH_MAX];
	if (snprintf(joined, sizeof joined, "%s/%s", node->target, rest) >=
	    (int)sizeof joined)
		return diag_set(x->diag, DEPOT_E_LINK_ESCAPE, link->path,
		                "symlink resolves to a path too long");
	memcpy(rest, joined, strlen(joined) + 1);
	return DEPOT_OK;
}

/* Resolves a symlink as the kernel would with the archive's root as '/'
 * and the archive's entries as the whole file system: other symlinks of
 * the archive are followed (so a deep link back to the root, used as a
 * prefix, is seen for what it is), '..' above the root, an absolute
 * link, a name the archive does not contain (dangling), a file used as a
 * directory and more than LINK_HOPS_MAX links are refused. Only the
 * archive's own entries are consulted, so the verdict is the same in
 * staging and at the installed place, and a link that passes this
 * resolves, on disk, to an entry of the archive. */
static int resolve_link(struct extraction *x, const struct node *link)
{
	char dir[PATH_MAX], rest[PATH_MAX], component[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", link->path);
	char *slash = strrchr(dir, '/');
	*(slash ? slash : dir) = '\0';
	snprintf(rest, sizeof rest, "%s", link->target);
	int hops = 0, err = DEPOT_OK;
	while (!err && rest[0]) {
		const char *p = rest;
		next_component(&p, component);
		memmove(rest, p, strlen(p) + 1);
		if (component[0] && strcmp(component, ".") != 0)
			err = resolve_step(x, link, dir, component, rest,
			                   &hops);
	}
	return err;
}

/* Once every entry is known: each symlink must resolve inside. */
static int check_links(struct extraction *x)
{
	int err = DEPOT_OK;
	for (size_t i = 0; !err && i < x->link_count; i++)
		err = resolve_link(x, x->links[i]);
	return err;
}

/* Opens the archive from `fd` when it is not -1, else from the file. */
static int open_streams(struct extraction *x, const char *archive_file, int fd)
{
	x->in = archive_read_new();
	x->out = archive_write_disk_new();
	if (!x->in || !x->out)
		return diag_set(x->diag, DEPOT_E_NOMEM, archive_file, NULL);
	archive_read_support_filter_zstd(x->in);
	archive_read_support_filter_xz(x->in);
	archive_read_support_format_tar(x->in);
	archive_write_disk_set_options(x->out,
	                               ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	                                       ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	                                       ARCHIVE_EXTRACT_NO_OVERWRITE |
	                                       ARCHIVE_EXTRACT_PERM);
	int r = fd >= 0 ? archive_read_open_fd(x->in, fd, 65536)
	                : archive_read_open_filename(x->in, archive_file,
	                                             65536);
	if (r != ARCHIVE_OK)
		return archive_failed(x->in, archive_file, x->diag);
	return DEPOT_OK;
}

static int extract_from(const char *archive_file, int fd, const char *dest,
                        const struct depot_limits *limits, FILE *manifest,
                        struct depot_diag *diag)
{
	/* The disk writer refuses symlinks and '..' anywhere in a path, so
	 * dest is used in its resolved form. */
	char real_dest[PATH_MAX];
	if (!realpath(dest, real_dest))
		return diag_errno(diag, dest);
	struct extraction x = { .dest = real_dest,
		                .limits = limits,
		                .manifest = manifest,
		                .diag = diag };
	int err = open_streams(&x, archive_file, fd);
	struct archive_entry *e;
	int r = ARCHIVE_OK;
	while (!err && (r = archive_read_next_header(x.in, &e)) == ARCHIVE_OK)
		err = next_entry(&x, e);
	if (!err && r != ARCHIVE_EOF)
		err = archive_failed(x.in, archive_file, diag);
	if (!err && archive_write_close(x.out) != ARCHIVE_OK)
		err = archive_failed(x.out, dest, diag);
	if (!err)
		err = check_links(&x);
	if (x.in)
		archive_read_free(x.in);
	if (x.out)
		archive_write_free(x.out);
	tdestroy(x.tree, free);
	free(x.links);
	return err;
}

int extract_measure(const char *archive_file, uint64_t *bytes,
                    uint64_t *entries, struct depot_diag *diag)
{
	struct archive *in = archive_read_new();
	if (!in)
		return diag_set(diag, DEPOT_E_NOMEM, archive_file, NULL);
	archive_read_support_filter_zstd(in);
	archive_read_support_filter_xz(in);
	archive_read_support_format_tar(in);
	*bytes = *entries = 0;
	int err = archive_read_open_filename(in, archive_file, 65536) !=
	                          ARCHIVE_OK
	                  ? archive_failed(in, archive_file, diag)
	                  : 0;
	struct archive_entry *e;
	int r = ARCHIVE_OK;
	while (!err && (r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const void *buf;
		size_t n;
		la_int64_t offset;
		++*entries;
		while ((r = archive_read_data_block(in, &buf, &n, &offset)) ==
		       ARCHIVE_OK)
			*bytes += n;
		if (r != ARCHIVE_EOF)
			err = archive_failed(in, archive_file, diag);
	}
	if (!err && r != ARCHIVE_EOF)
		err = archive_failed(in, archive_file, diag);
	archive_read_free(in);
	return err;
}

int extract_safe(const char *archive_file, const char *dest,
                 const struct depot_limits *limits, FILE *manifest,
                 struct depot_diag *diag)
{
	return extract_from(archive_file, -1, dest, limits, manifest, diag);
}

int extract_safe_fd(int fd, const char *label, const char *dest,
                    const struct depot_limits *limits, FILE *manifest,
                    struct depot_diag *diag)
{
	return extract_from(label, fd, dest, limits, manifest, diag);
}
