/*
 * state-report-check: the host side of init's state report in the scenarios
 * (tests/scenarios/38-init-state-report.scenario). It links libformat only,
 * as a host tool such as `sculpt status` does: it parses a report file
 * with state_report_parse, checks what the format cannot check alone
 * (every pending or open session bound to a child is among that child's
 * served sessions, avail = quota - used), and prints the report one fact
 * per line, so that a scenario compares lines, not JSON:
 *
 *   config_version V                        (or "-")
 *   child NAME id=N state=S restarts=N [exit_code=C] [reason=R]
 *         [skipped_heartbeats=N] [asks_ram=N asks_caps=N]
 *         [owes_ram=N owes_caps=N]
 *   session CLIENT SERVICE "LABEL" BOUND[:SERVER] STATE
 *   quota NAME ram=ASSIGNED/QUOTA caps=ASSIGNED/QUOTA   (the config's
 *         figure and the PD's quota)
 *   served SERVER "LABEL" from CLIENT STATE
 *
 * With --quota first, the quotas too (for the soak, init-soak.sh, which
 * adds them up):
 *
 *   quota init RAM_QUOTA RAM_USED CAPS_QUOTA CAPS_USED
 *   quota child NAME RAM_ASSIGNED RAM_QUOTA RAM_USED CAPS_ASSIGNED
 *         CAPS_QUOTA CAPS_USED                 (one line)
 *
 * Exit status: 0 and the lines; 1 and the reason on stderr when the file
 * cannot be read, is refused by the parser or is inconsistent; 2 on bad
 * usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <format/state_report.h>

static char *read_file(const char *path, size_t *length)
{
	FILE *f = fopen(path, "rb");
	char *text = malloc(STATE_REPORT_INPUT_MAX + 1);

	if (!f || !text) {
		if (f)
			fclose(f);
		free(text);
		return NULL;
	}
	/* one byte more than allowed, so the parser sees an oversized file */
	*length = fread(text, 1, STATE_REPORT_INPUT_MAX + 1, f);
	fclose(f);
	return text;
}

static const struct state_report_child *find(const struct state_report *r,
                                             const char *name)
{
	for (size_t i = 0; i < r->child_count; i++)
		if (!strcmp(r->children[i].name, name))
			return &r->children[i];
	return NULL;
}

static bool served_has(const struct state_report_child *server,
                       const char *client, const char *label)
{
	for (size_t i = 0; i < server->served_count; i++)
		if (!strcmp(server->served[i].client, client) &&
		    !strcmp(server->served[i].label, label))
			return true;
	return server->served_left_out > 0;
}

static bool amounts_add_up(const char *who, const char *what,
                           const struct state_report_amounts *a)
{
	if (a->quota >= a->used ? a->avail == a->quota - a->used
	                        : a->avail == 0)
		return true;
	fprintf(stderr,
	        "state-report-check: %s: %s: avail %llu is not quota %llu "
	        "less used %llu\n",
	        who, what, (unsigned long long)a->avail,
	        (unsigned long long)a->quota, (unsigned long long)a->used);
	return false;
}

/* The checks across entries; false (said on stderr) at the first miss. */
static bool consistent(const struct state_report *r)
{
	if (!amounts_add_up("init", "ram", &r->ram) ||
	    !amounts_add_up("init", "caps", &r->caps))
		return false;
	for (size_t i = 0; i < r->child_count; i++) {
		const struct state_report_child *c = &r->children[i];
		if (!amounts_add_up(c->name, "ram", &c->ram) ||
		    !amounts_add_up(c->name, "caps", &c->caps))
			return false;
		for (size_t j = 0; j < c->requested_count; j++) {
			const struct state_report_requested *s =
				&c->requested[j];
			const struct state_report_child *server;
			if (s->bound != STATE_REPORT_BOUND_CHILD ||
			    (s->state != STATE_REPORT_PENDING &&
			     s->state != STATE_REPORT_READY))
				continue;
			server = find(r, s->server);
			if (server && served_has(server, c->name, s->label))
				continue;
			fprintf(stderr,
			        "state-report-check: %s: %s session \"%s\" is bound "
			        "to \"%s\", which %s\n",
			        c->name, s->service, s->label, s->server,
			        server ? "does not list it as served"
			               : "is no child");
			return false;
		}
	}
	return true;
}

static void print_child(const struct state_report_child *c)
{
	printf("child %s id=%llu state=%s restarts=%llu", c->name,
	       (unsigned long long)c->id,
	       state_report_child_state_name(c->state),
	       (unsigned long long)c->restarts);
	if (c->has_exit_code)
		printf(" exit_code=%d", (int)c->exit_code);
	if (c->reason)
		printf(" reason=%s", c->reason);
	if (c->skipped_heartbeats)
		printf(" skipped_heartbeats=%llu",
		       (unsigned long long)c->skipped_heartbeats);
	if (c->has_resource_request)
		printf(" asks_ram=%llu asks_caps=%llu",
		       (unsigned long long)c->request_ram,
		       (unsigned long long)c->request_caps);
	if (c->has_yield_request)
		printf(" owes_ram=%llu owes_caps=%llu",
		       (unsigned long long)c->yield_ram,
		       (unsigned long long)c->yield_caps);
	printf("\n");
	printf("quota %s ram=%llu/%llu caps=%llu/%llu\n", c->name,
	       (unsigned long long)c->ram.assigned,
	       (unsigned long long)c->ram.quota,
	       (unsigned long long)c->caps.assigned,
	       (unsigned long long)c->caps.quota);
	for (size_t j = 0; j < c->requested_count; j++) {
		const struct state_report_requested *s = &c->requested[j];
		printf("session %s %s \"%s\" %s%s%s %s\n", c->name, s->service,
		       s->label, state_report_bound_name(s->bound),
		       s->server ? ":" : "", s->server ? s->server : "",
		       state_report_session_state_name(s->state));
	}
	for (size_t j = 0; j < c->served_count; j++)
		printf("served %s \"%s\" from %s %s\n", c->name,
		       c->served[j].label, c->served[j].client,
		       state_report_session_state_name(c->served[j].state));
}

/* One line per remote proxy: "remote NODE import|export PROXY link=STATE
 * [error=...]", then "remote_session NODE CLIENT "LABEL" STATE". */
static void print_remote(const struct state_report_remote *r)
{
	printf("remote %s %s %s link=%s", r->node,
	       r->export ? "export" : "import", r->proxy,
	       state_report_link_name(r->link));
	for (size_t i = 0; i < r->modules.count; i++)
		printf("%s%s", i ? "," : " modules=", r->modules.names[i]);
	if (r->error)
		printf(" error=%s", r->error);
	printf(" service=%s\n", r->service);
	for (size_t i = 0; i < r->session_count; i++)
		printf("remote_session %s %s \"%s\" %s\n", r->node,
		       r->sessions[i].client, r->sessions[i].label,
		       state_report_session_state_name(r->sessions[i].state));
}

static void print_quotas(const struct state_report *r)
{
	printf("quota init %llu %llu %llu %llu\n",
	       (unsigned long long)r->ram.quota,
	       (unsigned long long)r->ram.used,
	       (unsigned long long)r->caps.quota,
	       (unsigned long long)r->caps.used);
	for (size_t i = 0; i < r->child_count; i++) {
		const struct state_report_child *c = &r->children[i];
		printf("quota child %s %llu %llu %llu %llu %llu %llu\n",
		       c->name, (unsigned long long)c->ram.assigned,
		       (unsigned long long)c->ram.quota,
		       (unsigned long long)c->ram.used,
		       (unsigned long long)c->caps.assigned,
		       (unsigned long long)c->caps.quota,
		       (unsigned long long)c->caps.used);
	}
}

int main(int argc, char **argv)
{
	struct runtime_config_error error;
	struct state_report *r = NULL;
	size_t length = 0;
	char *text;
	bool ok, quotas = argc == 3 && !strcmp(argv[1], "--quota");

	if (argc != 2 && !quotas) {
		fprintf(stderr,
		        "usage: state-report-check [--quota] REPORT-FILE\n");
		return 2;
	}
	argv += quotas;
	text = read_file(argv[1], &length);
	if (!text) {
		fprintf(stderr, "state-report-check: cannot read '%s'\n",
		        argv[1]);
		return 1;
	}
	if (state_report_parse(text, length, &r, &error) != RUNTIME_CONFIG_OK) {
		fprintf(stderr, "state-report-check: '%s': %s\n", argv[1],
		        error.message);
		free(text);
		return 1;
	}
	free(text);
	ok = consistent(r);
	if (ok) {
		printf("config_version %s\n",
		       r->config_version ? r->config_version : "-");
		for (size_t i = 0; i < r->child_count; i++)
			print_child(&r->children[i]);
		for (size_t i = 0; i < r->remote_count; i++)
			print_remote(&r->remote[i]);
		if (quotas)
			print_quotas(r);
	}
	state_report_free(r);
	return ok ? 0 : 1;
}
