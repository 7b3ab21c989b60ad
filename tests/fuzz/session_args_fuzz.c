/*
 * Fuzz target of the decode step of every session request at core
 * (runtime/session_args.h): arbitrary bytes as the argument string a
 * component sends (at most 400 bytes, as parent.rpc bounds it). Decoding
 * must never crash or read past the string; a decoded label must be
 * terminated within its buffer, and the label helpers and module-name
 * check must hold up on whatever label came out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/session_args.h>
#include "target.h"

#include <runtime/arg_string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char args[401];
	if (size > 400)
		size = 400;
	memcpy(args, data, size);
	args[size] = '\0';

	struct session_args parsed;
	const char *why = NULL;
	if (session_args_parse(args, &parsed, &why) != 0) {
		if (!why)
			abort(); /* a refusal always says why */
		return 0;
	}
	if (strnlen(parsed.label, sizeof(parsed.label)) >= sizeof(parsed.label))
		abort();

	char prefixed[SESSION_LABEL_MAX + 8], first[TARGET_NAME_MAX + 1];
	if (session_label_prefix("init", parsed.label, prefixed,
	                         sizeof(prefixed)) == 0 &&
	    strncmp(prefixed, "init", 4) != 0)
		abort();
	session_label_first(parsed.label, first, sizeof(first));
	const char *last = session_label_last(parsed.label);
	if (last < parsed.label || last > parsed.label + strlen(parsed.label))
		abort();
	(void)target_module_name_ok(last);

	/* what init's parent does with it: the label rewritten in place */
	char rewritten[600];
	memcpy(rewritten, args, size + 1);
	if (arg_string_set_quoted(rewritten, sizeof(rewritten), "label",
	                          prefixed) == ARG_OK &&
	    arg_string_validate(rewritten, sizeof(rewritten)) != ARG_OK)
		abort();
	return 0;
}
