/*
 * Node identities (remote/identity.h) with OpenSSL: key generation, PEM in
 * and out, and the fingerprint that peers pin. The certificate is only the
 * envelope TLS needs for the key; the pin on the key is the trust.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <hex/hex.h>
#include <remote/identity.h>

struct identity {
	EVP_PKEY *key;
	X509 *cert;
	uint8_t fp[IDENTITY_FP_BYTES];
};

static int fail(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char detail[160] = "";
	if (e)
		ERR_error_string_n(e, detail, sizeof detail);
	snprintf(err, errlen, "%s%s%s", what, e ? ": " : "", detail);
	ERR_clear_error();
	return -1;
}

int identity_cert_fingerprint(void *cert, uint8_t fp[IDENTITY_FP_BYTES])
{
	EVP_PKEY *pub = X509_get0_pubkey(cert);
	unsigned char *der = NULL;
	unsigned int fp_len = 0;
	int len, ok;
	if (!pub)
		return -1;
	len = i2d_PUBKEY(pub, &der);
	if (len <= 0)
		return -1;
	ok = EVP_Digest(der, (size_t)len, fp, &fp_len, EVP_sha256(), NULL);
	OPENSSL_free(der);
	return ok && fp_len == IDENTITY_FP_BYTES ? 0 : -1;
}

/* Takes key and cert; on failure frees them. */
static int make(identity_t **out, EVP_PKEY *key, X509 *cert, char *err,
                size_t errlen)
{
	identity_t *id = calloc(1, sizeof *id);
	if (!id || identity_cert_fingerprint(cert, id->fp) != 0) {
		free(id);
		EVP_PKEY_free(key);
		X509_free(cert);
		return fail(err, errlen, "cannot make identity");
	}
	id->key = key;
	id->cert = cert;
	*out = id;
	return 0;
}

/* A certificate for `key` naming `node`, valid from now for 100 years
 * (expiry means nothing here: the pin is the trust). */
static X509 *self_signed(EVP_PKEY *key, const char *node)
{
	X509 *cert = X509_new();
	X509_NAME *name;
	if (!cert)
		return NULL;
	name = X509_get_subject_name(cert);
	if (X509_set_version(cert, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), 100L * 365 * 86400) ||
	    X509_set_pubkey(cert, key) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	                               (const unsigned char *)node, -1, -1,
	                               0) != 1 ||
	    X509_set_issuer_name(cert, name) != 1 ||
	    X509_sign(cert, key, NULL) <= 0) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

int identity_generate(identity_t **out, const char *node, char *err,
                      size_t errlen)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	X509 *cert;
	if (!key)
		return fail(err, errlen, "cannot generate an Ed25519 key");
	cert = self_signed(key, node);
	if (!cert) {
		EVP_PKEY_free(key);
		return fail(err, errlen,
		            "cannot make a self-signed certificate");
	}
	return make(out, key, cert, err, errlen);
}

int identity_from_pem(identity_t **out, const char *key_pem, size_t key_len,
                      const char *cert_pem, size_t cert_len, char *err,
                      size_t errlen)
{
	BIO *kb = BIO_new_mem_buf(key_pem, (int)key_len);
	BIO *cb = BIO_new_mem_buf(cert_pem, (int)cert_len);
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int type;
	if (key_len > 65536 || cert_len > 65536) {
		snprintf(err, errlen, "key or certificate larger than 64 KiB");
		goto refuse;
	}
	if (kb)
		key = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
	if (cb)
		cert = PEM_read_bio_X509(cb, NULL, NULL, NULL);
	if (!key || !cert) {
		fail(err, errlen,
		     key ? "certificate is no PEM X.509 certificate"
		         : "key is no PEM private key");
		goto refuse;
	}
	type = EVP_PKEY_get_base_id(key);
	if (type != EVP_PKEY_ED25519 && type != EVP_PKEY_EC) {
		snprintf(err, errlen, "key type %s: use Ed25519 or ECDSA",
		         OBJ_nid2sn(type));
		goto refuse;
	}
	if (X509_check_private_key(cert, key) != 1) {
		fail(err, errlen, "the certificate is not for this key");
		goto refuse;
	}
	BIO_free(kb);
	BIO_free(cb);
	return make(out, key, cert, err, errlen);
refuse:
	EVP_PKEY_free(key);
	X509_free(cert);
	BIO_free(kb);
	BIO_free(cb);
	ERR_clear_error();
	return -1;
}

static char *bio_text(BIO *b)
{
	char *data, *text = NULL;
	long len = BIO_get_mem_data(b, &data);
	if (len > 0 && (text = malloc((size_t)len + 1))) {
		memcpy(text, data, (size_t)len);
		text[len] = '\0';
	}
	return text;
}

int identity_to_pem(const identity_t *id, char **key_pem, char **cert_pem)
{
	BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
	int rc = -1;
	if (kb && cb &&
	    PEM_write_bio_PrivateKey(kb, id->key, NULL, NULL, 0, NULL, NULL) &&
	    PEM_write_bio_X509(cb, id->cert)) {
		*key_pem = bio_text(kb);
		*cert_pem = bio_text(cb);
		if (*key_pem && *cert_pem)
			rc = 0;
		else {
			free(*key_pem);
			free(*cert_pem);
		}
	}
	BIO_free(kb);
	BIO_free(cb);
	return rc;
}

void identity_free(identity_t *id)
{
	if (!id)
		return;
	EVP_PKEY_free(id->key);
	X509_free(id->cert);
	free(id);
}

void identity_fingerprint(const identity_t *id, uint8_t fp[IDENTITY_FP_BYTES])
{
	memcpy(fp, id->fp, IDENTITY_FP_BYTES);
}

void identity_fp_format(const uint8_t fp[IDENTITY_FP_BYTES], char *text)
{
	memcpy(text,
	       "sha256:", sizeof("sha256:")); /* hex_encode goes on at 7 */
	hex_encode(fp, IDENTITY_FP_BYTES, text + 7);
}

int identity_fp_parse(const char *text, uint8_t fp[IDENTITY_FP_BYTES])
{
	if (strncmp(text, "sha256:", 7) != 0 ||
	    strlen(text) != IDENTITY_FP_TEXT - 1)
		return -1;
	/* fp stays as it was when a digit is wrong */
	return hex_decode(text + 7, IDENTITY_FP_BYTES, fp) ? 0 : -1;
}

void *identity_key(const identity_t *id)
{
	return id->key;
}
void *identity_cert(const identity_t *id)
{
	return id->cert;
}
