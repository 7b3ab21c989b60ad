/*
 * The service argument of forwarded sessions (service_arg.h). It is the
 * last element of the arguments, so taking it is finding the last key and
 * checking that only the quoted name follows: linear, no parsing of the
 * rest (the parent parses that as for any session).
 */
#include <stdio.h>
#include <string.h>

#include "service_arg.h"

static int name_ok(const char *name, size_t len)
{
	return len > 0 && len <= SERVICE_ARG_NAME_MAX &&
	       !memchr(name, '"', len);
}

int service_arg_add(char *out, size_t size, const char *args,
                    const char *service)
{
	int n;
	if (!name_ok(service, strlen(service)))
		return -1;
	n = snprintf(out, size, "%s" SERVICE_ARG_KEY "%s\"", args, service);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The last occurrence of `key` in `s`, or NULL. */
static const char *last_of(const char *s, const char *key)
{
	const char *found = NULL;
	for (const char *p = strstr(s, key); p; p = strstr(p + 1, key))
		found = p;
	return found;
}

int service_arg_take(const char *args, char *out, size_t size,
                     char service[SERVICE_ARG_NAME_MAX + 1])
{
	const char *key = last_of(args, SERVICE_ARG_KEY);
	const char *name, *end;
	size_t len;
	if (!key)
		return -1;
	name = key + strlen(SERVICE_ARG_KEY);
	end = name + strlen(name);
	if (end == name || end[-1] != '"')
		return -1;
	len = (size_t)(end - 1 - name);
	if (!name_ok(name, len) || (size_t)(key - args) >= size)
		return -1;
	memcpy(service, name, len);
	service[len] = '\0';
	memcpy(out, args, (size_t)(key - args));
	out[key - args] = '\0';
	return 0;
}
