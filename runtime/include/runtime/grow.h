/*
 * Growing an array by doubling, for components: libruntime's name for
 * lib/grow (grow/grow.h), which the kernel platform and the host tools
 * link too. One piece, not a copy: this header only includes it, and
 * libruntime links libgrow, so a component gets grow_array() by
 * including <runtime/grow.h>.
 */
#ifndef RUNTIME_GROW_H
#define RUNTIME_GROW_H

#include <grow/grow.h>

#endif /* RUNTIME_GROW_H */
