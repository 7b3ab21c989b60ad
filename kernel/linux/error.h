/*
 * Private to the linux platform of the kernel interface: the one place
 * where a Linux errno becomes a KERR_* value, so that every subsystem file
 * reports the same condition with the same code.
 */
#ifndef KERNEL_LINUX_ERROR_H
#define KERNEL_LINUX_ERROR_H

/* The KERR_* value that best describes errno value `err`. */
int kerr_from_errno(int err);

#endif /* KERNEL_LINUX_ERROR_H */
