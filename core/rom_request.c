/*
 * Decoding a ROM session request (rom_request.h): nothing is opened here.
 */
#include "rom_request.h"

#include <runtime/arg_string.h>
#include <runtime/str.h>

#include <string.h>

static int decode_from(const char *args, size_t size, enum rom_from *from,
                       const char **why)
{
	static const struct {
		const char *word;
		enum rom_from from;
	} kinds[] = {
		{ "config", ROM_FROM_CONFIG },
		{ "boot", ROM_FROM_BOOT },
		{ "depot", ROM_FROM_DEPOT },
		{ "depot-index", ROM_FROM_DEPOT_INDEX },
	};
	char word[16];
	int rc = arg_string_get_string(args, size, "rom_from", word,
	                               sizeof(word));
	if (rc == ARG_ERR_NOT_FOUND) {
		*from = ROM_FROM_CONFIG;
		return 0;
	}
	for (size_t i = 0; rc == ARG_OK && i < sizeof(kinds) / sizeof(*kinds);
	     i++)
		if (strcmp(word, kinds[i].word) == 0) {
			*from = kinds[i].from;
			return 0;
		}
	*why = "rom_from is \"config\", \"boot\", \"depot\" or \"depot-index\"";
	return -1;
}

static int decode_archive(const char *args, size_t size, struct rom_request *r,
                          const char **why)
{
	int depot = r->from == ROM_FROM_DEPOT ||
	            r->from == ROM_FROM_DEPOT_INDEX;
	int rc = arg_string_get_string(args, size, "archive", r->archive,
	                               sizeof(r->archive));
	if (rc == ARG_ERR_NOT_FOUND && !depot)
		return 0;
	if (rc == ARG_ERR_NOT_FOUND) {
		*why = "rom_from \"depot\" and \"depot-index\" need an archive "
		       "argument (archive=\"user/kind/name/version\")";
		return -1;
	}
	if (!depot) {
		*why = "an archive argument needs rom_from \"depot\" or "
		       "\"depot-index\"";
		return -1;
	}
	if (rc != ARG_OK) {
		*why = "the archive argument is no archive name (too long or "
		       "malformed)";
		return -1;
	}
	return archive_name_check_served(r->archive, why);
}

int rom_request_decode(const char *raw_args, const char *name,
                       struct rom_request *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	size_t size = strlen(raw_args) + 1;
	if (!target_module_name_ok(name)) {
		*why = "the ROM name is no module name (a file name without '/', "
		       "not hidden)";
		return -1;
	}
	str_copy(out->name, name, sizeof(out->name));
	if (decode_from(raw_args, size, &out->from, why) != 0 ||
	    decode_archive(raw_args, size, out, why) != 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

int rom_request_same(const struct rom_request *a, const struct rom_request *b)
{
	return a->from == b->from && strcmp(a->archive, b->archive) == 0 &&
	       (a->from == ROM_FROM_DEPOT_INDEX ||
	        strcmp(a->name, b->name) == 0);
}
