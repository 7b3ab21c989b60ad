/*
 * riscv-tcp-peer: the host's end of a net port in tests/riscv/run-suite
 * (core/riscv/net_ports.h; QEMU bridges each port to a TCP socket). It
 * echoes what it reads until the file STOP exists or the other side
 * closes, then closes its connection and ends; at most LIFETIME_S in all,
 * so a broken run never leaves it behind.
 *
 *   riscv-tcp-peer serve PORTFILE STOP   listens on 127.0.0.1 (a free
 *                                        port, written to PORTFILE once
 *                                        listened on) and takes one client
 *   riscv-tcp-peer connect PORT STOP     connects to 127.0.0.1:PORT,
 *                                        again every 100 ms until it is
 *                                        listened on
 *   riscv-tcp-peer flood PORTFILE STOP   as serve, but writes without
 *                                        end and reads nothing (a host
 *                                        that floods its client)
 *   riscv-tcp-peer free-port             prints a TCP port free right now
 *
 * Exit status 0, 1 when nothing connected within the lifetime, 2 on a
 * usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LIFETIME_S 60
#define TICK_MS 100

/* When the peer gives up, whatever it waits for: set once at the start,
 * read by every wait (a global so that no wait can forget it). */
static time_t deadline;

static int expired(void)
{
	return time(NULL) >= deadline;
}

static void tick(void)
{
	const struct timespec t = { 0, TICK_MS * 1000000L };
	nanosleep(&t, NULL);
}

static struct sockaddr_in loopback(unsigned port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A socket bound to a free port of 127.0.0.1; its number in *port. */
static int bound(int listen_too, unsigned *port)
{
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (listen_too && listen(fd, 1)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		perror("riscv-tcp-peer: socket");
		exit(1);
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static void echo(int conn, const char *stop)
{
	char buf[4096];
	struct pollfd p = { conn, POLLIN, 0 };

	while (access(stop, F_OK) != 0 && !expired()) {
		if (poll(&p, 1, TICK_MS) <= 0)
			continue;
		ssize_t n = read(conn, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t done = 0, w; done < n; done += w) {
			w = write(conn, buf + done, (size_t)(n - done));
			if (w <= 0)
				goto out;
		}
	}
out:
	close(conn);
}

/* Writes to conn as fast as it takes bytes, until STOP or an error:
 * byte i of the stream is i mod 251, as tests/riscv/rt/netclient.c
 * checks it from wherever it starts reading (bytes lost or doubled show
 * unless a multiple of 251: a page's 4096 do). */
static void flood(int conn, const char *stop)
{
	unsigned char buf[4096];
	unsigned long sent = 0;
	struct pollfd p = { conn, POLLOUT, 0 };

	while (access(stop, F_OK) != 0 && !expired()) {
		if (poll(&p, 1, TICK_MS) <= 0)
			continue;
		for (size_t i = 0; i < sizeof(buf); i++) {
			buf[i] = (unsigned char)((sent + i) % 251u);
		}
		ssize_t n = write(conn, buf, sizeof(buf));
		if (n <= 0)
			break;
		sent += (unsigned long)n;
	}
	close(conn);
}

static int serve(const char *port_file, const char *stop,
                 void (*talk)(int conn, const char *stop))
{
	char tmp[4096];
	unsigned port;
	int conn, fd = bound(1, &port);
	FILE *f;
	struct pollfd p = { fd, POLLIN, 0 };

	/* the file appears whole, and only once the port is listened on */
	snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) ||
	    rename(tmp, port_file)) {
		perror("riscv-tcp-peer: port file");
		return 1;
	}
	while (poll(&p, 1, TICK_MS) <= 0)
		if (expired())
			return 1;
	conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	close(fd);
	if (conn < 0)
		return 1;
	talk(conn, stop);
	return 0;
}

static int dial(const char *port_text, const char *stop)
{
	char *end;
	unsigned long port = strtoul(port_text, &end, 10);

	if (*port_text == '\0' || *end != '\0' || port == 0 || port > 65535) {
		fprintf(stderr, "riscv-tcp-peer: bad port '%s'\n", port_text);
		return 2;
	}
	struct sockaddr_in a = loopback((unsigned)port);
	while (!expired()) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return 1;
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			echo(fd, stop);
			return 0;
		}
		close(fd);
		tick();
	}
	return 1;
}

int main(int argc, char **argv)
{
	unsigned port;

	deadline = time(NULL) + LIFETIME_S;
	if (argc == 2 && strcmp(argv[1], "free-port") == 0) {
		close(bound(0, &port));
		printf("%u\n", port);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3], echo);
	if (argc == 4 && strcmp(argv[1], "flood") == 0)
		return serve(argv[2], argv[3], flood);
	if (argc == 4 && strcmp(argv[1], "connect") == 0)
		return dial(argv[2], argv[3]);
	fprintf(stderr, "usage: riscv-tcp-peer serve PORTFILE STOP | flood "
	                "PORTFILE STOP | connect PORT STOP | free-port\n");
	return 2;
}
