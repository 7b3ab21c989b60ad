/*
 * Memory objects and address-space reservations of the kernel interface
 * on Linux. A memory object is a memfd (close-on-exec, sealable) whose
 * size is fixed at creation by the seals F_SEAL_SHRINK and F_SEAL_GROW;
 * kmem_seal_readonly() adds F_SEAL_WRITE and F_SEAL_SEAL, which the kernel
 * refuses while a writable shared mapping exists.
 *
 * Writable mappings are MAP_SHARED. Read-only mappings are MAP_PRIVATE:
 * they still show every write made through shared mappings (no page of
 * theirs is ever copied, as they are never written), and unlike a shared
 * mapping of a writable descriptor they do not count as writable, so a
 * dataspace can be sealed while readers have it mapped.
 *
 * A reservation is an inaccessible anonymous mapping (PROT_NONE,
 * MAP_NORESERVE) that keeps a range of address space for a region map;
 * kmem_map() with `at` replaces part of it (MAP_FIXED), and
 * kvm_rereserve() fills a hole left by kmem_unmap() again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "error.h"

size_t kpage_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static int page_aligned(uintptr_t value)
{
	return value % kpage_size() == 0;
}

/* Checks that `mem` is a memory object and reads its size. */
static int mem_object_size(kcap_t mem, size_t *size)
{
	struct stat st;
	enum kcap_type type = kcap_type(mem);

	if (type != KCAP_TYPE_MEMORY)
		return type == KCAP_TYPE_NONE ? KERR_INVALID : KERR_WRONG_TYPE;
	if (fstat(mem.sel, &st) != 0)
		return KERR_INVALID;
	*size = (size_t)st.st_size;
	return KERR_OK;
}

int kmem_create(size_t size, kcap_t *mem)
{
	size_t page = kpage_size();

	if (!mem || size == 0 || size > SIZE_MAX - page)
		return KERR_INVALID;
	size = (size + page - 1) / page * page;
	int fd = memfd_create("kmem", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return kerr_from_errno(errno);
	if (ftruncate(fd, (off_t)size) != 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) != 0) {
		int err = kerr_from_errno(errno);
		close(fd);
		return err == KERR_INVALID ? KERR_NOMEM : err;
	}
	mem->sel = fd;
	return KERR_OK;
}

int kmem_commit(kcap_t mem)
{
	size_t size;
	int err = mem_object_size(mem, &size);
	if (err != KERR_OK)
		return err;
	while ((err = fallocate(mem.sel, 0, 0, (off_t)size)) != 0 &&
	       errno == EINTR)
		;
	return err == 0 ? KERR_OK : KERR_NOMEM;
}

int kmem_size(kcap_t mem, size_t *size)
{
	size_t got;

	if (!size)
		return KERR_INVALID;
	int err = mem_object_size(mem, &got);
	if (err == KERR_OK)
		*size = got;
	return err;
}

int kmem_seal_readonly(kcap_t mem)
{
	size_t size;
	int err = mem_object_size(mem, &size);

	if (err != KERR_OK)
		return err;
	int seals = fcntl(mem.sel, F_GET_SEALS);
	if (seals >= 0 && (seals & F_SEAL_WRITE))
		return KERR_OK; /* sealed already */
	if (fcntl(mem.sel, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL) != 0)
		return errno == EBUSY || errno == EPERM
		               ? KERR_DENIED
		               : kerr_from_errno(errno);
	return KERR_OK;
}

static int mem_prot(unsigned flags)
{
	return ((flags & KMEM_READ) ? PROT_READ : 0) |
	       ((flags & KMEM_WRITE) ? PROT_WRITE : 0) |
	       ((flags & KMEM_EXEC) ? PROT_EXEC : 0);
}

int kmem_map(kcap_t mem, size_t offset, size_t size, unsigned flags, void *at,
             void **addr)
{
	size_t object_size;
	int err = mem_object_size(mem, &object_size);

	if (err != KERR_OK)
		return err;
	if (!addr || size == 0 || !page_aligned(offset) ||
	    !page_aligned((uintptr_t)at) || offset > object_size ||
	    size > object_size - offset || flags == 0 ||
	    (flags & ~(unsigned)(KMEM_READ | KMEM_WRITE | KMEM_EXEC)))
		return KERR_INVALID;
	int share = (flags & KMEM_WRITE) ? MAP_SHARED : MAP_PRIVATE;
	void *got = mmap(at, size, mem_prot(flags),
	                 share | (at ? MAP_FIXED : 0), mem.sel, (off_t)offset);
	if (got == MAP_FAILED)
		return errno == EPERM || errno == EACCES
		               ? KERR_DENIED
		               : kerr_from_errno(errno);
	*addr = got;
	return KERR_OK;
}

int kmem_unmap(void *addr, size_t size)
{
	if (!addr || size == 0 || !page_aligned((uintptr_t)addr))
		return KERR_INVALID;
	return munmap(addr, size) == 0 ? KERR_OK : kerr_from_errno(errno);
}

int kvm_reserve(size_t size, void **base)
{
	if (!base || size == 0)
		return KERR_INVALID;
	void *got = mmap(NULL, size, PROT_NONE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (got == MAP_FAILED)
		return kerr_from_errno(errno);
	*base = got;
	return KERR_OK;
}

int kvm_release(void *base, size_t size)
{
	return kmem_unmap(base, size);
}

int kvm_rereserve(void *addr, size_t size)
{
	if (!addr || size == 0 || !page_aligned((uintptr_t)addr))
		return KERR_INVALID;
	/* NOREPLACE: if something took the hole meanwhile, it is not ours
	 * to overwrite. */
	void *got = mmap(addr, size, PROT_NONE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
	                         MAP_FIXED_NOREPLACE,
	                 -1, 0);
	if (got == MAP_FAILED)
		return errno == EEXIST ? KERR_DENIED : kerr_from_errno(errno);
	if (got != addr) { /* kernels before 4.17 ignore NOREPLACE */
		munmap(got, size);
		return KERR_DENIED;
	}
	return KERR_OK;
}
