/*
 * Key files and signing for the repository side (see keys.h). Private keys
 * are written PKCS#8 PEM with mode 0600 from creation (O_EXCL: an existing
 * key is never overwritten), AES-256-CBC encrypted when a passphrase is
 * given; public keys as SPKI PEM beside them.
 */
#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "metadata.h"

static BIO *open_bio(const char *path, struct tuf_error *e, int *rc)
{
	BIO *b = BIO_new_file(path, "r");
	*rc = b ? TUF_OK
	        : tuf_fail(e, TUF_E_IO, "cannot open key file '%s': %s", path,
	                   strerror(errno));
	return b;
}

int key_load_private(const char *path, const char *passphrase, EVP_PKEY **out,
                     struct tuf_error *e)
{
	int rc;
	BIO *b = open_bio(path, e, &rc);
	if (!b)
		return rc;
	*out = PEM_read_bio_PrivateKey(b, NULL, NULL,
	                               (void *)(passphrase ? passphrase : ""));
	BIO_free(b);
	if (!*out)
		return tuf_fail(
			e, TUF_E_KEY,
			"'%s' is not a private key PEM file (or the passphrase is wrong)",
			path);
	return TUF_OK;
}

int key_load_public(const char *path, EVP_PKEY **out, struct tuf_error *e)
{
	int rc;
	BIO *b = open_bio(path, e, &rc);
	if (!b)
		return rc;
	*out = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	return *out ? TUF_OK
	            : tuf_fail(e, TUF_E_KEY,
	                       "'%s' is not a public key PEM file", path);
}

static char *public_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	if (b && PEM_write_bio_PUBKEY(b, k)) {
		long n = BIO_get_mem_data(b, &data);
		if ((out = malloc((size_t)n + 1))) {
			memcpy(out, data, (size_t)n);
			out[n] = 0;
		}
	}
	BIO_free(b);
	return out;
}

int key_to_json(EVP_PKEY *k, struct json **out, char keyid[65],
                struct tuf_error *e)
{
	const char *type, *scheme;
	char *pub = NULL;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519: {
		unsigned char raw[32];
		size_t n = sizeof raw;
		type = scheme = "ed25519";
		if (EVP_PKEY_get_raw_public_key(k, raw, &n) == 1 &&
		    (pub = malloc(65)))
			hex_encode(raw, n, pub);
		break;
	}
	case EVP_PKEY_EC:
		type = "ecdsa";
		scheme = "ecdsa-sha2-nistp256";
		pub = public_pem(k);
		break;
	case EVP_PKEY_RSA:
		type = "rsa";
		scheme = "rsassa-pss-sha256";
		pub = public_pem(k);
		break;
	default:
		return tuf_fail(
			e, TUF_E_KEY,
			"unsupported key type (use Ed25519, ECDSA P-256 or RSA)");
	}
	struct json *key = json_new(JSON_OBJECT);
	unsigned char *canon = NULL;
	size_t n;
	int ok = pub && key && !json_set(key, "keytype", json_new_str(type)) &&
	         !json_set(key, "scheme", json_new_str(scheme)) &&
	         !json_set(key, "keyval", json_new(JSON_OBJECT)) &&
	         !json_set(json_get(key, "keyval"), "public",
	                   json_new_str(pub));
	free(pub);
	ok = ok && !json_canonical(key, &canon, &n) &&
	     !digest_hex("sha256", canon, n, keyid);
	free(canon);
	if (!ok) {
		json_free(key);
		return tuf_fail(e, TUF_E_NOMEM, "out of memory");
	}
	*out = key;
	return TUF_OK;
}

int key_sign(EVP_PKEY *k, const unsigned char *msg, size_t n, char **sig_hex,
             struct tuf_error *e)
{
	int id = EVP_PKEY_get_base_id(k);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *sig = NULL;
	size_t len = 0;
	int ok = ctx &&
	         EVP_DigestSignInit(ctx, &pctx,
	                            id == EVP_PKEY_ED25519 ? NULL
	                                                   : EVP_sha256(),
	                            NULL, k) == 1;
	if (ok && id == EVP_PKEY_RSA)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
		                                  RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
		                                      RSA_PSS_SALTLEN_DIGEST) ==
		             1;
	ok = ok && EVP_DigestSign(ctx, NULL, &len, msg, n) == 1 &&
	     (sig = malloc(len)) &&
	     EVP_DigestSign(ctx, sig, &len, msg, n) == 1 &&
	     (*sig_hex = malloc(2 * len + 1));
	if (ok)
		hex_encode(sig, len, *sig_hex);
	free(sig);
	EVP_MD_CTX_free(ctx);
	return ok ? TUF_OK : tuf_fail(e, TUF_E_KEY, "signing failed");
}

static int write_pem(const char *path, int mode, EVP_PKEY *k,
                     const char *passphrase, int private, struct tuf_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode); // NOLINT(clang-analyzer-core.NonNullParamChecker): every caller passes a path
	if (fd < 0)
		return tuf_fail(e, TUF_E_IO, "cannot create '%s': %s", path,
		                strerror(errno));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return tuf_fail(e, TUF_E_IO, "cannot write '%s'", path);
	}
	int ok = private ? PEM_write_PKCS8PrivateKey(f, k,
	                                             passphrase
	                                                     ? EVP_aes_256_cbc()
	                                                     : NULL,
	                                             NULL, 0, NULL,
	                                             (void *)passphrase)
	                 : PEM_write_PUBKEY(f, k);
	ok = fflush(f) == 0 && fsync(fd) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	return ok ? TUF_OK : tuf_fail(e, TUF_E_IO, "cannot write '%s'", path);
}

int tuf_key_generate(const char *prefix, const char *passphrase,
                     char keyid_out[65], struct tuf_error *e)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	char *priv = NULL, *pub = NULL;
	int rc = TUF_OK;
	if (!k || asprintf(&priv, "%s.key", prefix) < 0 ||
	    asprintf(&pub, "%s.pub", prefix) < 0)
		rc = tuf_fail(e, TUF_E_NOMEM, "cannot generate an Ed25519 key");
	if (rc == TUF_OK)
		rc = write_pem(priv, 0600, k, passphrase, 1, e);
	if (rc == TUF_OK)
		rc = write_pem(pub, 0644, k, NULL, 0, e);
	if (rc == TUF_OK && keyid_out) {
		struct json *j = NULL;
		rc = key_to_json(k, &j, keyid_out, e);
		json_free(j);
	}
	EVP_PKEY_free(k);
	free(priv);
	free(pub);
	return rc;
}
