/*
 * <sys/dirent.h> for components on riscv, in place of picolibc's, which
 * is an #error: the types of <dirent.h>, so that code that can read a
 * directory compiles (OpenSSL's file store and directory look-up,
 * crypto/LPdir_unix.c). A domain has no file system (files come as ROMs),
 * so opendir() finds no directory (kernel/riscv/lib/libc_posix.c).
 */
#ifndef RISCV_SYS_DIRENT_H
#define RISCV_SYS_DIRENT_H

typedef struct riscv_dir DIR; /* never made: opendir() fails */

struct dirent {
	unsigned long d_ino;
	char d_name[256];
};

#endif /* RISCV_SYS_DIRENT_H */
