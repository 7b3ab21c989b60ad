/*
 * The pkg bench of `make bench` (tests/bench/pkg_bench.sh prepares a
 * target booted from a depot and runs this program on it). Measures, in
 * one run:
 *
 *   baseline  fork + exec of the hello binary of the target's depot until
 *             its first output line arrives on a pipe: the floor of
 *             starting a process that says something
 *   pkg start a new config written (renamed into place) until the first
 *             LOG line of the pkg child it adds arrives in log/init.log:
 *             init reads the config, resolves the pkg in the target's
 *             depot (runtime, archives, indexes through core's ROM
 *             service), core starts the domain from the shared module,
 *             the child starts up and logs
 *   binary    the same for a binary child whose binary is the boot
 *             module hello (the same file, in boot/): what resolving the
 *             pkg adds shows against it
 *   memory    PSS (proportional set size, /proc/PID/smaps_rollup) of N
 *             children of one pkg against one child of it: the pkg's
 *             binary is one module in core, mapped by every child, so the
 *             per-child share of it shrinks as N grows
 *
 * Start figures are ratios to the baseline, each the best of ROUNDS
 * rounds of SPAWNS; memory figures are ratios to N times one child.
 *
 * Lines are read from TARGET/log/init.log, not from core's terminal: the
 * terminal is rate-limited per component (core/terminal_limit.c) and drops
 * the lines of children started in quick succession; the log file keeps
 * every line. Core's own output goes to TARGET/core.out.
 *
 * usage: pkg-bench TARGET CORE BASE HELLO_PKG TIMER_PKG HELLO_BIN
 * (core runs as `CORE --target TARGET --base BASE`; HELLO_PKG's runtime
 * config makes hello log one line; TIMER_PKG's children stay running.)
 * A host program: it links no libruntime.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS      3
#define SPAWNS      20
#define CHILDREN    8
#define WAIT_MS     20000
#define CONFIG_MAX  8192

/* Core, once started: die() ends it, so that a failed bench leaves no
 * system running (global because die() is called from everywhere). */
static pid_t core_pid = -1;

static void die(const char *what)
{
	fprintf(stderr, "pkg-bench: %s\n", what);
	if (core_pid > 0) {
		kill(core_pid, SIGTERM);
		waitpid(core_pid, NULL, 0);
	}
	exit(1);
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Lines appended to a log file: reads until a line holds `needle`,
 * waiting on inotify for more. The buffer keeps only the unfinished last
 * line between calls. A rotated file (core keeps a full log as .1) is
 * followed to the new one. */
struct reader {
	const char *path;
	int fd, watch;
	char buf[1 << 16];
	size_t len;
};

static int line_with(struct reader *r, const char *needle)
{
	char *start = r->buf, *end;
	while ((end = memchr(start, '\n', r->len - (size_t)(start - r->buf)))) {
		*end = '\0';
		int found = strstr(start, needle) != NULL;
		start = end + 1;
		if (found) {
			r->len -= (size_t)(start - r->buf);
			memmove(r->buf, start, r->len);
			return 1;
		}
	}
	r->len -= (size_t)(start - r->buf);
	memmove(r->buf, start, r->len);
	if (r->len == sizeof(r->buf))
		r->len = 0; /* a line longer than the buffer: not ours */
	return 0;
}

/* At the end of the file: 1 when PATH is another file now (rotated), and
 * then the reader reads that one from its start. */
static int followed_rotation(struct reader *r)
{
	struct stat now, open_one;
	if (stat(r->path, &now) != 0 || fstat(r->fd, &open_one) != 0 ||
	    now.st_ino == open_one.st_ino)
		return 0;
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	close(r->fd);
	r->fd = fd;
	return 1;
}

static int wait_line(struct reader *r, const char *needle)
{
	double deadline = now_ns() + WAIT_MS * 1e6;
	while (!line_with(r, needle)) {
		ssize_t n = read(r->fd, r->buf + r->len,
		                 sizeof(r->buf) - r->len);
		if (n > 0) {
			r->len += (size_t)n;
			continue;
		}
		if (n < 0)
			return -1;
		if (followed_rotation(r))
			continue;
		struct pollfd p = { .fd = r->watch, .events = POLLIN };
		int left = (int)((deadline - now_ns()) / 1e6);
		if (left <= 0 || poll(&p, 1, left) < 0)
			return -1;
		char events[4096];
		if (p.revents & POLLIN)
			(void)!read(r->watch, events, sizeof(events));
	}
	return 0;
}

/* Opens TARGET/log/init.log once core has made it, and watches the log
 * directory for writes to it and for the file being replaced. */
static void open_log(struct reader *r, const char *target)
{
	static char path[PATH_MAX], dir[PATH_MAX];
	if ((size_t)snprintf(dir, sizeof(dir), "%s/log", target) >=
	            sizeof(dir) ||
	    (size_t)snprintf(path, sizeof(path), "%s/log/init.log", target) >=
	            sizeof(path))
		die("the target's path is too long");
	r->path = path;
	r->len = 0;
	for (int tries = 0; tries < WAIT_MS / 10; tries++) {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd >= 0)
			break;
		usleep(10 * 1000);
	}
	if (r->fd < 0)
		die("core made no log/init.log (see core.out in the target)");
	r->watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (r->watch < 0 ||
	    inotify_add_watch(r->watch, dir,
	                      IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
		die("cannot watch the log directory (inotify)");
}

/* fork + exec of PATH with its output on a pipe, until its first line. */
static double first_line_of(const char *path)
{
	int out[2];
	if (pipe2(out, O_CLOEXEC) != 0)
		die("no pipe");
	double start = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };
		execve(path, argv, envp);
		_exit(127);
	}
	close(out[1]);
	char c;
	ssize_t n;
	while ((n = read(out[0], &c, 1)) == 1 && c != '\n')
		;
	double took = now_ns() - start;
	close(out[0]);
	if (pid < 0 || n != 1 || waitpid(pid, NULL, 0) != pid)
		die("fork+exec of hello gave no line");
	return took;
}

/* Core, started on TARGET with its output in TARGET/core.out (the lines
 * measured are read from the log file, see the top). */
static pid_t start_core(const char *target, const char *core, const char *base)
{
	char out_path[PATH_MAX];
	snprintf(out_path, sizeof(out_path), "%s/core.out", target);
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	               0644);
	if (out < 0)
		die("cannot create core.out in the target");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		if (chdir(target) != 0)
			_exit(126);
		setsid();
		execl(core, core, "--target", target, "--base", base,
		      "--init-ram", "256M", (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		die("cannot start core");
	close(out);
	return pid;
}

/* Writes TARGET/config/init.config with the start entries in `start`,
 * atomically (a rename), as a person or a tool would. */
static void write_config(const char *target, const char *start)
{
	char tmp[PATH_MAX], path[PATH_MAX], text[CONFIG_MAX];
	snprintf(tmp, sizeof(tmp), "%s/config/.init.config.tmp", target);
	snprintf(path, sizeof(path), "%s/config/init.config", target);
	int n = snprintf(
		text, sizeof(text),
		"{\"parent_provides\": [\"ROM\", \"LOG\", \"PD\", \"CPU\", \"RM\"],\n"
		" \"default_route\": [{\"service\": \"*\", \"to\": \"parent\"}],\n"
		" \"start\": [%s]}\n",
		start);
	FILE *f = fopen(tmp, "w");
	if (n < 0 || (size_t)n >= sizeof(text) || !f || fputs(text, f) == EOF ||
	    fclose(f) != 0 || rename(tmp, path) != 0)
		die("cannot write init.config");
}

/* The start entries of children PREFIX1 .. PREFIXn of PKG. */
static void entries(char *out, size_t size, const char *prefix, int n,
                    const char *pkg)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 1; i <= n; i++) {
		int w = snprintf(out + used, size - used,
		                 "%s{\"name\": \"%s%d\", \"pkg\": \"%s\"}",
		                 i > 1 ? ", " : "", prefix, i, pkg);
		if (w < 0 || (size_t)w >= size - used)
			die("too many children for the config");
		used += (size_t)w;
	}
}

/* What N children use: PSS and RSS summed, and how many distinct memory
 * objects their binaries are (the inodes of /proc/PID/exe: 1 when every
 * child runs the one module core holds of the archive file). */
struct memory {
	long pss_kb, rss_kb;
	int count, images;
	ino_t image[64];
};

static void count_image(struct memory *m, int pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (stat(path, &st) != 0)
		die("cannot stat a child's binary");
	for (int i = 0; i < m->images; i++)
		if (m->image[i] == st.st_ino)
			return;
	if (m->images < 64)
		m->image[m->images++] = st.st_ino;
}

static long field_kb(const char *text, const char *name)
{
	const char *at = strstr(text, name);
	return at ? strtol(at + strlen(name), NULL, 10) : -1;
}

/* PSS and RSS of core's children whose argv[0] starts with PREFIX and a
 * digit (the domains of the children PREFIX1 ...). */
static struct memory memory_of(pid_t core, const char *prefix)
{
	struct memory m = { .count = 0 };
	DIR *proc = opendir("/proc");
	struct dirent *d;
	while (proc && (d = readdir(proc))) {
		char path[300], text[4096];
		int pid = atoi(d->d_name), ppid = -1;
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		/* the command field may hold spaces: ppid follows the last ')' */
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		char *paren = strrchr(text, ')');
		if (!paren || sscanf(paren + 1, " %*c %d", &ppid) != 1 ||
		    ppid != core)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		int fd = open(path, O_RDONLY);
		ssize_t got = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (got <= 0)
			continue;
		text[got] = '\0';
		size_t plen = strlen(prefix);
		if (strncmp(text, prefix, plen) != 0 || text[plen] < '0' ||
		    text[plen] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
		fd = open(path, O_RDONLY);
		got = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (got <= 0)
			die("cannot read a child's smaps_rollup");
		text[got] = '\0';
		m.pss_kb += field_kb(text, "\nPss:");
		m.rss_kb += field_kb(text, "\nRss:");
		m.count++;
		count_image(&m, pid);
	}
	if (proc)
		closedir(proc);
	return m;
}

static struct memory settled_memory(pid_t core, const char *prefix, int n)
{
	struct memory m = { .count = 0 };
	for (int tries = 0; tries < 50; tries++) {
		usleep(100 * 1000);
		m = memory_of(core, prefix);
		if (m.count == n)
			break;
	}
	if (m.count != n)
		die("the timer children do not all run");
	usleep(300 * 1000); /* let their start-up settle */
	return memory_of(core, prefix);
}

/* The start entry of child NAME: of pkg PKG, or, without PKG, a binary
 * child of the boot module hello (boot/hello, the same file), configured
 * as the pkg's runtime file configures it. */
static void entry(char *out, size_t size, int k, const char *pkg)
{
	if (pkg)
		snprintf(out, size, "{\"name\": \"c%d\", \"pkg\": \"%s\"}", k,
		         pkg);
	else
		snprintf(out, size,
		         "{\"name\": \"c%d\", \"binary\": \"hello\", "
		         "\"ram\": \"2M\", \"caps\": 100, "
		         "\"config\": {\"greeting\": \"bench\"}}",
		         k);
}

/* The best of ROUNDS rounds of SPAWNS: each writes a config whose one
 * child is new (of pkg PKG, or of boot/hello without PKG) and waits for
 * the child's first LOG line; the child before has exited by then. */
static double start_time(struct reader *r, const char *target, const char *pkg)
{
	static int k; /* child names stay unique over the whole run */
	char start[CONFIG_MAX], needle[64];
	double best = 0;
	for (int round = 0; round < ROUNDS; round++) {
		double sum = 0;
		for (int i = 0; i < SPAWNS; i++) {
			k++;
			entry(start, sizeof(start), k, pkg);
			snprintf(needle, sizeof(needle), "[init -> c%d] ", k);
			double t = now_ns();
			write_config(target, start);
			if (wait_line(r, needle) != 0)
				die("a child logged nothing");
			sum += now_ns() - t;
		}
		if (round == 0 || sum / SPAWNS < best)
			best = sum / SPAWNS;
	}
	return best;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: pkg-bench TARGET CORE BASE HELLO_PKG "
		                "TIMER_PKG HELLO_BIN\n");
		return 2;
	}
	const char *target = argv[1], *core = argv[2], *base = argv[3],
		   *hello = argv[4], *timer = argv[5], *hello_bin = argv[6];
	signal(SIGPIPE, SIG_IGN);

	double baseline = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double sum = 0;
		for (int i = 0; i < SPAWNS; i++)
			sum += first_line_of(hello_bin);
		if (r == 0 || sum / SPAWNS < baseline)
			baseline = sum / SPAWNS;
	}

	static struct reader r;
	char start[CONFIG_MAX];
	/* a first child, not counted: init and core are up, their caches warm */
	snprintf(start, sizeof(start), "{\"name\": \"warm\", \"pkg\": \"%s\"}",
	         hello);
	write_config(target, start);
	core_pid = start_core(target, core, base);
	open_log(&r, target);
	if (wait_line(&r, "[init -> warm] ") != 0)
		die("the warm-up child logged nothing (is init-pkg merged?)");

	double pkg_start = start_time(&r, target, hello);
	double boot_start = start_time(&r, target, NULL);

	entries(start, sizeof(start), "t", 1, timer);
	write_config(target, start);
	struct memory one = settled_memory(core_pid, "t", 1);
	entries(start, sizeof(start), "t", CHILDREN, timer);
	write_config(target, start);
	struct memory many = settled_memory(core_pid, "t", CHILDREN);

	kill(core_pid, SIGTERM);
	waitpid(core_pid, NULL, 0);

	printf("pkg bench: pkg children of init, everything from the target's "
	       "depot\n  (start: best of %d rounds of %d; memory: PSS of "
	       "/proc/PID/smaps_rollup)\n",
	       ROUNDS, SPAWNS);
	printf("  %-46s %10s %8s\n", "", "us", "ratio");
	printf("  %-46s %10.0f %8.2f\n",
	       "fork+exec hello -> first line (baseline)", baseline / 1000,
	       1.0);
	printf("  %-46s %10.0f %8.2f\n",
	       "config written -> binary child's 1st LOG line",
	       boot_start / 1000, boot_start / baseline);
	printf("  %-46s %10.0f %8.2f\n",
	       "config written -> pkg child's 1st LOG line", pkg_start / 1000,
	       pkg_start / baseline);
	printf("  %-46s %10s %8s\n", "", "kB", "ratio");
	printf("  %-46s %10ld %8.2f\n", "PSS of 1 timer child (baseline)",
	       one.pss_kb, 1.0);
	char label[64];
	snprintf(label, sizeof(label),
	         "PSS of %d timer children (ratio to %d x 1)", CHILDREN,
	         CHILDREN);
	printf("  %-46s %10ld %8.2f\n", label, many.pss_kb,
	       (double)many.pss_kb / ((double)one.pss_kb * CHILDREN));
	printf("  %-46s %10ld %8.2f\n", "PSS per child of them",
	       many.pss_kb / CHILDREN,
	       (double)many.pss_kb / CHILDREN / (double)one.pss_kb);
	printf("  %-46s %10ld %8.2f\n",
	       "RSS per child (shared pages counted whole)",
	       many.rss_kb / CHILDREN,
	       (double)many.rss_kb / CHILDREN / (double)one.rss_kb);
	snprintf(label, sizeof(label),
	         "copies of the binary among the %d children", CHILDREN);
	printf("  %-46s %10d   (1: one shared copy)\n", label, many.images);
	return 0;
}
