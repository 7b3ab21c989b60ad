/*
 * The probe's ROM commands (probe_rom.h), for the scenarios of core's ROM
 * service (35-core-depot-rom):
 *
 *   rom FROM ARCHIVE NAME  opens a ROM session labelled NAME with
 *                          rom_from=FROM and archive=ARCHIVE ("-": no
 *                          such argument, for both), maps it and keeps it
 *                          open; logs "rom NAME: N bytes: FIRST LINE" or
 *                          "rom NAME: ERROR"
 *   rom-same               logs whether the last ROM opened is the memory
 *                          object of the first ROM held under its name
 *                          ("rom same object: yes|no")
 *   rom-held               logs the text of every ROM still held, from
 *                          the mapping it got when it was opened
 *   rom-watch              watches the last ROM opened: at each signal
 *                          of its session it is mapped anew and logged,
 *                          "rom NAME changed: N bytes: FIRST LINE" (one
 *                          ROM per probe; core signals a depot index when
 *                          an archive was installed)
 *
 * The arguments are the probe's own, with no init between it and core:
 * once init sets rom_from and archive for its children, only a config
 * route can give them to a component.
 */
#include "probe_platform.h"
#include "probe_rom.h"

#include "rom_rpc.h"

#include <runtime/signal.h>

#include <stdio.h>
#include <string.h>

#define HELD_MAX 16

struct held_rom {
	const char *data;
	size_t size, mapped;
	connection_t connection;
	kcap_t dataspace;
	char name[65];
};

/* The ROMs the probe keeps open: its script runs on one thread at a time
 * (start-up, then the entrypoint's config signal). */
static struct held_rom held[HELD_MAX];
static unsigned held_count;

/* The first 120 bytes of a ROM, each newline shown as '|'. */
static void text_of(const struct held_rom *r, char *out, size_t size)
{
	size_t n = 0;
	for (; n < r->size && n + 1 < size && n < 120; n++) {
		out[n] = r->data[n];
		if (out[n] == '\n')
			out[n] = '|';
	}
	out[n] = '\0';
}

static int map_rom(struct held_rom *r)
{
	uint64_t size;
	uint32_t version;
	int rc = rom_dataspace(r->connection.cap, &r->dataspace, &size,
	                       &version);
	if (rc == 0)
		rc = kmem_size(r->dataspace, &r->mapped);
	if (rc == 0 && size > r->mapped)
		rc = KERR_INVALID;
	void *at = NULL;
	if (rc == 0)
		rc = kmem_map(r->dataspace, 0, r->mapped, KMEM_READ, NULL, &at);
	r->data = at;
	r->size = (size_t)size;
	return rc;
}

static void open_rom(env_t *env, const char *from, const char *archive,
                     const char *name)
{
	if (held_count == HELD_MAX) {
		env_log(env, "rom %s: the probe holds too many", name);
		return;
	}
	struct held_rom *r = &held[held_count];
	char args[512];
	int len = snprintf(args, sizeof(args), "label=\"%s\"", name);
	if (strcmp(from, "-") != 0)
		len += snprintf(args + len, sizeof(args) - (size_t)len,
		                ", rom_from=\"%s\"", from);
	if (strcmp(archive, "-") != 0)
		snprintf(args + len, sizeof(args) - (size_t)len,
		         ", archive=\"%s\"", archive);
	snprintf(r->name, sizeof(r->name), "%s", name);
	int rc = connection_open(&r->connection, env, "ROM", args);
	if (rc != 0) {
		env_log(env, "rom %s: %s", name, runtime_strerror(rc));
		return;
	}
	rc = map_rom(r);
	if (rc != 0) {
		env_log(env, "rom %s: no dataspace: %s", name, kerr_str(rc));
		connection_close(&r->connection);
		return;
	}
	held_count++;
	char line[128];
	text_of(r, line, sizeof(line));
	env_log(env, "rom %s: %zu bytes: %s [object %llu]", name, r->size, line,
	        probe_object_id(r->dataspace));
}

/* The ROM of `rom-watch`, the dispatcher of its signal and the
 * environment its handler logs to (the handler gets no argument but the
 * dispatcher). */
static struct held_rom *watched;
static signal_dispatcher_t watched_changed;
static kcap_t watched_signal;
static env_t *watch_env;

static void on_watched_changed(signal_dispatcher_t *d, uint32_t count)
{
	(void)d;
	(void)count;
	struct held_rom *r = watched;
	if (r->data)
		(void)kmem_unmap((void *)r->data, r->mapped);
	kcap_close(r->dataspace);
	int rc = map_rom(r);
	if (rc != 0) {
		r->data = NULL;
		r->size = 0;
		env_log(watch_env, "rom %s changed: no dataspace: %s", r->name,
		        kerr_str(rc));
		return;
	}
	char line[128];
	text_of(r, line, sizeof(line));
	env_log(watch_env, "rom %s changed: %zu bytes: %s", r->name, r->size,
	        line);
}

static void watch_last(env_t *env)
{
	if (held_count == 0 || watched) {
		env_log(env, "rom-watch: %s",
		        watched ? "one ROM is watched already" : "no ROM held");
		return;
	}
	watch_env = env;
	watched = &held[held_count - 1];
	int rc = signal_dispatcher_init(&watched_changed, env->ep,
	                                on_watched_changed, &watched_signal);
	if (rc == 0)
		rc = rom_sigh(watched->connection.cap, watched_signal);
	env_log(env, "rom-watch %s: %s", watched->name,
	        rc ? runtime_strerror(rc) : "ok");
}

/* Whether the last ROM opened is the memory object of the first ROM held
 * under the same name. */
static int last_is_shared(void)
{
	if (held_count < 2)
		return 0;
	const struct held_rom *last = &held[held_count - 1];
	for (unsigned i = 0; i + 1 < held_count; i++)
		if (strcmp(held[i].name, last->name) == 0)
			return kcap_same_object(held[i].dataspace,
			                        last->dataspace) == 1;
	return 0;
}

int probe_rom_command(env_t *env, const char *line)
{
	char from[32], archive[400], name[65];
	if (sscanf(line, "rom %31s %399s %64s", from, archive, name) == 3) {
		open_rom(env, from, archive, name);
	} else if (strcmp(line, "rom-same") == 0) {
		env_log(env, "rom same object: %s",
		        last_is_shared() ? "yes" : "no");
	} else if (strcmp(line, "rom-watch") == 0) {
		watch_last(env);
	} else if (strcmp(line, "rom-held") == 0) {
		for (unsigned i = 0; i < held_count; i++) {
			char text[128];
			text_of(&held[i], text, sizeof(text));
			env_log(env, "rom held %s: %s", held[i].name, text);
		}
	} else {
		return 0;
	}
	return 1;
}
