/*
 * The ELF64 parser of runtime/elf.h. elf_parse() is the decode step: it
 * checks the header, then every program header, and only then fills the
 * image; elf_load_segment() reads a segment that was checked already.
 */
#include <runtime/elf.h>

#include <stdbool.h>

enum {
	EHDR_SIZE = 64,
	PHDR_SIZE = 56,
	PT_LOAD = 1,
	ET_EXEC = 2,
	ET_DYN = 3,
};

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int check_ident(const uint8_t *d, size_t size)
{
	if (size < EHDR_SIZE)
		return ELF_ERR_TRUNCATED;
	if (d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F')
		return ELF_ERR_MAGIC;
	if (d[4] != 2)
		return ELF_ERR_CLASS;
	if (d[5] != 1)
		return ELF_ERR_BYTE_ORDER;
	if (d[6] != 1 || le32(d + 20) != 1)
		return ELF_ERR_VERSION;
	return ELF_OK;
}

static void read_segment(const uint8_t *ph, struct elf_segment *s)
{
	s->flags = le32(ph + 4);
	s->file_offset = le64(ph + 8);
	s->vaddr = le64(ph + 16);
	s->file_size = le64(ph + 32);
	s->mem_size = le64(ph + 40);
	s->align = le64(ph + 48);
}

static int check_segment(const struct elf_segment *s, size_t file_size)
{
	if (s->file_offset > file_size ||
	    s->file_size > file_size - s->file_offset)
		return ELF_ERR_SEGMENT_BOUNDS;
	if (s->mem_size < s->file_size)
		return ELF_ERR_SEGMENT_SIZE;
	if (s->vaddr > UINT64_MAX - s->mem_size)
		return ELF_ERR_OVERFLOW;
	if (s->align > 1) {
		if (s->align & (s->align - 1))
			return ELF_ERR_SEGMENT_ALIGN;
		if ((s->vaddr ^ s->file_offset) & (s->align - 1))
			return ELF_ERR_SEGMENT_ALIGN;
	}
	return ELF_OK;
}

/* Checks the program header table bounds and every PT_LOAD segment;
 * counts the loadable ones. */
static int check_program_headers(const uint8_t *d, size_t size, uint64_t ph_off,
                                 uint16_t ph_count, unsigned *loads)
{
	uint64_t table = (uint64_t)ph_count * PHDR_SIZE;
	if (ph_off > size || table > size - ph_off)
		return ELF_ERR_PH_BOUNDS;
	unsigned n = 0;
	for (uint16_t i = 0; i < ph_count; i++) {
		const uint8_t *ph = d + ph_off + (uint64_t)i * PHDR_SIZE;
		if (le32(ph) != PT_LOAD)
			continue;
		struct elf_segment s;
		read_segment(ph, &s);
		int r = check_segment(&s, size);
		if (r)
			return r;
		n++;
	}
	if (n == 0)
		return ELF_ERR_NO_SEGMENTS;
	*loads = n;
	return ELF_OK;
}

int elf_parse(struct elf_image *image, const void *data, size_t size)
{
	const uint8_t *d = data;
	if (!d)
		return ELF_ERR_TRUNCATED;
	int r = check_ident(d, size);
	if (r)
		return r;
	uint16_t type = le16(d + 16);
	if (type != ET_EXEC && type != ET_DYN)
		return ELF_ERR_TYPE;
	if (le16(d + 52) != EHDR_SIZE)
		return ELF_ERR_HEADER_SIZE;
	uint16_t ph_count = le16(d + 56);
	if (ph_count && le16(d + 54) != PHDR_SIZE)
		return ELF_ERR_PH_ENTRY_SIZE;
	uint64_t ph_off = le64(d + 32);
	unsigned loads = 0;
	r = check_program_headers(d, size, ph_off, ph_count, &loads);
	if (r)
		return r;

	*image = (struct elf_image){
		.data = d,
		.size = size,
		.type = type,
		.machine = le16(d + 18),
		.entry = le64(d + 24),
		.ph_offset = ph_off,
		.ph_count = ph_count,
		.load_count = loads,
	};
	return ELF_OK;
}

int elf_load_segment(const struct elf_image *image, unsigned index,
                     struct elf_segment *segment)
{
	unsigned n = 0;
	for (uint16_t i = 0; i < image->ph_count; i++) {
		const uint8_t *ph = image->data + image->ph_offset +
		                    (uint64_t)i * PHDR_SIZE;
		if (le32(ph) != PT_LOAD)
			continue;
		if (n++ == index) {
			read_segment(ph, segment);
			return ELF_OK;
		}
	}
	return ELF_ERR_INDEX;
}
