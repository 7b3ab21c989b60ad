/*
 * The system calls of memory objects and devices (abi.h): RAM objects,
 * mapping, sealing; device memory, interrupt binding and acknowledgement;
 * the physical address of a RAM object's byte for the root's DMA; a
 * domain's promise of no new code.
 * Decode and invoke as syscall.c says.
 *
 * Invariant: a domain that made SYS_NO_NEW_CODE gets no executable
 * mapping from then on. SYS_MEM_MAP is the only call that maps a page
 * executable into a domain that runs (the ELF loader maps only a domain
 * being made, and sys_pd.c refuses to make one for such a caller); its
 * decode refuses KMEM_EXEC to such a domain, and mem_map() asserts it.
 * What was mapped executable before stays: a component sets the flag at
 * the end of its start-up, when its only code is its image's, which the
 * kernel loaded into frames of the domain's own that no memory object
 * names, so nothing can write it.
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

static int decode_mem_create(struct thread *t, union sys_args *args)
{
	uint64_t size = arg(t, 0);
	if (size == 0 || size > MEM_MAX_PAGES * PAGE_SIZE)
		return KERR_INVALID;
	args->mem.pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!pd_obj_room(t->pd, PD_OBJ_MEM))
		return KERR_LIMIT;
	if (!mem_available(args->mem.pages) ||
	    !cap_has_free_slot(&t->pd->cspace) ||
	    !pd_ram_room(t->pd, args->mem.pages + 1))
		return KERR_NOMEM; /* no frames, slots, or over its RAM quota */
	return 0;
}

static long invoke_mem_create(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	struct cap cap = { KCAP_TYPE_MEMORY,
		           mem_create(args->mem.pages, t->pd) };
	return cap_insert(&t->pd->cspace, cap);
}

/* The memory object argument `i` names in the caller's space. */
static int decode_mem(struct thread *t, unsigned i, union sys_args *args)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, i));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_MEMORY)
		return KERR_WRONG_TYPE;
	args->mem.mem = c->obj;
	return 0;
}

static int decode_mem_size(struct thread *t, union sys_args *args)
{
	return decode_mem(t, 0, args);
}

static long invoke_mem_size(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return (long)mem_size(args->mem.mem);
}

static int decode_mem_seal(struct thread *t, union sys_args *args)
{
	int err = decode_mem(t, 0, args);
	if (!err && mem_has_writable_mapping(args->mem.mem))
		err = KERR_DENIED;
	return err;
}

static long invoke_mem_seal(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	mem_seal(args->mem.mem);
	return 0;
}

/* kernel.h's KMEM_* into page permissions: readable always, never W+X,
 * no W on a sealed object, no X for a domain of no new code. */
static int decode_perm(uint64_t flags, const struct mem *m, const struct pd *pd,
                       unsigned *perm)
{
	if (flags & ~(uint64_t)(KMEM_READ | KMEM_WRITE | KMEM_EXEC))
		return KERR_INVALID;
	if ((flags & KMEM_WRITE) && (flags & KMEM_EXEC))
		return KERR_DENIED;
	if ((flags & KMEM_EXEC) && pd->no_new_code)
		return KERR_DENIED;
	if ((flags & KMEM_WRITE) && mem_sealed(m))
		return KERR_DENIED;
	*perm = VM_R | (flags & KMEM_WRITE ? VM_W : 0) |
	        (flags & KMEM_EXEC ? VM_X : 0);
	return 0;
}

static int decode_mem_map(struct thread *t, union sys_args *args)
{
	int err = decode_mem(t, 0, args);
	if (err)
		return err;
	if (mem_revoked(args->mem.mem))
		return KERR_REVOKED;
	uint64_t offset = arg(t, 1), size = arg(t, 2), va = arg(t, 4);
	if (offset % PAGE_SIZE || size == 0 || size % PAGE_SIZE ||
	    va % PAGE_SIZE || offset > mem_size(args->mem.mem) ||
	    size > mem_size(args->mem.mem) - offset)
		return KERR_INVALID;
	err = decode_perm(arg(t, 3), args->mem.mem, t->pd, &args->mem.perm);
	if (err)
		return err;
	if (!vm_user_range_free(&t->pd->space, va, size))
		return KERR_INVALID;
	args->mem.pages = size / PAGE_SIZE;
	if (!mem_map_slot_free(t->pd) ||
	    page_free_count() < vm_tables_needed(args->mem.pages))
		return KERR_NOMEM;
	args->mem.first = offset / PAGE_SIZE;
	args->mem.va = va;
	return 0;
}

static long invoke_mem_map(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	mem_map(t->pd, args->mem.mem, args->mem.first, args->mem.pages,
	        args->mem.va, args->mem.perm);
	return 0;
}

/* SYS_NO_NEW_CODE: nothing to check; a second time changes nothing. */
static long invoke_no_new_code(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	t->pd->no_new_code = 1;
	return 0;
}

static int decode_mem_unmap(struct thread *t, union sys_args *args)
{
	args->mem.mapping = mem_mapping_at(t->pd, arg(t, 0), arg(t, 1));
	return args->mem.mapping < 0 ? KERR_INVALID : 0;
}

static long invoke_mem_unmap(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	mem_unmap(t->pd, args->mem.mapping);
	return 0;
}

static int decode_iomem_create(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	uint64_t phys = arg(t, 0), size = arg(t, 1);
	if (!mem_device_range_ok(phys, size))
		return KERR_DENIED;
	if (!mem_available(0) || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	args->mem.phys = phys;
	args->mem.pages = size / PAGE_SIZE;
	return 0;
}

static long invoke_iomem_create(struct thread *t, const union sys_args *args,
                                struct thread **next)
{
	struct cap cap = { KCAP_TYPE_MEMORY,
		           mem_create_device(args->mem.phys, args->mem.pages) };
	return cap_insert(&t->pd->cspace, cap);
}

static int decode_irq_bind(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->irq.irq = arg(t, 0);
	if (!irq_valid(args->irq.irq) || irq_bound(args->irq.irq))
		return KERR_INVALID;
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 1));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_SIGNAL)
		return KERR_WRONG_TYPE;
	if (!signal_alive(c->obj))
		return KERR_REVOKED;
	args->irq.sig = c->obj;
	return 0;
}

static long invoke_irq_bind(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	irq_bind(args->irq.irq, args->irq.sig);
	return 0;
}

static long invoke_irq_ack(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	irq_ack(args->signal.sig);
	return 0;
}

static int decode_irq_unbind(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->irq.irq = arg(t, 0);
	if (!irq_valid(args->irq.irq) || !irq_bound(args->irq.irq))
		return KERR_INVALID;
	return 0;
}

static long invoke_irq_unbind(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	irq_unbind(args->irq.irq);
	return 0;
}

static int decode_mem_revoke(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	return decode_mem(t, 0, args);
}

static long invoke_mem_revoke(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	return (long)mem_revoke(args->mem.mem);
}

/* SYS_MEM_PHYS: the root only (a device's DMA reaches any frame, so only
 * the domain that drives devices learns where its frames are), a RAM
 * object of the caller's, an offset inside it. */
static int decode_mem_phys(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	int err = decode_mem(t, 0, args);
	if (err)
		return err;
	uint64_t offset = arg(t, 1);
	if (!mem_is_ram(args->mem.mem) || offset >= mem_size(args->mem.mem))
		return KERR_INVALID;
	args->mem.offset = offset;
	return 0;
}

static long invoke_mem_phys(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return (long)mem_phys(args->mem.mem, args->mem.offset);
}

void sys_table_mem(struct syscall *table)
{
	table[SYS_MEM_CREATE] = (struct syscall){ decode_mem_create,
		                                  invoke_mem_create };
	table[SYS_MEM_SIZE] = (struct syscall){ decode_mem_size,
		                                invoke_mem_size };
	table[SYS_MEM_SEAL] = (struct syscall){ decode_mem_seal,
		                                invoke_mem_seal };
	table[SYS_MEM_MAP] = (struct syscall){ decode_mem_map, invoke_mem_map };
	table[SYS_MEM_UNMAP] = (struct syscall){ decode_mem_unmap,
		                                 invoke_mem_unmap };
	table[SYS_IOMEM_CREATE] = (struct syscall){ decode_iomem_create,
		                                    invoke_iomem_create };
	table[SYS_IRQ_BIND] = (struct syscall){ decode_irq_bind,
		                                invoke_irq_bind };
	table[SYS_IRQ_ACK] = (struct syscall){ decode_own_signal,
		                               invoke_irq_ack };
	table[SYS_IRQ_UNBIND] = (struct syscall){ decode_irq_unbind,
		                                  invoke_irq_unbind };
	table[SYS_MEM_REVOKE] = (struct syscall){ decode_mem_revoke,
		                                  invoke_mem_revoke };
	table[SYS_MEM_PHYS] = (struct syscall){ decode_mem_phys,
		                                invoke_mem_phys };
	table[SYS_NO_NEW_CODE] = (struct syscall){ decode_none,
		                                   invoke_no_new_code };
}
