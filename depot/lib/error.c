/*
 * The one place in libdepot where error codes become words. Every message
 * is lowercase without a final full stop; callers print it with the
 * diagnostic's subject quoted and its detail after a colon.
 */
#include <string.h>

#include "depot/depot.h"

static const char *const messages[] = {
	[DEPOT_E_NOMEM - DEPOT_E_NOMEM] = "out of memory",
	[DEPOT_E_IO - DEPOT_E_NOMEM] = "input/output error on",
	[DEPOT_E_NAME - DEPOT_E_NOMEM] = "malformed archive name",
	[DEPOT_E_ARCHIVE - DEPOT_E_NOMEM] = "unreadable or unwritable archive",
	[DEPOT_E_ABSOLUTE_PATH -
		DEPOT_E_NOMEM] = "refusing archive entry with an absolute path",
	[DEPOT_E_DOTDOT -
		DEPOT_E_NOMEM] = "refusing archive entry with a '..' component",
	[DEPOT_E_LINK_ESCAPE -
		DEPOT_E_NOMEM] = "refusing link that leaves the archive",
	[DEPOT_E_SPECIAL_FILE -
		DEPOT_E_NOMEM] = "refusing device, fifo or socket entry",
	[DEPOT_E_TOO_LARGE - DEPOT_E_NOMEM] =
		"refusing archive whose content exceeds the byte budget",
	[DEPOT_E_TOO_MANY_ENTRIES - DEPOT_E_NOMEM] =
		"refusing archive with more entries than the limit",
	[DEPOT_E_BAD_ENTRY -
		DEPOT_E_NOMEM] = "refusing malformed archive entry",
	[DEPOT_E_EXISTS - DEPOT_E_NOMEM] =
		"version already exists with different content",
	[DEPOT_E_NOT_INSTALLED - DEPOT_E_NOMEM] = "archive not installed",
	[DEPOT_E_RECIPE - DEPOT_E_NOMEM] = "invalid recipe",
	[DEPOT_E_NO_HASH - DEPOT_E_NOMEM] = "recipe has no hash file",
	[DEPOT_E_NOT_BUMPED -
		DEPOT_E_NOMEM] = "content changed but the version did not",
	[DEPOT_E_RUNTIME - DEPOT_E_NOMEM] = "invalid pkg runtime file",
	[DEPOT_E_ARCHIVES_LIST - DEPOT_E_NOMEM] = "invalid pkg archives list",
	[DEPOT_E_NETWORK - DEPOT_E_NOMEM] = "transfer failed for",
	[DEPOT_E_HTTP - DEPOT_E_NOMEM] = "server refused",
	[DEPOT_E_TIMEOUT - DEPOT_E_NOMEM] = "server too slow for",
	[DEPOT_E_OVERSIZE - DEPOT_E_NOMEM] =
		"refusing download longer than its expected length",
	[DEPOT_E_TRUNCATED -
		DEPOT_E_NOMEM] = "download shorter than its expected length",
	[DEPOT_E_HASH_MISMATCH - DEPOT_E_NOMEM] =
		"refusing download whose sha256 differs from the expected one",
	[DEPOT_E_CYCLE - DEPOT_E_NOMEM] = "dependency cycle at",
	[DEPOT_E_MODIFIED - DEPOT_E_NOMEM] = "installed content was modified",
	[DEPOT_E_USAGE - DEPOT_E_NOMEM] = "invalid argument",
	[DEPOT_E_UNTRUSTED -
		DEPOT_E_NOMEM] = "no verified length and sha256 for archive",
	[DEPOT_E_METADATA - DEPOT_E_NOMEM] = "refusing repository metadata",
	[DEPOT_E_SIGNING - DEPOT_E_NOMEM] = "cannot sign repository metadata",
	[DEPOT_E_BUILD - DEPOT_E_NOMEM] = "build failed for",
	[DEPOT_E_INCOMPLETE -
		DEPOT_E_NOMEM] = "archives missing for installed pkg",
	[DEPOT_E_UNPUBLISHED -
		DEPOT_E_NOMEM] = "refusing to publish incomplete pkg",
};

const char *depot_strerror(int code)
{
	if (code == DEPOT_OK)
		return "success";
	if (code < DEPOT_E_NOMEM || code >= DEPOT_E_LAST)
		return "unknown error";
	return messages[code - DEPOT_E_NOMEM];
}
