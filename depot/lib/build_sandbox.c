/*
 * build_sandbox_enter (build_sandbox.h): the bounds of an archive's make,
 * set in the child between fork and exec. Each step either holds or the
 * build is refused with the step named: a builder never gets a build that
 * is less confined than this file says without being told.
 *
 * Order matters: the network namespace first (unsharing a user namespace
 * needs no Landlock domain yet), then rlimits, then no_new_privs and the
 * Landlock domain, then the environment, last because the caller's
 * environment is still needed to find nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../lib/landlock/landlock_abi.h"

#include "build_sandbox.h"
#include "depot/build.h"

extern char **environ;

/* Directories a compiler and make read and execute from. Missing ones
 * are skipped. No home directory, no /tmp, no /proc (it would show other
 * processes' environments and command lines). */
static const char *const system_dirs[] = {
	"/usr",   "/bin",    "/sbin", "/lib", "/lib32",
	"/lib64", "/libx32", "/etc",  "/opt",
};

static int fail(char *why, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t size, const char *fmt, ...)
{
	va_list args;
	int saved = errno;
	va_start(args, fmt);
	int n = vsnprintf(why, size, fmt, args); // NOLINT(clang-analyzer-valist.Uninitialized): started just above
	va_end(args);
	if (n >= 0 && (size_t)n < size)
		snprintf(why + n, size - (size_t)n, ": %s", strerror(saved));
	return -1;
}

/* Writes `text` to /proc/self/<file> (the maps of a new user namespace). */
static int write_proc(const char *file, const char *text)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/%s", file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A network namespace of its own: no way out but the descriptors make
 * inherits (none are sockets). Root unshares it directly; another user
 * needs a user namespace first, mapping only its own ids. */
static int isolate_network(char *why, size_t size)
{
	if (unshare(CLONE_NEWNET) == 0)
		return 0;
	if (errno != EPERM)
		return fail(why, size, "cannot make a network namespace");
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return fail(why, size,
		            "cannot make a network namespace (as uid "
		            "%u, not even in a user namespace)",
		            (unsigned)uid);
	char map[64];
	snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (write_proc("uid_map", map) < 0 ||
	    write_proc("setgroups", "deny\n") < 0)
		return fail(why, size,
		            "cannot map the user in the build's user "
		            "namespace");
	snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	if (write_proc("gid_map", map) < 0)
		return fail(why, size,
		            "cannot map the group in the build's user "
		            "namespace");
	return 0;
}

static int set_limits(char *why, size_t size)
{
	static const struct {
		int resource;
		rlim_t value;
		const char *name;
	} limits[] = {
		{ RLIMIT_CPU, DEPOT_BUILD_CPU_MAX, "RLIMIT_CPU" },
		{ RLIMIT_FSIZE, DEPOT_BUILD_FILE_MAX, "RLIMIT_FSIZE" },
		{ RLIMIT_AS, DEPOT_BUILD_MEMORY_MAX, "RLIMIT_AS" },
		{ RLIMIT_NOFILE, DEPOT_BUILD_FILES_MAX, "RLIMIT_NOFILE" },
		{ RLIMIT_CORE, 0, "RLIMIT_CORE" },
	};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		struct rlimit old, new;
		if (getrlimit(limits[i].resource, &old) < 0)
			return fail(why, size, "cannot read %s",
			            limits[i].name);
		/* never raise what the builder's own limits say */
		new.rlim_cur = new.rlim_max = limits[i].value < old.rlim_max
		                                      ? limits[i].value
		                                      : old.rlim_max;
		if (setrlimit(limits[i].resource, &new) < 0)
			return fail(why, size, "cannot set %s", limits[i].name);
	}
	return 0;
}

/* Allows `rights` beneath `path`; a missing path is skipped. */
static int allow(int ruleset, const char *path, uint64_t rights)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		rights &= LANDLOCK_ACCESS_FS_EXECUTE |
		          LANDLOCK_ACCESS_FS_READ_FILE |
		          LANDLOCK_ACCESS_FS_WRITE_FILE |
		          LANDLOCK_ACCESS_FS_TRUNCATE;
	struct landlock_path_beneath_attr rule = {
		.allowed_access = rights,
		.parent_fd = fd,
	};
	long rc = syscall(SYS_landlock_add_rule, ruleset,
	                  LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
	close(fd);
	return rc < 0 ? -1 : 0;
}

static int confine_files(const char *work, char *why, size_t size)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	                       LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return fail(why, size,
		            "Landlock is not available to confine "
		            "the build's files");
	uint64_t all = landlock_fs_rights(abi);
	uint64_t read = LANDLOCK_ACCESS_FS_EXECUTE |
	                LANDLOCK_ACCESS_FS_READ_FILE |
	                LANDLOCK_ACCESS_FS_READ_DIR;
	uint64_t device = LANDLOCK_ACCESS_FS_READ_FILE |
	                  LANDLOCK_ACCESS_FS_WRITE_FILE |
	                  (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0);
	/* ABI 6: no signal to, no abstract socket of, a process outside */
	struct ruleset_attr attr = { .handled_access_fs = all };
	size_t attr_size = sizeof attr.handled_access_fs;
	if (abi >= 6) {
		attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
		attr_size = sizeof attr;
	}
	int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr,
	                           attr_size, 0);
	if (ruleset < 0)
		return fail(why, size, "cannot make a Landlock ruleset");
	int rc = allow(ruleset, work, all);
	for (size_t i = 0; !rc && i < sizeof system_dirs / sizeof *system_dirs;
	     i++)
		rc = allow(ruleset, system_dirs[i], read);
	if (!rc)
		rc = allow(ruleset, "/dev/null", device);
	if (!rc)
		rc = allow(ruleset, "/dev/zero", LANDLOCK_ACCESS_FS_READ_FILE);
	if (!rc)
		rc = allow(ruleset, "/dev/urandom",
		           LANDLOCK_ACCESS_FS_READ_FILE);
	if (rc) {
		fail(why, size, "cannot add a Landlock rule");
		close(ruleset);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
		fail(why, size, "cannot enter the Landlock domain");
		close(ruleset);
		return -1;
	}
	close(ruleset);
	return 0;
}

/* Only what a build needs; nothing of the builder's (tokens, agents,
 * proxies, DEPOT_* paths) reaches the Makefile. */
static int clean_environment(const char *work, char *why, size_t size)
{
	static char home[4096 + 8], tmpdir[4096 + 16];
	static char *env[] = {
		"PATH=/usr/local/bin:/usr/bin:/bin",
		home,
		tmpdir,
		"LC_ALL=C",
		"TZ=UTC",
		NULL,
	};
	if ((size_t)snprintf(home, sizeof home, "HOME=%s", work) >=
	            sizeof home ||
	    (size_t)snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s/tmp", work) >=
	            sizeof tmpdir) {
		errno = ENAMETOOLONG;
		return fail(why, size, "cannot name the build's home");
	}
	environ = env;
	return 0;
}

int build_sandbox_enter(const char *work, char *why, size_t why_size)
{
	if (setpgid(0, 0) < 0)
		return fail(why, why_size, "cannot make a process group");
	if (isolate_network(why, why_size) < 0 ||
	    set_limits(why, why_size) < 0 ||
	    confine_files(work, why, why_size) < 0 ||
	    clean_environment(work, why, why_size) < 0)
		return -1;
	return 0;
}
