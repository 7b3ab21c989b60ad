/*
 * The `usage` frame of the control channel (control.c): a host asks what
 * the kernel holds for core and for each domain core started, and core
 * answers with the report `core.kernel_usage` (report frames, so the host
 * reads it as TARGET/report/core.kernel_usage):
 *
 *     usage N                  N a decimal 1..2^32-1 the host chooses
 *
 * answered by
 *
 *     request N
 *     time_ms MS                          the machine's clock (kclock_ns)
 *     free_kb KB                          the machine's free frames
 *     core threads T endpoints E signals S waitsets W mems M frames F slots C maps P
 *     thread core NAME switches N         each of core's threads
 *     dID threads T ...                   each live domain by the ID the
 *                                         host knows it by ($T/domains)
 *     thread dID NAME switches N          and each of its threads
 *
 * the counts being the kernel's (SYS_PD_USAGE): its objects of each kind,
 * the frames charged to it, capability slots in use and mappings; and
 * for each live thread its name (`-` for none) and how often the
 * scheduler switched to it (SYS_PD_THREADS). A host compares two
 * answers taken at rest to find leaks (scenario 57's soak on riscv:
 * tests/riscv-scenarios/qemu-riscv64.sh, leak_measures), or a thread
 * that wakes while it should sleep (59: thread_switches).
 */
#ifndef CORE_RISCV_CONTROL_USAGE_H
#define CORE_RISCV_CONTROL_USAGE_H

struct config_watch;

/* Whether `line` is the header of a usage frame. */
int control_usage_frame(const char *line);

/* Takes the frame `line` (changed here): the report sent, 0; or one
 * line saying why not, -1. */
int control_usage_take(struct config_watch *w, char *line);

#endif
