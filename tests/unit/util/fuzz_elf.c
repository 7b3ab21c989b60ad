/*
 * libFuzzer target of the ELF parser (runtime/elf.h): whatever parses must
 * describe only bytes inside the input; anything else aborts the run, as
 * does any access outside the buffer (ASan).
 */
#include <runtime/elf.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	struct elf_image image;
	if (elf_parse(&image, copy, size) == ELF_OK) {
		for (unsigned i = 0; i < image.load_count; i++) {
			struct elf_segment s;
			if (elf_load_segment(&image, i, &s) != ELF_OK ||
			    s.file_offset > size ||
			    s.file_size > size - s.file_offset ||
			    s.mem_size < s.file_size)
				abort();
		}
	}
	free(copy);
	return 0;
}
