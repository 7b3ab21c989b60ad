/*
 * Unit tests of the ELF parser (runtime/elf.h). A small well-formed ELF64
 * image is built in memory, then broken one field at a time: each breakage
 * must give its specific error. The test binary itself (a real PIE file
 * made by the toolchain) must parse. Random byte strings and random
 * mutations of the valid image (fixed seed) must give an error or a result
 * whose segments lie inside the file, never a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/elf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

enum { IMG_SIZE = 0x2000, PH_OFF = 64, PH_SIZE = 56 };

static uint8_t img[IMG_SIZE];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}
static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t *ph(int i)
{
	return img + PH_OFF + i * PH_SIZE;
}

static void set_segment(int i, uint32_t type, uint32_t flags, uint64_t off,
                        uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	put32(ph(i), type);
	put32(ph(i) + 4, flags);
	put64(ph(i) + 8, off);
	put64(ph(i) + 16, vaddr);
	put64(ph(i) + 24, vaddr);
	put64(ph(i) + 32, filesz);
	put64(ph(i) + 40, memsz);
	put64(ph(i) + 48, 0x1000);
}

/* An x86_64 executable: a PT_NOTE, then text (r-x) and data (rw-) loads. */
static int build_image(void **state)
{
	memset(img, 0, sizeof img);
	memcpy(img,
	       "\x7f"
	       "ELF",
	       4);
	img[4] = 2;
	img[5] = 1;
	img[6] = 1;
	put16(img + 16, 2); /* ET_EXEC */
	put16(img + 18, ELF_MACHINE_X86_64);
	put32(img + 20, 1);
	put64(img + 24, 0x401000); /* entry */
	put64(img + 32, PH_OFF);
	put16(img + 52, 64);
	put16(img + 54, PH_SIZE);
	put16(img + 56, 3);
	set_segment(0, 4, 4, 0x100, 0x400100, 0x20, 0x20);
	set_segment(1, 1, ELF_SEGMENT_READ | ELF_SEGMENT_EXEC, 0x1000, 0x401000,
	            0x800, 0x800);
	set_segment(2, 1, ELF_SEGMENT_READ | ELF_SEGMENT_WRITE, 0x1800,
	            0x402800, 0x100, 0x3000);
	return 0;
}

static void parses_valid_image(void **state)
{
	struct elf_image e;
	assert_int_equal(elf_parse(&e, img, sizeof img), ELF_OK);
	assert_int_equal(e.machine, ELF_MACHINE_X86_64);
	assert_int_equal(e.entry, 0x401000);
	assert_int_equal(e.ph_count, 3);
	assert_int_equal(e.load_count, 2);
	struct elf_segment s;
	assert_int_equal(elf_load_segment(&e, 0, &s), ELF_OK);
	assert_int_equal(s.vaddr, 0x401000);
	assert_int_equal(s.file_offset, 0x1000);
	assert_int_equal(s.flags, ELF_SEGMENT_READ | ELF_SEGMENT_EXEC);
	assert_int_equal(elf_load_segment(&e, 1, &s), ELF_OK);
	assert_int_equal(s.file_size, 0x100);
	assert_int_equal(s.mem_size, 0x3000);
	assert_int_equal(elf_load_segment(&e, 2, &s), ELF_ERR_INDEX);
}

static void parses_own_binary(void **state)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	assert_non_null(f);
	size_t cap = 0, size = 0;
	uint8_t *buf = NULL;
	size_t n;
	do {
		buf = grow_array(buf, &cap, size + (1 << 20), 1);
		assert_non_null(buf);
		n = fread(buf + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	fclose(f);
	struct elf_image e;
	assert_int_equal(elf_parse(&e, buf, size), ELF_OK);
	assert_int_equal(e.type, 3); /* PIE: a shared object */
	assert_true(e.load_count >= 1);
	free(buf);
}

/* Each mutation applied to the valid image, and the error it must give. */
static void expect_error(int err)
{
	struct elf_image e = { .entry = 77 };
	assert_int_equal(elf_parse(&e, img, sizeof img), err);
	assert_int_equal(e.entry, 77); /* untouched on failure */
}

static void rejects_bad_identification(void **state)
{
	struct elf_image e;
	assert_int_equal(elf_parse(&e, img, 63), ELF_ERR_TRUNCATED);
	assert_int_equal(elf_parse(&e, NULL, 100), ELF_ERR_TRUNCATED);
	img[1] = 'X';
	expect_error(ELF_ERR_MAGIC);
	img[1] = 'E';
	img[4] = 1;
	expect_error(ELF_ERR_CLASS);
	img[4] = 2;
	img[5] = 2;
	expect_error(ELF_ERR_BYTE_ORDER);
	img[5] = 1;
	img[6] = 0;
	expect_error(ELF_ERR_VERSION);
	img[6] = 1;
	put32(img + 20, 2);
	expect_error(ELF_ERR_VERSION);
	put32(img + 20, 1);
	put16(img + 16, 1);
	expect_error(ELF_ERR_TYPE);
	put16(img + 16, 2);
	put16(img + 52, 52);
	expect_error(ELF_ERR_HEADER_SIZE);
	put16(img + 52, 64);
	put16(img + 54, 32);
	expect_error(ELF_ERR_PH_ENTRY_SIZE);
}

static void rejects_program_header_table_outside(void **state)
{
	put64(img + 32, IMG_SIZE - 100); /* 3 entries need 168 bytes */
	expect_error(ELF_ERR_PH_BOUNDS);
	put64(img + 32, UINT64_MAX - 10); /* offset + size wraps */
	expect_error(ELF_ERR_PH_BOUNDS);
	put64(img + 32, PH_OFF);
	put16(img + 56, 0xffff);
	expect_error(ELF_ERR_PH_BOUNDS);
	put16(img + 56, 1); /* only the PT_NOTE remains */
	expect_error(ELF_ERR_NO_SEGMENTS);
}

static void rejects_bad_segments(void **state)
{
	put64(ph(1) + 8, IMG_SIZE + 0x1000); /* offset past the end */
	put64(ph(1) + 16, 0x402000);
	expect_error(ELF_ERR_SEGMENT_BOUNDS);
	put64(ph(1) + 8, 0x1000);
	put64(ph(1) + 16, 0x401000);

	put64(ph(1) + 32, IMG_SIZE); /* reaches past the end */
	put64(ph(1) + 40, IMG_SIZE);
	expect_error(ELF_ERR_SEGMENT_BOUNDS);
	put64(ph(1) + 32, UINT64_MAX - 0x800); /* offset + size wraps */
	expect_error(ELF_ERR_SEGMENT_BOUNDS);
	put64(ph(1) + 32, 0x800);

	put64(ph(1) + 40, 0x7ff); /* memsz < filesz */
	expect_error(ELF_ERR_SEGMENT_SIZE);
	put64(ph(1) + 40, 0x800);

	put64(ph(2) + 16,
	      UINT64_MAX - 0x1000 + 0x800); /* vaddr + memsz wraps */
	expect_error(ELF_ERR_OVERFLOW);
	put64(ph(2) + 16, 0x402800);

	put64(ph(2) + 48, 0x1001); /* not a power of two */
	expect_error(ELF_ERR_SEGMENT_ALIGN);
	put64(ph(2) + 48, 0x1000);
	put64(ph(2) + 16, 0x402900); /* vaddr vs offset */
	expect_error(ELF_ERR_SEGMENT_ALIGN);
}

/* Whatever parses must only describe bytes inside the buffer. */
static void check_result_inside(const uint8_t *buf, size_t size)
{
	struct elf_image e;
	if (elf_parse(&e, buf, size) != ELF_OK)
		return;
	for (unsigned i = 0; i < e.load_count; i++) {
		struct elf_segment s;
		assert_int_equal(elf_load_segment(&e, i, &s), ELF_OK);
		assert_true(s.file_offset <= size);
		assert_true(s.file_size <= size - s.file_offset);
		assert_true(s.mem_size >= s.file_size);
	}
}

static void random_input_never_crashes(void **state)
{
	srand(2026);
	for (int round = 0; round < 5000; round++) {
		size_t size = (size_t)rand() % 400;
		uint8_t *buf = malloc(size ? size : 1);
		for (size_t i = 0; i < size; i++)
			buf[i] = (uint8_t)rand();
		if (size >= 4 && (round & 1))
			memcpy(buf,
			       "\x7f"
			       "ELF\x02\x01\x01",
			       size < 7 ? size : 7);
		check_result_inside(buf, size);
		free(buf);
	}
	/* mutations of the valid image: a few random bytes of the headers */
	static uint8_t copy[IMG_SIZE];
	for (int round = 0; round < 5000; round++) {
		memcpy(copy, img, sizeof img);
		for (int k = 0; k < 1 + rand() % 4; k++)
			copy[rand() % (PH_OFF + 3 * PH_SIZE)] = (uint8_t)rand();
		size_t size = (round & 3) ? IMG_SIZE
		                          : (size_t)rand() % IMG_SIZE;
		check_result_inside(copy, size);
	}
}

static void errors_have_words(void **state)
{
	assert_string_equal(runtime_strerror(ELF_ERR_SEGMENT_BOUNDS),
	                    "segment lies outside the file");
	assert_string_equal(runtime_strerror(ELF_ERR_INDEX + 1),
	                    "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(parses_valid_image, build_image),
		cmocka_unit_test(parses_own_binary),
		cmocka_unit_test_setup(rejects_bad_identification, build_image),
		cmocka_unit_test_setup(rejects_program_header_table_outside,
		                       build_image),
		cmocka_unit_test_setup(rejects_bad_segments, build_image),
		cmocka_unit_test_setup(random_input_never_crashes, build_image),
		cmocka_unit_test(errors_have_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
