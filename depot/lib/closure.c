/*
 * Dependency closures of pkgs. A pkg's `archives` file names what it needs;
 * nested pkgs bring their own lists; a src archive stands for the binary
 * built from it, so for a given architecture it becomes
 * user/bin/<arch>/<name>/<version>. The walk is depth-first, reports every
 * archive once with dependencies before their users, and names the cycle
 * when a pkg (indirectly) needs itself.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "closure.h"
#include "diag.h"
#include "fsutil.h"

enum { ARCHIVES_MAX = 1 << 20, DEPTH_MAX = 64 };

struct walk {
	const char *depot;
	const char *pending; /* or NULL: a second place for pkgs */
	const char *arch;
	int tolerate_missing;     /* report a missing pkg instead of failing */
	closure_intact_fn intact; /* or NULL: every installed pkg is */
	depot_archive_fn fn;
	void *ctx;
	struct depot_diag *diag;
	void *visited; /* tsearch tree of names (strings): a pkg may list
	                  thousands, and a scan per name would be quadratic */
	char stack[DEPTH_MAX][DEPOT_NAME_MAX];
	size_t depth;
};

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int was_visited(const struct walk *w, const char *text)
{
	return tfind(text, &w->visited, compare_names) != NULL;
}

static int mark_visited(struct walk *w, const char *text)
{
	char *copy = strdup(text);
	if (!copy || !tsearch(copy, &w->visited, compare_names)) {
		free(copy);
		return diag_set(w->diag, DEPOT_E_NOMEM, text, NULL);
	}
	return DEPOT_OK;
}

/* "a -> b -> a" from the stack position of the repeated archive. */
static int cycle_error(struct walk *w, const char *text)
{
	char cycle[sizeof w->diag->detail] = "";
	size_t used = 0;
	for (size_t i = 0; i < w->depth; i++) {
		if (used == 0 && strcmp(w->stack[i], text) != 0)
			continue;
		used += (size_t)snprintf(cycle + used, sizeof cycle - used,
		                         "%s -> ", w->stack[i]);
		if (used >= sizeof cycle)
			break;
	}
	if (used < sizeof cycle)
		snprintf(cycle + used, sizeof cycle - used, "%s", text);
	return diag_set(w->diag, DEPOT_E_CYCLE, text, "%s", cycle);
}

static int visit(struct walk *w, const struct depot_name *name);

static int visit_listed(void *ctx, const struct depot_name *listed)
{
	struct walk *w = ctx;
	struct depot_name n = *listed;
	if (strcmp(n.kind, "src") == 0) {
		snprintf(n.kind, sizeof n.kind, "bin");
		snprintf(n.arch, sizeof n.arch, "%s", w->arch);
	}
	return visit(w, &n);
}

/* Walks the archives pkg `text` lists; its files lie below `from`. */
static int visit_pkg(struct walk *w, const char *from, const char *text)
{
	char path[PATH_MAX];
	char *list;
	size_t length;
	int err = fs_pathf(path, w->diag, "%s/%s", from, text);
	if (!err && w->depth == DEPTH_MAX)
		err = diag_set(w->diag, DEPOT_E_CYCLE, text,
		               "pkgs nested more "
		               "than %d deep",
		               DEPTH_MAX);
	if (!err)
		err = fs_read_beneath(path, "archives", ARCHIVES_MAX, &list,
		                      &length, w->diag);
	if (err)
		return err;
	snprintf(w->stack[w->depth++], DEPOT_NAME_MAX, "%s", text);
	err = depot_archives_parse(list, length, visit_listed, w, w->diag);
	w->depth--;
	free(list);
	return err;
}

static int visit(struct walk *w, const struct depot_name *name)
{
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	for (size_t i = 0; i < w->depth; i++)
		if (strcmp(w->stack[i], text) == 0)
			return cycle_error(w, text);
	if (was_visited(w, text))
		return DEPOT_OK;
	int err = DEPOT_OK;
	if (strcmp(name->kind, "pkg") == 0) {
		const char *from = depot_installed(w->depot, name) ? w->depot
		                   : w->pending && depot_installed(w->pending,
		                                                   name)
		                           ? w->pending
		                           : NULL;
		/* A damaged pkg's list is not read: it is reported like a
		 * missing one, to be fetched again. */
		if (from == w->depot && w->intact && w->tolerate_missing &&
		    !w->intact(w->ctx, name))
			from = NULL;
		if (!from && !w->tolerate_missing)
			return diag_set(w->diag, DEPOT_E_NOT_INSTALLED, text,
			                NULL);
		if (from)
			err = visit_pkg(w, from, text);
	}
	if (!err)
		err = mark_visited(w, text);
	return err ? err : w->fn(w->ctx, name);
}

/* The newest installed version of user/pkg/name (byte order). */
static int newest_version(const char *depot, struct depot_name *name,
                          struct depot_diag *diag)
{
	char dir[PATH_MAX];
	int err = fs_pathf(dir, diag, "%s/%s/pkg/%s", depot, name->user,
	                   name->name);
	DIR *d = err ? NULL : opendir(dir);
	if (!d)
		return err ? err
		           : diag_set(diag, DEPOT_E_NOT_INSTALLED,
		                      dir + strlen(depot) + 1, NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		struct depot_name candidate = *name;
		if (!depot_part_valid(e->d_name) ||
		    strcmp(e->d_name, name->version) <= 0)
			continue; /* valid parts fit the version buffer */
		strcpy(candidate.version, e->d_name); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_part_valid bounds the part below DEPOT_PART_MAX
		if (depot_installed(depot, &candidate))
			strcpy(name->version, e->d_name); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_part_valid bounds the part below DEPOT_PART_MAX
	}
	closedir(d);
	if (!name->version[0])
		return diag_set(diag, DEPOT_E_NOT_INSTALLED,
		                dir + strlen(depot) + 1,
		                "no installed version");
	return DEPOT_OK;
}

int closure_walk(const char *depot, const char *pending,
                 const struct depot_name *root, const char *arch,
                 int tolerate_missing, closure_intact_fn intact,
                 depot_archive_fn fn, void *ctx, struct depot_diag *diag)
{
	if (strcmp(root->kind, "pkg") != 0)
		return diag_set(diag, DEPOT_E_USAGE, root->name,
		                "closures start "
		                "at a pkg");
	if (!depot_part_valid(arch))
		return diag_set(diag, DEPOT_E_USAGE, arch,
		                "invalid architecture");
	struct depot_name start = *root;
	int err = start.version[0] || tolerate_missing
	                  ? DEPOT_OK
	                  : newest_version(depot, &start, diag);
	if (!err && !start.version[0])
		err = diag_set(diag, DEPOT_E_USAGE, root->name,
		               "a version is "
		               "needed to fetch a pkg");
	struct walk *w = err ? NULL : calloc(1, sizeof *w);
	if (!err && !w)
		err = diag_set(diag, DEPOT_E_NOMEM, root->name, NULL);
	if (!err) {
		*w = (struct walk){ .depot = depot, .pending = pending, // NOLINT(clang-analyzer-core.NullDereference): w is set whenever err is DEPOT_OK; diag_set never returns DEPOT_OK
			.arch = arch,
			.fn = fn,
			.ctx = ctx,
			.diag = diag,
			.tolerate_missing = tolerate_missing,
			.intact = intact
		};
		err = visit(w, &start);
		tdestroy(w->visited, free);
	}
	free(w);
	return err;
}

int depot_closure(const char *depot, const struct depot_name *root,
                  const char *arch, depot_archive_fn fn, void *ctx,
                  struct depot_diag *diag)
{
	return closure_walk(depot, NULL, root, arch, 0, NULL, fn, ctx, diag);
}
