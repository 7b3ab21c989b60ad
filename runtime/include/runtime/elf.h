/*
 * ELF parser: reads the header and program headers of an ELF64
 * little-endian executable (x86_64 or any other machine) held in memory,
 * such as a ROM dataspace, and gives the entry point and the loadable
 * segments that a parent needs to build a child's address space.
 *
 * The file is untrusted. elf_parse() checks everything before it reports
 * success: identification (magic, class, byte order, version), the header
 * size, the type (executable or shared object), the size and bounds of the
 * program header table, and for each PT_LOAD segment that its file bytes
 * lie inside the file, that memsz >= filesz, that the alignment is a power
 * of two, and that no offset, address or size addition overflows. Fields
 * are read byte by byte, so neither the host's byte order nor the buffer's
 * alignment matters. A malformed file gets a specific ELF_ERR_* value.
 */
#ifndef RUNTIME_ELF_H
#define RUNTIME_ELF_H

#include <runtime/error.h>
#include <stddef.h>
#include <stdint.h>

enum elf_err {
	ELF_OK = 0,
	ELF_ERR_TRUNCATED = RUNTIME_ERR_ELF_BASE,
	/* smaller than the ELF64 header */
	ELF_ERR_MAGIC,          /* no \x7fELF at the start */
	ELF_ERR_CLASS,          /* not ELF64 */
	ELF_ERR_BYTE_ORDER,     /* not little-endian */
	ELF_ERR_VERSION,        /* identification or header version not 1 */
	ELF_ERR_TYPE,           /* neither executable nor shared object */
	ELF_ERR_HEADER_SIZE,    /* e_ehsize is not the ELF64 header size */
	ELF_ERR_PH_ENTRY_SIZE,  /* e_phentsize is not the ELF64 size */
	ELF_ERR_PH_BOUNDS,      /* program header table outside the file */
	ELF_ERR_NO_SEGMENTS,    /* no loadable segment */
	ELF_ERR_SEGMENT_BOUNDS, /* a segment's file bytes outside the file */
	ELF_ERR_SEGMENT_SIZE,   /* a segment's memsz is below its filesz */
	ELF_ERR_SEGMENT_ALIGN,  /* alignment not a power of two, or
	                                  vaddr and offset disagree modulo it */
	ELF_ERR_OVERFLOW,       /* an address or size addition wraps */
	ELF_ERR_INDEX,          /* no loadable segment with this index */
};

enum { ELF_MACHINE_X86_64 = 62, ELF_MACHINE_AARCH64 = 183 };

enum elf_segment_flags {
	ELF_SEGMENT_EXEC = 1u << 0,
	ELF_SEGMENT_WRITE = 1u << 1,
	ELF_SEGMENT_READ = 1u << 2,
};

struct elf_segment {
	uint64_t file_offset; /* where its bytes start in the file */
	uint64_t file_size;   /* bytes taken from the file */
	uint64_t vaddr;       /* where it goes in the address space */
	uint64_t mem_size;    /* bytes it takes there (the rest is zero) */
	uint64_t align;
	uint32_t flags; /* elf_segment_flags */
};

/* A parsed file: a view into the caller's buffer, which must outlive it. */
struct elf_image {
	const uint8_t *data;
	size_t size;
	uint16_t type;    /* 2: executable, 3: shared object */
	uint16_t machine; /* ELF_MACHINE_* or another e_machine value */
	uint64_t entry;
	uint64_t ph_offset;
	uint16_t ph_count;   /* program headers of any type */
	unsigned load_count; /* PT_LOAD segments among them */
};

/* Checks data[0..size) and fills *image. On failure *image is untouched. */
int elf_parse(struct elf_image *image, const void *data, size_t size);

/* The index-th loadable segment (0 <= index < image->load_count). */
int elf_load_segment(const struct elf_image *image, unsigned index,
                     struct elf_segment *segment);

#endif /* RUNTIME_ELF_H */
