/*
 * Rechecking an installed archive against the manifest written when it was
 * installed: every listed entry must exist with its type, mode and SHA-256,
 * and nothing unlisted may have appeared. A pkg must also find every
 * archive its `archives` file lists installed (a src archive as the binary
 * built from it, for any architecture).
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "diag.h"
#include "fsutil.h"
#include "verify.h"

enum { MANIFEST_MAX = 64 << 20 };

struct manifest_line {
	char type;
	unsigned mode;
	const char *hash;
	const char *path;
};

static int parse_line(char *line, struct manifest_line *out)
{
	char *save = NULL;
	char *type = strtok_r(line, " ", &save);
	char *mode = strtok_r(NULL, " ", &save);
	char *hash = strtok_r(NULL, " ", &save);
	char *path = save;
	if (!type || !mode || !hash || !path || !*path || strlen(type) != 1)
		return DEPOT_E_MODIFIED;
	out->type = type[0];
	out->mode = (unsigned)strtoul(mode, NULL, 8);
	out->hash = hash;
	out->path = path;
	return DEPOT_OK;
}

/* A file is opened below the archive's root (fs_open_beneath), so a
 * directory swapped for a link after the install cannot make verify read
 * (and vouch for) a file elsewhere. */
static int check_hash(const char *root, const struct manifest_line *m,
                      const char *full)
{
	uint8_t hash[DEPOT_SHA256_LEN];
	char hex[DEPOT_SHA256_HEX];
	int fd;
	if (m->type == 'f') {
		if (fs_open_beneath(root, m->path, &fd, NULL) ||
		    depot_sha256_fd(fd, m->path, hash, NULL, NULL))
			return 0;
	} else {
		char target[PATH_MAX];
		ssize_t n = readlink(full, target, sizeof target - 1);
		if (n < 0)
			return 0;
		EVP_Digest(target, (size_t)n, hash, NULL, EVP_sha256(), NULL);
	}
	depot_sha256_hex(hash, hex);
	return strcmp(hex, m->hash) == 0;
}

static int check_entry(const char *root, const struct manifest_line *m,
                       struct depot_diag *diag)
{
	char full[PATH_MAX];
	struct stat st;
	if (fs_pathf(full, diag, "%s/%s", root, m->path))
		return DEPOT_E_USAGE;
	if (lstat(full, &st) < 0)
		return diag_set(diag, DEPOT_E_MODIFIED, m->path, "missing");
	int type_ok = (m->type == 'f' && S_ISREG(st.st_mode)) ||
	              (m->type == 'd' && S_ISDIR(st.st_mode)) ||
	              (m->type == 'l' && S_ISLNK(st.st_mode));
	if (!type_ok)
		return diag_set(diag, DEPOT_E_MODIFIED, m->path,
		                "type changed");
	if (m->type == 'f' && (st.st_mode & 07777) != m->mode)
		return diag_set(diag, DEPOT_E_MODIFIED, m->path,
		                "mode changed");
	if (m->type != 'd' && !check_hash(root, m, full))
		return diag_set(diag, DEPOT_E_MODIFIED, m->path,
		                "content differs from the manifest");
	return DEPOT_OK;
}

/* Counts the entries below root (root excluded). nftw gives no context
 * pointer, hence the file-scope counter, used by one walk at a time. */
static size_t walk_count;

static int count_one(const char *path, const struct stat *st, int type,
                     struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)type;
	walk_count += ftw->level > 0;
	return 0;
}

static int count_entries(const char *root, size_t *count)
{
	walk_count = 0;
	int rc = nftw(root, count_one, 16, FTW_PHYS);
	*count = walk_count;
	return rc;
}

/* Checks every line; counts distinct paths (manifest is in archive order,
 * a directory may be listed twice). */
static int check_lines(const char *root, char *text, size_t *listed,
                       struct depot_diag *diag)
{
	char *save = NULL;
	*listed = 0;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct manifest_line m;
		if (parse_line(line, &m))
			return diag_set(diag, DEPOT_E_MODIFIED, root,
			                "manifest is malformed");
		int err = check_entry(root, &m, diag);
		if (err)
			return err;
		(*listed)++;
	}
	return DEPOT_OK;
}

struct listed {
	const char *depot;
	const char *pkg;
	struct depot_diag *diag;
};

/* Is some user/bin/<arch>/name/version installed? */
static int binary_installed(const char *depot, const struct depot_name *src)
{
	char dir[PATH_MAX];
	if (fs_pathf(dir, NULL, "%s/%s/bin", depot, src->user))
		return 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	while (d && !found && (e = readdir(d))) {
		struct depot_name bin = *src;
		snprintf(bin.kind, sizeof bin.kind, "bin");
		size_t n = strlen(e->d_name);
		if (!depot_part_valid(e->d_name) || n >= sizeof bin.arch)
			continue;
		memcpy(bin.arch, e->d_name, n + 1);
		found = depot_installed(depot, &bin);
	}
	if (d)
		closedir(d);
	return found;
}

static int check_listed(void *ctx, const struct depot_name *name)
{
	struct listed *l = ctx;
	int present = strcmp(name->kind, "src") == 0
	                      ? binary_installed(l->depot, name)
	                      : depot_installed(l->depot, name);
	if (present)
		return DEPOT_OK;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	return diag_set(l->diag, DEPOT_E_INCOMPLETE, l->pkg,
	                "needs '%s', "
	                "which is not installed",
	                text);
}

/* A pkg's closure, one level: nested pkgs are verified on their own. */
static int check_pkg_archives(const char *depot, const char *root,
                              const char *pkg, struct depot_diag *diag)
{
	char *text;
	size_t length;
	int err = fs_read_beneath(root, "archives", MANIFEST_MAX, &text,
	                          &length, diag);
	if (err)
		return err;
	struct listed l = { depot, pkg, diag };
	err = depot_archives_parse(text, length, check_listed, &l, diag);
	free(text);
	return err;
}

/* The archive against its manifest; a pkg's list too when `listed`. */
static int verify(const char *depot, const struct depot_name *name,
                  int listed_too, struct depot_diag *diag)
{
	char text_name[DEPOT_NAME_MAX], root[PATH_MAX], manifest[PATH_MAX];
	depot_name_format(name, text_name);
	if (fs_pathf(root, diag, "%s/%s", depot, text_name) ||
	    fs_pathf(manifest, diag, "%s/%s.manifest", depot, text_name))
		return DEPOT_E_USAGE;
	if (!depot_installed(depot, name))
		return diag_set(diag, DEPOT_E_NOT_INSTALLED, text_name, NULL);
	char *text;
	int err = fs_read_file(manifest, MANIFEST_MAX, &text, NULL, diag);
	if (err)
		return err;
	size_t listed = 0, present = 0;
	err = check_lines(root, text, &listed, diag);
	free(text);
	if (!err && count_entries(root, &present) < 0)
		err = diag_errno(diag, root);
	if (!err && present > listed)
		err = diag_set(diag, DEPOT_E_MODIFIED, text_name,
		               "%zu entries present that the manifest does not "
		               "list",
		               present - listed);
	if (!err && listed_too && strcmp(name->kind, "pkg") == 0)
		err = check_pkg_archives(depot, root, text_name, diag);
	return err;
}

int depot_verify(const char *depot, const struct depot_name *name,
                 struct depot_diag *diag)
{
	return verify(depot, name, 1, diag);
}

int verify_content(const char *depot, const struct depot_name *name,
                   struct depot_diag *diag)
{
	return verify(depot, name, 0, diag);
}
