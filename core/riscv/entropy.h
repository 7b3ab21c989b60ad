/*
 * getentropy() (POSIX 2024, <unistd.h>) for a root domain on riscv, over
 * the board's virtio entropy device (virtio_rng.h). It is what OpenSSL's
 * seed source calls (built --with-rand-seed=getrandom, mk/openssl-riscv.mk:
 * rand_unix.c's syscall_random() takes getentropy() when the program has
 * one), so RAND_bytes() and every key and nonce of a TLS link are seeded
 * by the device. A domain without it has no getentropy(): OpenSSL's seed
 * source then fails (ENOSYS) and so does every RAND_bytes(), never
 * falling back to a clock or a constant.
 */
#ifndef CORE_RISCV_ENTROPY_H
#define CORE_RISCV_ENTROPY_H

#include <stddef.h>

/* Starts the device for getentropy(): 0, or -1 with why not in why[len]
 * (the device is absent, refuses its set-up ...). */
int entropy_start(char *why, size_t len);

/* Why the last getentropy() failed, or NULL. */
const char *entropy_error(void);

#endif /* CORE_RISCV_ENTROPY_H */
