/*
 * What a boot module may be called (kernel/riscv/bootimage.h): a ROM name
 * of one part, config/ and a ROM name, or the path ARCHIVE/FILE of a depot
 * archive's file. The
 * image writer checks every name with it before it reads a file, so no
 * image it writes holds a name that is absolute, has "." or ".." or an
 * empty part, or is longer than the format allows. Core on riscv checks
 * the names of the image it boots from again (core/riscv/boot_name.c).
 */
#ifndef RISCV_BOOT_NAME_H
#define RISCV_BOOT_NAME_H

#include <stddef.h>

/* 0 when `name` is a ROM name, a config's or a depot file's path; -1 with the reason
 * in why[why_size] otherwise. */
int boot_name_check(const char *name, char *why, size_t why_size);

#endif /* RISCV_BOOT_NAME_H */
