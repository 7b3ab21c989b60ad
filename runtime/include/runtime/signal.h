/*
 * Asynchronous notifications of libruntime: payload-free signals with
 * reliable counting (N submits arrive as a total count of N).
 *
 *   signal context      the identity of one kind of notification; embed it
 *                       in whatever the notification is about
 *   signal receiver     one receiver, many contexts: managing a context
 *                       yields the capability that submits to it; the
 *                       owning thread blocks or polls for the next signal
 *                       and learns its context and count
 *   signal transmitter  fire-and-forget submit through such a capability
 *                       (usually in another process, delegated by RPC)
 *   signal dispatcher   a context whose handler runs on an entrypoint, so
 *                       one server thread handles RPC and signals alike
 *
 * A receiver belongs to the thread that created it: only that thread waits
 * on it, manages and dissolves its contexts.
 */
#ifndef RUNTIME_SIGNAL_H
#define RUNTIME_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/entrypoint.h>

/* For the receivers of signals in libruntime (receivers, entrypoints):
 * makes a signal source reported on `ws` with `cookie`; *cap submits to
 * it and is the caller's. Nothing is left on failure. */
int signal_source_attach(kwaitset_t *ws, void *cookie,
                         ksignal_source_t **source, kcap_t *cap);

/* Takes `source` off `ws` and destroys it: submits fail with KERR_REVOKED
 * from then on. */
void signal_source_detach(kwaitset_t *ws, ksignal_source_t *source);

typedef struct signal_receiver signal_receiver_t;
typedef struct signal_context signal_context_t;

/* Embed in the object the signals are about; the fields are the receiver's. */
struct signal_context {
	signal_receiver_t *receiver;
	ksignal_source_t *source;
	signal_context_t *next;
};

/* A received signal: which context, and how many submits it stands for. */
typedef struct signal {
	signal_context_t *context;
	uint32_t count;
} signal_t;

int signal_receiver_create(signal_receiver_t **rx);

/* Dissolves every context still managed and frees the receiver. */
void signal_receiver_destroy(signal_receiver_t *rx);

/* Starts receiving for `ctx`; *cap submits to it and is the caller's. */
int signal_receiver_manage(signal_receiver_t *rx, signal_context_t *ctx,
                           kcap_t *cap);

/* Stops receiving for `ctx`: submits to its capability fail with
 * KERR_REVOKED from then on. */
void signal_receiver_dissolve(signal_receiver_t *rx, signal_context_t *ctx);

/* Reports `stream` (runtime/stream.h) as a signal of `ctx` with count 1
 * whenever the receiver waits while the stream has bytes to read, or its
 * end, or an error (the next stream_read() says which): so one thread
 * waits for a stream and for signals at once. `ctx` is only a name here
 * (no capability submits to it); read the stream before waiting again,
 * or the signal comes back at once. A stream is watched by at most one
 * receiver; unwatch it before closing it. 0 or a KERR_*
 * (KERR_WRONG_TYPE: no stream). */
int signal_receiver_watch_stream(signal_receiver_t *rx, signal_context_t *ctx,
                                 kcap_t stream);
void signal_receiver_unwatch_stream(signal_receiver_t *rx, kcap_t stream);

/* Blocks for the next signal (timeout_ms < 0: for ever). Returns 0, or
 * KERR_TIMEOUT when none came in time, or KERR_CANCELED. */
int signal_receiver_wait(signal_receiver_t *rx, signal_t *sig, int timeout_ms);

/* The next signal if one is pending (0), KERR_TIMEOUT if none is. */
int signal_receiver_poll(signal_receiver_t *rx, signal_t *sig);

/* Submits to a context through its capability. A transmitter made by
 * signal_transmitter_init() borrows the capability (it stays the
 * caller's); one given a capability by signal_transmitter_set() keeps a
 * copy of its own, which signal_transmitter_release() closes. */
typedef struct signal_transmitter {
	kcap_t cap; /* KCAP_INVALID: none */
	bool owned; /* cap is the transmitter's copy */
} signal_transmitter_t;

#define SIGNAL_TRANSMITTER_NONE \
	((signal_transmitter_t){ .cap = KCAP_INVALID, .owned = false })

void signal_transmitter_init(signal_transmitter_t *tx, kcap_t context_cap);

/* Submits to `context_cap` from now on, through a copy the transmitter
 * keeps (the one it held before is released). 0, or KERR_INVALID for an
 * invalid capability or the kernel's error, the transmitter unchanged. */
int signal_transmitter_set(signal_transmitter_t *tx, kcap_t context_cap);

/* Closes the transmitter's own copy, if any: it submits to nothing after. */
void signal_transmitter_release(signal_transmitter_t *tx);

/* Whether the transmitter has a capability to submit through. */
bool signal_transmitter_valid(const signal_transmitter_t *tx);

/* Submits `count` signals (>= 1). Never blocks for long; KERR_REVOKED once
 * the context is dissolved or its receiver's process is gone, KERR_INVALID
 * without a capability. */
int signal_transmitter_submit(signal_transmitter_t *tx, uint32_t count);

/* Submits `count` signals (>= 1) through `context_cap` once, without a
 * transmitter: for a server that signals capabilities its clients gave
 * it. 0, KERR_REVOKED or KERR_INVALID as signal_transmitter_submit(). */
int signal_submit(kcap_t context_cap, uint32_t count);

/* A context whose handler runs on an entrypoint. */
typedef struct signal_dispatcher signal_dispatcher_t;
struct signal_dispatcher {
	void (*handler)(signal_dispatcher_t *d, uint32_t count);
	entrypoint_signal_t ep_signal;
};

/* Starts dispatching signals of a new context to handler(d, count) on
 * `ep`; *cap submits to it and is the caller's. */
int signal_dispatcher_init(signal_dispatcher_t *d, entrypoint_t *ep,
                           void (*handler)(signal_dispatcher_t *d,
                                           uint32_t count),
                           kcap_t *cap);

/* Stops dispatching; after it returns the handler does not run again. */
void signal_dispatcher_dissolve(signal_dispatcher_t *d);

#endif /* RUNTIME_SIGNAL_H */
