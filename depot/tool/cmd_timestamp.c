/*
 * `depot timestamp`: re-signs a published tree's timestamp metadata
 * (depot_publish_timestamp) so that clients, which refuse an expired
 * timestamp (freeze attack), keep accepting an unchanged repository. Meant
 * for a server's timer, more often than the timestamp's one-day expiry.
 */
#include <getopt.h>
#include <stdio.h>

#include "passphrase.h"
#include "tool.h"

static const char usage[] =
	"usage: depot timestamp --keys DIR [--passphrase-file FILE] TREE\n"
	"\n"
	"Signs a new TREE/metadata/timestamp.json (next version, expires in\n"
	"one day) with DIR/timestamp.key (and DIR/timestamp-2.key ... when\n"
	"the role has more keys). Clients refuse an expired timestamp, so run\n"
	"this from a timer, e.g. every few hours; it touches nothing else.\n"
	"\n"
	"options:\n"
	"  --keys DIR              where the timestamp key is\n"
	"  --passphrase-file FILE  the passphrase of the private key\n"
	"\n"
	"example (a systemd timer or cron line):\n"
	"  depot timestamp --keys /etc/depot/keys /srv/www/depot\n";

enum { OPT_KEYS = 2000, OPT_PASS };

int cmd_timestamp(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "keys", required_argument, NULL, OPT_KEYS },
		{ "passphrase-file", required_argument, NULL, OPT_PASS },
		{ NULL, 0, NULL, 0 },
	};
	struct depot_publish_keys keys = { 0 };
	const char *passphrase_file = NULL;
	char passphrase[PASSPHRASE_MAX];
	int opt;
	(void)tool;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		if (opt == OPT_KEYS)
			keys.dir = optarg;
		else if (opt == OPT_PASS)
			passphrase_file = optarg;
		else
			return tool_usage_error(usage, "invalid option");
	}
	if (!keys.dir || argc - optind != 1)
		return tool_usage_error(usage, "give --keys DIR and the TREE");
	if (passphrase_file && passphrase_read(passphrase_file, passphrase))
		return 1;
	keys.passphrase = passphrase_file ? passphrase : NULL;
	struct depot_diag diag = { 0 };
	int err = depot_publish_timestamp(argv[optind], &keys, 0, &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("signed a new timestamp for '%s'\n", argv[optind]);
	return 0;
}
