/*
 * Signal transmitter (runtime/signal.h): fire-and-forget submission through
 * the capability of a signal context.
 */
#include <runtime/signal.h>

void signal_transmitter_init(signal_transmitter_t *tx, kcap_t context_cap)
{
	tx->cap = context_cap;
}

int signal_transmitter_submit(signal_transmitter_t *tx, uint32_t count)
{
	if (count == 0)
		return KERR_INVALID;
	return ksignal_submit(tx->cap, count);
}
