/*
 * The reader of domains' standard output and error (domain_output.h): one
 * thread of core with one epoll over the read ends of every domain's two
 * pipes, plus an eventfd that asks it to stop.
 *
 * Why a thread of its own and not core's entrypoint: the entrypoint's
 * waitset knows endpoints and signals only (the kernel interface has no
 * file descriptors), and every read, split and log write done there would
 * delay the RPCs of all components; a domain that floods its stderr would
 * slow down everybody's sessions. The reader thread is the only place that
 * blocks on the pipes, and its work per wakeup is bounded: one read of at
 * most READ_CHUNK bytes from each ready pipe (non-blocking), then back to
 * epoll_wait. epoll reports level-triggered descriptors that stay ready
 * again after the others, so a flooding pipe takes its turn with the rest
 * and cannot starve them; a pipe that core does not empty fills up and
 * blocks its writer, so core never buffers more than a line per pipe.
 *
 * The sink (target_log for core) is called on the reader thread, and for
 * the last lines on the thread that stops the reader; target_log takes the
 * target's log lock for each line, so lines from here and from the
 * entrypoint never interleave.
 *
 * The list of watched pipes is added to by the thread that starts domains
 * (core's entrypoint) and taken from by the reader thread, under `lock`;
 * a pipe's line state belongs to the reader thread alone.
 */
#include "domain_output.h"

#include "output_lines.h"

#include <kernel/kernel.h>
#include <runtime/session_args.h>
#include <runtime/str.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

enum {
	READ_CHUNK = 4096,     /* bytes read from a pipe per wakeup */
	DRAIN_MAX = 64 * 1024, /* bytes read from a pipe when stopping */
	EVENTS_MAX = 16,
};

struct watched_pipe {
	struct watched_pipe *next;
	struct domain_output *output;
	int fd;             /* read end, non-blocking */
	const char *marker; /* "(stdout)", "(stderr)" */
	char label[SESSION_LABEL_MAX];
	struct output_lines lines;
};

struct domain_output {
	kthread_t *thread;
	int epoll_fd;
	int stop_fd; /* eventfd: the stop request */
	domain_output_sink *sink;
	void *sink_arg;
	pthread_mutex_t lock; /* guards `pipes` and `count` */
	struct watched_pipe *pipes;
	unsigned count;
};

/* output_lines' callback: the line, marked, to the sink. */
static void hand_on(void *arg, const char *line)
{
	struct watched_pipe *p = arg;
	char marked[OUTPUT_LINE_MAX + 16];
	str_format(marked, sizeof(marked), "%s %s", p->marker, line);
	p->output->sink(p->output->sink_arg, p->label, marked);
}

/* The pipe's end: its last line out, then forgotten and closed. */
static void unwatch(struct watched_pipe *p)
{
	struct domain_output *o = p->output;
	output_lines_finish(&p->lines, hand_on, p);
	pthread_mutex_lock(&o->lock);
	for (struct watched_pipe **at = &o->pipes; *at; at = &(*at)->next)
		if (*at == p) {
			*at = p->next;
			break;
		}
	o->count--;
	pthread_mutex_unlock(&o->lock);
	epoll_ctl(o->epoll_fd, EPOLL_CTL_DEL, p->fd, NULL);
	close(p->fd);
	free(p);
}

/* One read of at most `max` bytes. 1: data came, 0: nothing now, -1: the
 * pipe ended (every writer gone, or an error that no retry mends). */
static int read_once(struct watched_pipe *p, size_t max)
{
	char chunk[READ_CHUNK];
	ssize_t n = read(p->fd, chunk,
	                 max < sizeof(chunk) ? max : sizeof(chunk));
	if (n > 0) {
		output_lines_feed(&p->lines, chunk, (size_t)n, hand_on, p);
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;
}

/* When stopping: what is left, up to DRAIN_MAX bytes, then the end. */
static void drain(struct watched_pipe *p)
{
	size_t left = DRAIN_MAX;
	while (left > 0 && read_once(p, left) == 1)
		left -= left < READ_CHUNK ? left : READ_CHUNK;
	unwatch(p);
}

static void drain_all(struct domain_output *o)
{
	for (;;) {
		pthread_mutex_lock(&o->lock);
		struct watched_pipe *p = o->pipes;
		pthread_mutex_unlock(&o->lock);
		if (!p)
			return;
		drain(p);
	}
}

static void reader_main(void *arg)
{
	struct domain_output *o = arg;
	for (;;) {
		struct epoll_event events[EVENTS_MAX];
		int n = epoll_wait(o->epoll_fd, events, EVENTS_MAX, -1);
		if (n < 0 && errno != EINTR)
			return; /* cannot wait any more: stop() drains the rest */
		int stopping = 0;
		for (int i = 0; i < n; i++) {
			struct watched_pipe *p = events[i].data.ptr;
			if (!p)
				stopping = 1;
			else if (read_once(p, READ_CHUNK) < 0)
				unwatch(p);
		}
		if (stopping)
			return;
	}
}

static void output_free(struct domain_output *o)
{
	if (o->epoll_fd >= 0)
		close(o->epoll_fd);
	if (o->stop_fd >= 0)
		close(o->stop_fd);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

int domain_output_start(struct domain_output **out, domain_output_sink *sink,
                        void *sink_arg)
{
	struct domain_output *o = calloc(1, sizeof(*o));
	if (!o)
		return KERR_NOMEM;
	pthread_mutex_init(&o->lock, NULL);
	o->sink = sink;
	o->sink_arg = sink_arg;
	o->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	o->stop_fd = eventfd(0, EFD_CLOEXEC);
	struct epoll_event stop = { .events = EPOLLIN, .data.ptr = NULL };
	if (o->epoll_fd < 0 || o->stop_fd < 0 ||
	    epoll_ctl(o->epoll_fd, EPOLL_CTL_ADD, o->stop_fd, &stop) != 0 ||
	    kthread_create(&o->thread, "domain-output", (size_t)128 * 1024,
	                   reader_main, o) != 0) {
		output_free(o);
		return KERR_NOMEM;
	}
	*out = o;
	return 0;
}

/* Makes one pipe and watches its read end; its write end in *write_fd. */
static int watch_new_pipe(struct domain_output *o, const char *label,
                          const char *marker, int *write_fd)
{
	int ends[2];
	struct watched_pipe *p = calloc(1, sizeof(*p));
	if (!p || pipe2(ends, O_CLOEXEC) != 0) {
		free(p);
		return KERR_NOMEM;
	}
	p->output = o;
	p->fd = ends[0];
	p->marker = marker;
	str_copy(p->label, label, sizeof(p->label));
	output_lines_init(&p->lines);
	struct epoll_event event = { .events = EPOLLIN, .data.ptr = p };
	pthread_mutex_lock(&o->lock);
	int rc = fcntl(ends[0], F_SETFL, O_NONBLOCK);
	if (rc == 0)
		rc = epoll_ctl(o->epoll_fd, EPOLL_CTL_ADD, ends[0], &event);
	if (rc == 0) {
		p->next = o->pipes;
		o->pipes = p;
		o->count++;
	}
	pthread_mutex_unlock(&o->lock);
	if (rc != 0) {
		close(ends[0]);
		close(ends[1]);
		free(p);
		return KERR_NOMEM;
	}
	*write_fd = ends[1];
	return 0;
}

void domain_output_handed_over(int write_fds[2])
{
	close(write_fds[0]);
	close(write_fds[1]);
}

int domain_output_open(struct domain_output *o, const char *label,
                       int write_fds[2])
{
	int rc = watch_new_pipe(o, label, "(stdout)", &write_fds[0]);
	if (rc != 0)
		return rc;
	rc = watch_new_pipe(o, label, "(stderr)", &write_fds[1]);
	if (rc != 0)
		close(write_fds[0]); /* the reader sees the end of that pipe */
	return rc;
}

void domain_output_stop(struct domain_output *o)
{
	if (!o)
		return;
	uint64_t one = 1;
	ssize_t ignored = write(o->stop_fd, &one, sizeof(one));
	(void)ignored;
	kthread_join(o->thread);
	drain_all(o); /* the reader thread has ended: nobody else reads */
	output_free(o);
}
