/*
 * The words for a domain that a fault ended, on every platform, in
 * libruntime because both core and init say them (core's "'x' was killed
 * by WORDS", pd_service.c; init's "child "x" died of a fault (NUMBER)",
 * runtime/init/supervise.c). What went wrong comes first, in words that
 * mean the same on linux and on riscv, then the platform's own number and
 * name, so that one pattern (a scenario's "killed by an invalid memory
 * access") reads both platforms' lines:
 *
 *   linux:  an invalid memory access (signal 11, SIGSEGV)
 *   riscv:  an invalid memory access (exception 15, store page fault)
 *
 * A code of no fault class (SIGKILL, SIGTERM, an ecall exception) reads
 * "signal 9 (SIGKILL)" or "exception 9 (killed by its creator)"; an
 * unknown code "signal 99 (unknown)".
 *
 * Which numbering a code is in is the platform's to say (kfault_numbering,
 * each platform's kernel library); the words are here once for both.
 */
#ifndef RUNTIME_FAULT_WORDS_H
#define RUNTIME_FAULT_WORDS_H

#include <kernel/kernel.h>

#include <stddef.h>

/* The words for a domain killed for fault `code` of `numbering`: a signal
 * (the platform's <signal.h> numbers, linux's kernel sends them) or an
 * exception (scause, the RISC-V privileged spec's numbering). */
void fault_words_in(enum kfault_numbering numbering, int code, char *out,
                    size_t size);

/* The fault's number alone, as init's line has it: "signal 11" (a linux
 * signal's number is what people know it by, and init's lines on linux
 * read so), "exception 13, load page fault" (a riscv cause is named, as
 * no one knows 13 by heart), "exception 14, unknown". */
void fault_number_in(enum kfault_numbering numbering, int code, char *out,
                     size_t size);

/* The same in this platform's numbering (kfault_numbering()). */
void fault_words(int code, char *out, size_t size);
void fault_number(int code, char *out, size_t size);

#endif
