/*
 * Files of the target's depot as ROMs (depot_rom.h): confined opens,
 * the manifest, hashing while copying, and the depot-index ROM.
 */
#include "depot_rom.h"

#include "archive_name.h"
#include "depot_index_rom.h"
#include "manifest.h"

#include <runtime/str.h>

#include <hex/hex.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Opens `path` beneath DIR/depot/: no step may leave the directory, cross
 * a mount, or follow any link. O_NONBLOCK: a fifo planted in an archive
 * must not block core's entrypoint in open() (it is refused as not
 * regular right after). -1 with errno set. */
static int open_beneath(const struct target *t, const char *path,
                        unsigned extra_flags)
{
	if (t->depot_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
		         extra_flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		           RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	return (int)syscall(SYS_openat2, t->depot_fd, path, &how, sizeof(how));
}

/* The archive's directory exists (then it is complete, libdepot's
 * invariant: depot.h). */
static int archive_present(const struct target *t, const char *archive)
{
	int fd = open_beneath(t, archive, O_DIRECTORY);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

void depot_rom_install_hint(const struct target *t, const char *pkg, char *out,
                            size_t out_size)
{
	str_format(out, out_size,
	           "installed in %s/depot: install it with 'depot --depot "
	           "%s/depot download --mirror URL %s'",
	           t->dir, t->dir, pkg);
}

static void say_missing(const struct target *t, const char *archive, char *why,
                        size_t why_size)
{
	char hint[2 * PATH_MAX + 128];
	depot_rom_install_hint(t, "PKG", hint, sizeof(hint));
	str_format(why, why_size,
	           "archive %s is not %s (PKG: the pkg that lists it)", archive,
	           hint);
}

/* Logs a damaged archive with the commands that install it anew. */
static void log_damaged(struct target *t, const char *archive, const char *what)
{
	target_logf(t,
	            "depot archive %s is damaged: %s; repair it with "
	            "'rm -r %s/depot/%s %s/depot/%s.manifest' and 'depot "
	            "--depot %s/depot download --mirror URL PKG' (PKG: the pkg "
	            "that lists it)",
	            archive, what, t->dir, archive, t->dir, archive, t->dir);
}

/* Reads the whole regular file `fd` (at most `max` bytes) into a new
 * buffer. 0, or -1 (errno: EFBIG beyond max, EINVAL not regular). */
static int read_small(int fd, size_t max, char **text, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return -1;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -1;
	size_t done = 0;
	ssize_t n = 1;
	while (done < (size_t)st.st_size && n > 0) {
		n = pread(fd, buf + done, (size_t)st.st_size - done,
		          (off_t)done);
		done += n > 0 ? (size_t)n : 0;
	}
	*text = buf;
	*len = done; /* a file cut meanwhile: the parser says so */
	return 0;
}

/* Loads the manifest of an archive that is present. DEPOT_ROM_OK,
 * MISSING when there is none (as if the archive were not installed:
 * libdepot writes it before the directory appears), or DAMAGED with the
 * reason in what[what_size]. */
static enum depot_rom_status load_manifest(const struct target *t,
                                           const char *archive,
                                           struct manifest *m, char *what,
                                           size_t what_size)
{
	char path[ARCHIVE_NAME_MAX + 16];
	str_format(path, sizeof(path), "%s.manifest", archive);
	int fd = open_beneath(t, path, 0);
	char *text = NULL;
	size_t len = 0;
	int rc = fd < 0 ? -1 : read_small(fd, MANIFEST_MAX, &text, &len);
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc != 0 && saved == ENOMEM)
		return DEPOT_ROM_NO_MEMORY;
	if (fd < 0 && saved == ENOENT)
		return DEPOT_ROM_MISSING;
	if (rc != 0) {
		str_format(what, what_size, "its manifest cannot be read (%s)",
		           saved == EFBIG ? "larger than 1 MiB"
		                          : strerror(saved));
		return DEPOT_ROM_DAMAGED;
	}
	rc = manifest_parse(text, len, m, what, what_size);
	free(text);
	return rc == 0 ? DEPOT_ROM_OK : DEPOT_ROM_DAMAGED;
}

struct hashing {
	EVP_MD_CTX *ctx;
};

static void hash_piece(void *arg, const void *piece, size_t len)
{
	struct hashing *h = arg;
	EVP_DigestUpdate(h->ctx, piece, len);
}

static int hex_equal(const unsigned char digest[32], const char *hex)
{
	char text[2 * 32 + 1];

	hex_encode(digest, 32, text);
	return strncmp(text, hex, sizeof(text) - 1) == 0;
}

/* Hashes the file without keeping it (for the index). */
static int hash_only(int fd, size_t size, struct hashing *h)
{
	static char buf[64 << 10]; /* the entrypoint's alone */
	size_t done = 0;
	while (done < size) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)done);
		if (n <= 0)
			return KERR_INVALID;
		hash_piece(h, buf, (size_t)n);
		done += (size_t)n;
	}
	return 0;
}

/* Opens, checks and hashes top-level file `file` of `archive`; with `mem`
 * not NULL it is copied into a new sealed memory object as it is hashed.
 * DAMAGED with the reason in what[what_size]. */
static enum depot_rom_status check_file(const struct target *t,
                                        const char *archive,
                                        const struct manifest_file *file,
                                        kcap_t *mem, size_t *size, char *what,
                                        size_t what_size)
{
	char path[ARCHIVE_NAME_MAX + TARGET_NAME_MAX + 2];
	str_format(path, sizeof(path), "%s/%s", archive, file->name);
	int fd = open_beneath(t, path, 0);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		str_format(what, what_size,
		           fd < 0 && errno == ENOENT
		                   ? "file %s is missing"
		                   : "file %s is no regular file "
		                     "beneath the archive",
		           file->name);
		if (fd >= 0)
			close(fd);
		return DEPOT_ROM_DAMAGED;
	}
	struct hashing h = { .ctx = EVP_MD_CTX_new() };
	if (!h.ctx || EVP_DigestInit_ex(h.ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(h.ctx);
		close(fd);
		return DEPOT_ROM_NO_MEMORY;
	}
	size_t bytes = (size_t)st.st_size;
	kcap_t copy = KCAP_INVALID;
	int rc = mem ? target_copy_sealed(fd, bytes, hash_piece, &h, &copy)
	             : hash_only(fd, bytes, &h);
	close(fd);
	unsigned char digest[32];
	unsigned digest_len = 0;
	int same = rc == 0 &&
	           EVP_DigestFinal_ex(h.ctx, digest, &digest_len) == 1 &&
	           digest_len == 32 && hex_equal(digest, file->sha256);
	EVP_MD_CTX_free(h.ctx);
	if (rc == KERR_NOMEM)
		return DEPOT_ROM_NO_MEMORY;
	if (!same) {
		kcap_close(copy);
		str_format(what, what_size, "file %s differs from its manifest",
		           file->name);
		return DEPOT_ROM_DAMAGED;
	}
	if (mem) {
		*mem = copy;
		*size = bytes;
	}
	return DEPOT_ROM_OK;
}

enum depot_rom_status depot_rom_read(struct target *t, const char *archive,
                                     const char *name, kcap_t *mem,
                                     size_t *size, char *why, size_t why_size)
{
	if (!archive_present(t, archive)) {
		say_missing(t, archive, why, why_size);
		return DEPOT_ROM_MISSING;
	}
	struct manifest m;
	char what[256];
	enum depot_rom_status status = load_manifest(t, archive, &m, what,
	                                             sizeof(what));
	if (status == DEPOT_ROM_MISSING) {
		say_missing(t, archive, why, why_size);
		return status;
	}
	if (status == DEPOT_ROM_OK) {
		const struct manifest_file *file = manifest_find(&m, name);
		if (!file) {
			manifest_free(&m);
			str_format(why, why_size, "archive %s has no file '%s'",
			           archive, name);
			return DEPOT_ROM_MISSING;
		}
		status = check_file(t, archive, file, mem, size, what,
		                    sizeof(what));
		manifest_free(&m);
	}
	if (status == DEPOT_ROM_DAMAGED) {
		log_damaged(t, archive, what);
		str_format(why, why_size, "depot archive %s is damaged: %s",
		           archive, what);
	} else if (status == DEPOT_ROM_NO_MEMORY) {
		str_copy(why, "core is out of memory", why_size);
	}
	return status;
}

/* Checks the archive as the index tells it; fills `m` when the manifest
 * could be read (then the caller frees it). */
static enum depot_index_state survey(struct target *t, const char *archive,
                                     struct manifest *m, char *what,
                                     size_t what_size, int *has_manifest,
                                     int *no_memory)
{
	*has_manifest = *no_memory = 0;
	if (!archive_present(t, archive))
		return DEPOT_INDEX_MISSING;
	enum depot_rom_status status = load_manifest(t, archive, m, what,
	                                             what_size);
	*no_memory = status == DEPOT_ROM_NO_MEMORY;
	if (status == DEPOT_ROM_MISSING)
		return DEPOT_INDEX_MISSING;
	if (status != DEPOT_ROM_OK)
		return DEPOT_INDEX_DAMAGED;
	*has_manifest = 1;
	for (size_t i = 0; i < m->count; i++) {
		status = check_file(t, archive, &m->files[i], NULL, NULL, what,
		                    what_size);
		*no_memory = status == DEPOT_ROM_NO_MEMORY;
		if (status != DEPOT_ROM_OK)
			return DEPOT_INDEX_DAMAGED;
	}
	return DEPOT_INDEX_INSTALLED;
}

enum depot_rom_status depot_rom_index(struct target *t, const char *archive,
                                      kcap_t *mem, size_t *size)
{
	struct manifest m;
	char what[256] = "";
	int has_manifest, no_memory;
	*mem = KCAP_INVALID;
	enum depot_index_state state = survey(t, archive, &m, what,
	                                      sizeof(what), &has_manifest,
	                                      &no_memory);
	if (no_memory) {
		if (has_manifest)
			manifest_free(&m);
		return DEPOT_ROM_NO_MEMORY;
	}
	if (state == DEPOT_INDEX_DAMAGED)
		log_damaged(t, archive, what);
	int rc = depot_index_rom(state, what, has_manifest ? &m : NULL, mem,
	                         size);
	if (has_manifest)
		manifest_free(&m);
	return rc == 0 ? DEPOT_ROM_OK : DEPOT_ROM_NO_MEMORY;
}
