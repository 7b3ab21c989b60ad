/*
 * What the domains write to stdout and stderr, on riscv (core/README.md,
 * "core on riscv"): the kernel keeps it in each domain's output rings
 * (kernel/riscv/outring.h); core takes it (SYS_OUTPUT_READ), splits it
 * into lines as linux core does (output_lines.h, "(stdout) ..." and
 * "(stderr) ...") and sends them to the host as frames "log ID"
 * (kernel/riscv/hostframe.h), which riscv-console writes into the log
 * files and, within the terminal's limit, onto the terminal, as linux
 * core writes a domain's lines.
 *
 * This file's other half is domain_output.h, which the PD service calls
 * (start, stop); a domain is watched from its creation to its end by the
 * ID that domain_life.c gives it for the host. The main thread reads the
 * rings between its reads of the control channel (control.c): no thread
 * of its own (the kernel's threads are few, control.c says).
 */
#ifndef CORE_RISCV_DOMAIN_OUTPUT_RING_H
#define CORE_RISCV_DOMAIN_OUTPUT_RING_H

#include <kernel/pd.h>

#include <stdint.h>

/* Begins reading the output of `domain`, told to the host as `life_id`.
 * Tells core's log when it cannot (out of memory): then that domain's
 * output stays in its ring, and a domain that fills it waits. */
void domain_output_ring_watch(uint64_t life_id, kpd_t *domain);

/* Takes what is left of it (at most a ring's worth per stream, the domain
 * may still run), hands on its partial lines and forgets it. Before the
 * domain's slot is released (kpd_destroy) and before the host is told
 * of its end. */
void domain_output_ring_unwatch(uint64_t life_id);

/* Calls `visit` for every watched domain with the ID the host knows it
 * by and the kernel's id of it, under the list's lock (`visit` must not
 * call into this file): the live domains for control_usage.c. */
void domain_output_ring_each(void (*visit)(void *arg, uint64_t life_id,
                                           long kernel_id),
                             void *arg);

/* Reads every watched domain's rings once and sends what came. 1 if
 * anything came (then the caller comes back soon), else 0. */
int domain_output_ring_poll(void);

#endif
