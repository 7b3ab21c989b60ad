/*
 * Helpers shared by the subcommands of `depot`: the one way errors are
 * printed, the one way a root of trust is shown (by the publisher who
 * shares it and by the client who imports it, so both see the same
 * lines to compare), and the parsing of arguments that several commands
 * take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "transfer.h"

int tool_fail(int code, const struct depot_diag *diag)
{
	const char *words = depot_strerror(code);
	if (diag && diag->subject[0] && diag->detail[0])
		fprintf(stderr, "depot: %s '%s': %s\n", words, diag->subject,
		        diag->detail);
	else if (diag && diag->subject[0])
		fprintf(stderr, "depot: %s '%s'\n", words, diag->subject);
	else
		fprintf(stderr, "depot: %s\n", words);
	return 1;
}

int tool_parse_pkg(const char *text, struct depot_name *out,
                   struct depot_diag *diag)
{
	size_t slashes = 0;
	for (const char *p = text; *p; p++)
		slashes += *p == '/';
	if (slashes != 2)
		return depot_name_parse(text, out, diag);
	/* No version: parse with a placeholder one, then drop it. */
	char full[DEPOT_NAME_MAX + 4];
	if (snprintf(full, sizeof full, "%s/0", text) >= (int)sizeof full)
		return depot_name_parse(text, out, diag);
	int err = depot_name_parse(full, out, diag);
	out->version[0] = '\0';
	return err;
}

void tool_print_root(const struct depot_root_info *info)
{
	printf("fingerprint (sha256 of the file) %s\n", info->sha256);
	printf("version %lld, expires %s, threshold %lld of %zu root keys:\n",
	       info->version, info->expires, info->threshold, info->key_count);
	for (size_t i = 0; i < info->key_count; i++)
		printf("  key id %s\n", info->keyids[i]);
}

void transfer_mirror_failed(void *ctx, int code, const struct depot_diag *diag)
{
	(void)ctx;
	fprintf(stderr, "depot: %s '%s': %s; trying the next mirror\n",
	        depot_strerror(code), diag->subject, diag->detail);
}
