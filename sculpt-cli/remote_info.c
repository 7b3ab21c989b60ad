/*
 * `sculpt depot info PKG` before PKG is installed: a person deciding
 * whether to install a pkg sees what it is from the depot user's signed
 * metadata alone. The versions and lengths come from the user's verified
 * TUF role (depot_trust_list); the runtime file and the closure need the
 * pkgs' own `runtime` and `archives` files, so the pkgs of the closure
 * (small: lists and a JSON file) are fetched, verified against their
 * signed length and sha256, and installed into a scratch depot in
 * $TMPDIR, which is removed at the end; every other archive of the
 * closure is only looked up (signed length, signed unpacked size). The
 * closure itself is libdepot's walk over that scratch depot.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "lib/depots.h"
#include "remote_info.h"

/* ---- the signed versions ------------------------------------------------ */

struct versions {
	const struct depot_name *pkg;
	char lines[64][DEPOT_PART_MAX + 32];
	size_t count, more; /* `more`: those past the 64 kept */
};

static void note_version(void *ctx, const struct depot_name *name,
                         uint64_t length)
{
	struct versions *v = ctx;

	if (strcmp(name->kind, "pkg") != 0 ||
	    strcmp(name->name, v->pkg->name) != 0)
		return;
	if (v->count == sizeof(v->lines) / sizeof(v->lines[0])) {
		v->more++;
		return;
	}
	snprintf(v->lines[v->count++], sizeof(v->lines[0]), "%s (%llu bytes)",
	         name->version, (unsigned long long)length);
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* ---- the pkgs of the closure, fetched into the scratch depot ----------- */

struct scratch {
	struct depot_trust *trust;
	struct depot_fetch_options fetch; /* mirrors: <mirror>/targets */
	char dir[PATH_MAX];               /* the scratch target */
	char depot[PATH_MAX];             /* its depot */
	struct depot_diag *diag;
};

/* Fetches pkg `pkg`, verified against its signed length and sha256, and
 * installs it into the scratch depot. */
static int fetch_pkg(struct scratch *sc, const struct depot_name *pkg)
{
	struct depot_limits limits = depot_limits_default();
	struct depot_target target = { 0 };
	char text[DEPOT_NAME_MAX], path[DEPOT_NAME_MAX + 16], file[PATH_MAX];
	int err;

	depot_name_format(pkg, text);
	snprintf(path, sizeof(path), "%s.tar.zst", text);
	if (snprintf(file, sizeof(file), "%s/download.tar.zst", sc->dir) >=
	    (int)sizeof(file))
		return DEPOT_E_USAGE;
	err = depot_trust_lookup(sc->trust, pkg, &target.length, target.sha256,
	                         &limits, sc->diag);
	target.path = path;
	target.dest = file;
	if (!err && depot_fetch(&sc->fetch, &target, 1) != DEPOT_OK) {
		*sc->diag = target.diag;
		err = target.result;
	}
	if (!err)
		err = depot_install(sc->depot, pkg, file, &limits, sc->diag);
	remove(file);
	return err;
}

static int nothing(void *ctx, const struct depot_name *name)
{
	(void)ctx;
	(void)name;
	return DEPOT_OK;
}

enum { PKGS_MAX = 256 };

/* Fetches the pkgs of `root`'s closure into the scratch depot: libdepot's
 * closure walk (which reads each pkg's list below the pkg's directory)
 * names the first pkg that is not there yet, until none is missing. */
static int fetch_closure_pkgs(struct scratch *sc, const struct depot_name *root)
{
	struct depot_name missing;
	struct depot_diag ignored;
	int err = DEPOT_OK;

	for (int i = 0; i < PKGS_MAX; i++) {
		err = depot_closure(sc->depot, root, arch_of_host(), nothing,
		                    NULL, sc->diag);
		if (err != DEPOT_E_NOT_INSTALLED)
			return err;
		if (depot_name_parse(sc->diag->subject, &missing, &ignored) ||
		    strcmp(missing.kind, "pkg") != 0)
			return err;
		err = fetch_pkg(sc, &missing);
		if (err)
			return err;
	}
	return err;
}

/* ---- printing ------------------------------------------------------------ */

struct sizes {
	struct depot_trust *trust;
	uint64_t download, unpacked;
	int unpacked_unknown;
};

static int print_signed(void *ctx, const struct depot_name *name)
{
	struct sizes *z = ctx;
	struct depot_limits limits = { UINT64_MAX, UINT64_MAX };
	struct depot_diag ignored = { { 0 }, { 0 } };
	uint8_t sha[DEPOT_SHA256_LEN];
	uint64_t length = 0;
	char text[DEPOT_NAME_MAX];

	depot_name_format(name, text);
	if (depot_trust_lookup(z->trust, name, &length, sha, &limits,
	                       &ignored)) {
		printf("  %-56s not signed: an install would fail\n", text);
		return DEPOT_OK;
	}
	z->download += length;
	if (limits.max_bytes == UINT64_MAX)
		z->unpacked_unknown = 1;
	else
		z->unpacked += limits.max_bytes;
	printf("  %-56s %10llu bytes\n", text, (unsigned long long)length);
	return DEPOT_OK;
}

static void print_names(const char *what, const struct runtime_name_list *list)
{
	printf("%s:", what);
	for (size_t i = 0; i < list->count; i++)
		printf(" %s", list->names[i]);
	puts(list->count ? "" : " -");
}

static int print_runtime(struct sculpt *s, struct scratch *sc, const char *pkg,
                         struct sculpt_diag *diag)
{
	struct sculpt scratch_target = *s;
	struct pkg_source pkgs;
	struct pkg_runtime *runtime;
	int err;

	scratch_target.target = sc->dir;
	pkgs = sculpt_pkg_source(&scratch_target);
	err = pkgs.load(pkgs.ctx, pkg, &runtime, diag);
	if (err)
		return err;
	printf("binary %s, ram %llu, caps %llu\n", runtime->binary,
	       (unsigned long long)runtime->ram,
	       (unsigned long long)runtime->caps);
	print_names("requires", &runtime->requires);
	print_names("provides", &runtime->provides);
	printf("config: %s\n", runtime->config ? runtime->config : "-");
	pkg_runtime_free(runtime);
	return 0;
}

/* ---- the verb's part ----------------------------------------------------- */

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* <mirror>/targets for each mirror of the user: where archives are. */
static int target_mirrors(const struct depot_user *user,
                          char mirrors[DEPOTS_MIRRORS_MAX][PATH_MAX],
                          const char *pointers[DEPOTS_MIRRORS_MAX])
{
	for (size_t i = 0; i < user->mirror_count; i++) {
		size_t n = strlen(user->mirrors[i]);

		while (n > 0 && user->mirrors[i][n - 1] == '/')
			n--;
		if (snprintf(mirrors[i], PATH_MAX, "%.*s/targets", (int)n,
		             user->mirrors[i]) >= PATH_MAX)
			return -1;
		pointers[i] = mirrors[i];
	}
	return 0;
}

static int describe(struct sculpt *s, struct scratch *sc,
                    struct depot_name *pkg, struct sculpt_diag *diag)
{
	struct versions v = { .pkg = pkg };
	struct sizes z = { .trust = sc->trust };
	char text[DEPOT_NAME_MAX];
	int err;

	err = depot_trust_list(sc->trust, pkg->user, note_version, &v,
	                       sc->diag);
	if (!err && v.count == 0)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "depot user '%s' signed no "
		                   "pkg '%s': sculpt depot search %s",
		                   pkg->user, pkg->name, pkg->name);
	if (!err && !pkg->version[0])
		err = depot_trust_latest(sc->trust, pkg, sc->diag);
	if (!err)
		err = fetch_closure_pkgs(sc, pkg);
	if (err)
		return sculpt_depot_fail(diag, err, sc->diag);
	depot_name_format(pkg, text);
	qsort(v.lines, v.count, sizeof(v.lines[0]), compare_lines);
	printf("pkg %s (not installed: from depot user '%s''s signed "
	       "metadata)\nsigned versions:",
	       text, pkg->user);
	for (size_t i = 0; i < v.count; i++)
		printf("%s %s", i ? "," : "", v.lines[i]);
	if (v.more)
		printf(" and %zu more", v.more);
	puts("");
	err = print_runtime(s, sc, text, diag);
	if (err)
		return err;
	puts("closure:");
	err = depot_closure(sc->depot, pkg, arch_of_host(), print_signed, &z,
	                    sc->diag);
	if (err)
		return sculpt_depot_fail(diag, err, sc->diag);
	printf("size %llu bytes to download, %s%llu bytes installed\n",
	       (unsigned long long)z.download,
	       z.unpacked_unknown ? "more than " : "",
	       (unsigned long long)z.unpacked);
	printf("install it: sculpt install %s\n", text);
	return 0;
}

int remote_info(struct sculpt *s, const char *text, struct sculpt_diag *diag)
{
	struct depot_users users;
	const struct depot_user *user;
	struct depot_name pkg;
	struct depot_diag about = { { 0 }, { 0 } };
	struct scratch sc = { .diag = &about };
	char with_version[DEPOT_NAME_MAX + 4], depot[PATH_MAX];
	char mirrors[DEPOTS_MIRRORS_MAX][PATH_MAX];
	const char *pointers[DEPOTS_MIRRORS_MAX];
	const char *tmp = getenv("TMPDIR");
	int slashes = 0, err;

	for (const char *p = text; *p; p++)
		slashes += *p == '/';
	snprintf(with_version, sizeof(with_version), "%s%s", text,
	         slashes == 2 ? "/0" : "");
	if (depot_name_parse(with_version, &pkg, &about) ||
	    strcmp(pkg.kind, "pkg") != 0)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "'%s' is not a pkg name "
		                   "(user/pkg/name[/version])",
		                   text);
	if (slashes == 2)
		pkg.version[0] = '\0';
	err = depots_load(s->target, &users, diag);
	if (!err)
		err = depots_find(&users, pkg.user, &user, diag);
	if (!err && target_mirrors(user, mirrors, pointers) < 0)
		err = sculpt_fail(diag, SCULPT_E_DEPOT,
		                  "a mirror URL of '%s' is "
		                  "too long",
		                  pkg.user);
	if (!err) {
		depots_fetch_options(user, 0, &sc.fetch);
		sculpt_depot_dir(s, depot);
		err = depot_trust_open(&sc.trust, depot, pkg.user, &sc.fetch, 0,
		                       &about);
		if (err)
			err = sculpt_depot_fail(diag, err, &about);
	}
	if (!err) {
		sc.fetch.mirrors = pointers;
		if (snprintf(sc.dir, sizeof(sc.dir) - 8,
		             "%s/sculpt-info-XXXXXX",
		             tmp && tmp[0] ? tmp : "/tmp") >=
		            (int)sizeof(sc.dir) - 8 ||
		    !mkdtemp(sc.dir))
			err = sculpt_fail(diag, SCULPT_E_IO,
			                  "cannot make a scratch "
			                  "directory in '%s'",
			                  tmp ? tmp : "/tmp");
	}
	if (!err) {
		/* sc.dir leaves room for "/depot" */
		if (snprintf(sc.depot, sizeof(sc.depot), "%s/depot", sc.dir) <
		    (int)sizeof(sc.depot))
			err = describe(s, &sc, &pkg, diag);
		nftw(sc.dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	depot_trust_free(sc.trust);
	depots_free(&users);
	return err;
}
