/*
 * Transfers: fetching a set of files from mirrors with libcurl's multi
 * interface, several at a time. What a file must be (exact length and
 * SHA-256) comes from the caller, who got it from verified TUF metadata;
 * this room only makes sure that what arrives is exactly that:
 *   - bytes stream into <dest>.part and into a SHA-256 context together;
 *   - a .part left by an interrupted run is resumed with a Range request
 *     (its bytes are hashed first); when a server ignores or cannot serve
 *     the Range, or the resumed file does not verify, the .part starts
 *     over from the same mirror;
 *   - a .part is flock'ed while a transfer writes it: a second process
 *     fetching the same file is refused, and a .part nobody holds is a
 *     leftover that depot_download_cleanup() may remove;
 *   - a failed transfer keeps its .part only when it holds bytes worth
 *     resuming: an empty one, or one whose bytes were refused, goes;
 *   - more bytes than the expected length abort the transfer at once
 *     (a server sending endless data costs length + one buffer);
 *   - slow servers are dropped (connect timeout, low-speed limit, and a
 *     deadline per attempt: connect timeout + bytes to come / min_rate,
 *     so a server trickling a few bytes a second cannot hold a transfer
 *     for ever: TUF's slow retrieval attack);
 *   - certificates are always verified (system CAs or a given CA file);
 *   - on failure the next mirror is tried, continuing the same .part;
 *   - only a complete, matching file is renamed to <dest>;
 *   - a target's optional sink sees every byte of the file in order (those
 *     of a resumed .part first) while they arrive, a new start whenever
 *     the file starts over, and the end with the verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "diag.h"
#include "fetch_easy.h"
#include "fsutil.h"

struct transfer {
	struct depot_target *target;
	const struct depot_fetch_options *options;
	size_t mirror; /* index of the mirror in use */
	char part[PATH_MAX];
	char url[PATH_MAX];
	int fd;
	uint64_t have;       /* bytes in the .part file */
	uint64_t resumed_at; /* bytes present when this attempt started */
	uint64_t received;   /* bytes that came over the network, all
	                         attempts (the progress report's rate) */
	int abort_code;      /* set by the write callback when it aborts */
	int sink_started;    /* the sink was told the file starts */
	EVP_MD_CTX *md;
	CURL *easy;
	char error[CURL_ERROR_SIZE];
	char deadline[160]; /* why the attempt's deadline is what it is */
};

static void sink_start(struct transfer *t)
{
	const struct depot_sink *sink = t->target->sink;
	if (sink) {
		sink->start(sink->ctx);
		t->sink_started = 1;
	}
}

static void sink_data(struct transfer *t, const void *bytes, size_t n)
{
	const struct depot_sink *sink = t->target->sink;
	if (sink)
		sink->data(sink->ctx, bytes, n);
}

/* The target's final result; its sink learns that the bytes ended. */
static void settle(struct transfer *t, int result)
{
	const struct depot_sink *sink = t->target->sink;
	t->target->result = result;
	if (sink && t->sink_started)
		sink->done(sink->ctx, result);
}

/* Hashes the first `length` bytes already in the .part file. */
static int hash_existing(struct transfer *t)
{
	char buf[65536];
	uint64_t left = t->have;
	if (lseek(t->fd, 0, SEEK_SET) < 0)
		return -1;
	while (left > 0) {
		ssize_t n = read(t->fd, buf,
		                 left < sizeof buf ? left : sizeof buf);
		if (n <= 0)
			return -1;
		EVP_DigestUpdate(t->md, buf, (size_t)n);
		sink_data(t, buf, (size_t)n);
		left -= (uint64_t)n;
	}
	return 0;
}

/* Empties the .part file and the hash: the next bytes start the file. */
static int restart(struct transfer *t)
{
	t->have = 0;
	sink_start(t);
	if (ftruncate(t->fd, 0) < 0 || lseek(t->fd, 0, SEEK_SET) < 0)
		return -1;
	return EVP_DigestInit_ex(t->md, EVP_sha256(), NULL) ? 0 : -1;
}

/* Opens the .part file and primes the hash with what it holds. */
static int open_part(struct transfer *t)
{
	struct depot_diag *diag = &t->target->diag;
	t->fd = open(t->part, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (t->fd < 0)
		return diag_errno(diag, t->part);
	if (flock(t->fd, LOCK_EX | LOCK_NB) < 0) {
		int busy = errno == EWOULDBLOCK;
		close(t->fd);
		t->fd = -1; /* the .part is another process's: leave it be */
		return busy ? diag_set(diag, DEPOT_E_IO, t->part,
		                       "another "
		                       "depot process is downloading this "
		                       "file; wait for it to finish")
		            : diag_errno(diag, t->part);
	}
	struct stat st;
	if (fstat(t->fd, &st) < 0)
		return diag_errno(diag, t->part);
	t->have = (uint64_t)st.st_size;
	if (!EVP_DigestInit_ex(t->md, EVP_sha256(), NULL))
		return diag_set(diag, DEPOT_E_NOMEM, t->part, NULL);
	if (t->have <= t->target->length)
		sink_start(t);
	if (t->have > t->target->length || hash_existing(t) < 0) {
		if (restart(t) < 0)
			return diag_errno(diag, t->part);
	}
	if (lseek(t->fd, 0, SEEK_END) < 0)
		return diag_errno(diag, t->part);
	return DEPOT_OK;
}

static size_t on_data(char *data, size_t size, size_t count, void *ctx)
{
	struct transfer *t = ctx;
	size_t n = size * count;
	if (n > t->target->length - t->have) {
		t->abort_code = DEPOT_E_OVERSIZE;
		return 0;
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(t->fd, data + done, n - done);
		if (w < 0) {
			t->abort_code = DEPOT_E_IO;
			return 0;
		}
		done += (size_t)w;
	}
	EVP_DigestUpdate(t->md, data, n);
	sink_data(t, data, n);
	t->have += n;
	t->received += n;
	return n;
}

static int setup_easy(struct transfer *t)
{
	const struct depot_fetch_options *o = t->options;
	const char *mirror = o->mirrors[t->mirror];
	size_t len = strlen(mirror);
	while (len > 0 && mirror[len - 1] == '/')
		len--;
	snprintf(t->url, sizeof t->url, "%.*s/%s", (int)len, mirror,
	         t->target->path);
	CURL *e = t->easy;
	fetch_easy_setup(e, o, t->url, t->error);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	t->resumed_at = t->have;
	t->abort_code = DEPOT_OK;
	t->error[0] = '\0';
	if (t->have > 0)
		curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE,
		                 (curl_off_t)t->have);
	fetch_easy_deadline(e, o, t->target->length - t->have, t->deadline,
	                    sizeof t->deadline);
	return DEPOT_OK;
}

/* Turns a finished attempt into a DEPOT_E_* code with its diagnostic. */
static int attempt_result(struct transfer *t, CURLcode code)
{
	struct depot_diag *diag = &t->target->diag;
	if (t->abort_code == DEPOT_E_OVERSIZE)
		return diag_set(diag, DEPOT_E_OVERSIZE, t->url,
		                "expected "
		                "%llu bytes",
		                (unsigned long long)t->target->length);
	if (t->abort_code)
		return diag_errno(diag, t->part);
	if (code != CURLE_OK)
		return fetch_easy_failure(t->easy, code, t->url, t->error,
		                          t->deadline, diag);
	if (t->have < t->target->length)
		return diag_set(diag, DEPOT_E_TRUNCATED, t->url,
		                "got %llu of "
		                "%llu bytes",
		                (unsigned long long)t->have,
		                (unsigned long long)t->target->length);
	uint8_t hash[DEPOT_SHA256_LEN];
	EVP_DigestFinal_ex(t->md, hash, NULL);
	if (memcmp(hash, t->target->sha256, sizeof hash) != 0) {
		char got[DEPOT_SHA256_HEX];
		depot_sha256_hex(hash, got);
		return diag_set(diag, DEPOT_E_HASH_MISMATCH, t->url, "got %s",
		                got);
	}
	return DEPOT_OK;
}

/* A verified .part becomes dest. With a sink, dest is only the proof of
 * the download (the sink installed the bytes already): no need to make it
 * durable. */
static int finish(struct transfer *t)
{
	struct depot_diag *diag = &t->target->diag;
	if (!t->target->sink && fsync(t->fd) < 0)
		return diag_errno(diag, t->part);
	if (rename(t->part, t->target->dest) < 0)
		return diag_errno(diag, t->target->dest);
	return DEPOT_OK;
}

/* Refusals that poison the .part: its bytes must not be resumed. */
static int poisoned(int code)
{
	return code == DEPOT_E_OVERSIZE || code == DEPOT_E_HASH_MISMATCH;
}

/* Whether a failed attempt that resumed a .part may be the old bytes'
 * fault: the server ignored the Range (libcurl noticed), could not serve
 * it (416: its file is not longer than the .part), or the whole did not
 * verify (the .part held bytes of another file). */
static int resume_failed(const struct transfer *t, CURLcode code, int err)
{
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	return t->resumed_at > 0 &&
	       (code == CURLE_RANGE_ERROR || status == 416 || poisoned(err));
}

/* Handles a finished attempt: done, or retried at the next mirror.
 * Returns 1 when the transfer was re-added to the multi handle. */
static int on_done(CURLM *multi, struct transfer *t, CURLcode code)
{
	curl_multi_remove_handle(multi, t->easy);
	int err = attempt_result(t, code);
	/* Start the .part over from this mirror; setup_easy() then clears
	 * resumed_at, so this happens once per mirror. */
	if (err && resume_failed(t, code, err) && restart(t) == 0) {
		setup_easy(t);
		curl_multi_add_handle(multi, t->easy);
		return 1;
	}
	if (!err)
		err = finish(t);
	if (err && poisoned(err)) {
		restart(t);
	}
	if (err && t->mirror + 1 < t->options->mirror_count) {
		if (t->options->mirror_failed)
			t->options->mirror_failed(t->options->mirror_failed_ctx,
			                          err, &t->target->diag);
		t->mirror++;
		setup_easy(t);
		curl_multi_add_handle(multi, t->easy);
		return 1;
	}
	/* Nothing worth resuming: refused bytes, or none at all. */
	if (err && (poisoned(err) || t->have == 0))
		unlink(t->part);
	settle(t, err);
	return 0;
}

static int start(CURLM *multi, struct transfer *t)
{
	struct depot_target *target = t->target;
	int err = fs_pathf(t->part, &target->diag, "%s.part", target->dest);
	if (!err)
		err = fs_mkdirs_parent(target->dest, &target->diag);
	t->md = EVP_MD_CTX_new();
	t->easy = curl_easy_init();
	if (!err && (!t->md || !t->easy))
		err = diag_set(&target->diag, DEPOT_E_NOMEM, target->path,
		               NULL);
	if (!err)
		err = open_part(t);
	if (!err && t->have == target->length &&
	    attempt_result(t, CURLE_OK) == DEPOT_OK) {
		settle(t, finish(t)); /* complete from an earlier run */
		return 0;
	}
	if (!err && t->have == target->length)
		err = restart(t) < 0 ? diag_errno(&target->diag, t->part) : 0;
	if (!err)
		err = setup_easy(t);
	if (!err && curl_multi_add_handle(multi, t->easy) != CURLM_OK)
		err = diag_set(&target->diag, DEPOT_E_NOMEM, target->path,
		               NULL);
	if (err)
		settle(t, err);
	else
		target->result = DEPOT_OK;
	return err ? 0 : 1;
}

static void release(struct transfer *t)
{
	if (t->easy)
		curl_easy_cleanup(t->easy);
	EVP_MD_CTX_free(t->md);
	if (t->fd >= 0)
		close(t->fd);
}

static uint64_t ms_between(const struct timespec *from,
                           const struct timespec *to)
{
	int64_t ms = (int64_t)(to->tv_sec - from->tv_sec) * 1000 +
	             (to->tv_nsec - from->tv_nsec) / 1000000;
	return ms > 0 ? (uint64_t)ms : 0;
}

/* Tells the caller's report (or draws) how far the transfers are, at
 * most ten times a second and once at the end. */
static void report_progress(const struct transfer *all, size_t count,
                            size_t done, const struct timespec *began,
                            struct timespec *last, int final)
{
	const struct depot_fetch_options *o = all[0].options;
	const struct depot_install_report *r = o->report;
	if (!(r && r->progress) && !o->progress)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && last->tv_sec && ms_between(last, &now) < 100)
		return;
	*last = now;
	struct depot_progress p = { .done = done,
		                    .total = count,
		                    .elapsed_ms = ms_between(began, &now),
		                    .final = final };
	for (size_t i = 0; i < count; i++) {
		p.bytes += all[i].have;
		p.bytes_total += all[i].target->length;
		p.fetched += all[i].received;
	}
	if (r && r->progress)
		r->progress(r->ctx, &p);
	else
		depot_progress_draw(NULL, &p);
}

static void run(CURLM *multi, struct transfer *all, size_t count)
{
	unsigned parallel = all[0].options->parallel ? all[0].options->parallel
	                                             : 4;
	size_t next = 0, active = 0, done = 0;
	struct timespec began, last = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &began);
	while (next < count || active > 0) {
		while (next < count && active < parallel) {
			int added = start(multi, &all[next++]);
			active += (size_t)added;
			done += (size_t)!added;
		}
		int running;
		curl_multi_perform(multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(multi, &left))) {
			struct transfer *t;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			                  &t);
			if (!on_done(multi, t, msg->data.result)) {
				active--;
				done++;
			}
		}
		report_progress(all, count, done, &began, &last, 0);
		if (active > 0)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
	report_progress(all, count, done, &began, &last, 1);
}

static int compare_dest(const void *a, const void *b)
{
	const struct depot_target *const *x = a, *const *y = b;
	int c = strcmp((*x)->dest, (*y)->dest);
	return c ? c : (*x > *y) - (*x < *y);
}

/* Two transfers into one .part would corrupt it. Sorted, not compared
 * pairwise: a closure (an untrusted pkg's list) may have many archives.
 * The later of two targets with one dest is refused. */
static int duplicate_dest(struct depot_target *targets, size_t count)
{
	const struct depot_target **sorted =
		calloc(count ? count : 1, sizeof(const struct depot_target *));
	if (!sorted)
		return count ? targets[0].result = diag_set(&targets[0].diag,
		                                            DEPOT_E_NOMEM,
		                                            targets[0].dest,
		                                            NULL)
		             : DEPOT_E_NOMEM;
	for (size_t i = 0; i < count; i++)
		sorted[i] = &targets[i];
	qsort(sorted, count, sizeof(const struct depot_target *), compare_dest);
	struct depot_target *twice = NULL;
	for (size_t k = 1; !twice && k < count; k++)
		if (strcmp(sorted[k - 1]->dest, sorted[k]->dest) == 0)
			twice = &targets[sorted[k] - targets];
	free(sorted);
	if (!twice)
		return DEPOT_OK;
	return twice->result = diag_set(&twice->diag, DEPOT_E_USAGE,
	                                twice->dest, "named twice");
}

int depot_fetch(const struct depot_fetch_options *options,
                struct depot_target *targets, size_t count)
{
	if (count == 0)
		return DEPOT_OK;
	for (size_t i = 0; i < count; i++)
		targets[i].result = DEPOT_OK;
	int twice = duplicate_dest(targets, count);
	if (twice)
		return twice;
	for (size_t i = 0; i < count; i++)
		targets[i].result = options->mirror_count == 0
		                            ? diag_set(&targets[i].diag,
		                                       DEPOT_E_USAGE,
		                                       targets[i].path,
		                                       "no mirror given")
		                            : DEPOT_OK;
	if (options->mirror_count == 0)
		return DEPOT_E_USAGE;
	struct transfer *all = calloc(count, sizeof *all);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !all) {
		free(all);
		return DEPOT_E_NOMEM;
	}
	CURLM *multi = curl_multi_init();
	for (size_t i = 0; i < count; i++)
		all[i] = (struct transfer){ .target = &targets[i],
			                    .options = options,
			                    .fd = -1 };
	if (multi)
		run(multi, all, count);
	int first_error = multi ? DEPOT_OK : DEPOT_E_NOMEM;
	for (size_t i = 0; i < count; i++) {
		release(&all[i]);
		if (!first_error)
			first_error = targets[i].result;
	}
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	free(all);
	return first_error;
}

void fetch_easy_setup(CURL *e, const struct depot_fetch_options *o,
                      const char *url, char *error_buffer)
{
	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
	curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	                 o->connect_timeout_s ? o->connect_timeout_s
	                                      : (long)DEPOT_CONNECT_TIMEOUT_S);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT,
	                 o->low_speed_bytes ? o->low_speed_bytes : 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
	                 o->low_speed_time_s ? o->low_speed_time_s : 30L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_buffer);
	error_buffer[0] = '\0';
}

void fetch_easy_deadline(CURL *e, const struct depot_fetch_options *o,
                         uint64_t bytes, char *why, size_t why_size)
{
	uint64_t rate = o->min_rate ? o->min_rate : DEPOT_MIN_RATE;
	uint64_t connect = o->connect_timeout_s ? (uint64_t)o->connect_timeout_s
	                                        : DEPOT_CONNECT_TIMEOUT_S;
	uint64_t ms = connect * 1000 + bytes * 1000 / rate;
	if (ms > LONG_MAX)
		ms = LONG_MAX;
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)ms);
	snprintf(why, why_size,
	         "slower than %llu bytes/s: %llu bytes not "
	         "there within %llu.%03llu s",
	         (unsigned long long)rate, (unsigned long long)bytes,
	         (unsigned long long)(ms / 1000),
	         (unsigned long long)(ms % 1000));
}
