/*
 * The platform's part of the scenario probe (probe.c, probe_rom.c), the
 * rest of which is the same on both: probe_linux.c or probe_riscv.c.
 *
 * The confinement commands `hostile`, `spoil-caps` and `open-library`
 * try what each platform's confinement forbids a domain: on linux files,
 * sockets, processes and the sockets behind its capabilities; on riscv
 * the kernel's interface (calls of the root, forged selectors, foreign
 * pointers, floods of kernel objects) and the kernel objects behind its
 * capabilities. The claims are the same, the attacks the platform's.
 * The second layer (kconfine_forbid_open) takes away what each platform
 * would let a component bring in after its start-up: `open-library`
 * tries it on linux (a file), `map-code` on riscv (code mapped
 * executable); each says on the other platform that it is not its check.
 */
#ifndef PROBE_PLATFORM_H
#define PROBE_PLATFORM_H

#include <runtime/env.h>

#include <stddef.h>

/* The capabilities `spoil-caps` tries: the first PROBE_CONFINE_ENDPOINTS
 * are endpoints (parent, PD, CPU, LOG, config ROM), any further one the
 * config's signal capability; `rom` is the config ROM's dataspace. */
#define PROBE_CONFINE_ENDPOINTS 5u

/* Runs `line` if it is a confinement command; 0 if it is none. */
int probe_confine_command(env_t *env, const char *line, const kcap_t *caps,
                          size_t count, kcap_t rom);

/* A number that names the memory object behind `dataspace` (two
 * dataspaces of one object have the same), or 0 where the platform has
 * none to show. */
unsigned long long probe_object_id(kcap_t dataspace);

#endif
