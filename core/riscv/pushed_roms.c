/*
 * The table of pushed ROMs (pushed_roms.h). Global state with a reason:
 * there is one core and one control channel; the table is what the ROM
 * service's boot_modules.c and the control thread share.
 */
#include "pushed_roms.h"

#include "core_platform.h"

#include <runtime/lock.h>

#include <string.h>

struct pushed_rom {
	char name[TARGET_NAME_MAX]; /* "" while the slot is free */
	kcap_t mem;
	size_t size;
	uint64_t generation;
};

static struct lock table_lock = LOCK_INIT;
static struct pushed_rom table[PUSHED_ROMS_MAX];
static uint64_t generations; /* of all pushes: a stamp never repeats */

static struct pushed_rom *slot_of(const char *name)
{
	for (unsigned i = 0; i < PUSHED_ROMS_MAX; i++)
		if (table[i].name[0] && strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

static struct pushed_rom *free_slot(void)
{
	for (unsigned i = 0; i < PUSHED_ROMS_MAX; i++)
		if (!table[i].name[0])
			return &table[i];
	return NULL;
}

int pushed_roms_put(const char *name, kcap_t mem, size_t size)
{
	LOCK_GUARD(&table_lock);
	struct pushed_rom *r = slot_of(name);
	if (r)
		kcap_close(r->mem);
	else if ((r = free_slot()) != NULL)
		strncpy(r->name, name, sizeof(r->name) - 1);
	else
		return KERR_NOMEM;
	r->mem = mem;
	r->size = size;
	r->generation = ++generations;
	return 0;
}

int pushed_roms_find(const char *name, kcap_t *mem, size_t *size,
                     uint64_t *generation)
{
	LOCK_GUARD(&table_lock);
	const struct pushed_rom *r = slot_of(name);
	if (!r)
		return 0;
	if (mem && kcap_copy(r->mem, mem) != 0)
		return KERR_NOMEM;
	*size = r->size;
	*generation = r->generation;
	return 1;
}
