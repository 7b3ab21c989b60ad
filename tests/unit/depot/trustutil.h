/*
 * Helpers of the trust unit tests (test_trust.c, test_publish.c): a
 * temporary world with a keys directory (Ed25519 keys made by libtuf for
 * the four top-level roles and user alice), a depot holding archive files
 * made by depot_archive_create, and a path for the published tree.
 */
#ifndef DEPOT_TEST_TRUSTUTIL_H
#define DEPOT_TEST_TRUSTUTIL_H

#include "depot/depot.h"

struct world {
	char *dir;
	char keys[512], depot[512], tree[512];
	char root_keyid[65];
	struct depot_publish_keys k;
	struct depot_publish_options o;
};

struct world *tw_new(void);
void tw_free(struct world *w);
/* Generates key pair <keys>/<name>.{key,pub}; fills keyid if given. */
void tw_keygen(struct world *w, const char *name, char keyid[65]);
/* Writes archive <depot>/<name>.tar.zst holding one file with `text`. */
void tw_archive(struct world *w, const char *name, const char *text);
/* Writes archive <depot>/<name>.tar.zst holding `count` files, each
 * {path in the archive, text}. */
void tw_archive_files(struct world *w, const char *name,
                      const char *const files[][2], size_t count);
/* Publishes the named archives; returns the depot code. */
int tw_publish(struct world *w, const char *const *names, size_t count,
               struct depot_diag *diag);
/* Whether any <tree>.publish-* staging directory is left. */
int tw_staging_left(const struct world *w);

#endif
