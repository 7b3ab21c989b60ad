/*
 * A node's identity on remote links: an Ed25519 key pair and a self-signed
 * X.509 certificate over it (TLS wants a certificate; nobody checks its
 * chain or names). Peers are known by the fingerprint of their public key,
 * `sha256:` and 64 lowercase hex digits of the SHA-256 of the DER
 * SubjectPublicKeyInfo, pinned in config; there is no CA.
 *
 * Identities come from PEM text in memory (a component reads files only as
 * ROMs), or are generated (tests, and the key tool of a later session).
 */
#ifndef REMOTE_IDENTITY_H
#define REMOTE_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#define IDENTITY_FP_BYTES 32u
#define IDENTITY_FP_TEXT  (7u + 2u * IDENTITY_FP_BYTES + 1u) /* with NUL */

typedef struct identity identity_t;

/* A pinned peer: the node name config gives it and its key's fingerprint. */
typedef struct identity_pin {
	char name[64];
	uint8_t fp[IDENTITY_FP_BYTES];
} identity_pin_t;

/* Makes a fresh key pair and a certificate naming `node`. */
int identity_generate(identity_t **out, const char *node, char *err,
                      size_t errlen);

/* Reads a private key and a certificate (PEM). Refuses a certificate whose
 * public key is not the key's, and keys other than Ed25519 and ECDSA. */
int identity_from_pem(identity_t **out, const char *key_pem, size_t key_len,
                      const char *cert_pem, size_t cert_len, char *err,
                      size_t errlen);

/* PEM of the private key and of the certificate, malloc'd (free()). */
int identity_to_pem(const identity_t *id, char **key_pem, char **cert_pem);

void identity_free(identity_t *id);

/* The fingerprint of this identity's public key. */
void identity_fingerprint(const identity_t *id, uint8_t fp[IDENTITY_FP_BYTES]);

/* `sha256:<hex>` into text[IDENTITY_FP_TEXT]. */
void identity_fp_format(const uint8_t fp[IDENTITY_FP_BYTES], char *text);

/* Parses `sha256:<64 hex digits>` (either case); -1 if it is anything else. */
int identity_fp_parse(const char *text, uint8_t fp[IDENTITY_FP_BYTES]);

/* The OpenSSL objects, for the link's TLS context (EVP_PKEY *, X509 *). */
void *identity_key(const identity_t *id);
void *identity_cert(const identity_t *id);

/* The fingerprint of the public key of a certificate (X509 *): 0, or -1. */
int identity_cert_fingerprint(void *cert, uint8_t fp[IDENTITY_FP_BYTES]);

#endif /* REMOTE_IDENTITY_H */
