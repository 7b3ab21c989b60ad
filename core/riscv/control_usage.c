/*
 * The usage frame of the control channel (control_usage.h). The frame is
 * its header line alone, decoded whole before the kernel is asked; the
 * answer is built in a fixed buffer and sent as one report frame, so the
 * host never reads half of one.
 */
#include "control_usage.h"

#include "control_channel.h"
#include "domain_output_ring.h"
#include "host_frames.h"

#include "decimal.h"

#include "sys.h"
#include "../../kernel/riscv/abi.h"

#include <kernel/kernel.h>
#include <runtime/str.h>

#include <string.h>

#define USAGE_REPORT "core.kernel_usage"
/* A line per domain (PD_MAX 16, kernel/riscv/thread.h) and core's, each
 * under 160 bytes, a line per thread of the machine (64), each under 80,
 * and the three lines before them. */
#define USAGE_MAX 12288u
#define THREADS_MAX 64u /* the machine's (kernel/riscv/thread.h) */

static const char *const count_names[PD_USE_KINDS] = {
	[PD_OBJ_THREAD] = "threads", [PD_OBJ_ENDPOINT] = "endpoints",
	[PD_OBJ_SIGNAL] = "signals", [PD_OBJ_WAITSET] = "waitsets",
	[PD_OBJ_MEM] = "mems",       [PD_USE_FRAMES] = "frames",
	[PD_USE_SLOTS] = "slots",    [PD_USE_MAPS] = "maps",
};

/* A line of `text`: `who` and each count the kernel has of domain
 * `kernel_id` (-1: core). 0, or -1 when it did not fit. */
static int add_domain(char *text, const char *who, long kernel_id)
{
	if (str_append_format(text, USAGE_MAX, "%s", who) < 0)
		return -1;
	for (long k = 0; k < PD_USE_KINDS; k++)
		if (str_append_format(text, USAGE_MAX, " %s %ld",
		                      count_names[k],
		                      sys_call2(SYS_PD_USAGE, kernel_id, k)) <
		    0)
			return -1;
	if (str_append_format(text, USAGE_MAX, "\n") < 0)
		return -1;
	static struct pd_thread threads[THREADS_MAX]; /* the main thread's */
	long n = sys_call3(SYS_PD_THREADS, kernel_id, (long)threads,
	                   THREADS_MAX);
	for (long i = 0; i < n && i < (long)THREADS_MAX; i++)
		if (str_append_format(text, USAGE_MAX,
		                      "thread %s %s switches %llu\n", who,
		                      threads[i].name[0] ? threads[i].name
		                                         : "-",
		                      (unsigned long long)threads[i].switches) <
		    0)
			return -1;
	return 0;
}

struct lines {
	char *text;
	int failed;
};

/* domain_output_ring_each's visitor: a line for one domain. */
static void add_watched(void *arg, uint64_t life_id, long kernel_id)
{
	struct lines *l = arg;
	char who[24];
	str_format(who, sizeof(who), "d%llu", (unsigned long long)life_id);
	if (add_domain(l->text, who, kernel_id) != 0)
		l->failed = 1;
}

int control_usage_frame(const char *line)
{
	return strncmp(line, "usage ", 6) == 0;
}

int control_usage_take(struct config_watch *w, char *line)
{
	(void)w;
	char *words[2];
	uint64_t request;
	if (control_words(line, words, 2) != 2 ||
	    decimal_parse(words[1], strlen(words[1]), 10, UINT32_MAX,
	                  &request) != 0 ||
	    request == 0) {
		control_say("control: usage frame refused: not `usage N`, N "
		            "1..4294967295");
		return -1;
	}
	static char text[USAGE_MAX]; /* the main thread's alone */
	text[0] = '\0';
	struct lines l = { text, 0 };
	long free_ram = sys_call2(SYS_KERNEL_FREE, KERNEL_FREE_RAM, 0);
	if (str_append_format(text, USAGE_MAX,
	                      "request %llu\ntime_ms %llu\nfree_kb %ld\n",
	                      (unsigned long long)request,
	                      (unsigned long long)(kclock_ns() / 1000000u),
	                      free_ram < 0 ? free_ram : free_ram / 1024) < 0 ||
	    add_domain(text, "core", -1) != 0)
		l.failed = 1;
	else
		domain_output_ring_each(add_watched, &l);
	const char *why = "";
	if (l.failed)
		why = "more domains than the report holds";
	else if (host_frame_send("report", USAGE_REPORT, text, strlen(text),
	                         &why) == 0)
		return 0;
	control_say("control: usage report %llu not sent: %s",
	            (unsigned long long)request, why);
	return -1;
}
