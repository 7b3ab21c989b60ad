/*
 * What linux's core has and riscv's has not, each in the shape the shared
 * services call (depot_rom.h, domain_output.h; config_watch.h is the
 * control channel, control.c), and why:
 *   - no depot: archives come as a boot image assembled from them, so a
 *     ROM request for a depot file is refused with that reason;
 *   - no pipes for a domain's stdout and stderr: a component's output
 *     goes to the console through the kernel, labelled by its domain's
 *     name there.
 */
#include "depot_rom.h"
#include "domain_output.h"

#include <runtime/str.h>

enum depot_rom_status depot_rom_read(struct target *t, const char *archive,
                                     const char *name, kcap_t *mem,
                                     size_t *size, char *why, size_t why_size)
{
	(void)t;
	(void)name;
	(void)mem;
	(void)size;
	str_format(why, why_size,
	           "archive %s: there is no depot on riscv; the "
	           "boot image holds the ROMs",
	           archive);
	return DEPOT_ROM_MISSING;
}

enum depot_rom_status depot_rom_index(struct target *t, const char *archive,
                                      kcap_t *mem, size_t *size)
{
	(void)t;
	(void)archive;
	(void)mem;
	(void)size;
	return DEPOT_ROM_MISSING;
}

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
