/*
 * What linux's core has and riscv's has not, each in the shape the shared
 * services call (domain_output.h; config_watch.h is the control channel,
 * control.c; depot_rom.h is depot_modules.c), and why:
 *   - no pipes for a domain's stdout and stderr: a component's output
 *     goes to the console through the kernel, labelled by its domain's
 *     name there.
 */
#include "domain_output.h"

#include <stddef.h>

int domain_output_start(struct domain_output **output, domain_output_sink *sink,
                        void *sink_arg)
{
	(void)sink;
	(void)sink_arg;
	*output = NULL;
	return 0;
}

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

void domain_output_stop(struct domain_output *output)
{
	(void)output;
}
