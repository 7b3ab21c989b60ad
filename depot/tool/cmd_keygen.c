/*
 * `depot keygen`: makes a signing key pair for a TUF role (a top-level
 * role of a repository, or a depot user) with libtuf: Ed25519,
 * <prefix>.key (private, mode 0600, optionally encrypted) and <prefix>.pub,
 * and prints the key id by which metadata names the key.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <tuf.h>

#include "passphrase.h"
#include "options.h"
#include "tool.h"

static const char about[] =
	"Generates an Ed25519 key pair: PREFIX.key (the private key, mode\n"
	"0600; keep it secret) and PREFIX.pub (the public key), and prints the\n"
	"key id: the fingerprint by which TUF metadata names the key.\n"
	"\n"
	"'depot publish --keys DIR' signs with the keys it finds in DIR by\n"
	"role: DIR/root, DIR/targets, DIR/snapshot, DIR/timestamp (more keys of\n"
	"a role as DIR/<role>-2 ... -9) and DIR/<user> for each depot user.\n";

/* Makes the directories above PREFIX (mode 0700: they hold secrets). */
static int make_parents(const char *prefix)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s", prefix) >= (int)sizeof path)
		return -1;
	for (char *slash = strchr(path + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr,
			        "depot: cannot create directory '%s': "
			        "%m\n",
			        path);
			return -1;
		}
		*slash = '/';
	}
	return 0;
}

int cmd_keygen(struct tool *tool, int argc, char **argv)
{
	const char *passphrase_file = NULL;
	char passphrase[PASSPHRASE_MAX];
	const struct option_row rows[] = {
		OPTION_TEXT_ROW(
			"passphrase-file", "FILE",
			"encrypt the private key "
			"(AES-256) with\nthe passphrase on FILE's first "
			"line",
			&passphrase_file),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "depot keygen [--passphrase-file FILE] PREFIX",
		.about = about,
		.options = rows,
		.example = "  depot keygen keys/alice\n",
		.operands_min = 1,
		.operands_max = 1,
		.operands_wrong = "give one PREFIX",
	};
	(void)tool;
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	if (passphrase_file && passphrase_read(passphrase_file, passphrase))
		return 1;
	if (make_parents(argv[first]))
		return 1;
	char keyid[65];
	struct tuf_error e = { 0 };
	int code = tuf_key_generate(argv[first],
	                            passphrase_file ? passphrase : NULL, keyid,
	                            &e);
	if (code) {
		fprintf(stderr, "depot: cannot generate key '%s': %s\n",
		        argv[first], e.message);
		return 1;
	}
	printf("%s.key  private key (mode 0600%s)\n%s.pub  public key\n"
	       "key id %s\n",
	       argv[first], passphrase_file ? ", encrypted" : "", argv[first],
	       keyid);
	return 0;
}
