/*
 * Capabilities of the kernel interface on Linux. A selector is a file
 * descriptor (always close-on-exec) and the kind of object it names is
 * read off the descriptor itself:
 *
 *   endpoint  an AF_UNIX SOCK_SEQPACKET socket (see endpoint.c)
 *   signal    an AF_UNIX SOCK_SEQPACKET socket with the signal mark, a
 *             socket priority that nothing else on a Unix socket uses
 *             (see signal.c)
 *   memory    a memfd whose size is sealed (see mem.c)
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

/* The socket priority that marks a signal source's capability. Unix
 * sockets ignore priorities; 0..6 need no privilege to set. */
#define SIGNAL_MARK 5

int cap_mark_signal(int fd)
{
	int mark = SIGNAL_MARK;

	if (setsockopt(fd, SOL_SOCKET, SO_PRIORITY, &mark, sizeof mark) != 0)
		return kerr_from_errno(errno);
	return KERR_OK;
}

static int socket_option(int fd, int option, int *value)
{
	socklen_t len = sizeof *value;

	return getsockopt(fd, SOL_SOCKET, option, value, &len);
}

/* Whether `fd` is a memfd whose size is sealed, as kmem_create() makes
 * them. One whose size could change is refused: a holder could shrink it
 * under the mappings of another and crash it with SIGBUS. */
static int memory_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) ==
	                     (F_SEAL_SHRINK | F_SEAL_GROW);
}

enum kcap_type kcap_type(kcap_t cap)
{
	int type, domain, priority;

	if (cap.sel < 0)
		return KCAP_TYPE_NONE;
	if (socket_option(cap.sel, SO_TYPE, &type) != 0)
		return errno == ENOTSOCK && memory_sealed(cap.sel)
		       ? KCAP_TYPE_MEMORY : KCAP_TYPE_NONE;
	if (type != SOCK_SEQPACKET ||
	    socket_option(cap.sel, SO_DOMAIN, &domain) != 0 ||
	    domain != AF_UNIX ||
	    socket_option(cap.sel, SO_PRIORITY, &priority) != 0)
		return KCAP_TYPE_NONE;
	return priority == SIGNAL_MARK ? KCAP_TYPE_SIGNAL : KCAP_TYPE_ENDPOINT;
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
	call_forget_channel(cap.sel);
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
