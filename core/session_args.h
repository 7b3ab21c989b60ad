/*
 * The arguments every session request to core carries, decoded once and
 * checked before any service acts on them (the decode step of a session
 * request): label="...", ram_quota=N, cap_quota=N, as an Arg_string
 * (runtime/arg_string.h). Services read their own extra arguments from
 * the raw string themselves.
 */
#ifndef CORE_SESSION_ARGS_H
#define CORE_SESSION_ARGS_H

#include <stddef.h>
#include <stdint.h>

#define SESSION_LABEL_MAX 200

struct session_args {
	char     label[SESSION_LABEL_MAX];
	uint64_t ram_quota;
	uint64_t cap_quota;
};

/* Decodes `args`. A missing label is the empty label; a missing quota is
 * 0. Returns 0, or -1 with a reason a person can act on in *why (a
 * malformed string, a quota that is no size, a label too long). */
int session_args_parse(const char *args, struct session_args *out,
                       const char **why);

/* The first element of a label ("init" of "init -> hello -> config"),
 * copied into dst[size]. */
void session_label_first(const char *label, char *dst, size_t size);

/* The last element of a label ("config" of "init -> hello -> config"). */
const char *session_label_last(const char *label);

/* Writes "prefix -> label", or "prefix" for an empty label, into
 * dst[size]; -1 when it does not fit. */
int session_label_prefix(const char *prefix, const char *label, char *dst,
                         size_t size);

#endif
