/*
 * The names of boot modules (boot_name.h), checked part by part in one
 * pass: a part is 1..BOOT_PART_MAX bytes of [A-Za-z0-9_.-], not starting
 * with '.'; a name is one part, config/ and one part, or five
 * (user/kind/name/version/file, kind raw or pkg) or six
 * (user/bin/arch/name/version/file).
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../bootimage.h"
#include "boot_name.h"

#define PARTS_MAX 6u
/* a name of checked parts always fits an entry, its NUL included */
static_assert(PARTS_MAX *(BOOT_PART_MAX + 1) <= BOOT_NAME_MAX,
              "six parts and five '/' fit BOOT_NAME_MAX");

static int part_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* Splits `name` at '/' into at most PARTS_MAX checked parts; their count,
 * or 0 with the reason in why. */
static unsigned split(const char *name, const char *parts[PARTS_MAX], char *why,
                      size_t why_size)
{
	unsigned count = 0;
	const char *p = name;

	for (;;) {
		size_t len = strcspn(p, "/");

		if (count == PARTS_MAX) {
			snprintf(why, why_size, "'%s' has more than %u parts",
			         name, PARTS_MAX);
			return 0;
		}
		if (len == 0 || len > BOOT_PART_MAX || p[0] == '.') {
			snprintf(
				why, why_size,
				"'%s' has a part that is empty, longer than %u "
				"bytes or starts with '.'",
				name, BOOT_PART_MAX);
			return 0;
		}
		for (size_t i = 0; i < len; i++)
			if (!part_char(p[i])) {
				snprintf(why, why_size,
				         "'%s' has a byte outside "
				         "[A-Za-z0-9_.-] in a part",
				         name);
				return 0;
			}
		parts[count++] = p;
		if (!p[len])
			return count;
		p += len + 1;
	}
}

static int kind_is(const char *part, const char *kind)
{
	size_t len = strlen(kind);
	return strncmp(part, kind, len) == 0 && part[len] == '/';
}

int boot_name_check(const char *name, char *why, size_t why_size)
{
	const char *parts[PARTS_MAX];
	unsigned count = split(name, parts, why, why_size);

	if (count == 0)
		return -1;
	if (count == 1 || (count == 2 && kind_is(parts[0], "config")) ||
	    (count == 5 &&
	     (kind_is(parts[1], "raw") || kind_is(parts[1], "pkg"))) ||
	    (count == 6 && kind_is(parts[1], "bin")))
		return 0;
	snprintf(why, why_size,
	         "'%s' is neither a ROM name, config/ROM nor the path of a "
	         "file of a raw, pkg or bin archive "
	         "(user/kind/[arch/]name/version/file)",
	         name);
	return -1;
}
