/*
 * Installing an archive while it downloads: a depot_sink (depot.h) that
 * feeds the bytes depot_fetch receives through a pipe to a thread running
 * the safe extractor into a staging directory, so that decompression and
 * extraction overlap the transfer (and use a second core). The bytes are
 * unverified while this happens: the staging directory is committed
 * (install_commit, the same last step as depot_install) only after the
 * whole file's length and SHA-256 matched, and it is thrown away otherwise.
 * When the file starts over (a server ignoring Range, a poisoned .part,
 * the next mirror), so does the extraction.
 *
 * The extractor thread reads the pipe to its end even after it refused the
 * archive, so the downloading side never blocks on a pipe nobody reads;
 * what it extracted is removed as soon as it refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "extract.h"
#include "fsutil.h"
#include "install.h"
#include "staging.h"
#include "stream_install.h"

enum { PIPE_BYTES = 1 << 20 };

struct stream_install {
	const char *depot;
	char into[PATH_MAX]; /* where the archive is committed */
	struct depot_name name;
	int replace; /* install_commit's: a damaged copy goes */
	struct depot_limits limits;
	struct staging staging;
	int staged;     /* the staging directory exists */
	int pipe_write; /* -1 when no extraction runs */
	int pipe_read;
	pthread_t thread;
	int setup_error; /* starting an extraction failed */
	struct depot_diag setup_diag;
	int result; /* the extraction's, valid once joined */
	struct depot_diag diag;
	char *manifest;
	size_t manifest_length;
	struct depot_sink sink;
};

/* Reads and drops what is left in the pipe, until the writer closes it. */
static void drain(int fd)
{
	char buf[65536];
	while (read(fd, buf, sizeof buf) > 0 || errno == EINTR)
		errno = 0;
}

static void *extract_main(void *arg)
{
	struct stream_install *si = arg;
	char content[PATH_MAX], label[DEPOT_NAME_MAX];
	depot_name_format(&si->name, label);
	FILE *manifest = open_memstream(&si->manifest, &si->manifest_length);
	si->result = fs_pathf(content, &si->diag, "%s/content",
	                      si->staging.path);
	if (!si->result && !manifest)
		si->result = diag_set(&si->diag, DEPOT_E_NOMEM, label, NULL);
	if (!si->result)
		si->result = extract_safe_fd(si->pipe_read, label, content,
		                             &si->limits, manifest, &si->diag);
	/* Refused bytes are not kept until the download ends. */
	if (si->result)
		fs_remove_tree(content, NULL);
	if (manifest)
		fclose(manifest);
	drain(si->pipe_read);
	close(si->pipe_read);
	return NULL;
}

/* Ends the running extraction, if any: closes the pipe, joins the thread. */
static void stop_extraction(struct stream_install *si)
{
	if (si->pipe_write < 0)
		return;
	close(si->pipe_write);
	si->pipe_write = -1;
	pthread_join(si->thread, NULL);
}

/* A fresh, empty content directory and an extractor thread reading it. */
static int start_extraction(struct stream_install *si)
{
	char content[PATH_MAX];
	int fds[2];
	free(si->manifest);
	si->manifest = NULL;
	si->manifest_length = 0;
	si->result = DEPOT_OK;
	int err = fs_pathf(content, &si->setup_diag, "%s/content",
	                   si->staging.path);
	if (!err)
		err = fs_remove_tree(content, &si->setup_diag);
	if (!err && mkdir(content, 0755) < 0)
		err = diag_errno(&si->setup_diag, content);
	if (!err && pipe2(fds, O_CLOEXEC) < 0)
		err = diag_errno(&si->setup_diag, "pipe");
	if (err)
		return err;
	fcntl(fds[1], F_SETPIPE_SZ, PIPE_BYTES); /* fewer wake-ups; optional */
	si->pipe_read = fds[0];
	si->pipe_write = fds[1];
	if (pthread_create(&si->thread, NULL, extract_main, si) != 0) {
		close(fds[0]);
		close(fds[1]);
		si->pipe_write = -1;
		return diag_set(&si->setup_diag, DEPOT_E_NOMEM, "thread", NULL);
	}
	return DEPOT_OK;
}

static void on_start(void *ctx)
{
	struct stream_install *si = ctx;
	stop_extraction(si);
	if (!si->setup_error && !si->staged) {
		si->setup_error = staging_open(si->depot, &si->staging,
		                               &si->setup_diag);
		si->staged = !si->setup_error;
	}
	if (!si->setup_error)
		si->setup_error = start_extraction(si);
}

static void on_data(void *ctx, const void *bytes, size_t length)
{
	struct stream_install *si = ctx;
	const char *p = bytes;
	while (si->pipe_write >= 0 && length > 0) {
		ssize_t n = write(si->pipe_write, p, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			si->setup_error = diag_errno(&si->setup_diag, "pipe");
			stop_extraction(si);
			return;
		}
		p += n;
		length -= (size_t)n;
	}
}

static void on_done(void *ctx, int result)
{
	(void)result; /* judged in stream_install_finish */
	stop_extraction(ctx);
}

int stream_install_new(const char *depot, const char *into,
                       const struct depot_name *name, int replace,
                       const struct depot_limits *limits,
                       struct stream_install **out, struct depot_diag *diag)
{
	struct stream_install *si = calloc(1, sizeof *si);
	if (!si)
		return diag_set(diag, DEPOT_E_NOMEM, name->name, NULL);
	if (fs_pathf(si->into, diag, "%s", into)) {
		free(si);
		return DEPOT_E_USAGE;
	}
	si->depot = depot;
	si->name = *name;
	si->replace = replace;
	si->limits = limits ? *limits : depot_limits_default();
	si->pipe_write = -1;
	si->sink = (struct depot_sink){
		.ctx = si, .start = on_start, .data = on_data, .done = on_done
	};
	*out = si;
	return DEPOT_OK;
}

const struct depot_sink *stream_install_sink(struct stream_install *si)
{
	return &si->sink;
}

int stream_install_finish(struct stream_install *si, int commit,
                          struct depot_diag *diag)
{
	int err = DEPOT_OK;
	stop_extraction(si);
	if (commit && si->setup_error)
		err = si->setup_error;
	if (err && diag)
		*diag = si->setup_diag;
	if (commit && !err && !si->staged)
		err = diag_set(diag, DEPOT_E_USAGE, si->name.name,
		               "no bytes "
		               "arrived to install");
	/* Without a commit, the extractor's refusal is still the answer
	 * when it refused the unverified bytes before the download failed. */
	if (!err && si->result) {
		err = si->result;
		if (diag)
			*diag = si->diag;
	}
	if (commit && !err)
		err = install_commit(si->into, &si->name, &si->staging,
		                     si->manifest, si->manifest_length,
		                     si->replace, diag);
	if (si->staged)
		staging_close(&si->staging);
	free(si->manifest);
	free(si);
	return err;
}
