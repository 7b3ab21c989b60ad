/*
 * getentropy() over the virtio entropy device (entropy.h). POSIX's
 * getentropy() takes no context, so the started device is one per domain
 * (`device`): set once by entropy_start() before any caller, then only
 * read. Its callers take turns (OpenSSL, built without threads, is used
 * by one thread at a time); the device serves one request at a time.
 */
#include "entropy.h"
#include "virtio_rng.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#define GETENTROPY_MAX 256 /* POSIX: longer requests are refused */

static struct virtio_rng *device; /* see the top */
static char failure[160];         /* why the last getentropy() failed */

int entropy_start(char *why, size_t len)
{
	return virtio_rng_start(&device, why, len);
}

const char *entropy_error(void)
{
	return failure[0] ? failure : NULL;
}

int getentropy(void *buf, size_t len)
{
	if (len > GETENTROPY_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (!device) {
		snprintf(failure, sizeof failure,
		         "getentropy: no entropy device started");
		errno = ENOSYS;
		return -1;
	}
	if (virtio_rng_read(device, buf, len, failure, sizeof failure) != 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}
