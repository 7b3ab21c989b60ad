/*
 * Process helpers of the multi-process tests (test_proc.h). The bootstrap
 * of a server's capability uses the generated dispatch of counter.rpc on
 * the parent's main thread (no entrypoint thread, so the parent stays
 * single-threaded and can keep forking safely).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counter_server.h"
#include "test_proc.h"

struct bootstrap {
	rpc_object_t rpc;
	kcap_t received;
};

static int bootstrap_store(rpc_object_t *self, kcap_t given)
{
	struct bootstrap *b = (struct bootstrap *)self;
	return kcap_copy(given, &b->received) ? COUNTER_ERR_NO_CAPABILITY : 0;
}

static const struct counter_ops bootstrap_ops = { .store = bootstrap_store };

static int start_counter_server(void *arg, kcap_t *cap)
{
	return counter_server_start(arg, cap);
}

static void serve_for_ever(void *arg)
{
	for (;;)
		pause();
}

/* In the child: set up, hand the capability over, run, exit. */
static void child_main(kcap_t bootstrap, int (*setup)(void *arg, kcap_t *cap),
                       void (*run)(void *arg), void *arg)
{
	kcap_t cap;
	alarm(TEST_CHILD_SECONDS);
	if (setup(arg, &cap) || counter_store(bootstrap, cap))
		_exit(1);
	run(arg);
	_exit(0);
}

/* Receives one request on `ws` and serves it with `obj`. */
static int serve_one(kwaitset_t *ws, rpc_object_t *obj)
{
	static kmsg_t request, reply;
	static rpc_frame_t frame;
	kevent_t ev;
	int err = kwaitset_wait(ws, &ev, &request, TEST_CHILD_SECONDS * 1000);
	if (err)
		return err;
	if (ev.kind != KEVENT_REQUEST)
		return KERR_MALFORMED;
	rpc_dispatch(obj, &request, &reply, &frame);
	err = kipc_reply(ev.reply, &reply);
	rpc_release_caps(&request);
	return err;
}

int spawn_process(pid_t *pid, kcap_t *cap, int (*setup)(void *arg, kcap_t *cap),
                  void (*run)(void *arg), void *arg)
{
	struct bootstrap boot = { .rpc = { .iface = &counter_rpc,
		                           .ops = &bootstrap_ops },
		                  .received = KCAP_INVALID };
	kwaitset_t *ws;
	kendpoint_t *ep = NULL;
	kcap_t boot_cap;
	int err = kwaitset_create(&ws);
	if (err)
		return err;
	err = kendpoint_create(&ep, &boot_cap);
	if (!err)
		err = kwaitset_add_endpoint(ws, ep, &boot);
	if (!err) {
		*pid = fork();
		if (*pid == 0)
			child_main(boot_cap, setup, run, arg);
		err = *pid < 0 ? KERR_NOMEM : serve_one(ws, &boot.rpc);
	}
	if (ep) {
		kendpoint_dissolve(ep);
		kcap_close(boot_cap);
	}
	kwaitset_destroy(ws);
	if (!err && !kcap_valid(boot.received))
		err = KERR_INVALID;
	if (!err)
		*cap = boot.received;
	return err;
}

void stop_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

pid_t start_child(int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		alarm(TEST_CHILD_SECONDS);
		_exit(fn(arg));
	}
	return pid;
}

int wait_child(pid_t pid)
{
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 255;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int run_in_child(int (*fn)(void *arg), void *arg)
{
	return wait_child(start_child(fn, arg));
}

int spawn_counter_server(pid_t *pid, kcap_t *cap)
{
	/* the child's own copy after fork; the parent never touches it */
	static struct counter_server server;
	return spawn_process(pid, cap, start_counter_server, serve_for_ever,
	                     &server);
}
