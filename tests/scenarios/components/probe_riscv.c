/*
 * The riscv platform's part of the scenario probe (probe_platform.h): a
 * domain has no files, sockets or processes, so each confinement command
 * says so and tries nothing; a memory object has no number to show.
 */
#include "probe_platform.h"

#include <string.h>

int probe_confine_command(env_t *env, const char *line, const kcap_t *caps,
                          size_t count)
{
	(void)caps;
	(void)count;
	if (strcmp(line, "hostile") != 0 && strcmp(line, "spoil-caps") != 0 &&
	    strcmp(line, "open-library") != 0)
		return 0;
	env_log(env, "%s: nothing to try (no files, sockets or processes here)",
	        line);
	return 1;
}

unsigned long long probe_object_id(kcap_t dataspace)
{
	(void)dataspace;
	return 0;
}
