/*
 * libFuzzer target of libformat's state report parser (format/state_report.h),
 * the reader host tools run on a target's report/init.state: any bytes go
 * in; the parser must either refuse them with a message or hand out a model
 * that the writer turns into text which parses back and writes again to
 * the same text. Built in the fuzz variant (tests/unit/format/module.mk);
 * the fuzz suite decides how long it runs, from the seeds in
 * tests/fuzz/corpus/state_report_fuzz/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/state_report.h"

static void check_round_trip(const struct state_report *report)
{
	struct runtime_config_error error;
	struct state_report *again = NULL;
	char *text = state_report_to_json(report, &error);
	char *text_again;

	/* a model the parser accepted is one the writer writes, unless the
	 * text outgrows the bound (unknown fields dropped never make it
	 * longer, so that would be a bug too) */
	if (text == NULL)
		abort();
	if (state_report_parse(text, strlen(text), &again, &error) !=
	    RUNTIME_CONFIG_OK)
		abort();
	text_again = state_report_to_json(again, &error);
	if (text_again == NULL || strcmp(text, text_again) != 0)
		abort();
	free(text);
	free(text_again);
	state_report_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_report *report = NULL;
	struct runtime_config_error error;

	if (state_report_parse((const char *)data, size, &report, &error) !=
	    RUNTIME_CONFIG_OK) {
		if (report != NULL || error.message[0] == '\0')
			abort();
		return 0;
	}
	check_round_trip(report);
	state_report_free(report);
	return 0;
}
