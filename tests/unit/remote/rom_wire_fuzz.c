/*
 * Fuzz target of the remote ROM protocol (pkg/remote/rom/rom_wire.c): the
 * input is cut into messages (u16 length before each), every message is
 * decoded and fed to one assembly, which must keep got <= total <= max
 * and never write beyond its buffer, whatever a hostile peer sends.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "rom_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[256];
	struct rom_assembly a = { buf, sizeof buf, 0, 0, 0, 0, 0 };
	size_t pos = 0;
	while (size - pos >= 2) {
		uint32_t len = (uint32_t)data[pos] | (uint32_t)data[pos + 1]
		                                             << 8;
		struct rom_chunk c;
		pos += 2;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		if (rom_wire_decode(data + pos, len, &c) == 0 &&
		    rom_assembly_add(&a, &c) < 0)
			a.busy =
				0; /* the link would be dropped: start afresh */
		assert(a.got <= a.total && a.total <= a.max);
		pos += len;
	}
	return 0;
}
