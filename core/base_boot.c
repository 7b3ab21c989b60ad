/*
 * Booting from the target's depot (base_boot.h). The archives file is
 * parsed here rather than by libdepot's depot_archives_parse: core links
 * no host library (libdepot brings libcurl and libarchive), and libformat
 * has no parser of it; the rule is the one recipes/README.md states (one
 * archive name per line, `#` comments, blank lines, spaces around).
 */
#include "base_boot.h"

#include "depot_rom.h"

#include <runtime/str.h>

#include <string.h>

#define INIT_NAME "init"

/* One line without surrounding blanks, copied into out[out_size];
 * -1 when it does not fit (no archive name is that long). */
static int trimmed(const char *line, size_t len, char *out, size_t out_size)
{
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	                   line[len - 1] == '\r'))
		len--;
	if (len >= out_size)
		return -1;
	memcpy(out, line, len);
	out[len] = '\0';
	return 0;
}

/* Finds the first `user/src/init/V` line in the archives file
 * text[0..len) of pkg `pkg` and names its bin archive for ARCHIVE_ARCH
 * in bin_init[ARCHIVE_NAME_MAX + 1]. 0, or -1 with the reason in
 * why[why_size] (a malformed line, no init). */
static int base_find_init(const char *pkg, const char *text, size_t len,
                          char *bin_init, char *why, size_t why_size)
{
	unsigned line_no = 0;
	for (size_t at = 0; at < len;) {
		const char *end = memchr(text + at, '\n', len - at);
		size_t line_len = end ? (size_t)(end - (text + at)) : len - at;
		char line[ARCHIVE_NAME_MAX + 1];
		struct archive_name name;
		const char *wrong = NULL;
		line_no++;
		if (memchr(text + at, '\0', line_len) ||
		    trimmed(text + at, line_len, line, sizeof(line)) != 0)
			wrong = "it is too long or holds a NUL byte";
		else if (line[0] != '\0' && line[0] != '#')
			(void)archive_name_parse(line, &name, &wrong);
		if (wrong) {
			str_format(why, why_size,
			           "line %u of the archives file of %s "
			           "is no archive name: %s",
			           line_no, pkg, wrong);
			return -1;
		}
		at += line_len + 1;
		if (line[0] == '\0' || line[0] == '#' ||
		    strcmp(name.kind, "src") != 0 ||
		    strcmp(name.name, INIT_NAME) != 0)
			continue;
		str_copy(name.kind, "bin", sizeof(name.kind));
		str_copy(name.arch, ARCHIVE_ARCH, sizeof(name.arch));
		archive_name_format(&name, bin_init);
		return 0;
	}
	str_format(why, why_size,
	           "%s lists no src archive of init "
	           "(user/src/init/VERSION) in its archives file",
	           pkg);
	return -1;
}

/* Reads file `name` of `archive` for the boot; fills err when it fails. */
static int read_for_boot(struct target *t, const char *pkg, const char *archive,
                         const char *name, kcap_t *mem, size_t *size, char *err,
                         size_t err_size)
{
	char why[1280]; /* two paths of the target on linux */
	enum depot_rom_status status = depot_rom_read(t, archive, name, mem,
	                                              size, why, sizeof(why));
	if (status == DEPOT_ROM_OK)
		return 0;
	if (status == DEPOT_ROM_MISSING) {
		depot_rom_install_hint(t, pkg, why, sizeof(why));
		str_format(err, err_size,
		           "cannot boot from %s: archive %s lacks '%s' or is "
		           "not %s",
		           pkg, archive, name, why);
	} else
		str_format(err, err_size, "cannot boot from %s: %s", pkg, why);
	return -1;
}

int base_boot_pkg_ok(const char *text)
{
	struct archive_name name;
	const char *why;
	return archive_name_parse(text, &name, &why) == 0 &&
	                       strcmp(name.kind, "pkg") == 0
	               ? 0
	               : -1;
}

int base_boot_image(struct target *t, const char *pkg, kcap_t *image,
                    char *from, size_t from_size, char *err, size_t err_size)
{
	kcap_t list;
	size_t size, image_size;
	char bin_init[ARCHIVE_NAME_MAX + 1];
	from[0] = '\0';
	if (read_for_boot(t, pkg, pkg, "archives", &list, &size, err,
	                  err_size) != 0)
		return -1;
	if (size > BASE_ARCHIVES_MAX) {
		kcap_close(list);
		str_format(err, err_size,
		           "cannot boot from %s: its archives file "
		           "is larger than 64 KiB",
		           pkg);
		return -1;
	}
	void *text = NULL;
	int rc = size == 0 ? 0
	                   : kmem_map(list, 0, size, KMEM_READ, NULL, &text);
	char why[512];
	if (rc == 0) {
		rc = base_find_init(pkg, text, size, bin_init, why,
		                    sizeof(why));
		if (rc != 0)
			str_format(err, err_size, "cannot boot from %s: %s",
			           pkg, why);
	} else {
		str_format(err, err_size, "cannot boot from %s: %s", pkg,
		           kerr_str(rc));
	}
	if (text)
		kmem_unmap(text, size);
	kcap_close(list);
	if (rc != 0)
		return -1;
	str_format(from, from_size, " from depot archive %s", bin_init);
	return read_for_boot(t, pkg, bin_init, INIT_NAME, image, &image_size,
	                     err, err_size);
}
