/*
 * The frame header every kind of the control channel shares, and a
 * frame's checked body (control_frame.h). Linear in the line and the
 * body; nothing here acts on a frame.
 */
#include "control_frame.h"

#include "cksum.h"
#include "decimal.h"

#include <string.h>

const char *control_header_decode(char *line, struct control_header *h)
{
	char *words[4];
	unsigned n = 0;
	for (char *p = line; *p;) {
		if (n == 4)
			return "more than four words";
		words[n++] = p;
		char *space = strchr(p, ' ');
		if (!space)
			break;
		*space = '\0';
		p = space + 1;
	}
	if (n != 4)
		return "no frame header `KIND ARG SIZE CHECK`";
	uint64_t size, check;
	if (decimal_parse(words[2], strlen(words[2]), 10, UINT64_MAX, &size) !=
	    0)
		return "SIZE is no decimal";
	if (decimal_parse(words[3], strlen(words[3]), 10, UINT32_MAX, &check) !=
	    0)
		return "CHECK is no decimal cksum";
	*h = (struct control_header){ .kind = words[0],
		                      .arg = words[1],
		                      .size = size,
		                      .check = (uint32_t)check };
	return NULL;
}

const char *control_frame_body(struct config_watch *w,
                               const struct control_header *h, uint8_t *into)
{
	uint64_t got = 0;
	char c;
	while (got < h->size && control_frame_byte(w, &c))
		into[got++] = (uint8_t)c;
	if (got < h->size)
		return "truncated: the bytes stopped coming";
	uint32_t crc = cksum_finish(cksum_update(CKSUM_START, into, got), got);
	return crc == h->check ? NULL : "CHECK does not match the bytes";
}
