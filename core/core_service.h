/*
 * A core service: the shape every service of core has (PD, ROM, RM, CPU,
 * LOG, Report and the device services). Each is a root component
 * (runtime/root_component.h) served by core's entrypoint, so no service
 * needs a lock: the root component decodes and checks the common
 * arguments, and the service supplies create, upgrade and destroy for its
 * sessions, whose structs embed a struct root_session as first member (so
 * a session operation's `self` is the service's session too).
 *
 * Core's parent object for init (init_parent.c) opens, upgrades and
 * closes sessions with root_component_open/_upgrade/_close directly,
 * since it runs on the same entrypoint and must not call its own thread.
 *
 * The donated quota is the parent's to account (it took it from the
 * client's PD and gives it back on close); every session costs at least
 * CORE_SESSION_RAM_MIN bytes and CORE_SESSION_CAPS_MIN capabilities.
 */
#ifndef CORE_SERVICE_H
#define CORE_SERVICE_H

#include <runtime/root_component.h>

#define CORE_SESSION_RAM_MIN  4096u
#define CORE_SESSION_CAPS_MIN 1u

/* The config fields every core service shares: its name and its cost. */
#define CORE_SERVICE_CONFIG(service_name) \
	.name = (service_name), .ram_cost = CORE_SESSION_RAM_MIN, \
	.cap_cost = CORE_SESSION_CAPS_MIN

#endif
