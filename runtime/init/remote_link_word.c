/*
 * What a remote proxy says of its link (remote_route.h), decoded: pure, so
 * that hostile words are tested without processes. Only a known state word
 * and a printable error (bounded, control bytes replaced) are kept; any
 * other text leaves the last word as it was. The words are the state
 * report's own (state_report_link_name).
 */
#include "remote_route.h"

#include <string.h>

#include <cjson/cJSON.h>
#include <runtime/str.h>

bool remote_link_word_take(struct remote_link_word *w, const char *text,
                           size_t length)
{
	cJSON *o = cJSON_ParseWithLength(text, length);
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(o, "state");
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(o, "error");
	bool taken = false;

	for (unsigned i = 0;
	     cJSON_IsString(state) && i <= STATE_REPORT_LINK_REFUSED; i++) {
		if (strcmp(state->valuestring,
		           state_report_link_name((enum state_report_link)i)) !=
		    0)
			continue;
		w->link = (enum state_report_link)i;
		w->error[0] = '\0';
		if (cJSON_IsString(error) && i != STATE_REPORT_LINK_UP)
			str_copy(w->error, error->valuestring,
			         sizeof(w->error));
		/* ASCII only: no control bytes in the report, and no UTF-8
		 * sequence that the cut above could have broken */
		for (char *c = w->error; *c; c++)
			if ((unsigned char)*c < 0x20 ||
			    (unsigned char)*c >= 0x7f)
				*c = '?';
		taken = true;
	}
	cJSON_Delete(o);
	return taken;
}
