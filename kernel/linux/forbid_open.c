/*
 * Second-layer confinement on Linux (kconfine_forbid_open, kernel.h): one
 * more seccomp filter, synchronised to every thread, that fails open(),
 * openat() and openat2() with EPERM. The first layer (confine.c) allows
 * installing further filters because a filter can only restrict.
 */
#include <kernel/kernel.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_openat2
#define __NR_openat2 437
#endif

#define DENY_IF(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

int kconfine_forbid_open(void)
{
#if defined(__x86_64__)
	struct sock_filter program[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		         offsetof(struct seccomp_data, arch)),
		/* another architecture's calls: leave them to the first layer */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		         offsetof(struct seccomp_data, nr)),
		DENY_IF(__NR_open),
		DENY_IF(__NR_openat),
		DENY_IF(__NR_openat2),
		DENY_IF(__NR_creat),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = {
		.len = sizeof(program) / sizeof(*program),
		.filter = program,
	};
	/* inside a domain no_new_privs is set already (and prctl refused) */
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	            SECCOMP_FILTER_FLAG_TSYNC, &fprog) != 0)
		return KERR_DENIED;
	return 0;
#else
	return KERR_DENIED;
#endif
}
