/*
 * Confinement of a protection domain on Linux: what makes a component's
 * capabilities its only authority. Three layers, all applied by the new
 * process before it executes the component image, all inherited across that
 * exec and impossible to lift afterwards:
 *
 *   seccomp   an allow-list of system calls. Everything not listed fails
 *             with EPERM: no socket(), connect(), fork, execve of a path,
 *             ptrace, memfd_create, ioctl. socketpair() is allowed only for
 *             AF_UNIX SOCK_SEQPACKET pairs (anonymous, unreachable from
 *             outside: what IPC channels need), clone() only for threads,
 *             execveat() only of a descriptor (the image itself).
 *   Landlock  the file system: the dynamic loader may read the system's
 *             shared libraries (and execute the loader itself, which the
 *             kernel opens for the exec); nothing else is readable,
 *             writable or creatable. With Landlock ABI 6 and later, signals
 *             and abstract Unix sockets are scoped to the domain too.
 *   rlimits   private memory (RLIMIT_DATA, soft limit) is the domain's RAM
 *             limit; at most CONFINE_MAX_DESCRIPTORS descriptors; no core
 *             dumps, no file growth. All other memory (shared mappings,
 *             socket buffers, the kernel's for its threads) is bounded by
 *             the domain's memory cgroup (memcg.c), where there is one.
 *
 * The seccomp program and the Landlock ruleset are built once, in the
 * creating process, before any fork: the child of a multi-threaded process
 * may only make async-signal-safe calls, so it does nothing but a handful of
 * raw system calls with what is prepared here.
 */
#include "confine.h"
#include "../../lib/landlock/landlock_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Built once by confine_prepare() and read-only afterwards. Kept for the
 * life of the process because every child needs the same. */
static struct confinement {
	int ruleset_fd; /* Landlock ruleset, -1 if unsupported */
	int landlock_abi;
	struct sock_filter *filter; /* seccomp program */
	unsigned short filter_len;
	int error; /* KERR_* of a failed preparation */
} confinement = { .ruleset_fd = -1 };

static pthread_once_t confinement_once = PTHREAD_ONCE_INIT;

static int ruleset_allow(int ruleset, const char *path, uint64_t rights)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* a path this system lacks */
	struct landlock_path_beneath_attr rule = {
		.allowed_access = rights,
		.parent_fd = fd,
	};
	long rc = syscall(SYS_landlock_add_rule, ruleset,
	                  LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
	if (rc < 0 && errno == EINVAL) {
		/* a file, not a directory: only file rights apply */
		rule.allowed_access &= LANDLOCK_ACCESS_FS_EXECUTE |
		                       LANDLOCK_ACCESS_FS_READ_FILE;
		rc = syscall(SYS_landlock_add_rule, ruleset,
		             LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
	}
	close(fd);
	return rc < 0 ? -1 : 0;
}

/* What the dynamic loader of a component needs to read: the library
 * directories and the loader cache. The loader itself must also be
 * executable, since the kernel opens it for exec on the image's behalf. */
static const char *const library_paths[] = {
	"/usr/lib/x86_64-linux-gnu",
	"/lib/x86_64-linux-gnu",
	"/usr/lib64",
	"/lib64",
	"/etc/ld.so.cache",
};
static const char *const loader_paths[] = {
	"/lib64/ld-linux-x86-64.so.2",
	"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
};

static int prepare_landlock(void)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	                       LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return KERR_DENIED;
	struct ruleset_attr attr = {
		.handled_access_fs = landlock_fs_rights(abi)
	};
	size_t attr_size = sizeof(uint64_t);
	if (abi >= 6) {
		attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
		attr_size = sizeof(attr);
	}
	int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr,
	                           attr_size, 0);
	if (ruleset < 0)
		return KERR_DENIED;
	for (size_t i = 0; i < sizeof(library_paths) / sizeof(*library_paths);
	     i++)
		if (ruleset_allow(ruleset, library_paths[i],
		                  LANDLOCK_ACCESS_FS_READ_FILE) < 0)
			goto fail;
	for (size_t i = 0; i < sizeof(loader_paths) / sizeof(*loader_paths);
	     i++)
		if (ruleset_allow(ruleset, loader_paths[i],
		                  LANDLOCK_ACCESS_FS_READ_FILE |
		                          LANDLOCK_ACCESS_FS_EXECUTE) < 0)
			goto fail;
	(void)fcntl(ruleset, F_SETFD, FD_CLOEXEC);
	confinement.ruleset_fd = ruleset;
	confinement.landlock_abi = abi;
	return 0;
fail:
	close(ruleset);
	return KERR_DENIED;
}

/* System calls allowed without conditions on their arguments. */
static const int plain_syscalls[] = {
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(readv),
	SCMP_SYS(writev),
	SCMP_SYS(pread64),
	SCMP_SYS(pwrite64),
	SCMP_SYS(lseek),
	SCMP_SYS(close),
	SCMP_SYS(close_range),
	SCMP_SYS(dup),
	SCMP_SYS(dup2),
	SCMP_SYS(dup3),
	SCMP_SYS(fstat),
	SCMP_SYS(openat),
	SCMP_SYS(mmap),
	SCMP_SYS(munmap),
	SCMP_SYS(mprotect),
	SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	SCMP_SYS(brk),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(futex),
	SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq),
	SCMP_SYS(set_tid_address),
	SCMP_SYS(arch_prctl),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(getppid),
	SCMP_SYS(getuid),
	SCMP_SYS(geteuid),
	SCMP_SYS(getgid),
	SCMP_SYS(getegid),
	SCMP_SYS(uname),
	SCMP_SYS(getrandom),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep),
	SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity),
	SCMP_SYS(epoll_create1),
	SCMP_SYS(epoll_ctl),
	SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait),
	SCMP_SYS(epoll_pwait2),
	SCMP_SYS(poll),
	SCMP_SYS(ppoll),
	SCMP_SYS(eventfd2),
	SCMP_SYS(sendmsg),
	SCMP_SYS(recvmsg),
	SCMP_SYS(sendto),
	SCMP_SYS(recvfrom),
	SCMP_SYS(recvmmsg),
	SCMP_SYS(getsockopt),
	SCMP_SYS(getpeername),
	SCMP_SYS(getsockname),
};

/*
 * Every holder of a capability shares one open socket (or memfd), so
 * whatever changes the socket or the open file, rather than the holder's
 * own descriptor, changes it for all of them. A component may therefore
 * do nothing of that kind:
 *   - no shutdown(): a holder could cut every other one off;
 *   - setsockopt() only for what the kernel interface sets on sockets of
 *     its own (a receive timeout on a private channel, credentials on an
 *     endpoint's receive end), never SO_PRIORITY, SO_SNDBUF and the like;
 *   - no F_SETFL: O_NONBLOCK and friends live in the shared open file;
 *   - bind() only to ask for a kernel-picked name (the signal mark,
 *     cap.c), never a chosen abstract name that could squat a host
 *     service's.
 * Sealing is not among the fcntl commands either: a component must not
 * seal memory it shares.
 */
static const int fcntl_commands[] = {
	F_GETFD, F_SETFD, F_GETFL, F_DUPFD_CLOEXEC, F_GET_SEALS,
};

/* The socket options a component may set (level SOL_SOCKET). */
static const int socket_options[] = {
	SO_RCVTIMEO_OLD,
	SO_RCVTIMEO_NEW,
	SO_PASSCRED,
};

static int add_rule(scmp_filter_ctx ctx, int syscall_nr, unsigned count,
                    const struct scmp_arg_cmp *args)
{
	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, syscall_nr, count,
	                              args);
}

static int add_conditional_rules(scmp_filter_ctx ctx)
{
	int rc = 0;
	/* threads only: a clone that shares the address space */
	struct scmp_arg_cmp thread_clone = SCMP_A0(SCMP_CMP_MASKED_EQ,
	                                           CLONE_THREAD, CLONE_THREAD);
	rc |= add_rule(ctx, SCMP_SYS(clone), 1, &thread_clone);
	/* clone3 hides its flags behind a pointer: make glibc use clone */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	                       0);

	struct scmp_arg_cmp pair[] = {
		SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
		SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_SEQPACKET),
	};
	rc |= add_rule(ctx, SCMP_SYS(socketpair), 2, pair);

	struct scmp_arg_cmp exec_fd = SCMP_A4(SCMP_CMP_EQ, AT_EMPTY_PATH);
	rc |= add_rule(ctx, SCMP_SYS(execveat), 1, &exec_fd);

	/* stat only of a descriptor, never probing a path */
	struct scmp_arg_cmp stat_fd = SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH,
	                                      AT_EMPTY_PATH);
	rc |= add_rule(ctx, SCMP_SYS(newfstatat), 1, &stat_fd);

	/* reading one's own limits, never setting them */
	struct scmp_arg_cmp get_limit[] = {
		SCMP_A0(SCMP_CMP_EQ, 0),
		SCMP_A2(SCMP_CMP_EQ, 0),
	};
	rc |= add_rule(ctx, SCMP_SYS(prlimit64), 2, get_limit);

	struct scmp_arg_cmp own_affinity = SCMP_A0(SCMP_CMP_EQ, 0);
	rc |= add_rule(ctx, SCMP_SYS(sched_setaffinity), 1, &own_affinity);

	for (size_t i = 0; i < sizeof(socket_options) / sizeof(*socket_options);
	     i++) {
		struct scmp_arg_cmp option[] = {
			SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET),
			SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)socket_options[i]),
		};
		rc |= add_rule(ctx, SCMP_SYS(setsockopt), 2, option);
	}
	struct scmp_arg_cmp autobind = SCMP_A2(SCMP_CMP_EQ,
	                                       sizeof(sa_family_t));
	rc |= add_rule(ctx, SCMP_SYS(bind), 1, &autobind);

	for (size_t i = 0; i < sizeof(fcntl_commands) / sizeof(*fcntl_commands);
	     i++) {
		struct scmp_arg_cmp cmd =
			SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_commands[i]);
		rc |= add_rule(ctx, SCMP_SYS(fcntl), 1, &cmd);
	}
	/* further seccomp filters (kconfine_forbid_open): a filter can only
	 * take away, and no_new_privs is set already */
	struct scmp_arg_cmp more_filters[] = {
		SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER),
		SCMP_A1(SCMP_CMP_MASKED_EQ,
		        ~(scmp_datum_t)SECCOMP_FILTER_FLAG_TSYNC, 0),
	};
	rc |= add_rule(ctx, SCMP_SYS(seccomp), 2, more_filters);

	struct scmp_arg_cmp set_name = SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME);
	struct scmp_arg_cmp get_name = SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME);
	rc |= add_rule(ctx, SCMP_SYS(prctl), 1, &set_name);
	rc |= add_rule(ctx, SCMP_SYS(prctl), 1, &get_name);

	/* Signals to threads are safe only where Landlock confines them to the
	 * domain; without that scope, a component could signal its neighbours. */
	if (confinement.landlock_abi >= 6) {
		rc |= add_rule(ctx, SCMP_SYS(tgkill), 0, NULL);
		rc |= add_rule(ctx, SCMP_SYS(tkill), 0, NULL);
	}
	return rc;
}

/* Exports the libseccomp filter as a raw BPF program through a pipe-like
 * memory file, since libseccomp 2.5 exports only to a descriptor. */
static int export_filter(scmp_filter_ctx ctx)
{
	int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return KERR_NOMEM;
	int rc = KERR_NOMEM;
	if (seccomp_export_bpf(ctx, fd) != 0)
		goto out;
	off_t size = lseek(fd, 0, SEEK_END);
	size_t count = (size_t)size / sizeof(struct sock_filter);
	if (size <= 0 || count > 0xffff)
		goto out;
	struct sock_filter *program = malloc((size_t)size);
	if (!program || pread(fd, program, (size_t)size, 0) != size) {
		free(program);
		goto out;
	}
	confinement.filter = program;
	confinement.filter_len = (unsigned short)count;
	rc = 0;
out:
	close(fd);
	return rc;
}

static int prepare_seccomp(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return KERR_NOMEM;
	int rc = 0;
	for (size_t i = 0; i < sizeof(plain_syscalls) / sizeof(*plain_syscalls);
	     i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, plain_syscalls[i],
		                       0);
	rc |= add_conditional_rules(ctx);
	/* no_new_privs is set by the child itself, in its own order */
	rc |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc == 0)
		rc = export_filter(ctx);
	else
		rc = KERR_DENIED;
	seccomp_release(ctx);
	return rc;
}

static void prepare_once(void)
{
	confinement.error = prepare_landlock();
	if (confinement.error == 0)
		confinement.error = prepare_seccomp();
}

int confine_prepare(void)
{
	pthread_once(&confinement_once, prepare_once);
	return confinement.error;
}

int confine_ruleset(void)
{
	return confinement.ruleset_fd;
}

/* Runs in the forked child: raw system calls only. */
int confine_apply(size_t ram_limit, int ruleset)
{
	/* Only the soft limit: the hard one stays as inherited, so that core
	 * can raise the limit later without CAP_SYS_RESOURCE (kpd_set_ram_limit);
	 * the domain itself cannot, since seccomp refuses it every setrlimit. */
	struct rlimit data;
	if (getrlimit(RLIMIT_DATA, &data) || ram_limit > data.rlim_max)
		return -1;
	data.rlim_cur = ram_limit;
	struct rlimit zero = { 0, 0 };
	struct rlimit files = { CONFINE_MAX_DESCRIPTORS,
		                CONFINE_MAX_DESCRIPTORS };
	if (setrlimit(RLIMIT_DATA, &data) || setrlimit(RLIMIT_CORE, &zero) ||
	    setrlimit(RLIMIT_FSIZE, &zero) || setrlimit(RLIMIT_NOFILE, &files))
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0))
		return -1;
	close(ruleset);
	struct sock_fprog program = {
		.len = confinement.filter_len,
		.filter = confinement.filter,
	};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program))
		return -1;
	return 0;
}
