/*
 * The Report service's sink on riscv (report_sink.h): core has no file
 * system, so each report goes to the host as a frame ("report NAME",
 * kernel/riscv/hostframe.h) and the host tool writes DIR/report/NAME as
 * linux core does (temp file, rename); a report no session holds any
 * more is an "unreport NAME" frame, and the tool removes the file. What
 * an earlier run left is the tool's to remove (it starts with the run).
 */
#include "report_sink.h"

#include "host_frames.h"

#include <kernel/kernel.h>

/* Nothing to hold: the console is the kernel's. A sink is still handed
 * out, so the service's calls read alike on both platforms. */
struct report_sink {
	int unused;
};

int report_sink_open(struct target *target, struct report_sink **out)
{
	(void)target;
	static struct report_sink the_console; /* stateless: one for all */
	*out = &the_console;
	return 0;
}

int report_sink_write(struct report_sink *sink, const char *name,
                      const void *data, size_t length, const char **why)
{
	(void)sink;
	return host_frame_send("report", name, data, length, why);
}

int report_sink_remove(struct report_sink *sink, const char *name,
                       const char **why)
{
	(void)sink;
	return host_frame_send("unreport", name, "", 0, why);
}

void report_sink_close(struct report_sink *sink)
{
	(void)sink;
}
