/*
 * Capabilities of the kernel interface on Linux. A selector is a file
 * descriptor (always close-on-exec) and the kind of object it names is
 * read off the descriptor itself:
 *
 *   endpoint  an AF_UNIX SOCK_SEQPACKET socket (see endpoint.c)
 *   signal    an AF_UNIX SOCK_STREAM socket (see signal.c)
 *   memory    a sealable memfd (see mem.c)
 *
 * Two selectors name the same object when their descriptors refer to the
 * same open file, i.e. have the same (device, inode). Descriptors the
 * kernel interface keeps for itself (registry.h) are never capabilities.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "cap.h"
#include "error.h"
#include "registry.h"

/* Process-wide because selectors are: bumped after every kcap_close() so
 * that per-thread caches keyed by selector know when to check again. */
static atomic_uint_fast64_t close_epoch;

uint64_t cap_close_epoch(void)
{
	return atomic_load_explicit(&close_epoch, memory_order_acquire);
}

int cap_identity(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0)
		return KERR_INVALID;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return KERR_OK;
}

static enum kcap_type socket_cap_type(int fd)
{
	int domain = 0, type = 0;
	socklen_t len = sizeof domain;

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 ||
	    domain != AF_UNIX)
		return KCAP_TYPE_NONE;
	len = sizeof type;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
		return KCAP_TYPE_NONE;
	if (type == SOCK_SEQPACKET)
		return KCAP_TYPE_ENDPOINT;
	if (type == SOCK_STREAM)
		return KCAP_TYPE_SIGNAL;
	return KCAP_TYPE_NONE;
}

enum kcap_type kcap_type(kcap_t cap)
{
	struct stat st;

	if (cap.sel < 0 || fstat(cap.sel, &st) != 0)
		return KCAP_TYPE_NONE;
	if (S_ISSOCK(st.st_mode))
		return socket_cap_type(cap.sel);
	if (S_ISREG(st.st_mode) && fcntl(cap.sel, F_GET_SEALS) >= 0)
		return KCAP_TYPE_MEMORY;
	return KCAP_TYPE_NONE;
}

int kcap_copy(kcap_t cap, kcap_t *copy)
{
	if (!copy || registry_is_internal(cap.sel) ||
	    kcap_type(cap) == KCAP_TYPE_NONE)
		return KERR_INVALID;
	int fd = fcntl(cap.sel, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return kerr_from_errno(errno);
	copy->sel = fd;
	return KERR_OK;
}

void kcap_close(kcap_t cap)
{
	if (cap.sel < 0 || registry_is_internal(cap.sel))
		return;
	close(cap.sel);
	atomic_fetch_add_explicit(&close_epoch, 1, memory_order_release);
}

int kcap_same_object(kcap_t a, kcap_t b)
{
	dev_t dev_a, dev_b;
	ino_t ino_a, ino_b;

	if (cap_identity(a.sel, &dev_a, &ino_a) != KERR_OK ||
	    cap_identity(b.sel, &dev_b, &ino_b) != KERR_OK)
		return KERR_INVALID;
	return dev_a == dev_b && ino_a == ino_b;
}
