/*
 * The reproducible archive writer. A content list becomes a tar stream with
 * every varying field normalized: entries in byte order of their paths,
 * mtime 0, uid/gid 0, no user or group names, modes 0755 for directories
 * and executables and 0644 otherwise, pax-restricted headers (extended
 * headers only where ustar cannot express a field, and those carry no
 * time stamps). The same stream, uncompressed, is what the recipe's content
 * hash is computed over; compressed with zstd it is the archive file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "content.h"
#include "diag.h"
#include "fsutil.h"

static int archive_failed(struct archive *a, const char *subject,
                          struct depot_diag *diag)
{
	return diag_set(diag, DEPOT_E_ARCHIVE, subject, "%s",
	                archive_error_string(a) ? archive_error_string(a)
	                                        : "libarchive error");
}

static int copy_data(struct archive *a, const char *source, int64_t size,
                     struct depot_diag *diag)
{
	int fd = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return diag_errno(diag, source);
	char buf[65536];
	int64_t total = 0;
	ssize_t n;
	int err = DEPOT_OK;
	while (!err && (n = read(fd, buf, sizeof buf)) > 0) {
		total += n;
		if (total > size)
			break;
		if (archive_write_data(a, buf, (size_t)n) != n)
			err = archive_failed(a, source, diag);
	}
	if (!err && n < 0)
		err = diag_errno(diag, source);
	close(fd);
	if (!err && total != size)
		err = diag_set(diag, DEPOT_E_IO, source,
		               "file changed while it was archived");
	return err;
}

/* Fills `entry` with the normalized metadata of one content entry. */
static int describe(struct archive_entry *entry, const struct content_entry *e,
                    struct depot_diag *diag)
{
	struct stat st = { .st_mode = S_IFDIR };
	if (e->source && lstat(e->source, &st) < 0)
		return diag_errno(diag, e->source);
	archive_entry_set_pathname(entry, e->archive_path);
	archive_entry_set_mtime(entry, 0, 0);
	archive_entry_set_uid(entry, 0);
	archive_entry_set_gid(entry, 0);
	if (S_ISDIR(st.st_mode)) {
		archive_entry_set_filetype(entry, AE_IFDIR);
		archive_entry_set_perm(entry, 0755);
	} else if (S_ISREG(st.st_mode)) {
		archive_entry_set_filetype(entry, AE_IFREG);
		archive_entry_set_perm(entry,
		                       (st.st_mode & 0111) ? 0755 : 0644);
		archive_entry_set_size(entry, st.st_size);
	} else if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(e->source, target, sizeof target - 1);
		if (n < 0)
			return diag_errno(diag, e->source);
		target[n] = '\0';
		archive_entry_set_filetype(entry, AE_IFLNK);
		archive_entry_set_perm(entry, 0777);
		archive_entry_set_symlink(entry, target);
	} else {
		return diag_set(diag, DEPOT_E_SPECIAL_FILE, e->source, NULL);
	}
	return DEPOT_OK;
}

static int write_entries(struct archive *a, const struct depot_content *c,
                         struct depot_diag *diag)
{
	struct archive_entry *entry = archive_entry_new();
	if (!entry)
		return diag_set(diag, DEPOT_E_NOMEM, NULL, NULL);
	int err = DEPOT_OK;
	for (size_t i = 0; !err && i < c->count; i++) {
		const struct content_entry *e = &c->entries[i];
		archive_entry_clear(entry);
		err = describe(entry, e, diag);
		if (!err && archive_write_header(a, entry) != ARCHIVE_OK)
			err = archive_failed(a, e->archive_path, diag);
		if (!err && archive_entry_filetype(entry) == AE_IFREG)
			err = copy_data(a, e->source, archive_entry_size(entry),
			                diag);
	}
	archive_entry_free(entry);
	return err;
}

/* A writer with the normalized format and, when `compress`, zstd. */
static struct archive *new_writer(int compress)
{
	struct archive *a = archive_write_new();
	if (!a)
		return NULL;
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    (compress && archive_write_add_filter_zstd(a) != ARCHIVE_OK)) {
		archive_write_free(a);
		return NULL;
	}
	return a;
}

static la_ssize_t hash_write(struct archive *a, void *ctx, const void *buf,
                             size_t n)
{
	(void)a;
	return EVP_DigestUpdate(ctx, buf, n) ? (la_ssize_t)n : -1;
}

int depot_content_hash(const struct depot_content *content,
                       uint8_t hash[DEPOT_SHA256_LEN], struct depot_diag *diag)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct archive *a = new_writer(0);
	int err = DEPOT_OK;
	if (!md || !a || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		err = diag_set(diag, DEPOT_E_NOMEM, NULL, NULL);
	if (!err &&
	    archive_write_open(a, md, NULL, hash_write, NULL) != ARCHIVE_OK)
		err = archive_failed(a, "content hash", diag);
	if (!err)
		err = write_entries(a, content, diag);
	if (!err && archive_write_close(a) != ARCHIVE_OK)
		err = archive_failed(a, "content hash", diag);
	if (!err)
		EVP_DigestFinal_ex(md, hash, NULL);
	if (a)
		archive_write_free(a);
	EVP_MD_CTX_free(md);
	return err;
}

int depot_archive_create(const struct depot_content *content,
                         const char *out_path, struct depot_diag *diag)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", out_path) >=
	    (int)sizeof tmp)
		return diag_set(diag, DEPOT_E_USAGE, out_path, "path too long");
	int err = fs_mkdirs_parent(out_path, diag);
	if (err)
		return err;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return diag_errno(diag, tmp);
	struct archive *a = new_writer(1);
	if (!a)
		err = diag_set(diag, DEPOT_E_NOMEM, out_path, NULL);
	if (!err && archive_write_open_fd(a, fd) != ARCHIVE_OK)
		err = archive_failed(a, out_path, diag);
	if (!err)
		err = write_entries(a, content, diag);
	if (!err && archive_write_close(a) != ARCHIVE_OK)
		err = archive_failed(a, out_path, diag);
	if (a)
		archive_write_free(a);
	if (!err && (fchmod(fd, 0644) < 0 || fsync(fd) < 0))
		err = diag_errno(diag, tmp);
	close(fd);
	if (!err && rename(tmp, out_path) < 0)
		err = diag_errno(diag, out_path);
	if (err)
		unlink(tmp);
	return err;
}
