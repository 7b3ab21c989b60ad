/*
 * Reconnection with back-off: dial, open a link, and on failure wait
 * base, 2 base, 4 base ... up to max (exponential back-off) before the next
 * attempt. How a stream is dialled is the caller's: a component asks
 * its Net session (pkg/remote/README.md), a test connects a socket.
 */
#ifndef REMOTE_RECONNECT_H
#define REMOTE_RECONNECT_H

#include <stddef.h>
#include <stdint.h>

#include <remote/link.h>

typedef struct link_dialer {
	/* a connected stream into *out (0), or -1 with words in err */
	int (*dial)(void *ctx, link_stream_t *out, char *err, size_t errlen);
	/* waits ms (NULL: sleeps); tests pass a clock of their own */
	void (*sleep_ms)(void *ctx, uint32_t ms);
	/* told of each failed attempt and the wait before the next (or NULL) */
	void (*on_failure)(void *ctx, unsigned attempt, const char *why,
	                   uint32_t delay_ms);
	void *ctx;
	uint32_t base_ms;      /* > 0 */
	uint32_t max_ms;       /* >= base_ms */
	unsigned max_attempts; /* 0: for ever */
} link_dialer_t;

/* The wait after failed attempt `attempt` (1, 2, ...). Pure. */
uint32_t backoff_delay(uint32_t base_ms, uint32_t max_ms, unsigned attempt);

/*
 * Dials and opens until a link stands (0) or max_attempts failed (the last
 * LINK_ERR_*, err: its words). A peer with an unpinned key is retried like
 * any failure (the peer may be replaced by the right one) but said each time.
 */
int link_connect(link_t **out, const link_dialer_t *d, const link_config_t *cfg,
                 char *err, size_t errlen);

#endif /* REMOTE_RECONNECT_H */
