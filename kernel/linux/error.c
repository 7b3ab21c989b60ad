/*
 * Error codes of the kernel interface on Linux: kerr_str() for people and
 * kerr_from_errno() for the other files of kernel/linux/, which turn the
 * errno of a failed system call into the KERR_* value the interface
 * promises.
 */
#include <errno.h>

#include "kernel/kernel.h"
#include "error.h"

/* Indexed by -KERR_*; one entry per value of enum kerr. */
static const char *const kerr_words[] = {
	[-KERR_OK]         = "success",
	[-KERR_INVALID]    = "invalid argument or empty capability",
	[-KERR_REVOKED]    = "object revoked or its server is gone",
	[-KERR_NOMEM]      = "out of memory or kernel resources",
	[-KERR_TIMEOUT]    = "timed out",
	[-KERR_CANCELED]   = "blocking call canceled",
	[-KERR_TOO_BIG]    = "message too big",
	[-KERR_MALFORMED]  = "malformed message",
	[-KERR_WRONG_TYPE] = "capability names another kind of object",
	[-KERR_DENIED]     = "operation not permitted",
	[-KERR_LIMIT]      = "this process has its share of channels already",
};

const char *kerr_str(int err)
{
	if (err > 0 || -err >= (int)(sizeof kerr_words / sizeof kerr_words[0]))
		return "unknown kernel error";
	return kerr_words[-err];
}

int kerr_from_errno(int err)
{
	switch (err) {
	case 0:
		return KERR_OK;
	case ENOMEM: case EMFILE: case ENFILE: case ENOBUFS: case EAGAIN:
	case ENOSPC:
		return KERR_NOMEM;
	case EPIPE: case ECONNREFUSED: case ECONNRESET: case ENOTCONN:
		return KERR_REVOKED;
	case ETIMEDOUT:
		return KERR_TIMEOUT;
	case EMSGSIZE:
		return KERR_TOO_BIG;
	case ENOTSOCK: case ENODEV:
		return KERR_WRONG_TYPE;
	case EPERM: case EACCES:
		return KERR_DENIED;
	default:
		return KERR_INVALID;
	}
}
