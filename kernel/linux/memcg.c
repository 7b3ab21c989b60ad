/*
 * Memory cgroups of protection domains (memcg.h). RLIMIT_DATA bounds a
 * domain's private memory only: shared anonymous mappings, the buffers of
 * sockets it fills and the kernel's memory for its threads escape it. A
 * memory cgroup counts all of that (on cgroup v1 the kernel charges
 * kernel memory, socket buffers of Unix sockets included, to the
 * cgroup's usage), so each domain gets one, limited to its RAM limit plus
 * MEMCG_MARGIN, with swap counted in (memsw, or no swap on v2); a domain
 * over it is killed by the kernel's OOM killer of that cgroup alone. A
 * pids cgroup bounds its threads.
 *
 * Where: below the cgroup the creating process (core) is in, never
 * elsewhere in the hierarchy: <own cgroup>/core.<ns>.<pid>/pd.<pid>.<n>
 * (ns: the pid namespace, whose pids these are). cgroup v2
 * where its memory and pids controllers can be enabled for that subtree,
 * else cgroup v1 memory (and pids, if mounted). A cgroup is removed when
 * its domain has been reaped, core.<ns>.<pid> when core exits; what a core
 * killed without warning leaves is removed by the next one that starts
 * (the core.<ns>.<pid> of every pid of its namespace that no longer
 * runs).
 *
 * State: `groups` is written once by memcg_prepare() (under pthread_once)
 * and read-only afterwards; the sequence number of cgroup names is atomic.
 */
#include "memcg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum memcg_mode { MEMCG_NONE, MEMCG_V2, MEMCG_V1 };

static struct groups {
	enum memcg_mode mode;
	int mem_fd, pids_fd; /* <own>/core.<ns>.<pid>, or -1 */
	char mem_path[PATH_MAX], pids_path[PATH_MAX];
	char mechanism[6 * PATH_MAX];
} groups = { .mem_fd = -1, .pids_fd = -1 };

static pthread_once_t groups_once = PTHREAD_ONCE_INIT;
static atomic_uint next_number;

/* --- finding the hierarchies -------------------------------------------- */

/* Whether the comma-separated `list` holds `word`. */
static int list_has(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, word, len) == 0 &&
		    (p[len] == ',' || p[len] == '\0' || p[len] == ' ' ||
		     p[len] == '\n'))
			return 1;
	}
	return 0;
}

/* This process's cgroup in the hierarchy of `controller` ("" for v2)
 * from /proc/self/cgroup, into path[size]. 0 or -1. */
static int own_cgroup(const char *controller, char *path, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 64];
	int rc = -1;
	while (f && rc != 0 && fgets(line, sizeof(line), f)) {
		char *list = strchr(line, ':');
		char *own = list ? strchr(list + 1, ':') : NULL;
		if (!own)
			continue;
		*own++ = '\0';
		list++;
		own[strcspn(own, "\n")] = '\0';
		if ((controller[0] ? list_has(list, controller)
		                   : list[0] == '\0') &&
		    (size_t)snprintf(path, size, "%s", own) < size)
			rc = 0;
	}
	if (f)
		fclose(f);
	return rc;
}

/* The mount point and root of the hierarchy of `controller` ("" for
 * v2) from /proc/self/mountinfo. 0 or -1. */
static int hierarchy(const char *controller, char *mount, char *root,
                     size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[2 * PATH_MAX];
	int rc = -1;
	while (f && rc != 0 && fgets(line, sizeof(line), f)) {
		char r[PATH_MAX], m[PATH_MAX], type[32], options[512];
		const char *tail = strstr(line, " - ");
		if (!tail ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", r, m) != 2 ||
		    sscanf(tail, " - %31s %*s %511s", type, options) != 2)
			continue;
		int match = controller[0]
		                    ? strcmp(type, "cgroup") == 0 &&
		                              list_has(options, controller)
		                    : strcmp(type, "cgroup2") == 0;
		if (match && strlen(m) < size && strlen(r) < size) {
			memcpy(mount, m, strlen(m) + 1);
			memcpy(root, r, strlen(r) + 1);
			rc = 0;
		}
	}
	if (f)
		fclose(f);
	return rc;
}

/* The directory of this process's own cgroup of `controller`. */
static int own_directory(const char *controller, char *dir, size_t size)
{
	char mount[PATH_MAX], root[PATH_MAX], own[PATH_MAX];
	if (hierarchy(controller, mount, root, sizeof(mount)) != 0 ||
	    own_cgroup(controller, own, sizeof(own)) != 0)
		return -1;
	size_t root_len = strcmp(root, "/") == 0 ? 0 : strlen(root);
	if (strncmp(own, root, root_len) != 0)
		return -1; /* our cgroup is outside what is mounted here */
	const char *below = strcmp(own + root_len, "/") == 0 ? ""
	                                                     : own + root_len;
	return (size_t)snprintf(dir, size, "%s%s", mount, below) < size ? 0
	                                                                : -1;
}

/* --- files -------------------------------------------------------------- */

static int write_file(int dir_fd, const char *name, const char *text)
{
	int fd = openat(dir_fd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int write_number(int dir_fd, const char *name, unsigned long long value)
{
	char text[32];
	snprintf(text, sizeof(text), "%llu", value);
	return write_file(dir_fd, name, text);
}

static int file_exists(int dir_fd, const char *name)
{
	return faccessat(dir_fd, name, F_OK, 0) == 0;
}

/* The number after `key ` in a flat-keyed file (memory.events,
 * memory.oom_control); 0 if none. */
static unsigned long long read_key(int dir_fd, const char *name,
                                   const char *key)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char line[128], k[64];
	unsigned long long value = 0, v;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %llu", k, &v) == 2 &&
		    strcmp(k, key) == 0)
			value = v;
	fclose(f);
	return value;
}

/* --- the directory of this process's domains ----------------------------- */

/* Removes a core.<ns>.<pid> directory with the pd.* cgroups in it; those
 * that still hold a task stay (rmdir refuses), and so does the base. */
static void remove_base(const char *path)
{
	DIR *inner = opendir(path);
	for (struct dirent *p; inner && (p = readdir(inner));)
		if (strncmp(p->d_name, "pd.", 3) == 0)
			(void)unlinkat(dirfd(inner), p->d_name, AT_REMOVEDIR);
	if (inner)
		closedir(inner);
	(void)rmdir(path);
}

/* The name of this process's directory, "core.<pid namespace>.<pid>":
 * the pid namespace too, since processes of other pid namespaces may
 * share the hierarchy and their pids mean nothing here. */
static void base_name(char *name, size_t size)
{
	struct stat st;
	unsigned long ns = stat("/proc/self/ns/pid", &st) == 0
	                           ? (unsigned long)st.st_ino
	                           : 0;
	snprintf(name, size, "core.%lu.%d", ns, (int)getpid());
}

/* Removes the directories <dir>/core.<our pid namespace>.<pid> of
 * processes that no longer run, with the pd.* cgroups in them (empty:
 * their domains died with that core). */
static void sweep_stale(const char *dir)
{
	char own[64];
	base_name(own, sizeof(own));
	size_t prefix = (size_t)(strrchr(own, '.') - own) + 1; /* "core.NS." */
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		char *end;
		if (strncmp(e->d_name, own, prefix) != 0)
			continue;
		long pid = strtol(e->d_name + prefix, &end, 10);
		if (*end || pid <= 0 || pid > INT_MAX ||
		    (pid != getpid() &&
		     (kill((pid_t)pid, 0) == 0 || errno != ESRCH)))
			continue;
		char path[PATH_MAX + 300];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		remove_base(path);
	}
	closedir(d);
}

/* Makes <own cgroup of controller>/core.<ns>.<pid>: its descriptor, or -1
 * with errno set. */
static int make_base(const char *controller, char *path, size_t size)
{
	char own[PATH_MAX];
	if (own_directory(controller, own, sizeof(own)) != 0) {
		errno = ENOENT;
		return -1;
	}
	char name[64];
	base_name(name, sizeof(name));
	sweep_stale(own);
	if ((size_t)snprintf(path, size, "%s/%s", own, name) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* At exit: the cgroups of domains this process did not reap (those a
 * forked copy of it created) are empty by now or hold a task still. */
static void remove_bases(void)
{
	if (groups.mem_fd >= 0)
		remove_base(groups.mem_path);
	if (groups.pids_fd >= 0)
		remove_base(groups.pids_path);
}

/* cgroup v2: both controllers in core.<ns>.<pid>'s subtree. Our own cgroup
 * must pass them on, which it can only if it is the root or holds no
 * process (cgroup v2 has no processes in inner cgroups): asked for, and
 * if refused, v2 is not used. */
static int prepare_v2(char *why, size_t size)
{
	char own[PATH_MAX];
	if (own_directory("", own, sizeof(own)) != 0) {
		snprintf(why, size, "no cgroup v2 hierarchy");
		return -1;
	}
	int own_fd = open(own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (own_fd < 0 || write_file(own_fd, "cgroup.subtree_control",
	                             "+memory +pids") != 0) {
		snprintf(why, size,
		         "cgroup v2 at %s does not pass on its memory "
		         "and pids controllers (%s)",
		         own, strerror(errno));
		if (own_fd >= 0)
			close(own_fd);
		return -1;
	}
	close(own_fd);
	int fd = make_base("", groups.mem_path, sizeof(groups.mem_path));
	if (fd < 0 ||
	    write_file(fd, "cgroup.subtree_control", "+memory +pids") != 0) {
		snprintf(why, size,
		         "cannot make %s for the domains' cgroups: %s",
		         groups.mem_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		(void)rmdir(groups.mem_path);
		return -1;
	}
	groups.mem_fd = fd;
	groups.mode = MEMCG_V2;
	snprintf(groups.mechanism, sizeof(groups.mechanism),
	         "cgroup v2 memory "
	         "and pids controllers below %s",
	         groups.mem_path);
	return 0;
}

static int prepare_v1(char *why, size_t size)
{
	int fd = make_base("memory", groups.mem_path, sizeof(groups.mem_path));
	if (fd < 0) {
		snprintf(why, size,
		         "no cgroup v1 memory controller to use (%s)",
		         strerror(errno));
		return -1;
	}
	groups.mem_fd = fd;
	groups.mode = MEMCG_V1;
	groups.pids_fd = make_base("pids", groups.pids_path,
	                           sizeof(groups.pids_path));
	snprintf(
		groups.mechanism, sizeof(groups.mechanism),
		"cgroup v1 memory "
		"controller below %s%s%s",
		groups.mem_path,
		groups.pids_fd >= 0
			? ", pids controller below "
			: " (no pids "
			  "controller: threads are bounded by the RAM quota alone)",
		groups.pids_fd >= 0 ? groups.pids_path : "");
	return 0;
}

static void prepare_once(void)
{
	char why_v2[2 * PATH_MAX + 200], why_v1[2 * PATH_MAX + 200];
	if (prepare_v2(why_v2, sizeof(why_v2)) == 0 ||
	    prepare_v1(why_v1, sizeof(why_v1)) == 0) {
		atexit(remove_bases);
		return;
	}
	snprintf(groups.mechanism, sizeof(groups.mechanism),
	         "none: %s; %s. "
	         "A domain's memory is bounded by RLIMIT_DATA alone, which "
	         "counts neither shared memory nor socket buffers",
	         why_v2, why_v1);
}

/* Finds or makes the cgroups of this process's domains, once. */
static void memcg_prepare(void)
{
	pthread_once(&groups_once, prepare_once);
}

const char *memcg_mechanism(void)
{
	memcg_prepare();
	return groups.mechanism;
}

/* --- one domain's cgroup ------------------------------------------------- */

/* Makes the cgroup `name` below base_fd; on failure nothing is left. */
static int make_group(int base_fd, const char *name, int *dir_fd, int *procs_fd)
{
	if (mkdirat(base_fd, name, 0755) != 0)
		return -1;
	*dir_fd = openat(base_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*procs_fd = *dir_fd >= 0 ? openat(*dir_fd, "cgroup.procs",
	                                  O_WRONLY | O_CLOEXEC)
	                         : -1;
	if (*procs_fd >= 0)
		return 0;
	if (*dir_fd >= 0)
		close(*dir_fd);
	*dir_fd = -1;
	(void)unlinkat(base_fd, name, AT_REMOVEDIR);
	return -1;
}

int memcg_set_limit(const struct memcg *m, size_t ram_limit)
{
	if (m->dir_fd < 0)
		return 0;
	unsigned long long limit = (unsigned long long)ram_limit + MEMCG_MARGIN;
	if (groups.mode == MEMCG_V2) {
		return write_number(m->dir_fd, "memory.max", limit) == 0 ||
		                       errno == EBUSY
		               ? 0
		               : -1;
	}
	/* memsw (memory and swap) may never be below the memory limit:
	 * raised first, lowered last */
	int memsw = file_exists(m->dir_fd, "memory.memsw.limit_in_bytes");
	if (memsw)
		(void)write_number(m->dir_fd, "memory.memsw.limit_in_bytes",
		                   limit);
	if (write_number(m->dir_fd, "memory.limit_in_bytes", limit) != 0 &&
	    errno != EBUSY)
		return -1;
	if (memsw &&
	    write_number(m->dir_fd, "memory.memsw.limit_in_bytes", limit) !=
	            0 &&
	    errno != EBUSY)
		return -1;
	return 0;
}

static void close_all(struct memcg *m)
{
	int *fds[] = { &m->dir_fd, &m->pids_fd, &m->procs_fd[0],
		       &m->procs_fd[1] };
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int memcg_create(struct memcg *m, size_t ram_limit)
{
	memcg_prepare();
	m->dir_fd = m->pids_fd = m->procs_fd[0] = m->procs_fd[1] = -1;
	/* the creator's pid too: a forked creator inherits next_number */
	snprintf(m->name, sizeof(m->name), "pd.%d.%u", (int)getpid(),
	         atomic_fetch_add(&next_number, 1));
	if (groups.mode == MEMCG_NONE)
		return 0;
	if (make_group(groups.mem_fd, m->name, &m->dir_fd, &m->procs_fd[0]) !=
	    0)
		goto fail;
	if (groups.mode == MEMCG_V2 &&
	    (write_number(m->dir_fd, "pids.max", MEMCG_MAX_TASKS) != 0 ||
	     write_file(m->dir_fd, "memory.swap.max", "0") != 0))
		goto fail;
	if (groups.pids_fd >= 0 &&
	    (make_group(groups.pids_fd, m->name, &m->pids_fd,
	                &m->procs_fd[1]) != 0 ||
	     write_number(m->pids_fd, "pids.max", MEMCG_MAX_TASKS) != 0))
		goto fail;
	if (memcg_set_limit(m, ram_limit) != 0)
		goto fail;
	return 0;
fail:
	memcg_remove(m);
	return -1;
}

int memcg_join(const struct memcg *m)
{
	for (int i = 0; i < 2; i++)
		if (m->procs_fd[i] >= 0 && write(m->procs_fd[i], "0", 1) != 1)
			return -1;
	return 0;
}

void memcg_joined(struct memcg *m)
{
	for (int i = 0; i < 2; i++) {
		if (m->procs_fd[i] >= 0)
			close(m->procs_fd[i]);
		m->procs_fd[i] = -1;
	}
}

int memcg_oom_killed(const struct memcg *m)
{
	if (m->dir_fd < 0)
		return 0;
	return groups.mode == MEMCG_V2
	               ? read_key(m->dir_fd, "memory.events", "oom_kill") > 0
	               : read_key(m->dir_fd, "memory.oom_control", "oom_kill") >
	                         0;
}

void memcg_remove(struct memcg *m)
{
	int had_mem = m->dir_fd >= 0, had_pids = m->pids_fd >= 0;
	close_all(m);
	if (had_mem)
		(void)unlinkat(groups.mem_fd, m->name, AT_REMOVEDIR);
	if (had_pids)
		(void)unlinkat(groups.pids_fd, m->name, AT_REMOVEDIR);
}
