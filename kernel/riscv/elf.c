/*
 * The ELF loader (elf.h). Every offset and size read from the image is
 * checked against the image size and the user address range with
 * overflow-safe arithmetic before it is used; decode reads each program
 * header once, so checking is linear in the image's header count. The
 * image is read only through image_read(), which copies what it asks for
 * (headers into the kernel's stack, file bytes into the new frames), so
 * scattered frames and contiguous bytes are one case.
 */
#include "arch.h"
#include "elf.h"
#include "kernel/kernel.h"
#include "page.h"
#include "panic.h"

void *memcpy(void *restrict dst, const void *restrict src,
             size_t n); /* string.c */

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define ET_EXEC 2
#define EM_RISCV 243
#define PT_LOAD 1
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define MAX_PHDRS 32u

/* Copies [offset, offset+len) of the image, which decode has checked lies
 * inside it. */
static void image_read(const struct elf_image *img, size_t offset, void *to,
                       size_t len)
{
	KASSERT(offset <= img->size && img->size - offset >= len);
	if (img->bytes) {
		memcpy(to, img->bytes + offset, len);
		return;
	}
	for (size_t n; len; offset += n, to = (uint8_t *)to + n, len -= n) {
		size_t in = offset % PAGE_SIZE;
		n = PAGE_SIZE - in < len ? PAGE_SIZE - in : len;
		memcpy(to,
		       (const uint8_t *)img->frames[offset / PAGE_SIZE] + in,
		       n);
	}
}

static int refuse(const char **why, const char *text)
{
	*why = text;
	return KERR_INVALID;
}

static int check_header(const struct elf64_ehdr *eh, size_t size,
                        const char **why)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	for (int i = 0; i < 4; i++)
		if (eh->ident[i] != magic[i])
			return refuse(why, "no ELF magic");
	if (eh->ident[4] != 2 || eh->ident[5] != 1)
		return refuse(why, "not ELF64 little endian");
	if (eh->type != ET_EXEC || eh->machine != EM_RISCV)
		return refuse(why, "not a RISC-V executable");
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum > MAX_PHDRS)
		return refuse(why, "bad program header table");
	if (eh->phoff % 8 || eh->phoff > size ||
	    (size - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum)
		return refuse(why, "program headers outside the image");
	return 0;
}

static int plan_segment(const struct elf64_phdr *ph, size_t size,
                        struct elf_plan *plan, const char **why)
{
	if (plan->count == ELF_MAX_SEGMENTS)
		return refuse(why, "too many segments");
	if (ph->filesz > ph->memsz)
		return refuse(why, "segment file size over memory size");
	if (ph->offset > size || size - ph->offset < ph->filesz)
		return refuse(why, "segment outside the image");
	if (ph->vaddr < USER_BASE || ph->vaddr > USER_IMAGE_TOP ||
	    USER_IMAGE_TOP - ph->vaddr < ph->memsz)
		return refuse(why, "segment outside the user range");
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return refuse(why, "segment writable and executable");
	uintptr_t start = ph->vaddr & ~(PAGE_SIZE - 1);
	uintptr_t end = (ph->vaddr + ph->memsz + PAGE_SIZE - 1) &
	                ~(PAGE_SIZE - 1);
	if (plan->count) {
		const struct elf_segment *prev = &plan->seg[plan->count - 1];
		if (start < prev->vaddr + prev->pages * PAGE_SIZE)
			return refuse(why,
			              "segments overlap or are out of order");
	}
	struct elf_segment *s = &plan->seg[plan->count++];
	s->vaddr = start;
	s->pages = (end - start) / PAGE_SIZE;
	s->file_offset = ph->offset;
	s->file_vaddr = ph->vaddr;
	s->file_size = ph->filesz;
	s->perm = ((ph->flags & PF_R) ? VM_R : 0) |
	          ((ph->flags & PF_W) ? VM_W : 0) |
	          ((ph->flags & PF_X) ? VM_X : 0);
	if (!(s->perm & (VM_R | VM_X)))
		s->perm |= VM_R;
	plan->frames += s->pages + vm_tables_needed(s->pages);
	return 0;
}

int elf_decode(const struct elf_image *image, struct elf_plan *out,
               const char **why)
{
	size_t size = image->size;
	if (size < sizeof(struct elf64_ehdr))
		return refuse(why, "image too small");
	struct elf64_ehdr eh;
	image_read(image, 0, &eh, sizeof eh);
	int err = check_header(&eh, size, why);
	if (err)
		return err;
	struct elf_plan plan = { .entry = eh.entry };
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		image_read(image, eh.phoff + i * sizeof ph, &ph, sizeof ph);
		if (ph.type != PT_LOAD || (ph.memsz == 0 && ph.filesz == 0))
			continue; /* an empty segment maps nothing */
		err = plan_segment(&ph, size, &plan, why);
		if (err)
			return err;
	}
	int entry_ok = 0;
	for (unsigned i = 0; i < plan.count; i++) {
		const struct elf_segment *s = &plan.seg[i];
		if ((s->perm & VM_X) && plan.entry >= s->vaddr &&
		    plan.entry < s->vaddr + s->pages * PAGE_SIZE)
			entry_ok = 1;
	}
	if (!entry_ok)
		return refuse(why, "entry point not in an executable segment");
	*out = plan;
	return 0;
}

static void load_segment(struct vm_space *space, const struct elf_image *image,
                         const struct elf_segment *s)
{
	for (size_t i = 0; i < s->pages; i++) {
		uintptr_t va = s->vaddr + i * PAGE_SIZE;
		uintptr_t pa = page_alloc();
		KASSERT(pa); /* counted by elf_decode, reserved by the caller */
		/* The file bytes that fall into [va, va + PAGE_SIZE). */
		uintptr_t from = va > s->file_vaddr ? va : s->file_vaddr;
		uintptr_t to = s->file_vaddr + s->file_size;
		if (to > va + PAGE_SIZE)
			to = va + PAGE_SIZE;
		if (to > from)
			image_read(image,
			           s->file_offset + (from - s->file_vaddr),
			           (uint8_t *)pa + (from - va), to - from);
		vm_map_page(space, va, pa, s->perm);
	}
}

void elf_load(struct vm_space *space, const struct elf_image *image,
              const struct elf_plan *plan)
{
	KASSERT(page_free_count() >= plan->frames);
	for (unsigned i = 0; i < plan->count; i++)
		load_segment(space, image, &plan->seg[i]);
}
