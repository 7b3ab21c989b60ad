/*
 * test-tcp-port: the TCP ports the test drivers need on 127.0.0.1, so
 * that no suite depends on an interpreter the project does not install.
 *
 *   test-tcp-port free                  prints a port that is free right
 *                                       now (the scenarios' nodes listen
 *                                       on it)
 *   test-tcp-port silent PORTFILE SECS  listens on a free port, writes its
 *                                       number to PORTFILE once listened
 *                                       on, takes every connection and
 *                                       says nothing; ends after SECS
 *                                       (1..600): a server too slow for
 *                                       any client
 *
 * Exit status 0, 1 when a socket or the port file fails, 2 on a usage
 * error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SILENT_MAX_S   600
#define SILENT_CONNS   64 /* held open at once; more wait in the backlog */
#define SILENT_BACKLOG 8

/* A socket bound to a free port of 127.0.0.1 (listening if `backlog`);
 * its number in *port, or -1 with the reason said. */
static int bound(int backlog, unsigned *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (backlog && listen(fd, backlog)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		perror("test-tcp-port: socket on 127.0.0.1");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* PORTFILE appears whole, and only once the port is listened on. */
static int write_port_file(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "test-tcp-port: port file name too long\n");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) ||
	    rename(tmp, path)) {
		perror("test-tcp-port: port file");
		return -1;
	}
	return 0;
}

static int silent(const char *port_file, long seconds)
{
	unsigned port;
	int fd = bound(SILENT_BACKLOG, &port), held[SILENT_CONNS], n = 0;
	time_t end = time(NULL) + seconds;

	if (fd < 0 || write_port_file(port_file, port))
		return 1;
	while (time(NULL) < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 100) == 1 && n < SILENT_CONNS) {
			int c = accept(fd, NULL, NULL);
			if (c >= 0)
				held[n++] = c;
		}
	}
	while (n > 0)
		close(held[--n]);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned port;
	char *end;
	long seconds;
	int fd;

	if (argc == 2 && strcmp(argv[1], "free") == 0) {
		fd = bound(0, &port);
		if (fd < 0)
			return 1;
		close(fd);
		printf("%u\n", port);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "silent") == 0) {
		seconds = strtol(argv[3], &end, 10);
		if (*argv[3] && !*end && seconds >= 1 &&
		    seconds <= SILENT_MAX_S)
			return silent(argv[2], seconds);
	}
	fprintf(stderr,
	        "usage: test-tcp-port free | "
	        "silent PORTFILE SECONDS (1..%d)\n",
	        SILENT_MAX_S);
	return 2;
}
