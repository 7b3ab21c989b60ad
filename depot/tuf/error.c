/*
 * The one place where libtuf's error codes become words. Attacks are named
 * as in the TUF specification's list of attacks, so a refusal tells the
 * person what the repository or network tried to do.
 */
#include "tuf.h"

static const char *const words[TUF_E_COUNT] = {
	[TUF_OK] = "success",
	[TUF_E_NOMEM] = "out of memory",
	[TUF_E_IO] = "local file error",
	[TUF_E_ARG] = "invalid argument",
	[TUF_E_JSON] = "malformed JSON",
	[TUF_E_METADATA] = "invalid TUF metadata",
	[TUF_E_KEY] = "unsupported or malformed key",
	[TUF_E_NOT_FOUND] = "not found on the server",
	[TUF_E_FETCH] = "download failed",
	[TUF_E_ARBITRARY_INSTALL] =
		"arbitrary installation attack: no trusted role lists this target",
	[TUF_E_ENDLESS_DATA] =
		"endless data attack: download exceeds its allowed length",
	[TUF_E_EXTRANEOUS] =
		"extraneous dependencies attack: target listed by a role not delegated its path",
	[TUF_E_FAST_FORWARD] =
		"fast-forward attack: version is ahead of what trusted metadata names",
	[TUF_E_FREEZE] = "indefinite freeze attack: metadata has expired",
	[TUF_E_MIRROR] =
		"malicious mirror: server returned metadata of another role or version",
	[TUF_E_MIX_AND_MATCH] =
		"mix-and-match attack: metadata differs from the length or hash trusted metadata pins",
	[TUF_E_ROLLBACK] =
		"rollback attack: version is older than the trusted one",
	[TUF_E_SLOW_RETRIEVAL] = "slow retrieval attack: download timed out",
	[TUF_E_WRONG_SOFTWARE] =
		"wrong software: target length or hash differs from trusted metadata",
	[TUF_E_THRESHOLD] = "signatures below threshold",
};

const char *tuf_strerror(int code)
{
	if (code < 0 || code >= TUF_E_COUNT || !words[code])
		return "unknown error";
	return words[code];
}
