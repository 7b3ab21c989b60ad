/*
 * tuf-conformance-client: the command-line client that the official TUF
 * conformance suite (theupdateframework/tuf-conformance, CLIENT-CLI.md)
 * drives, built on libtuf with libdepot's fetcher (depot/tuf_fetch.h), the
 * transfer code of `depot download`, so the suite tests what it runs:
 *
 *   C --metadata-dir D init ROOTFILE
 *   C --metadata-url U --metadata-dir D refresh
 *   C --metadata-url U --metadata-dir D --target-name P [--target-name P2...]
 *     --target-dir T --target-base-url B download
 *
 * Exit status 0 on success, 1 on any failure (with the reason on stderr).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <depot/tuf_fetch.h>
#include <tuf.h>

enum { MAX_TARGETS = 64, ROOT_FILE_MAX = 512000 };

struct options {
	const char *metadata_dir, *metadata_url, *target_dir, *target_base_url;
	const char *targets[MAX_TARGETS];
	int ntargets;
};

static int report(const char *what, int rc, const struct tuf_error *e)
{
	fprintf(stderr, "tuf-conformance-client: %s: %s: %s\n", what,
	        tuf_strerror(rc), e->code == rc ? e->message : "");
	return 1;
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: tuf-conformance-client --metadata-dir D [--metadata-url U]\n"
	        "       [--target-name P]... [--target-dir T] [--target-base-url B]\n"
	        "       init ROOTFILE | refresh | download\n");
	return 1;
}

static int cmd_init(const struct options *o, const char *root_file)
{
	struct tuf_error e = { 0 };
	FILE *f = fopen(root_file, "rb");
	static unsigned char buf[ROOT_FILE_MAX]; /* large: kept off the stack */
	if (!f) {
		fprintf(stderr,
		        "tuf-conformance-client: init: cannot open '%s'\n",
		        root_file);
		return 1;
	}
	size_t n = fread(buf, 1, sizeof buf, f);
	int too_big = n == sizeof buf && fgetc(f) != EOF;
	fclose(f);
	if (too_big) {
		fprintf(stderr,
		        "tuf-conformance-client: init: '%s' is larger than %d bytes\n",
		        root_file, ROOT_FILE_MAX);
		return 1;
	}
	int rc = tuf_client_bootstrap(o->metadata_dir, buf, n, &e);
	return rc ? report("init", rc, &e) : 0;
}

/* depot download's transfer settings: its defaults, system CAs. */
static const struct depot_fetch_options fetch_options;

static int open_client(const struct options *o, struct tuf_client **c,
                       struct tuf_error *e)
{
	struct tuf_client_config cfg = {
		.metadata_dir = o->metadata_dir,
		.metadata_url = o->metadata_url,
		.target_base_url = o->target_base_url,
		.fetch = depot_tuf_fetch,
		.fetch_ctx = (void *)&fetch_options,
	};
	if (!o->metadata_url) {
		e->code = TUF_E_ARG;
		snprintf(e->message, sizeof e->message,
		         "--metadata-url is required");
		return TUF_E_ARG;
	}
	return tuf_client_open(c, &cfg, e);
}

static int cmd_refresh(const struct options *o)
{
	struct tuf_error e = { 0 };
	struct tuf_client *c;
	int rc = open_client(o, &c, &e);
	if (rc == TUF_OK) {
		rc = tuf_client_refresh(c, &e);
		tuf_client_free(c);
	}
	return rc ? report("refresh", rc, &e) : 0;
}

/* Local file name for a target path: percent-encoded, one flat directory. */
static char *local_name(const char *dir, const char *path)
{
	char *out = malloc(strlen(dir) + strlen(path) * 3 + 2), *o = out;
	if (!out)
		return NULL;
	o += sprintf(o, "%s/", dir);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-')
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	*o = 0;
	return out;
}

static int cmd_download(const struct options *o)
{
	struct tuf_error e = { 0 };
	struct tuf_client *c;
	if (!o->ntargets || !o->target_dir || !o->target_base_url)
		return usage();
	int rc = open_client(o, &c, &e);
	if (rc)
		return report("download", rc, &e);
	for (int k = 0; k < o->ntargets && rc == TUF_OK; k++) {
		struct tuf_target t;
		char *dest = local_name(o->target_dir, o->targets[k]);
		rc = dest ? tuf_client_find_target(c, o->targets[k], &t, &e)
		          : TUF_E_NOMEM;
		if (rc == TUF_OK)
			rc = tuf_client_download_target(c, &t, dest, &e);
		free(dest);
	}
	tuf_client_free(c);
	return rc ? report("download", rc, &e) : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "metadata-dir", required_argument, NULL, 'd' },
		{ "metadata-url", required_argument, NULL, 'u' },
		{ "target-name", required_argument, NULL, 'n' },
		{ "target-dir", required_argument, NULL, 't' },
		{ "target-base-url", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { 0 };
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			o.metadata_dir = optarg;
			break;
		case 'u':
			o.metadata_url = optarg;
			break;
		case 't':
			o.target_dir = optarg;
			break;
		case 'b':
			o.target_base_url = optarg;
			break;
		case 'n':
			if (o.ntargets == MAX_TARGETS)
				return usage();
			o.targets[o.ntargets++] = optarg;
			break;
		default:
			return usage();
		}
	}
	if (!o.metadata_dir || optind >= argc)
		return usage();
	const char *cmd = argv[optind];
	if (!strcmp(cmd, "init") && optind + 2 == argc)
		return cmd_init(&o, argv[optind + 1]);
	if (optind + 1 != argc)
		return usage();
	if (!strcmp(cmd, "refresh"))
		rc = cmd_refresh(&o);
	else if (!strcmp(cmd, "download"))
		rc = cmd_download(&o);
	else
		rc = usage();
	return rc;
}
