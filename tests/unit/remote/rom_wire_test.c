/*
 * The remote ROM protocol (pkg/remote/rom/rom_wire.c): updates byte for
 * byte, assembly of a version from chunks, and hostile updates refused
 * (malformed headers, chunks out of order, versions beyond the bound).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rom_wire.h"

static uint8_t store[64];

static struct rom_assembly fresh(void)
{
	struct rom_assembly a = { store, sizeof store, 0, 0, 0, 0, 0 };
	return a;
}

static void update_bytes_and_back(void **state)
{
	uint8_t msg[ROM_WIRE_HEADER + 5];
	struct rom_chunk c = { 7, ROM_WIRE_AVAILABLE,      5, 0,
		               5, (const uint8_t *)"hello" },
			 d;
	static const uint8_t header[ROM_WIRE_HEADER] = {
		7, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0
	};
	(void)state;
	assert_int_equal(rom_wire_encode(&c, msg), sizeof msg);
	assert_memory_equal(msg, header, sizeof header);
	assert_int_equal(rom_wire_decode(msg, sizeof msg, &d), 0);
	assert_int_equal(d.version, 7);
	assert_int_equal(d.len, 5);
	assert_memory_equal(d.bytes, "hello", 5);
}

static int decode_of(uint32_t version, uint32_t flags, uint32_t total,
                     uint32_t offset, uint32_t len)
{
	uint8_t msg[ROM_WIRE_HEADER + 8] = { 0 };
	struct rom_chunk c;
	frame_put_u32(msg, version);
	frame_put_u32(msg + 4, flags);
	frame_put_u32(msg + 8, total);
	frame_put_u32(msg + 12, offset);
	return rom_wire_decode(msg, ROM_WIRE_HEADER + len, &c);
}

static void malformed_updates_refused(void **state)
{
	uint8_t shorty[ROM_WIRE_HEADER - 1] = { 0 };
	struct rom_chunk c;
	(void)state;
	assert_int_equal(rom_wire_decode(shorty, sizeof shorty, &c), -1);
	assert_int_equal(decode_of(1, 2, 0, 0, 0), -1); /* unknown flag */
	assert_int_equal(decode_of(1, 0, 4, 0, 4),
	                 -1); /* content while unavailable */
	assert_int_equal(decode_of(1, 1, 4, 2, 4), -1); /* beyond total */
	assert_int_equal(decode_of(1, 1, 4, 5, 0),
	                 -1); /* offset beyond total */
	assert_int_equal(decode_of(1, 1, 0xffffffffu, 0xfffffffcu, 8), -1);
	assert_int_equal(decode_of(1, 1, 8, 0, 8), 0);
	assert_int_equal(decode_of(1, 0, 0, 0, 0), 0); /* unavailable */
}

static void chunks_assemble_in_order(void **state)
{
	struct rom_assembly a = fresh();
	struct rom_chunk c1 = { 3, ROM_WIRE_AVAILABLE,       10, 0,
		                6, (const uint8_t *)"abcdef" };
	struct rom_chunk c2 = { 3, ROM_WIRE_AVAILABLE,     10, 6,
		                4, (const uint8_t *)"ghij" };
	struct rom_chunk gone = { 4, 0, 0, 0, 0, NULL };
	(void)state;
	assert_int_equal(rom_assembly_add(&a, &c1), 0);
	assert_int_equal(rom_assembly_add(&a, &c2), 1);
	assert_memory_equal(a.buf, "abcdefghij", 10);
	assert_int_equal(a.version, 3);
	/* the second chunk alone, or twice, breaks the order */
	assert_int_equal(rom_assembly_add(&a, &c2), -1);
	a = fresh();
	assert_int_equal(rom_assembly_add(&a, &c2), -1);
	assert_int_equal(rom_assembly_add(&a, &c1), 0);
	c2.version = 9; /* another version */
	assert_int_equal(rom_assembly_add(&a, &c2), -1);
	/* an unavailable module is whole at once */
	assert_int_equal(rom_assembly_add(&a, &gone), 1);
	assert_int_equal(a.flags, 0);
	assert_int_equal(a.total, 0);
}

static void version_beyond_bound_refused(void **state)
{
	struct rom_assembly a = fresh();
	struct rom_chunk big = { 1, ROM_WIRE_AVAILABLE,  sizeof store + 1, 0,
		                 1, (const uint8_t *)"x" };
	(void)state;
	assert_int_equal(rom_assembly_add(&a, &big), -1);
	big.total = sizeof store;
	assert_int_equal(rom_assembly_add(&a, &big), 0);
}

/* A client's want: a module name, nothing else (rom_wire.h). */
static void wants_checked(void **state)
{
	char name[ROM_WIRE_NAME_MAX + 1];
	uint8_t long_name[ROM_WIRE_NAME_MAX + 1];
	(void)state;
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"shared", 6,
	                                      name),
	                 0);
	assert_string_equal(name, "shared");
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"a.B_c-1", 7,
	                                      name),
	                 0);
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"", 0, name),
	                 -1);
	assert_int_equal(rom_wire_want_decode((const uint8_t *)".", 1, name),
	                 -1);
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"..", 2, name),
	                 -1);
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"a/b", 3, name),
	                 -1);
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"a\0b", 3, name),
	                 -1);
	assert_int_equal(rom_wire_want_decode((const uint8_t *)"a b", 3, name),
	                 -1);
	memset(long_name, 'x', sizeof long_name);
	assert_int_equal(rom_wire_want_decode(long_name, ROM_WIRE_NAME_MAX,
	                                      name),
	                 0);
	assert_int_equal(strlen(name), ROM_WIRE_NAME_MAX);
	assert_int_equal(rom_wire_want_decode(long_name, ROM_WIRE_NAME_MAX + 1,
	                                      name),
	                 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(update_bytes_and_back),
		cmocka_unit_test(malformed_updates_refused),
		cmocka_unit_test(chunks_assemble_in_order),
		cmocka_unit_test(version_beyond_bound_refused),
		cmocka_unit_test(wants_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
