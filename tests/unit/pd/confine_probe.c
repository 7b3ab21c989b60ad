/*
 * A test component for the protection-domain tests (pd_test.c). Started by
 * kpd_create(), it chooses what to do by its name (argv[0], which the
 * creator sets):
 *
 *   probe-hostile  tries every way out of its confinement and exits with
 *                  the number of the first attempt that worked, 0 if all
 *                  were refused; the well-behaved operations a component
 *                  needs (threads, memory within its quota, IPC channels)
 *                  must keep working, and exit with 100+n when one fails
 *   probe-caps     checks that exactly two boot capabilities arrived
 *   probe-shared   gets an endpoint (boot capability 0) and a signal
 *                  capability (1) that its creator holds too, and tries
 *                  to spoil the one socket all holders share: shut it
 *                  down, change its options, its file flags, give it a
 *                  chosen name, flip its kind. Exits with the number of
 *                  the first attempt that worked, 0 if all were refused
 *                  or harmless; 100+n when what a holder needs (calling,
 *                  submitting, making objects of its own) fails
 *   probe-sleep    waits to be killed
 *   probe-hog      touches 512 MiB of MAP_SHARED anonymous memory, which
 *                  RLIMIT_DATA does not count; exits with 0 if it could
 *                  (its memory cgroup should kill it first)
 *   probe-files    makes socket pairs until it may not; exits with 0 if
 *                  that was for the descriptor limit (EMFILE) below 1100
 *                  descriptors, else 1
 *   probe-crash    dies of a fault
 *   probe-say      writes a line to stdout and one to stderr; exits with
 *                  0 if its stdin is empty (/dev/null), else 1
 *
 * Run without confinement (the negative control), probe-hostile must report
 * a forbidden operation that worked.
 */
#include <kernel/kernel.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int opened_system_file(void)
{
	int fd = open("/etc/passwd", O_RDONLY);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static int created_file(void)
{
	int fd = open("/tmp/confine-probe-escape", O_CREAT | O_WRONLY, 0600);
	if (fd >= 0) {
		close(fd);
		unlink("/tmp/confine-probe-escape");
	}
	return fd >= 0;
}

static int opened_network_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static int opened_unix_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static int made_datagram_pair(void)
{
	int pair[2];
	int rc = socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
	if (rc == 0) {
		close(pair[0]);
		close(pair[1]);
	}
	return rc == 0;
}

static int forked(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid >= 0;
}

static int executed_program(void)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { NULL };
	execve("/bin/true", argv, envp);
	return 0; /* still here: refused */
}

static int signalled_creator(void)
{
	return kill(getppid(), 0) == 0;
}

static int exceeded_ram_quota(void)
{
	/* the domain is started with 32 MiB; ask for 256 MiB of private memory */
	size_t size = 256u << 20;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	memset(p, 1, size);
	munmap(p, size);
	return 1;
}

static int made_memory_file(void)
{
	int fd = memfd_create("escape", 0);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static int traced_creator(void)
{
	return syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, getppid(), 0, 0) ==
	       0;
}

static const struct {
	const char *what;
	int (*attempt)(void);
} escapes[] = {
	{ "open a system file", opened_system_file },
	{ "create a file", created_file },
	{ "open a network socket", opened_network_socket },
	{ "open a unix socket", opened_unix_socket },
	{ "make a datagram socket pair", made_datagram_pair },
	{ "fork", forked },
	{ "execute a program", executed_program },
	{ "signal the creator", signalled_creator },
	{ "exceed the ram quota", exceeded_ram_quota },
	{ "create a memory file", made_memory_file },
	{ "trace the creator", traced_creator },
};

static void *thread_entry(void *arg)
{
	return arg;
}

static int thread_works(void)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)64 * 1024);
	pthread_t thread;
	static int token;
	void *result = NULL;
	int ok = pthread_create(&thread, &attr, thread_entry, &token) == 0 &&
	         pthread_join(thread, &result) == 0 && result == &token;
	pthread_attr_destroy(&attr);
	return ok;
}

static int channel_works(void)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
		return 0;
	char byte = 'x';
	int ok = write(pair[0], &byte, 1) == 1 && read(pair[1], &byte, 1) == 1;
	close(pair[0]);
	close(pair[1]);
	return ok;
}

static int heap_within_quota_works(void)
{
	size_t size = 4u << 20;
	char *p = malloc(size);
	if (!p)
		return 0;
	memset(p, 2, size);
	free(p);
	return 1;
}

static const struct {
	const char *what;
	int (*attempt)(void);
} needs[] = {
	{ "threads", thread_works },
	{ "ipc channels", channel_works },
	{ "heap within quota", heap_within_quota_works },
};

static int hostile(void)
{
	for (size_t i = 0; i < sizeof(needs) / sizeof(*needs); i++)
		if (!needs[i].attempt()) {
			fprintf(stderr, "probe: '%s' does not work: %s\n",
			        needs[i].what, strerror(errno));
			return 100 + (int)i;
		}
	for (size_t i = 0; i < sizeof(escapes) / sizeof(*escapes); i++)
		if (escapes[i].attempt()) {
			fprintf(stderr, "probe: could %s\n", escapes[i].what);
			return 1 + (int)i;
		}
	return 0;
}

/* The capabilities probe-shared attacks. */
static kcap_t shared_endpoint, shared_signal;

static int shut_down_socket(void)
{
	return shutdown(shared_endpoint.sel, SHUT_RDWR) == 0 ||
	       shutdown(shared_signal.sel, SHUT_WR) == 0;
}

static int set_option(int option, int value)
{
	return setsockopt(shared_endpoint.sel, SOL_SOCKET, option, &value,
	                  sizeof value) == 0 ||
	       setsockopt(shared_signal.sel, SOL_SOCKET, option, &value,
	                  sizeof value) == 0;
}

static int changed_priority(void)
{
	return set_option(SO_PRIORITY, 5) || set_option(SO_PRIORITY, 0);
}
static int shrank_send_buffer(void)
{
	return set_option(SO_SNDBUF, 1);
}
static int shrank_receive_buffer(void)
{
	return set_option(SO_RCVBUF, 1);
}

static int changed_file_flags(void)
{
	return fcntl(shared_endpoint.sel, F_SETFL, O_NONBLOCK) == 0 ||
	       fcntl(shared_signal.sel, F_SETFL, O_NONBLOCK) == 0;
}

static int chose_a_name(void)
{
	struct sockaddr_un name = { .sun_family = AF_UNIX,
		                    .sun_path = "\0probe-squats" };
	return bind(shared_endpoint.sel, (struct sockaddr *)&name,
	            sizeof name) == 0;
}

/* Allowed (the kernel interface needs both), and changes no kind: the
 * kind is read off the receive end, which only the creator holds. */
static int flipped_kind(void)
{
	struct sockaddr_un any = { .sun_family = AF_UNIX };
	int on = 1;
	(void)bind(shared_endpoint.sel, (struct sockaddr *)&any,
	           sizeof(sa_family_t));
	(void)setsockopt(shared_signal.sel, SOL_SOCKET, SO_PASSCRED, &on,
	                 sizeof on);
	return kcap_type(shared_endpoint) != KCAP_TYPE_ENDPOINT ||
	       kcap_type(shared_signal) != KCAP_TYPE_SIGNAL;
}

static const struct {
	const char *what;
	int (*attempt)(void);
} spoils[] = {
	{ "shut down a shared socket", shut_down_socket },
	{ "change a shared socket's priority", changed_priority },
	{ "shrink a shared socket's send buffer", shrank_send_buffer },
	{ "shrink a shared socket's receive buffer", shrank_receive_buffer },
	{ "change a shared socket's file flags", changed_file_flags },
	{ "give a shared socket a chosen name", chose_a_name },
	{ "flip the kind of a capability", flipped_kind },
};

static int call_works(void)
{
	static kmsg_t msg;
	msg.size = 1;
	msg.cap_count = 0;
	msg.data[0] = 'p';
	return kipc_call(shared_endpoint, &msg, &msg, 5000) == KERR_OK &&
	       msg.size == 1 && msg.data[0] == 'p';
}

static int submit_works(void)
{
	return ksignal_submit(shared_signal, 1) == KERR_OK;
}

/* A component serves and takes signals too: making its own objects
 * needs what is left of setsockopt and bind. */
static int own_objects_work(void)
{
	kendpoint_t *ep;
	ksignal_source_t *src;
	kcap_t ep_cap, src_cap;
	if (kendpoint_create(&ep, &ep_cap) != KERR_OK)
		return 0;
	int ok = ksignal_source_create(&src, &src_cap) == KERR_OK;
	if (ok) {
		ok = kcap_type(src_cap) == KCAP_TYPE_SIGNAL &&
		     kcap_type(ep_cap) == KCAP_TYPE_ENDPOINT;
		ksignal_source_destroy(src);
		kcap_close(src_cap);
	}
	kendpoint_dissolve(ep);
	kcap_close(ep_cap);
	return ok;
}

static const struct {
	const char *what;
	int (*attempt)(void);
} holder_needs[] = {
	{ "calling the shared endpoint", call_works },
	{ "submitting to the shared signal", submit_works },
	{ "making objects of its own", own_objects_work },
};

static int shared(void)
{
	shared_endpoint = kboot_cap(0);
	shared_signal = kboot_cap(1);
	if (kcap_type(shared_endpoint) != KCAP_TYPE_ENDPOINT ||
	    kcap_type(shared_signal) != KCAP_TYPE_SIGNAL)
		return 99;
	for (size_t i = 0; i < sizeof(spoils) / sizeof(*spoils); i++)
		if (spoils[i].attempt()) {
			fprintf(stderr, "probe: could %s\n", spoils[i].what);
			return 1 + (int)i;
		}
	for (size_t i = 0; i < sizeof(holder_needs) / sizeof(*holder_needs);
	     i++)
		if (!holder_needs[i].attempt()) {
			fprintf(stderr, "probe: %s does not work\n",
			        holder_needs[i].what);
			return 100 + (int)i;
		}
	return 0;
}

static int caps(void)
{
	return kcap_valid(kboot_cap(0)) && kcap_valid(kboot_cap(1)) &&
	                       !kcap_valid(kboot_cap(2))
	               ? 0
	               : 1;
}

static int say(void)
{
	static const char out[] = "said on stdout\n",
			  err[] = "said on stderr\n";
	char byte;
	if (write(1, out, sizeof(out) - 1) < 0 ||
	    write(2, err, sizeof(err) - 1) < 0)
		return 2;
	return read(0, &byte, 1) == 0 ? 0 : 1;
}

static int hog(void)
{
	size_t size = (size_t)512 << 20;
	char *at = mmap(NULL, size, PROT_READ | PROT_WRITE,
	                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (at == MAP_FAILED)
		return 2;
	for (size_t off = 0; off < size; off += 4096)
		at[off] = 1;
	return 0;
}

static int files(void)
{
	int count = 0, sv[2];
	while (count < 4000 &&
	       socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0)
		count += 2;
	return errno == EMFILE && count < 1100 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 0 ? argv[0] : "";
	if (strcmp(mode, "probe-hostile") == 0)
		return hostile();
	if (strcmp(mode, "probe-caps") == 0)
		return caps();
	if (strcmp(mode, "probe-say") == 0)
		return say();
	if (strcmp(mode, "probe-shared") == 0)
		return shared();
	if (strcmp(mode, "probe-hog") == 0)
		return hog();
	if (strcmp(mode, "probe-files") == 0)
		return files();
	/* sleep, not pause: pause() is not among a domain's system calls */
	if (strcmp(mode, "probe-sleep") == 0)
		for (;;)
			sleep(3600);
	if (strcmp(mode, "probe-crash") == 0)
		*(volatile int *)(uintptr_t)argc = 0; /* address 1: a fault */
	return 99;
}
