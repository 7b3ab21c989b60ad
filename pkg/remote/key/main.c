/*
 * remote-key: a host tool that makes a node's identity for remote links:
 * `remote-key NODE DIR` writes DIR/NODE.key (private key, mode 0600) and
 * DIR/NODE.crt (self-signed certificate) and prints the fingerprint that
 * the peers pin (remote/identity.h). It links no libruntime.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <remote/identity.h>

static int write_file(const char *dir, const char *node, const char *ext,
                      const char *text, mode_t mode)
{
	char path[4096];
	int fd;
	size_t len = strlen(text);
	snprintf(path, sizeof path, "%s/%s.%s", dir, node, ext);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		fprintf(stderr,
		        "remote-key: cannot write '%s' (it must not exist yet)\n",
		        path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	identity_t *id;
	char err[256], fp_text[IDENTITY_FP_TEXT], *key, *cert;
	uint8_t fp[IDENTITY_FP_BYTES];
	int rc;
	if (argc != 3 || strlen(argv[1]) == 0 || strlen(argv[1]) > 63 ||
	    strchr(argv[1], '/')) {
		fprintf(stderr,
		        "usage: remote-key NODE DIR   (NODE: 1 to 63 bytes, no '/')\n");
		return 2;
	}
	if (identity_generate(&id, argv[1], err, sizeof err) != 0) {
		fprintf(stderr, "remote-key: %s\n", err);
		return 1;
	}
	if (identity_to_pem(id, &key, &cert) != 0) {
		fprintf(stderr, "remote-key: cannot write the key as PEM\n");
		identity_free(id);
		return 1;
	}
	rc = write_file(argv[2], argv[1], "key", key, 0600) ||
	     write_file(argv[2], argv[1], "crt", cert, 0644);
	identity_fingerprint(id, fp);
	identity_fp_format(fp, fp_text);
	if (!rc)
		printf("%s\n", fp_text);
	free(key);
	free(cert);
	identity_free(id);
	return rc ? 1 : 0;
}
