/*
 * Capabilities of the kernel interface on Linux. A selector is a file
 * descriptor (always close-on-exec) and the kind of object it names is
 * read off the descriptor itself:
 *
 *   endpoint  an AF_UNIX SOCK_SEQPACKET socket (see endpoint.c)
 *   signal    an AF_UNIX SOCK_SEQPACKET socket with the signal mark: its
 *             peer, the receive end, has a name (see signal.c)
 *   memory    a memfd whose size is sealed (see mem.c)
 *   stream    a TCP socket (AF_INET or AF_INET6 SOCK_STREAM; see stream.c)
 *
 * The mark must be one that no holder can set or clear, since every
 * holder of a capability shares one socket and the kind is read off it:
 * a holder that could flip it would make the capability useless to all
 * the others. A socket option on the capability end can be changed by
 * whoever holds it; the name of the receive end cannot. It is an
 * autobound abstract name (the kernel picks it, it is never looked up,
 * and a socket once named cannot be renamed), given by the creator while
 * it alone holds the pair. An endpoint's receive end has no name and can
 * get none: only its server holds it, and the server never names it or
 * sends on it with credentials (which would name it too).
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
#include <sys/un.h>
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

/* An address of only the family: bind() with it asks for a name the
 * kernel picks (autobind). */
static const struct sockaddr_un autobind_address = { .sun_family = AF_UNIX };

int cap_mark_signal(int recv_fd)
{
	if (bind(recv_fd, (const struct sockaddr *)&autobind_address,
	         sizeof(sa_family_t)) != 0)
		return kerr_from_errno(errno);
	return KERR_OK;
}

/* Whether the peer of Unix socket `fd` has a name: 1, 0, or -1 when
 * the socket has no peer. */
static int peer_named(int fd)
{
	struct sockaddr_un peer;
	socklen_t len = sizeof peer;

	if (getpeername(fd, (struct sockaddr *)&peer, &len) != 0)
		return -1;
	return len > sizeof(sa_family_t);
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
	int type, domain;

	if (cap.sel < 0)
		return KCAP_TYPE_NONE;
	if (socket_option(cap.sel, SO_TYPE, &type) != 0)
		return errno == ENOTSOCK && memory_sealed(cap.sel)
		               ? KCAP_TYPE_MEMORY
		               : KCAP_TYPE_NONE;
	if (socket_option(cap.sel, SO_DOMAIN, &domain) != 0)
		return KCAP_TYPE_NONE;
	if (type == SOCK_STREAM && (domain == AF_INET || domain == AF_INET6))
		return KCAP_TYPE_STREAM; /* stream.c */
	if (type != SOCK_SEQPACKET || domain != AF_UNIX)
		return KCAP_TYPE_NONE;
	switch (peer_named(cap.sel)) {
	case 1:
		return KCAP_TYPE_SIGNAL;
	case 0:
		return KCAP_TYPE_ENDPOINT;
	default:
		return KCAP_TYPE_NONE;
	}
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
