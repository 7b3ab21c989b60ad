/*
 * SHA-256 helpers over OpenSSL's EVP interface: hex conversion and hashing a
 * whole file. Streaming hashes (downloads, extraction) use EVP directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <hex/hex.h>

#include "diag.h"

void depot_sha256_hex(const uint8_t hash[DEPOT_SHA256_LEN],
                      char out[DEPOT_SHA256_HEX])
{
	hex_encode(hash, DEPOT_SHA256_LEN, out);
}

int depot_sha256_parse(const char *hex, uint8_t hash[DEPOT_SHA256_LEN])
{
	if (!hex_decode(hex, DEPOT_SHA256_LEN, hash))
		return DEPOT_E_USAGE;
	return hex[(size_t)2 * DEPOT_SHA256_LEN] == '\0' ? DEPOT_OK
	                                                 : DEPOT_E_USAGE;
}

int depot_sha256_fd(int fd, const char *label, uint8_t hash[DEPOT_SHA256_LEN],
                    uint64_t *length, struct depot_diag *diag)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		close(fd);
		return diag_set(diag, DEPOT_E_NOMEM, label, NULL);
	}
	unsigned char buf[65536];
	uint64_t total = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		EVP_DigestUpdate(md, buf, (size_t)n);
		total += (uint64_t)n;
	}
	int err = n < 0 ? diag_errno(diag, label) : DEPOT_OK;
	if (!err)
		EVP_DigestFinal_ex(md, hash, NULL);
	EVP_MD_CTX_free(md);
	close(fd);
	if (length)
		*length = total;
	return err;
}

int depot_sha256_file(const char *path, uint8_t hash[DEPOT_SHA256_LEN],
                      uint64_t *length, struct depot_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(diag, path);
	return depot_sha256_fd(fd, path, hash, length, diag);
}
