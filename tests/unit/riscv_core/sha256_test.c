/*
 * Core on riscv's own SHA-256 (core/riscv/sha256.h) on the host: the
 * example vectors of FIPS 180-4 (one block, two blocks, a million 'a'),
 * the empty message, and every length around the padding's edges fed in
 * pieces, compared with OpenSSL's, which the host tools use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sha256.h"

#include <hex/hex.h>

#include <openssl/evp.h>

#include <string.h>

static void digest_of(const void *bytes, size_t size, size_t piece,
                      char hex[2 * SHA256_DIGEST_SIZE + 1])
{
	struct sha256 h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	const uint8_t *p = bytes;
	sha256_start(&h);
	for (size_t done = 0; done < size; done += piece)
		sha256_update(&h, p + done,
		              size - done < piece ? size - done : piece);
	sha256_finish(&h, digest);
	hex_encode(digest, sizeof(digest), hex);
}

static void fips_one_block(void **state)
{
	(void)state;
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	digest_of("abc", 3, 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	                         "b00361a396177a9cb410ff61f20015ad");
}

static void fips_two_blocks(void **state)
{
	(void)state;
	const char *m =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	digest_of(m, strlen(m), strlen(m), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
	                         "a33ce45964ff2167f6ecedd419db06c1");
}

static void fips_million_a(void **state)
{
	(void)state;
	static char m[1000000];
	memset(m, 'a', sizeof(m));
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	digest_of(m, sizeof(m), 4096, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
	                         "f1809a48a497200e046d39ccc7112cd0");
}

static void empty_message(void **state)
{
	(void)state;
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	digest_of("", 0, 1, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	                         "27ae41e4649b934ca495991b7852b855");
}

/* Lengths 0..200 (the padding's one- and two-block cases, 55/56/63/64
 * among them), in pieces of 1, 7 and 64 bytes, against OpenSSL. */
static void lengths_like_openssl(void **state)
{
	(void)state;
	uint8_t m[200];
	for (size_t i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i * 31 + 7);
	for (size_t len = 0; len <= sizeof(m); len++) {
		uint8_t want[SHA256_DIGEST_SIZE];
		unsigned int want_len = 0;
		char want_hex[2 * SHA256_DIGEST_SIZE + 1];
		assert_int_equal(EVP_Digest(m, len, want, &want_len,
		                            EVP_sha256(), NULL),
		                 1);
		hex_encode(want, sizeof(want), want_hex);
		static const size_t pieces[] = { 1, 7, 64 };
		for (size_t p = 0; p < 3; p++) {
			char hex[2 * SHA256_DIGEST_SIZE + 1];
			digest_of(m, len, pieces[p], hex);
			assert_string_equal(hex, want_hex);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fips_one_block),
		cmocka_unit_test(fips_two_blocks),
		cmocka_unit_test(fips_million_a),
		cmocka_unit_test(empty_message),
		cmocka_unit_test(lengths_like_openssl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
