/*
 * Unit tests of what sculpt records of a riscv target's machine
 * (sculpt-cli/lib/machine.h): the record read back as written, every
 * bound kept while adding (duplicates, kinds, counts, bytes), hostile
 * records refused with their line's number and nothing taken, and the
 * lines of core's log that answer a pushed archive told apart from those
 * that do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/machine.h"

static struct machine_record record; /* ~40 KiB: off the stack */

static int parse(const char *text, struct sculpt_diag *diag)
{
	return machine_record_parse(text, strlen(text), &record, diag);
}

static void test_round_trip(void **state)
{
	struct sculpt_diag diag = { "" };
	const char *text = "image project/pkg/hello/1\n"
			   "image project/bin/riscv64/hello/1\n"
			   "pushed project/raw/data/2026-12-03b 1234\n"
			   "pushed project/pkg/other/1 1\n";
	char *again;

	(void)state;
	assert_int_equal(parse(text, &diag), 0);
	assert_int_equal(record.count, 4);
	assert_int_equal(record.pushed, 2);
	assert_int_equal(record.pushed_bytes, 1235);
	assert_true(machine_record_has(&record, "project/bin/riscv64/hello/1"));
	assert_true(machine_record_has(&record,
	                               "project/raw/data/2026-12-03b"));
	assert_false(machine_record_has(&record, "project/raw/data/1"));
	again = machine_record_format(&record);
	assert_non_null(again);
	assert_string_equal(again, text);
	free(again);
	/* an empty record: a boot image without depot ROMs */
	assert_int_equal(parse("", &diag), 0);
	assert_int_equal(record.count, 0);
	again = machine_record_format(&record);
	assert_string_equal(again, "");
	free(again);
}

static void test_add_bounds(void **state)
{
	struct sculpt_diag diag = { "" };
	char name[64];

	(void)state;
	memset(&record, 0, sizeof(record));
	assert_int_equal(machine_record_add(&record, "a/pkg/p/1", 0, 0, &diag),
	                 0);
	/* twice, another kind, not a name: refused, nothing changes */
	assert_int_not_equal(machine_record_add(&record, "a/pkg/p/1", 1, 5,
	                                        &diag),
	                     0);
	assert_non_null(strstr(diag.message, "has 'a/pkg/p/1' already"));
	assert_int_not_equal(machine_record_add(&record, "a/src/p/1", 1, 5,
	                                        &diag),
	                     0);
	assert_non_null(strstr(diag.message, "kind core does not serve"));
	assert_int_not_equal(machine_record_add(&record, "a/pkg/../1", 1, 5,
	                                        &diag),
	                     0);
	assert_non_null(strstr(diag.message, "is no archive name"));
	assert_int_not_equal(machine_record_add(&record, "a/raw/empty/1", 1, 0,
	                                        &diag),
	                     0);
	assert_int_equal(record.count, 1);
	/* the bytes of all pushed archives within the bound */
	assert_int_equal(machine_record_add(&record, "a/raw/big/1", 1,
	                                    MACHINE_PUSHED_BYTES_MAX - 10,
	                                    &diag),
	                 0);
	assert_int_equal(machine_record_room(&record, 1, 10, &diag), 0);
	assert_int_not_equal(machine_record_room(&record, 1, 11, &diag), 0);
	assert_non_null(strstr(diag.message, "takes at most 2097152"));
	assert_int_not_equal(machine_record_add(&record, "a/raw/more/1", 1, 11,
	                                        &diag),
	                     0);
	assert_int_equal(record.count, 2);
	assert_int_equal(record.pushed_bytes, MACHINE_PUSHED_BYTES_MAX - 10);
	/* the count of pushed archives within core's table */
	memset(&record, 0, sizeof(record));
	for (unsigned i = 0; i < MACHINE_PUSHED_MAX; i++) {
		snprintf(name, sizeof(name), "a/raw/r%u/1", i);
		assert_int_equal(machine_record_add(&record, name, 1, 1, &diag),
		                 0);
	}
	assert_int_not_equal(machine_record_room(&record, 1, 1, &diag), 0);
	assert_non_null(strstr(diag.message, "takes at most 16"));
	assert_int_not_equal(machine_record_add(&record, "a/raw/r99/1", 1, 1,
	                                        &diag),
	                     0);
	/* and the image's archives within a boot image's modules */
	for (unsigned i = 0; i < MACHINE_IMAGE_MAX; i++) {
		snprintf(name, sizeof(name), "a/raw/i%u/1", i);
		assert_int_equal(machine_record_add(&record, name, 0, 0, &diag),
		                 0);
	}
	assert_int_not_equal(machine_record_add(&record, "a/raw/i99/1", 0, 0,
	                                        &diag),
	                     0);
	assert_int_equal(record.count, MACHINE_PUSHED_MAX + MACHINE_IMAGE_MAX);
}

/* Each hostile record is refused with the number of its bad line and
 * leaves nothing in the record. */
static void test_hostile_records(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "image a/pkg/p/1", "line 1: no newline" },
		{ "image a/pkg/p/1\nimage a/pkg/q/1", "line 2: no newline" },
		{ "\n", "line 1: not `image ARCHIVE`" },
		{ "image a/pkg/p/1\r\n",
		  "line 1: 'a/pkg/p/1\r' is no archive" },
		{ "image  a/pkg/p/1\n", "line 1: not `image ARCHIVE`" },
		{ "pushed  5\n", "line 1: no archive name" },
		{ "image a/pkg/p/1 \n", "line 1: not `image ARCHIVE`" },
		{ "image a/pkg/p/1 5\n", "line 1: not `image ARCHIVE`" },
		{ "pushed a/pkg/p/1\n", "line 1: not `pushed ARCHIVE BYTES`" },
		{ "pushed a/pkg/p/1 5 6\n", "line 1: not `pushed" },
		{ "pushed a/pkg/p/1 -5\n", "line 1: BYTES is no decimal" },
		{ "pushed a/pkg/p/1 05\n", "line 1: BYTES is no decimal" },
		{ "pushed a/pkg/p/1 0\n", "line 1: a pushed archive has at" },
		{ "pushed a/pkg/p/1 99999999999999999999999\n",
		  "line 1: BYTES is no decimal" },
		{ "pushed a/pkg/p/1 18446744073709551615\n",
		  "line 1: the machine holds 0 bytes" },
		{ "pushed a/raw/x/1 2000000\npushed a/raw/y/1 2000000\n",
		  "line 2: the machine holds 2000000 bytes" },
		{ "Image a/pkg/p/1\n", "line 1: not `image ARCHIVE`" },
		{ "image a/pkg/p/1\nimage a/pkg/p/1\n",
		  "line 2: the machine has 'a/pkg/p/1' already" },
		{ "image ../pkg/p/1\n", "line 1: '../pkg/p/1' is no archive" },
		{ "image a/pkg/p\n", "line 1: 'a/pkg/p' is no archive" },
		{ "image a/api/p/1\n", "line 1: 'a/api/p/1' is of a kind" },
		{ "image a/pkg/p/1/\n", "line 1: 'a/pkg/p/1/' is no archive" },
	};
	struct sculpt_diag diag = { "" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		diag.message[0] = '\0';
		assert_int_not_equal(parse(bad[i].text, &diag), 0);
		if (!strstr(diag.message, bad[i].why))
			fail_msg("record %zu: '%s' does not say '%s'", i,
			         diag.message, bad[i].why);
		assert_int_equal(record.count, 0);
		assert_int_equal(record.pushed_bytes, 0);
	}
	/* a NUL inside a line */
	assert_int_not_equal(machine_record_parse("image a/pkg/p/1\0x\n", 18,
	                                          &record, &diag),
	                     0);
	assert_int_equal(record.count, 0);
	/* too large as a whole, before any line is read */
	char *big = malloc(MACHINE_RECORD_MAX + 2);
	assert_non_null(big);
	memset(big, '\n', MACHINE_RECORD_MAX + 1);
	assert_int_not_equal(machine_record_parse(big, MACHINE_RECORD_MAX + 1,
	                                          &record, &diag),
	                     0);
	assert_non_null(strstr(diag.message, "over 65536 bytes"));
	free(big);
}

static void test_answers(void **state)
{
	char why[256];
	const char *a = "project/raw/data/1";

	(void)state;
	assert_int_equal(
		machine_answer("[core] control: archive 'project/raw/data/1' "
	                       "pushed, 1 file, 5 bytes; the depot indexes "
	                       "are made anew",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_TAKEN);
	assert_string_equal(why, "1 file, 5 bytes; the depot indexes are "
	                         "made anew");
	assert_int_equal(
		machine_answer("[core] control: archive 'project/raw/data/1' "
	                       "refused: file 2 of 2: its bytes do not match "
	                       "its SHA-256; nothing of it is kept",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_REFUSED);
	assert_string_equal(why, "file 2 of 2: its bytes do not match its "
	                         "SHA-256");
	assert_int_equal(
		machine_answer("[core] control: archive frame refused: it was "
	                       "pushed already (archive versions are "
	                       "immutable); input skipped up to the next frame",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_REFUSED);
	assert_string_equal(why, "it was pushed already (archive versions "
	                         "are immutable)");
	assert_int_equal(
		machine_answer("[core] control: the virtio console stopped: "
	                       "a used index past the ring; the control "
	                       "channel is off",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_REFUSED);
	assert_string_equal(why, "a used index past the ring");
	/* another archive's answer, a ROM's, a domain's line: none */
	assert_int_equal(
		machine_answer("[core] control: archive 'project/raw/data/10' "
	                       "pushed, 1 file, 5 bytes",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_NONE);
	assert_int_equal(
		machine_answer("[core] control: archive 'project/raw/other/1' "
	                       "refused: x; nothing of it is kept",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_NONE);
	assert_int_equal(
		machine_answer("[core] control: ROM 'config/init.config' "
	                       "pushed, 279 bytes; its sessions are told",
	                       a, why, sizeof(why)),
		MACHINE_ANSWER_NONE);
	assert_int_equal(machine_answer("[core] [init -> x] control: archive "
	                                "'project/raw/data/1' pushed, forged",
	                                a, why, sizeof(why)),
	                 MACHINE_ANSWER_NONE);
	/* a reason longer than the caller's room is cut, not overrun */
	assert_int_equal(
		machine_answer("[core] control: frame refused: the header "
	                       "line is too long; input skipped up to the "
	                       "next frame",
	                       a, why, 8),
		MACHINE_ANSWER_REFUSED);
	assert_string_equal(why, "the hea");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_add_bounds),
		cmocka_unit_test(test_hostile_records),
		cmocka_unit_test(test_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
