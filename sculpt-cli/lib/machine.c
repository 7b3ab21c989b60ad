/*
 * The record of what a riscv target's machine has (machine.h): read line
 * by line, each line through the one check that adding an archive makes,
 * so a record sculpt could not have written is refused.
 */
#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A name of an archive core serves, in libdepot's canonical form; NULL,
 * or why not. */
static const char *archive_why(const char *archive)
{
	struct depot_name name;
	struct depot_diag ignored;
	char again[DEPOT_NAME_MAX];

	if (strlen(archive) >= DEPOT_NAME_MAX ||
	    depot_name_parse(archive, &name, &ignored))
		return "is no archive name";
	depot_name_format(&name, again);
	if (strcmp(again, archive) != 0)
		return "is no archive name";
	if (strcmp(name.kind, "bin") != 0 && strcmp(name.kind, "raw") != 0 &&
	    strcmp(name.kind, "pkg") != 0)
		return "is of a kind core does not serve (bin, raw, pkg)";
	return NULL;
}

int machine_record_has(const struct machine_record *r, const char *archive)
{
	for (unsigned i = 0; i < r->count; i++)
		if (strcmp(r->archives[i].name, archive) == 0)
			return 1;
	return 0;
}

int machine_record_room(const struct machine_record *r, unsigned count,
                        uint64_t bytes, struct sculpt_diag *diag)
{
	if (count > MACHINE_PUSHED_MAX - r->pushed)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "the machine holds %u pushed archives and "
		                   "takes at most %u",
		                   r->pushed, MACHINE_PUSHED_MAX);
	if (bytes > MACHINE_PUSHED_BYTES_MAX - r->pushed_bytes)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "the machine holds %llu bytes of pushed "
		                   "archives and takes at most %llu, half of "
		                   "core's reserve",
		                   (unsigned long long)r->pushed_bytes,
		                   (unsigned long long)
		                           MACHINE_PUSHED_BYTES_MAX);
	return 0;
}

int machine_record_add(struct machine_record *r, const char *archive,
                       int pushed, uint64_t bytes, struct sculpt_diag *diag)
{
	const char *why = archive_why(archive);
	unsigned images = r->count - r->pushed;
	int err;

	if (why)
		return sculpt_fail(diag, SCULPT_E_PKG, "'%.*s' %s",
		                   DEPOT_NAME_MAX, archive, why);
	if (machine_record_has(r, archive))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "the machine has '%s' already", archive);
	if (!pushed && images == MACHINE_IMAGE_MAX)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "a boot image holds at most %u archives",
		                   MACHINE_IMAGE_MAX);
	if (pushed && bytes == 0)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "a pushed archive has at least one byte");
	if (pushed && (err = machine_record_room(r, 1, bytes, diag)) != 0)
		return err;
	struct machine_archive *a = &r->archives[r->count++];
	snprintf(a->name, sizeof(a->name), "%s", archive);
	a->pushed = pushed;
	a->bytes = pushed ? bytes : 0;
	r->pushed += pushed != 0;
	r->pushed_bytes += a->bytes;
	return 0;
}

/* A decimal of 1..20 digits without a leading zero into *value; 0, or -1
 * (past UINT64_MAX too). */
static int decimal(const char *text, size_t len, uint64_t *value)
{
	*value = 0;
	if (len == 0 || len > 20 || (text[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned digit = (unsigned)(text[i] - '0');

		if (digit > 9 || *value > (UINT64_MAX - digit) / 10)
			return -1;
		*value = *value * 10 + digit;
	}
	return 0;
}

/* One line (without its newline) into r; 0, or an error with why in
 * diag. */
static int parse_line(const char *line, size_t len, struct machine_record *r,
                      struct sculpt_diag *diag)
{
	char name[DEPOT_NAME_MAX];
	const char *space = memchr(line, ' ', len), *second;
	size_t kind_len, name_len;
	uint64_t bytes = 0;
	int pushed;

	if (!space)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "not `image ARCHIVE` or `pushed ARCHIVE "
		                   "BYTES`");
	kind_len = (size_t)(space - line);
	pushed = kind_len == 6 && memcmp(line, "pushed", 6) == 0;
	if (!pushed && !(kind_len == 5 && memcmp(line, "image", 5) == 0))
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "not `image ARCHIVE` or `pushed ARCHIVE "
		                   "BYTES`");
	space++;
	second = memchr(space, ' ', len - (size_t)(space - line));
	name_len = second ? (size_t)(second - space)
	                  : len - (size_t)(space - line);
	if (!second != !pushed ||
	    (second &&
	     memchr(second + 1, ' ', len - (size_t)(second + 1 - line))))
		return sculpt_fail(diag, SCULPT_E_IO,
		                   pushed ? "not `pushed ARCHIVE BYTES`"
		                          : "not `image ARCHIVE`");
	if (name_len == 0 || name_len >= sizeof(name) ||
	    memchr(space, '\0', name_len))
		return sculpt_fail(diag, SCULPT_E_IO, "no archive name");
	memcpy(name, space, name_len);
	name[name_len] = '\0';
	if (pushed &&
	    decimal(second + 1, len - (size_t)(second + 1 - line), &bytes))
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "BYTES is no decimal number of bytes");
	return machine_record_add(r, name, pushed, bytes, diag) ? SCULPT_E_IO
	                                                        : 0;
}

int machine_record_parse(const char *text, size_t length,
                         struct machine_record *r, struct sculpt_diag *diag)
{
	struct sculpt_diag why = { "" };
	unsigned number = 0;

	memset(r, 0, sizeof(*r));
	if (length > MACHINE_RECORD_MAX)
		return sculpt_fail(diag, SCULPT_E_IO, "it is over %zu bytes",
		                   MACHINE_RECORD_MAX);
	for (size_t at = 0; at < length;) {
		const char *end = memchr(text + at, '\n', length - at);

		number++;
		if (!end)
			sculpt_fail(&why, SCULPT_E_IO, "no newline at its end");
		if (!end || parse_line(text + at, (size_t)(end - (text + at)),
		                       r, &why)) {
			memset(r, 0, sizeof(*r)); /* nothing taken */
			return sculpt_fail(diag, SCULPT_E_IO, "line %u: %s",
			                   number, why.message);
		}
		at = (size_t)(end - text) + 1;
	}
	return 0;
}

char *machine_record_format(const struct machine_record *r)
{
	size_t size = (size_t)r->count * (DEPOT_NAME_MAX + 32) + 1, used = 0;
	char *text = malloc(size);

	if (!text)
		return NULL;
	text[0] = '\0';
	for (unsigned i = 0; i < r->count; i++) {
		const struct machine_archive *a = &r->archives[i];

		used += (size_t)(a->pushed
		                         ? snprintf(text + used, size - used,
		                                    "pushed %s %llu\n", a->name,
		                                    (unsigned long long)
		                                            a->bytes)
		                         : snprintf(text + used, size - used,
		                                    "image %s\n", a->name));
	}
	return text;
}

/* The rest of `line` after `prefix`, up to `end` when it has it, into
 * why; whether it starts with prefix. */
static int answer_part(const char *line, const char *prefix, const char *end,
                       char *why, size_t why_size)
{
	size_t len = strlen(prefix);
	const char *rest = line + len, *stop;

	if (strncmp(line, prefix, len) != 0)
		return 0;
	stop = end ? strstr(rest, end) : NULL;
	snprintf(why, why_size, "%.*s",
	         (int)(stop ? (size_t)(stop - rest) : strlen(rest)), rest);
	return 1;
}

enum machine_answer machine_answer(const char *line, const char *archive,
                                   char *why, size_t why_size)
{
	static const char control[] = "[core] control: ";
	char prefix[DEPOT_NAME_MAX + 64];

	if (strncmp(line, control, sizeof(control) - 1) != 0)
		return MACHINE_ANSWER_NONE;
	line += sizeof(control) - 1;
	snprintf(prefix, sizeof(prefix), "archive '%s' pushed, ", archive);
	if (answer_part(line, prefix, NULL, why, why_size))
		return MACHINE_ANSWER_TAKEN;
	snprintf(prefix, sizeof(prefix), "archive '%s' refused: ", archive);
	if (answer_part(line, prefix, "; nothing of it is kept", why,
	                why_size) ||
	    answer_part(line, "archive frame refused: ",
	                "; input skipped up to the next frame", why,
	                why_size) ||
	    answer_part(line, "frame refused: ",
	                "; input skipped up to the next frame", why,
	                why_size) ||
	    answer_part(line, "the virtio console stopped: ",
	                "; the control channel is off", why, why_size))
		return MACHINE_ANSWER_REFUSED;
	return MACHINE_ANSWER_NONE;
}
