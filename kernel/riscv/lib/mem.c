/*
 * Memory objects and address-space reservations (kernel/kernel.h): NOT
 * YET on the riscv kernel, which has no memory objects (README.md, "What
 * remains"). Every call says so with KERR_DENIED ("not permitted here"),
 * so libruntime's dataspaces, region maps and ROM mappings fail cleanly
 * instead of pretending; kpage_size() is the real one.
 */
#include "lib.h"

int kmem_create(size_t size, kcap_t *mem)
{
	(void)size; (void)mem;
	return KERR_DENIED;
}

int kmem_commit(kcap_t mem)
{
	(void)mem;
	return KERR_DENIED;
}

int kmem_size(kcap_t mem, size_t *size)
{
	(void)size;
	return kcap_valid(mem) ? KERR_WRONG_TYPE : KERR_INVALID;
}

int kmem_seal_readonly(kcap_t mem)
{
	(void)mem;
	return KERR_DENIED;
}

int kmem_map(kcap_t mem, size_t offset, size_t size, unsigned flags,
             void *at, void **addr)
{
	(void)mem; (void)offset; (void)size; (void)flags; (void)at; (void)addr;
	return KERR_DENIED;
}

int kmem_unmap(void *addr, size_t size)
{
	(void)addr; (void)size;
	return KERR_DENIED;
}

int kvm_reserve(size_t size, void **base)
{
	(void)size; (void)base;
	return KERR_DENIED;
}

int kvm_release(void *base, size_t size)
{
	(void)base; (void)size;
	return KERR_DENIED;
}

int kvm_rereserve(void *addr, size_t size)
{
	(void)addr; (void)size;
	return KERR_DENIED;
}

size_t kpage_size(void)
{
	return 4096u;
}
