/*
 * Signature verification and hashing for libtuf on OpenSSL EVP (see
 * crypto.h for the key formats). A signature that cannot be decoded or a key
 * of an unknown type simply does not verify: the threshold count decides.
 */
#include "crypto.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>

int hex_decode_new(const char *hex, unsigned char **out, size_t *len)
{
	size_t n = strlen(hex);
	if (n % 2)
		return -1;
	unsigned char *d = malloc(n / 2 + 1);
	if (!d)
		return -1;
	if (!hex_decode(hex, n / 2, d)) {
		free(d);
		return -1;
	}
	*out = d;
	*len = n / 2;
	return 0;
}

static const EVP_MD *md_by_name(const char *algo)
{
	if (!strcmp(algo, "sha256"))
		return EVP_sha256();
	if (!strcmp(algo, "sha512"))
		return EVP_sha512();
	if (!strcmp(algo, "sha384"))
		return EVP_sha384();
	if (!strcmp(algo, "sha224"))
		return EVP_sha224();
	return NULL;
}

int digest_hex(const char *algo, const unsigned char *data, size_t n, char *out)
{
	const EVP_MD *md = md_by_name(algo);
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (!md || !EVP_Digest(data, n, d, &dlen, md, NULL))
		return -1;
	hex_encode(d, dlen, out);
	return 0;
}

enum kind { K_NONE, K_ED25519, K_ECDSA, K_RSA_PSS, K_RSA_PKCS1 };

/* Kind of key and the digest its scheme uses. */
static enum kind key_kind(const struct json *key, const EVP_MD **md)
{
	const char *type = json_get_str(key, "keytype");
	const char *scheme = json_get_str(key, "scheme");
	const char *pub = json_get_str(json_get_type(key, "keyval",
	                                             JSON_OBJECT),
	                               "public");
	*md = NULL;
	if (!type || !scheme || !pub)
		return K_NONE;
	if (!strcmp(type, "ed25519") && !strcmp(scheme, "ed25519"))
		return K_ED25519;
	if (!strcmp(type, "ecdsa") || !strcmp(type, "ecdsa-sha2-nistp256") ||
	    !strcmp(type, "ecdsa-sha2-nistp384")) {
		if (!strcmp(scheme, "ecdsa-sha2-nistp256")) {
			*md = EVP_sha256();
			return K_ECDSA;
		}
		if (!strcmp(scheme, "ecdsa-sha2-nistp384")) {
			*md = EVP_sha384();
			return K_ECDSA;
		}
		return K_NONE;
	}
	if (!strcmp(type, "rsa")) {
		static const struct {
			const char *scheme;
			enum kind k;
			const char *md;
		} rsa[] = {
			{ "rsassa-pss-sha256", K_RSA_PSS, "sha256" },
			{ "rsassa-pss-sha384", K_RSA_PSS, "sha384" },
			{ "rsassa-pss-sha512", K_RSA_PSS, "sha512" },
			{ "rsa-pkcs1v15-sha256", K_RSA_PKCS1, "sha256" },
			{ "rsa-pkcs1v15-sha384", K_RSA_PKCS1, "sha384" },
			{ "rsa-pkcs1v15-sha512", K_RSA_PKCS1, "sha512" },
		};
		for (size_t k = 0; k < sizeof rsa / sizeof rsa[0]; k++)
			if (!strcmp(scheme, rsa[k].scheme)) {
				*md = md_by_name(rsa[k].md);
				return rsa[k].k;
			}
	}
	return K_NONE;
}

static EVP_PKEY *load_public(enum kind kind, const char *pub)
{
	if (kind == K_ED25519) {
		unsigned char *raw;
		size_t len;
		if (hex_decode_new(pub, &raw, &len))
			return NULL;
		EVP_PKEY *k =
			len == 32
				? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519,
		                                              NULL, raw, len)
				: NULL;
		free(raw);
		return k;
	}
	BIO *bio = BIO_new_mem_buf(pub, -1);
	if (!bio)
		return NULL;
	EVP_PKEY *k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!k)
		return NULL;
	int want = kind == K_ECDSA ? EVP_PKEY_EC : EVP_PKEY_RSA;
	if (EVP_PKEY_get_base_id(k) != want) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

static int verify_with(EVP_PKEY *pkey, enum kind kind, const EVP_MD *md,
                       const unsigned char *sig, size_t siglen,
                       const unsigned char *msg, size_t n)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok = 0;
	if (!ctx)
		return 0;
	if (EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pkey) != 1)
		goto out;
	if (kind == K_RSA_PSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1))
		goto out;
	if (kind == K_RSA_PKCS1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
		goto out;
	ok = EVP_DigestVerify(ctx, sig, siglen, msg, n) == 1;
out:
	EVP_MD_CTX_free(ctx);
	return ok;
}

int verify_signature(const struct json *key, const char *sig_hex,
                     const unsigned char *msg, size_t n)
{
	const EVP_MD *md;
	enum kind kind = key_kind(key, &md);
	if (kind == K_NONE)
		return 0;
	unsigned char *sig;
	size_t siglen;
	if (hex_decode_new(sig_hex, &sig, &siglen))
		return 0;
	int ok = 0;
	EVP_PKEY *pkey =
		siglen ? load_public(kind, json_get_str(json_get(key, "keyval"),
	                                                "public"))
		       : NULL;
	if (pkey)
		ok = verify_with(pkey, kind, md, sig, siglen, msg, n);
	EVP_PKEY_free(pkey);
	free(sig);
	return ok;
}
