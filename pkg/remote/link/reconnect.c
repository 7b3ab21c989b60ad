/*
 * Reconnection with exponential back-off (remote/reconnect.h). The delay
 * is a pure function of the attempt, so the schedule is tested without
 * waiting; the loop only dials, opens and sleeps.
 */
#include <stdio.h>
#include <time.h>

#include <remote/reconnect.h>

uint32_t backoff_delay(uint32_t base_ms, uint32_t max_ms, unsigned attempt)
{
	uint64_t d = base_ms;
	for (unsigned i = 1; i < attempt && d < max_ms; i++)
		d *= 2;
	return d > max_ms ? max_ms : (uint32_t)d;
}

static void sleep_for(uint32_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
		               .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

int link_connect(link_t **out, const link_dialer_t *d, const link_config_t *cfg,
                 char *err, size_t errlen)
{
	for (unsigned attempt = 1;; attempt++) {
		link_stream_t stream;
		int rc;
		uint32_t delay;
		if (d->dial(d->ctx, &stream, err, errlen) != 0)
			rc = LINK_ERR_IO;
		else if ((rc = link_open(out, &stream, cfg, err, errlen)) == 0)
			return 0;
		if (d->max_attempts && attempt >= d->max_attempts)
			return rc;
		delay = backoff_delay(d->base_ms, d->max_ms, attempt);
		if (d->on_failure)
			d->on_failure(d->ctx, attempt, err, delay);
		if (d->sleep_ms)
			d->sleep_ms(d->ctx, delay);
		else
			sleep_for(delay);
	}
}
