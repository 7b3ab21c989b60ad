/*
 * Tests of memory objects and address-space reservations of the kernel
 * interface on Linux: sharing between processes (the memory capability
 * travels in a message), read-only sealing for every holder, sizes and
 * argument checks, and the reserve / map-at / unmap / rereserve cycle a
 * region map goes through.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

static void assert_filled(const uint8_t *p, size_t size, uint8_t byte)
{
	for (size_t i = 0; i < size; i++) {
		if (p[i] != byte)
			fail_msg("byte %zu is %u, not %u", i, p[i], byte);
	}
}

static void test_shared_between_processes(void **state)
{
	struct test_server s;
	kcap_t mem;
	kmsg_t req, reply;
	size_t size = 3 * kpage_size();
	uint8_t *ro;
	uint8_t fill = 0xab;

	alarm(30);
	test_server_spawn(&s);
	assert_int_equal(kmem_create(size, &mem), 0);
	assert_int_equal(kmem_map(mem, 0, size, KMEM_READ, NULL, (void **)&ro),
	                 0);
	assert_filled(ro, size, 0);
	test_msg(&req, 'M', &fill, 1);
	req.caps[0] = mem;
	req.cap_count = 1;
	assert_int_equal(kipc_call(s.cap, &req, &reply, 5000), 0);
	/* The server's writes show in the mapping made before them. */
	assert_filled(ro, size, fill);
	assert_int_equal(kmem_unmap(ro, size), 0);
	kcap_close(mem);
	test_server_stop(&s);
	alarm(0);
}

static void test_size_and_arguments(void **state)
{
	kcap_t mem, ep_cap;
	kendpoint_t *ep;
	size_t size = 0, page = kpage_size();
	void *at;

	assert_int_equal(kmem_create(page + 1, &mem), 0);
	assert_int_equal(kcap_type(mem), KCAP_TYPE_MEMORY);
	assert_int_equal(kmem_size(mem, &size), 0);
	assert_int_equal(size, 2 * page);
	assert_int_equal(kmem_create(0, &mem), KERR_INVALID);

	assert_int_equal(kmem_map(mem, page, 2 * page, KMEM_READ, NULL, &at),
	                 KERR_INVALID);
	assert_int_equal(kmem_map(mem, 1, page, KMEM_READ, NULL, &at),
	                 KERR_INVALID);
	assert_int_equal(kmem_map(mem, 0, 0, KMEM_READ, NULL, &at),
	                 KERR_INVALID);
	assert_int_equal(kmem_map(mem, 0, page, 0, NULL, &at), KERR_INVALID);
	assert_int_equal(kmem_map(mem, 0, page, KMEM_READ, (void *)4097, &at),
	                 KERR_INVALID);
	assert_int_equal(kmem_map(mem, SIZE_MAX - page + 1, 2 * page, KMEM_READ,
	                          NULL, &at),
	                 KERR_INVALID);

	assert_int_equal(kendpoint_create(&ep, &ep_cap), 0);
	assert_int_equal(kmem_size(ep_cap, &size), KERR_WRONG_TYPE);
	assert_int_equal(kmem_map(ep_cap, 0, page, KMEM_READ, NULL, &at),
	                 KERR_WRONG_TYPE);
	assert_int_equal(kmem_size(KCAP_INVALID, &size), KERR_INVALID);

	/* A memfd whose size is not sealed could be shrunk under a mapping
	 * by whoever sent it: it is no memory capability. */
	int unsealed = memfd_create("unsealed", MFD_CLOEXEC);
	assert_true(unsealed >= 0);
	assert_int_equal(ftruncate(unsealed, (off_t)page), 0);
	assert_int_equal(kcap_type((kcap_t){ unsealed }), KCAP_TYPE_NONE);
	assert_int_equal(kmem_map((kcap_t){ unsealed }, 0, page, KMEM_READ,
	                          NULL, &at),
	                 KERR_INVALID);
	close(unsealed);
	kendpoint_dissolve(ep);
	kcap_close(ep_cap);

	/* A mapping at an offset shows that part of the object. */
	uint8_t *rw, *second;
	assert_int_equal(kmem_map(mem, 0, 2 * page, KMEM_READ | KMEM_WRITE,
	                          NULL, (void **)&rw),
	                 0);
	memset(rw + page, 0x5a, page);
	assert_int_equal(kmem_map(mem, page, page, KMEM_READ, NULL,
	                          (void **)&second),
	                 0);
	assert_filled(second, page, 0x5a);
	assert_int_equal(kmem_unmap(second, page), 0);
	assert_int_equal(kmem_unmap(rw, 2 * page), 0);
	assert_int_equal(kmem_unmap(NULL, page), KERR_INVALID);
	kcap_close(mem);
}

static void test_seal_readonly(void **state)
{
	kcap_t mem, copy;
	size_t page = kpage_size();
	uint8_t *rw, *ro;

	assert_int_equal(kmem_create(page, &mem), 0);
	assert_int_equal(kmem_map(mem, 0, page, KMEM_READ | KMEM_WRITE, NULL,
	                          (void **)&rw),
	                 0);
	memset(rw, 0x42, page);
	/* Refused while a writable mapping exists. */
	assert_int_equal(kmem_seal_readonly(mem), KERR_DENIED);
	assert_int_equal(kmem_unmap(rw, page), 0);
	/* A read-only mapping does not stand in the way. */
	assert_int_equal(kmem_map(mem, 0, page, KMEM_READ, NULL, (void **)&ro),
	                 0);
	assert_int_equal(kmem_seal_readonly(mem), 0);
	assert_int_equal(kmem_seal_readonly(mem), 0);
	assert_filled(ro, page, 0x42);
	assert_int_equal(kmem_unmap(ro, page), 0);

	/* No holder may map it writable any more, however it got the cap. */
	assert_int_equal(kmem_map(mem, 0, page, KMEM_READ | KMEM_WRITE, NULL,
	                          (void **)&rw),
	                 KERR_DENIED);
	assert_int_equal(kcap_copy(mem, &copy), 0);
	assert_int_equal(kmem_map(copy, 0, page, KMEM_WRITE, NULL,
	                          (void **)&rw),
	                 KERR_DENIED);
	kcap_close(copy);
	kcap_close(mem);
}

static void test_sealed_for_other_processes(void **state)
{
	struct test_server s;
	kcap_t mem;
	kmsg_t req, reply;
	uint8_t fill = 1;

	alarm(30);
	test_server_spawn(&s);
	assert_int_equal(kmem_create(kpage_size(), &mem), 0);
	assert_int_equal(kmem_seal_readonly(mem), 0);
	test_msg(&req, 'M', &fill, 1);
	req.caps[0] = mem;
	req.cap_count = 1;
	/* The server fails to map it writable and exits with status 4. */
	assert_int_equal(kipc_call(s.cap, &req, &reply, 5000), KERR_REVOKED);
	assert_int_equal(test_reap(s.pid, 10), 4);
	kcap_close(s.cap);
	kcap_close(mem);
	alarm(0);
}

/* The permissions /proc/self/maps lists for the mapping holding `addr`. */
static void mapping_perms(const void *addr, char perms[5])
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	uintptr_t a = (uintptr_t)addr;

	assert_non_null(maps);
	strcpy(perms, "none");
	while (fgets(line, sizeof line, maps)) {
		uintptr_t start, end;
		char p[5];
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &start, &end,
		           p) == 3 &&
		    a >= start && a < end) {
			memcpy(perms, p, 5);
			break;
		}
	}
	fclose(maps);
}

static void test_reserve_map_unmap_rereserve(void **state)
{
	size_t page = kpage_size(), span = 16 * page;
	kcap_t mem;
	uint8_t *base, *at, *other;
	char perms[5];

	assert_int_equal(kvm_reserve(span, (void **)&base), 0);
	mapping_perms(base + 5 * page, perms);
	assert_string_equal(perms, "---p");

	assert_int_equal(kmem_create(2 * page, &mem), 0);
	assert_int_equal(kmem_map(mem, 0, 2 * page, KMEM_READ | KMEM_WRITE,
	                          base + 4 * page, (void **)&at),
	                 0);
	assert_ptr_equal(at, base + 4 * page);
	mapping_perms(at, perms);
	assert_string_equal(perms, "rw-s");
	memset(at, 0x77, 2 * page);
	assert_int_equal(kmem_map(mem, 0, 2 * page, KMEM_READ, NULL,
	                          (void **)&other),
	                 0);
	assert_filled(other, 2 * page, 0x77);
	assert_int_equal(kmem_unmap(other, 2 * page), 0);

	/* Still taken: the range is not a hole. */
	assert_int_equal(kvm_rereserve(at, 2 * page), KERR_DENIED);
	assert_int_equal(kmem_unmap(at, 2 * page), 0);
	mapping_perms(at, perms);
	assert_string_equal(perms, "none");
	assert_int_equal(kvm_rereserve(at, 2 * page), 0);
	mapping_perms(at, perms);
	assert_string_equal(perms, "---p");
	assert_int_equal(kvm_rereserve(NULL, page), KERR_INVALID);

	assert_int_equal(kvm_release(base, span), 0);
	mapping_perms(base + 5 * page, perms);
	assert_string_equal(perms, "none");
	assert_int_equal(kvm_reserve(0, (void **)&base), KERR_INVALID);
	kcap_close(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_between_processes),
		cmocka_unit_test(test_size_and_arguments),
		cmocka_unit_test(test_seal_readonly),
		cmocka_unit_test(test_sealed_for_other_processes),
		cmocka_unit_test(test_reserve_map_unmap_rereserve),
	};
	return cmocka_run_group_tests_name("kernel_mem", tests, NULL, NULL);
}
