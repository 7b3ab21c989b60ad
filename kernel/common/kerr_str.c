/*
 * kerr_str() (kernel/kernel.h): the words for the kernel interface's error
 * codes. Platform-independent, so that every platform's library links this
 * one file and a log reads alike on linux and on riscv.
 */
#include "kernel/kernel.h"

/* Indexed by -KERR_*; one entry per value of enum kerr. */
static const char *const kerr_words[] = {
	[-KERR_OK] = "success",
	[-KERR_INVALID] = "invalid argument or empty capability",
	[-KERR_REVOKED] = "object revoked or its server is gone",
	[-KERR_NOMEM] = "out of memory or kernel resources",
	[-KERR_TIMEOUT] = "timed out",
	[-KERR_CANCELED] = "blocking call canceled",
	[-KERR_TOO_BIG] = "message too big",
	[-KERR_MALFORMED] = "malformed message",
	[-KERR_WRONG_TYPE] = "capability names another kind of object",
	[-KERR_DENIED] = "operation not permitted",
	[-KERR_LIMIT] = "this process has its share of channels already",
};

const char *kerr_str(int err)
{
	if (err > 0 || -err >= (int)(sizeof kerr_words / sizeof kerr_words[0]))
		return "unknown kernel error";
	return kerr_words[-err];
}
