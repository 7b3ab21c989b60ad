/*
 * Signing keys for the repository side of libtuf (private): PEM files in and
 * out, the TUF key object and keyid of a key, and signatures in the same
 * formats crypto.c verifies (Ed25519 raw, ECDSA P-256 DER over SHA-256,
 * RSA-PSS SHA-256).
 */
#ifndef TUF_KEYS_H
#define TUF_KEYS_H

#include <openssl/evp.h>

#include "json.h"
#include "tuf.h"

/* Loads a private key from a PEM file (PKCS#8, optionally encrypted). */
int key_load_private(const char *path, const char *passphrase, EVP_PKEY **out,
                     struct tuf_error *e);
/* Loads a public key from a PEM (SPKI) file. */
int key_load_public(const char *path, EVP_PKEY **out, struct tuf_error *e);

/* TUF key object of k ({keytype, scheme, keyval{public}}) and its keyid:
 * sha256 hex of the canonical key object. */
int key_to_json(EVP_PKEY *k, struct json **out, char keyid[65],
                struct tuf_error *e);

/* Signs msg; *sig_hex is malloc'd hex. */
int key_sign(EVP_PKEY *k, const unsigned char *msg, size_t n, char **sig_hex,
             struct tuf_error *e);

#endif
