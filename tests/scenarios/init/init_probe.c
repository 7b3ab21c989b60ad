/*
 * The init probe: a test component for the init scenarios
 * (tests/scenarios/2*-init-*.scenario), started by init as a child. Its
 * JSON config says what to do, in this order:
 *
 *   "announce_silent": true   announces the service "Silent" whose root
 *                             never answers (an endpoint nobody serves)
 *   "session": "NAME"         asks for a session at NAME (with
 *   "ram_quota": "SIZE"       this ram_quota, default 8K) and logs
 *                             "session NAME: ok" or "session NAME: <why>"
 *   "upgrade": "SIZE"         then upgrades that session by SIZE bytes and
 *                             logs "upgrade NAME: ok" or "upgrade NAME:
 *                             <why>" (short of quota, both ask the parent
 *                             and wait)
 *   "report": "TEXT"          submits TEXT as a report labelled "state"
 *                             and logs "reported"; a new Report server
 *                             gets it again (report_connection.h)
 *   "rom": "NAME"             logs "rom NAME: CONTENT" for the ROM NAME
 *                             now (if it exists) and at every change
 *   "roms": ["NAME", ...]     reads each ROM once and logs "rom NAME:
 *                             CONTENT", "rom NAME: unavailable" or
 *                             "rom NAME: <why not>"
 *   "heap": N                 allocates N bytes from the component heap
 *                             in 64 KiB blocks (past its quota the heap
 *                             asks the parent and waits) and logs
 *                             "heap: N bytes allocated" or why not
 *   "heap_thread": N          allocates N bytes as "heap" does, on a thread
 *                             of its own ("heap thread: N bytes
 *                             allocated"); meanwhile, once that thread
 *                             has had 300 ms, the main thread allocates
 *                             and frees small blocks 100 times and logs
 *                             "heap: small allocations go on" (they fit
 *                             in what the heap has, so they must not
 *                             wait for the other thread's request)
 *   "hold": N                 allocates N bytes in 64 KiB blocks and keeps
 *                             them (logs "hold: N bytes"), with
 *   "free_held": true         frees them again at once (the heap keeps the
 *                             dataspaces until a yield request), and/or
 *   "yield_frees": true       registers a yield handler that frees the held
 *                             blocks and logs "yield: asked for ram R and
 *                             caps C, freed N bytes"; without it a yield
 *                             request frees only what the heap has free
 *   "show_quota": true        logs "quota: ram Q used U, caps Q used U"
 *                             (its own PD's account) now and at every new
 *                             version of its config ROM
 *   "crash": true             logs "crashing" and dies of a fault
 *   "block_entrypoint": N     logs "blocking the entrypoint" and holds its
 *                             entrypoint in a handler for N ms (-1:
 *                             for good), so it answers no heartbeats;
 *                             logs "entrypoint free" when it lets go
 *
 * Then it stays alive and logs "probe alive" once more, so a scenario can
 * see that it was not held up.
 */
#include <stdbool.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <runtime/arg_string.h>
#include <runtime/env.h>
#include <runtime/report_connection.h>
#include <runtime/str.h>

#include <runtime/container_of.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#include "parent_rpc.h"
#include "pd_rpc.h"
#include "report_rpc.h"

static void announce_silent(env_t *env)
{
	/* Kept for the component's life: the root must stay unanswered, not
	 * revoked. */
	static kendpoint_t *silent;
	kcap_t root;
	int err = kendpoint_create(&silent, &root);

	if (!err)
		err = parent_announce(env->parent, "Silent", root);
	env_log(env, "announce Silent: %s", err ? runtime_strerror(err) : "ok");
}

static void open_session(env_t *env, const char *service, const char *ram,
                         const char *upgrade)
{
	char args[200];
	uint64_t more = 0;
	kcap_t cap;
	uint32_t id;
	int err;

	str_format(args, sizeof(args), "label=\"probe\", ram_quota=%s",
	           ram ? ram : "8K");
	err = env_session(env, service, args, &cap, &id);
	env_log(env, "session %s: %s", service,
	        err ? runtime_strerror(err) : "ok");
	if (err || !upgrade)
		return;
	str_format(args, sizeof(args), "ram_quota=%s", upgrade);
	if (arg_string_get_size(args, sizeof(args), "ram_quota", &more) !=
	    ARG_OK) {
		env_log(env, "upgrade %s: bad size %s", service, upgrade);
		return;
	}
	err = env_upgrade(env, id, more, 0);
	env_log(env, "upgrade %s: %s", service,
	        err ? runtime_strerror(err) : "ok");
}

/* The report connection: kept for the component's life, so that a new
 * Report server gets the last report again (report_connection.h). */
static report_connection_t reporter;

static void report(env_t *env, const char *text)
{
	int err = report_connection_open(&reporter, env, "state",
	                                 (uint64_t)32 * 1024u);

	if (!err)
		err = report_connection_submit(&reporter, text, strlen(text));
	env_log(env, "reported: %s",
	        err ? rpc_strerror(&report_rpc, err) : "ok");
}

/* The watched ROM; lives as long as the component. */
static struct watched_rom {
	env_t *env;
	env_rom_t rom;
	signal_dispatcher_t changed;
	char name[64];
} watched;

static void log_rom(struct watched_rom *w)
{
	if (w->rom.data)
		env_log(w->env, "rom %s: %.*s", w->name, (int)w->rom.size,
		        w->rom.data);
}

static void rom_changed(signal_dispatcher_t *d, uint32_t count)
{
	struct watched_rom *w = container_of(d, struct watched_rom, changed);

	if (env_rom_update(&w->rom) == 0)
		log_rom(w);
}

static void watch_rom(env_t *env, const char *name)
{
	kcap_t sig = KCAP_INVALID;
	int err;

	watched.env = env;
	str_copy(watched.name, name, sizeof(watched.name));
	err = env_rom_open(env, name, &watched.rom);
	if (!err)
		err = signal_dispatcher_init(&watched.changed, env->ep,
		                             rom_changed, &sig);
	if (!err) {
		err = env_rom_sigh(&watched.rom, sig);
		kcap_close(sig);
	}
	if (err)
		env_log(env, "rom %s: %s", name, runtime_strerror(err));
	else
		log_rom(&watched);
}

static void read_roms(env_t *env, const cJSON *names)
{
	const cJSON *name;

	cJSON_ArrayForEach (name, names) {
		env_rom_t rom;
		int err;

		if (!cJSON_IsString(name))
			continue;
		err = env_rom_open(env, name->valuestring, &rom);
		if (err)
			env_log(env, "rom %s: %s", name->valuestring,
			        runtime_strerror(err));
		else if (!rom.data)
			env_log(env, "rom %s: unavailable", name->valuestring);
		else
			env_log(env, "rom %s: %.*s", name->valuestring,
			        (int)rom.size, rom.data);
		if (!err)
			env_rom_close(&rom);
	}
}

/* Allocates `total` bytes from the heap, kept for the component's life. */
static void fill_heap(env_t *env, double total)
{
	const size_t block = (size_t)64 * 1024;
	size_t done = 0;

	env_log(env, "heap: allocating %.0f bytes", total);
	while ((double)done < total) {
		void *p;
		int err = allocator_alloc(env->heap, block, &p);
		if (err) {
			env_log(env, "heap: failed after %zu bytes: error %d",
			        done, err);
			return;
		}
		memset(p, 1, block);
		done += block;
	}
	env_log(env, "heap: %zu bytes allocated", done);
}

/* "heap_thread": the thread and what it allocates; lives as long as the
 * component (the thread is never joined). */
static struct heap_thread {
	env_t *env;
	double total;
	struct thread thread;
} heap_thread;

static void heap_thread_entry(void *arg)
{
	struct heap_thread *t = arg;
	const size_t block = (size_t)64 * 1024;
	size_t done = 0;

	while ((double)done < t->total) {
		void *p;
		if (allocator_alloc(t->env->heap, block, &p)) {
			env_log(t->env, "heap thread: failed after %zu bytes",
			        done);
			return;
		}
		memset(p, 1, block);
		done += block;
	}
	env_log(t->env, "heap thread: %zu bytes allocated", done);
}

static void small_allocations_beside(env_t *env, double total)
{
	signal_receiver_t *sleeper = NULL;
	signal_t none;

	heap_thread.env = env;
	heap_thread.total = total;
	if (thread_start(&heap_thread.thread, "heap-thread", (size_t)64 * 1024,
	                 heap_thread_entry, &heap_thread) ||
	    signal_receiver_create(&sleeper)) {
		env_log(env, "heap thread: cannot start");
		return;
	}
	signal_receiver_wait(sleeper, &none, 300);
	signal_receiver_destroy(sleeper);
	for (int i = 0; i < 100; i++) {
		void *p;
		if (allocator_alloc(env->heap, 1000, &p)) {
			env_log(env, "heap: a small allocation failed");
			return;
		}
		allocator_free(env->heap, p, 1000);
	}
	env_log(env, "heap: small allocations go on");
}

/* The blocks of "hold", a list through their first word; lives as long
 * as the component. */
static struct held {
	env_t *env;
	void *first;
	size_t bytes;
} held;

static void hold(env_t *env, double total, bool free_at_once)
{
	const size_t block = (size_t)64 * 1024;

	held.env = env;
	while ((double)held.bytes < total) {
		void *p;
		if (allocator_alloc(env->heap, block, &p)) {
			env_log(env, "hold: failed after %zu bytes",
			        held.bytes);
			return;
		}
		memset(p, 1, block);
		*(void **)p = held.first;
		held.first = p;
		held.bytes += block;
	}
	env_log(env, "hold: %zu bytes", held.bytes);
	if (!free_at_once)
		return;
	while (held.first) {
		void *p = held.first;
		held.first = *(void **)p;
		allocator_free(env->heap, p, block);
	}
	env_log(env, "hold: freed %zu bytes", held.bytes);
	held.bytes = 0;
}

/* The yield handler of "yield_frees": everything held goes. */
static void yield_held(void *ctx, uint64_t ram, uint64_t caps)
{
	struct held *h = ctx;
	size_t freed = h->bytes;

	while (h->first) {
		void *p = h->first;
		h->first = *(void **)p;
		allocator_free(h->env->heap, p, (size_t)64 * 1024);
	}
	h->bytes = 0;
	env_log(h->env,
	        "yield: asked for ram %llu and caps %llu, freed %zu bytes",
	        (unsigned long long)ram, (unsigned long long)caps, freed);
}

/* "show_quota": the PD's account as the component sees it, at every
 * config version. Lives as long as the component. */
static struct quota_view {
	env_t *env;
	env_rom_t config;
	signal_dispatcher_t changed;
} quota_view;

static void log_quota(env_t *env)
{
	uint64_t ram, ram_used, caps, caps_used;
	int err = pd_quota(env->pd, &ram, &ram_used, &caps, &caps_used);

	if (err)
		env_log(env, "quota: %s", runtime_strerror(err));
	else
		env_log(env, "quota: ram %llu used %llu, caps %llu used %llu",
		        (unsigned long long)ram, (unsigned long long)ram_used,
		        (unsigned long long)caps,
		        (unsigned long long)caps_used);
}

static void config_changed(signal_dispatcher_t *d, uint32_t count)
{
	struct quota_view *v = container_of(d, struct quota_view, changed);

	(void)count;
	if (env_rom_update(&v->config) == 0)
		log_quota(v->env);
}

static void show_quota(env_t *env)
{
	kcap_t sig = KCAP_INVALID;
	int err;

	quota_view.env = env;
	err = env_rom_open(env, "config", &quota_view.config);
	if (!err)
		err = signal_dispatcher_init(&quota_view.changed, env->ep,
		                             config_changed, &sig);
	if (!err) {
		err = env_rom_sigh(&quota_view.config, sig);
		kcap_close(sig);
	}
	if (err)
		env_log(env, "quota: cannot watch the config: %s",
		        runtime_strerror(err));
	log_quota(env);
}

/* The entrypoint blocker; lives as long as the component. */
static struct blocker {
	env_t *env;
	int ms;
	signal_dispatcher_t handler;
	signal_transmitter_t tx;
} blocker;

/* Holds the entrypoint: sleeps in a receiver's timed wait (nothing
 * submits to it) for the time asked, or for good. */
static void block(signal_dispatcher_t *d, uint32_t count)
{
	struct blocker *b = container_of(d, struct blocker, handler);
	signal_receiver_t *sleeper = NULL;
	signal_t none;

	(void)count;
	if (signal_receiver_create(&sleeper)) {
		env_log(b->env, "cannot block: no receiver");
		return;
	}
	do
		signal_receiver_wait(sleeper, &none, b->ms < 0 ? 60000 : b->ms);
	while (b->ms < 0);
	signal_receiver_destroy(sleeper);
	env_log(b->env, "entrypoint free");
}

static void block_entrypoint(env_t *env, int ms)
{
	kcap_t cap = KCAP_INVALID;
	int err;

	blocker.env = env;
	blocker.ms = ms;
	err = signal_dispatcher_init(&blocker.handler, env->ep, block, &cap);
	if (err) {
		env_log(env, "cannot block: %s", runtime_strerror(err));
		return;
	}
	signal_transmitter_init(&blocker.tx, cap);
	env_log(env, "blocking the entrypoint");
	signal_transmitter_submit(&blocker.tx, 1);
}

static void crash(env_t *env)
{
	volatile int *nowhere = NULL;

	env_log(env, "crashing");
	*nowhere = 1;   // cppcheck-suppress nullPointer ; the fault is the point NOLINT(clang-analyzer-core.NullDereference)
}

void component_construct(env_t *env)
{
	env_rom_t rom;
	cJSON *json = NULL;

	if (env_rom_open(env, "config", &rom) == 0 && rom.data)
		json = cJSON_ParseWithLength(rom.data, rom.size);
	if (!json) {
		env_log(env, "no JSON config");
		return;
	}
	const cJSON *silent =
		cJSON_GetObjectItemCaseSensitive(json, "announce_silent");
	const cJSON *service = cJSON_GetObjectItemCaseSensitive(json,
	                                                        "session");
	const cJSON *ram = cJSON_GetObjectItemCaseSensitive(json, "ram_quota");
	const cJSON *upgrade = cJSON_GetObjectItemCaseSensitive(json,
	                                                        "upgrade");
	const cJSON *fault = cJSON_GetObjectItemCaseSensitive(json, "crash");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(json, "report");
	const cJSON *rom_name = cJSON_GetObjectItemCaseSensitive(json, "rom");
	const cJSON *roms = cJSON_GetObjectItemCaseSensitive(json, "roms");
	const cJSON *blocked =
		cJSON_GetObjectItemCaseSensitive(json, "block_entrypoint");
	const cJSON *heap = cJSON_GetObjectItemCaseSensitive(json, "heap");
	const cJSON *held_bytes = cJSON_GetObjectItemCaseSensitive(json,
	                                                           "hold");
	const cJSON *threaded = cJSON_GetObjectItemCaseSensitive(json,
	                                                         "heap_thread");
	const cJSON *free_held = cJSON_GetObjectItemCaseSensitive(json,
	                                                          "free_held");
	const cJSON *yield_frees =
		cJSON_GetObjectItemCaseSensitive(json, "yield_frees");
	const cJSON *quota = cJSON_GetObjectItemCaseSensitive(json,
	                                                      "show_quota");

	if (cJSON_IsTrue(silent))
		announce_silent(env);
	if (cJSON_IsString(service))
		open_session(env, service->valuestring,
		             cJSON_IsString(ram) ? ram->valuestring : NULL,
		             cJSON_IsString(upgrade) ? upgrade->valuestring
		                                     : NULL);
	if (cJSON_IsString(rom_name))
		watch_rom(env, rom_name->valuestring);
	if (cJSON_IsArray(roms))
		read_roms(env, roms);
	if (cJSON_IsString(text))
		report(env, text->valuestring);
	if (cJSON_IsNumber(heap))
		fill_heap(env, heap->valuedouble);
	if (cJSON_IsNumber(threaded))
		small_allocations_beside(env, threaded->valuedouble);
	if (cJSON_IsNumber(held_bytes))
		hold(env, held_bytes->valuedouble, cJSON_IsTrue(free_held));
	if (cJSON_IsTrue(yield_frees))
		env_yield_handler(env, yield_held, &held);
	if (cJSON_IsTrue(quota))
		show_quota(env);
	if (cJSON_IsTrue(fault))
		crash(env);
	if (cJSON_IsNumber(blocked))
		block_entrypoint(env, blocked->valueint);
	env_log(env, "probe alive");
	cJSON_Delete(json);
	env_rom_close(&rom);
}
