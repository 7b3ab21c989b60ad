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

#include "control_frame.h"
#include "core_platform.h"

#include <string.h>

#define STOP_WHO "core" /* the only one a stop frame may name */

int control_stop_frame(const char *line)
{
	return strncmp(line, "stop ", 5) == 0;
}

/* Decodes the frame and reads its reason: NULL, or why not. */
static const char *receive(struct config_watch *w, char *line,
                           char reason[CONTROL_STOP_REASON_MAX + 1])
{
	struct control_header h;
	const char *why = control_header_decode(line, &h);
	if (why)
		return why;
	if (strcmp(h.arg, STOP_WHO) != 0)
		return "not `stop " STOP_WHO " SIZE CHECK`";
	if (h.size == 0 || h.size > CONTROL_STOP_REASON_MAX)
		return "SIZE is not 1..64, the bytes of a reason";
	why = control_frame_body(w, &h, (uint8_t *)reason);
	if (why)
		return why;
	reason[h.size] = '\0';
	char end;
	if (!control_frame_byte(w, &end))
		return "truncated: no newline after the reason";
	if (end != '\n')
		return "bytes after the reason where the frame ends";
	for (uint64_t i = 0; i < h.size; i++)
		if (reason[i] < ' ' || reason[i] > '~')
			return "the reason is no printable text";
	return NULL;
}

int control_stop_take(struct config_watch *w, char *line)
{
	char reason[CONTROL_STOP_REASON_MAX + 1];
	const char *why = receive(w, line, reason);
	if (why) {
		target_logf(NULL,
		            "control: stop frame refused: %s; core runs on",
		            why);
		return -1;
	}
	target_logf(NULL, "control: stop requested (%s): shutting down",
	            reason);
	return 1;
}
