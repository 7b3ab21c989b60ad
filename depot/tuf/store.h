/*
 * Local storage for libtuf (private): reading files whole, writing them
 * atomically (temp file + fsync + rename + directory fsync), and the
 * encoding that turns a role name into a safe file or URL component.
 */
#ifndef TUF_STORE_H
#define TUF_STORE_H

#include <stddef.h>

#include "tuf.h"

/* Reads path into a malloc'd buffer of at most max bytes. TUF_E_NOT_FOUND
 * if absent, TUF_E_IO otherwise. */
int store_read(const char *path, size_t max, unsigned char **data, size_t *len,
               struct tuf_error *e);
/* Writes data to path atomically with the given mode. */
int store_write(const char *path, const void *data, size_t len, int mode,
                struct tuf_error *e);
/* Percent-encodes every byte outside [A-Za-z0-9._~-] (Python's
 * quote(name, safe="")); malloc'd. */
char *store_quote(const char *name);
/* malloc'd "a/b" joined with one '/' (asprintf style); NULL on no memory. */
char *store_join(const char *dir, const char *name);

#endif
