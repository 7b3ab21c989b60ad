/*
 * The probe's ROM commands (probe.c runs them from its script): ROM
 * sessions with explicit rom_from and archive arguments, held open so
 * that a later script can look at what the probe still maps.
 */
#ifndef PROBE_ROM_H
#define PROBE_ROM_H

#include <runtime/env.h>

/* Runs `line` if it is a ROM command; 0 if it is none. */
int probe_rom_command(env_t *env, const char *line);

#endif
