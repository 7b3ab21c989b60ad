/*
 * The depot users of a target: TARGET/sculpt/depots.json (sculpt-cli/
 * README.md) names, per user, the mirror URLs of the user's published tree
 * and optionally a CA file for HTTPS. The user's trusted root lives where
 * libdepot keeps it, TARGET/depot/.trust/<user>/root.json: a depot user is
 * one TUF repository of libdepot, named after the user.
 */
#ifndef SCULPT_DEPOTS_H
#define SCULPT_DEPOTS_H

#include <stddef.h>

#include "diag.h"

enum { DEPOTS_MIRRORS_MAX = 8, DEPOTS_USERS_MAX = 64, DEPOTS_TEXT_MAX = 65536 };

struct depot_user {
	char *name;
	char *mirrors[DEPOTS_MIRRORS_MAX];
	size_t mirror_count;
	char *ca_file; /* or NULL: the system's CAs */
};

struct depot_users {
	struct depot_user users[DEPOTS_USERS_MAX];
	size_t count;
};

/* Loads TARGET/sculpt/depots.json (none: no users). */
int depots_load(const char *target, struct depot_users *out,
                struct sculpt_diag *diag);
int depots_save(const char *target, const struct depot_users *users,
                struct sculpt_diag *diag);
void depots_free(struct depot_users *users);

/* Adds or replaces user `name`'s mirrors and CA file. */
int depots_set(struct depot_users *users, const char *name,
               const char *const *mirrors, size_t mirror_count,
               const char *ca_file, struct sculpt_diag *diag);

/* The user `name`, or SCULPT_E_DEPOT saying how to add it. */
int depots_find(const struct depot_users *users, const char *name,
                const struct depot_user **out, struct sculpt_diag *diag);

/* The fetch options of a user's mirrors (pointing into `user`). */
void depots_fetch_options(const struct depot_user *user, int progress,
                          struct depot_fetch_options *out);

#endif
