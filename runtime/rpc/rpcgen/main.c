/*
 * rpcgen: the host tool that the build runs (rules in mk/rpc.mk) to turn
 * one interface file into NAME_rpc.h and NAME_rpc.c.
 *
 *   rpcgen NAME IN.rpc OUT.h OUT.c
 *
 * NAME must be the name the file declares, so that a rename in one place
 * cannot go unnoticed. The outputs are written to temporary files and
 * renamed into place, so an interrupted or failed run leaves no half file.
 * Errors go to stderr as "FILE:LINE: message" and the exit status is 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "idl.h"

#define IDL_FILE_MAX (1u << 20)

/* Reads a whole file into a NUL-terminated heap buffer, or NULL. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;
	if (!f) {
		fprintf(stderr, "rpcgen: cannot open '%s': %s\n", path,
		        strerror(errno));
		return NULL;
	}
	text = malloc(IDL_FILE_MAX + 1);
	n = text ? fread(text, 1, IDL_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!text || n > IDL_FILE_MAX || memchr(text, 0, n)) {
		fprintf(stderr, "rpcgen: '%s' is not an interface file (empty "
		        "bytes or over %u bytes)\n", path, IDL_FILE_MAX);
		free(text);
		return NULL;
	}
	text[n] = 0;
	return text;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int write_outputs(const struct idl_interface *iface, const char *in,
                         const char *out_h, const char *out_c)
{
	char tmp_h[4096], tmp_c[4096];
	FILE *h, *c;
	int err;
	snprintf(tmp_h, sizeof tmp_h, "%s.tmp", out_h);
	snprintf(tmp_c, sizeof tmp_c, "%s.tmp", out_c);
	h = fopen(tmp_h, "w");
	c = fopen(tmp_c, "w");
	if (!h || !c) {
		fprintf(stderr, "rpcgen: cannot write '%s': %s\n",
		        h ? tmp_c : tmp_h, strerror(errno));
		err = -1;
	} else {
		err = emit_files(iface, in, h, c, base_name(out_h));
	}
	if (h && fclose(h))
		err = -1;
	if (c && fclose(c))
		err = -1;
	if (!err && (rename(tmp_h, out_h) || rename(tmp_c, out_c)))
		err = -1;
	if (err) {
		fprintf(stderr, "rpcgen: writing '%s' and '%s' failed\n", out_h,
		        out_c);
		remove(tmp_h);
		remove(tmp_c);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct idl_interface iface;
	char err[512];
	char *text;
	int status;

	if (argc != 5) {
		fprintf(stderr, "usage: rpcgen NAME IN.rpc OUT.h OUT.c\n");
		return 2;
	}
	text = read_file(argv[2]);
	if (!text)
		return 1;
	status = idl_parse(text, argv[2], &iface, err, sizeof err);
	free(text);
	if (status) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (strcmp(iface.name, argv[1]) != 0) {
		fprintf(stderr, "%s:1: the file declares interface '%s', the build "
		        "expects '%s'\n", argv[2], iface.name, argv[1]);
		status = 1;
	} else {
		status = write_outputs(&iface, argv[2], argv[3], argv[4]) ? 1 : 0;
	}
	idl_free(&iface);
	return status;
}
