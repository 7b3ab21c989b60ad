/*
 * The "config" ROM that init serves to each of its children: the `config`
 * object of the child's start entry (canonical JSON text), or "{}" when the
 * entry has none. Init is the server, so a child's config never reaches
 * core and no child sees another's (or init's own) configuration.
 *
 * One config ROM is a root interface (root.rpc) plus the ROM sessions
 * (rom.rpc) opened through it, all on init's entrypoint. The content sits
 * in a RAM dataspace allocated from init's PD, one per child.
 */
#ifndef INIT_CONFIG_ROM_H
#define INIT_CONFIG_ROM_H

#include <stddef.h>

#include <kernel/kernel.h>
#include <runtime/entrypoint.h>

#define CONFIG_ROM_SESSIONS 4

struct config_rom;

struct config_rom_session {
	rpc_object_t obj;
	struct config_rom *rom;
	kcap_t cap;
	kcap_t sigh;
	int open;
};

struct config_rom {
	rpc_object_t root;
	kcap_t root_cap;
	kcap_t pd;                  /* pays for the dataspace */
	kcap_t dataspace;
	size_t size;                /* bytes of text */
	struct config_rom_session sessions[CONFIG_ROM_SESSIONS];
};

/* Puts `text` (length bytes) into a dataspace from `pd` and serves
 * the root on `ep`. 0 or a KERR_* / PD error (rpc_strerror(&pd_rpc, ..)). */
int config_rom_init(struct config_rom *rom, entrypoint_t *ep, kcap_t pd,
                    const char *text, size_t length);

/* Dissolves the sessions and the root, frees the dataspace. */
void config_rom_fini(struct config_rom *rom);

#endif
