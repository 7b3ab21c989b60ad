/*
 * Tests of core's services, served in-process on an entrypoint and called
 * over RPC by the test thread: the root's checks of session arguments,
 * LOG labelling, ROM modules and their change signal, PD quota pools,
 * quota transfer and start, domains' stdout and stderr in the log, RM
 * bookkeeping, CPU binding and the device services' denial.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../pd/image.h"

#include "fixture.h"
#include "device_service.h"

#include "cpu_rpc.h"
#include "log_rpc.h"
#include "pd_rpc.h"
#include "rm_rpc.h"
#include "rom_rpc.h"
#include "root_rpc.h"

#include <runtime/signal.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WAIT_MS = 10000 };

static int setup(void **state)
{
	*state = fixture_create();
	return 0;
}

static int teardown(void **state)
{
	fixture_destroy(*state);
	return 0;
}

static void test_root_checks_the_quota_arguments(void **state)
{
	struct fixture *f = *state;
	struct root_component *log = &f->services.log.base;
	kcap_t cap = KCAP_INVALID;
	assert_int_equal(fixture_session(log,
	                                 "label=\"x\", ram_quota=1K, "
	                                 "cap_quota=2",
	                                 &cap),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_int_equal(fixture_session(log,
	                                 "label=\"x\", ram_quota=8K, "
	                                 "cap_quota=0",
	                                 &cap),
	                 ROOT_ERR_OUT_OF_CAPS);
	assert_int_equal(fixture_session(log, "label=\"x, ram_quota=8K", &cap),
	                 ROOT_ERR_INVALID);
	assert_int_equal(fixture_session(log, "ram_quota=8K, cap_quota=1",
	                                 &cap),
	                 0);
	assert_true(kcap_valid(cap));
	kcap_close(cap);
}

static void test_log_lines_are_labelled(void **state)
{
	struct fixture *f = *state;
	kcap_t log;
	assert_int_equal(
		fixture_session(
			&f->services.log.base,
			"label=\"init -> hello\", ram_quota=8K, cap_quota=1",
			&log),
		0);
	assert_int_equal(log_write(log, "hi"), 0);
	assert_int_equal(log_write(log, "fake\n[core] line\x1b[2J"), 0);
	char text[512];
	fixture_read(f, "log/init.log", text, sizeof(text));
	assert_string_equal(text, "[init -> hello] hi\n"
	                          "[init -> hello] fake?[core] line?[2J\n");
	kcap_close(log);
}

static void test_closed_log_session_is_revoked(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.log.base;
	kcap_t log;
	assert_int_equal(fixture_session(svc, "ram_quota=8K, cap_quota=1",
	                                 &log),
	                 0);
	assert_int_equal(root_close(svc->cap, log), 0);
	assert_int_equal(log_write(log, "too late"), KERR_REVOKED);
	assert_int_equal(root_close(svc->cap, log), ROOT_ERR_UNKNOWN);
	kcap_close(log);
}

static void read_rom(kcap_t rom, char *buf, size_t size, uint32_t *version)
{
	kcap_t ds;
	uint64_t bytes;
	assert_int_equal(rom_dataspace(rom, &ds, &bytes, version), 0);
	assert_true(bytes < size);
	void *at;
	assert_int_equal(kmem_map(ds, 0, (size_t)bytes, KMEM_READ, NULL, &at),
	                 0);
	memcpy(buf, at, (size_t)bytes);
	buf[bytes] = '\0';
	kmem_unmap(at, (size_t)bytes);
	/* sealed: nobody maps it writable */
	assert_int_not_equal(kmem_map(ds, 0, (size_t)bytes,
	                              KMEM_READ | KMEM_WRITE, NULL, &at),
	                     0);
	kcap_close(ds);
}

static void test_rom_serves_boot_and_config_modules(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.rom.base;
	kcap_t boot, conf;
	char text[64];
	uint32_t version;
	assert_int_equal(fixture_session(svc,
	                                 "label=\"init -> module\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &boot),
	                 0);
	read_rom(boot, text, sizeof(text), &version);
	assert_string_equal(text, "hello boot");
	assert_int_equal(fixture_session(svc,
	                                 "label=\"conf\", ram_quota=8K, "
	                                 "cap_quota=1",
	                                 &conf),
	                 0);
	read_rom(conf, text, sizeof(text), &version);
	assert_string_equal(text, "version 1");
	kcap_close(boot);
	kcap_close(conf);
}

/* rom_from="boot" takes boot/ only, where the default looks in config/
 * first; an unknown rom_from or a depot file of a target without depot/
 * is refused. */
static void test_rom_from(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.rom.base;
	fixture_write_config(f, "module", "config shadows boot");
	kcap_t config, boot, none = KCAP_INVALID;
	char text[64];
	uint32_t version;
	assert_int_equal(fixture_session(svc,
	                                 "label=\"module\", ram_quota=8K, "
	                                 "cap_quota=1",
	                                 &config),
	                 0);
	read_rom(config, text, sizeof(text), &version);
	assert_string_equal(text, "config shadows boot");
	assert_int_equal(fixture_session(svc,
	                                 "label=\"module\", rom_from=\"boot\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &boot),
	                 0);
	read_rom(boot, text, sizeof(text), &version);
	assert_string_equal(text, "hello boot");
	assert_int_equal(fixture_session(svc,
	                                 "label=\"module\", rom_from=\"disk\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &none),
	                 ROOT_ERR_DENIED);
	assert_int_equal(
		fixture_session(svc,
	                        "label=\"module\", rom_from=\"depot\", "
	                        "archive=\"u/raw/x/1\", ram_quota=8K, "
	                        "cap_quota=1",
	                        &none),
		ROOT_ERR_DENIED);
	assert_false(kcap_valid(none));
	kcap_close(config);
	kcap_close(boot);
}

static void test_rom_refuses_names_outside_the_target(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.rom.base;
	const char *labels[] = {
		"label=\"init -> ..\"",
		"label=\"init -> .hidden\"",
		"label=\"init -> boot/module\"",
		"label=\"\"",
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++) {
		char args[128];
		snprintf(args, sizeof(args), "%s, ram_quota=8K, cap_quota=1",
		         labels[i]);
		kcap_t cap = KCAP_INVALID;
		assert_int_equal(fixture_session(svc, args, &cap),
		                 ROOT_ERR_DENIED);
		assert_false(kcap_valid(cap));
	}
}

static void test_missing_rom_is_unavailable(void **state)
{
	struct fixture *f = *state;
	kcap_t rom, ds;
	uint64_t size;
	uint32_t version;
	assert_int_equal(
		fixture_session(&f->services.rom.base,
	                        "label=\"later\", ram_quota=8K, cap_quota=1",
	                        &rom),
		0);
	assert_int_equal(rom_dataspace(rom, &ds, &size, &version),
	                 ROM_ERR_UNAVAILABLE);
	kcap_close(rom);
}

/* A config module beyond the target's module limit is not copied: its
 * ROM is unavailable and core's log says why; within the limit it is
 * served. (The default, TARGET_MODULE_LIMIT_DEFAULT, is lowered here so
 * the test stays small.) */
static void test_oversized_module_is_unavailable(void **state)
{
	struct fixture *f = *state;
	kcap_t rom, ds;
	uint64_t size;
	uint32_t version;
	char text[64], path[PATH_MAX + 32], log[4096] = "";
	assert_int_equal(f->target.module_limit, TARGET_MODULE_LIMIT_DEFAULT);
	f->target.module_limit = 9;
	fixture_write_config(f, "big", "0123456789");
	fixture_write_config(f, "fits", "012345678");
	assert_int_equal(
		fixture_session(&f->services.rom.base,
	                        "label=\"big\", ram_quota=8K, cap_quota=1",
	                        &rom),
		0);
	assert_int_equal(rom_dataspace(rom, &ds, &size, &version),
	                 ROM_ERR_UNAVAILABLE);
	kcap_close(rom);
	snprintf(path, sizeof(path), "%s/log/core.log", f->dir);
	FILE *file = fopen(path, "r");
	assert_non_null(file);
	log[fread(log, 1, sizeof(log) - 1, file)] = '\0';
	fclose(file);
	assert_non_null(strstr(log,
	                       "ROM 'big' unavailable: 10 bytes, more than "
	                       "--module-limit 9"));
	assert_int_equal(
		fixture_session(&f->services.rom.base,
	                        "label=\"fits\", ram_quota=8K, cap_quota=1",
	                        &rom),
		0);
	read_rom(rom, text, sizeof(text), &version);
	assert_string_equal(text, "012345678");
	kcap_close(rom);
}

static void test_rom_change_is_signalled(void **state)
{
	struct fixture *f = *state;
	kcap_t rom;
	assert_int_equal(
		fixture_session(&f->services.rom.base,
	                        "label=\"conf\", ram_quota=8K, cap_quota=1",
	                        &rom),
		0);
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sigh;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sigh), 0);
	assert_int_equal(rom_sigh(rom, sigh), 0);

	signal_t sig;
	assert_int_equal(signal_receiver_poll(rx, &sig), KERR_TIMEOUT);
	fixture_write_config(f, "conf", "version 2");
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &ctx);
	char text[64];
	uint32_t version;
	read_rom(rom, text, sizeof(text), &version);
	assert_string_equal(text, "version 2");
	assert_int_equal(version, 2);

	kcap_close(sigh);
	signal_receiver_destroy(rx);
	kcap_close(rom);
}

static kcap_t open_pd(struct fixture *f, const char *args)
{
	kcap_t pd;
	assert_int_equal(fixture_session(&f->services.pd.base, args, &pd), 0);
	return pd;
}

static void test_pd_allocations_count_against_the_quota(void **state)
{
	struct fixture *f = *state;
	kcap_t pd = open_pd(f, "label=\"a\", ram_quota=64K, cap_quota=10");
	kcap_t ds[5];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pd_alloc(pd, 16384, &ds[i]), 0);
	assert_int_equal(pd_alloc(pd, 16384, &ds[4]), PD_ERR_OUT_OF_RAM);
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	assert_int_equal(pd_quota(pd, &ram_limit, &ram_used, &cap_limit,
	                          &cap_used),
	                 0);
	assert_int_equal(ram_limit, 65536);
	assert_int_equal(ram_used, 65536);
	assert_int_equal(cap_used, 4);
	assert_int_equal(pd_free(pd, ds[0]), 0);
	assert_int_equal(pd_alloc(pd, 16384, &ds[4]), 0);
	assert_int_equal(pd_alloc(pd, 0, &ds[0]), PD_ERR_INVALID);

	kcap_t stranger;
	assert_int_equal(kmem_create(4096, &stranger), 0);
	assert_int_equal(pd_free(pd, stranger), PD_ERR_NOT_OURS);
	kcap_close(stranger);
	for (int i = 0; i < 5; i++)
		kcap_close(ds[i]);
	kcap_close(pd);
}

static void test_pd_capability_quota(void **state)
{
	struct fixture *f = *state;
	kcap_t pd = open_pd(f, "label=\"a\", ram_quota=1M, cap_quota=2");
	kcap_t ds[3];
	assert_int_equal(pd_alloc(pd, 4096, &ds[0]), 0);
	assert_int_equal(pd_alloc(pd, 4096, &ds[1]), 0);
	assert_int_equal(pd_alloc(pd, 4096, &ds[2]), PD_ERR_OUT_OF_CAPS);
	kcap_close(ds[0]);
	kcap_close(ds[1]);
	kcap_close(pd);
}

static void test_pd_quota_transfer(void **state)
{
	struct fixture *f = *state;
	kcap_t a = open_pd(f, "label=\"a\", ram_quota=64K, cap_quota=10");
	kcap_t b = open_pd(f, "label=\"b\", ram_quota=16K, cap_quota=10");
	assert_int_equal(pd_transfer_quota(a, b, 32768, 4), 0);
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	pd_quota(a, &ram_limit, &ram_used, &cap_limit, &cap_used);
	assert_int_equal(ram_limit, 32768);
	assert_int_equal(cap_limit, 6);
	pd_quota(b, &ram_limit, &ram_used, &cap_limit, &cap_used);
	assert_int_equal(ram_limit, 49152);
	assert_int_equal(cap_limit, 14);

	assert_int_equal(pd_transfer_quota(a, b, 32769, 0), PD_ERR_OUT_OF_RAM);
	assert_int_equal(pd_transfer_quota(a, b, 0, 7), PD_ERR_OUT_OF_CAPS);
	kcap_t log;
	assert_int_equal(fixture_session(&f->services.log.base,
	                                 "ram_quota=8K, cap_quota=1", &log),
	                 0);
	assert_int_equal(pd_transfer_quota(a, log, 4096, 0), PD_ERR_NOT_OURS);
	pd_quota(a, &ram_limit, &ram_used, &cap_limit, &cap_used);
	assert_int_equal(ram_limit, 32768); /* nothing moved */
	kcap_close(log);
	kcap_close(a);
	kcap_close(b);
}

static void test_pd_start_refuses_what_is_no_image(void **state)
{
	struct fixture *f = *state;
	kcap_t pd = open_pd(f, "label=\"a\", ram_quota=32M, cap_quota=10");
	kcap_t garbage, log;
	assert_int_equal(kmem_create(4096, &garbage), 0);
	assert_int_equal(fixture_session(&f->services.log.base,
	                                 "ram_quota=8K, cap_quota=1", &log),
	                 0);
	assert_int_equal(pd_start(pd, garbage, log), PD_ERR_BAD_IMAGE);
	assert_int_equal(pd_start(pd, log, log), PD_ERR_BAD_IMAGE);
	uint32_t state_kind;
	int32_t code;
	assert_int_equal(pd_exit_state(pd, &state_kind, &code), 0);
	assert_int_equal(state_kind, 0);
	kcap_close(garbage);
	kcap_close(log);
	kcap_close(pd);
}

/* The confine probe (tests/unit/pd/confine_probe.c) started in a PD of
 * its own, with its exit signal, as long as a test needs it. */
struct probe_run {
	kcap_t image, pd, sigh, log;
	signal_receiver_t *rx;
	signal_context_t ctx;
};

/* Starts the probe in a PD opened with `pd_args` (its label's last
 * element names what the probe does). */
static void probe_start(struct fixture *f, const char *pd_args,
                        struct probe_run *run)
{
	const char *release = getenv("BUILD_RELEASE");
	char path[4096];
	snprintf(path, sizeof(path), "%s/bin/test-confine-probe",
	         release ? release : "build/release");
	run->image = image_of(path);
	run->pd = open_pd(f, pd_args);
	assert_int_equal(signal_receiver_create(&run->rx), 0);
	assert_int_equal(signal_receiver_manage(run->rx, &run->ctx, &run->sigh),
	                 0);
	assert_int_equal(pd_exit_sigh(run->pd, run->sigh), 0);
	assert_int_equal(fixture_session(&f->services.log.base,
	                                 "ram_quota=8K, cap_quota=1",
	                                 &run->log),
	                 0);
	assert_int_equal(pd_start(run->pd, run->image, run->log), 0);
}

static void probe_wait_for_the_end(struct probe_run *run)
{
	signal_t sig;
	assert_int_equal(signal_receiver_wait(run->rx, &sig, WAIT_MS), 0);
}

static void probe_close(struct probe_run *run)
{
	kcap_close(run->sigh);
	signal_receiver_destroy(run->rx);
	kcap_close(run->log);
	kcap_close(run->image);
	kcap_close(run->pd);
}

/* The confine probe, named "probe-caps" by its label, checks that it got
 * exactly two boot capabilities; with the one core gives (its parent) it
 * exits with 1, which the PD session reports. */
static void test_pd_start_runs_and_reports_the_end(void **state)
{
	struct fixture *f = *state;
	struct probe_run run;
	probe_start(f,
	            "label=\"test -> probe-caps\", ram_quota=32M, "
	            "cap_quota=10",
	            &run);
	assert_int_equal(pd_start(run.pd, run.image, run.log), PD_ERR_STARTED);
	probe_wait_for_the_end(&run);
	uint32_t kind;
	int32_t code;
	assert_int_equal(pd_exit_state(run.pd, &kind, &code), 0);
	assert_int_equal(kind, 1);
	assert_int_equal(code, 1);
	char text[1024];
	fixture_read(f, "log/core.log", text, sizeof(text));
	assert_non_null(strstr(text,
	                       "'test -> probe-caps' exited with code 1"));
	probe_close(&run);
}

/* What a domain writes to stdout and stderr lands in the log under its
 * PD's label, marked; stopping the services reads the pipes to their
 * end, so the lines are there once they are stopped. */
static void test_pd_output_goes_to_the_log(void **state)
{
	struct fixture *f = *state;
	struct probe_run run;
	probe_start(f,
	            "label=\"test -> probe-say\", ram_quota=32M, "
	            "cap_quota=10",
	            &run);
	probe_wait_for_the_end(&run);
	core_services_dissolve(&f->services);
	char text[1024];
	fixture_read(f, "log/test.log", text, sizeof(text));
	assert_non_null(strstr(text, "[test -> probe-say] (stdout) said on "
	                             "stdout\n"));
	assert_non_null(strstr(text, "[test -> probe-say] (stderr) said on "
	                             "stderr\n"));
	probe_close(&run);
}

/* Whether process `pid` runs under the name `name` (its argv[0]). */
static int runs_as(int pid, const char *name)
{
	char path[64], cmdline[64] = "";
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(cmdline, 1, sizeof(cmdline) - 1, f);
	fclose(f);
	cmdline[n] = '\0';
	return strcmp(cmdline, name) == 0;
}

/* The pid of this test's child process named `name` (the domain), found
 * in the children lists of all its threads (the entrypoint forked it). */
static pid_t domain_pid(const char *name)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)getpid());
	DIR *tasks = opendir(path);
	assert_non_null(tasks);
	int found = 0;
	for (struct dirent *t; !found && (t = readdir(tasks));) {
		char file[600];
		snprintf(file, sizeof(file), "%s/%s/children", path, t->d_name);
		FILE *f = fopen(file, "r");
		int pid;
		while (f && !found && fscanf(f, "%d", &pid) == 1)
			if (runs_as(pid, name))
				found = pid;
		if (f)
			fclose(f);
	}
	closedir(tasks);
	return (pid_t)found;
}

static uint64_t data_limit(pid_t pid)
{
	struct rlimit limit;
	assert_int_equal(prlimit(pid, RLIMIT_DATA, NULL, &limit), 0);
	return limit.rlim_cur;
}

/* Quota moved to or from a PD whose domain runs changes the domain's
 * private-memory limit with it. */
static void test_pd_quota_moves_the_running_domains_limit(void **state)
{
	struct fixture *f = *state;
	const char *release = getenv("BUILD_RELEASE");
	char path[4096];
	snprintf(path, sizeof(path), "%s/bin/test-confine-probe",
	         release ? release : "build/release");
	kcap_t image = image_of(path);
	kcap_t pd = open_pd(f, "label=\"probe-sleep\", ram_quota=32M, "
	                       "cap_quota=10");
	kcap_t donor = open_pd(f, "label=\"donor\", ram_quota=64M, "
	                          "cap_quota=10");
	kcap_t log;
	assert_int_equal(fixture_session(&f->services.log.base,
	                                 "ram_quota=8K, cap_quota=1", &log),
	                 0);
	assert_int_equal(pd_start(pd, image, log), 0);
	pid_t pid = 0;
	for (int i = 0; i < 1000 && !(pid = domain_pid("probe-sleep")); i++)
		usleep(10000);
	assert_true(pid > 0);
	/* the domain sets its limit itself, between fork and exec */
	for (int i = 0; i < 1000 && data_limit(pid) == RLIM_INFINITY; i++)
		usleep(10000);
	assert_int_equal(data_limit(pid), 32u << 20);

	assert_int_equal(pd_transfer_quota(donor, pd, 16u << 20, 0), 0);
	assert_int_equal(data_limit(pid), 48u << 20);
	assert_int_equal(pd_transfer_quota(pd, donor, 40u << 20, 0), 0);
	assert_int_equal(data_limit(pid), 8u << 20);
	assert_int_equal(pd_transfer_quota(pd, donor, 9u << 20, 0),
	                 PD_ERR_OUT_OF_RAM);
	assert_int_equal(data_limit(pid), 8u << 20);

	assert_int_equal(root_close(f->services.pd.base.cap, pd), 0);
	kcap_close(log);
	kcap_close(image);
	kcap_close(pd);
	kcap_close(donor);
}

static void test_rm_bookkeeping(void **state)
{
	struct fixture *f = *state;
	kcap_t rm, ds;
	assert_int_equal(fixture_session(&f->services.rm.base,
	                                 "size=1M, ram_quota=16K, cap_quota=1",
	                                 &rm),
	                 0);
	assert_int_equal(kmem_create(16384, &ds), 0);
	uint64_t at, again, start, size, offset;
	assert_int_equal(rm_attach(rm, ds, 0, 0, false, 0, true, &at), 0);
	assert_int_equal(rm_attach(rm, ds, 0, 0, true, at + 4096, true, &again),
	                 RM_ERR_OVERLAP);
	assert_int_equal(rm_attach(rm, ds, 0, 0, true, 1u << 20, true, &again),
	                 RM_ERR_OUT_OF_RANGE);
	assert_int_equal(rm_attach(rm, ds, 16384, 0, false, 0, true, &again),
	                 RM_ERR_OUT_OF_RANGE);
	assert_int_equal(rm_attach(rm, ds, 4096, 16384, false, 0, true, &again),
	                 RM_ERR_OUT_OF_RANGE);
	assert_int_equal(rm_attach(rm, ds, 4096, 0, true, 65536, false, &again),
	                 0);
	assert_int_equal(again, 65536);
	assert_int_equal(rm_region(rm, 65536 + 100, &start, &size, &offset), 0);
	assert_int_equal(start, 65536);
	assert_int_equal(size, 12288);
	assert_int_equal(offset, 4096);
	assert_int_equal(rm_detach(rm, at), 0);
	assert_int_equal(rm_detach(rm, at), RM_ERR_NOT_ATTACHED);
	assert_int_equal(rm_region(rm, at, &start, &size, &offset),
	                 RM_ERR_NOT_ATTACHED);
	assert_int_equal(rm_size(rm, &size), 0);
	assert_int_equal(size, 1u << 20);
	kcap_close(ds);
	kcap_close(rm);
	assert_int_equal(
		fixture_session(&f->services.rm.base,
	                        "size=1000, ram_quota=16K, cap_quota=1", &rm),
		ROOT_ERR_INVALID);
}

/* Attaches `ds` anywhere until the map refuses; the number attached. */
static int attach_until_refused(kcap_t rm, kcap_t ds, uint64_t *last)
{
	int attached = 0;
	uint64_t at;
	int rc;
	while ((rc = rm_attach(rm, ds, 0, 0, false, 0, false, &at)) == 0) {
		*last = at;
		attached++;
	}
	assert_int_equal(rc, RM_ERR_OUT_OF_RAM);
	return attached;
}

static void test_rm_regions_are_paid_for(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.rm.base;
	kcap_t rm, ds;
	/* less than a map's book-keeping needs */
	assert_int_equal(fixture_session(svc, "ram_quota=8K, cap_quota=1", &rm),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_int_equal(fixture_session(svc, "ram_quota=12K, cap_quota=1",
	                                 &rm),
	                 0);
	assert_int_equal(kmem_create(4096, &ds), 0);
	uint64_t last = 0;
	int paid_by_12k = attach_until_refused(rm, ds, &last);
	assert_true(paid_by_12k >= 8);
	/* a detached region's record pays for the next one */
	assert_int_equal(rm_detach(rm, last), 0);
	assert_int_equal(attach_until_refused(rm, ds, &last), 1);
	/* what the client donates more is what more it can record */
	struct root_session *s = root_component_lookup(svc, rm);
	assert_non_null(s);
	assert_int_equal(root_component_upgrade(svc, rm, "ram_quota=64K"), 0);
	assert_true(attach_until_refused(rm, ds, &last) > 4 * paid_by_12k);
	assert_int_equal(quota_guard_limit(&s->guard), 76u * 1024 - 4096);
	kcap_close(ds);
	kcap_close(rm);
}

static void test_cpu_session_needs_its_domain(void **state)
{
	struct fixture *f = *state;
	kcap_t cpu, log;
	assert_int_equal(fixture_session(&f->services.cpu.base,
	                                 "ram_quota=8K, cap_quota=4", &cpu),
	                 0);
	uint32_t cpus, id;
	assert_int_equal(cpu_affinity_space(cpu, &cpus), 0);
	assert_true(cpus >= 1);
	assert_int_equal(cpu_thread_register(cpu, "main", kthread_native_id(),
	                                     &id),
	                 CPU_ERR_NOT_OURS);
	assert_int_equal(fixture_session(&f->services.log.base,
	                                 "ram_quota=8K, cap_quota=1", &log),
	                 0);
	assert_int_equal(cpu_bind_pd(cpu, log), CPU_ERR_NOT_OURS);
	kcap_t pd = open_pd(f, "ram_quota=1M, cap_quota=4");
	assert_int_equal(cpu_bind_pd(cpu, pd), 0);
	/* bound, but the domain was never started: no thread is its */
	assert_int_equal(cpu_thread_register(cpu, "main", kthread_native_id(),
	                                     &id),
	                 CPU_ERR_NOT_OURS);
	assert_int_equal(cpu_thread_affinity(cpu, 0, 0), CPU_ERR_UNKNOWN);
	kcap_close(pd);
	kcap_close(log);
	kcap_close(cpu);
}

/* IRQ and IO_MEM are the real services (irq_service.c, io_mem_service.c)
 * over kernel/device.h, whose linux platform denies with its reason, even
 * for arguments that would name the riscv board's UART; IO_PORT is
 * refused on every platform. */
static void test_device_services_deny_every_session(void **state)
{
	struct fixture *f = *state;
	struct root_component *devices[] = {
		&f->services.irq.base,
		&f->services.io_mem.base,
		&f->services.io_port,
	};
	const char *args[] = {
		"ram_quota=8K, cap_quota=1, irq=10",
		"ram_quota=8K, cap_quota=1, base=0x10000000, size=4096",
		"ram_quota=8K, cap_quota=1",
	};
	const char *reasons[] = {
		"no device access on the linux platform (Linux keeps the "
		"devices; drivers need the riscv platform)",
		"no device access on the linux platform (Linux keeps the "
		"devices; drivers need the riscv platform)",
		DEVICE_DENIED_REASON,
	};
	for (size_t i = 0; i < 3; i++) {
		kcap_t cap = KCAP_INVALID;
		assert_int_equal(fixture_session(devices[i], args[i], &cap),
		                 ROOT_ERR_DENIED);
		const char *why = NULL;
		assert_int_equal(root_component_open(devices[i], args[i], &cap,
		                                     &why),
		                 ROOT_ERR_DENIED);
		assert_string_equal(why, reasons[i]);
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_root_checks_the_quota_arguments),
		T(test_log_lines_are_labelled),
		T(test_closed_log_session_is_revoked),
		T(test_rom_serves_boot_and_config_modules),
		T(test_rom_from),
		T(test_rom_refuses_names_outside_the_target),
		T(test_missing_rom_is_unavailable),
		T(test_oversized_module_is_unavailable),
		T(test_rom_change_is_signalled),
		T(test_pd_allocations_count_against_the_quota),
		T(test_pd_capability_quota),
		T(test_pd_quota_transfer),
		T(test_pd_start_refuses_what_is_no_image),
		T(test_pd_start_runs_and_reports_the_end),
		T(test_pd_output_goes_to_the_log),
		T(test_pd_quota_moves_the_running_domains_limit),
		T(test_rm_bookkeeping),
		T(test_rm_regions_are_paid_for),
		T(test_cpu_session_needs_its_domain),
		T(test_device_services_deny_every_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
