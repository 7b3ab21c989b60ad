/*
 * The hostile probe: a test component for tests/scenarios/41-hostile-*,
 * started by init as a child. It tries to hold more than its quota, in
 * the forms an audit used (issue 12), and logs what each attempt got, so
 * that a scenario can check that the bound holds and what the component
 * saw. memfd, threads, socket pairs and shared memory are the platform's
 * (hostile_platform.h: hostile_linux.c, hostile_riscv.c, where a form
 * without its kind of object logs "nothing to try"). Its JSON config says
 * which, in this order:
 *
 *   "memfd": true        memfd_create(); logs "memfd: <errno text>" or
 *                        "memfd: created"
 *   "reports": N         opens N Report sessions under ever new labels
 *                        ("r0", "r1", ...; ram_quota "report_quota",
 *                        default 64K), fills each dataspace, submits and
 *                        closes; logs "reports: N submitted, M failed"
 *   "reports_open": N    the same, but keeps the sessions open; logs
 *                        "reports open: N submitted, M failed (<why>)"
 *   "threads": N         starts N threads that sleep; logs "threads: N
 *                        started, <why> at the next"
 *   "socketpairs": N     creates N socket pairs and fills both ends'
 *                        buffers; logs progress every 10 pairs
 *                        ("socketpairs: 10 pairs, 4 MiB parked") and
 *                        "socketpairs: stopped at P pairs: <why>"
 *   "shared_mib": N      maps N MiB MAP_SHARED|MAP_ANONYMOUS and touches
 *                        every page; logs every 16 MiB ("shared: 16 MiB
 *                        touched") and "shared: N MiB touched" at the end
 *
 * Then "hostile probe done", and it stays alive. An attempt that the
 * kernel answers by killing the component ends it there: the scenario
 * sees core's line about its end and the last progress line.
 */
#include <cjson/cJSON.h>

#include <runtime/env.h>
#include <runtime/str.h>

#include "hostile_platform.h"
#include "report_rpc.h"

#include <string.h>

static const cJSON *item(const cJSON *json, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(json, name);
}

static int number(const cJSON *json, const char *name)
{
	const cJSON *n = item(json, name);
	return cJSON_IsNumber(n) ? n->valueint : 0;
}

/* One report under label r<i>: 0, or the error. Closes the session
 * unless `keep`. */
static int one_report(env_t *env, int i, const char *quota, int keep)
{
	char args[128];
	kcap_t session = KCAP_INVALID, ds = KCAP_INVALID;
	uint32_t id;
	uint64_t size = 0;
	void *buffer = NULL;
	str_format(args, sizeof(args), "label=\"r%d\", ram_quota=%s", i, quota);
	int err = env_session(env, "Report", args, &session, &id);
	if (!err)
		err = report_dataspace(session, &ds, &size);
	if (!err)
		err = kmem_map(ds, 0, (size_t)size, KMEM_READ | KMEM_WRITE,
		               NULL, &buffer);
	if (!err) {
		memset(buffer, 'r', (size_t)size);
		err = report_submit(session, size);
		kmem_unmap(buffer, (size_t)size);
	}
	if (kcap_valid(ds))
		kcap_close(ds);
	if (kcap_valid(session) && !keep)
		env_close(env, id);
	return err;
}

static void reports(env_t *env, const cJSON *json, int count, int keep)
{
	const cJSON *q = item(json, "report_quota");
	const char *quota = cJSON_IsString(q) ? q->valuestring : "64K";
	int submitted = 0, failed = 0, first_error = 0;
	for (int i = 0; i < count; i++) {
		int err = one_report(env, i, quota, keep);
		if (err == 0)
			submitted++;
		else if (failed++ == 0)
			first_error = err;
	}
	env_log(env, "reports%s: %d submitted, %d failed (%s)",
	        keep ? " open" : "", submitted, failed,
	        failed ? runtime_strerror(first_error) : "none");
}

void component_construct(env_t *env)
{
	env_rom_t rom;
	cJSON *json = NULL;
	if (env_rom_open(env, "config", &rom) == 0 && rom.data)
		json = cJSON_ParseWithLength(rom.data, rom.size);
	if (!json) {
		env_log(env, "no JSON config");
		env_exit(env, 1);
	}
	if (cJSON_IsTrue(item(json, "memfd")))
		hostile_memfd(env);
	if (number(json, "reports") > 0)
		reports(env, json, number(json, "reports"), 0);
	if (number(json, "reports_open") > 0)
		reports(env, json, number(json, "reports_open"), 1);
	if (number(json, "threads") > 0)
		hostile_threads(env, number(json, "threads"));
	if (number(json, "socketpairs") > 0)
		hostile_socketpairs(env, number(json, "socketpairs"));
	if (number(json, "shared_mib") > 0)
		hostile_shared(env, number(json, "shared_mib"));
	env_log(env, "hostile probe done");
	cJSON_Delete(json);
	env_rom_close(&rom);
}
