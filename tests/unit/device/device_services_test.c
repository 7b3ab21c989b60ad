/*
 * Core's IRQ and IO_MEM services (core/irq_service.c,
 * core/io_mem_service.c) over a fake board: this file defines the
 * kdevice_* functions of kernel/device.h, so the services run their
 * policy on the host. Sessions are opened with root_component_open (the
 * reason comes back) and their operations called over RPC on the
 * services' entrypoint.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "io_mem_service.h"
#include "irq_service.h"

#include "io_mem_rpc.h"
#include "irq_rpc.h"
#include "root_rpc.h"

#include <stdio.h>
#include <string.h>

/* --- the fake board and kernel --------------------------------------- */

static const struct kdevice board[] = {
	{ .name = "uart0", .phys = 0x10000000, .size = 0x1000, .irq = 10 },
	{ .name = "virtio", .phys = 0x10001000, .size = 0x2000, .irq = 1 },
	{ .name = "high", .phys = 0x20000000, .size = 0x1000, .irq = 70 },
};

static struct {
	bool denied;   /* the platform has no devices */
	int mem_error; /* what kdevice_mem_create answers */
	int bind_error;
	uint32_t bound_irq;   /* the last binding */
	uint32_t unbound_irq; /* the last unbinding */
	unsigned mem_created;
	unsigned mem_revoked; /* kdevice_mem_revoke calls */
} fake;

int kdevice_board(const struct kdevice **devices, size_t *count,
                  const char **why)
{
	*devices = fake.denied ? NULL : board;
	*count = fake.denied ? 0 : sizeof board / sizeof board[0];
	*why = fake.denied ? "the fake platform denies" : NULL;
	return fake.denied ? KERR_DENIED : 0;
}

size_t kdevice_page_size(void)
{
	return 4096;
}

int kdevice_mem_create(uint64_t phys, uint64_t size, kcap_t *mem)
{
	(void)phys;
	if (fake.mem_error)
		return fake.mem_error;
	fake.mem_created++;
	return kmem_create((size_t)size, mem); /* RAM stands in */
}

int kdevice_irq_bind(uint32_t irq, kcap_t signal)
{
	if (!kcap_valid(signal) || fake.bind_error)
		return fake.bind_error ? fake.bind_error : KERR_INVALID;
	fake.bound_irq = irq;
	return 0;
}

int kdevice_irq_unbind(uint32_t irq)
{
	fake.unbound_irq = irq;
	return 0;
}

int kdevice_mem_revoke(kcap_t mem)
{
	if (!kcap_valid(mem))
		return KERR_INVALID;
	fake.mem_revoked++;
	return 0;
}

int kdevice_irq_ack(kcap_t signal)
{
	(void)signal;
	return 0;
}

/* --- fixture ------------------------------------------------------------ */

struct services {
	entrypoint_t *ep;
	struct irq_service irq;
	struct io_mem_service io_mem;
};

static int setup(void **state)
{
	static struct services s;
	memset(&fake, 0, sizeof fake);
	if (entrypoint_create(&s.ep, "devices") != 0 ||
	    irq_service_init(&s.irq, s.ep) != 0 ||
	    io_mem_service_init(&s.io_mem, s.ep) != 0)
		return -1;
	*state = &s;
	return 0;
}

static int teardown(void **state)
{
	struct services *s = *state;
	irq_service_dissolve(&s->irq);
	io_mem_service_dissolve(&s->io_mem);
	entrypoint_destroy(s->ep);
	return 0;
}

#define QUOTA "ram_quota=8K, cap_quota=1, "

/* Opens at `root` with `args`; the reason of a refusal in *why. */
static int open_at(struct root_component *root, const char *args, kcap_t *cap,
                   const char **why)
{
	*why = NULL;
	*cap = KCAP_INVALID;
	return root_component_open(root, args, cap, why);
}

static void refused(struct root_component *root, const char *args, int err,
                    const char *reason)
{
	kcap_t cap;
	const char *why;
	assert_int_equal(open_at(root, args, &cap, &why), err);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

/* --- IRQ ------------------------------------------------------------------ */

static void test_irq_one_holder(void **state)
{
	struct services *s = *state;
	kcap_t first, again;
	const char *why;
	assert_int_equal(open_at(&s->irq.base, QUOTA "irq=10", &first, &why),
	                 0);
	refused(&s->irq.base, QUOTA "irq=10", ROOT_ERR_DENIED,
	        "IRQ 10 (uart0) is held by another session");
	/* another device's interrupt is free */
	assert_int_equal(open_at(&s->irq.base, QUOTA "irq=1", &again, &why), 0);
	assert_int_equal(root_component_close(&s->irq.base, again), 0);
	/* closed, the number is free again */
	assert_int_equal(root_component_close(&s->irq.base, first), 0);
	assert_int_equal(open_at(&s->irq.base, QUOTA "irq=10", &again, &why),
	                 0);
	assert_int_equal(root_component_close(&s->irq.base, again), 0);
}

static void test_irq_hostile_numbers(void **state)
{
	struct services *s = *state;
	refused(&s->irq.base, QUOTA "irq=5", ROOT_ERR_DENIED,
	        "IRQ 5 is no device's interrupt on this board");
	refused(&s->irq.base, QUOTA "irq=0", ROOT_ERR_DENIED,
	        "IRQ 0 is no device's interrupt on this board");
	/* a device's, but beyond what the service tracks */
	refused(&s->irq.base, QUOTA "irq=70", ROOT_ERR_DENIED,
	        "IRQ 70 (high) is beyond the 64 interrupts the service keeps");
	refused(&s->irq.base, QUOTA "irq=4294967306", ROOT_ERR_DENIED,
	        "IRQ 4294967306 is no device's interrupt on this board");
	refused(&s->irq.base, QUOTA "irq=99999999999999999999",
	        ROOT_ERR_INVALID, "the argument irq is no number");
	refused(&s->irq.base, QUOTA "irq=ten", ROOT_ERR_INVALID,
	        "the argument irq is no number");
	refused(&s->irq.base, QUOTA "irq=-1", ROOT_ERR_INVALID,
	        "the argument irq is no number");
	refused(&s->irq.base, "ram_quota=8K, cap_quota=1", ROOT_ERR_INVALID,
	        "an IRQ session needs the argument irq=N");
}

static void test_irq_binds_once(void **state)
{
	struct services *s = *state;
	kcap_t cap, sig;
	ksignal_source_t *src;
	const char *why;
	assert_int_equal(ksignal_source_create(&src, &sig), 0);
	assert_int_equal(open_at(&s->irq.base, QUOTA "irq=1", &cap, &why), 0);
	fake.bind_error = KERR_INVALID;
	assert_int_equal(irq_sigh(cap, sig), IRQ_ERR_REFUSED);
	fake.bind_error = 0;
	assert_int_equal(irq_sigh(cap, sig), 0);
	assert_int_equal(fake.bound_irq, 1);
	assert_int_equal(irq_sigh(cap, sig), IRQ_ERR_BOUND);
	fake.unbound_irq = 0;
	assert_int_equal(root_component_close(&s->irq.base, cap), 0);
	assert_int_equal(fake.unbound_irq, 1); /* the close unbinds */
	ksignal_source_destroy(src);
	kcap_close(sig);
}

/* --- IO_MEM --------------------------------------------------------------- */

static void test_io_mem_gives_the_range(void **state)
{
	struct services *s = *state;
	kcap_t cap, ds;
	uint64_t size = 0;
	const char *why;
	assert_int_equal(open_at(&s->io_mem.base,
	                         QUOTA "base=0x10000000, size=4K", &cap, &why),
	                 0);
	assert_int_equal(io_mem_dataspace(cap, &ds, &size), 0);
	assert_int_equal(size, 4096);
	kcap_close(ds);
	refused(&s->io_mem.base, QUOTA "base=0x10000000, size=4096",
	        ROOT_ERR_DENIED,
	        "base=0x10000000 size=0x1000: overlaps a range "
	        "another session holds");
	unsigned revoked = fake.mem_revoked;
	assert_int_equal(root_component_close(&s->io_mem.base, cap), 0);
	assert_int_equal(fake.mem_revoked,
	                 revoked + 1); /* mappings taken back */
	assert_int_equal(open_at(&s->io_mem.base,
	                         QUOTA "base=0x10000000, size=4096", &cap,
	                         &why),
	                 0);
	assert_int_equal(root_component_close(&s->io_mem.base, cap), 0);
}

static void test_io_mem_parts_of_a_device(void **state)
{
	struct services *s = *state;
	kcap_t a, b;
	const char *why;
	assert_int_equal(open_at(&s->io_mem.base,
	                         QUOTA "base=0x10002000, size=4096", &a, &why),
	                 0);
	assert_int_equal(open_at(&s->io_mem.base,
	                         QUOTA "base=0x10001000, size=4096", &b, &why),
	                 0);
	refused(&s->io_mem.base, QUOTA "base=0x10001000, size=8K",
	        ROOT_ERR_DENIED,
	        "base=0x10001000 size=0x2000: overlaps a range "
	        "another session holds");
	assert_int_equal(root_component_close(&s->io_mem.base, a), 0);
	assert_int_equal(root_component_close(&s->io_mem.base, b), 0);
}

#define NO_DEVICE "no device of the board (never RAM, nor the kernel's own devices)"

static void test_io_mem_hostile_ranges(void **state)
{
	struct services *s = *state;
	struct root_component *r = &s->io_mem.base;
	refused(r, QUOTA "base=0x80000000, size=4096", ROOT_ERR_DENIED,
	        "base=0x80000000 size=0x1000: " NO_DEVICE);
	refused(r, QUOTA "base=0x0c000000, size=4096", ROOT_ERR_DENIED,
	        "base=0xc000000 size=0x1000: " NO_DEVICE);
	/* the UART and past its end */
	refused(r, QUOTA "base=0x10000000, size=8K", ROOT_ERR_DENIED,
	        "base=0x10000000 size=0x2000: " NO_DEVICE);
	/* across two devices that touch */
	refused(r, QUOTA "base=0x10000000, size=12K", ROOT_ERR_DENIED,
	        "base=0x10000000 size=0x3000: " NO_DEVICE);
	refused(r, QUOTA "base=0xfffffffffffff000, size=8K", ROOT_ERR_DENIED,
	        "base=0xfffffffffffff000 size=0x2000: the range is empty or "
	        "wraps around");
	refused(r, QUOTA "base=0x10000000, size=0", ROOT_ERR_DENIED,
	        "base=0x10000000 size=0x0: the range is empty or wraps around");
	refused(r, QUOTA "base=0x10000800, size=4096", ROOT_ERR_DENIED,
	        "base=0x10000800 size=0x1000: not page-aligned");
	refused(r, QUOTA "base=0x10000000, size=256", ROOT_ERR_DENIED,
	        "base=0x10000000 size=0x100: not page-aligned");
	refused(r, QUOTA "base=0x10000000", ROOT_ERR_INVALID,
	        "an IO_MEM session needs the arguments base=ADDR and size=BYTES");
	refused(r, QUOTA "size=4096", ROOT_ERR_INVALID,
	        "an IO_MEM session needs the arguments base=ADDR and size=BYTES");
	refused(r, QUOTA "base=uart, size=4096", ROOT_ERR_INVALID,
	        "the argument base or size is no number");
	refused(r, QUOTA "base=0x10000000, size=99999999999999999999",
	        ROOT_ERR_INVALID, "the argument base or size is no number");
	assert_int_equal(fake.mem_created, 0); /* refused before asking */
}

static void test_io_mem_kernel_refusal(void **state)
{
	struct services *s = *state;
	fake.mem_error = KERR_DENIED;
	char reason[ROOT_REASON_MAX];
	snprintf(reason, sizeof reason,
	         "the kernel refused the device memory: %s",
	         kerr_str(KERR_DENIED));
	refused(&s->io_mem.base, QUOTA "base=0x10000000, size=4096",
	        ROOT_ERR_DENIED, reason);
	fake.mem_error = 0;
	kcap_t cap;
	const char *why;
	assert_int_equal(open_at(&s->io_mem.base,
	                         QUOTA "base=0x10000000, size=4096", &cap,
	                         &why),
	                 0);
	assert_int_equal(root_component_close(&s->io_mem.base, cap), 0);
}

/* --- a platform without devices ------------------------------------------- */

static void test_platform_denies(void **state)
{
	(void)state;
	entrypoint_t *ep;
	static struct irq_service irq;
	static struct io_mem_service io_mem;
	fake.denied = true;
	assert_int_equal(entrypoint_create(&ep, "denied"), 0);
	assert_int_equal(irq_service_init(&irq, ep), 0);
	assert_int_equal(io_mem_service_init(&io_mem, ep), 0);
	refused(&irq.base, QUOTA "irq=10", ROOT_ERR_DENIED,
	        "the fake platform denies");
	refused(&io_mem.base, QUOTA "base=0x10000000, size=4096",
	        ROOT_ERR_DENIED, "the fake platform denies");
	assert_int_equal(fake.mem_created, 0);
	irq_service_dissolve(&irq);
	io_mem_service_dissolve(&io_mem);
	entrypoint_destroy(ep);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_irq_one_holder),
		T(test_irq_hostile_numbers),
		T(test_irq_binds_once),
		T(test_io_mem_gives_the_range),
		T(test_io_mem_parts_of_a_device),
		T(test_io_mem_hostile_ranges),
		T(test_io_mem_kernel_refusal),
		T(test_platform_denies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
