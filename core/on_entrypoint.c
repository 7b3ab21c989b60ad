/*
 * on_entrypoint (on_entrypoint.h): a signal handler on the entrypoint
 * runs the function; a semaphore tells the caller it is done.
 */
#include "on_entrypoint.h"

#include <runtime/semaphore.h>

struct job {
	void (*fn)(void *arg);
	void *arg;
	struct semaphore done;
};

static void run_job(void *arg, uint32_t count)
{
	(void)count;
	struct job *job = arg;
	job->fn(job->arg);
	semaphore_up(&job->done);
}

int on_entrypoint(entrypoint_t *ep, void (*fn)(void *arg), void *arg)
{
	struct job job = { .fn = fn, .arg = arg };
	semaphore_init(&job.done, 0);
	entrypoint_signal_t sig;
	kcap_t cap;
	int rc = entrypoint_manage_signal(ep, &sig, run_job, &job, &cap);
	if (rc != 0)
		return rc;
	rc = ksignal_submit(cap, 1);
	if (rc == 0)
		semaphore_down(&job.done);
	entrypoint_dissolve_signal(&sig);
	kcap_close(cap);
	return rc;
}
