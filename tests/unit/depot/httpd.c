/*
 * The unit tests' static file server (see httpd.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpd.h"

struct httpd {
	char root[512];
	int listen_fd, port;
	atomic_int stop;
	pthread_t thread;
};

static void send_all(int fd, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		data += w;
		n -= (size_t)w;
	}
}

static void send_file(int fd, const char *path)
{
	char head[128], buf[65536];
	struct stat st;
	int file = open(path, O_RDONLY | O_CLOEXEC);
	if (file < 0 || fstat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		static const char missing[] = "HTTP/1.0 404 Not Found\r\n"
					      "Content-Length: 0\r\n\r\n";
		send_all(fd, missing, sizeof missing - 1);
		if (file >= 0)
			close(file);
		return;
	}
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.0 200 OK\r\nContent-Length:"
	                 " %lld\r\n\r\n",
	                 (long long)st.st_size);
	send_all(fd, head, (size_t)n);
	ssize_t got;
	while ((got = read(file, buf, sizeof buf)) > 0)
		send_all(fd, buf, (size_t)got);
	close(file);
}

static void answer(struct httpd *h, int fd)
{
	char request[2048], path[1024], file[1600];
	size_t used = 0;
	ssize_t n;
	while (used < sizeof request - 1 &&
	       (n = recv(fd, request + used, sizeof request - 1 - used, 0)) >
	               0) {
		used += (size_t)n;
		request[used] = '\0';
		if (strstr(request, "\r\n\r\n"))
			break;
	}
	request[used] = '\0';
	if (sscanf(request, "GET %1023s HTTP/", path) != 1 ||
	    strstr(path, "..")) {
		static const char bad[] = "HTTP/1.0 400 Bad Request\r\n"
					  "Content-Length: 0\r\n\r\n";
		send_all(fd, bad, sizeof bad - 1);
		return;
	}
	snprintf(file, sizeof file, "%s%s", h->root, path);
	send_file(fd, file);
}

static void *serve(void *arg)
{
	struct httpd *h = arg;
	while (!atomic_load(&h->stop)) {
		struct pollfd p = { .fd = h->listen_fd, .events = POLLIN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		int fd = accept(h->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		answer(h, fd);
		close(fd);
	}
	return NULL;
}

struct httpd *httpd_start(const char *root)
{
	struct httpd *h = calloc(1, sizeof *h);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof addr;
	assert_non_null(h);
	snprintf(h->root, sizeof h->root, "%s", root);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(h->listen_fd >= 0);
	assert_int_equal(bind(h->listen_fd, (struct sockaddr *)&addr,
	                      sizeof addr),
	                 0);
	assert_int_equal(listen(h->listen_fd, 16), 0);
	assert_int_equal(getsockname(h->listen_fd, (struct sockaddr *)&addr,
	                             &len),
	                 0);
	h->port = ntohs(addr.sin_port);
	assert_int_equal(pthread_create(&h->thread, NULL, serve, h), 0);
	return h;
}

int httpd_port(const struct httpd *h)
{
	return h->port;
}

void httpd_stop(struct httpd *h)
{
	atomic_store(&h->stop, 1);
	pthread_join(h->thread, NULL);
	close(h->listen_fd);
	free(h);
}
