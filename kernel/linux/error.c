/*
 * Error codes of the kernel interface on Linux: kerr_from_errno() for the
 * other files of kernel/linux/, which turn the errno of a failed system
 * call into the KERR_* value the interface promises (kerr_str(), the
 * words, is every platform's: kernel/common/kerr_str.c).
 */
#include <errno.h>

#include "kernel/kernel.h"
#include "error.h"

int kerr_from_errno(int err)
{
	switch (err) {
	case 0:
		return KERR_OK;
	case ENOMEM:
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case EAGAIN:
	case ENOSPC:
		return KERR_NOMEM;
	case EPIPE:
	case ECONNREFUSED:
	case ECONNRESET:
	case ENOTCONN:
		return KERR_REVOKED;
	case ETIMEDOUT:
		return KERR_TIMEOUT;
	case EMSGSIZE:
		return KERR_TOO_BIG;
	case ENOTSOCK:
	case ENODEV:
		return KERR_WRONG_TYPE;
	case EPERM:
	case EACCES:
		return KERR_DENIED;
	default:
		return KERR_INVALID;
	}
}
