/*
 * report_rom: serves Report sessions (report.rpc), whose content it keeps
 * (reports.h), and ROM sessions (rom.rpc) that show a report chosen by the
 * policies of its config. Both services are announced at its parent.
 * Every report is also forwarded to the parent's Report service (core
 * writes it to DIR/report/): each Report session opens a forwarding
 * session labelled like itself, a report connection (runtime/
 * report_connection.h), which sends the last report again to a new
 * server. When the parent has no Report route, that is logged once and
 * reports stay ROMs only.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/env.h>
#include <runtime/report_connection.h>
#include <runtime/root_component.h>

#include "report_rpc.h"
#include "reports.h"
#include "rom_rpc.h"
#include "root_rpc.h"

#define REPORT_BUFFER ((size_t)16 * 1024u)
#define REPORT_SESSION_RAM (REPORT_BUFFER + (size_t)8 * 1024u)
#define ROM_SESSION_RAM ((size_t)4 * 1024u)

struct report_rom {
	env_t *env;
	struct reports reports;
	cJSON *config; /* the policies */
	struct root_component report_root, rom_root;
	bool forward_refused; /* the parent refused once: stop asking */
};

/* A session at the parent's Report service that a Report session's
 * content is copied to on every submit: a report connection, so that a
 * new Report server at the parent gets the last report again. */
struct report_forward {
	bool open; /* false: not forwarded */
	report_connection_t connection;
};

struct report_session {
	struct root_session base; /* base.label names the report */
	struct report_rom *server;
	struct report_entry *entry;
	struct dataspace buffer; /* attached writable */
	struct report_forward forward;
};

struct rom_session {
	struct root_session base;
	struct report_entry *entry;
	struct report_watcher watcher; /* in entry->watchers once sigh is set */
};

/* --- forwarding to the parent ------------------------------------------ */

static void forward_close(struct report_forward *f)
{
	if (f->open)
		report_connection_close(&f->connection);
	f->open = false;
}

/* Opens the parent's Report session for `label`, unless the parent has
 * refused before. */
static void forward_open(struct report_rom *rr, const char *label,
                         struct report_forward *f)
{
	int err;

	f->open = false;
	if (rr->forward_refused)
		return;
	err = report_connection_open(&f->connection, rr->env, label,
	                             REPORT_BUFFER);
	if (err == KERR_INVALID) {
		env_log(rr->env,
		        "report \"%s\" is not forwarded: its label cannot "
		        "be passed on",
		        label);
		return;
	}
	if (err) {
		rr->forward_refused = true;
		env_log(rr->env,
		        "no Report service at the parent (%s): reports "
		        "will not be written as files",
		        runtime_strerror(err));
		return;
	}
	f->open = true;
}

static void forward(struct report_rom *rr, struct report_forward *f,
                    const void *data, uint64_t length)
{
	int err;

	if (!f->open)
		return;
	err = report_connection_submit(&f->connection, data, (size_t)length);
	if (err == REPORT_ERR_TOO_BIG)
		env_log(rr->env,
		        "a report of %llu bytes exceeds the parent's "
		        "Report dataspace: not written as a file",
		        (unsigned long long)length);
	else if (err && err != KERR_REVOKED) /* revoked: sent when reopened */
		env_log(rr->env, "the parent refused a report: %s",
		        runtime_strerror(err));
}

/* --- Report sessions -------------------------------------------------- */

static struct report_session *report_session_of(rpc_object_t *self)
{
	return container_of(root_session_of(self), struct report_session, base);
}

static int report_dataspace_op(rpc_object_t *self, kcap_t *ds, uint64_t *size)
{
	struct report_session *s = report_session_of(self);

	*ds = s->buffer.cap;
	*size = REPORT_BUFFER;
	return 0;
}

static int report_submit_op(rpc_object_t *self, uint64_t length)
{
	struct report_session *s = report_session_of(self);

	if (length > REPORT_BUFFER)
		return REPORT_ERR_TOO_BIG;
	if (reports_publish(&s->server->reports, s->entry, s->buffer.addr,
	                    length))
		return RPC_ERR_SERVER;
	forward(s->server, &s->forward, s->buffer.addr, length);
	return 0;
}

static const struct report_ops report_session_ops = {
	.dataspace = report_dataspace_op,
	.submit = report_submit_op,
};

/* Releases what create_report took. */
static void destroy_report(struct root_component *root,
                           struct root_session *base)
{
	struct report_rom *rr = root_component_server(root);
	struct report_session *s = container_of(base, struct report_session,
	                                        base);

	forward_close(&s->forward);
	dataspace_release(&s->buffer);
	if (s->entry)
		reports_put(&rr->reports, s->entry);
	s->entry = NULL;
}

static int create_report(struct root_component *root, struct root_session *base,
                         const struct session_args *args, const char *raw_args,
                         const char **why)
{
	(void)raw_args;
	struct report_rom *rr = root_component_server(root);
	struct report_session *s = container_of(base, struct report_session,
	                                        base);

	s->server = rr;
	s->buffer = DATASPACE_EMPTY;
	forward_open(rr, args->label, &s->forward);
	s->entry = reports_get(&rr->reports, args->label);
	if (!s->entry ||
	    dataspace_alloc(&s->buffer, rr->env->pd, REPORT_BUFFER) ||
	    dataspace_attach(&s->buffer, true)) {
		destroy_report(root, base);
		*why = "report_rom cannot allocate the report's buffer";
		return ROOT_ERR_OUT_OF_RAM;
	}
	return 0;
}

static const struct root_component_ops report_root_ops = {
	.create = create_report,
	.destroy = destroy_report,
};

/* --- ROM sessions --------------------------------------------------------- */

static struct rom_session *rom_session_of(rpc_object_t *self)
{
	return container_of(root_session_of(self), struct rom_session, base);
}

static int rom_dataspace_op(rpc_object_t *self, kcap_t *ds, uint64_t *size,
                            uint32_t *version)
{
	struct rom_session *s = rom_session_of(self);

	if (!dataspace_valid(&s->entry->content))
		return ROM_ERR_UNAVAILABLE;
	*ds = s->entry->content.cap;
	*size = s->entry->size;
	*version = s->entry->version;
	return 0;
}

static int rom_sigh_op(rpc_object_t *self, kcap_t sigh)
{
	struct rom_session *s = rom_session_of(self);
	bool watching = signal_transmitter_valid(&s->watcher.sigh);

	if (signal_transmitter_set(&s->watcher.sigh, sigh))
		return RPC_ERR_SERVER;
	if (!watching)
		list_insert(&s->entry->watchers, &s->watcher.elem, NULL);
	/* A report that came between the client's first look and this call
	 * would otherwise go unnoticed: say at once that there is content. */
	if (dataspace_valid(&s->entry->content))
		signal_transmitter_submit(&s->watcher.sigh, 1);
	return 0;
}

static const struct rom_ops rom_session_ops = {
	.dataspace = rom_dataspace_op,
	.sigh = rom_sigh_op,
};

/* The report label the config's policies give the ROM label, or NULL. */
static const char *policy_report(struct report_rom *rr, const char *rom_label)
{
	const cJSON *policies = cJSON_GetObjectItemCaseSensitive(rr->config,
	                                                         "policies");
	const cJSON *p;

	cJSON_ArrayForEach (p, policies) {
		const cJSON *rom = cJSON_GetObjectItemCaseSensitive(p, "rom");
		const cJSON *report =
			cJSON_GetObjectItemCaseSensitive(p, "report");
		if (cJSON_IsString(rom) && cJSON_IsString(report) &&
		    !strcmp(rom->valuestring, rom_label))
			return report->valuestring;
	}
	return NULL;
}

static int create_rom(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	(void)raw_args;
	struct report_rom *rr = root_component_server(root);
	struct rom_session *s = container_of(base, struct rom_session, base);
	const char *report = policy_report(rr, args->label);

	if (!report) {
		env_log(rr->env, "no policy for ROM \"%s\"", args->label);
		*why = "no policy of report_rom's config names the ROM";
		return ROOT_ERR_DENIED;
	}
	s->watcher.sigh = SIGNAL_TRANSMITTER_NONE;
	s->entry = reports_get(&rr->reports, report);
	if (!s->entry) {
		*why = "report_rom is out of memory for the report";
		return ROOT_ERR_DENIED;
	}
	return 0;
}

static void destroy_rom(struct root_component *root, struct root_session *base)
{
	struct report_rom *rr = root_component_server(root);
	struct rom_session *s = container_of(base, struct rom_session, base);

	if (signal_transmitter_valid(&s->watcher.sigh)) {
		list_remove(&s->entry->watchers, &s->watcher.elem);
		signal_transmitter_release(&s->watcher.sigh);
	}
	reports_put(&rr->reports, s->entry);
}

static const struct root_component_ops rom_root_ops = {
	.create = create_rom,
	.destroy = destroy_rom,
};

/* --- start-up ------------------------------------------------------------- */

static cJSON *read_config(env_t *env)
{
	env_rom_t rom;
	cJSON *json = NULL;

	if (env_rom_open(env, "config", &rom) == 0) {
		if (rom.data)
			json = cJSON_ParseWithLength(rom.data, rom.size);
		env_rom_close(&rom);
	}
	if (!json) {
		env_log(env, "config is no JSON: no ROM will be served");
		json = cJSON_CreateObject();
	}
	return json;
}

void component_construct(env_t *env)
{
	/* The server lives as long as the component. */
	static struct report_rom rr;
	const struct root_component_config report_config = {
		.name = "Report",
		.iface = &report_rpc,
		.session_ops = &report_session_ops,
		ROOT_SESSION_LAYOUT(struct report_session, base),
		.ram_cost = REPORT_SESSION_RAM,
		.cap_cost = 1,
		.ops = &report_root_ops,
		.server = &rr,
	};
	const struct root_component_config rom_config = {
		.name = "ROM",
		.iface = &rom_rpc,
		.session_ops = &rom_session_ops,
		ROOT_SESSION_LAYOUT(struct rom_session, base),
		.ram_cost = ROM_SESSION_RAM,
		.cap_cost = 1,
		.ops = &rom_root_ops,
		.server = &rr,
	};

	rr.env = env;
	rr.config = read_config(env);
	reports_init(&rr.reports, env->pd);
	if (env_serve(env, &rr.report_root, &report_config) ||
	    env_serve(env, &rr.rom_root, &rom_config))
		env_exit(env, 1);
}
