/*
 * The decimals of the riscv console's frame headers, both ways: the
 * control channel's `rom NAME SIZE CHECK` that core on riscv reads
 * (core/riscv/control.c) and the host frames riscv-console reads
 * (console_decode.c). Built into core on riscv and the host tool alike,
 * as cksum.h. Digits only: no sign, no spaces, no leading '+'.
 */
#ifndef RISCV_TOOL_DECIMAL_H
#define RISCV_TOOL_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* The decimal s[0..len) of 1..digits digits and at most max into *out:
 * 0, or -1 (then *out is untouched). digits <= 19 keeps it in 64 bits. */
int decimal_parse(const char *s, size_t len, unsigned digits, uint64_t max,
                  uint64_t *out);

#endif
