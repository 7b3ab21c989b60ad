/*
 * Decoding of the common session arguments and the label helpers of
 * runtime/session_args.h, shared by core, init and every server's root
 * component: a label is a path of names separated by " -> ", the first
 * being the top-level component below core, the last naming what the
 * client asked for (the module of a ROM session).
 */
#include <runtime/session_args.h>

#include <runtime/arg_string.h>
#include <runtime/str.h>

#include <string.h>

static const char LABEL_SEPARATOR[] = " -> ";

int session_args_parse(const char *args, struct session_args *out,
                       const char **why)
{
	size_t size = strlen(args) + 1;
	if (arg_string_validate(args, size) != ARG_OK) {
		*why = "the session arguments are malformed";
		return -1;
	}
	struct session_args parsed = { .label = "" };
	int rc = arg_string_get_string(args, size, "label", parsed.label,
	                               sizeof(parsed.label));
	if (rc == ARG_ERR_NO_SPACE) {
		*why = "the label is too long";
		return -1;
	}
	if (rc != ARG_OK && rc != ARG_ERR_NOT_FOUND) {
		*why = "the label is malformed";
		return -1;
	}
	rc = arg_string_get_size(args, size, "ram_quota", &parsed.ram_quota);
	if (rc != ARG_OK && rc != ARG_ERR_NOT_FOUND) {
		*why = "ram_quota is not a size";
		return -1;
	}
	rc = arg_string_get_unsigned(args, size, "cap_quota",
	                             &parsed.cap_quota);
	if (rc != ARG_OK && rc != ARG_ERR_NOT_FOUND) {
		*why = "cap_quota is not a number";
		return -1;
	}
	*out = parsed;
	return 0;
}

size_t session_label_element(const char *element, const char **next)
{
	const char *end = strstr(element, LABEL_SEPARATOR);
	*next = end ? end + strlen(LABEL_SEPARATOR) : NULL;
	return end ? (size_t)(end - element) : strlen(element);
}

void session_label_first(const char *label, char *dst, size_t size)
{
	const char *next;
	size_t len = session_label_element(label, &next);
	if (size == 0)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(dst, label, len);
	dst[len] = '\0';
}

const char *session_label_last(const char *label)
{
	const char *last = label;
	for (const char *next = label; next;) {
		last = next;
		session_label_element(last, &next);
	}
	return last;
}

int session_label_prefix(const char *prefix, const char *label, char *dst,
                         size_t size)
{
	int rc = label[0] ? str_format(dst, size, "%s%s%s", prefix,
	                               LABEL_SEPARATOR, label)
	                  : str_format(dst, size, "%s", prefix);
	return rc < 0 ? -1 : 0;
}
