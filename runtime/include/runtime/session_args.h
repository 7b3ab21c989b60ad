/*
 * The arguments every session request carries, decoded once and checked
 * before any server acts on them (the decode step of a session request):
 * label="...", ram_quota=N, cap_quota=N, as an Arg_string
 * (runtime/arg_string.h). Part of libruntime's session layer: core's
 * services, the root component of every server (runtime/root_component.h)
 * and init's routing all use these. Servers read their own extra arguments
 * from the raw string themselves.
 *
 * A label is a path of names separated by " -> ": the first names the
 * top-level component below core, the last what the client asked for
 * (the module of a ROM session).
 */
#ifndef RUNTIME_SESSION_ARGS_H
#define RUNTIME_SESSION_ARGS_H

#include <stddef.h>
#include <stdint.h>

#define SESSION_LABEL_MAX 200

struct session_args {
	char label[SESSION_LABEL_MAX];
	uint64_t ram_quota;
	uint64_t cap_quota;
};

/* Decodes `args`. A missing label is the empty label; a missing quota is
 * 0. Returns 0, or -1 with a reason a person can act on in *why (a
 * malformed string, a quota that is no size, a label too long). */
int session_args_parse(const char *args, struct session_args *out,
                       const char **why);

/* The element of a label that starts at `element`: returns its length
 * and sets *next to the start of the element after it, or NULL when it
 * is the last. Walks a label element by element:
 *     for (const char *e = label; e; e = next) len = session_label_element(e, &next); */
size_t session_label_element(const char *element, const char **next);

/* The first element of a label ("init" of "init -> hello -> config"),
 * copied into dst[size]. */
void session_label_first(const char *label, char *dst, size_t size);

/* The last element of a label ("config" of "init -> hello -> config"). */
const char *session_label_last(const char *label);

/* Writes "prefix -> label", or "prefix" for an empty label, into
 * dst[size]; -1 when it does not fit. */
int session_label_prefix(const char *prefix, const char *label, char *dst,
                         size_t size);

#endif /* RUNTIME_SESSION_ARGS_H */
