/*
 * A component for the riscv suite's tests of core's frames to the host
 * (frames_on_virtio_console, frames_host_stalled): one report of
 * REPORT_BYTES, numbered lines of 16 bytes ("%015d\n"), which the host
 * makes alike to compare; then a log line saying so. Its session stays
 * open (the component returns and lives on), so the report stays on the
 * host until the machine ends.
 */
#include <runtime/env.h>
#include <runtime/report_connection.h>
#include <runtime/str.h>

#include <stdlib.h>

#define REPORT_BYTES (512u * 1024u) /* more than QEMU's fifo and core's
                                     * transmit buffers hold together */
#define LINE_BYTES   16u

void component_construct(env_t *env)
{
	static report_connection_t report; /* open for the component's life */
	char *text = malloc(REPORT_BYTES + 1);
	if (!text) {
		env_log(env, "no memory for the report");
		env_exit(env, 1);
	}
	for (unsigned i = 0; i < REPORT_BYTES / LINE_BYTES; i++)
		str_format(text + i * LINE_BYTES, LINE_BYTES + 1, "%015u\n", i);
	int rc = report_connection_open(&report, env, "big", REPORT_BYTES);
	if (!rc)
		rc = report_connection_submit(&report, text, REPORT_BYTES);
	free(text);
	if (rc) {
		env_log(env, "report: %s", runtime_strerror(rc));
		env_exit(env, 1);
	}
	env_log(env, "reported %u bytes", REPORT_BYTES);
}
