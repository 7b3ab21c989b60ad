/*
 * A file of expected archive lengths and SHA-256s, for `depot fetch
 * --expected`: one "<archive> <length> <sha256>" per line, '#' comments.
 * It answers libdepot's trust callback (depot_trust_fn) from a file the
 * caller vouches for; `depot download` answers the same callback from
 * verified TUF targets metadata instead.
 */
#ifndef DEPOT_TOOL_EXPECTED_H
#define DEPOT_TOOL_EXPECTED_H

#include "tool.h"

struct expected;

int expected_load(const char *path, struct expected **out,
                  struct depot_diag *diag);
void expected_free(struct expected *e);
/* A depot_trust_fn; ctx is the struct expected. */
int expected_lookup(void *ctx, const struct depot_name *name, uint64_t *length,
                    uint8_t sha256[DEPOT_SHA256_LEN],
                    struct depot_limits *limits, struct depot_diag *diag);

#endif
