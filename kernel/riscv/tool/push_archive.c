/*
 * riscv-push-archive: writes to stdout the control-channel frame of each
 * depot archive ARCHIVE extracted at DIR (control_frame.h: `archive
 * ARCHIVE COUNT`, then `file NAME SIZE SHA256` and the bytes of each of
 * DIR's top-level regular files, push_files.h), for the control channel's
 * fifo of a running riscv target. ARCHIVE is the archive's name with its
 * version (user/kind/name/version, user/bin/arch/name/version), DIR where
 * it is extracted (a client depot's DEPOT/ARCHIVE/, as `depot download`
 * installs it). Core checks every file's digest and keeps the archive
 * only when all passed; it serves the files for rom_from="depot" from
 * then on and init sees the archive in its depot index
 * (core/riscv/control_archive.c).
 *
 *   riscv-push-archive ARCHIVE DIR [ARCHIVE DIR]... > FIFO
 *
 * Every archive is read and every frame checked before the first byte is
 * written: a bad pair leaves the output empty. Writing blocks as long as
 * the reader takes; a caller bounds it (`timeout`). sculpt pushes the
 * archives it installs with the same frame (sculpt-cli/target_archives.c).
 */
#include "control_frame.h"
#include "push_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct pushed {
	struct control_file files[CONTROL_ARCHIVE_FILES_MAX];
	unsigned count;
	struct control_archive frame;
};

int main(int argc, char **argv)
{
	int pairs = (argc - 1) / 2, status = 0;
	struct pushed *p;
	char why[512];

	if (argc < 3 || (argc - 1) % 2 != 0) {
		fprintf(stderr, "usage: riscv-push-archive ARCHIVE DIR "
		                "[ARCHIVE DIR]...\n");
		return 2;
	}
	p = calloc((size_t)pairs, sizeof(*p));
	if (!p) {
		fprintf(stderr, "riscv-push-archive: out of memory\n");
		return 1;
	}
	for (int i = 0; !status && i < pairs; i++)
		if (push_archive_read(argv[2 + 2 * i], p[i].files, &p[i].count,
		                      why, sizeof(why)) ||
		    control_frame_archive(&p[i].frame, argv[1 + 2 * i],
		                          p[i].files, p[i].count, why,
		                          sizeof(why))) {
			fprintf(stderr, "riscv-push-archive: %s\n", why);
			status = 1;
		}
	for (int i = 0; !status && i < pairs; i++)
		if (control_archive_write(STDOUT_FILENO, &p[i].frame, -1, why,
		                          sizeof(why))) {
			fprintf(stderr,
			        "riscv-push-archive: writing archive '%s': %s\n",
			        argv[1 + 2 * i], why);
			status = 1;
		}
	for (int i = 0; i < pairs; i++)
		push_archive_free(p[i].files, p[i].count);
	free(p);
	return status;
}
