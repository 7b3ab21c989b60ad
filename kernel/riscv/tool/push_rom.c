/*
 * riscv-push-rom: writes to stdout one control-channel frame per NAME
 * FILE pair (control_frame.h), for the control channel's fifo of a running
 * riscv target: core serves FILE as ROM NAME from then on and tells the
 * ROM's sessions, as linux core does for a replaced file of DIR/config/.
 * A config goes as config/NAME, which core serves before a module NAME.
 *
 *   riscv-push-rom NAME FILE [NAME FILE]... > FIFO
 *
 * Every file is read and every frame checked before the first byte is
 * written: a bad pair leaves the output empty. Writing blocks as long as
 * the reader takes; a caller bounds it (`timeout`).
 */
#include "control_frame.h"
#include "push_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct pushed {
	unsigned char *bytes;
	struct control_frame frame;
};

int main(int argc, char **argv)
{
	int pairs = (argc - 1) / 2, status = 0;
	struct pushed *p;
	char why[512];

	if (argc < 3 || (argc - 1) % 2 != 0) {
		fprintf(stderr,
		        "usage: riscv-push-rom NAME FILE [NAME FILE]...\n");
		return 2;
	}
	p = calloc((size_t)pairs, sizeof(*p));
	if (!p) {
		fprintf(stderr, "riscv-push-rom: out of memory\n");
		return 1;
	}
	for (int i = 0; !status && i < pairs; i++) {
		size_t size = 0;

		if (push_file_read(argv[2 + 2 * i], 1, &p[i].bytes, &size, why,
		                   sizeof(why)) ||
		    control_frame_rom(&p[i].frame, argv[1 + 2 * i], p[i].bytes,
		                      size, why, sizeof(why))) {
			fprintf(stderr, "riscv-push-rom: %s\n", why);
			status = 1;
		}
	}
	for (int i = 0; !status && i < pairs; i++)
		if (control_frame_write(STDOUT_FILENO, &p[i].frame, -1, why,
		                        sizeof(why))) {
			fprintf(stderr,
			        "riscv-push-rom: writing ROM '%s': %s\n",
			        argv[1 + 2 * i], why);
			status = 1;
		}
	for (int i = 0; i < pairs; i++)
		free(p[i].bytes);
	free(p);
	return status;
}
