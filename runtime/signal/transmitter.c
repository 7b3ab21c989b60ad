/*
 * Signal transmitter (runtime/signal.h): fire-and-forget submission through
 * the capability of a signal context, borrowed (init) or the transmitter's
 * own copy (set, release).
 */
#include <runtime/signal.h>

void signal_transmitter_init(signal_transmitter_t *tx, kcap_t context_cap)
{
	*tx = (signal_transmitter_t){ .cap = context_cap, .owned = false };
}

int signal_transmitter_set(signal_transmitter_t *tx, kcap_t context_cap)
{
	kcap_t copy;

	if (!kcap_valid(context_cap))
		return KERR_INVALID;
	int err = kcap_copy(context_cap, &copy);
	if (err)
		return err;
	signal_transmitter_release(tx);
	*tx = (signal_transmitter_t){ .cap = copy, .owned = true };
	return 0;
}

void signal_transmitter_release(signal_transmitter_t *tx)
{
	if (tx->owned)
		kcap_close(tx->cap);
	*tx = SIGNAL_TRANSMITTER_NONE;
}

bool signal_transmitter_valid(const signal_transmitter_t *tx)
{
	return kcap_valid(tx->cap);
}

int signal_submit(kcap_t context_cap, uint32_t count)
{
	if (count == 0)
		return KERR_INVALID;
	return ksignal_submit(context_cap, count);
}

int signal_transmitter_submit(signal_transmitter_t *tx, uint32_t count)
{
	if (count == 0)
		return KERR_INVALID;
	return ksignal_submit(tx->cap, count);
}
