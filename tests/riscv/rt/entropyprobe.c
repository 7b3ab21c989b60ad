/*
 * A component that asks getentropy() for random bytes the way OpenSSL
 * does (libruntime's getentropy() over an Entropy session at core on
 * riscv, runtime/env/getentropy_session.c): two reads of 32 bytes, which
 * it prints in hex and checks (not all zero, not equal), and one of 257
 * bytes, which POSIX refuses (EINVAL). It exits with 0 when every check
 * held, 1 when one failed, 2 when getentropy() gave no bytes (then it
 * says errno's words).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <runtime/env.h>

#define ENTROPY_BYTES 32

static int all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

/* One read into b, printed as "random N: <hex>"; 0, or -1 logged. */
static int draw(env_t *env, int n, unsigned char b[ENTROPY_BYTES])
{
	char hex[2 * ENTROPY_BYTES + 1];
	if (getentropy(b, ENTROPY_BYTES) != 0) {
		env_log(env, "getentropy: -1, errno %d: %s", errno,
		        strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < ENTROPY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	env_log(env, "random %d: %s", n, hex);
	return 0;
}

void component_construct(env_t *env)
{
	unsigned char a[ENTROPY_BYTES], b[ENTROPY_BYTES], big[257];
	int failed = 0;
	if (draw(env, 1, a) != 0 || draw(env, 2, b) != 0)
		env_exit(env, 2);
	if (all_zero(a, sizeof a) || all_zero(b, sizeof b)) {
		env_log(env, "all zero: FAILED");
		failed++;
	}
	if (memcmp(a, b, sizeof a) == 0) {
		env_log(env, "the two reads are equal: FAILED");
		failed++;
	}
	errno = 0;
	if (getentropy(big, sizeof big) != -1 || errno != EINVAL) {
		env_log(env, "257 bytes not refused with EINVAL: FAILED");
		failed++;
	}
	env_log(env, "entropyprobe: %d checks failed", failed);
	env_exit(env, failed ? 1 : 0);
}
