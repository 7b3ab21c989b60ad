/*
 * `sculpt depot`: the target's depot users. `add` trusts a user's root
 * (libdepot's trust API, TARGET/depot/.trust/USER/) and records its
 * mirrors; `list` and `search` show the pkgs and versions the user's
 * verified TUF metadata lists; `info` describes a pkg: its runtime
 * file, size and closure, from the target's depot when it is installed,
 * else from the user's signed metadata (remote_info.c).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "arch.h"
#include "lib/depots.h"
#include "lib/state.h"
#include "options.h"
#include "remote_info.h"
#include "sculpt.h"

static const char about[] =
	"  add USER --mirror URL --root ROOT.json [--ca-file CA]\n"
	"      trust ROOT.json (the root metadata of USER's published tree,\n"
	"      obtained over a channel you trust) as the root of depot user\n"
	"      USER, print its fingerprint (compare it with the one USER\n"
	"      published) and record the mirrors\n"
	"  list [USER]     the pkgs and versions of the verified metadata\n"
	"  search WORD     the pkgs whose name contains WORD\n"
	"  info PKG        a pkg: runtime file, size, closure; for a pkg the\n"
	"                  target has not installed, from the user's signed\n"
	"                  metadata (its versions too; only its pkgs are\n"
	"                  fetched, into a scratch directory)\n";

/* ---- add --------------------------------------------------------------- */

static int add(struct sculpt *s, const char *name, const char *const *mirrors,
               size_t count, const char *root, const char *ca,
               struct sculpt_diag *diag)
{
	struct depot_users users;
	struct depot_root_info info;
	struct depot_diag about_error = { { 0 }, { 0 } };
	char depot[PATH_MAX];
	int err = depots_load(s->target, &users, diag);

	if (!err)
		err = depots_set(&users, name, mirrors, count, ca, diag);
	if (!err) {
		sculpt_depot_dir(s, depot);
		err = depot_trust_import(depot, name, root, &info,
		                         &about_error);
		if (err)
			err = sculpt_depot_fail(diag, err, &about_error);
	}
	if (!err)
		err = depots_save(s->target, &users, diag);
	depots_free(&users);
	if (err)
		return err;
	printf("depot user '%s': root from '%s'\n", name, root);
	printf("fingerprint (sha256 of the file) %s\n", info.sha256);
	printf("version %lld, expires %s, threshold %lld of %zu root keys\n",
	       info.version, info.expires, info.threshold, info.key_count);
	for (size_t i = 0; i < count; i++)
		printf("mirror %s\n", mirrors[i]);
	return 0;
}

/* ---- list, search ------------------------------------------------------- */

struct listing {
	const char *word; /* search: a part of the name, or NULL */
	char (*lines)[DEPOT_NAME_MAX + 32];
	size_t count, size;
};

static void listed(void *ctx, const struct depot_name *name, uint64_t length)
{
	struct listing *l = ctx;
	char text[DEPOT_NAME_MAX];

	if (strcmp(name->kind, "pkg") != 0 ||
	    (l->word && !strstr(name->name, l->word)))
		return;
	void *grown = grow_array(l->lines, &l->size, l->count + 1,
	                         sizeof(*l->lines));

	if (!grown)
		return;
	l->lines = grown;
	depot_name_format(name, text);
	snprintf(l->lines[l->count++], sizeof(*l->lines), "%s  %llu bytes",
	         text, (unsigned long long)length);
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int list_user(struct sculpt *s, const struct depot_user *user,
                     struct listing *l, struct sculpt_diag *diag)
{
	struct depot_fetch_options fetch;
	struct depot_trust *trust;
	struct depot_diag about_error = { { 0 }, { 0 } };
	char depot[PATH_MAX];
	int err;

	depots_fetch_options(user, 0, &fetch);
	sculpt_depot_dir(s, depot);
	err = depot_trust_open(&trust, depot, user->name, &fetch, 0,
	                       &about_error);
	if (!err) {
		err = depot_trust_list(trust, user->name, listed, l,
		                       &about_error);
		depot_trust_free(trust);
	}
	return err ? sculpt_depot_fail(diag, err, &about_error) : 0;
}

static int list(struct sculpt *s, const char *only, const char *word,
                struct sculpt_diag *diag)
{
	struct depot_users users;
	struct listing l = { word, NULL, 0, 0 };
	const struct depot_user *user;
	int err = depots_load(s->target, &users, diag);

	if (!err && only) {
		err = depots_find(&users, only, &user, diag);
		if (!err)
			err = list_user(s, user, &l, diag);
	}
	for (size_t i = 0; !err && !only && i < users.count; i++)
		err = list_user(s, &users.users[i], &l, diag);
	if (!err && users.count == 0)
		puts("no depot users yet: sculpt depot add USER --mirror URL --root "
		     "ROOT.json");
	if (!err && l.count)
		qsort(l.lines, l.count, sizeof(*l.lines), compare_lines);
	for (size_t i = 0; !err && i < l.count; i++)
		puts(l.lines[i]);
	free(l.lines);
	depots_free(&users);
	return err;
}

/* ---- info --------------------------------------------------------------- */

static uint64_t tree_bytes;

/* Adds a file's size to tree_bytes: nftw has no context pointer, hence
 * the file-scope sum (the tool is single-threaded). */
static int add_size(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_F)
		tree_bytes += (uint64_t)st->st_size;
	return 0;
}

struct closure_walk {
	const char *depot;
	uint64_t total;
};

static int print_archive(void *ctx, const struct depot_name *name)
{
	struct closure_walk *walk = ctx;
	char text[DEPOT_NAME_MAX], path[PATH_MAX];

	depot_name_format(name, text);
	snprintf(path, sizeof(path), "%s/%s", walk->depot, text);
	tree_bytes = 0;
	nftw(path, add_size, 16, FTW_PHYS);
	walk->total += tree_bytes;
	printf("  %-56s %10llu bytes\n", text, (unsigned long long)tree_bytes);
	return 0;
}

static void print_names(const char *what, const struct runtime_name_list *list)
{
	printf("%s:", what);
	for (size_t i = 0; i < list->count; i++)
		printf(" %s", list->names[i]);
	puts(list->count ? "" : " -");
}

static int info(struct sculpt *s, const char *text, struct sculpt_diag *diag)
{
	struct pkg_source pkgs = sculpt_pkg_source(s);
	struct pkg_runtime *runtime;
	struct depot_name name;
	struct depot_diag about_error = { { 0 }, { 0 } };
	char pkg[DEPOT_NAME_MAX], depot[PATH_MAX];
	struct closure_walk walk = { depot, 0 };
	struct sculpt_diag not_here = { "" };
	int err = sculpt_installed_pkg(s, text, pkg, &not_here);

	sculpt_depot_dir(s, depot);
	if (err || depot_name_parse(pkg, &name, &about_error) ||
	    !depot_installed(depot, &name))
		return remote_info(s, text, diag);
	err = pkgs.load(pkgs.ctx, pkg, &runtime, diag);
	if (err)
		return err;
	printf("pkg %s\nbinary %s, ram %llu, caps %llu\n", pkg, runtime->binary,
	       (unsigned long long)runtime->ram,
	       (unsigned long long)runtime->caps);
	print_names("requires", &runtime->requires);
	print_names("provides", &runtime->provides);
	printf("config: %s\nclosure:\n",
	       runtime->config ? runtime->config : "-");
	pkg_runtime_free(runtime);
	err = depot_closure(depot, &name, arch_of_host(), print_archive, &walk,
	                    &about_error);
	if (err)
		return sculpt_depot_fail(diag, err, &about_error);
	printf("size %llu bytes installed\n", (unsigned long long)walk.total);
	return 0;
}

int cmd_depot(struct sculpt *s, int argc, char **argv)
{
	const char *mirrors[DEPOTS_MIRRORS_MAX], *root = NULL, *ca = NULL;
	size_t mirror_count = 0;
	const struct option_row rows[] = {
		OPTION_LIST_ROW("mirror", "URL",
		                "add: a base URL of the user's "
		                "tree;\nrepeatable",
		                mirrors, &mirror_count, DEPOTS_MIRRORS_MAX),
		OPTION_TEXT_ROW("root", "FILE", "add: the user's root metadata",
		                &root),
		OPTION_TEXT_ROW("ca-file", "FILE",
		                "add: CA certificates for "
		                "HTTPS\n(default: the system's)",
		                &ca),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"sculpt depot (add USER | list [USER] | search WORD | "
			"info PKG)",
		.about = about,
		.options = rows,
		.example =
			"  sculpt depot add alice --mirror https://depot.example."
			"org --root 1.root.json\n"
			"  sculpt depot list\n  sculpt depot info alice/pkg/hello\n",
		.operands_min = 1,
		.operands_max = 2,
		.operands_wrong = "give add, list, search or info",
	};
	struct sculpt_diag diag = { "" };
	int first, err, status = options_parse(&face, argc, argv, &first);
	const char *what, *operand;

	if (status != OPTIONS_RUN)
		return status;
	what = argv[first];
	operand = argv[first + 1];
	if (strcmp(what, "add") == 0 && operand && root && mirror_count)
		err = add(s, operand, mirrors, mirror_count, root, ca, &diag);
	else if (strcmp(what, "list") == 0)
		err = list(s, operand, NULL, &diag);
	else if (strcmp(what, "search") == 0 && operand)
		err = list(s, NULL, operand, &diag);
	else if (strcmp(what, "info") == 0 && operand)
		err = info(s, operand, &diag);
	else
		return options_usage_error(
			&face, "give add USER with --mirror and "
			       "--root, list, search WORD or info PKG");
	return err ? sculpt_report(&diag) : 0;
}
