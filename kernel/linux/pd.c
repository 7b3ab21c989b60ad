/*
 * Protection domains on Linux (kernel/pd.h): a domain is a process that
 * runs an ELF image from a memory object, started by fork() and
 * execveat(AT_EMPTY_PATH) of that object, confined by confine.c before the
 * image runs.
 *
 * The child of fork() in a multi-threaded creator may only make
 * async-signal-safe calls, so everything that allocates (argument vectors,
 * the seccomp program, the Landlock ruleset) is prepared before the fork,
 * and the child runs nothing but raw system calls.
 *
 * Every domain runs in a memory cgroup of its own (memcg.c) where the
 * machine has one to give, joined by the child before the image runs.
 *
 * Ends of domains are noticed by one reaper thread per process that waits
 * on the domains' pidfds; it records how each ended (and whether its
 * memory cgroup's limit killed it), removes its cgroup, wakes kpd_wait(),
 * and submits the domain's exit signal. Every domain dies with its creator
 * (PR_SET_PDEATHSIG), so no process outlives core.
 */
#include <kernel/pd.h>

#include "confine.h"
#include "memcg.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct kpd {
	pid_t pid;
	int pidfd;
	kcap_t exit_signal;   /* our own copy, closed with the domain */
	enum kpd_state state; /* guarded by reaper.lock */
	int code;             /* guarded by reaper.lock */
	int out_of_memory;    /* guarded by reaper.lock */
	struct memcg memcg;   /* guarded by reaper.lock once started */
	char name[32];
};

/* One per process: the thread that notices ends of domains. Lazily
 * started by the first kpd_create(); shared state is under `lock`. */
static struct reaper {
	pthread_once_t once;
	pthread_mutex_t lock;
	pthread_cond_t ended;
	int epoll_fd;
	int error;
} reaper = {
	.once = PTHREAD_ONCE_INIT,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.epoll_fd = -1,
};

static void record_end(struct kpd *pd)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	while (waitid((idtype_t)P_PIDFD, (id_t)pd->pidfd, &info, WEXITED) < 0 &&
	       errno == EINTR)
		;
	pthread_mutex_lock(&reaper.lock);
	/* reaped: no task is left in the cgroup */
	pd->out_of_memory = memcg_oom_killed(&pd->memcg);
	memcg_remove(&pd->memcg);
	if (info.si_code == CLD_EXITED) {
		pd->state = KPD_EXITED;
		pd->code = info.si_status;
	} else {
		pd->state = KPD_KILLED;
		pd->code = info.si_status;
	}
	if (kcap_valid(pd->exit_signal))
		(void)ksignal_submit(pd->exit_signal, 1);
	pthread_cond_broadcast(&reaper.ended);
	pthread_mutex_unlock(&reaper.lock);
}

static void *reaper_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct epoll_event events[16];
		int n = epoll_wait(reaper.epoll_fd, events, 16, -1);
		for (int i = 0; i < n; i++) {
			struct kpd *pd = events[i].data.ptr;
			epoll_ctl(reaper.epoll_fd, EPOLL_CTL_DEL, pd->pidfd,
			          NULL);
			record_end(pd);
		}
	}
	return NULL;
}

static void reaper_start(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&reaper.ended, &attr);
	pthread_condattr_destroy(&attr);

	reaper.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (reaper.epoll_fd < 0) {
		reaper.error = KERR_NOMEM;
		return;
	}
	pthread_t thread;
	pthread_attr_t thread_attr;
	pthread_attr_init(&thread_attr);
	pthread_attr_setdetachstate(&thread_attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &thread_attr, reaper_main, NULL) != 0)
		reaper.error = KERR_NOMEM;
	pthread_attr_destroy(&thread_attr);
}

/* Everything the child needs, prepared before fork(). */
struct spawn_plan {
	pid_t creator;
	int elf_fd;
	int ruleset_fd; /* Landlock's, confine_ruleset() */
	int devnull_fd;
	int out_fd, err_fd; /* stdout and stderr: -1 for the default */
	size_t ram_limit;
	const struct memcg *memcg;
	unsigned cap_count;
	int cap_fds[KPD_MAX_BOOT_CAPS];
	char *argv[2];
	char *envp[2];
	char env_caps[32];
};

/* Raw write to stderr (no stdio after fork); a failure here has nowhere
 * left to be reported, so it is dropped. */
static void write_stderr(const char *text, size_t len)
{
	if (write(2, text, len) < 0)
		return;
}

static void child_fail(const char *what)
{
	static const char prefix[] = "kpd: cannot start domain: ";
	write_stderr(prefix, sizeof(prefix) - 1);
	write_stderr(what, strlen(what));
	write_stderr("\n", 1);
	_exit(127);
}

/* Lifts a descriptor above `floor` (see below); -1 stays -1. */
static int child_lift(int fd, int floor)
{
	int lifted = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, floor);
	if (fd >= 0 && lifted < 0)
		child_fail("no descriptor for standard output or error");
	return lifted;
}

/* Standard input from /dev/null; standard output and error to the given
 * streams, else output to /dev/null and errors to the creator's. */
static void child_place_stdio(const struct spawn_plan *plan, int out, int err)
{
	if (dup2(plan->devnull_fd, 0) < 0 ||
	    dup2(out >= 0 ? out : plan->devnull_fd, 1) < 0 ||
	    (err >= 0 && dup2(err, 2) < 0))
		child_fail("cannot set up standard input and output");
}

/* Moves the boot capabilities to selectors 3.., the image just above them,
 * the Landlock ruleset (for confine_apply, which closes it) above that,
 * and closes every other descriptor, before the descriptor limit of the
 * confinement applies. Descriptors are first lifted above
 * every target number so that no dup2() clobbers a source. */
static void child_arrange_descriptors(const struct spawn_plan *plan)
{
	int lifted[KPD_MAX_BOOT_CAPS];
	int floor = 3 + (int)plan->cap_count + 1 + 64;
	for (unsigned i = 0; i < plan->cap_count; i++) {
		lifted[i] = fcntl(plan->cap_fds[i], F_DUPFD_CLOEXEC, floor);
		if (lifted[i] < 0)
			child_fail("no descriptor for a boot capability");
	}
	int elf = fcntl(plan->elf_fd, F_DUPFD_CLOEXEC, floor);
	int ruleset = fcntl(plan->ruleset_fd, F_DUPFD_CLOEXEC, floor);
	if (elf < 0 || ruleset < 0)
		child_fail("no descriptor for the image");
	child_place_stdio(plan, child_lift(plan->out_fd, floor),
	                  child_lift(plan->err_fd, floor));
	for (unsigned i = 0; i < plan->cap_count; i++)
		if (dup2(lifted[i], 3 + (int)i) < 0)
			child_fail("cannot place a boot capability");
	int image = 3 + (int)plan->cap_count;
	if (dup3(elf, image, O_CLOEXEC) < 0)
		child_fail("cannot place the image");
	if (dup3(ruleset, image + 1, O_CLOEXEC) < 0)
		child_fail("cannot place the confinement");
	if (syscall(SYS_close_range, image + 2, ~0U, 0) < 0)
		child_fail("cannot close inherited descriptors");
}

static void child_start(const struct spawn_plan *plan)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != plan->creator)
		_exit(127);
	if (memcg_join(plan->memcg) < 0)
		child_fail("cannot join its memory cgroup");
	child_arrange_descriptors(plan);
	if (confine_apply(plan->ram_limit, 4 + (int)plan->cap_count) < 0)
		child_fail("confinement refused by the kernel");
	syscall(SYS_execveat, 3 + (int)plan->cap_count, "", plan->argv,
	        plan->envp, AT_EMPTY_PATH);
	child_fail("the image does not execute");
}

static int image_looks_executable(kcap_t elf)
{
	unsigned char magic[4];
	return pread(elf.sel, magic, sizeof(magic), 0) ==
	               (ssize_t)sizeof(magic) &&
	       memcmp(magic, "\177ELF", 4) == 0;
}

static int plan_spawn(struct spawn_plan *plan, const struct kpd_config *config,
                      struct kpd *pd)
{
	if (config->cap_count > KPD_MAX_BOOT_CAPS || !kcap_valid(config->elf) ||
	    !image_looks_executable(config->elf))
		return KERR_INVALID;
	memset(plan, 0, sizeof(*plan));
	plan->creator = getpid();
	plan->elf_fd = config->elf.sel;
	plan->ruleset_fd = confine_ruleset();
	plan->ram_limit = config->ram_limit;
	plan->memcg = &pd->memcg;
	plan->cap_count = config->cap_count;
	for (unsigned i = 0; i < config->cap_count; i++) {
		if (!kcap_valid(config->caps[i]))
			return KERR_INVALID;
		plan->cap_fds[i] = config->caps[i].sel;
	}
	plan->out_fd = config->stdout_stream ? config->stdout_stream->sel : -1;
	plan->err_fd = config->stderr_stream ? config->stderr_stream->sel : -1;
	plan->devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (plan->devnull_fd < 0)
		return KERR_NOMEM;
	snprintf(plan->env_caps, sizeof(plan->env_caps), "KBOOT_CAPS=%u",
	         config->cap_count);
	plan->argv[0] = pd->name;
	plan->envp[0] = plan->env_caps;
	return 0;
}

static struct kpd *pd_alloc(const struct kpd_config *config)
{
	struct kpd *pd = calloc(1, sizeof(*pd));
	if (!pd)
		return NULL;
	snprintf(pd->name, sizeof(pd->name), "%s",
	         config->name ? config->name : "component");
	pd->pidfd = -1;
	pd->memcg.dir_fd = pd->memcg.pids_fd = -1;
	pd->memcg.procs_fd[0] = pd->memcg.procs_fd[1] = -1;
	pd->exit_signal = KCAP_INVALID;
	pd->state = KPD_RUNNING;
	if (kcap_valid(config->exit_signal) &&
	    kcap_copy(config->exit_signal, &pd->exit_signal) != 0) {
		free(pd);
		return NULL;
	}
	return pd;
}

static void pd_free(struct kpd *pd)
{
	if (pd->pidfd >= 0)
		close(pd->pidfd);
	memcg_remove(&pd->memcg);
	kcap_close(pd->exit_signal);
	free(pd);
}

int kpd_create(kpd_t **out, const struct kpd_config *config)
{
	int rc = confine_prepare();
	if (rc != 0)
		return rc;
	pthread_once(&reaper.once, reaper_start);
	if (reaper.error)
		return reaper.error;

	struct kpd *pd = pd_alloc(config);
	if (!pd)
		return KERR_NOMEM;
	struct spawn_plan plan;
	rc = plan_spawn(&plan, config, pd);
	if (rc == 0 && memcg_create(&pd->memcg, config->ram_limit) != 0) {
		close(plan.devnull_fd);
		rc = KERR_NOMEM;
	}
	if (rc != 0) {
		pd_free(pd);
		return rc;
	}
	pid_t pid = fork();
	if (pid == 0)
		child_start(&plan);
	close(plan.devnull_fd);
	memcg_joined(&pd->memcg);
	if (pid < 0) {
		pd_free(pd);
		return KERR_NOMEM;
	}
	pd->pid = pid;
	pd->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct epoll_event event = { .events = EPOLLIN, .data.ptr = pd };
	if (pd->pidfd < 0 ||
	    epoll_ctl(reaper.epoll_fd, EPOLL_CTL_ADD, pd->pidfd, &event) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pd_free(pd);
		return KERR_NOMEM;
	}
	*out = pd;
	return 0;
}

void kpd_kill(kpd_t *pd)
{
	syscall(SYS_pidfd_send_signal, pd->pidfd, SIGKILL, NULL, 0);
}

enum kpd_state kpd_state(kpd_t *pd, int *code)
{
	pthread_mutex_lock(&reaper.lock);
	enum kpd_state state = pd->state;
	if (code && state != KPD_RUNNING)
		*code = pd->code;
	pthread_mutex_unlock(&reaper.lock);
	return state;
}

static void deadline_after(struct timespec *deadline, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += timeout_ms / 1000;
	deadline->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000L;
	}
}

int kpd_wait(kpd_t *pd, int timeout_ms)
{
	struct timespec deadline;
	if (timeout_ms >= 0)
		deadline_after(&deadline, timeout_ms);
	int rc = 0;
	pthread_mutex_lock(&reaper.lock);
	while (pd->state == KPD_RUNNING && rc == 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&reaper.ended, &reaper.lock);
		else if (pthread_cond_timedwait(&reaper.ended, &reaper.lock,
		                                &deadline) == ETIMEDOUT)
			rc = pd->state == KPD_RUNNING ? KERR_TIMEOUT : 0;
	}
	pthread_mutex_unlock(&reaper.lock);
	return rc;
}

int kpd_set_ram_limit(kpd_t *pd, size_t ram_limit)
{
	if (kpd_state(pd, NULL) != KPD_RUNNING)
		return KERR_REVOKED;
	struct rlimit data;
	if (prlimit(pd->pid, RLIMIT_DATA, NULL, &data) != 0)
		return errno == ESRCH ? KERR_REVOKED : KERR_DENIED;
	if (ram_limit > data.rlim_max)
		return KERR_DENIED;
	data.rlim_cur = ram_limit;
	if (prlimit(pd->pid, RLIMIT_DATA, &data, NULL) != 0)
		return errno == ESRCH ? KERR_REVOKED : KERR_DENIED;
	pthread_mutex_lock(&reaper.lock);
	int rc = pd->state == KPD_RUNNING &&
	                         memcg_set_limit(&pd->memcg, ram_limit) != 0
	                 ? KERR_DENIED
	                 : 0;
	pthread_mutex_unlock(&reaper.lock);
	return rc;
}

const char *kpd_memory_bound(void)
{
	return memcg_mechanism();
}

int kpd_out_of_memory(kpd_t *pd)
{
	pthread_mutex_lock(&reaper.lock);
	int out = pd->state != KPD_RUNNING && pd->out_of_memory;
	pthread_mutex_unlock(&reaper.lock);
	return out;
}

/* A thread id names a thread of the domain when the domain's own task
 * list holds it: /proc/PID/task/TID, which is the domain's pid only while
 * the domain runs (it is ours to reap, so its pid is not reused before). */
int kpd_thread_check(kpd_t *pd, uint32_t native_id)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%u", (int)pd->pid,
	         native_id);
	struct stat st;
	if (native_id == 0 || native_id > INT32_MAX || stat(path, &st) != 0)
		return KERR_INVALID;
	return 0;
}

int kpd_thread_affinity(kpd_t *pd, uint32_t native_id, unsigned cpu)
{
	int rc = kpd_thread_check(pd, native_id);
	if (rc != 0)
		return rc;
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	if (cpu >= CPU_SETSIZE || (cpus > 0 && cpu >= (unsigned long)cpus))
		return KERR_INVALID;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity((pid_t)native_id, sizeof(set), &set) != 0)
		return errno == EINVAL ? KERR_INVALID : KERR_DENIED;
	return 0;
}

int kpd_thread_priority(kpd_t *pd, uint32_t native_id, int priority)
{
	int rc = kpd_thread_check(pd, native_id);
	if (rc != 0)
		return rc;
	if (priority < -20 || priority > 19)
		return KERR_INVALID;
	if (setpriority(PRIO_PROCESS, (id_t)native_id, priority) != 0)
		return KERR_DENIED;
	return 0;
}

void kpd_destroy(kpd_t *pd)
{
	if (!pd)
		return;
	kpd_kill(pd);
	kpd_wait(pd, -1);
	pd_free(pd);
}
