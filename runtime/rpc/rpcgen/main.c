/*
 * rpcgen: the host tool that the build runs (rules in mk/rpc.mk) to turn
 * one interface file into NAME_rpc.h and NAME_rpc.c, or many interface
 * files into one table of their type descriptors.
 *
 *   rpcgen NAME IN.rpc OUT.h OUT.c
 *   rpcgen --table OUT.c IN.rpc...
 *
 * The table (emit_table()) is what the generic RPC proxy of pkg/remote
 * links: every interface's functions, argument types and bounds, so it
 * checks and forwards any call with no code per interface. Two files that
 * declare the same name, or names whose ids collide, are refused.
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
		fprintf(stderr,
		        "rpcgen: '%s' is not an interface file (empty "
		        "bytes or over %u bytes)\n",
		        path, IDL_FILE_MAX);
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

/* Writes OUT.c through a temporary file, renamed into place. */
static int write_table(const struct idl_interface *ifaces, unsigned count,
                       const char *out_c)
{
	char tmp[4096];
	FILE *c;
	int err;
	snprintf(tmp, sizeof tmp, "%s.tmp", out_c);
	c = fopen(tmp, "w");
	if (!c) {
		fprintf(stderr, "rpcgen: cannot write '%s': %s\n", tmp,
		        strerror(errno));
		return -1;
	}
	err = emit_table(ifaces, count, c);
	if (fclose(c) || err || rename(tmp, out_c)) {
		fprintf(stderr, "rpcgen: writing '%s' failed\n", out_c);
		remove(tmp);
		return -1;
	}
	return 0;
}

/* Whether interface i clashes with one before it (same name or id). */
static int clashes(const struct idl_interface *ifaces, unsigned i,
                   char *const *files)
{
	for (unsigned j = 0; j < i; j++) {
		if (strcmp(ifaces[i].name, ifaces[j].name) == 0 ||
		    idl_interface_id(ifaces[i].name) ==
		            idl_interface_id(ifaces[j].name)) {
			fprintf(stderr,
			        "%s:1: interface '%s' clashes with '%s' of %s "
			        "(same name or id)\n",
			        files[i], ifaces[i].name, ifaces[j].name,
			        files[j]);
			return 1;
		}
	}
	return 0;
}

static int table_main(int argc, char **argv)
{
	unsigned count = (unsigned)argc - 3, parsed = 0;
	struct idl_interface *ifaces = calloc(count ? count : 1,
	                                      sizeof *ifaces);
	char err[512];
	int status = ifaces ? 0 : 1;
	for (; !status && parsed < count; parsed++) {
		char *text = read_file(argv[3 + parsed]);
		if (!text) {
			status = 1;
			break;
		}
		status = idl_parse(text, argv[3 + parsed], &ifaces[parsed], err,
		                   sizeof err)
		                 ? 1
		                 : 0;
		free(text);
		if (status)
			fprintf(stderr, "%s\n", err);
		else if (clashes(ifaces, parsed, argv + 3))
			status = 1;
	}
	if (!status)
		status = write_table(ifaces, count, argv[2]) ? 1 : 0;
	for (unsigned i = 0; i < parsed && i < count; i++)
		idl_free(&ifaces[i]);
	free(ifaces);
	return status;
}

int main(int argc, char **argv)
{
	struct idl_interface iface;
	char err[512];
	char *text;
	int status;

	if (argc >= 3 && strcmp(argv[1], "--table") == 0)
		return table_main(argc, argv);
	if (argc != 5) {
		fprintf(stderr, "usage: rpcgen NAME IN.rpc OUT.h OUT.c\n"
		                "       rpcgen --table OUT.c IN.rpc...\n");
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
		fprintf(stderr,
		        "%s:1: the file declares interface '%s', the build "
		        "expects '%s'\n",
		        argv[2], iface.name, argv[1]);
		status = 1;
	} else {
		status = write_outputs(&iface, argv[2], argv[3], argv[4]) ? 1
		                                                          : 0;
	}
	idl_free(&iface);
	return status;
}
