/*
 * remote-bench: the host side of the remote bench (tests/bench/
 * remote_bench.sh), the raw TCP baselines and the ROM writer. Every time
 * is CLOCK_MONOTONIC, which both network namespaces of the bench share.
 *
 *   remote-bench stamp FILE SEQ       writes "SEQ NS" to FILE (renamed in)
 *   remote-bench oneway-recv PORT N   accepts one connection, reads N
 *                                     lines "SEQ NS", prints each delay
 *   remote-bench oneway-send ADDR PORT N GAP_MS
 *                                     sends N stamped lines, GAP_MS apart
 *   remote-bench echo PORT            accepts one connection, echoes
 *                                     64-byte messages until it closes
 *   remote-bench pingpong ADDR PORT N sends N 64-byte messages, each after
 *                                     the echo of the last; prints each
 *                                     round trip
 * Delays are printed one a line in nanoseconds ("delay_ns D"); the driver
 * takes the median. TCP_NODELAY on every socket, as a message protocol
 * wants; IPv4 addresses only.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE 64

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int die(const char *what)
{
	perror(what);
	exit(1);
}

static void nodelay(int fd)
{
	int one = 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one))
		die("setsockopt TCP_NODELAY");
}

static int listen_accept(const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
		                 .sin_port = htons((uint16_t)atoi(port)) };
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), fd;
	if (l < 0 ||
	    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1))
		die("listen");
	printf("listening\n");
	fflush(stdout);
	if ((fd = accept(l, NULL, NULL)) < 0)
		die("accept");
	close(l);
	nodelay(fd);
	return fd;
}

static int dial(const char *addr, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
		                 .sin_port = htons((uint16_t)atoi(port)) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		die("address");
	for (int tries = 0; connect(fd, (struct sockaddr *)&a, sizeof a);
	     tries++) {
		if (tries == 100)
			die("connect");
		usleep(20000);
	}
	nodelay(fd);
	return fd;
}

static void read_all(int fd, char *buf, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			die("read");
		got += (size_t)r;
	}
}

static void write_all(int fd, const char *buf, size_t n)
{
	if (write(fd, buf, n) != (ssize_t)n)
		die("write");
}

static int stamp(const char *file, const char *seq)
{
	char tmp[4096];
	FILE *f;
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	if (!(f = fopen(tmp, "w")))
		die(tmp);
	fprintf(f, "%s %llu", seq, (unsigned long long)now_ns());
	if (fclose(f) || rename(tmp, file))
		die(file);
	return 0;
}

static int oneway_recv(const char *port, int n)
{
	int fd = listen_accept(port);
	char msg[MESSAGE];
	for (int i = 0; i < n; i++) {
		unsigned long long seq, then;
		read_all(fd, msg, MESSAGE);
		uint64_t now = now_ns();
		msg[MESSAGE - 1] = '\0';
		if (sscanf(msg, "%llu %llu", &seq, &then) != 2)
			die("malformed message");
		printf("delay_ns %llu\n", (unsigned long long)(now - then));
	}
	return 0;
}

static int oneway_send(const char *addr, const char *port, int n, int gap_ms)
{
	int fd = dial(addr, port);
	char msg[MESSAGE];
	for (int i = 0; i < n; i++) {
		usleep((useconds_t)gap_ms * 1000);
		memset(msg, ' ', sizeof msg);
		snprintf(msg, sizeof msg, "%d %llu", i,
		         (unsigned long long)now_ns());
		write_all(fd, msg, MESSAGE);
	}
	close(fd);
	return 0;
}

static int echo(const char *port)
{
	int fd = listen_accept(port);
	char msg[MESSAGE];
	for (;;) {
		ssize_t r = read(fd, msg, MESSAGE);
		if (r <= 0)
			return 0;
		write_all(fd, msg, (size_t)r);
	}
}

static int pingpong(const char *addr, const char *port, int n)
{
	int fd = dial(addr, port);
	char msg[MESSAGE] = "ping";
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now_ns();
		write_all(fd, msg, MESSAGE);
		read_all(fd, msg, MESSAGE);
		printf("delay_ns %llu\n", (unsigned long long)(now_ns() - t0));
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "stamp"))
		return stamp(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "oneway-recv"))
		return oneway_recv(argv[2], atoi(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "oneway-send"))
		return oneway_send(argv[2], argv[3], atoi(argv[4]),
		                   atoi(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "echo"))
		return echo(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "pingpong"))
		return pingpong(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: see tests/bench/remote_bench.c\n");
	return 2;
}
