/*
 * Core's ROM service: boot modules (DIR/boot/), config ROMs (DIR/config/)
 * and files of installed archives (DIR/depot/, depot_rom.h) as sealed
 * read-only dataspaces, by the last element of the session label and the
 * session arguments rom_from and archive (rom_request.h). A session may
 * name a config or boot module that does not exist yet; its dataspace()
 * then says `unavailable` until the file appears. A depot file that is
 * missing or damaged refuses the session.
 *
 * DIR/config/ is watched with inotify (config_watch.h): when a module's
 * file is replaced, the module gets a new dataspace with a higher version
 * and every session of it gets its signal.
 */
#ifndef CORE_ROM_SERVICE_H
#define CORE_ROM_SERVICE_H

#include "core_service.h"
#include "core_platform.h"

struct rom_module;
struct config_watch;

/* What depot files without a session may hold of core's memory (see
 * rom_service.c: they are kept so that children of one pkg share one
 * copy of its binary). */
#define ROM_IDLE_DEPOT_BYTES ((uint64_t)256 << 20)

struct rom_service {
	struct root_component base;
	struct target *target;
	struct rom_module *modules;
	uint64_t idle_bytes;         /* of depot files without sessions */
	uint64_t idle_clock;         /* counts modules becoming idle */
	entrypoint_signal_t changed; /* config/ changed */
	kcap_t changed_cap;
	struct config_watch *watch;
	/* the reason of the last refused session: root_component takes a
	 * text that lives on, and sessions are made on the entrypoint only */
	char why[768];
};

/* Serves ROMs and starts watching DIR/config/. */
int rom_service_init(struct rom_service *s, entrypoint_t *ep,
                     struct target *target);
void rom_service_dissolve(struct rom_service *s);

#endif
