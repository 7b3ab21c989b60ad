/*
 * Stand-alone entry points over the metadata model: canonicalization of any
 * JSON, validation of one metadata file, and threshold verification of a
 * role against its delegator. Used by tests, fuzz targets and tools that
 * check a repository without running the client workflow.
 */
#include <stdlib.h>

#include "json.h"
#include "metadata.h"
#include "tuf.h"

int tuf_canonicalize(const unsigned char *json, size_t len, unsigned char **out,
                     size_t *out_len, struct tuf_error *e)
{
	char err[128];
	struct json *j = json_parse(json, len, err, sizeof err);
	if (!j)
		return tuf_fail(e, TUF_E_JSON, "malformed JSON: %s", err);
	int rc = json_canonical(j, out, out_len);
	json_free(j);
	return rc ? tuf_fail(e, TUF_E_NOMEM, "out of memory") : TUF_OK;
}

int tuf_metadata_check(const unsigned char *json, size_t len,
                       const char **type_out, struct tuf_error *e)
{
	struct md *m = NULL;
	int rc = md_parse(json, len, "metadata", &m, e);
	if (rc)
		return rc;
	if (type_out)
		*type_out = md_type_name(m->type);
	md_free(m);
	return TUF_OK;
}

int tuf_verify_role(const unsigned char *delegator, size_t delegator_len,
                    const char *role, const unsigned char *md, size_t md_len,
                    struct tuf_error *e)
{
	struct md *d = NULL, *m = NULL;
	int rc = md_parse(delegator, delegator_len, "delegator", &d, e);
	if (rc == TUF_OK)
		rc = md_parse(md, md_len, role, &m, e);
	if (rc == TUF_OK && d->type != MD_ROOT && d->type != MD_TARGETS)
		rc = tuf_fail(e, TUF_E_ARG,
		              "a delegator must be root or targets metadata");
	if (rc == TUF_OK)
		rc = md_verify(d, role, m, e);
	md_free(d);
	md_free(m);
	return rc;
}
