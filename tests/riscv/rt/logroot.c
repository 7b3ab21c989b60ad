/*
 * A root task for the riscv suite, standing in for core: it serves the
 * LOG interface (runtime/session/log.rpc) with libruntime's entrypoint,
 * starts boot module 1 with the capability to it, and ends once three
 * lines came. Everything but starting the module is libruntime, built
 * from the same sources as on linux: entrypoint thread, waitset, RPC
 * dispatch, semaphore.
 */
#include <runtime/entrypoint.h>
#include <runtime/semaphore.h>

#include "log_rpc.h"
#include "sys.h"

#include <stdio.h>
#include <string.h>

#define LINES 3

static struct semaphore lines;

/* Says what came, briefly: long lines by length and last bytes. */
static int write_op(rpc_object_t *self, const char *line)
{
	(void)self;
	size_t n = strlen(line);
	if (n > 40)
		printf("log: %zu bytes ending in \"%s\"\n", n, line + n - 8);
	else
		printf("log: %s\n", line);
	semaphore_up(&lines);
	return 0;
}

static const struct log_ops ops = { .write = write_op };

int main(void)
{
	entrypoint_t *ep;
	static rpc_object_t obj;
	kcap_t cap;
	semaphore_init(&lines, 0);
	int err = entrypoint_create(&ep, "ep");
	if (!err)
		err = log_manage(ep, &obj, &ops, &cap);
	if (err) {
		printf("no LOG object: %s\n", kerr_str(err));
		return 1;
	}
	long started = sys_pd_create(1, cap.sel);
	if (started) {
		printf("module 1 not started: %s\n", kerr_str((int)started));
		return 1;
	}
	for (int i = 0; i < LINES; i++)
		semaphore_down(&lines);
	printf("%d lines logged\n", LINES);
	return 0;
}
