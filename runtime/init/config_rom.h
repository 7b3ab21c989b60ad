/*
 * The "config" ROM that init serves to each of its children: the `config`
 * object of the child's start entry (canonical JSON text), or "{}" when the
 * entry has none. Init is the server, so a child's config never reaches
 * core and no child sees another's (or init's own) configuration.
 *
 * One config ROM is a root component (runtime/root_component.h) whose ROM
 * sessions (rom.rpc) all hand out the one dataspace with the text, on
 * init's entrypoint. The dataspace is allocated from init's PD, one per
 * child; a session is paid by the quota the child donates (the route is
 * local: the parent moves it to init's PD).
 *
 * When init's own config gives the child a new `config`, config_rom_update()
 * puts the new text into a fresh dataspace, counts the version up and
 * submits the signal of every session that registered one (rom.sigh); the
 * child fetches the new content with rom.dataspace, without a restart.
 */
#ifndef INIT_CONFIG_ROM_H
#define INIT_CONFIG_ROM_H

#include <stddef.h>

#include <kernel/kernel.h>
#include <runtime/entrypoint.h>
#include <runtime/root_component.h>

struct config_rom {
	struct root_component root; /* root.cap is what the route names */
	kcap_t pd;                  /* pays for the dataspace */
	kcap_t dataspace;
	size_t size;      /* bytes of text */
	uint32_t version; /* 1, counted up by every update */
};

/* Puts `text` (length bytes) into a dataspace from `pd` and serves
 * the root on `ep`. 0 or a KERR_* / PD error (rpc_strerror(&pd_rpc, ..)). */
int config_rom_init(struct config_rom *rom, entrypoint_t *ep, kcap_t pd,
                    const char *text, size_t length);

/* Replaces the text with `text` (length bytes) as the next version and
 * signals the sessions. Entrypoint thread (where the sessions are served).
 * 0 or a PD error; on failure the old text stays. */
int config_rom_update(struct config_rom *rom, const char *text, size_t length);

/* Closes the sessions and the root, frees the dataspace. */
void config_rom_fini(struct config_rom *rom);

#endif
