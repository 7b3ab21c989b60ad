/*
 * Private interface of the streaming installer (stream_install.c), used by
 * depot_install_closure: one per archive being fetched, its sink given to
 * depot_fetch, finished once the fetch returned.
 */
#ifndef DEPOT_STREAM_INSTALL_H
#define DEPOT_STREAM_INSTALL_H

#include "depot/depot.h"

struct stream_install;

/* Stages in `depot`, commits below `into` (the depot or its pending area,
 * install.h); with `replace`, in the place of a damaged installed copy
 * (install_commit). */
int stream_install_new(const char *depot, const char *into,
                       const struct depot_name *name, int replace,
                       const struct depot_limits *limits,
                       struct stream_install **out, struct depot_diag *diag);
/* The sink to put into the archive's struct depot_target. */
const struct depot_sink *stream_install_sink(struct stream_install *si);
/* Ends the extraction; when `commit` (the download verified), installs
 * what it extracted, or returns why it cannot (a refused archive). Without
 * `commit`, returns the extractor's refusal, if it refused the bytes. Frees
 * `si` and its staging directory either way. */
int stream_install_finish(struct stream_install *si, int commit,
                          struct depot_diag *diag);

#endif
