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
 *
 * Repair: every installed archive the walk meets is checked against its
 * manifest once (verify_content); a damaged one counts as lacking (a
 * damaged pkg's list is not read), is fetched like any other and its
 * verified copy takes the old one's place in one exchange (install.h):
 * a failed repair leaves the old copy where it was. A repaired pkg goes
 * straight into the depot, where it was already.
 *
 * Reports (depot_install_report): the damaged archives as they are
 * found; the progress of all rounds as one (archives and bytes add up
 * from round to round); once the install succeeded, each archive of the
 * closure with what became of it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <grow/grow.h>

#include "closure.h"
#include "diag.h"
#include "fsutil.h"
#include "install.h"
#include "stream_install.h"
#include "verify.h"

enum { ROUNDS_MAX = 64 };

/* A few names, looked up by their text: a closure has tens to hundreds
 * of archives, and each is looked up a few times per round. */
struct names {
	struct depot_name *v;
	size_t count, capacity;
};

static int names_has(const struct names *n, const struct depot_name *name)
{
	char text[DEPOT_NAME_MAX], other[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	for (size_t i = 0; i < n->count; i++) {
		depot_name_format(&n->v[i], other);
		if (strcmp(text, other) == 0)
			return 1;
	}
	return 0;
}

static int names_add(struct names *n, const struct depot_name *name)
{
	void *grown = grow_array(n->v, &n->capacity, n->count + 1,
	                         sizeof *n->v);
	if (!grown)
		return DEPOT_E_NOMEM;
	n->v = grown;
	n->v[n->count++] = *name;
	return DEPOT_OK;
}

struct lacking {
	const char *depot;
	const char *pending;
	struct depot_name *names; /* this round's */
	size_t count, capacity;
	struct names intact;   /* installed and checked against the manifest */
	struct names damaged;  /* installed, damaged: fetched again */
	struct names repaired; /* damaged ones replaced by a verified copy */
	struct names fetched;  /* installed (or pending) by this install */
	int error;             /* out of memory while noting */
	const struct depot_fetch_options *options; /* the caller's */
	struct depot_install_report round_report;  /* sums the rounds up */
	struct depot_progress before; /* of the rounds before this one */
	struct depot_progress last;   /* this round's latest */
	struct timespec began;
	int drawn; /* progress was reported */
};

/* Checks an installed archive against its manifest, once per install
 * (closure_intact_fn): 0 when it is damaged, and it is noted so. */
static int intact(void *ctx, const struct depot_name *name)
{
	struct lacking *l = ctx;
	if (names_has(&l->intact, name) || names_has(&l->repaired, name))
		return 1;
	if (names_has(&l->damaged, name))
		return 0;
	struct depot_diag why = { { 0 }, { 0 } };
	int err = verify_content(l->depot, name, &why);
	if (err == DEPOT_E_NOMEM) {
		l->error = err;
		return 1;
	}
	if (!err) {
		if (names_add(&l->intact, name))
			l->error = DEPOT_E_NOMEM;
		return 1;
	}
	if (names_add(&l->damaged, name))
		l->error = DEPOT_E_NOMEM;
	const struct depot_install_report *r = l->options->report;
	if (r && r->archive)
		r->archive(r->ctx, name, DEPOT_FATE_DAMAGED, &why);
	return 0;
}

static int note_lacking(void *ctx, const struct depot_name *name)
{
	struct lacking *l = ctx;
	int present = depot_installed(l->depot, name)
	                      ? intact(l, name)
	                      : strcmp(name->kind, "pkg") == 0 &&
	                                depot_installed(l->pending, name);
	if (l->error || present)
		return l->error;
	void *grown = grow_array(l->names, &l->capacity, l->count + 1,
	                         sizeof *l->names);
	if (!grown)
		return DEPOT_E_NOMEM;
	l->names = grown;
	l->names[l->count++] = *name;
	return DEPOT_OK;
}

/* The caller's progress report gets the sum of all rounds. */
static void tell_progress(struct lacking *l, const struct depot_progress *p)
{
	const struct depot_install_report *r = l->options->report;
	l->drawn = 1;
	if (r && r->progress)
		r->progress(r->ctx, p);
	else if (l->options->progress)
		depot_progress_draw(NULL, p);
}

/* The sum of the rounds so far and `now`, this round's. */
static struct depot_progress summed(const struct lacking *l,
                                    const struct depot_progress *now)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	int64_t ms = (int64_t)(t.tv_sec - l->began.tv_sec) * 1000 +
	             (t.tv_nsec - l->began.tv_nsec) / 1000000;
	return (struct depot_progress){
		.done = l->before.done + now->done,
		.total = l->before.total + now->total,
		.bytes = l->before.bytes + now->bytes,
		.bytes_total = l->before.bytes_total + now->bytes_total,
		.fetched = l->before.fetched + now->fetched,
		.elapsed_ms = ms > 0 ? (uint64_t)ms : 0,
	};
}

/* depot_fetch's progress, one round's: reported as part of the whole. */
static void round_progress(void *ctx, const struct depot_progress *p)
{
	struct lacking *l = ctx;
	l->last = *p;
	struct depot_progress all = summed(l, p);
	tell_progress(l, &all);
}

/* A round ended: its figures join those before. */
static void round_done(struct lacking *l)
{
	l->before = summed(l, &l->last);
	l->last = (struct depot_progress){ 0 };
}

struct slot {
	char path[DEPOT_NAME_MAX + 16];
	char dest[PATH_MAX];
	struct depot_limits
		limits; /* the caller's, lowered by signed figures */
	struct stream_install *installer; /* extracts while it downloads */
	int after_verify; /* a kept .part: extracted only once verified */
};

/* Does a .part of an earlier run hold bytes for this file? Those bytes
 * were offered to an extractor once already; they are not extracted again
 * before the whole file verified. */
static int part_kept(const char *dest)
{
	char part[PATH_MAX];
	struct stat st;
	return snprintf(part, sizeof part, "%s.part", dest) <
	               (int)sizeof part &&
	       stat(part, &st) == 0 && st.st_size > 0;
}

/* Where archive i of the round is committed: pkgs wait in the pending
 * area until their closure is complete, unless they were in the depot
 * already (a damaged one, repaired in place). */
static const char *into_for(const struct lacking *l, size_t i)
{
	return strcmp(l->names[i].kind, "pkg") == 0 &&
	                       !names_has(&l->damaged, &l->names[i])
	               ? l->pending
	               : l->depot;
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
			err = fs_pathf(s[i].dest, diag,
			               "%s/.download/%s.tar.zst", depot, text);
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
	case DEPOT_E_ABSOLUTE_PATH:
	case DEPOT_E_DOTDOT:
	case DEPOT_E_LINK_ESCAPE:
	case DEPOT_E_SPECIAL_FILE:
	case DEPOT_E_TOO_LARGE:
	case DEPOT_E_TOO_MANY_ENTRIES:
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
static int finish_slot(const char *depot, struct lacking *l, size_t i,
                       const struct depot_target *t, const struct slot *s,
                       int fetched, int err, struct depot_diag *diag)
{
	int installed = DEPOT_OK, commit = !fetched && !err;
	int repair = names_has(&l->damaged, &l->names[i]);
	struct depot_diag refusal = { 0 };
	if (s->installer)
		installed = stream_install_finish(s->installer, commit,
		                                  commit ? diag : &refusal);
	else if (s->after_verify && commit)
		installed = install_file(depot, into_for(l, i), &l->names[i],
		                         s->dest, &s->limits, repair, diag);
	if (commit && !installed)
		installed = names_add(repair ? &l->repaired : &l->fetched,
		                      &l->names[i]);
	if (fetched && content_refused(installed)) {
		char part[PATH_MAX];
		if (snprintf(part, sizeof part, "%s.part", s->dest) <
		    (int)sizeof part)
			unlink(part);
	}
	/* A bomb stopped at its (signed) size before the download ended:
	 * say that, rather than what the end found. */
	if (fetched && t->result &&
	    (installed == DEPOT_E_TOO_LARGE ||
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
static int fetch_round(const char *depot, struct lacking *l,
                       const struct depot_fetch_options *options,
                       const struct depot_limits *limits, depot_trust_fn trust,
                       void *trust_ctx, struct depot_diag *diag)
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
			err = stream_install_new(depot, into_for(l, i),
			                         &l->names[i],
			                         names_has(&l->damaged,
			                                   &l->names[i]),
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
		err = finish_slot(depot, l, i, &t[i], &s[i], fetched, err,
		                  diag);
	for (size_t i = 0; t && s && i < l->count; i++)
		if (t[i].result == DEPOT_OK && s[i].dest[0])
			unlink(s[i].dest);
	free(t);
	free(s);
	return err;
}

struct promotion {
	const char *depot;
	struct lacking *l;
	struct depot_diag *diag;
};

/* Called dependencies first: every archive a pkg needs is installed (or
 * was promoted just before) when the pkg itself is promoted. */
static int promote(void *ctx, const struct depot_name *name)
{
	struct promotion *p = ctx;
	if (strcmp(name->kind, "pkg") != 0)
		return depot_installed(p->depot, name)
		               ? DEPOT_OK
		               : diag_set(
					 p->diag, DEPOT_E_NOT_INSTALLED,
					 name->name,
					 "missing when its pkg was to be installed");
	/* A pkg an earlier, killed run left pending is new here too. */
	int was_there = depot_installed(p->depot, name);
	int err = install_promote(p->depot, name, p->diag);
	if (!err && !was_there && !names_has(&p->l->fetched, name))
		err = names_add(&p->l->fetched, name);
	return err;
}

/* What became of each archive, once the install succeeded. */
static int tell_fate(void *ctx, const struct depot_name *name)
{
	const struct lacking *l = ctx;
	const struct depot_install_report *r = l->options->report;
	enum depot_fate fate = names_has(&l->repaired, name)
	                               ? DEPOT_FATE_REPAIRED
	                       : names_has(&l->fetched, name)
	                               ? DEPOT_FATE_INSTALLED
	                               : DEPOT_FATE_PRESENT;
	r->archive(r->ctx, name, fate, NULL);
	return DEPOT_OK;
}

static void names_free(struct lacking *l)
{
	free(l->names);
	free(l->intact.v);
	free(l->damaged.v);
	free(l->repaired.v);
	free(l->fetched.v);
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
	struct lacking l = { .depot = depot,
		             .pending = pending,
		             .options = options };
	struct depot_fetch_options round = *options;
	l.round_report = (struct depot_install_report){
		.ctx = &l, .progress = round_progress
	};
	round.report = &l.round_report;
	clock_gettime(CLOCK_MONOTONIC, &l.began);
	for (int i = 0; !err && i < ROUNDS_MAX; i++) {
		l.count = 0;
		err = closure_walk(depot, pending, root, arch, 1, intact,
		                   note_lacking, &l, diag);
		if (!err && l.error)
			err = diag_set(diag, l.error, root->name, NULL);
		if (err || l.count == 0)
			break;
		err = fetch_round(depot, &l, &round, limits, trust, trust_ctx,
		                  diag);
		round_done(&l);
	}
	if (l.drawn) {
		struct depot_progress last = l.before;
		last.final = 1;
		tell_progress(&l, &last);
	}
	if (!err && l.count > 0)
		err = diag_set(diag, DEPOT_E_CYCLE, root->name,
		               "pkgs nested "
		               "more than %d deep",
		               ROUNDS_MAX);
	struct promotion p = { depot, &l, diag };
	if (!err)
		err = closure_walk(depot, pending, root, arch, 0, NULL, promote,
		                   &p, diag);
	if (!err && options->report && options->report->archive)
		err = closure_walk(depot, NULL, root, arch, 0, NULL, tell_fate,
		                   &l, diag);
	names_free(&l);
	close(lock);
	return err;
}
