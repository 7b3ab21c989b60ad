/*
 * target_net.h: a riscv machine's network at boot and at apply. The
 * words QEMU takes for a port are those tests/riscv/qemu-control.sh
 * (rv_net_port) writes for the test harness; at apply the same port goes
 * through QMP's chardev-add and device_add.
 */
#include "target_net.h"

#include "lib/state.h"
#include "qmp.h"
#include "target_control.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_POLICY "sculpt/net.policy"
#define RECORD_WIRED "sculpt/net.wired"
#define MONITOR "sculpt/qmp"
/* What a machine without a policy holds, as linux core without the file:
 * nothing allowed. A target without config/net.policy, and a machine
 * booted without one, hold this. */
#define NO_POLICY "{}\n"

/* The port's chardev id: net1.. in the order the machine got them. */
static void chardev_id(char id[16], unsigned number)
{
	snprintf(id, 16, "net%u", number);
}

/* Port i's two words on QEMU's command line (a name of
 * NET_WIRING_NAME_MAX and an address of 15 characters fit). */
static void port_words(struct target_net *n, unsigned i)
{
	/* a copy: the words are written into the same object */
	const struct net_wiring_port port = n->wiring.ports[i], *p = &port;
	char(*w)[160] = n->words[i], id[16];
	int a, b;

	chardev_id(id, i + 1);
	a = snprintf(w[0], sizeof(w[0]),
	             "virtserialport,bus=net-serial.0,chardev=%s,name=%s", id,
	             p->name);
	b = snprintf(w[1], sizeof(w[1]), "socket,id=%s,host=%s,port=%u,%s", id,
	             p->address, p->port,
	             p->listen ? "server=on,wait=off" : "reconnect=1");
	assert(a > 0 && a < (int)sizeof(w[0]) && b > 0 &&
	       b < (int)sizeof(w[1]));
	(void)a;
	(void)b;
}

int target_net_read(const char *target, struct target_net *n,
                    struct sculpt_diag *diag)
{
	char monitor[PATH_MAX];
	char *text = NULL;
	bool missing = false;
	int err = state_path(target, "config/net.policy", n->policy, diag);

	n->present = 0;
	n->argc = 0;
	if (!err)
		err = state_path(target, MONITOR, monitor, diag);
	if (err)
		return err;
	/* read once: what is wired is what the record says the machine has */
	err = state_read(n->policy, TARGET_NET_POLICY_MAX, &text, &n->len,
	                 &missing, diag);
	if (err)
		return missing ? 0 : err;
	memcpy(n->text, text, n->len);
	free(text);
	if (net_wiring_parse(n->text, n->len, &n->wiring) != 0)
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "'%s' cannot be wired: %s (the policy is "
		                   "linux core's, core/README.md \"Network\")",
		                   n->policy, n->wiring.why);
	/* QEMU's option syntax splits at ',' */
	if (strchr(monitor, ',') ||
	    snprintf(n->monitor, sizeof(n->monitor), "pipe,id=qmp,path=%s",
	             monitor) >= (int)sizeof(n->monitor))
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "the target's path '%s' cannot be given to "
		                   "QEMU (a ',' in it, or too long)",
		                   target);
	n->present = 1;
	n->argv[n->argc++] = "-device";
	n->argv[n->argc++] = "virtio-serial-device,id=net-serial";
	for (unsigned i = 0; i < n->wiring.count; i++) {
		port_words(n, i);
		n->argv[n->argc++] = "-device";
		n->argv[n->argc++] = n->words[i][0];
		n->argv[n->argc++] = "-chardev";
		n->argv[n->argc++] = n->words[i][1];
	}
	n->argv[n->argc++] = "-chardev";
	n->argv[n->argc++] = n->monitor;
	n->argv[n->argc++] = "-mon";
	n->argv[n->argc++] = "chardev=qmp,mode=control";
	return 0;
}

/* Removes TARGET/RELATIVE if it is there. */
static int remove_record(const char *target, const char *relative,
                         struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	int err = state_path(target, relative, path, diag);

	if (!err && unlink(path) && errno != ENOENT)
		err = sculpt_fail(diag, SCULPT_E_IO, "cannot remove '%s': %s",
		                  path, strerror(errno));
	return err;
}

static int make_fifo(const char *target, const char *relative,
                     struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	int err = remove_record(target, relative, diag);

	if (!err)
		err = state_path(target, relative, path, diag);
	if (!err && mkfifo(path, 0600))
		err = sculpt_fail(diag, SCULPT_E_IO,
		                  "cannot make the fifo '%s': %s", path,
		                  strerror(errno));
	return err;
}

/* Writes `text` to the record TARGET/RELATIVE. */
static int write_record(const char *target, const char *relative,
                        const char *text, size_t len, struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	int err = state_path(target, relative, path, diag);
	return err ? err : state_write(path, text, len, diag);
}

/* The file at `path` (at most `max` bytes) into *text (to free) and
 * *len, a copy of `absent` when there is no such file. */
static int read_or(const char *path, size_t max, const char *absent,
                   char **text, size_t *len, struct sculpt_diag *diag)
{
	bool missing = false;
	int err = state_read(path, max, text, len, &missing, diag);

	if (err && missing) {
		*text = strdup(absent);
		*len = strlen(absent);
		err = *text ? 0
		            : sculpt_fail(diag, SCULPT_E_NOMEM,
		                          "out of memory");
	}
	assert(err || *text);
	return err;
}

/* The record TARGET/RELATIVE (at most `max` bytes), `absent` when there
 * is none; *text to free. */
static int read_record(const char *target, const char *relative, size_t max,
                       const char *absent, char **text,
                       struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	size_t len = 0;
	int err = state_path(target, relative, path, diag);

	*text = NULL;
	return err ? err : read_or(path, max, absent, text, &len, diag);
}

int target_net_boot(const char *target, const struct target_net *n,
                    struct sculpt_diag *diag)
{
	char names[NET_WIRING_PORTS_MAX * (NET_WIRING_NAME_MAX + 1)] = "";
	size_t used = 0;
	int err;

	if (!n->present) {
		err = remove_record(target, RECORD_POLICY, diag);
		if (!err)
			err = remove_record(target, RECORD_WIRED, diag);
		if (!err)
			err = remove_record(target, MONITOR ".in", diag);
		if (!err)
			err = remove_record(target, MONITOR ".out", diag);
		return err;
	}
	err = make_fifo(target, MONITOR ".in", diag);
	if (!err)
		err = make_fifo(target, MONITOR ".out", diag);
	for (unsigned i = 0; !err && i < n->wiring.count; i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
		                         "%s\n", n->wiring.ports[i].name);
	if (!err)
		err = write_record(target, RECORD_WIRED, names, used, diag);
	return err;
}

int target_net_record_policy(const char *target, const struct target_net *n,
                             char path[PATH_MAX], struct sculpt_diag *diag)
{
	int err = state_path(target, RECORD_POLICY, path, diag);

	assert(n->present);
	return err ? err : state_write(path, n->text, n->len, diag);
}

/* Port p, the machine's port number `number`, added through QMP. */
static int add_port(struct qmp *q, const struct net_wiring_port *p,
                    unsigned number, struct sculpt_diag *diag)
{
	char id[16], port[8], what[NET_WIRING_NAME_MAX + 32];
	cJSON *chardev = cJSON_CreateObject(), *device = cJSON_CreateObject();
	cJSON *backend = cJSON_AddObjectToObject(chardev, "backend");
	cJSON *data, *addr, *inet;
	int err;

	chardev_id(id, number);
	snprintf(port, sizeof(port), "%u", p->port);
	snprintf(what, sizeof(what), "port %s", p->name);
	cJSON_AddStringToObject(chardev, "id", id);
	cJSON_AddStringToObject(backend, "type", "socket");
	data = cJSON_AddObjectToObject(backend, "data");
	addr = cJSON_AddObjectToObject(data, "addr");
	cJSON_AddStringToObject(addr, "type", "inet");
	inet = cJSON_AddObjectToObject(addr, "data");
	cJSON_AddStringToObject(inet, "host", p->address);
	cJSON_AddStringToObject(inet, "port", port);
	cJSON_AddBoolToObject(data, "server", p->listen);
	if (p->listen)
		cJSON_AddBoolToObject(data, "wait", 0);
	else
		cJSON_AddNumberToObject(data, "reconnect", 1);
	cJSON_AddStringToObject(device, "driver", "virtserialport");
	cJSON_AddStringToObject(device, "bus", "net-serial.0");
	cJSON_AddStringToObject(device, "chardev", id);
	cJSON_AddStringToObject(device, "name", p->name);
	/* a failed add leaves an incomplete object: QEMU refuses it, or
	 * the check below finds it */
	if (!chardev || !device || !inet ||
	    !cJSON_GetObjectItem(device, "name")) {
		cJSON_Delete(chardev);
		cJSON_Delete(device);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	err = qmp_run(q, "chardev-add", chardev, what, diag);
	if (err)
		cJSON_Delete(device);
	else
		err = qmp_run(q, "device_add", device, what, diag);
	return err;
}

/* Whether `name` is a line of `wired`. */
static int is_wired(const char *wired, const char *name)
{
	size_t len = strlen(name);
	for (const char *l = wired; *l;) {
		const char *end = strchr(l, '\n');
		size_t n = end ? (size_t)(end - l) : strlen(l);
		if (n == len && strncmp(l, name, len) == 0)
			return 1;
		l += n + (end != NULL);
	}
	return 0;
}

/* The ports of w the machine lacks, added; each recorded once added. */
static int add_missing(const char *target, const struct net_wiring *w,
                       char **wired, struct sculpt_diag *diag)
{
	static struct qmp q; /* its 64 KiB line: not on the stack */
	char path[PATH_MAX];
	int opened = 0;
	unsigned count = 0;
	int err = 0;

	for (const char *l = *wired; *l; l++)
		count += *l == '\n';
	for (unsigned i = 0; !err && i < w->count; i++) {
		const struct net_wiring_port *p = &w->ports[i];
		char *more;
		size_t len = strlen(*wired);
		if (is_wired(*wired, p->name))
			continue;
		if (!opened) {
			err = state_path(target, MONITOR ".in", path, diag);
			if (!err && access(path, F_OK) != 0)
				err = sculpt_fail(
					diag, SCULPT_E_USAGE,
					"target '%s' was booted without a net.policy: "
					"its machine has no net device to add port "
					"%s to; boot it again with the policy",
					target, p->name);
			if (!err)
				err = state_path(target, MONITOR, path, diag);
			if (!err)
				err = qmp_open(&q, path, diag);
			if (err)
				break;
			opened = 1;
		}
		err = add_port(&q, p, ++count, diag);
		if (err)
			break;
		more = realloc(*wired, len + strlen(p->name) + 2);
		if (!more) {
			err = sculpt_fail(diag, SCULPT_E_NOMEM,
			                  "out of memory");
			break;
		}
		sprintf(more + len, "%s\n", p->name);
		*wired = more;
		err = write_record(target, RECORD_WIRED, more, strlen(more),
		                   diag);
		printf("port %s added to the running machine\n", p->name);
	}
	if (opened)
		qmp_close(&q);
	return err;
}

int target_net_deliver(const char *target, struct target_control *c,
                       struct sculpt_diag *diag)
{
	static struct net_wiring w; /* the ports: not on the stack */
	char path[PATH_MAX], *policy = NULL, *held = NULL, *wired = NULL;
	size_t len = 0;
	int err;

	if (c->fd < 0)
		return 0;
	err = state_path(target, "config/net.policy", path, diag);
	if (!err)
		err = read_or(path, TARGET_NET_POLICY_MAX, NO_POLICY, &policy,
		              &len, diag);
	/* a machine booted without a policy holds none: nothing to deliver
	 * until the target has one */
	if (!err)
		err = read_record(target, RECORD_POLICY, TARGET_NET_POLICY_MAX,
		                  NO_POLICY, &held, diag);
	if (!err && strcmp(held, policy) != 0) {
		if (net_wiring_parse(policy, len, &w) != 0)
			err = sculpt_fail(diag, SCULPT_E_USAGE,
			                  "'%s' cannot be wired: %s", path,
			                  w.why);
		if (!err)
			err = read_record(target, RECORD_WIRED,
			                  (size_t)NET_WIRING_PORTS_MAX * 128,
			                  "", &wired, diag);
		if (!err)
			err = add_missing(target, &w, &wired, diag);
		if (!err)
			err = target_control_push(c, "config/net.policy",
			                          policy, len, diag);
		if (!err)
			err = write_record(target, RECORD_POLICY, policy, len,
			                   diag);
		if (!err)
			printf("net.policy pushed to the running machine\n");
	}
	free(policy);
	free(held);
	free(wired);
	return err;
}
