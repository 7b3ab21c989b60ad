/*
 * The Landlock ABI as the linux kernel and the depot's build sandbox both
 * use it: the definitions newer than the build machine's kernel headers,
 * the ruleset attribute as of ABI 6 and the file-system rights an ABI
 * knows. Header-only, so that host tools (depot/lib/build_sandbox.c),
 * which link neither libkernel nor libruntime, share it with
 * kernel/linux/confine.c.
 */
#ifndef LIB_LANDLOCK_ABI_H
#define LIB_LANDLOCK_ABI_H

#include <linux/landlock.h>
#include <stdint.h>

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)

/* The ruleset attribute as of ABI 6; older kernels read a prefix of it. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* The file-system rights a kernel of Landlock ABI `abi` (1 to 6) knows. */
static inline uint64_t landlock_fs_rights(int abi)
{
	uint64_t rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1 */
	if (abi >= 2)
		rights |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return rights;
}

#endif
