/*
 * The content list of an archive: which files from disk go into it, under
 * which path. Adding a directory walks it; the list is kept sorted by
 * archive path (byte order) so that archives do not depend on the order the
 * file system happens to return, and duplicates are refused.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <grow/grow.h>

#include "content.h"
#include "diag.h"
#include "fsutil.h"

int content_path_check(const char *path)
{
	if (path[0] == '\0' || strlen(path) >= PATH_MAX / 2)
		return DEPOT_E_BAD_ENTRY;
	if (path[0] == '/')
		return DEPOT_E_ABSOLUTE_PATH;
	const char *p = path;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return DEPOT_E_DOTDOT;
		if (n == 0 || (n == 1 && p[0] == '.'))
			return DEPOT_E_BAD_ENTRY;
		p += n;
		if (*p == '/' && *++p == '\0')
			return DEPOT_E_BAD_ENTRY;
	}
	return DEPOT_OK;
}

struct depot_content *depot_content_new(void)
{
	return calloc(1, sizeof(struct depot_content));
}

void depot_content_free(struct depot_content *content)
{
	if (!content)
		return;
	for (size_t i = 0; i < content->count; i++) {
		free(content->entries[i].archive_path);
		free(content->entries[i].source);
	}
	free(content->entries);
	free(content);
}

static int compare_entries(const void *a, const void *b)
{
	const struct content_entry *x = a, *y = b;
	return strcmp(x->archive_path, y->archive_path);
}

/* Inserts one entry at its sorted place; refuses duplicates. */
static int insert(struct depot_content *c, const char *source,
                  const char *archive_path, struct depot_diag *diag)
{
	struct content_entry key = { .archive_path = (char *)archive_path };
	if (c->count &&
	    bsearch(&key, c->entries, c->count, sizeof key, compare_entries))
		return diag_set(diag, DEPOT_E_BAD_ENTRY, archive_path,
		                "added twice to the content");
	void *grown = grow_array(c->entries, &c->capacity, c->count + 1,
	                         sizeof *c->entries);
	if (!grown)
		return diag_set(diag, DEPOT_E_NOMEM, archive_path, NULL);
	c->entries = grown;
	size_t at = c->count;
	while (at > 0 &&
	       strcmp(c->entries[at - 1].archive_path, archive_path) > 0)
		at--;
	memmove(&c->entries[at + 1], &c->entries[at],
	        (c->count - at) * sizeof *c->entries);
	c->entries[at].archive_path = strdup(archive_path);
	c->entries[at].source = source ? strdup(source) : NULL;
	c->count++;
	if (!c->entries[at].archive_path || (source && !c->entries[at].source))
		return diag_set(diag, DEPOT_E_NOMEM, archive_path, NULL);
	return DEPOT_OK;
}

static int add_tree(struct depot_content *c, const char *source,
                    const char *archive_path, struct depot_diag *diag);

static int add_children(struct depot_content *c, const char *source,
                        const char *archive_path, struct depot_diag *diag)
{
	DIR *dir = opendir(source);
	if (!dir)
		return diag_errno(diag, source);
	int err = DEPOT_OK;
	struct dirent *d;
	while (!err && (d = readdir(dir))) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		char *child_src = fs_join(source, d->d_name);
		char *child_dst = fs_join(archive_path, d->d_name);
		err = (child_src && child_dst)
		              ? add_tree(c, child_src, child_dst, diag)
		              : diag_set(diag, DEPOT_E_NOMEM, source, NULL);
		free(child_src);
		free(child_dst);
	}
	closedir(dir);
	return err;
}

static int add_tree(struct depot_content *c, const char *source,
                    const char *archive_path, struct depot_diag *diag)
{
	struct stat st;
	if (lstat(source, &st) < 0)
		return diag_errno(diag, source);
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) &&
	    !S_ISLNK(st.st_mode))
		return diag_set(diag, DEPOT_E_SPECIAL_FILE, source, NULL);
	int err = insert(c, source, archive_path, diag);
	if (!err && S_ISDIR(st.st_mode))
		err = add_children(c, source, archive_path, diag);
	return err;
}

int depot_content_add(struct depot_content *content, const char *source,
                      const char *archive_path, struct depot_diag *diag)
{
	int err = content_path_check(archive_path);
	if (err)
		return diag_set(
			diag, err, archive_path,
			"archive paths are relative, without '.' or '..'");
	/* Parent directories of a nested path are added as entries too, so
	 * that extraction never has to invent them. */
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", archive_path);
	for (char *slash = strchr(parent, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		struct content_entry key = { .archive_path = parent };
		if (!content->count ||
		    !bsearch(&key, content->entries, content->count, sizeof key,
		             compare_entries)) {
			err = insert(content, NULL, parent, diag);
			if (err)
				return err;
		}
		*slash = '/';
	}
	return add_tree(content, source, archive_path, diag);
}
