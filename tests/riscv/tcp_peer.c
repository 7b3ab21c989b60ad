/*
 * riscv-tcp-peer: the host's end of a net port in tests/riscv/run-suite
 * (core/riscv/net_ports.h; QEMU bridges each port to a TCP socket),
 * speaking core's framing of connections (core/net_frame.h, the same
 * codec). It echoes each connection's bytes on that connection until the
 * file STOP exists or the other side closes the TCP connection, then
 * closes it and ends; at most LIFETIME_S in all, so a broken run never
 * leaves it behind.
 *
 *   riscv-tcp-peer serve PORTFILE STOP   listens on 127.0.0.1 (a free
 *                                        port, written to PORTFILE once
 *                                        listened on), takes one client,
 *                                        the listening end of its frames
 *                                        (core's `net.` port dials); a
 *                                        connection core closes it closes
 *                                        too (a CLOSE back, stale there)
 *   riscv-tcp-peer connect PORT STOP     connects to 127.0.0.1:PORT,
 *                                        again every 100 ms until it is
 *                                        listened on, and dials: opens a
 *                                        connection, and a new one each
 *                                        time core closes one
 *   riscv-tcp-peer flood PORTFILE STOP   as serve, but writes each
 *                                        connection without end from its
 *                                        OPEN on and echoes nothing (a
 *                                        host that floods its client)
 *   riscv-tcp-peer hostile PORTFILE STOP ATTACK
 *                                        as serve, and at each OPEN:
 *                                        garbage   bytes that are no frame
 *                                        oversize  a DATA header one byte
 *                                                  over the bound
 *                                        ghost     DATA for an id never
 *                                                  opened
 *                                        stale     DATA for the connection
 *                                                  before (after the first)
 *
 * Exit status 0, 1 when nothing connected within the lifetime, 2 on a
 * usage error.
 */
#include "net_frame.h"

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

/* A socket listening on a free port of 127.0.0.1; its number in *port. */
static int listening(unsigned *port)
{
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		perror("riscv-tcp-peer: socket");
		exit(1);
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* Writes all of data[len]: 0, or -1 once the connection failed. */
static int write_all(int conn, const void *data, size_t len)
{
	const char *p = data;
	for (size_t done = 0; done < len;) {
		ssize_t w = write(conn, p + done, len - done);
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* One frame: its header, then len bytes of payload. */
static int send_frame(int conn, enum net_frame_kind kind, uint32_t id,
                      const void *payload, uint32_t len)
{
	/* one write: header and payload in one segment */
	unsigned char frame[NET_FRAME_HEADER + NET_FRAME_PAYLOAD_MAX];
	net_frame_header(frame, kind, id, len);
	if (len)
		memcpy(frame + NET_FRAME_HEADER, payload, len);
	return write_all(conn, frame, NET_FRAME_HEADER + len);
}

/* A peer's side of the TCP connection: what it does at each event. */
struct peer {
	int conn;
	struct net_frame_decoder in;
	uint32_t ids;       /* dialling: the newest id it opened */
	uint32_t before;    /* listening: the connection opened before */
	const char *attack; /* hostile's, or NULL */
	int flood;          /* writes the open connection without end */
	unsigned long flood_sent;
};

static int open_next(struct peer *p)
{
	p->ids++;
	return net_frame_open(&p->in, p->ids) ||
	       send_frame(p->conn, NET_FRAME_OPEN, p->ids, NULL, 0);
}

/* hostile: what it sends at an OPEN of connection `id`. */
static int attack(struct peer *p, uint32_t id)
{
	static const char stale[] = "stale bytes\n";
	static const char ghost[] = "ghost\n";
	unsigned char head[NET_FRAME_HEADER];
	if (!strcmp(p->attack, "garbage"))
		return write_all(p->conn, "garbage!\n", 9);
	if (!strcmp(p->attack, "oversize")) {
		static unsigned char big[NET_FRAME_PAYLOAD_MAX + 1];
		net_frame_header(head, NET_FRAME_DATA, id, 0);
		head[2] = (unsigned char)((NET_FRAME_PAYLOAD_MAX + 1) >> 8);
		head[3] = (unsigned char)(NET_FRAME_PAYLOAD_MAX + 1);
		return write_all(p->conn, head, sizeof(head)) ||
		       write_all(p->conn, big, sizeof(big));
	}
	if (!strcmp(p->attack, "ghost"))
		return send_frame(p->conn, NET_FRAME_DATA, id + 1, ghost,
		                  sizeof(ghost) - 1);
	if (!strcmp(p->attack, "stale") && p->before)
		return send_frame(p->conn, NET_FRAME_DATA, p->before, stale,
		                  sizeof(stale) - 1);
	return 0;
}

/* One event of the other side's frames taken: 0, or -1 to end. */
static int take(struct peer *p, const struct net_frame_event *ev)
{
	switch (ev->kind) {
	case NET_FRAME_OPENED:
		p->flood_sent = 0;
		if (p->attack && attack(p, ev->id))
			return -1;
		p->before = ev->id;
		return 0;
	case NET_FRAME_BYTES:
		return p->flood ? 0
		                : send_frame(p->conn, NET_FRAME_DATA, ev->id,
		                             ev->bytes, (uint32_t)ev->len);
	case NET_FRAME_CLOSED:
		return p->in.dials ? open_next(p)
		                   : send_frame(p->conn, NET_FRAME_CLOSE,
		                                ev->id, NULL, 0);
	case NET_FRAME_REFUSED:
		fprintf(stderr, "riscv-tcp-peer: refused core's stream: %s\n",
		        ev->why);
		return -1;
	default:
		return 0;
	}
}

/* Writes a page of the open connection: byte i of a connection is
 * i mod 251, as tests/riscv/rt/netclient.c checks it (bytes lost,
 * doubled or of another connection show unless a multiple of 251: a
 * page's 4096 do). */
static int flood_page(struct peer *p)
{
	unsigned char buf[NET_FRAME_PAYLOAD_MAX];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)((p->flood_sent + i) % 251u);
	if (send_frame(p->conn, NET_FRAME_DATA, p->in.cur, buf, sizeof(buf)))
		return -1;
	p->flood_sent += sizeof(buf);
	return 0;
}

/* Talks over conn until STOP, the lifetime's end, or an error. */
static void talk(struct peer *p, const char *stop)
{
	unsigned char buf[4096];
	struct pollfd fd = { p->conn, POLLIN, 0 };

	if (p->in.dials && open_next(p))
		goto out;
	while (access(stop, F_OK) != 0 && !expired()) {
		int flooding = p->flood && p->in.cur != 0;
		fd.events = (short)(POLLIN | (flooding ? POLLOUT : 0));
		if (poll(&fd, 1, TICK_MS) <= 0)
			continue;
		if (fd.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(p->conn, buf, sizeof(buf));
			if (n <= 0)
				break;
			for (size_t off = 0; off < (size_t)n;) {
				struct net_frame_event ev;
				off += net_frame_decode(&p->in, buf + off,
				                        (size_t)n - off, &ev);
				if (take(p, &ev))
					goto out;
			}
		}
		if ((fd.revents & POLLOUT) && p->in.cur != 0 && flood_page(p))
			break;
	}
out:
	close(p->conn);
}

static void echo(int conn, const char *stop, const char *attack_name)
{
	struct peer p = { .conn = conn, .attack = attack_name };
	net_frame_decoder_init(&p.in, 0);
	talk(&p, stop);
}

static void flood(int conn, const char *stop, const char *unused)
{
	struct peer p = { .conn = conn, .flood = 1 };
	(void)unused;
	net_frame_decoder_init(&p.in, 0);
	talk(&p, stop);
}

static int serve(const char *port_file, const char *stop,
                 void (*peer)(int conn, const char *stop, const char *arg),
                 const char *arg)
{
	char tmp[4096];
	unsigned port;
	int conn, fd = listening(&port);
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
	peer(conn, stop, arg);
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
			struct peer p = { .conn = fd };
			net_frame_decoder_init(&p.in, 1);
			talk(&p, stop);
			return 0;
		}
		close(fd);
		tick();
	}
	return 1;
}

int main(int argc, char **argv)
{
	deadline = time(NULL) + LIFETIME_S;
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3], echo, NULL);
	if (argc == 4 && strcmp(argv[1], "flood") == 0)
		return serve(argv[2], argv[3], flood, NULL);
	if (argc == 5 && strcmp(argv[1], "hostile") == 0 &&
	    (!strcmp(argv[4], "garbage") || !strcmp(argv[4], "oversize") ||
	     !strcmp(argv[4], "ghost") || !strcmp(argv[4], "stale")))
		return serve(argv[2], argv[3], echo, argv[4]);
	if (argc == 4 && strcmp(argv[1], "connect") == 0)
		return dial(argv[2], argv[3]);
	fprintf(stderr, "usage: riscv-tcp-peer serve PORTFILE STOP | flood "
	                "PORTFILE STOP | hostile PORTFILE STOP "
	                "garbage|oversize|ghost|stale | connect PORT STOP\n");
	return 2;
}
