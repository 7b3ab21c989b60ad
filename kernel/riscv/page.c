/*
 * The frame allocator (page.h): a singly linked free list threaded through
 * the free frames themselves. Global state with a reason: there is one
 * physical memory and one core.
 */
#include "arch.h"
#include "page.h"
#include "panic.h"

extern char __kernel_end[];

static struct free_page {
	struct free_page *next;
} *free_list;
static size_t free_count;
static uintptr_t first_frame, end_frame;

static void *memzero_page(uintptr_t pa)
{
	uint64_t *p = (uint64_t *)pa;
	for (size_t i = 0; i < PAGE_SIZE / sizeof *p; i++)
		p[i] = 0;
	return p;
}

void page_init(void)
{
	first_frame = ((uintptr_t)__kernel_end + PAGE_SIZE - 1) &
	              ~(PAGE_SIZE - 1);
	end_frame = MODULE_BASE;
	KASSERT(first_frame < end_frame);
	for (uintptr_t pa = end_frame; pa > first_frame;)
		page_free(pa -= PAGE_SIZE);
}

uintptr_t page_alloc(void)
{
	struct free_page *p = free_list;
	if (!p)
		return 0;
	free_list = p->next;
	free_count--;
	return (uintptr_t)memzero_page((uintptr_t)p);
}

void page_free(uintptr_t pa)
{
	KASSERT(pa >= first_frame && pa < end_frame && !(pa & (PAGE_SIZE - 1)));
	struct free_page *p = (struct free_page *)pa;
	p->next = free_list;
	free_list = p;
	free_count++;
}

size_t page_free_count(void)
{
	return free_count;
}
