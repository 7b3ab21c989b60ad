/*
 * getentropy() for components on riscv, whose C library (picolibc) has
 * none and whose kernel has no call for random bytes: it asks an Entropy
 * session (runtime/session/entropy.rpc) at the parent, which core serves
 * from the board's entropy device (core/riscv/entropy_service.c). Built
 * into libruntime for riscv only (tests/riscv/module.mk): on linux the C
 * library's getentropy() asks the kernel (getrandom, which the seccomp
 * policy allows).
 *
 * Why a routed session (core/riscv/entropy_service.c says it too): a
 * component gets randomness only where its parent's config routes
 * "Entropy" to core, and each call's bytes come fresh from the device.
 * A component without that route gets no bytes: getentropy() returns -1
 * with errno ENOSYS and says why on stderr once (which core shows as the
 * component's output), so OpenSSL refuses to seed itself and the TLS link
 * fails with words, never running on predictable numbers.
 *
 * POSIX's getentropy() takes no context: the session is one per process
 * (`source`), opened at the first call through the process's environment
 * (env_of_process()) and kept; calls from several threads take turns on
 * its lock. A session that ended under the component (its route moved)
 * is opened anew once per call.
 */
#include "env_private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "entropy_rpc.h"

/* The process's Entropy session (see the top); `lock` guards it and
 * `said`, whether the last failure was written to stderr. */
static struct {
	struct lock lock;
	connection_t session;
	bool open;
	bool said;
} source = { .lock = LOCK_INIT };

/* Writes why getentropy() failed to stderr, once until it works again. */
static void say(const char *what, const char *why)
{
	if (source.said)
		return;
	source.said = true;
	fprintf(stderr, "getentropy: %s: %s\n", what, why);
}

/* Opens the session if it is not; 0, or -1 with errno set. */
static int source_open(void)
{
	env_t *env = env_of_process();
	if (source.open)
		return 0;
	if (!env) {
		say("no Entropy session", "this program is no component");
		errno = ENOSYS;
		return -1;
	}
	int rc = connection_open(&source.session, env, "Entropy", "");
	if (rc != 0) {
		/* core's own reason (no device) is in core's log */
		say("no Entropy session (route \"Entropy\" to core)",
		    runtime_strerror(rc));
		errno = ENOSYS;
		return -1;
	}
	source.open = true;
	return 0;
}

/* One read of `len` bytes (at most ENTROPY_READ_DATA_MAX); 0, or -1
 * with errno set. */
static int source_read(void *buf, size_t len)
{
	uint32_t got = 0;
	int rc = entropy_read(source.session.cap, (uint32_t)len, buf, &got);
	if (rc == KERR_REVOKED) {
		rc = connection_reopen(&source.session);
		if (rc != 0) {
			source.open = false;
			say("the Entropy session ended", runtime_strerror(rc));
			errno = ENOSYS;
			return -1;
		}
		rc = entropy_read(source.session.cap, (uint32_t)len, buf, &got);
	}
	if (rc != 0 || got != len) {
		say("the Entropy session gave no bytes",
		    rc ? rpc_strerror(&entropy_rpc, rc) : "a short answer");
		errno = EIO;
		return -1;
	}
	source.said = false;
	return 0;
}

int getentropy(void *buf, size_t len)
{
	if (len > ENTROPY_READ_DATA_MAX) { /* POSIX: GETENTROPY_MAX, 256 */
		errno = EINVAL;
		return -1;
	}
	lock_acquire(&source.lock);
	int rc = source_open() == 0 ? source_read(buf, len) : -1;
	lock_release(&source.lock);
	if (rc != 0)
		memset(buf, 0, len); /* nothing half-random left behind */
	return rc;
}
