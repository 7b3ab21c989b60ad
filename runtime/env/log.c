/*
 * env_log (env.h): formats into a bounded buffer and writes one LOG line
 * per text line, so a multi-line message reads as separate lines, each
 * tagged with the component's label by the LOG server. When the LOG
 * session has ended under the component (its server went away, or the
 * parent moved it to a new route), the session is opened anew through the
 * parent and the line written again, a few times at most, since the new
 * session can be moved again before the line is on it (connection.h).
 */
#include "env_private.h"

#include <runtime/str.h>

#include "log_rpc.h"

#include <stdarg.h>
#include <string.h>

#define LOG_TEXT_MAX 4000
#define LOG_LINE_MAX 1000
/* Reopens per line: a session opened anew can be moved again before the
 * line is written on it (two configs in a row), and each move is one
 * applied config, so a few tries keep the line without looping. */
#define LOG_REOPENS_MAX 4

/* Writes one line; reopens the session and writes again while it is
 * gone, at most LOG_REOPENS_MAX times. Precondition: log_lock held. */
static int write_line(env_t *env, const char *line)
{
	struct env_private *priv = env->priv;
	/* invalid: an earlier reopen failed, so try again */
	int rc = kcap_valid(env->log) ? log_write(env->log, line)
	                              : KERR_REVOKED;
	for (int tries = 0; rc == KERR_REVOKED && tries < LOG_REOPENS_MAX;
	     tries++) {
		rc = connection_reopen(&priv->log);
		env->log = priv->log.cap;
		if (rc == 0)
			rc = log_write(env->log, line);
	}
	return rc;
}

int env_log(env_t *env, const char *fmt, ...)
{
	char text[LOG_TEXT_MAX];
	va_list args;
	va_start(args, fmt);
	str_vformat(text, sizeof(text), fmt, args);
	va_end(args);

	int rc = 0;
	char *line = text;
	lock_acquire(&env->priv->log_lock);
	while (rc == 0) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (strlen(line) > LOG_LINE_MAX)
			line[LOG_LINE_MAX] = '\0';
		if (end || line[0])
			rc = write_line(env, line);
		if (!end)
			break;
		line = end + 1;
	}
	lock_release(&env->priv->log_lock);
	return rc;
}
