/*
 * The `archive` frame (control_archive.h). A pushed archive crossed no
 * image the machine trusts from its start, so everything of it is
 * checked here, before any of it is kept, as linux core checks
 * DIR/depot/ (depot_rom.h):
 *   - the header: an archive name of a served kind (archive_name.h), one
 *     the boot image does not hold and none pushed before (versions are
 *     immutable), 1..PUSHED_ARCHIVE_FILES_MAX files, room in the table
 *     (PUSHED_ARCHIVES_MAX archives);
 *   - each file: a name that resolves, as ARCHIVE/NAME, to a depot file's
 *     module name of this very archive (boot_module_name.h: a top-level
 *     ROM name, never '.', '..' or a path), printable, not twice; SIZE
 *     1..the module limit and, with the files before it, within what
 *     the table may still take (PUSHED_ARCHIVES_BYTES_MAX); its bytes'
 *     SHA-256 (sha256.h) equal to the digest of its header.
 * The first failure refuses the whole archive: every file received so far
 * is closed, one line says why, and the input is skipped up to the next
 * frame (control.c). Each header is one line of at most CONTROL_LINE_MAX
 * bytes and each file's bytes are bounded, so a frame is read in time
 * linear in its size and never holds more than the table's room.
 */
#include "control_archive.h"

#include "boot_module_name.h"
#include "boot_modules.h"
#include "control_channel.h"
#include "pushed_archives.h"
#include "sha256.h"

#include "decimal.h"

#include <hex/hex.h>
#include <runtime/str.h>

#include <string.h>

#define FRAME_WORD "archive "

int control_archive_frame(const char *line)
{
	return strncmp(line, FRAME_WORD, strlen(FRAME_WORD)) == 0;
}

static int printable(const char *line)
{
	for (const char *p = line; *p; p++)
		if (*p < ' ' || *p > '~')
			return 0;
	return 1;
}

/* Decodes `archive ARCHIVE COUNT` into a->name and *count; NULL, or why
 * not. */
static const char *decode_archive(char *line, struct pushed_archive *a,
                                  unsigned *count)
{
	char *words[3];
	const char *why;
	if (!printable(line) || control_words(line, words, 3) != 3)
		return "not `archive ARCHIVE COUNT`";
	if (strlen(words[1]) > ARCHIVE_NAME_MAX)
		return "the archive name is too long";
	if (archive_name_check_served(words[1], &why) != 0)
		return why;
	str_copy(a->name, words[1], sizeof(a->name));
	uint64_t n;
	if (decimal_parse(words[2], strlen(words[2]), 10,
	                  PUSHED_ARCHIVE_FILES_MAX, &n) != 0 ||
	    n == 0)
		return "COUNT is no decimal of 1..16 files";
	if (boot_modules_of_archive(a->name))
		return "the boot image holds it already (archive versions "
		       "are immutable)";
	if (pushed_archives_find(a->name))
		return "it was pushed already (archive versions are "
		       "immutable)";
	if (pushed_archives_room() == 0)
		return "core keeps no more pushed archives (16 archives, "
		       "16 MiB)";
	*count = (unsigned)n;
	return NULL;
}

struct file_header {
	uint64_t size;
	uint8_t digest[SHA256_DIGEST_SIZE];
};

/* Decodes `file NAME SIZE SHA256` of a file of `a` into its next slot's
 * name and *h; NULL, or why not. `room`: the bytes it may have. */
static const char *decode_file(char *line, const struct pushed_archive *a,
                               uint64_t room, struct pushed_file *f,
                               struct file_header *h)
{
	char *words[4];
	const char *why;
	if (!printable(line) || control_words(line, words, 4) != 4 ||
	    strcmp(words[0], "file") != 0)
		return "not `file NAME SIZE SHA256`";
	/* resolved as the module name it stands for: a file of this
	 * archive, at its top */
	char module[BOOT_MODULE_NAME_MAX];
	if (strlen(words[1]) > TARGET_NAME_MAX)
		return "a file name is too long";
	if (!target_module_name_ok(words[1]))
		return "a file name is no ROM name (1..64 bytes, no '/', not "
		       "starting with '.')";
	boot_module_depot_name(a->name, words[1], module);
	const char *file = boot_module_file_of(module, a->name);
	if (boot_module_name_check(module, &why) != 0)
		return why;
	if (!file || strcmp(file, words[1]) != 0)
		return "a file name does not resolve to a file of the archive";
	for (unsigned i = 0; i < a->count; i++)
		if (strcmp(a->files[i].name, words[1]) == 0)
			return "a file comes twice";
	str_copy(f->name, words[1], sizeof(f->name));
	why = control_payload_size(words[2], &h->size);
	if (why)
		return why;
	if (h->size > room)
		return "the archives pushed would be more than core keeps "
		       "(16 MiB)";
	if (strlen(words[3]) != 2 * SHA256_DIGEST_SIZE ||
	    !hex_decode(words[3], SHA256_DIGEST_SIZE, h->digest))
		return "SHA256 is no digest of 64 hexadecimal digits";
	return NULL;
}

static const char *sha256_check(const uint8_t *bytes, size_t size,
                                const void *arg)
{
	struct sha256 h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_start(&h);
	sha256_update(&h, bytes, size);
	sha256_finish(&h, digest);
	return memcmp(digest, arg, sizeof(digest)) == 0
	               ? NULL
	               : "its bytes do not match its SHA-256";
}

/* Reads the next file of `a` into a->files[a->count]: NULL (a->count
 * grown), or why not (nothing of the file kept). */
static const char *take_file(struct config_watch *w, struct pushed_archive *a,
                             uint64_t *room)
{
	char line[CONTROL_LINE_MAX + 1];
	int got;
	while ((got = control_read_line(w, line)) > 0 && line[0] == '\0')
		; /* blank lines between files */
	if (got == 0)
		return "the channel stopped";
	if (got < 0)
		return "a file's header line is too long";
	struct pushed_file *f = &a->files[a->count];
	struct file_header h;
	const char *why = decode_file(line, a, *room, f, &h);
	if (!why)
		why = control_receive(w, h.size, sha256_check, h.digest,
		                      &f->mem);
	if (why)
		return why;
	f->size = (size_t)h.size;
	a->count++;
	*room -= h.size;
	return NULL;
}

int control_archive_take(struct config_watch *w, char *line)
{
	static struct pushed_archive a; /* ~1.6 KiB: off the main thread's
	                                   stack; one frame at a time */
	unsigned count = 0;
	memset(&a, 0, sizeof(a));
	uint64_t room = pushed_archives_room();
	const char *why = decode_archive(line, &a, &count);
	if (why) {
		control_say("control: archive frame refused: %s; input skipped "
		            "up to the next frame",
		            why);
		return -1;
	}
	char file_why[160] = "";
	while (!why && a.count < count)
		if ((why = take_file(w, &a, &room)) != NULL) {
			str_format(file_why, sizeof(file_why),
			           "file %u of %u: %s", a.count + 1, count,
			           why);
			why = file_why;
		}
	uint64_t bytes = 0;
	for (unsigned i = 0; i < a.count; i++)
		bytes += a.files[i].size;
	if (!why && pushed_archives_put(&a) != 0)
		why = "too many archives pushed already";
	if (why) {
		for (unsigned i = 0; i < a.count; i++)
			kcap_close(a.files[i].mem);
		if (!control_stopped(w))
			control_say(
				"control: archive '%s' refused: %s; nothing "
				"of it is kept",
				a.name, why);
		return -1;
	}
	control_say("control: archive '%s' pushed, %u file%s, %llu bytes; "
	            "the depot indexes are made anew",
	            a.name, count, count == 1 ? "" : "s",
	            (unsigned long long)bytes);
	control_rescan(w);
	return 0;
}
