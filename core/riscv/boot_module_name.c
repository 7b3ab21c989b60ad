/*
 * Boot module names (boot_module_name.h). config/NAME is a config. A
 * depot path is split at its
 * last '/': what is before must be an archive name of a served kind, what
 * is after a ROM name. Parts of archive names never hold '/', '.' or ".."
 * alone, nor start with '.', and ROM names hold no '/': so no accepted
 * name is absolute or steps up.
 */
#include "boot_module_name.h"

#include "../../kernel/riscv/bootimage.h"

#include <runtime/str.h>

#include <assert.h>
#include <string.h>

/* One bound, raised together: core's parts are the boot image's. */
static_assert(TARGET_NAME_MAX == BOOT_PART_MAX, "ROM names fit a part");
static_assert(ARCHIVE_PART_MAX == BOOT_PART_MAX, "archive parts fit a part");
static_assert(BOOT_MODULE_NAME_MAX <= BOOT_NAME_MAX,
              "every depot file's name fits the boot image");

int boot_module_name_check(const char *name, const char **why)
{
	const char *slash = strrchr(name, '/');
	if (!slash) {
		if (target_module_name_ok(name))
			return 0;
		*why = "no ROM name (1..64 bytes, no '/', not starting "
		       "with '.')";
		return -1;
	}
	char archive[ARCHIVE_NAME_MAX + 1];
	size_t len = (size_t)(slash - name);
	if (len == 6 && strncmp(name, "config", 6) == 0) {
		if (target_module_name_ok(slash + 1))
			return 0;
		*why = "a config module's name is config/ and a ROM name";
		return -1;
	}
	if (len > ARCHIVE_NAME_MAX) {
		*why = "the archive of a depot file's path is too long";
		return -1;
	}
	memcpy(archive, name, len);
	archive[len] = '\0';
	if (archive_name_check_served(archive, why) != 0)
		return -1;
	if (!target_module_name_ok(slash + 1)) {
		*why = "the file of a depot file's path is no ROM name";
		return -1;
	}
	return 0;
}

void boot_module_depot_name(const char *archive, const char *file, char *out)
{
	assert(strlen(archive) <= ARCHIVE_NAME_MAX &&
	       strlen(file) <= TARGET_NAME_MAX);
	str_format(out, BOOT_MODULE_NAME_MAX, "%s/%s", archive, file);
}

const char *boot_module_file_of(const char *name, const char *archive)
{
	size_t len = strlen(archive);
	if (strncmp(name, archive, len) != 0 || name[len] != '/' ||
	    strchr(name + len + 1, '/'))
		return NULL;
	return name + len + 1;
}
