/*
 * `depot timestamp`: re-signs a published tree's timestamp metadata
 * (depot_publish_timestamp) so that clients, which refuse an expired
 * timestamp (freeze attack), keep accepting an unchanged repository. Meant
 * for a server's timer, more often than the timestamp's one-day expiry.
 */
#include <limits.h>
#include <stdio.h>

#include "passphrase.h"
#include "options.h"
#include "paths.h"
#include "tool.h"

static const char about[] =
	"Signs a new TREE/metadata/timestamp.json (next version, expires in\n"
	"one day) with DIR/timestamp.key (and DIR/timestamp-2.key ... when\n"
	"the role has more keys). Clients refuse an expired timestamp, so run\n"
	"this from a timer, e.g. every few hours; it touches nothing else.\n";

int cmd_timestamp(struct tool *tool, int argc, char **argv)
{
	struct depot_publish_keys keys = { 0 };
	const char *passphrase_file = NULL;
	char passphrase[PASSPHRASE_MAX];
	const struct option_row rows[] = {
		OPTION_TEXT_ROW(
			"keys", "DIR",
			"where the timestamp key is\n"
			"(default: $DEPOT_KEYS, else ~/.config/depot/keys)",
			&keys.dir),
		OPTION_TEXT_ROW("passphrase-file", "FILE",
		                "the passphrase of the "
		                "private key",
		                &passphrase_file),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"depot timestamp [--keys DIR] [--passphrase-file FILE] "
			"TREE",
		.about = about,
		.options = rows,
		.example = "  # a systemd timer or cron line:\n"
			   "  depot timestamp --keys /etc/depot/keys "
			   "/srv/www/depot\n",
		.operands_min = 1,
		.operands_max = 1,
		.operands_wrong = "give the TREE",
	};
	(void)tool;
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	char default_keys[PATH_MAX];
	if (!keys.dir &&
	    paths_default_keys(default_keys, sizeof default_keys) == 0)
		keys.dir = default_keys;
	if (!keys.dir)
		return options_usage_error(&face, "give --keys DIR (no HOME to "
		                                  "find the default keys)");
	if (passphrase_file && passphrase_read(passphrase_file, passphrase))
		return 1;
	keys.passphrase = passphrase_file ? passphrase : NULL;
	struct depot_diag diag = { 0 };
	int err = depot_publish_timestamp(argv[first], &keys, 0, &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("signed a new timestamp for '%s'\n", argv[first]);
	return 0;
}
