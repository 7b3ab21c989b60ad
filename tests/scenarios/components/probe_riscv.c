/*
 * The riscv platform's part of the scenario probe (probe_platform.h): a
 * domain has no files, sockets or processes, so its confinement is the
 * kernel's interface, which these commands attack through raw system
 * calls (kernel/riscv/abi.h, user/sys.h), past libruntime:
 *
 *   hostile       calls meant for the root (core) alone; selectors it
 *                 does not hold, forged out of range or of another kind;
 *                 pointers into the kernel's memory (where every domain's
 *                 frames are), unmapped, or into its own code to be
 *                 written; lengths and ranges that overflow; floods of
 *                 threads, endpoints, signals, waitsets and memory objects
 *                 (each kind bounded per domain) and RAM beyond its quota.
 *                 Each attempt logs "refused: WHAT (ERROR)" when every
 *                 call of it got exactly the refusal expected, else
 *                 "ESCAPED: WHAT ...", then goes on; a flood gives back
 *                 what it got before the next
 *   spoil-caps    tries to spoil the capabilities it shares with core
 *                 (parent, PD, CPU, LOG, config ROM endpoints, the
 *                 config's signal, which core holds too, and the ROM's
 *                 dataspace): dissolve them, take their calls, submit to
 *                 them as signals, revoke or write the ROM, close its own
 *                 copies (twice); then how many are still of their kind
 *   open-library  says there is nothing to open (no file system)
 *   map-code      brings in code as a component could after its
 *                 start-up: writes one instruction (`ret`) into a page
 *                 of RAM, maps it executable (kernel.h's kmem_map) and
 *                 calls it; logs "map code: allowed", or "map code:
 *                 refused (ERROR)" once kconfine_forbid_open() was
 *                 called (the second layer of confinement on riscv)
 *
 * Blocking is avoided: a call that should have been refused but blocks
 * instead (a receive, a call on its own endpoint) is bounded by a
 * timeout or shows as the scenario's missing next line.
 *
 * The component's environment is one per domain: a file-scope pointer,
 * set by each command, as in probe.c. The commands run on the main
 * thread, which never holds back a reply (lib/lib.h), so sys.h's calls
 * need no SYS_BEFORE here.
 */
#include "probe_platform.h"

#include "pd_rpc.h"
#include "sys.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static env_t *env;

#define PAGE 4096l
/* Addresses no domain may reach: the kernel's image, and RAM the kernel
 * maps to itself, where every domain's frames lie (arch.h). */
#define KERNEL_TEXT    0x80200000l
#define OTHERS_FRAMES  0x86000000l
#define UNMAPPED       0x1000l      /* below the first user window */
#define FAR_UNMAPPED   0x1000000000l /* 64 GiB: nothing of ours there */
#define IPCBUF_WINDOW  0x1fc0000000l /* 127 GiB: the kernel's buffers */

/* An attempt of several calls, each with the refusal it must get. */
struct call {
	long rc, want;
};

static void judge(const char *what, const struct call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (calls[i].rc != calls[i].want) {
			env_log(env, "ESCAPED: %s (call %zu gave %ld, not %s)",
			        what, i + 1, calls[i].rc,
			        kerr_str((int)calls[i].want));
			return;
		}
	}
	env_log(env, "refused: %s (%s)", what, kerr_str((int)calls[0].want));
}

#define JUDGE(what, ...)                                                  \
	do {                                                              \
		const struct call calls_[] = { __VA_ARGS__ };             \
		judge(what, calls_, sizeof calls_ / sizeof *calls_);      \
	} while (0)
#define DENIED(rc)    { (rc), KERR_DENIED }
#define INVALID(rc)   { (rc), KERR_INVALID }
#define WRONG(rc)     { (rc), KERR_WRONG_TYPE }

static long mcall(long sel, long request, long reply)
{
	return sys_call4(SYS_MCALL, sel, request, reply, 10);
}

/* The calls of core alone. `mem` is a RAM object of its own, `sig` a
 * signal of its own, `buf` a page of its own. */
static void root_only(long mem, long sig, char *buf)
{
	int32_t caps[1] = { (int32_t)mem };
	JUDGE("physical address of its memory",
	      DENIED(sys_call2(SYS_MEM_PHYS, mem, 0)));
	JUDGE("device memory",
	      DENIED(sys_call2(SYS_IOMEM_CREATE, 0x10000000l, PAGE)),
	      DENIED(sys_call2(SYS_IOMEM_CREATE, 0x0c000000l, PAGE)));
	JUDGE("interrupts", DENIED(sys_call2(SYS_IRQ_BIND, 10, sig)),
	      DENIED(sys_call2(SYS_IRQ_UNBIND, 10, 0)));
	JUDGE("revoke memory", DENIED(sys_call2(SYS_MEM_REVOKE, mem, 0)));
	JUDGE("kernel usage",
	      DENIED(sys_call2(SYS_PD_USAGE, -1, PD_USE_FRAMES)),
	      DENIED(sys_call2(SYS_PD_USAGE, 0, PD_OBJ_THREAD)),
	      DENIED(sys_call3(SYS_PD_THREADS, -1, (long)buf, 1)),
	      DENIED(sys_call2(SYS_KERNEL_FREE, KERNEL_FREE_RAM, 0)));
	JUDGE("read another domain's output",
	      DENIED(sys_call4(SYS_OUTPUT_READ, -1, OUTPUT_STDOUT, (long)buf,
	                       64)));
	JUDGE("write console frames",
	      DENIED(sys_call4(SYS_CONSOLE_WRITE, (long)buf, 8, (long)buf, 8)));
	JUDGE("kill or wait for core", DENIED(sys_call2(SYS_PD_KILL, 0, 0)),
	      DENIED(sys_call2(SYS_PD_WAIT, 0, 0)),
	      DENIED(sys_call2(SYS_PD_RELEASE, 0, 0)));
	JUDGE("raise its own quotas",
	      DENIED(sys_call2(SYS_PD_RAM_LIMIT, -1, 1l << 30)),
	      DENIED(sys_call3(SYS_PD_OBJ_LIMIT, -1, PD_OBJ_THREAD, 1000)),
	      DENIED(sys_call3(SYS_PRIORITY, -1, -1, PRIO_LEVELS - 1)));
	JUDGE("start a domain", DENIED(sys_call2(SYS_BOOTMOD_MEM, 0, 0)),
	      DENIED(sys_call6(SYS_PD_CREATE_IMAGE, mem, (long)caps, 1, -1, 0,
	                       0)),
	      DENIED(sys_call2(SYS_PD_CREATE, 1, -1)));
}

/* Selectors it does not hold: empty, out of range, negative, huge; and
 * one of the wrong kind for each kind of call. */
static void forged(long mem, long sig, long ep)
{
	struct sys_msg m = { .cap = -1 };
	JUDGE("forged selectors", INVALID(sys_ipc(SYS_CALL, 1000, &m)),
	      INVALID(sys_cap_copy(1024)), INVALID(sys_cap_copy(-2)),
	      INVALID(sys_cap_close(1l << 40)),
	      INVALID(sys_signal_submit(1l << 32, 1)),
	      INVALID(sys_call2(SYS_MEM_SIZE, 4096, 0)),
	      INVALID(sys_call2(SYS_EP_DISSOLVE, -5, 0)));
	m.cap = 1023; /* a capability to send that it does not hold */
	JUDGE("send a capability it does not hold",
	      INVALID(sys_ipc(SYS_CALL, ep, &m)));
	JUDGE("capabilities of the wrong kind", WRONG(sys_signal_submit(ep, 1)),
	      WRONG(sys_call2(SYS_MEM_SIZE, sig, 0)),
	      WRONG(mcall(mem, (long)&m, (long)&m)));
}

/* Pointers that are not its own readable or writable memory. `ep` is an
 * endpoint of its own that nobody receives on: a call that got through
 * would time out instead, as would a wait on its waitset `ws`. */
static void pointers(long mem, long ep, long ws, kmsg_t *msg)
{
	msg->size = 0;
	msg->cap_count = 0;
	JUDGE("read the kernel's and others' memory",
	      INVALID(sys_print((const char *)KERNEL_TEXT, 16)),
	      INVALID(sys_print((const char *)OTHERS_FRAMES, 16)),
	      INVALID(mcall(ep, KERNEL_TEXT, (long)msg)),
	      INVALID(mcall(ep, OTHERS_FRAMES, (long)msg)));
	JUDGE("write the kernel's and others' memory",
	      INVALID(mcall(ep, (long)msg, KERNEL_TEXT)),
	      INVALID(mcall(ep, (long)msg, OTHERS_FRAMES)),
	      INVALID(sys_call3(SYS_WS_WAIT, ws, OTHERS_FRAMES, 10)));
	JUDGE("unmapped memory", INVALID(sys_print((const char *)UNMAPPED, 8)),
	      INVALID(sys_print((const char *)FAR_UNMAPPED, 8)),
	      INVALID(mcall(ep, UNMAPPED, (long)msg)),
	      INVALID(mcall(ep, (long)msg, FAR_UNMAPPED)));
	JUDGE("write its own code through the kernel",
	      INVALID(mcall(ep, (long)msg, (long)(uintptr_t)&pointers)));
	JUDGE("map over the kernel, its code and the IPC buffers",
	      INVALID(sys_call5(SYS_MEM_MAP, mem, 0, PAGE, KMEM_READ,
	                        KERNEL_TEXT)),
	      INVALID(sys_call5(SYS_MEM_MAP, mem, 0, PAGE, KMEM_READ,
	                        (long)((uintptr_t)&pointers & ~(PAGE - 1)))),
	      INVALID(sys_call5(SYS_MEM_MAP, mem, 0, PAGE, KMEM_READ,
	                        IPCBUF_WINDOW)),
	      INVALID(sys_call5(SYS_MEM_MAP, mem, 0, PAGE, KMEM_READ,
	                        UNMAPPED)));
}

/* Lengths, sizes and ranges that wrap around or pass their object. */
static void overflows(long mem, long ep, kmsg_t *msg)
{
	msg->size = UINT32_MAX;
	msg->cap_count = 0;
	JUDGE("lengths that overflow",
	      INVALID(sys_print((const char *)msg, -1l)),
	      INVALID(sys_call5(SYS_MEM_MAP, mem, -PAGE, 2 * PAGE, KMEM_READ,
	                        FAR_UNMAPPED)),
	      INVALID(sys_call5(SYS_MEM_MAP, mem, 0, -PAGE, KMEM_READ,
	                        FAR_UNMAPPED)),
	      INVALID(sys_call5(SYS_MEM_MAP, mem, 0, PAGE, KMEM_READ, -PAGE)),
	      INVALID(sys_call2(SYS_MEM_UNMAP, FAR_UNMAPPED, -PAGE)),
	      INVALID(sys_call2(SYS_MEM_CREATE, -1l, 0)),
	      INVALID(sys_call2(SYS_MEM_CREATE, 0, 0)));
	JUDGE("a message over its size",
	      { mcall(ep, (long)msg, (long)msg), KERR_TOO_BIG });
	msg->size = 0;
	msg->cap_count = UINT32_MAX;
	JUDGE("a message over its capabilities",
	      { mcall(ep, (long)msg, (long)msg), KERR_TOO_BIG });
}

/* A flooding thread, which uses no stack: it stores its tid at *arg,
 * parks until it is unparked and exits. */
__attribute__((naked)) static void flood_thread(void)
{
	__asm__ volatile("mv s1, a0\n"
	                 "li a7, %0\n ecall\n sd a0, 0(s1)\n"
	                 "li a7, %1\n ecall\n"
	                 "li a7, %2\n ecall\n"
	                 "li a7, %3\n ecall\n" ::"i"(SYS_THREAD_SELF),
	                 "i"(SYS_PARK_TICKET), "i"(SYS_PARK),
	                 "i"(SYS_THREAD_EXIT));
}

#define FLOOD_MAX 1100 /* past every pool of the kernel (README.md) */

/* Makes objects of one kind until the kernel refuses, which must be its
 * bound for this domain (KERR_LIMIT), not the machine's pool running dry
 * (KERR_NOMEM); then gives every one back. */
static void flood(const char *kind, long (*make)(long i), void (*undo)(long))
{
	static long made[FLOOD_MAX];
	long n = 0, rc = 0;
	while (n < FLOOD_MAX && (rc = make(n)) >= 0)
		made[n++] = rc;
	char what[64];
	snprintf(what, sizeof what, "%s beyond its bound after %ld", kind, n);
	JUDGE(what, { rc, KERR_LIMIT });
	while (n > 0)
		undo(made[--n]);
}

static long tids[FLOOD_MAX];
static char flood_stack[64] __attribute__((aligned(16)));

static long make_thread(long i)
{
	tids[i] = 0;
	long rc = sys_call3(SYS_THREAD_CREATE, (long)(uintptr_t)&flood_thread,
	                    (long)(flood_stack + sizeof flood_stack),
	                    (long)&tids[i]);
	return rc < 0 ? rc : i;
}
static void end_thread(long i)
{
	while (!__atomic_load_n(&tids[i], __ATOMIC_ACQUIRE))
		sys_call2(SYS_YIELD, 0, 0);
	sys_call2(SYS_UNPARK, tids[i], 0);
	sys_call2(SYS_THREAD_JOIN, tids[i], 0);
}
static long make_endpoint(long i)
{
	(void)i;
	return sys_ep_create();
}
static void end_endpoint(long sel)
{
	sys_call2(SYS_EP_DISSOLVE, sel, 0);
	sys_cap_close(sel);
}
static long make_signal(long i)
{
	(void)i;
	return sys_signal_create();
}
static void end_signal(long sel)
{
	sys_call2(SYS_SIGNAL_DESTROY, sel, 0);
	sys_cap_close(sel);
}
static long make_waitset(long i)
{
	(void)i;
	return sys_call2(SYS_WS_CREATE, 0, 0);
}
static void end_waitset(long ws)
{
	sys_call2(SYS_WS_DESTROY, ws, 0);
}
static long make_page(long i)
{
	(void)i;
	return sys_call2(SYS_MEM_CREATE, PAGE, 0);
}

static void end_page(long sel)
{
	sys_cap_close(sel);
}

/* RAM objects of the largest size until the kernel refuses: its RAM
 * quota, KERR_NOMEM, with no more than the quota taken. */
static void ram_beyond_quota(void)
{
	uint64_t ram_limit = 0, ram_used, cap_limit, cap_used;
	pd_quota(env->pd, &ram_limit, &ram_used, &cap_limit, &cap_used);
	static long made[FLOOD_MAX];
	long n = 0, rc = 0;
	while (n < FLOOD_MAX &&
	       (rc = sys_call2(SYS_MEM_CREATE, MEM_OBJECT_MAX, 0)) >= 0)
		made[n++] = rc;
	if ((uint64_t)n * MEM_OBJECT_MAX > ram_limit)
		env_log(env, "ESCAPED: RAM beyond its quota (%ld MiB of %llu)",
		        n * (long)(MEM_OBJECT_MAX >> 20),
		        (unsigned long long)(ram_limit >> 20));
	else
		JUDGE("RAM beyond its quota", { rc, KERR_NOMEM });
	while (n > 0)
		sys_cap_close(made[--n]);
}

static void try_escapes(void)
{
	static char page[PAGE] __attribute__((aligned(PAGE)));
	static kmsg_t msg;
	long mem = sys_call2(SYS_MEM_CREATE, PAGE, 0);
	long sig = sys_signal_create();
	long ep = sys_ep_create();
	long ws = sys_call2(SYS_WS_CREATE, 0, 0);
	if (mem < 0 || sig < 0 || ep < 0 || ws < 0) {
		env_log(env,
		        "ESCAPED: nothing to attack with (%ld %ld %ld %ld)",
		        mem, sig, ep, ws);
		return;
	}
	root_only(mem, sig, page);
	forged(mem, sig, ep);
	pointers(mem, ep, ws, &msg);
	overflows(mem, ep, &msg);
	flood("threads", make_thread, end_thread);
	flood("endpoints", make_endpoint, end_endpoint);
	flood("signals", make_signal, end_signal);
	flood("waitsets", make_waitset, end_waitset);
	flood("memory objects", make_page, end_page);
	ram_beyond_quota();
	end_waitset(ws);
	end_endpoint(ep);
	end_signal(sig);
	sys_cap_close(mem);
	/* what malloc makes of it, as on linux */
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	pd_quota(env->pd, &ram_limit, &ram_used, &cap_limit, &cap_used);
	void *big = malloc((size_t)ram_limit * 2);
	if (big)
		env_log(env, "ESCAPED: memory over quota");
	else
		env_log(env, "refused: memory over quota (malloc)");
	free(big);
	void *fair = malloc(1u << 20);
	if (fair)
		memset(fair, 1, 1u << 20);
	env_log(env, "memory within quota: %s", fair ? "ok" : "refused");
	free(fair);
}

/* The spoiling of the capabilities it shares: the endpoints first, then
 * the config's signal (probe_platform.h), and the ROM's dataspace. */
static void spoil_caps(const kcap_t *caps, size_t n, kcap_t rom)
{
	size_t eps = n < PROBE_CONFINE_ENDPOINTS ? n : PROBE_CONFINE_ENDPOINTS;
	struct call dissolve[PROBE_CONFINE_ENDPOINTS],
		take[PROBE_CONFINE_ENDPOINTS], receive[PROBE_CONFINE_ENDPOINTS],
		as_signal[PROBE_CONFINE_ENDPOINTS];
	long ws = sys_call2(SYS_WS_CREATE, 0, 0);
	for (size_t i = 0; i < eps; i++) {
		struct sys_msg m = { .cap = -1 };
		long sel = caps[i].sel;
		dissolve[i] = (struct call)DENIED(sys_call2(SYS_EP_DISSOLVE,
		                                            sel, 0));
		take[i] = (struct call)DENIED(sys_call3(SYS_WS_ADD, ws, sel,
		                                        1));
		receive[i] = (struct call)DENIED(sys_ipc(SYS_RECV, sel, &m));
		as_signal[i] = (struct call)WRONG(sys_signal_submit(sel, 1));
	}
	sys_call2(SYS_WS_DESTROY, ws, 0);
	judge("dissolve", dissolve, eps);
	judge("take their calls into a waitset", take, eps);
	judge("receive their calls", receive, eps);
	judge("submit to them as signals", as_signal, eps);
	JUDGE("revoke the config ROM",
	      DENIED(sys_call2(SYS_MEM_REVOKE, rom.sel, 0)));
	JUDGE("write the config ROM",
	      DENIED(sys_call5(SYS_MEM_MAP, rom.sel, 0, PAGE,
	                       KMEM_READ | KMEM_WRITE, FAR_UNMAPPED)),
	      DENIED(sys_call5(SYS_MEM_MAP, rom.sel, 0, PAGE,
	                       KMEM_WRITE | KMEM_EXEC, FAR_UNMAPPED)));
	/* its own copies: closing one leaves the original, and a copy
	 * closed is gone (a second close is refused); 1 marks a first
	 * close that failed, which no refusal equals */
	struct call closed[PROBE_CONFINE_ENDPOINTS + 1];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof closed / sizeof *closed; i++) {
		long copy = sys_cap_copy(caps[i].sel);
		long rc = copy < 0              ? copy
		          : sys_cap_close(copy) ? 1
		                                : sys_cap_close(copy);
		closed[k++] = (struct call)INVALID(rc);
	}
	judge("close a copy twice", closed, k);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		kept += kcap_type(caps[i]) == (i < PROBE_CONFINE_ENDPOINTS
		                                       ? KCAP_TYPE_ENDPOINT
		                                       : KCAP_TYPE_SIGNAL);
	env_log(env, "caps: %zu of %zu still of their kind", kept, n);
}

/* map-code: the page written through one mapping, then unmapped, and
 * mapped again to be run (never writable and executable at once). */
static void map_code(void)
{
	static const uint32_t ret = 0x00008067u; /* jalr x0, 0(ra) */
	kcap_t mem;
	void *page, *code;
	int rc = kmem_create(PAGE, &mem);
	if (rc != 0) {
		env_log(env, "map code: no page to try with (%s)",
		        kerr_str(rc));
		return;
	}
	rc = kmem_map(mem, 0, PAGE, KMEM_READ | KMEM_WRITE, NULL, &page);
	if (rc == 0) {
		memcpy(page, &ret, sizeof ret);
		kmem_unmap(page, PAGE);
		rc = kmem_map(mem, 0, PAGE, KMEM_READ | KMEM_EXEC, NULL, &code);
	}
	kcap_close(mem); /* a mapping keeps the page */
	if (rc != 0) {
		env_log(env, "map code: refused (%s)", kerr_str(rc));
		return;
	}
	/* the instruction came through a data mapping: fetch it anew */
	__asm__ volatile("fence.i" ::: "memory");
	((void (*)(void))code)();
	kmem_unmap(code, PAGE);
	env_log(env, "map code: allowed");
}

int probe_confine_command(env_t *e, const char *line, const kcap_t *caps,
                          size_t count, kcap_t rom)
{
	env = e;
	if (strcmp(line, "hostile") == 0)
		try_escapes();
	else if (strcmp(line, "spoil-caps") == 0)
		spoil_caps(caps, count, rom);
	else if (strcmp(line, "open-library") == 0)
		env_log(env, "open-library: nothing to open (no file system)");
	else if (strcmp(line, "map-code") == 0)
		map_code();
	else
		return 0;
	return 1;
}

unsigned long long probe_object_id(kcap_t dataspace)
{
	(void)dataspace;
	return 0;
}
