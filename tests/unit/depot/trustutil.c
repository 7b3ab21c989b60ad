/*
 * Helpers of the trust unit tests (see trustutil.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tuf.h>

#include "testutil.h"
#include "trustutil.h"

void tw_keygen(struct world *w, const char *name, char keyid[65])
{
	char prefix[600];
	struct tuf_error e = { 0 };
	snprintf(prefix, sizeof prefix, "%s/%s", w->keys, name);
	assert_int_equal(tuf_key_generate(prefix, NULL, keyid, &e), TUF_OK);
}

struct world *tw_new(void)
{
	static const char *const roles[] = { "targets", "snapshot", "timestamp",
		                             "alice" };
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->dir = tu_tmpdir();
	snprintf(w->keys, sizeof w->keys, "%s/keys", w->dir);
	snprintf(w->depot, sizeof w->depot, "%s/depot", w->dir);
	snprintf(w->tree, sizeof w->tree, "%s/tree", w->dir);
	assert_int_equal(mkdir(w->keys, 0700), 0);
	tw_keygen(w, "root", w->root_keyid);
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		tw_keygen(w, roles[i], NULL);
	w->k.dir = w->keys;
	return w;
}

void tw_free(struct world *w)
{
	tu_rmdir(w->dir);
	free(w);
}

void tw_archive_files(struct world *w, const char *name,
                      const char *const files[][2], size_t count)
{
	char out[1024], rel[600];
	struct depot_diag diag;
	struct depot_content *c = depot_content_new();
	assert_non_null(c);
	for (size_t i = 0; i < count; i++) {
		snprintf(rel, sizeof rel, "content/%s/%s", name, files[i][0]);
		tu_write(w->dir, rel, files[i][1]);
		assert_int_equal(depot_content_add(c, tu_path(w->dir, rel),
		                                   files[i][0], &diag),
		                 DEPOT_OK);
	}
	snprintf(out, sizeof out, "%s/%s.tar.zst", w->depot, name);
	assert_int_equal(depot_archive_create(c, out, &diag), DEPOT_OK);
	depot_content_free(c);
}

void tw_archive(struct world *w, const char *name, const char *text)
{
	const char *const files[][2] = { { "file", text } };
	tw_archive_files(w, name, files, 1);
}

int tw_publish(struct world *w, const char *const *names, size_t count,
               struct depot_diag *diag)
{
	struct depot_name parsed[8];
	assert_true(count <= 8);
	for (size_t i = 0; i < count; i++)
		assert_int_equal(depot_name_parse(names[i], &parsed[i], diag),
		                 DEPOT_OK);
	return depot_publish(w->depot, w->tree, &w->k, parsed, count, &w->o,
	                     diag);
}

int tw_staging_left(const struct world *w)
{
	DIR *d = opendir(w->dir);
	struct dirent *e;
	int left = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		left |= strncmp(e->d_name, "tree.publish-", 13) == 0;
	closedir(d);
	return left;
}
