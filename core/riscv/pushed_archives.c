/*
 * The table of pushed depot archives (pushed_archives.h). Global state
 * with a reason: there is one core and one control channel; the table is
 * what the ROM service's depot_modules.c and the control thread share.
 * Entries are only ever appended, so a reader holds the lock to find one
 * and needs it no longer after: `count` grows only once the entry is
 * whole.
 */
#include "pushed_archives.h"

#include <runtime/lock.h>

#include <assert.h>
#include <string.h>

static struct lock table_lock = LOCK_INIT;
static struct pushed_archive table[PUSHED_ARCHIVES_MAX];
static unsigned count;
static uint64_t bytes; /* of every file of the table */

uint64_t pushed_archives_room(void)
{
	LOCK_GUARD(&table_lock);
	return count == PUSHED_ARCHIVES_MAX ? 0
	                                    : PUSHED_ARCHIVES_BYTES_MAX - bytes;
}

int pushed_archives_put(const struct pushed_archive *a)
{
	uint64_t size = 0;
	for (unsigned i = 0; i < a->count; i++)
		size += a->files[i].size;
	LOCK_GUARD(&table_lock);
	if (count == PUSHED_ARCHIVES_MAX)
		return KERR_NOMEM;
	assert(size <= PUSHED_ARCHIVES_BYTES_MAX - bytes);
	table[count++] = *a;
	bytes += size;
	return 0;
}

const struct pushed_archive *pushed_archives_find(const char *archive)
{
	LOCK_GUARD(&table_lock);
	for (unsigned i = 0; i < count; i++)
		if (strcmp(table[i].name, archive) == 0)
			return &table[i];
	return NULL;
}
