/*
 * Writer of test archives, good and hostile (see hostile.h). Each kind is
 * a short list of entries; the writer puts them into a zstd-compressed pax
 * tar exactly as given, without the checks a real archiver would apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <archive.h>
#include <archive_entry.h>

#include "hostile.h"

struct spec {
	const char *path;
	mode_t type;      /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, ... */
	const char *data; /* file content, or symlink target */
	const char *hardlink;
	unsigned long long zeros; /* file of this many zero bytes instead */
};

static const struct spec good[] = {
	{ "bin", AE_IFDIR, NULL, NULL, 0 },
	{ "bin/tool", AE_IFREG, "#!/bin/sh\necho tool\n", NULL, 0 },
	{ "README", AE_IFREG, "a good archive\n", NULL, 0 },
	{ "lib", AE_IFDIR, NULL, NULL, 0 },
	{ "lib/data", AE_IFREG, "data\n", NULL, 0 },
	{ "lib/same", AE_IFREG, NULL, "lib/data", 0 },
	{ "lib/readme-link", AE_IFLNK, "../README", NULL, 0 },
	/* Links through links that stay inside are fine: a chain, a link
	 * to a directory used as a prefix, one listed before its target. */
	{ "lib/chain", AE_IFLNK, "readme-link", NULL, 0 },
	{ "lib/via", AE_IFLNK, "bindir/tool", NULL, 0 },
	{ "lib/bindir", AE_IFLNK, "../bin", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* Entries below directories the archive never lists (as some archivers
 * write them), and one listed late. */
static const struct spec no_dirs[] = {
	{ "a/b/c", AE_IFREG, "deep\n", NULL, 0 },
	{ "a/d", AE_IFREG, "shallow\n", NULL, 0 },
	{ "a", AE_IFDIR, NULL, NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec traversal[] = {
	{ "ok", AE_IFREG, "fine\n", NULL, 0 },
	{ "../escaped", AE_IFREG, "evil\n", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec absolute[] = {
	{ "/tmp/depot-test-absolute", AE_IFREG, "evil\n", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec symlink_escape[] = {
	{ "dir", AE_IFDIR, NULL, NULL, 0 },
	{ "dir/up", AE_IFLNK, "../../outside", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec symlink_absolute[] = {
	{ "etc", AE_IFLNK, "/etc", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* Each link stays inside on its own; resolved together, a leaves. */
static const struct spec symlink_chain[] = {
	{ "b", AE_IFLNK, ".", NULL, 0 },
	{ "a", AE_IFLNK, "b/..", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* A deep link back to the archive root, used as a prefix: lexically the
 * second link stays inside, resolved it climbs three levels above the
 * root, wherever the archive lies. */
static const struct spec symlink_nested[] = {
	{ "d/e/root", AE_IFLNK, "../..", NULL, 0 },
	{ "out", AE_IFLNK, "d/e/root/../../../escaped", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* The same trick aimed at the client's trusted root metadata: from an
 * archive installed at <depot>/<user>/<kind>/<name>/<version>, four levels
 * up is the depot; from staging (<depot>/.staging/part-X/content) it names
 * a file that does not exist, so a check made there passes it. */
static const struct spec symlink_trust[] = {
	{ "a/b/c/up", AE_IFLNK, "../../..", NULL, 0 },
	{ "root.json", AE_IFLNK,
	  "a/b/c/up/../../../../.trust/default/root.json", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* Names nothing the archive holds: what it finds depends on the disk. */
static const struct spec symlink_dangling[] = {
	{ "ghost", AE_IFLNK, "missing/file", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* A file written below a link of the archive. */
static const struct spec below_symlink[] = {
	{ "sub", AE_IFDIR, NULL, NULL, 0 },
	{ "l", AE_IFLNK, "sub", NULL, 0 },
	{ "l/f", AE_IFREG, "through the link\n", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
/* Two links pointing at each other. */
static const struct spec symlink_loop[] = {
	{ "x", AE_IFLNK, "y", NULL, 0 },
	{ "y", AE_IFLNK, "x", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec hardlink_escape[] = {
	{ "passwd", AE_IFREG, NULL, "../../../etc/passwd", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec device[] = {
	{ "null", AE_IFCHR, NULL, NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec fifo[] = {
	{ "pipe", AE_IFIFO, NULL, NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec bomb[] = {
	{ "zeros", AE_IFREG, NULL, NULL, 64ull << 20 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct spec duplicate[] = {
	{ "twice", AE_IFREG, "first\n", NULL, 0 },
	{ "twice", AE_IFREG, "second\n", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

/* Modes and owners a depot must not install: setuid and setgid programs,
 * a sticky world-writable directory, a world-writable file, all owned by
 * someone else (perms by name in write_spec; uid and gid 4242). */
static const struct spec modes[] = {
	{ "setuid", AE_IFREG, "#!/bin/sh\nid\n", NULL, 0 },
	{ "setgid", AE_IFREG, "#!/bin/sh\nid\n", NULL, 0 },
	{ "sticky", AE_IFDIR, NULL, NULL, 0 },
	{ "sticky/writable", AE_IFREG, "anyone may write\n", NULL, 0 },
	/* A hard link whose own mode (0644) is not its target's (0755
	 * once normalized): on disk it is the target's. */
	{ "same-setuid", AE_IFREG, NULL, "setuid", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};
static const struct {
	const char *path;
	mode_t perm;
} hostile_perms[] = {
	{ "bin/tool", 0755 }, { "setuid", 04755 },         { "setgid", 02755 },
	{ "sticky", 01777 },  { "sticky/writable", 0666 },
};

const char *const hostile_kinds[] = {
	"good",
	"traversal",
	"absolute",
	"symlink-escape",
	"symlink-absolute",
	"symlink-chain",
	"hardlink-escape",
	"device",
	"fifo",
	"bomb",
	"many",
	"duplicate",
	"no-dirs",
	"symlink-nested",
	"symlink-trust",
	"symlink-dangling",
	"below-symlink",
	"symlink-loop",
	"modes",
	NULL,
};

static const struct spec *const specs[] = {
	good,
	traversal,
	absolute,
	symlink_escape,
	symlink_absolute,
	symlink_chain,
	hardlink_escape,
	device,
	fifo,
	bomb,
	NULL,
	duplicate,
	no_dirs,
	symlink_nested,
	symlink_trust,
	symlink_dangling,
	below_symlink,
	symlink_loop,
	modes,
};

static int write_zeros(struct archive *a, unsigned long long n)
{
	static const char zero[65536];
	while (n > 0) {
		size_t chunk = n < sizeof zero ? (size_t)n : sizeof zero;
		if (archive_write_data(a, zero, chunk) != (la_ssize_t)chunk)
			return -1;
		n -= chunk;
	}
	return 0;
}

static int write_spec(struct archive *a, const struct spec *s)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, s->path);
	archive_entry_set_filetype(e, s->type);
	archive_entry_set_perm(e, s->type == AE_IFDIR ? 0755 : 0644);
	for (size_t i = 0; i < sizeof hostile_perms / sizeof hostile_perms[0];
	     i++)
		if (strcmp(s->path, hostile_perms[i].path) == 0) {
			archive_entry_set_perm(e, hostile_perms[i].perm);
			archive_entry_set_uid(e, 4242);
			archive_entry_set_gid(e, 4242);
		}
	if (s->type == AE_IFLNK)
		archive_entry_set_symlink(e, s->data);
	if (s->hardlink)
		archive_entry_set_hardlink(e, s->hardlink);
	if (s->type == AE_IFCHR)
		archive_entry_set_rdev(e, makedev(1, 3));
	unsigned long long size = s->zeros ? s->zeros
	                          : (s->type == AE_IFREG && s->data)
	                                  ? strlen(s->data)
	                                  : 0;
	archive_entry_set_size(e, (la_int64_t)size);
	int rc = archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	if (!rc && s->zeros)
		rc = write_zeros(a, s->zeros);
	else if (!rc && size)
		rc = archive_write_data(a, s->data, size) == (la_ssize_t)size
		             ? 0
		             : -1;
	archive_entry_free(e);
	return rc;
}

static struct archive *open_writer(const char *path)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_zstd(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		archive_write_free(a);
		return NULL;
	}
	return a;
}

static int close_writer(struct archive *a, int rc)
{
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(a);
	return rc;
}

static int write_many(struct archive *a)
{
	for (unsigned i = 0; i < 2000; i++) {
		char name[32];
		snprintf(name, sizeof name, "file-%04u", i);
		struct spec s = { name, AE_IFREG, "", NULL, 0 };
		if (write_spec(a, &s))
			return -1;
	}
	return 0;
}

int hostile_write(const char *kind, const char *path)
{
	size_t k = 0;
	while (hostile_kinds[k] && strcmp(hostile_kinds[k], kind) != 0)
		k++;
	if (!hostile_kinds[k])
		return -1;
	struct archive *a = open_writer(path);
	if (!a)
		return -1;
	int rc = 0;
	if (!specs[k])
		rc = write_many(a);
	for (const struct spec *s = specs[k]; !rc && s && s->path; s++)
		rc = write_spec(a, s);
	return close_writer(a, rc);
}

int hostile_write_large(const char *path, unsigned files, unsigned size)
{
	struct archive *a = open_writer(path);
	if (!a)
		return -1;
	int rc = 0;
	for (unsigned i = 0; !rc && i < files; i++) {
		char name[32];
		snprintf(name, sizeof name, "big-%05u", i);
		struct spec s = { name, AE_IFREG, NULL, NULL, size };
		rc = write_spec(a, &s);
	}
	return close_writer(a, rc);
}
