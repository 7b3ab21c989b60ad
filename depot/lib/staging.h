/*
 * Private interface of staging directories (staging.c): work directories
 * inside <depot>/.staging, each locked by the process using it, so that the
 * leftovers of a killed process are recognised and removed.
 */
#ifndef DEPOT_STAGING_H
#define DEPOT_STAGING_H

#include <limits.h>

#include "depot/depot.h"

struct staging {
	char path[PATH_MAX];
	int fd; /* holds the flock while the directory is in use */
};

int staging_open(const char *depot, struct staging *s, struct depot_diag *diag);
/* Removes the directory and releases the lock. */
void staging_close(struct staging *s);

#endif
