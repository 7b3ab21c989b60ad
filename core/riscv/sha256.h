/*
 * SHA-256 (FIPS 180-4) for core on riscv, which checks the files of a
 * depot archive pushed over the control channel (control_archive.c)
 * against the digests the host sends, as linux core checks each file of
 * DIR/depot/ against its manifest (depot_rom.h) with OpenSSL.
 *
 * Why a SHA-256 of our own, against the house rule that third-party
 * libraries are used where they exist: core on riscv is a freestanding
 * component over picolibc, and no OpenSSL (nor any other crypto library)
 * is built for riscv64-unknown-elf here; cross-building OpenSSL for a
 * target without files, sockets or threads of POSIX's, to use one hash of
 * it, would be far more code to trust than the ~120 lines of this one. It
 * is checked against the FIPS 180-4 example vectors on the host
 * (tests/unit/riscv_core/sha256_test.c). Nothing else of the project
 * uses it: the host side keeps OpenSSL.
 */
#ifndef CORE_RISCV_SHA256_H
#define CORE_RISCV_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256 {
	uint32_t state[8];
	uint64_t length; /* bytes hashed so far */
	uint8_t block[64];
	size_t used; /* bytes of `block` filled */
};

void sha256_start(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *bytes, size_t size);
/* Writes the digest; `h` is spent (sha256_start makes it new). */
void sha256_finish(struct sha256 *h, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
