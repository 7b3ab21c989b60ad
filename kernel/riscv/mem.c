/*
 * Memory objects and mappings (mem.h). Objects come from a fixed pool
 * like endpoints (ipc.c), and so do the mapping tables (one per domain
 * slot, indexed like pds): global state with a reason, one kernel. A RAM
 * object lists its frames in one frame of its own.
 */
#include "arch.h"
#include "kernel/kernel.h"
#include "mem.h"
#include "page.h"
#include "panic.h"
#include "vm.h"

struct mem {
	int used;
	unsigned refs;  /* capability slots */
	unsigned maps;  /* mappings in any domain */
	unsigned wmaps; /* of them writable */
	int sealed;
	int revoked; /* SYS_MEM_REVOKE: never mapped again */
	size_t pages;
	uintptr_t *frames; /* RAM: one frame's worth of addresses */
	uintptr_t phys;    /* device memory or a boot module: where it starts */
	int device;        /* device registers (VM_DEVICE mappings) */
	const struct bootmod *image; /* the boot module it shows, or 0 */
	struct pd *owner;            /* charged pages + 1 frames (RAM), or 0 */
};

struct mapping {
	struct mem *mem;
	uintptr_t va;
	size_t pages;
	int writable;
};

_Static_assert(MEM_MAX_PAGES * sizeof(uintptr_t) <= PAGE_SIZE,
               "one frame lists a RAM object's frames");

static struct mem mems[MEM_MAX];
static struct mapping maps[PD_MAX][MAP_MAX];

/* The board's devices the kernel keeps (arch.h, README.md): a driver gets
 * none of them. The rest of the first gigabyte below RAM is devices. */
static const struct {
	uintptr_t base, size;
} kernel_devices[] = {
	{ FINISHER_BASE, 0x1000 },
	{ CLINT_BASE, 0x10000 },
	{ PLIC_BASE, PLIC_SIZE },
};

static struct mapping *table(const struct pd *pd)
{
	return maps[pd_index(pd)];
}

int mem_available(size_t pages)
{
	int slot = 0;
	for (unsigned i = 0; i < MEM_MAX && !slot; i++)
		slot = !mems[i].used;
	return slot && pages <= MEM_MAX_PAGES && page_free_count() >= pages + 1;
}

int mem_device_range_ok(uintptr_t phys, size_t size)
{
	if (phys % PAGE_SIZE || size == 0 || size % PAGE_SIZE ||
	    phys + size < phys || phys + size > RAM_BASE ||
	    size > MEM_MAX_PAGES * PAGE_SIZE)
		return 0;
	for (unsigned i = 0;
	     i < sizeof kernel_devices / sizeof kernel_devices[0]; i++)
		if (phys < kernel_devices[i].base + kernel_devices[i].size &&
		    kernel_devices[i].base < phys + size)
			return 0;
	return 1;
}

static struct mem *slot(void)
{
	for (unsigned i = 0; i < MEM_MAX; i++)
		if (!mems[i].used)
			return &mems[i];
	PANIC("mem_create without a free object");
}

struct mem *mem_create(size_t pages, struct pd *owner)
{
	struct mem *m = slot();
	*m = (struct mem){ .used = 1, .pages = pages, .owner = owner };
	pd_charge(owner, pages + 1);
	pd_obj_charge(owner, PD_OBJ_MEM);
	m->frames = (uintptr_t *)page_alloc();
	KASSERT(m->frames);
	for (size_t i = 0; i < pages; i++)
		KASSERT((m->frames[i] = page_alloc()));
	return m;
}

struct mem *mem_create_device(uintptr_t phys, size_t pages)
{
	struct mem *m = slot();
	*m = (struct mem){
		.used = 1, .pages = pages, .phys = phys, .device = 1
	};
	return m;
}

struct mem *mem_create_image(const struct bootmod *mod)
{
	KASSERT(!((uintptr_t)mod->data % PAGE_SIZE));
	struct mem *m = slot();
	*m = (struct mem){ .used = 1,
		           .pages = (mod->size + PAGE_SIZE - 1) / PAGE_SIZE,
		           .phys = (uintptr_t)mod->data,
		           .sealed = 1,
		           .image = mod };
	return m;
}

const struct bootmod *mem_image(const struct mem *m)
{
	return m->image;
}

int mem_elf_image(const struct mem *m, struct elf_image *image)
{
	if (m->device)
		return KERR_INVALID;
	if (m->image)
		*image = (struct elf_image){ .bytes = m->image->data,
			                     .size = m->image->size };
	else
		*image = (struct elf_image){ .frames = m->frames,
			                     .size = m->pages * PAGE_SIZE };
	return 0;
}

size_t mem_size(const struct mem *m)
{
	return m->pages * PAGE_SIZE;
}

int mem_is_ram(const struct mem *m)
{
	return m->frames != 0;
}

uintptr_t mem_phys(const struct mem *m, size_t offset)
{
	KASSERT(m->frames && offset < m->pages * PAGE_SIZE);
	return m->frames[offset / PAGE_SIZE] + offset % PAGE_SIZE;
}
int mem_sealed(const struct mem *m)
{
	return m->sealed;
}
int mem_revoked(const struct mem *m)
{
	return m->revoked;
}
int mem_has_writable_mapping(const struct mem *m)
{
	return m->wmaps != 0;
}

void mem_seal(struct mem *m)
{
	KASSERT(!m->wmaps);
	m->sealed = 1;
}

static void release_if_unused(struct mem *m)
{
	if (m->refs || m->maps)
		return;
	if (m->frames) {
		for (size_t i = 0; i < m->pages; i++)
			page_free(m->frames[i]);
		page_free((uintptr_t)m->frames);
	}
	if (m->owner) {
		pd_uncharge(m->owner, m->pages + 1);
		pd_obj_uncharge(m->owner, PD_OBJ_MEM, 1);
	}
	*m = (struct mem){ 0 };
}

void mem_ref(void *obj, int delta)
{
	struct mem *m = obj;
	KASSERT(delta > 0 || m->refs > 0);
	m->refs += (unsigned)delta;
	release_if_unused(m);
}

int mem_map_slot_free(const struct pd *pd)
{
	const struct mapping *t = table(pd);
	for (unsigned i = 0; i < MAP_MAX; i++)
		if (!t[i].mem)
			return 1;
	return 0;
}

unsigned mem_maps_used(const struct pd *pd)
{
	const struct mapping *t = table(pd);
	unsigned n = 0;
	for (unsigned i = 0; i < MAP_MAX; i++)
		n += t[i].mem != 0;
	return n;
}

void mem_map(struct pd *pd, struct mem *m, size_t first_page, size_t pages,
             uintptr_t va, unsigned perm)
{
	KASSERT(first_page + pages <= m->pages &&
	        !(m->sealed && (perm & VM_W)) && !m->revoked &&
	        !((perm & VM_X) && pd->no_new_code));
	struct mapping *t = table(pd), *slot_ = 0;
	for (unsigned i = 0; i < MAP_MAX && !slot_; i++)
		if (!t[i].mem)
			slot_ = &t[i];
	KASSERT(slot_);
	perm |= VM_SHARED | (m->device ? VM_DEVICE : 0);
	for (size_t i = 0; i < pages; i++) {
		size_t p = first_page + i;
		uintptr_t pa = m->frames ? m->frames[p]
		                         : m->phys + p * PAGE_SIZE;
		vm_map_page(&pd->space, va + i * PAGE_SIZE, pa, perm);
	}
	*slot_ = (struct mapping){ m, va, pages, !!(perm & VM_W) };
	m->maps++;
	m->wmaps += slot_->writable;
}

int mem_mapping_at(const struct pd *pd, uintptr_t va, size_t size)
{
	const struct mapping *t = table(pd);
	for (unsigned i = 0; i < MAP_MAX; i++)
		if (t[i].mem && t[i].va == va && t[i].pages * PAGE_SIZE == size)
			return (int)i;
	return -1;
}

void mem_unmap(struct pd *pd, int mapping)
{
	struct mapping *map = &table(pd)[mapping];
	struct mem *m = map->mem;
	KASSERT(m && m->maps > 0);
	for (size_t i = 0; i < map->pages; i++)
		vm_unmap_page(&pd->space, map->va + i * PAGE_SIZE);
	m->maps--;
	m->wmaps -= map->writable;
	*map = (struct mapping){ 0 };
	release_if_unused(m);
}

void mem_disown_all(struct pd *pd)
{
	for (unsigned i = 0; i < MEM_MAX; i++)
		if (mems[i].used && mems[i].owner == pd) {
			pd_uncharge(pd, mems[i].pages + 1);
			pd_obj_uncharge(pd, PD_OBJ_MEM, 1);
			mems[i].owner = 0;
		}
}

void mem_unmap_all(struct pd *pd)
{
	for (unsigned i = 0; i < MAP_MAX; i++)
		if (table(pd)[i].mem)
			mem_unmap(pd, (int)i);
}

unsigned mem_revoke(struct mem *m)
{
	KASSERT(m->refs > 0);
	unsigned gone = 0;
	for (unsigned d = 0; d < PD_MAX; d++)
		for (unsigned i = 0; i < MAP_MAX; i++)
			if (maps[d][i].mem == m) {
				mem_unmap(pd_at_index(d), (int)i);
				gone++;
			}
	KASSERT(m->maps == 0 && m->wmaps == 0);
	m->revoked = 1;
	return gone;
}
