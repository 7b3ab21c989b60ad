/*
 * riscv-bootimage: writes a boot image for the riscv kernel (the format is
 * kernel/riscv/bootimage.h) from named files, the root program first:
 *
 *     riscv-bootimage OUT NAME=FILE [NAME=FILE...]
 *
 * A host tool over the image writer (image_writer.h, which `sculpt boot
 * --platform qemu-riscv64` uses too). The image is written to OUT.tmp and
 * renamed, so a failed run leaves no image behind.
 */
#include <stdio.h>
#include <string.h>

#include "../bootimage.h"
#include "image_writer.h"

int main(int argc, char **argv)
{
	struct bootimage_module mods[BOOT_MAX_MODULES];
	char names[BOOT_MAX_MODULES][BOOT_NAME_MAX];
	char why[512];
	unsigned count;

	if (argc < 3 || (unsigned)(argc - 2) > BOOT_MAX_MODULES) {
		fprintf(stderr,
		        "usage: riscv-bootimage OUT NAME=FILE [NAME=FILE...] "
		        "(1..%u modules, the root program first)\n",
		        BOOT_MAX_MODULES);
		return 2;
	}
	count = (unsigned)(argc - 2);
	for (unsigned i = 0; i < count; i++) {
		const char *arg = argv[i + 2], *eq = strchr(arg, '=');
		size_t name_len = eq ? (size_t)(eq - arg) : 0;

		if (!eq || name_len == 0 || name_len >= BOOT_NAME_MAX) {
			fprintf(stderr,
			        "riscv-bootimage: '%s' is no NAME=FILE with a "
			        "name of 1..%u bytes\n",
			        arg, BOOT_NAME_MAX - 1);
			return 1;
		}
		memcpy(names[i], arg, name_len);
		names[i][name_len] = '\0';
		mods[i].name = names[i];
		mods[i].path = eq + 1;
	}
	if (bootimage_write(argv[1], mods, count, why, sizeof why) != 0) {
		fprintf(stderr, "riscv-bootimage: %s\n", why);
		return 1;
	}
	return 0;
}
