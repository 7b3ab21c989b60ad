/*
 * The POSIX cksum CRC (cksum.h), a byte at a time through a table of the
 * 256 remainders made on first use (a report of 1 MiB is checked on both
 * sides: eight shifts per byte would cost core millions of instructions).
 */
#include "cksum.h"

#define POLY 0x04C11DB7u

/* The remainder of each byte; built once, then only read (a constant
 * that is cheaper to compute than to spell). */
static uint32_t table[256];
static int table_ready;

static void make_table(void)
{
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t crc = b << 24;
		for (int i = 0; i < 8; i++)
			crc = crc & 0x80000000u ? (crc << 1) ^ POLY : crc << 1;
		table[b] = crc;
	}
	table_ready = 1;
}

static uint32_t crc_byte(uint32_t crc, uint8_t byte)
{
	return (crc << 8) ^ table[(crc >> 24) ^ byte];
}

uint32_t cksum_update(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	if (!table_ready)
		make_table();
	for (size_t i = 0; i < len; i++)
		crc = crc_byte(crc, p[i]);
	return crc;
}

uint32_t cksum_finish(uint32_t crc, uint64_t length)
{
	if (!table_ready)
		make_table();
	for (; length; length >>= 8)
		crc = crc_byte(crc, (uint8_t)length);
	return ~crc;
}
