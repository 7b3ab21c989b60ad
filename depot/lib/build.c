/*
 * depot_build (depot/build.h): one src archive in, one bin archive out.
 * The src archive and the archives its build description uses are
 * extracted, with the safe extractor, into one tree inside a staging
 * directory; make runs there confined (build_sandbox.h: no network, files
 * beneath the staging directory only, rlimits, a clean environment, a
 * wall-clock bound) and with the tree's path mapped to "." in debug
 * information, so that the same archives give the same binaries wherever
 * the depot lives; the outputs become a reproducible archive that is
 * installed like any other. Another arch than the host's is built only
 * from a description written for it (build.<arch>, a cross build: the
 * tree's make knows the cross compiler; libdepot only picks the file).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build_sandbox.h"
#include "depot/build.h"
#include "diag.h"
#include "extract.h"
#include "fsutil.h"
#include "staging.h"

enum { DESCRIPTION_MAX = 64 * 1024 };

/* A version taken from a directory entry: "V.tar.zst" or a directory "V". */
static int entry_version(const char *dir, const struct dirent *d,
                         char version[DEPOT_PART_MAX])
{
	const char *suffix = ".tar.zst";
	size_t length = strlen(d->d_name), suffix_length = strlen(suffix);
	if (length >= DEPOT_PART_MAX + suffix_length)
		return 0;
	if (length > suffix_length &&
	    strcmp(d->d_name + length - suffix_length, suffix) == 0) {
		snprintf(version, DEPOT_PART_MAX, "%.*s",
		         (int)(length - suffix_length), d->d_name);
		return depot_part_valid(version);
	}
	char path[PATH_MAX];
	struct stat st;
	if (snprintf(path, sizeof path, "%s/%s", dir, d->d_name) >=
	            (int)sizeof path ||
	    stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	if (length >= DEPOT_PART_MAX)
		return 0;
	memcpy(version, d->d_name, length + 1);
	return depot_part_valid(version);
}

int depot_newest_version(const char *depot, const struct depot_name *name,
                         char version[DEPOT_PART_MAX], struct depot_diag *diag)
{
	char dir[PATH_MAX], shown[DEPOT_NAME_MAX];
	if (name->arch[0])
		snprintf(shown, sizeof shown, "%s/%s/%s/%s", name->user,
		         name->kind, name->arch, name->name);
	else
		snprintf(shown, sizeof shown, "%s/%s/%s", name->user,
		         name->kind, name->name);
	int err = fs_pathf(dir, diag, "%s/%s", depot, shown);
	DIR *d = err ? NULL : opendir(dir);
	version[0] = '\0';
	for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
		char candidate[DEPOT_PART_MAX];
		if (e->d_name[0] != '.' && entry_version(dir, e, candidate) &&
		    strverscmp(candidate, version) > 0)
			snprintf(version, DEPOT_PART_MAX, "%s", candidate);
	}
	if (d)
		closedir(d);
	if (!err && version[0] == '\0' && name->arch[0])
		err = diag_set(diag, DEPOT_E_NOT_INSTALLED, shown,
		               "the depot holds no version of it (depot build "
		               "--arch %s %s src/%s, or depot fetch it, first)",
		               name->arch, name->user, name->name);
	else if (!err && version[0] == '\0')
		err = diag_set(diag, DEPOT_E_NOT_INSTALLED, shown,
		               "the depot "
		               "holds no version of it (depot create or depot "
		               "fetch it first)");
	return err;
}

/* Extracts the archive file of `name` into the build tree. */
static int extract_into(const char *depot, const struct depot_name *name,
                        const char *tree, struct depot_diag *diag)
{
	char text[DEPOT_NAME_MAX], file[PATH_MAX];
	depot_name_format(name, text);
	int err = fs_pathf(file, diag, "%s/%s.tar.zst", depot, text);
	if (!err && access(file, R_OK) < 0)
		return diag_set(
			diag, DEPOT_E_NOT_INSTALLED, text,
			"no archive "
			"file %s (depot create or depot fetch it first)",
			file);
	struct depot_limits limits = depot_limits_default();
	char *lines = NULL;
	size_t length = 0;
	FILE *manifest = err ? NULL : open_memstream(&lines, &length);
	if (!err && !manifest)
		err = diag_set(diag, DEPOT_E_NOMEM, text, NULL);
	if (!err)
		err = extract_safe(file, tree, &limits, manifest, diag);
	if (manifest)
		fclose(manifest);
	free(lines); /* the tree is scratch: its manifest is not kept */
	return err;
}

/* The description for the host's arch is "build"; for another arch (a
 * cross build) "build.<arch>" (`cross` NULL: the host's). */
static int read_description(const char *tree, const char *name,
                            const char *cross,
                            struct depot_build_description *description,
                            struct depot_diag *diag)
{
	char path[PATH_MAX], file[DEPOT_PART_MAX + 8];
	char *text = NULL;
	size_t length = 0;
	snprintf(file, sizeof file, cross ? "build.%s" : "build", cross);
	int err = fs_pathf(path, diag, "%s/recipes/src/%s/%s", tree, name,
	                   file);
	if (!err && access(path, R_OK) < 0)
		return diag_set(diag, DEPOT_E_RECIPE, name,
		                "the src archive has "
		                "no build description recipes/src/%s/%s%s",
		                name, file,
		                cross ? " (this host builds for another "
		                        "arch only from a description for it)"
		                      : "");
	if (!err)
		err = fs_read_file(path, DESCRIPTION_MAX, &text, &length, diag);
	if (!err)
		err = depot_build_description_parse(text, length, description,
		                                    diag);
	free(text);
	return err;
}

/* Where a bin archive that the build uses goes: the fresh directory
 * <tree>/<dir>, which must not exist yet (no earlier archive made it) and
 * must stay inside the tree once made (no symbolic link of an earlier
 * archive leads it elsewhere). */
static int use_dir(const char *tree, const char *dir, char out[PATH_MAX],
                   struct depot_diag *diag)
{
	char real[PATH_MAX];
	size_t length = strlen(tree);
	int err = fs_pathf(out, diag, "%s/%s", tree, dir);
	if (!err)
		err = fs_mkdirs_parent(out, diag);
	if (!err && mkdir(out, 0755) < 0)
		return errno == EEXIST
		               ? diag_set(diag, DEPOT_E_RECIPE, "build",
		                          "'use ... %s': the tree holds %s "
		                          "already",
		                          dir, dir)
		               : diag_errno(diag, out);
	if (!err && (!realpath(out, real) || strncmp(real, tree, length) != 0 ||
	             real[length] != '/'))
		err = diag_set(diag, DEPOT_E_RECIPE, "build",
		               "'use ... %s' leads out of the build tree", dir);
	return err;
}

/* The archives the description uses, of the src archive's user: src, api
 * and raw ones at the tree's root, bin ones (of `arch`, the arch this
 * build makes) into their directories. */
static int extract_uses(const char *depot, const struct depot_name *src,
                        const char *arch,
                        const struct depot_build_description *description,
                        const char *tree, struct depot_diag *diag)
{
	int err = DEPOT_OK;
	for (size_t i = 0; !err && i < description->use_count; i++) {
		const struct depot_build_use *use = &description->uses[i];
		struct depot_name used = { 0 };
		char dest[PATH_MAX];
		snprintf(used.user, sizeof used.user, "%s", src->user);
		snprintf(used.kind, sizeof used.kind, "%s", use->kind);
		snprintf(used.name, sizeof used.name, "%s", use->name);
		if (use->dir[0])
			snprintf(used.arch, sizeof used.arch, "%s", arch);
		err = depot_newest_version(depot, &used, used.version, diag);
		if (!err && use->dir[0])
			err = use_dir(tree, use->dir, dest, diag);
		else if (!err)
			snprintf(dest, sizeof dest, "%s", tree);
		if (!err)
			err = extract_into(depot, &used, dest, diag);
	}
	return err;
}

/* The child side of run_make: confined (build_sandbox.h), then exec; a
 * confinement that fails is told through `report` (close-on-exec, so it
 * stays empty once make runs). */
static void exec_make(const char *work, const char *tree,
                      const char *const *argv, int quiet, int report)
{
	char why[512];
	int out = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC)
	                : STDERR_FILENO;
	if (out < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(out, STDERR_FILENO) < 0 || chdir(tree) < 0)
		_exit(126);
	if (build_sandbox_enter(work, why, sizeof why) < 0) {
		ssize_t ignored = write(report, why, strlen(why));
		(void)ignored;
		_exit(126);
	}
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for make, at most timeout_s seconds; then kills its process group
 * (make and all it started). Also kills what make left running once it
 * ended. 0 with *status, or 1 when the time ran out. */
static int wait_make(pid_t pid, unsigned timeout_s, int *status)
{
	double deadline = now_s() + timeout_s;
	struct timespec tick = { 0, 50L * 1000 * 1000 };
	int timed_out = 0;
	for (;;) {
		pid_t done = waitpid(pid, status, WNOHANG);
		if (done == pid || (done < 0 && errno != EINTR))
			break;
		if (!timed_out && now_s() >= deadline) {
			kill(-pid, SIGKILL);
			timed_out = 1;
		}
		nanosleep(&tick, NULL);
	}
	kill(-pid, SIGKILL);
	return timed_out;
}

/* What the child told through the report pipe, if anything. */
static int confinement_failed(int report, char *why, size_t size)
{
	ssize_t n = read(report, why, size - 1);
	why[n > 0 ? n : 0] = '\0';
	return n > 0;
}

static int run_make(const char *work, const char *tree, const char *name,
                    const struct depot_build_description *description,
                    const struct depot_build_options *options,
                    struct depot_diag *diag)
{
	char jobs[32], cc[PATH_MAX + 64], map[PATH_MAX + 64], tmp[PATH_MAX],
		why[512];
	const char *argv[DEPOT_BUILD_TARGETS_MAX + 8];
	size_t argc = 0;
	unsigned timeout_s = options->timeout_s ? options->timeout_s
	                                        : DEPOT_BUILD_TIMEOUT_S;
	int report[2];
	int err = fs_pathf(tmp, diag, "%s/tmp", work);
	if (err)
		return err;
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return diag_errno(diag, tmp);
	snprintf(jobs, sizeof jobs, "-j%u", options->jobs ? options->jobs : 2);
	snprintf(cc, sizeof cc, "CC=gcc -ffile-prefix-map=%s=.", tree);
	/* The same for the tree's other compilers (cross compilers). */
	snprintf(map, sizeof map, "FILE_PREFIX_MAP=-ffile-prefix-map=%s=.",
	         tree);
	argv[argc++] = options->make ? options->make : "make";
	argv[argc++] = jobs;
	argv[argc++] = "--no-print-directory";
	argv[argc++] = "VARIANT=release";
	argv[argc++] = cc;
	argv[argc++] = map;
	for (size_t i = 0; i < description->target_count; i++)
		argv[argc++] = description->targets[i];
	argv[argc] = NULL;
	if (pipe2(report, O_CLOEXEC) < 0)
		return diag_errno(diag, "pipe");
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(report[0]);
		close(report[1]);
		return diag_errno(diag, "fork");
	}
	if (pid == 0)
		exec_make(work, tree, argv, options->quiet, report[1]);
	close(report[1]);
	int status = 0;
	int timed_out = wait_make(pid, timeout_s, &status);
	int unconfined = confinement_failed(report[0], why, sizeof why);
	close(report[0]);
	if (unconfined)
		return diag_set(diag, DEPOT_E_BUILD, name,
		                "not built: the build "
		                "could not be confined: %s",
		                why);
	if (timed_out)
		return diag_set(diag, DEPOT_E_BUILD, name,
		                "make %s ran longer "
		                "than %u s and was killed",
		                description->targets[0], timeout_s);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return DEPOT_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return diag_set(diag, DEPOT_E_BUILD, name, "could not run '%s'",
		                argv[0]);
	return diag_set(diag, DEPOT_E_BUILD, name, "make %s failed (%s %d)",
	                description->targets[0],
	                WIFEXITED(status) ? "exit status" : "signal",
	                WIFEXITED(status) ? WEXITSTATUS(status)
	                                  : WTERMSIG(status));
}

static int pack_outputs(const char *tree,
                        const struct depot_build_description *description,
                        const char *archive_file, struct depot_diag *diag)
{
	struct depot_content *content = depot_content_new();
	if (!content)
		return diag_set(diag, DEPOT_E_NOMEM, archive_file, NULL);
	int err = DEPOT_OK;
	for (size_t i = 0; !err && i < description->output_count; i++) {
		char path[PATH_MAX];
		const struct depot_build_output *output =
			&description->outputs[i];
		err = fs_pathf(path, diag, "%s/%s", tree, output->path);
		if (!err && access(path, R_OK) < 0)
			err = diag_set(diag, DEPOT_E_BUILD, output->path,
			               "make "
			               "did not produce this output");
		if (!err)
			err = depot_content_add(content, path,
			                        output->archive_path, diag);
	}
	if (!err)
		err = depot_archive_create(content, archive_file, diag);
	depot_content_free(content);
	return err;
}

/* Moves the new archive to its place, or checks it equals the one there:
 * a version, once made, never changes. */
static int place_archive(const char *built, const char *final,
                         const char *shown, struct depot_diag *diag)
{
	if (access(final, F_OK) == 0) {
		uint8_t a[DEPOT_SHA256_LEN], b[DEPOT_SHA256_LEN];
		uint64_t la = 0, lb = 0;
		int err = depot_sha256_file(built, a, &la, diag);
		if (!err)
			err = depot_sha256_file(final, b, &lb, diag);
		if (!err && (la != lb || memcmp(a, b, sizeof a) != 0))
			err = diag_set(
				diag, DEPOT_E_EXISTS, shown,
				"this build "
				"differs from the existing bin archive %s "
				"(the build is not reproducible, or the "
				"archives it used changed)",
				final);
		return err;
	}
	int err = fs_mkdirs_parent(final, diag);
	if (!err && rename(built, final) < 0)
		err = diag_errno(diag, final);
	return err;
}

/* The arch to build for: the host's, or another one (a cross build),
 * which must be a valid name part since it names a file and a directory. */
static int arch_check(const char *arch, const char **cross,
                      struct depot_diag *diag)
{
	struct utsname uts;
	if (uname(&uts) < 0)
		return diag_errno(diag, "uname");
	*cross = arch && strcmp(arch, uts.machine) != 0 ? arch : NULL;
	if (*cross && !depot_part_valid(*cross))
		return diag_set(diag, DEPOT_E_USAGE, arch, "not an arch name");
	return DEPOT_OK;
}

static int build_in(const char *depot, const struct depot_name *src,
                    const struct depot_build_options *options,
                    const char *cross, const struct depot_name *bin,
                    const char *work, struct depot_diag *diag)
{
	char tree[PATH_MAX], real_tree[PATH_MAX], built[PATH_MAX],
		final[PATH_MAX], shown[DEPOT_NAME_MAX];
	struct depot_build_description *description =
		calloc(1, sizeof *description);
	if (!description)
		return diag_set(diag, DEPOT_E_NOMEM, src->name, NULL);
	depot_name_format(bin, shown);
	int err = fs_pathf(tree, diag, "%s/tree", work);
	if (!err)
		err = fs_pathf(built, diag, "%s/bin.tar.zst", work);
	if (!err)
		err = fs_pathf(final, diag, "%s/%s.tar.zst", depot, shown);
	if (!err && (mkdir(tree, 0755) < 0 || !realpath(tree, real_tree)))
		err = diag_errno(diag, tree);
	if (!err)
		err = extract_into(depot, src, real_tree, diag);
	if (!err)
		err = read_description(real_tree, src->name, cross, description,
		                       diag);
	if (!err)
		err = extract_uses(depot, src, bin->arch, description,
		                   real_tree, diag);
	if (!err)
		err = run_make(work, real_tree, src->name, description, options,
		               diag);
	if (!err)
		err = pack_outputs(real_tree, description, built, diag);
	if (!err)
		err = place_archive(built, final, shown, diag);
	if (!err)
		err = depot_install(depot, bin, final, NULL, diag);
	free(description);
	return err;
}

int depot_build(const char *depot, const struct depot_name *src,
                const struct depot_build_options *options,
                struct depot_name *bin, struct depot_diag *diag)
{
	struct depot_build_options defaults = { 0 };
	struct depot_name source = *src;
	if (!options)
		options = &defaults;
	if (strcmp(src->kind, "src") != 0)
		return diag_set(diag, DEPOT_E_USAGE, src->name,
		                "only src "
		                "archives are built, not %s",
		                src->kind);
	const char *cross = NULL;
	int err = arch_check(options->arch, &cross, diag);
	if (!err && source.version[0] == '\0')
		err = depot_newest_version(depot, &source, source.version,
		                           diag);
	if (err)
		return err;
	struct utsname uts;
	uname(&uts);
	*bin = source;
	snprintf(bin->kind, sizeof bin->kind, "bin");
	snprintf(bin->arch, sizeof bin->arch, "%s",
	         options->arch ? options->arch : uts.machine);
	struct staging s;
	err = staging_open(depot, &s, diag);
	if (err)
		return err;
	err = build_in(depot, &source, options, cross, bin, s.path, diag);
	staging_close(&s);
	return err;
}
