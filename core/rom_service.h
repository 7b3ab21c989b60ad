/*
 * Core's ROM service: boot modules (DIR/boot/) and config ROMs
 * (DIR/config/) as sealed read-only dataspaces, by the last element of the
 * session label. A session may name a module that does not exist yet; its
 * dataspace() then says `unavailable` until the file appears.
 *
 * DIR/config/ is watched with inotify (config_watch.h): when a module's
 * file is replaced, the module gets a new dataspace with a higher version
 * and every session of it gets its signal.
 */
#ifndef CORE_ROM_SERVICE_H
#define CORE_ROM_SERVICE_H

#include "service.h"
#include "target.h"

struct rom_module;
struct config_watch;

struct rom_service {
	struct root_component base;
	struct target       *target;
	struct rom_module   *modules;
	entrypoint_signal_t  changed;       /* config/ changed */
	kcap_t               changed_cap;
	struct config_watch *watch;
};

/* Serves ROMs and starts watching DIR/config/. */
int rom_service_init(struct rom_service *s, entrypoint_t *ep,
                     struct target *target);
void rom_service_dissolve(struct rom_service *s);

/* Checks every module with sessions against its file now and signals the
 * sessions of those that changed (what an inotify event triggers). */
void rom_service_rescan(struct rom_service *s);

#endif
