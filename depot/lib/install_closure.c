/*
 * Installing a pkg with everything it needs, from mirrors. This is where
 * transfers, trust and installation meet: the closure walk finds what the
 * depot lacks, the trust callback (the TUF client, in `depot download`)
 * gives each lacking archive's verified length and SHA-256, depot_fetch()
 * brings them in parallel while each is extracted into staging as it
 * arrives (stream_install.c), and each is committed once all verified. A pkg's
 * list is only known once the pkg is fetched, so this goes in rounds: each
 * round installs what the closure walk could see lacking. Pkgs are committed
 * to the pending area (install.h) and moved into the depot only once the
 * walk finds nothing lacking, dependencies first: a pkg is never installed
 * before its whole closure is, however the run ends. Extraction of the
 * unverified stream is bounded by the limits the trust callback returns
 * (the archive's signed unpacked size and entry count); an archive whose
 * .part an earlier run kept is not streamed again but extracted from the
 * file once it verified, so no unverified byte is extracted twice.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "closure.h"
#include "diag.h"
#include "fsutil.h"
#include "install.h"
#include "stream_install.h"

enum { ROUNDS_MAX = 64 };

struct lacking {
	const char *depot;
	const char *pending;
	struct depot_name *names;
	size_t count, capacity;
};

static int note_lacking(void *ctx, const struct depot_name *name)
{
	struct lacking *l = ctx;
	if (depot_installed(l->depot, name) ||
	    (strcmp(name->kind, "pkg") == 0 && depot_installed(l->pending, name)))
		return DEPOT_OK;
	if (l->count == l->capacity) {
		size_t cap = l->capacity ? 2 * l->capacity : 16;
		void *grown = realloc(l->names, cap * sizeof *l->names);
		if (!grown)
			return DEPOT_E_NOMEM;
		l->names = grown;
		l->capacity = cap;
	}
	l->names[l->count++] = *name;
	return DEPOT_OK;
}

struct slot {
	char path[DEPOT_NAME_MAX + 16];
	char dest[PATH_MAX];
	struct depot_limits limits; /* the caller's, lowered by signed figures */
	struct stream_install *installer; /* extracts while it downloads */
	int after_verify;   /* a kept .part: extracted only once verified */
};

/* Does a .part of an earlier run hold bytes for this file? Those bytes
 * were offered to an extractor once already; they are not extracted again
 * before the whole file verified. */
static int part_kept(const char *dest)
{
	char part[PATH_MAX];
	struct stat st;
	return snprintf(part, sizeof part, "%s.part", dest) < (int)sizeof part &&
	       stat(part, &st) == 0 && st.st_size > 0;
}

/* Where archive i of the round is committed: pkgs wait in the pending
 * area until their closure is complete. */
static const char *into_for(const struct lacking *l, size_t i)
{
	return strcmp(l->names[i].kind, "pkg") == 0 ? l->pending : l->depot;
}

/* Fills the targets of one round from the trust callback. */
static int describe_targets(const char *depot, const struct lacking *l,
                            const struct depot_limits *limits,
                            struct depot_target *t, struct slot *s,
                            depot_trust_fn trust, void *trust_ctx,
                            struct depot_diag *diag)
{
	for (size_t i = 0; i < l->count; i++) {
		char text[DEPOT_NAME_MAX];
		depot_name_format(&l->names[i], text);
		s[i].limits = limits ? *limits : depot_limits_default();
		int err = trust(trust_ctx, &l->names[i], &t[i].length,
		                t[i].sha256, &s[i].limits, diag);
		if (!err)
			err = fs_pathf(s[i].dest, diag, "%s/.download/%s.tar.zst",
			               depot, text);
		if (err)
			return err;
		snprintf(s[i].path, sizeof s[i].path, "%s.tar.zst", text);
		t[i].path = s[i].path;
		t[i].dest = s[i].dest;
	}
	return DEPOT_OK;
}

/* Did the extractor refuse what the bytes say (not a local failure, nor
 * an archive that merely ends early, which a resumed download completes)? */
static int content_refused(int code)
{
	switch (code) {
	case DEPOT_E_ABSOLUTE_PATH: case DEPOT_E_DOTDOT:
	case DEPOT_E_LINK_ESCAPE: case DEPOT_E_SPECIAL_FILE:
	case DEPOT_E_TOO_LARGE: case DEPOT_E_TOO_MANY_ENTRIES:
	case DEPOT_E_BAD_ENTRY:
		return 1;
	default:
		return 0;
	}
}

/* Ends archive i of a round: committed when every download of the round
 * verified (`fetched` 0) and nothing failed before (`err` 0), else its
 * extraction is thrown away. Bytes the
 * extractor refused are not kept in the .part to be resumed (they are not
 * the signed archive, or it is hostile). Returns the round's error. */
static int finish_slot(const char *depot, const struct lacking *l, size_t i,
                       const struct depot_target *t, const struct slot *s,
                       int fetched, int err, struct depot_diag *diag)
{
	int installed = DEPOT_OK, commit = !fetched && !err;
	struct depot_diag refusal = { 0 };
	if (s->installer)
		installed = stream_install_finish(s->installer, commit,
		                                  commit ? diag : &refusal);
	else if (s->after_verify && commit)
		installed = install_file(depot, into_for(l, i), &l->names[i],
		                         s->dest, &s->limits, diag);
	if (fetched && content_refused(installed)) {
		char part[PATH_MAX];
		if (snprintf(part, sizeof part, "%s.part", s->dest)
		    < (int)sizeof part)
			unlink(part);
	}
	/* A bomb stopped at its (signed) size before the download ended:
	 * say that, rather than what the end found. */
	if (fetched && t->result && (installed == DEPOT_E_TOO_LARGE ||
	    installed == DEPOT_E_TOO_MANY_ENTRIES)) {
		if (diag)
			*diag = refusal;
		return installed;
	}
	return err ? err : installed;
}

/* Fetches one round's archives, extracting each into staging while it
 * downloads (stream_install.c); installs them only when every download of
 * the round verified and every archive extracted cleanly. */
static int fetch_round(const char *depot, const struct lacking *l,
                       const struct depot_fetch_options *options,
                       const struct depot_limits *limits,
                       depot_trust_fn trust, void *trust_ctx,
                       struct depot_diag *diag)
{
	struct depot_target *t = calloc(l->count, sizeof *t);
	struct slot *s = calloc(l->count, sizeof *s);
	int err = DEPOT_OK;
	if (!t || !s) {
		diag_set(diag, DEPOT_E_NOMEM, depot, NULL);
		err = DEPOT_E_NOMEM;
	}
	if (!err)
		err = depot_staging_cleanup(depot, diag);
	if (!err)
		err = describe_targets(depot, l, limits, t, s, trust, trust_ctx,
		                       diag);
	for (size_t i = 0; !err && i < l->count; i++) {
		s[i].after_verify = part_kept(s[i].dest);
		if (!s[i].after_verify)
			err = stream_install_new(depot, into_for(l, i), &l->names[i],
			                         &s[i].limits, &s[i].installer,
			                         diag);
		if (!err && s[i].installer)
			t[i].sink = stream_install_sink(s[i].installer);
	}
	if (!err && depot_fetch(options, t, l->count) != DEPOT_OK) {
		for (size_t i = 0; !err && i < l->count; i++)
			if ((err = t[i].result) && diag)
				*diag = t[i].diag;
	}
	int fetched = err;
	for (size_t i = 0; t && s && i < l->count; i++)
		err = finish_slot(depot, l, i, &t[i], &s[i], fetched, err, diag);
	for (size_t i = 0; t && s && i < l->count; i++)
		if (t[i].result == DEPOT_OK && s[i].dest[0])
			unlink(s[i].dest);
	free(t);
	free(s);
	return err;
}

struct promotion {
	const char *depot;
	struct depot_diag *diag;
};

/* Called dependencies first: every archive a pkg needs is installed (or
 * was promoted just before) when the pkg itself is promoted. */
static int promote(void *ctx, const struct depot_name *name)
{
	struct promotion *p = ctx;
	if (strcmp(name->kind, "pkg") != 0)
		return depot_installed(p->depot, name) ? DEPOT_OK
		       : diag_set(p->diag, DEPOT_E_NOT_INSTALLED, name->name,
		                  "missing when its pkg was to be installed");
	return install_promote(p->depot, name, p->diag);
}

int depot_install_closure(const char *depot, const struct depot_name *root,
                          const char *arch,
                          const struct depot_fetch_options *options,
                          const struct depot_limits *limits,
                          depot_trust_fn trust, void *trust_ctx,
                          struct depot_diag *diag)
{
	char pending[PATH_MAX];
	int lock = -1;
	int err = install_pending_dir(depot, pending, diag);
	if (!err)
		err = install_pending_lock(depot, &lock, diag);
	if (err)
		return err;
	struct lacking l = { .depot = depot, .pending = pending };
	for (int round = 0; !err && round < ROUNDS_MAX; round++) {
		l.count = 0;
		err = closure_walk(depot, pending, root, arch, 1, note_lacking,
		                   &l, diag);
		if (err || l.count == 0)
			break;
		err = fetch_round(depot, &l, options, limits, trust, trust_ctx,
		                  diag);
	}
	if (!err && l.count > 0)
		err = diag_set(diag, DEPOT_E_CYCLE, root->name, "pkgs nested "
		               "more than %d deep", ROUNDS_MAX);
	free(l.names);
	struct promotion p = { depot, diag };
	if (!err)
		err = closure_walk(depot, pending, root, arch, 0, promote, &p,
		                   diag);
	close(lock);
	return err;
}
