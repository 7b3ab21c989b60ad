/*
 * The POSIX cksum CRC (CRC-32, MSB first, the length appended, inverted),
 * what `cksum` prints first: the check of the host frames
 * (kernel/riscv/hostframe.h), built into the host tool and into core on
 * riscv alike. Incremental: cksum_update over the pieces, then
 * cksum_finish with their total length.
 */
#ifndef RISCV_TOOL_CKSUM_H
#define RISCV_TOOL_CKSUM_H

#include <stddef.h>
#include <stdint.h>

#define CKSUM_START 0u

uint32_t cksum_update(uint32_t crc, const void *data, size_t len);
uint32_t cksum_finish(uint32_t crc, uint64_t length);

#endif
