/*
 * The --arch option of the commands that resolve closures (deps, gc): the
 * architecture whose bin archives stand for src archives.
 */
#ifndef DEPOT_TOOL_ARCH_H
#define DEPOT_TOOL_ARCH_H

/* The machine's architecture as uname reports it (e.g. x86_64). */
const char *arch_of_host(void);

#endif
