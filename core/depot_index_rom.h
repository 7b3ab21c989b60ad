/*
 * The depot index (depot_index.h) as what a ROM session hands out: a
 * sealed memory object holding the text. Apart from depot_index.c so
 * that the text's writer stays free of kernel calls (the unit tests and
 * the fuzz target call it alone).
 */
#ifndef CORE_DEPOT_INDEX_ROM_H
#define CORE_DEPOT_INDEX_ROM_H

#include <stddef.h>

#include "depot_index.h"
#include "kernel/kernel.h"

/* The same text as a sealed memory object of *size bytes, what a ROM
 * session of the index hands out (both platforms' depot_rom_index): 0, or
 * -1 when memory ran out (*mem invalid then). */
int depot_index_rom(enum depot_index_state state, const char *why,
                    const struct manifest *m, kcap_t *mem, size_t *size);

#endif
