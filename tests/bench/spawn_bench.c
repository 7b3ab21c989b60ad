/*
 * The spawn and session bench of `make bench` (run by tests/bench/run).
 * Measures, in one run:
 *
 *   baseline   fork + exec of a static binary that exits at once, and
 *              waiting for it: the floor of starting a process
 *   kpd        the same binary as a protection domain (kpd_create from a
 *              memory object, seccomp + Landlock + rlimits) until it ends
 *   component  core starting pkg/hello as init (PD session, start, the
 *              component's start-up: entrypoint, PD/CPU/LOG sessions
 *              through its parent, config ROM, one LOG line, exit), with
 *              core's services in this process, until the domain ends
 *   session    a LOG session opened and closed through core's parent
 *              object for init (session_now, close: 2 IPC round trips,
 *              printed beside the ratio), against a null RPC
 *              (pd.quota) to the same entrypoint as baseline; batches of
 *              each in turn, the best batch of each
 *
 * Spawn figures are ratios to the fork+exec baseline. Every figure is the
 * best of ROUNDS rounds (the machine is shared).
 */
#include "init_parent.h"
#include "on_entrypoint.h"
#include "services.h"
#include "target.h"

#include "parent_rpc.h"
#include "pd_rpc.h"
#include "root_rpc.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 3
#define SPAWNS 30
#define CALLS  4000
#define BATCH  100

static void die(const char *what)
{
	fprintf(stderr, "spawn_bench: %s\n", what);
	exit(1);
}

static double now_ns(void)
{
	return (double)kclock_ns();
}

static kcap_t image_of(const char *path)
{
	int file = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	kcap_t mem;
	void *at;
	if (file < 0 || fstat(file, &st) != 0 ||
	    kmem_create((size_t)st.st_size, &mem) != 0 ||
	    kmem_map(mem, 0, (size_t)st.st_size, KMEM_READ | KMEM_WRITE, NULL,
	             &at) != 0 ||
	    read(file, at, (size_t)st.st_size) != st.st_size)
		die("cannot read an image");
	kmem_unmap(at, (size_t)st.st_size);
	close(file);
	return mem;
}

static double spawn_fork_exec(const char *path)
{
	double start = now_ns();
	for (int i = 0; i < SPAWNS; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			char *argv[] = { "exit-static", NULL },
			     *envp[] = { NULL };
			execve(path, argv, envp);
			_exit(127);
		}
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
			die("fork+exec failed");
	}
	return (now_ns() - start) / SPAWNS;
}

static double spawn_kpd(kcap_t image)
{
	double start = now_ns();
	for (int i = 0; i < SPAWNS; i++) {
		struct kpd_config config = {
			.name = "exit-static",
			.elf = image,
			.ram_limit = 16u << 20,
			.exit_signal = KCAP_INVALID,
		};
		kpd_t *pd;
		int code = -1;
		if (kpd_create(&pd, &config) != 0 || kpd_wait(pd, 10000) != 0 ||
		    kpd_state(pd, &code) != KPD_EXITED || code != 0)
			die("kpd_create of the static binary failed");
		kpd_destroy(pd);
	}
	return (now_ns() - start) / SPAWNS;
}

/* Core in this process: target, entrypoint, services. */
struct core_here {
	char dir[PATH_MAX];
	struct target target;
	entrypoint_t *ep;
	struct core_services services;
	sem_t ended;
	int code;
};

static void component_ended(void *arg, enum kpd_state state, int code)
{
	struct core_here *c = arg;
	c->code = state == KPD_EXITED ? code : -1;
	sem_post(&c->ended);
}

static void core_up(struct core_here *c)
{
	char path[PATH_MAX + 32], err[256];
	snprintf(c->dir, sizeof(c->dir), "/tmp/spawn-bench.XXXXXX");
	if (!mkdtemp(c->dir))
		die("no temporary directory");
	snprintf(path, sizeof(path), "%s/boot", c->dir);
	mkdir(path, 0755);
	if (target_open_with(&c->target, c->dir, 0, err, sizeof(err)) != 0)
		die(err);
	snprintf(path, sizeof(path), "%s/config/init.config", c->dir);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write init.config");
	fputs("{\"greeting\": \"bench\"}", f);
	fclose(f);
	sem_init(&c->ended, 0, 0);
	if (entrypoint_create(&c->ep, "bench-core") != 0 ||
	    core_services_init(&c->services, c->ep, &c->target) != 0)
		die("cannot start core's services");
}

static void core_down(struct core_here *c)
{
	core_services_dissolve(&c->services);
	entrypoint_destroy(c->ep);
	target_close(&c->target);
	char command[PATH_MAX + 16];
	snprintf(command, sizeof(command), "rm -rf '%s'", c->dir);
	if (system(command) != 0)
		die("cannot remove the temporary directory");
}

/* One start of hello as init, on core's entrypoint. */
/* Ends a PD session the bench made, as a client does: over core's PD
 * service (the domain ends, its dataspaces are freed). */
static void close_pd(struct core_here *c, struct pd_session *pd)
{
	if (root_close(c->services.pd.base.cap, pd_session_cap(pd)) != 0)
		die("cannot close the PD session");
}

struct start_job {
	struct core_here *core;
	kcap_t image;
	struct pd_session *pd;
	struct init_parent parent;
	int rc;
};

static void start_hello(void *arg)
{
	struct start_job *job = arg;
	struct core_here *c = job->core;
	job->rc = pd_session_create(&c->services.pd, "init", 16u << 20, 100,
	                            &job->pd);
	if (job->rc == 0)
		job->rc = init_parent_init(&job->parent, &c->services, job->pd);
	if (job->rc == 0) {
		pd_session_on_exit(job->pd, component_ended, c);
		job->rc = pd_session_start(job->pd, job->image,
		                           job->parent.cap);
	}
}

static double spawn_component(struct core_here *c, kcap_t image)
{
	double start = now_ns();
	for (int i = 0; i < SPAWNS; i++) {
		struct start_job job = { .core = c, .image = image };
		if (on_entrypoint(c->ep, start_hello, &job) != 0 || job.rc != 0)
			die("cannot start hello");
		sem_wait(&c->ended);
		if (c->code != 0)
			die("hello did not exit with 0");
		init_parent_dissolve(&job.parent);
		close_pd(c, job.pd);
	}
	return (now_ns() - start) / SPAWNS;
}

/* The IPC round trips of one session through the parent: session_now
 * (which brings the capability of a session core opened at once) and
 * close, each one call to core's entrypoint and its reply; before
 * session_now, session and session_cap were two. */
#define SESSION_HOPS 2

static double null_calls(kcap_t pd)
{
	uint64_t a, b, d, e;
	double start = now_ns();
	for (int i = 0; i < BATCH; i++)
		if (pd_quota(pd, &a, &b, &d, &e) != 0)
			die("pd.quota failed");
	return (now_ns() - start) / BATCH;
}

static double sessions(kcap_t parent)
{
	double start = now_ns();
	for (int i = 0; i < BATCH; i++) {
		uint32_t id;
		kcap_t log;
		if (parent_session_now(parent, "LOG",
		                       "ram_quota=8K, cap_quota=1", &id,
		                       &log) != 0 ||
		    !kcap_valid(log) || parent_close(parent, id) != 0)
			die("a LOG session through the parent failed");
		kcap_close(log);
	}
	return (now_ns() - start) / BATCH;
}

/* Batches of null calls and of sessions in turn, the best batch of each:
 * on a shared machine a batch is disturbed or not, and the two figures
 * of a ratio should come from equally quiet moments. */
static void session_round_trips(struct core_here *c, double *session,
                                double *null_call)
{
	struct pd_session *pd;
	struct init_parent parent;
	if (pd_session_create(&c->services.pd, "init", 16u << 20, 100, &pd) ||
	    init_parent_init(&parent, &c->services, pd))
		die("cannot make init's PD");
	*session = *null_call = 1e300;
	for (int r = 0; r < CALLS / BATCH; r++) {
		double n = null_calls(pd_session_cap(pd));
		double s = sessions(parent.cap);
		*null_call = n < *null_call ? n : *null_call;
		*session = s < *session ? s : *session;
	}
	init_parent_dissolve(&parent);
	close_pd(c, pd);
}

static double best(double (*run)(void *), void *arg)
{
	double result = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double t = run(arg);
		if (r == 0 || t < result)
			result = t;
	}
	return result;
}

struct spawn_arg {
	const char *path;
	kcap_t image;
	struct core_here *core;
};
static double run_fork_exec(void *a)
{
	return spawn_fork_exec(((struct spawn_arg *)a)->path);
}
static double run_kpd(void *a)
{
	return spawn_kpd(((struct spawn_arg *)a)->image);
}
static double run_component(void *a)
{
	struct spawn_arg *s = a;
	return spawn_component(s->core, s->image);
}

int main(void)
{
	const char *bin_dir = "build/release"; /* tests/bench/run's cwd */
	char static_path[PATH_MAX + 32], hello_path[PATH_MAX + 32];
	snprintf(static_path, sizeof(static_path), "%s/bench-data/exit-static",
	         bin_dir);
	snprintf(hello_path, sizeof(hello_path), "%s/bin/hello", bin_dir);

	struct spawn_arg plain = { .path = static_path,
		                   .image = image_of(static_path) };
	double fork_exec = best(run_fork_exec, &plain);
	double kpd = best(run_kpd, &plain);

	static struct core_here core;
	core_up(&core);
	struct spawn_arg component = { .image = image_of(hello_path),
		                       .core = &core };
	/* the component's LOG line goes to core's stdout: not here */
	fflush(stdout);
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
	dup2(null, STDOUT_FILENO);
	double started = best(run_component, &component);
	double session = 0, null_call = 0;
	session_round_trips(&core, &session, &null_call);
	dup2(saved, STDOUT_FILENO);
	close(null);
	close(saved);
	core_down(&core);

	printf("spawn bench: best of %d rounds of %d spawns (%d calls)\n",
	       ROUNDS, SPAWNS, CALLS);
	printf("  %-44s %10s %8s\n", "", "us", "ratio");
	printf("  %-44s %10.0f %8.2f\n", "fork+exec static binary (baseline)",
	       fork_exec / 1000, 1.0);
	printf("  %-44s %10.0f %8.2f\n", "kpd_create same binary -> exit",
	       kpd / 1000, kpd / fork_exec);
	printf("  %-44s %10.0f %8.2f\n",
	       "core starts hello -> LOG line -> exit", started / 1000,
	       started / fork_exec);
	printf("  %-44s %10.1f %8.2f\n", "null rpc pd.quota (session baseline)",
	       null_call / 1000, 1.0);
	printf("  %-44s %10.1f %8.2f  (%d IPC hops; the null rpc 1)\n",
	       "LOG session open+close via parent", session / 1000,
	       session / null_call, SESSION_HOPS);
	printf("  target: session ratio at most 6.00: %s (%.2f)\n",
	       session / null_call <= 6.0 ? "met" : "NOT met",
	       session / null_call);
	kcap_close(plain.image);
	kcap_close(component.image);
	return 0;
}
