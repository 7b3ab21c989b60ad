/*
 * Hashes, hex and signature verification for libtuf (private), on OpenSSL's
 * EVP interface. Key and signature formats are those of securesystemslib,
 * which every TUF implementation shares:
 *   ed25519 / ed25519                      public: 64 hex chars, sig: 128 hex
 *   ecdsa|ecdsa-sha2-nistp256 / ecdsa-sha2-nistp256 (and nistp384)
 *                                          public: PEM SPKI, sig: hex of DER
 *   rsa / rsassa-pss-sha256|384|512 (salt length auto), rsa-pkcs1v15-sha256|384|512
 *                                          public: PEM SPKI, sig: hex
 */
#ifndef TUF_CRYPTO_H
#define TUF_CRYPTO_H

#include <stddef.h>

#include "json.h"

#include <hex/hex.h> /* hex_encode for keys and signatures */

/* Decodes a whole string of hex digits of either case into a malloc'd
 * buffer; -1 if invalid (lib/hex reads each digit). */
int hex_decode_new(const char *hex, unsigned char **out, size_t *len);

/* Hex digest of data with a TUF hash name ("sha256", "sha512", "sha384",
 * "sha224"); -1 if the algorithm is unknown. out holds 2 * digest size + 1
 * bytes (129 for sha512). */
int digest_hex(const char *algo, const unsigned char *data, size_t n,
               char *out);

/* 1 if sig_hex is a valid signature of msg by key, 0 otherwise (bad or
 * unparsable signature, unsupported key). */
int verify_signature(const struct json *key, const char *sig_hex,
                     const unsigned char *msg, size_t n);

#endif
