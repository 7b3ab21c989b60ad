/*
 * The stop frame of the control channel (control_stop.h). Hostile like
 * every frame: the header is checked first, the reason read into a fixed
 * buffer of CONTROL_STOP_REASON_MAX bytes, and only a frame that is whole
 * and exact (its CHECK matches, a newline follows the reason at once, the
 * reason is printable) stops core; anything else is one line of refusal
 * and core runs on. Acting on the stop is main.c's: core's tear-down, as
 * on linux after SIGTERM.
 */
#include "control_stop.h"

#include "control_channel.h"

#include "cksum.h"
#include "decimal.h"

#include <string.h>

#define STOP_WHO "core" /* the only one a stop frame may name */

int control_stop_frame(const char *line)
{
	return strncmp(line, "stop ", 5) == 0;
}

/* Decodes `stop core SIZE CHECK`: NULL with *size and *check, or why not. */
static const char *decode(char *line, uint64_t *size, uint32_t *check)
{
	char *words[4];
	uint64_t crc;
	if (control_words(line, words, 4) != 4 || strcmp(words[1], STOP_WHO))
		return "not `stop " STOP_WHO " SIZE CHECK`";
	if (decimal_parse(words[2], strlen(words[2]), 2,
	                  CONTROL_STOP_REASON_MAX, size) != 0 ||
	    *size == 0)
		return "SIZE is not 1..64, the bytes of a reason";
	if (decimal_parse(words[3], strlen(words[3]), 10, UINT32_MAX, &crc) !=
	    0)
		return "CHECK is no decimal cksum";
	*check = (uint32_t)crc;
	return NULL;
}

/* Decodes the frame and reads its reason: NULL, or why not. */
static const char *receive(struct config_watch *w, char *line,
                           char reason[CONTROL_STOP_REASON_MAX + 1])
{
	uint64_t size, got = 0;
	uint32_t check;
	const char *why = decode(line, &size, &check);
	if (why)
		return why;
	while (got < size && control_read_byte(w, &reason[got]))
		got++;
	if (got < size)
		return "truncated: the bytes stopped coming";
	reason[size] = '\0';
	if (cksum_finish(cksum_update(CKSUM_START, reason, size), size) !=
	    check)
		return "CHECK does not match the bytes";
	char end;
	if (!control_read_byte(w, &end))
		return "truncated: no newline after the reason";
	if (end != '\n')
		return "bytes after the reason where the frame ends";
	for (uint64_t i = 0; i < size; i++)
		if (reason[i] < ' ' || reason[i] > '~')
			return "the reason is no printable text";
	return NULL;
}

int control_stop_take(struct config_watch *w, char *line)
{
	char reason[CONTROL_STOP_REASON_MAX + 1];
	const char *why = receive(w, line, reason);
	if (why) {
		if (!control_stopped(w))
			control_say("control: stop frame refused: %s; core "
			            "runs on",
			            why);
		return -1;
	}
	control_say("control: stop requested (%s): shutting down", reason);
	return 1;
}
