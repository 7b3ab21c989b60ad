/*
 * The system calls of domains (abi.h), the root's alone: the first
 * SYS_PD_CREATE from a boot module, and pd.h's: boot modules as memory
 * objects, create from a memory object (a boot module's, or RAM holding
 * an image, such as core's ROM dataspace of a depot archive's binary),
 * kill, state, wait, release, thread check; what the kernel holds for a
 * domain and its threads' switch counts.
 * Decode and invoke as syscall.c says.
 *
 * Invariant: a domain of no new code (SYS_NO_NEW_CODE, sys_mem.c) makes
 * no domain: a new domain's image is code the caller brings in. Both
 * creates refuse it in decode and assert it in invoke.
 */
#include "abi.h"
#include "arch.h"
#include "bootmod.h"
#include "console.h"
#include "ipc.h"
#include "irq.h"
#include "kernel/kernel.h"
#include "mem.h"
#include "page.h"
#include "signal.h"
#include "syscall_impl.h"
#include "timer.h"
#include "waitset.h"

/* The root, and one that still may bring in code. */
static int decode_creator(const struct thread *t)
{
	return pd_is_root(t->pd) && !t->pd->no_new_code ? 0 : KERR_DENIED;
}

static int decode_pd_create(struct thread *t, union sys_args *args)
{
	int err = decode_creator(t);
	if (err)
		return err;
	args->pd.mod = bootmod_get(arg(t, 0));
	if (!args->pd.mod)
		return KERR_INVALID;
	int64_t boot_cap = (int64_t)arg(t, 1);
	args->pd.boot_cap = 0;
	if (boot_cap != -1 &&
	    !(args->pd.boot_cap = cap_lookup(&t->pd->cspace, boot_cap)))
		return KERR_INVALID;
	return 0;
}

/* pd_create() is itself split into decode and invoke; its failure is
 * the decode part's answer and changes nothing. */
static long invoke_pd_create(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	KASSERT(!t->pd->no_new_code);
	const char *why = "";
	const struct cap *caps[1] = { args->pd.boot_cap };
	struct elf_image image = { .bytes = args->pd.mod->data,
		                   .size = args->pd.mod->size };
	int err = pd_create(args->pd.mod->name, &image, caps,
	                    args->pd.boot_cap ? 1 : 0, 0, &why);
	if (err)
		kprintf("kernel: domain %s not created: %s\n",
		        args->pd.mod->name, why);
	return err;
}

static int decode_bootmod_mem(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->pdi.mod = bootmod_get(arg(t, 0));
	if (!args->pdi.mod || (uintptr_t)args->pdi.mod->data % PAGE_SIZE)
		return KERR_INVALID;
	if (!mem_available(0) || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_bootmod_mem(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	struct cap cap = { KCAP_TYPE_MEMORY, mem_create_image(args->pdi.mod) };
	return cap_insert(&t->pd->cspace, cap);
}

/* The new domain's name: arguments 4 and 5 (address and length; at most
 * the first PD_NAME_MAX - 1 bytes are read, each outside printable ASCII
 * shown as '?'), else the boot module's name, else "domain". */
static int decode_name(struct thread *t, const struct bootmod *mod,
                       union sys_args *args)
{
	uintptr_t va = arg(t, 4);
	size_t len = arg(t, 5);
	char *name = args->pdi.name;
	if (len > PD_NAME_MAX - 1)
		len = PD_NAME_MAX - 1;
	if (len && !vm_user_range_ok(&t->pd->space, va, len, VM_R))
		return KERR_INVALID;
	if (len) {
		vm_read_user(&t->pd->space, va, name, len);
		for (size_t i = 0; i < len; i++)
			if (name[i] < ' ' || name[i] > '~')
				name[i] = '?';
		name[len] = 0;
		return 0;
	}
	const char *fallback = mod ? mod->name : "domain";
	size_t i = 0;
	for (; i < PD_NAME_MAX - 1 && fallback[i]; i++)
		name[i] = fallback[i];
	name[i] = 0;
	return 0;
}

/* Names and sizes of boot modules for the root, which serves them as
 * ROMs by name: the name goes to a buffer of BOOT_NAME_MAX bytes. */
static int decode_bootmod_info(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->pdi.mod = bootmod_get(arg(t, 0));
	if (!args->pdi.mod ||
	    !vm_user_range_ok(&t->pd->space, arg(t, 1), BOOT_NAME_MAX, VM_W))
		return KERR_INVALID;
	return 0;
}

static long invoke_bootmod_info(struct thread *t, const union sys_args *args,
                                struct thread **next)
{
	(void)next;
	vm_write_user(&t->pd->space, arg(t, 1), args->pdi.mod->name,
	              BOOT_NAME_MAX);
	return (long)args->pdi.mod->size;
}

static int decode_pd_create_image(struct thread *t, union sys_args *args)
{
	int err = decode_creator(t);
	if (err)
		return err;
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_MEMORY)
		return KERR_WRONG_TYPE;
	if (mem_elf_image(c->obj, &args->pdi.image))
		return KERR_INVALID; /* device memory */
	err = decode_name(t, mem_image(c->obj), args);
	if (err)
		return err;
	uint64_t count = arg(t, 2);
	int32_t sels[PD_BOOT_CAPS_MAX];
	if (count > PD_BOOT_CAPS_MAX ||
	    !vm_user_range_ok(&t->pd->space, arg(t, 1), count * sizeof sels[0],
	                      VM_R))
		return KERR_INVALID;
	vm_read_user(&t->pd->space, arg(t, 1), sels, count * sizeof sels[0]);
	for (unsigned i = 0; i < count; i++)
		if (!(args->pdi.caps[i] = cap_lookup(&t->pd->cspace, sels[i])))
			return KERR_INVALID;
	args->pdi.ncaps = (unsigned)count;
	args->pdi.exit = 0;
	if ((int64_t)arg(t, 3) != -1) {
		const struct cap *s = cap_lookup(&t->pd->cspace,
		                                 (int64_t)arg(t, 3));
		if (!s)
			return KERR_INVALID;
		if (s->type != KCAP_TYPE_SIGNAL)
			return KERR_WRONG_TYPE;
		if (!signal_alive(s->obj))
			return KERR_REVOKED;
		args->pdi.exit = s->obj;
	}
	return 0;
}

/* pd_create() is itself split; its failure is the decode part's answer. */
static long invoke_pd_create_image(struct thread *t, const union sys_args *args,
                                   struct thread **next)
{
	KASSERT(!t->pd->no_new_code);
	const char *why = "";
	struct pd *pd;
	int err = pd_create(args->pdi.name, &args->pdi.image, args->pdi.caps,
	                    args->pdi.ncaps, &pd, &why);
	if (err) {
		kprintf("kernel: domain %s not created: %s\n", args->pdi.name,
		        why);
		return err;
	}
	pd->held = 1;
	if (args->pdi.exit) {
		pd->exit_signal = args->pdi.exit;
		signal_ref(pd->exit_signal, 1);
	}
	return pd_id(pd);
}

/* A domain of the root's by id. */
static int decode_pd_id(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->pdi.pd = pd_of_id(arg(t, 0));
	return args->pdi.pd ? 0 : KERR_INVALID;
}

static long invoke_pd_kill(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	if (args->pdi.pd->state == PD_RUNNING)
		pd_kill(args->pdi.pd);
	return 0;
}

static long invoke_pd_state(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	const struct pd *pd = args->pdi.pd;
	if (pd->state == PD_RUNNING)
		return -1;
	return (long)(pd->status | (pd->killed ? 256u : 0u));
}

static long invoke_pd_wait(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	if (args->pdi.pd->state != PD_RUNNING)
		return 0;
	long timeout = (long)arg(t, 1);
	if (timeout == 0)
		return KERR_TIMEOUT;
	t->join = pd_id(args->pdi.pd);
	t->state = THREAD_BLOCKED_PD;
	t->deadline = thread_deadline(timeout);
	return 0;
}

static int decode_pd_release(struct thread *t, union sys_args *args)
{
	int err = decode_pd_id(t, args);
	if (!err && args->pdi.pd->state == PD_RUNNING)
		err = KERR_INVALID; /* kill it first */
	return err;
}

static long invoke_pd_release(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	pd_release(args->pdi.pd);
	return 0;
}

static long invoke_pd_thread(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	return thread_of_tid(args->pdi.pd, arg(t, 1)) ? 0 : KERR_INVALID;
}

/* SYS_PD_RAM_LIMIT: a domain the root holds, or its own. */
static int decode_ram_limit(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	int64_t id = (int64_t)arg(t, 0);
	args->quota.pd = id == -1 ? t->pd : pd_of_id((uint64_t)id);
	if (!args->quota.pd || args->quota.pd->state != PD_RUNNING)
		return KERR_INVALID;
	args->quota.frames = arg(t, 1) / PAGE_SIZE;
	return 0;
}

static long invoke_ram_limit(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	args->quota.pd->ram_limit = args->quota.frames;
	return (long)(args->quota.pd->ram_used * PAGE_SIZE);
}

/* SYS_PD_OBJ_LIMIT: like SYS_PD_RAM_LIMIT, one kind of object. */
static int decode_obj_limit(struct thread *t, union sys_args *args)
{
	int err = decode_ram_limit(t, args);
	if (err)
		return err;
	args->quota.kind = arg(t, 1);
	if (args->quota.kind >= PD_OBJ_KINDS || arg(t, 2) > UINT32_MAX)
		return KERR_INVALID;
	args->quota.count = (uint32_t)arg(t, 2);
	return 0;
}

static long invoke_obj_limit(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	struct pd *pd = args->quota.pd;
	pd->obj_limit[args->quota.kind] = args->quota.count;
	return (long)pd->obj_used[args->quota.kind];
}

/* SYS_KERNEL_FREE: the root asks what is left, to size init's quota. */
static int decode_kernel_free(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->quota.kind = arg(t, 0);
	return args->quota.kind == KERNEL_FREE_RAM ||
	                       args->quota.kind == KERNEL_FREE_SLOTS
	               ? 0
	               : KERR_INVALID;
}

static long invoke_kernel_free(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	if (args->quota.kind == KERNEL_FREE_RAM)
		return (long)(page_free_count() * PAGE_SIZE);
	return (long)cap_free_slots(&t->pd->cspace);
}

/* SYS_PD_USAGE: what a domain the root holds (or the root itself) has
 * of the kernel, read only; a domain ended but not released has nothing
 * (pd_end asserts its counts 0). */
static int decode_pd_usage(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	int64_t id = (int64_t)arg(t, 0);
	args->quota.pd = id == -1 ? t->pd : pd_of_id((uint64_t)id);
	args->quota.kind = arg(t, 1);
	return args->quota.pd && args->quota.kind < PD_USE_KINDS ? 0
	                                                         : KERR_INVALID;
}

static long invoke_pd_usage(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	const struct pd *pd = args->quota.pd;
	if (pd->state != PD_RUNNING)
		return 0;
	switch (args->quota.kind) {
	case PD_USE_FRAMES:
		return (long)pd->ram_used;
	case PD_USE_SLOTS:
		return (long)(CSPACE_SLOTS - cap_free_slots(&pd->cspace));
	case PD_USE_MAPS:
		return (long)mem_maps_used(pd);
	default:
		return (long)pd->obj_used[args->quota.kind];
	}
}

/* SYS_PD_THREADS: the root, a domain it holds or itself, a buffer of
 * the root's for `count` entries (cut to THREAD_MAX first). */
static int decode_pd_threads(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	int64_t id = (int64_t)arg(t, 0);
	uint64_t count = arg(t, 2);
	args->threads.pd = id == -1 ? t->pd : pd_of_id((uint64_t)id);
	args->threads.buf = arg(t, 1);
	args->threads.count = count < THREAD_MAX ? (unsigned)count : THREAD_MAX;
	if (!args->threads.pd ||
	    !vm_user_range_ok(&t->pd->space, args->threads.buf,
	                      args->threads.count * sizeof(struct pd_thread),
	                      VM_W))
		return KERR_INVALID;
	return 0;
}

static long invoke_pd_threads(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	const struct thread *list[THREAD_MAX];
	unsigned n = pd_threads(args->threads.pd, list, args->threads.count);
	for (unsigned i = 0; i < n && i < args->threads.count; i++) {
		struct pd_thread e = { .switches = list[i]->switches };
		for (unsigned c = 0; c < THREAD_NAME_MAX; c++)
			e.name[c] = list[i]->name[c];
		vm_write_user(&t->pd->space, args->threads.buf + i * sizeof e,
		              &e, sizeof e);
	}
	return (long)n;
}

void sys_table_pd(struct syscall *table)
{
	table[SYS_PD_CREATE] = (struct syscall){ decode_pd_create,
		                                 invoke_pd_create };
	table[SYS_BOOTMOD_MEM] = (struct syscall){ decode_bootmod_mem,
		                                   invoke_bootmod_mem };
	table[SYS_PD_CREATE_IMAGE] = (struct syscall){ decode_pd_create_image,
		                                       invoke_pd_create_image };
	table[SYS_PD_KILL] = (struct syscall){ decode_pd_id, invoke_pd_kill };
	table[SYS_PD_STATE] = (struct syscall){ decode_pd_id, invoke_pd_state };
	table[SYS_PD_WAIT] = (struct syscall){ decode_pd_id, invoke_pd_wait };
	table[SYS_PD_RELEASE] = (struct syscall){ decode_pd_release,
		                                  invoke_pd_release };
	table[SYS_PD_THREAD] = (struct syscall){ decode_pd_id,
		                                 invoke_pd_thread };
	table[SYS_PD_RAM_LIMIT] = (struct syscall){ decode_ram_limit,
		                                    invoke_ram_limit };
	table[SYS_PD_OBJ_LIMIT] = (struct syscall){ decode_obj_limit,
		                                    invoke_obj_limit };
	table[SYS_BOOTMOD_INFO] = (struct syscall){ decode_bootmod_info,
		                                    invoke_bootmod_info };
	table[SYS_KERNEL_FREE] = (struct syscall){ decode_kernel_free,
		                                   invoke_kernel_free };
	table[SYS_PD_USAGE] = (struct syscall){ decode_pd_usage,
		                                invoke_pd_usage };
	table[SYS_PD_THREADS] = (struct syscall){ decode_pd_threads,
		                                  invoke_pd_threads };
}
