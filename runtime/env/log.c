/*
 * env_log (env.h): formats into a bounded buffer and writes one LOG line
 * per text line, so a multi-line message reads as separate lines, each
 * tagged with the component's label by the LOG server.
 */
#include <runtime/env.h>
#include <runtime/str.h>

#include "log_rpc.h"

#include <stdarg.h>
#include <string.h>

#define LOG_TEXT_MAX 4000
#define LOG_LINE_MAX 1000

int env_log(env_t *env, const char *fmt, ...)
{
	char text[LOG_TEXT_MAX];
	va_list args;
	va_start(args, fmt);
	str_vformat(text, sizeof(text), fmt, args);
	va_end(args);

	int rc = 0;
	char *line = text;
	while (rc == 0) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (strlen(line) > LOG_LINE_MAX)
			line[LOG_LINE_MAX] = '\0';
		if (end || line[0])
			rc = log_write(env->log, line);
		if (!end)
			break;
		line = end + 1;
	}
	return rc;
}
