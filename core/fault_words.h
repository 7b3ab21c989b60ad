/*
 * The words core uses for a domain that a fault ended, on every platform:
 * core's line "'x' was killed by WORDS" (pd_service.c) names what went
 * wrong first, in words that mean the same on linux and on riscv, then
 * the platform's own number and name, so that one pattern (a scenario's
 * "killed by an invalid memory access") reads both platforms' lines:
 *
 *   linux:  an invalid memory access (signal 11, SIGSEGV)
 *   riscv:  an invalid memory access (exception 15, store page fault)
 *
 * A code of no fault class (SIGKILL, SIGTERM, an ecall exception) reads
 * "signal 9 (SIGKILL)" or "exception 9 (killed by its creator)"; an
 * unknown code "signal 99 (unknown)".
 */
#ifndef CORE_FAULT_WORDS_H
#define CORE_FAULT_WORDS_H

#include <stddef.h>

/* The words for a domain killed by `signal` (the platform's <signal.h>
 * numbers: linux's kernel sends them). */
void fault_words_signal(int signal, char *out, size_t size);

/* The words for a domain the riscv kernel killed for exception `cause`
 * (scause, the RISC-V privileged spec's numbering). */
void fault_words_exception(int cause, char *out, size_t size);

#endif
