/*
 * Tests of protection domains (kernel/pd.h) on Linux: a domain starts from
 * an image in a memory object with exactly its boot capabilities, is
 * confined (confine_probe.c tries every way out), reports how it ended,
 * writes its stdout and stderr where its creator says, and dies with its
 * creator. A confined holder of capabilities that its creator holds too
 * cannot spoil the one socket they share: afterwards the creator still
 * opens channels, calls and submits.
 *
 * The probe must be an uninstrumented build (sanitizer runtimes need files
 * that a confined domain cannot open), so the test takes it from the release
 * build: $BUILD_RELEASE/bin/test-confine-probe.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "image.h"

#include <kernel/pd.h>

#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MiB = 1 << 20, WAIT_MS = 10000 };

static char probe_path[4096];

static kpd_t *start(const char *name, const kcap_t *caps, unsigned count)
{
	kcap_t image = image_of(probe_path);
	struct kpd_config config = {
		.name = name,
		.elf = image,
		.caps = caps,
		.cap_count = count,
		.ram_limit = 32 * MiB,
		.exit_signal = KCAP_INVALID,
	};
	kpd_t *pd = NULL;
	assert_int_equal(kpd_create(&pd, &config), 0);
	kcap_close(image);
	return pd;
}

static int ended_with(kpd_t *pd, enum kpd_state expected_state)
{
	assert_int_equal(kpd_wait(pd, WAIT_MS), 0);
	int code = -1;
	assert_int_equal(kpd_state(pd, &code), expected_state);
	return code;
}

static void test_confinement_refuses_every_escape(void **state)
{
	(void)state;
	kpd_t *pd = start("probe-hostile", NULL, 0);
	assert_int_equal(ended_with(pd, KPD_EXITED), 0);
	kpd_destroy(pd);
}

/* The negative control: the same probe outside a domain does escape, so
 * the test above would catch a confinement that lets something through. */
static void test_probe_detects_escapes_when_unconfined(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "probe-hostile", NULL };
		execv(probe_path, argv);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_not_equal(WEXITSTATUS(status), 0);
	assert_int_not_equal(WEXITSTATUS(status), 127);
}

static void test_boot_capabilities_arrive(void **state)
{
	(void)state;
	kcap_t caps[2];
	assert_int_equal(kmem_create(4096, &caps[0]), 0);
	assert_int_equal(kmem_create(4096, &caps[1]), 0);
	kpd_t *pd = start("probe-caps", caps, 2);
	assert_int_equal(ended_with(pd, KPD_EXITED), 0);
	kpd_destroy(pd);
	kcap_close(caps[0]);
	kcap_close(caps[1]);
}

static void test_fault_is_reported(void **state)
{
	(void)state;
	kpd_t *pd = start("probe-crash", NULL, 0);
	assert_int_equal(ended_with(pd, KPD_KILLED), SIGSEGV);
	kpd_destroy(pd);
}

static void test_kill_ends_a_running_domain(void **state)
{
	(void)state;
	kpd_t *pd = start("probe-sleep", NULL, 0);
	assert_int_equal(kpd_wait(pd, 50), KERR_TIMEOUT);
	assert_int_equal(kpd_state(pd, NULL), KPD_RUNNING);
	kpd_kill(pd);
	assert_int_equal(ended_with(pd, KPD_KILLED), SIGKILL);
	kpd_destroy(pd);
}

static void test_end_submits_the_exit_signal(void **state)
{
	(void)state;
	kwaitset_t *ws;
	ksignal_source_t *source;
	kcap_t signal;
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(ksignal_source_create(&source, &signal), 0);
	int cookie;
	assert_int_equal(kwaitset_add_signal(ws, source, &cookie), 0);

	kcap_t image = image_of(probe_path);
	struct kpd_config config = {
		.name = "probe-caps",
		.elf = image,
		.ram_limit = 32 * MiB,
		.exit_signal = signal,
	};
	kpd_t *pd;
	assert_int_equal(kpd_create(&pd, &config), 0);
	kcap_close(image);
	kcap_close(signal); /* the domain keeps its own copy */

	kevent_t event;
	kmsg_t msg;
	assert_int_equal(kwaitset_wait(ws, &event, &msg, WAIT_MS), 0);
	assert_int_equal(event.kind, KEVENT_SIGNAL);
	assert_ptr_equal(event.cookie, &cookie);
	assert_int_equal(event.count, 1);
	/* probe-caps without capabilities fails its check: exit code 1 */
	int code = -1;
	assert_int_equal(kpd_state(pd, &code), KPD_EXITED);
	assert_int_equal(code, 1);
	kpd_destroy(pd);
	ksignal_source_destroy(source);
	kwaitset_destroy(ws);
}

/* The objects whose capabilities the creator shares with probe-shared,
 * served by a thread of the creator. */
struct shared_objects {
	kwaitset_t *ws;
	kendpoint_t *ep;
	ksignal_source_t *src;
	kcap_t ep_cap, src_cap;
	kthread_t *server;
	atomic_uint requests, signals;
};

/* Echoes every request and counts them and the signals, until canceled. */
static void serve_shared(void *arg)
{
	struct shared_objects *o = arg;
	static kmsg_t msg;
	kevent_t ev;

	assert_int_equal(kwaitset_create(&o->ws), 0);
	assert_int_equal(kwaitset_add_endpoint(o->ws, o->ep, NULL), 0);
	assert_int_equal(kwaitset_add_signal(o->ws, o->src, NULL), 0);
	for (;;) {
		int err = kwaitset_wait(o->ws, &ev, &msg, -1);
		if (err == KERR_CANCELED)
			break;
		assert_int_equal(err, 0);
		if (ev.kind == KEVENT_SIGNAL) {
			atomic_fetch_add(&o->signals, ev.count);
			continue;
		}
		atomic_fetch_add(&o->requests, 1);
		assert_int_equal(kipc_reply(ev.reply, &msg), 0);
	}
	kwaitset_destroy(o->ws);
}

static void shared_begin(struct shared_objects *o)
{
	memset(o, 0, sizeof *o);
	assert_int_equal(kendpoint_create(&o->ep, &o->ep_cap), 0);
	assert_int_equal(ksignal_source_create(&o->src, &o->src_cap), 0);
	assert_int_equal(kthread_create(&o->server, "shared", 0, serve_shared,
	                                o),
	                 0);
}

static void shared_end(struct shared_objects *o)
{
	kthread_cancel_blocking(o->server);
	assert_int_equal(kthread_join(o->server), 0);
	kendpoint_dissolve(o->ep);
	ksignal_source_destroy(o->src);
	kcap_close(o->ep_cap);
	kcap_close(o->src_cap);
}

/* Calls the shared endpoint over a new channel (a fresh selector), as
 * another client that comes later would. */
static int call_over_new_channel(kcap_t cap)
{
	static kmsg_t msg;
	kcap_t copy;

	assert_int_equal(kcap_copy(cap, &copy), 0);
	msg.size = 1;
	msg.cap_count = 0;
	msg.data[0] = 'c';
	int err = kipc_call(copy, &msg, &msg, WAIT_MS);
	kcap_close(copy);
	return err;
}

static void test_holder_cannot_spoil_a_shared_socket(void **state)
{
	(void)state;
	struct shared_objects o;
	shared_begin(&o);
	kcap_t caps[2] = { o.ep_cap, o.src_cap };
	kpd_t *pd = start("probe-shared", caps, 2);
	assert_int_equal(ended_with(pd, KPD_EXITED), 0);
	kpd_destroy(pd);

	/* The probe was served; the creator, another holder, still is. */
	assert_int_equal(atomic_load(&o.requests), 1);
	assert_int_equal(kcap_type(o.ep_cap), KCAP_TYPE_ENDPOINT);
	assert_int_equal(kcap_type(o.src_cap), KCAP_TYPE_SIGNAL);
	assert_int_equal(call_over_new_channel(o.ep_cap), 0);
	assert_int_equal(atomic_load(&o.requests), 2);
	assert_int_equal(ksignal_submit(o.src_cap, 2), 0);
	alarm(10);
	while (atomic_load(&o.signals) < 3)
		usleep(1000);
	alarm(0);
	shared_end(&o);
}

/* The negative control: outside a domain, the same probe does spoil the
 * socket (it may shut it down), so the test above would catch a
 * confinement that lets it. */
static void test_probe_spoils_shared_sockets_when_unconfined(void **state)
{
	(void)state;
	struct shared_objects o;
	shared_begin(&o);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "probe-shared", NULL };
		char *envp[] = { "KBOOT_CAPS=2", NULL };
		if (dup2(o.ep_cap.sel, 3) < 0 || dup2(o.src_cap.sel, 4) < 0)
			_exit(126);
		execve(probe_path, argv, envp);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1); /* it shut them down */
	assert_int_equal(call_over_new_channel(o.ep_cap), KERR_REVOKED);
	shared_end(&o);
}

static void test_garbage_image_is_refused(void **state)
{
	(void)state;
	kcap_t mem;
	assert_int_equal(kmem_create(4096, &mem), 0);
	struct kpd_config config = {
		.name = "garbage",
		.elf = mem,
		.ram_limit = 32 * MiB,
		.exit_signal = KCAP_INVALID,
	};
	kpd_t *pd = NULL;
	assert_int_equal(kpd_create(&pd, &config), KERR_INVALID);
	assert_null(pd);
	kcap_close(mem);
}

static void test_too_many_boot_caps_are_refused(void **state)
{
	(void)state;
	kcap_t image = image_of(probe_path);
	kcap_t caps[KPD_MAX_BOOT_CAPS + 1];
	for (unsigned i = 0; i <= KPD_MAX_BOOT_CAPS; i++)
		caps[i] = image;
	struct kpd_config config = {
		.name = "probe-caps",
		.elf = image,
		.caps = caps,
		.cap_count = KPD_MAX_BOOT_CAPS + 1,
		.ram_limit = 32 * MiB,
		.exit_signal = KCAP_INVALID,
	};
	kpd_t *pd = NULL;
	assert_int_equal(kpd_create(&pd, &config), KERR_INVALID);
	kcap_close(image);
}

/* A domain must not outlive its creator. A creator process starts a
 * sleeping domain that holds the write end of a pipe as a boot capability,
 * then dies; the read end sees end-of-file only once every holder of the
 * write end, the domain included, is gone. */
static void test_domain_dies_with_its_creator(void **state)
{
	(void)state;
	int pipe_fds[2];
	assert_int_equal(pipe2(pipe_fds, O_CLOEXEC), 0);
	pid_t creator = fork();
	if (creator == 0) {
		kcap_t image = image_of(probe_path);
		kcap_t held = { pipe_fds[1] };
		struct kpd_config config = {
			.name = "probe-sleep",
			.elf = image,
			.caps = &held,
			.cap_count = 1,
			.ram_limit = 32 * MiB,
			.exit_signal = KCAP_INVALID,
		};
		kpd_t *pd;
		_exit(kpd_create(&pd, &config) == 0 ? 0 : 1);
	}
	close(pipe_fds[1]);
	int status;
	assert_int_equal(waitpid(creator, &status, 0), creator);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	alarm(10); /* a surviving domain fails the test instead of hanging it */
	char byte;
	assert_int_equal(read(pipe_fds[0], &byte, 1), 0);
	alarm(0);
	close(pipe_fds[0]);
}

/* Reads `fd` to its end (every writer gone) into buf, NUL-terminated. */
static void read_to_end(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	alarm(10); /* a copy of the write end left somewhere fails the test */
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	alarm(0);
	buf[len] = '\0';
}

/* The streams of kpd_config become the domain's stdout and stderr (its
 * stdin is empty), and the domain holds no other copy of them: the pipes
 * end when it does. */
static void test_streams_become_stdout_and_stderr(void **state)
{
	(void)state;
	int out[2], err[2];
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	assert_int_equal(pipe2(err, O_CLOEXEC), 0);
	kcap_t out_stream = { out[1] }, err_stream = { err[1] };
	kcap_t image = image_of(probe_path);
	struct kpd_config config = {
		.name = "probe-say",
		.elf = image,
		.ram_limit = 32 * MiB,
		.exit_signal = KCAP_INVALID,
		.stdout_stream = &out_stream,
		.stderr_stream = &err_stream,
	};
	kpd_t *pd = NULL;
	assert_int_equal(kpd_create(&pd, &config), 0);
	kcap_close(image);
	close(out[1]);
	close(err[1]);
	assert_int_equal(ended_with(pd, KPD_EXITED), 0);
	char text[64];
	read_to_end(out[0], text, sizeof(text));
	assert_string_equal(text, "said on stdout\n");
	read_to_end(err[0], text, sizeof(text));
	assert_string_equal(text, "said on stderr\n");
	close(out[0]);
	close(err[0]);
	kpd_destroy(pd);
}

/* --- memory beyond RLIMIT_DATA (kernel/linux/memcg.c) -------------------- */

/* The directory of this process's domains' cgroups, from
 * kpd_memory_bound(); skips the test where the machine has none. */
static void cgroup_base(char *base, size_t size)
{
	const char *bound = kpd_memory_bound();
	const char *below = strstr(bound, " below ");
	if (strncmp(bound, "cgroup", 6) != 0 || !below) {
		print_message("no memory cgroup here: %s\n", bound);
		skip();
	}
	below += strlen(" below ");
	size_t len = strcspn(below, " ,");
	assert_true(len < size);
	memcpy(base, below, len);
	base[len] = '\0';
}

static int count_cgroups(const char *base)
{
	char command[PATH_MAX + 64];
	snprintf(command, sizeof(command),
	         "exit $(ls -d '%s'/pd.* 2>/dev/null | wc -l)", base);
	int status = system(command);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The memory limit of the newest cgroup in base. */
static unsigned long long memory_limit_of_last(const char *base)
{
	char command[PATH_MAX + 128], line[64] = "";
	snprintf(
		command, sizeof(command),
		"cat $(ls -dt '%s'/pd.* | head -n 1)/"
		"memory.limit_in_bytes 2>/dev/null || cat $(ls -dt '%s'/pd.* | "
		"head -n 1)/memory.max",
		base, base);
	FILE *p = popen(command, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	return strtoull(line, NULL, 10);
}

/* A domain's cgroup exists while it runs, is limited to its RAM limit
 * plus 16 MiB and follows that limit, and is gone once it has ended. */
static void test_cgroup_follows_the_domain(void **state)
{
	(void)state;
	char base[PATH_MAX];
	cgroup_base(base, sizeof(base));
	int before = count_cgroups(base);
	kpd_t *pd = start("probe-sleep", NULL, 0);
	assert_int_equal(count_cgroups(base), before + 1);
	assert_int_equal(memory_limit_of_last(base), (32 + 16) * MiB);
	assert_int_equal(kpd_set_ram_limit(pd, 64 * MiB), 0);
	assert_int_equal(memory_limit_of_last(base), (64 + 16) * MiB);
	kpd_kill(pd);
	assert_int_equal(ended_with(pd, KPD_KILLED), SIGKILL);
	assert_false(kpd_out_of_memory(pd));
	assert_int_equal(count_cgroups(base), before);
	kpd_destroy(pd);
}

/* Shared anonymous memory, which RLIMIT_DATA does not count, ends the
 * domain at its cgroup's limit. */
static void test_shared_memory_is_bounded(void **state)
{
	(void)state;
	char base[PATH_MAX];
	cgroup_base(base, sizeof(base));
	kpd_t *pd = start("probe-hog", NULL, 0);
	assert_int_equal(ended_with(pd, KPD_KILLED), SIGKILL);
	assert_true(kpd_out_of_memory(pd));
	kpd_destroy(pd);
}

static void test_descriptors_are_bounded(void **state)
{
	(void)state;
	kpd_t *pd = start("probe-files", NULL, 0);
	assert_int_equal(ended_with(pd, KPD_EXITED), 0);
	kpd_destroy(pd);
}

int main(void)
{
	const char *release = getenv("BUILD_RELEASE");
	snprintf(probe_path, sizeof(probe_path), "%s/bin/test-confine-probe",
	         release ? release : "build/release");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confinement_refuses_every_escape),
		cmocka_unit_test(test_probe_detects_escapes_when_unconfined),
		cmocka_unit_test(test_boot_capabilities_arrive),
		cmocka_unit_test(test_fault_is_reported),
		cmocka_unit_test(test_kill_ends_a_running_domain),
		cmocka_unit_test(test_end_submits_the_exit_signal),
		cmocka_unit_test(test_holder_cannot_spoil_a_shared_socket),
		cmocka_unit_test(
			test_probe_spoils_shared_sockets_when_unconfined),
		cmocka_unit_test(test_garbage_image_is_refused),
		cmocka_unit_test(test_too_many_boot_caps_are_refused),
		cmocka_unit_test(test_domain_dies_with_its_creator),
		cmocka_unit_test(test_streams_become_stdout_and_stderr),
		cmocka_unit_test(test_cgroup_follows_the_domain),
		cmocka_unit_test(test_shared_memory_is_bounded),
		cmocka_unit_test(test_descriptors_are_bounded),
	};
	return cmocka_run_group_tests_name("pd", tests, NULL, NULL);
}
