/*
 * Tests of the controls core applies to a running protection domain
 * (kernel/pd.h): its RAM limit moves with its quota (kpd_set_ram_limit),
 * and affinity and priority apply to the domain's own threads only
 * (kpd_thread_check, kpd_thread_affinity, kpd_thread_priority).
 *
 * The domain is the sleeping confine probe from the release build; the
 * test finds its pid among the children of the calling thread to read back
 * what the kernel recorded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "image.h"

#include <kernel/pd.h>

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MiB = 1 << 20, WAIT_MS = 10000 };

static char probe_path[4096];

static unsigned long data_limit_of(pid_t pid)
{
	struct rlimit limit;
	assert_int_equal(prlimit(pid, RLIMIT_DATA, NULL, &limit), 0);
	return (unsigned long)limit.rlim_cur;
}

/* Starts the sleeping probe and returns its pid through *pid. */
static kpd_t *start_sleeper(pid_t *pid)
{
	kcap_t image = image_of(probe_path);
	struct kpd_config config = {
		.name = "probe-sleep",
		.elf = image,
		.ram_limit = 32 * MiB,
		.exit_signal = KCAP_INVALID,
	};
	kpd_t *pd = NULL;
	assert_int_equal(kpd_create(&pd, &config), 0);
	kcap_close(image);

	char path[64], text[256] = "";
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", gettid());
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	char *last = strrchr(text, ' ');
	while (last && last > text && last[1] == '\0') {
		*last = '\0'; /* the list ends in a space */
		last = strrchr(text, ' ');
	}
	*pid = (pid_t)atoi(last ? last + 1 : text);
	assert_true(*pid > 0);
	/* the domain sets its own limits between fork and exec: wait for them
	 * (a bounded wait for a state, not a timed assertion) */
	for (int i = 0; i < 1000 && data_limit_of(*pid) == RLIM_INFINITY; i++)
		usleep(10000);
	return pd;
}

static void test_ram_limit_follows_the_quota(void **state)
{
	(void)state;
	pid_t pid;
	kpd_t *pd = start_sleeper(&pid);
	assert_int_equal(data_limit_of(pid), 32ul * MiB);
	assert_int_equal(kpd_set_ram_limit(pd, 48 * MiB), 0);
	assert_int_equal(data_limit_of(pid), 48ul * MiB);
	assert_int_equal(kpd_set_ram_limit(pd, 16 * MiB), 0);
	assert_int_equal(data_limit_of(pid), 16ul * MiB);
	kpd_destroy(pd);
}

static void test_ram_limit_of_an_ended_domain_is_refused(void **state)
{
	(void)state;
	pid_t pid;
	kpd_t *pd = start_sleeper(&pid);
	kpd_kill(pd);
	assert_int_equal(kpd_wait(pd, WAIT_MS), 0);
	assert_int_equal(kpd_set_ram_limit(pd, 16 * MiB), KERR_REVOKED);
	kpd_destroy(pd);
}

static void test_only_the_domains_threads_are_its_own(void **state)
{
	(void)state;
	pid_t pid;
	kpd_t *pd = start_sleeper(&pid);
	assert_int_equal(kpd_thread_check(pd, (uint32_t)pid), 0);
	assert_int_equal(kpd_thread_check(pd, kthread_native_id()),
	                 KERR_INVALID);
	assert_int_equal(kpd_thread_check(pd, 0), KERR_INVALID);
	assert_int_equal(kpd_thread_affinity(pd, kthread_native_id(), 0),
	                 KERR_INVALID);
	assert_int_equal(kpd_thread_priority(pd, kthread_native_id(), 5),
	                 KERR_INVALID);
	kpd_destroy(pd);
}

static void test_affinity_and_priority_apply(void **state)
{
	(void)state;
	pid_t pid;
	kpd_t *pd = start_sleeper(&pid);
	assert_int_equal(kpd_thread_affinity(pd, (uint32_t)pid, 0), 0);
	cpu_set_t set;
	assert_int_equal(sched_getaffinity(pid, sizeof(set), &set), 0);
	assert_int_equal(CPU_COUNT(&set), 1);
	assert_true(CPU_ISSET(0, &set));
	assert_int_equal(kpd_thread_affinity(pd, (uint32_t)pid, 100000),
	                 KERR_INVALID);

	assert_int_equal(kpd_thread_priority(pd, (uint32_t)pid, 7), 0);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)pid), 7);
	assert_int_equal(kpd_thread_priority(pd, (uint32_t)pid, 40),
	                 KERR_INVALID);
	kpd_destroy(pd);
}

int main(void)
{
	const char *release = getenv("BUILD_RELEASE");
	snprintf(probe_path, sizeof(probe_path), "%s/bin/test-confine-probe",
	         release ? release : "build/release");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_limit_follows_the_quota),
		cmocka_unit_test(test_ram_limit_of_an_ended_domain_is_refused),
		cmocka_unit_test(test_only_the_domains_threads_are_its_own),
		cmocka_unit_test(test_affinity_and_priority_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
