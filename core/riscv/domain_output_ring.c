/*
 * The domains' output on riscv (domain_output_ring.h): the watched
 * domains, their line splitters, and the frames "log ID" whose body is
 * the lines that came, each "(stdout) TEXT\n" or "(stderr) TEXT\n", TEXT
 * printable (output_lines.h), so the host needs no more than to check
 * them (riscv-console refuses a body that breaks this).
 */
#include "domain_output.h"
#include "domain_output_ring.h"

#include "core_platform.h"
#include "host_frames.h"
#include "output_lines.h"

#include "kpd_id.h"
#include "sys.h"
#include "../../kernel/riscv/abi.h"
#include "../../kernel/riscv/hostframe.h"
#include "../../kernel/riscv/outring.h"

#include <runtime/lock.h>
#include <runtime/str.h>

#include <stdlib.h>
#include <string.h>

/* A frame's body: many lines in one frame, and always room for one more
 * (a line with its marker and newline) before it is sent. */
#define BODY_MAX (8u * 1024u)
#define MARKED_MAX (OUTPUT_LINE_MAX + 16u)

struct watched {
	struct watched *next;
	uint64_t life_id;
	long kernel_id;
	struct output_lines lines[2]; /* stdout, stderr */
};

struct domain_output {
	struct lock lock; /* the list and the body: main thread, entrypoint */
	int started;
	struct watched *domains;
	/* the frame being filled, of one domain at a time */
	uint64_t body_of;
	const char *marker;
	size_t body_len;
	char body[BODY_MAX];
	char read[OUTRING_SIZE];
};

/* One reader per machine: the PD service starts it, and the platform's
 * hooks of a domain's life (domain_life.c), which have no context, reach
 * it here. */
static struct domain_output the_output = { .lock = LOCK_INIT };

static void send_body(struct domain_output *o)
{
	char arg[24];
	const char *why = "";
	if (o->body_len == 0)
		return;
	str_format(arg, sizeof(arg), "%llu", (unsigned long long)o->body_of);
	if (host_frame_send("log", arg, o->body, o->body_len, &why) != 0)
		target_logf(NULL, "domain %s: its output lost: %s", arg, why);
	o->body_len = 0;
}

/* output_lines' emit: the line, marked, into the body. */
static void add_line(void *arg, const char *line)
{
	struct domain_output *o = arg;
	if (o->body_len + MARKED_MAX + 1 > sizeof(o->body))
		send_body(o);
	int n = str_format(o->body + o->body_len, MARKED_MAX, "%s %s\n",
	                   o->marker, line);
	o->body_len += n < 0 ? strlen(o->body + o->body_len) : (size_t)n;
}

/* One read of each of its streams, handed on; whether anything came. */
static int read_domain(struct domain_output *o, struct watched *w, int finish)
{
	static const char *const markers[2] = { "(stdout)", "(stderr)" };
	static const long streams[2] = { OUTPUT_STDOUT, OUTPUT_STDERR };
	int came = 0;
	o->body_of = w->life_id;
	for (int s = 0; s < 2; s++) {
		long n = sys_call4(SYS_OUTPUT_READ, w->kernel_id, streams[s],
		                   (long)o->read, sizeof(o->read));
		o->marker = markers[s];
		if (n > 0) {
			output_lines_feed(&w->lines[s], o->read, (size_t)n,
			                  add_line, o);
			came = 1;
		}
		if (finish)
			output_lines_finish(&w->lines[s], add_line, o);
	}
	send_body(o);
	return came;
}

int domain_output_start(struct domain_output **output, domain_output_sink *sink,
                        void *sink_arg)
{
	/* the lines go to the host as frames, which riscv-console writes as
	 * linux core's sink (target_log) does */
	(void)sink;
	(void)sink_arg;
	struct domain_output *o = &the_output;
	/* from here on, every domain's output goes into its rings */
	long rc = sys_call4(SYS_OUTPUT_READ, -1, OUTPUT_STDOUT, 0, 0);
	if (rc < 0)
		return (int)rc;
	lock_acquire(&o->lock);
	o->started = 1;
	lock_release(&o->lock);
	*output = o;
	return 0;
}

/* Nothing to open: the rings are the kernel's, made with the domain. */
int domain_output_open(struct domain_output *output, const char *label,
                       int write_fds[2])
{
	(void)output;
	(void)label;
	write_fds[0] = write_fds[1] = -1; /* kpd_create ignores the streams */
	return 0;
}

void domain_output_handed_over(int write_fds[2])
{
	(void)write_fds;
}

void domain_output_ring_watch(uint64_t life_id, kpd_t *domain)
{
	struct domain_output *o = &the_output;
	struct watched *w = calloc(1, sizeof(*w));
	if (!w) {
		target_logf(NULL,
		            "domain %llu: no memory to read its output: it "
		            "stays in the kernel",
		            (unsigned long long)life_id);
		return;
	}
	w->life_id = life_id;
	w->kernel_id = kpd_kernel_id(domain);
	output_lines_init(&w->lines[0]);
	output_lines_init(&w->lines[1]);
	lock_acquire(&o->lock);
	if (o->started) {
		w->next = o->domains;
		o->domains = w;
		w = NULL;
	}
	lock_release(&o->lock);
	free(w);
}

/* Under the lock: takes the last of it and removes it from the list. */
static void finish(struct domain_output *o, struct watched **at)
{
	struct watched *w = *at;
	read_domain(o, w, 1);
	*at = w->next;
	free(w);
}

void domain_output_ring_unwatch(uint64_t life_id)
{
	struct domain_output *o = &the_output;
	lock_acquire(&o->lock);
	struct watched **at = &o->domains;
	while (*at && (*at)->life_id != life_id)
		at = &(*at)->next;
	if (*at)
		finish(o, at);
	lock_release(&o->lock);
}

void domain_output_ring_each(void (*visit)(void *arg, uint64_t life_id,
                                           long kernel_id),
                             void *arg)
{
	struct domain_output *o = &the_output;
	lock_acquire(&o->lock);
	for (const struct watched *w = o->domains; w; w = w->next)
		visit(arg, w->life_id, w->kernel_id);
	lock_release(&o->lock);
}

int domain_output_ring_poll(void)
{
	struct domain_output *o = &the_output;
	int came = 0;
	lock_acquire(&o->lock);
	for (struct watched *w = o->domains; w; w = w->next)
		came |= read_domain(o, w, 0);
	lock_release(&o->lock);
	return came;
}

void domain_output_stop(struct domain_output *output)
{
	if (!output)
		return;
	lock_acquire(&output->lock);
	while (output->domains)
		finish(output, &output->domains);
	output->started = 0;
	lock_release(&output->lock);
}
