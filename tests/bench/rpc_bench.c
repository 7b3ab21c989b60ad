/*
 * The RPC and signal bench of `make bench` (run by tests/bench/run).
 * Measures, in one run and against the same baseline:
 *
 *   baseline  a raw socketpair ping-pong between two processes (write and
 *             read of an 8-byte message each way): the floor the kernel
 *             platform's IPC is built on
 *   rpc       a null RPC (counter.rpc's ping) from this process to a
 *             counter server in another process, through generated stub,
 *             kernel call, entrypoint and generated dispatch
 *   signal    submit to a signal context of another process, whose
 *             receiver wakes and acknowledges by submitting back to ours
 *
 * each once with both processes pinned to CPU 0 and once unpinned. Every
 * figure is the best of several rounds (the machine is shared; the best
 * round is the one least disturbed), and every ratio is to the baseline of
 * the same pinning. Prints a table of ns per round trip and ratios.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <runtime/signal.h>

#include "counter_server.h"
#include "test_proc.h"

#define ROUNDS     5
#define ITERATIONS 20000
#define WARM_UP    500

enum kind { BASELINE, RPC, SIGNAL, KINDS };

static const char *const kind_names[KINDS] = {
	"socketpair ping-pong",
	"rpc null call",
	"signal round trip",
};

static void die(const char *what, int err)
{
	fprintf(stderr, "rpc_bench: %s failed: %s\n", what,
	        rpc_strerror(&counter_rpc, err));
	exit(1);
}

/* --- baseline ----------------------------------------------------------- */

static void echo_until_closed(int fd)
{
	char buf[8];
	alarm(TEST_CHILD_SECONDS);
	while (read(fd, buf, sizeof buf) == (ssize_t)sizeof buf)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			break;
	_exit(0);
}

static double measure_baseline(void)
{
	char buf[8] = "ping";
	uint64_t start = 0;
	int sv[2];
	pid_t pid;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair", KERR_NOMEM);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		echo_until_closed(sv[1]);
	}
	close(sv[1]);
	for (int i = 0; i < WARM_UP + ITERATIONS; i++) {
		if (i == WARM_UP)
			start = kclock_ns();
		if (write(sv[0], buf, sizeof buf) != (ssize_t)sizeof buf ||
		    read(sv[0], buf, sizeof buf) != (ssize_t)sizeof buf)
			die("ping-pong", KERR_REVOKED);
	}
	start = kclock_ns() - start;
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return (double)start / ITERATIONS;
}

/* --- rpc ---------------------------------------------------------------- */

static double measure_rpc(void)
{
	uint64_t start = 0;
	pid_t pid;
	kcap_t cap;
	int err = spawn_counter_server(&pid, &cap);
	if (err)
		die("starting the counter server", err);
	for (int i = 0; i < WARM_UP + ITERATIONS; i++) {
		if (i == WARM_UP)
			start = kclock_ns();
		err = counter_ping(cap);
		if (err)
			die("counter_ping", err);
	}
	start = kclock_ns() - start;
	stop_child(pid);
	kcap_close(cap);
	return (double)start / ITERATIONS;
}

/* --- signal ------------------------------------------------------------- */

struct echo_side {
	kcap_t ack; /* the measuring process's context */
	signal_receiver_t *rx;
	signal_context_t ping;
};

static int echo_setup(void *arg, kcap_t *cap)
{
	struct echo_side *e = arg;
	int err = signal_receiver_create(&e->rx);
	return err ? err : signal_receiver_manage(e->rx, &e->ping, cap);
}

/* Acknowledges every signal until none comes for a second. */
static void echo_signals(void *arg)
{
	struct echo_side *e = arg;
	signal_transmitter_t tx;
	signal_t sig;
	signal_transmitter_init(&tx, e->ack);
	while (signal_receiver_wait(e->rx, &sig, 1000) == 0)
		if (signal_transmitter_submit(&tx, 1))
			break;
}

static double measure_signal(void)
{
	static struct echo_side echo;
	signal_receiver_t *rx;
	signal_context_t ack;
	signal_transmitter_t tx;
	signal_t sig;
	uint64_t start = 0;
	kcap_t ping;
	pid_t pid;
	int err = signal_receiver_create(&rx);
	if (!err)
		err = signal_receiver_manage(rx, &ack, &echo.ack);
	if (!err)
		err = spawn_process(&pid, &ping, echo_setup, echo_signals,
		                    &echo);
	if (err)
		die("starting the signal echo", err);
	signal_transmitter_init(&tx, ping);
	for (int i = 0; i < WARM_UP + ITERATIONS; i++) {
		if (i == WARM_UP)
			start = kclock_ns();
		err = signal_transmitter_submit(&tx, 1);
		if (!err)
			err = signal_receiver_wait(rx, &sig, 10000);
		if (err)
			die("signal round trip", err);
	}
	start = kclock_ns() - start;
	stop_child(pid);
	kcap_close(ping);
	kcap_close(echo.ack);
	signal_receiver_destroy(rx);
	return (double)start / ITERATIONS;
}

/* --- driver ------------------------------------------------------------- */

static double (*const measure[KINDS])(void) = {
	measure_baseline,
	measure_rpc,
	measure_signal,
};

static void measure_best(double best[KINDS])
{
	for (int k = 0; k < KINDS; k++)
		best[k] = 1e300;
	for (int r = 0; r < ROUNDS; r++) {
		for (int k = 0; k < KINDS; k++) {
			double ns = measure[k]();
			if (ns < best[k])
				best[k] = ns;
		}
	}
}

int main(void)
{
	double unpinned[KINDS], pinned[KINDS];
	int pin_err;

	measure_best(unpinned);
	pin_err = kthread_pin(0); /* children and their threads inherit it */
	if (pin_err)
		fprintf(stderr, "rpc_bench: pinning to CPU 0 failed: %s\n",
		        kerr_str(pin_err));
	measure_best(pinned);

	printf("rpc bench: ns per round trip, best of %d rounds of %d; ratio to "
	       "the socketpair baseline\n",
	       ROUNDS, ITERATIONS);
	printf("  %-22s %12s %7s %12s %7s\n", "", "pinned", "ratio", "unpinned",
	       "ratio");
	for (int k = 0; k < KINDS; k++)
		printf("  %-22s %12.0f %7.2f %12.0f %7.2f\n", kind_names[k],
		       pinned[k], pinned[k] / pinned[BASELINE], unpinned[k],
		       unpinned[k] / unpinned[BASELINE]);
	printf("  target: pinned rpc ratio at most 1.50: %s (%.2f)\n",
	       pinned[RPC] / pinned[BASELINE] <= 1.5 ? "met" : "NOT met",
	       pinned[RPC] / pinned[BASELINE]);
	return 0;
}
