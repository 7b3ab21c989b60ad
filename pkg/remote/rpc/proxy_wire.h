/*
 * The wire protocol of the generic RPC proxy (pkg/remote/README.md, "RPC
 * across"): what the two proxies of a link say to each other on channel
 * REMOTE_RPC_CHANNEL. Pure code over byte buffers, no kernel and no TLS,
 * so it also runs cross-built on a big-endian machine (tests/cross).
 *
 * Every integer little-endian and fixed width, no padding, every length
 * explicit (the rules of runtime/rpc.h and remote/frame.h):
 *
 *   header   u32 kind, u32 tag, u32 session
 *   ref      u32 slot, u64 nonce                        (12 bytes)
 *   cap      u32 kind (PROXY_CAP_*), ref, u32 size      (20 bytes)
 *   caps     u32 count (<= PROXY_CAPS_MAX), count × cap
 *
 *   kind     body after the header
 *   OPEN     u32 len, len bytes of session arguments (<= PROXY_ARGS_MAX)
 *   OPENED   i32 status, ref (the session object), u32 len, why (<= PROXY_WHY_MAX)
 *   CALL     ref (the object called), caps, u32 len, request (<= PROXY_DATA_MAX)
 *   REPLY    i32 status, caps, u32 len, reply (<= PROXY_DATA_MAX)
 *   SIGNAL   ref (the signal source), u32 count (>= 1)
 *   DS       ref (the memory object), u32 size, u32 offset, u32 len, bytes
 *   CLOSE    nothing (the session ends; answered by an empty REPLY)
 *
 * `tag` pairs a CALL with its REPLY and an OPEN with its OPENED; `session`
 * is the client-side proxy's number of the session a message belongs to.
 * A ref names an object in the export table of the node that sent it
 * first (remote/ref_table.h); only the link it came on gives it meaning.
 * In CALL and REPLY the data are the RPC message's bytes unchanged
 * (runtime/rpc.h: already fixed-width little-endian), and its capability
 * array travels as `caps`, index for index.
 *
 * Invariants of a decoded message (proxy_decode() checks them all before
 * anything acts on it, in time linear in the message): the kind is known,
 * every length is within its bound and within the message, no byte is
 * left over, a cap's kind is known and its size is 0 unless it is MEMORY,
 * a DS chunk lies inside its size and the size within PROXY_DS_MAX, a
 * SIGNAL counts at least one submit, and `data` points into the message.
 */
#ifndef REMOTE_PROXY_WIRE_H
#define REMOTE_PROXY_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define REMOTE_RPC_CHANNEL 2u
#define PROXY_HEADER_BYTES 12u
#define PROXY_REF_BYTES    12u
#define PROXY_CAP_BYTES    20u
#define PROXY_CAPS_MAX     4u        /* KMSG_MAX_CAPS (asserted in proxy.c) */
#define PROXY_DATA_MAX     4096u     /* KMSG_MAX_BYTES (asserted in proxy.c) */
#define PROXY_ARGS_MAX     400u      /* CONNECTION_ARGS_MAX */
#define PROXY_WHY_MAX      160u
#define PROXY_DS_MAX       (1u << 20)  /* the largest dataspace copied */
#define PROXY_DS_CHUNK     60000u    /* DS bytes per message */
/* The largest message: one link message (FRAME_PAYLOAD_MAX). A CALL with
 * every capability and a full request, and a DS chunk, fit (asserted in
 * proxy_wire.c). */
#define PROXY_MSG_MAX 65536u

enum proxy_kind {
	PROXY_OPEN = 1,
	PROXY_OPENED,
	PROXY_CALL,
	PROXY_REPLY,
	PROXY_SIGNAL,
	PROXY_DS,
	PROXY_CLOSE,
};

enum proxy_cap_kind {
	PROXY_CAP_NONE = 0,   /* no capability (an invalid one was passed) */
	PROXY_CAP_OBJECT = 1, /* an RPC object: the receiver stands in for it */
	PROXY_CAP_SIGNAL = 2, /* a signal source: submits cross as SIGNAL */
	PROXY_CAP_MEMORY = 3, /* a dataspace: a copy, kept current by DS */
	PROXY_CAP_YOURS = 4,  /* the receiver's own object, handed back */
};

/* Outcomes of decoding. */
enum proxy_status {
	PROXY_OK = 0,
	PROXY_TRUNCATED = -1, /* shorter than its fields say */
	PROXY_UNKNOWN_KIND = -2,
	PROXY_BAD_LENGTH = -3, /* a length beyond its bound */
	PROXY_BAD_CAP = -4,    /* unknown cap kind, size where none belongs */
	PROXY_BAD_RANGE = -5,  /* a DS chunk outside its dataspace */
	PROXY_BAD_COUNT = -6,  /* a SIGNAL of no submits */
	PROXY_TRAILING = -7,   /* bytes after the last field */
};

struct proxy_ref {
	uint32_t slot;
	uint64_t nonce;
};

struct proxy_cap {
	uint32_t kind;
	struct proxy_ref ref;
	uint32_t size; /* MEMORY: the dataspace's bytes */
};

/* One message, decoded or to encode; which fields count depends on kind. */
struct proxy_msg {
	uint32_t kind, tag, session;
	struct proxy_ref ref;  /* OPENED CALL SIGNAL DS */
	int32_t status;        /* OPENED REPLY */
	uint32_t count;        /* SIGNAL */
	uint32_t size, offset; /* DS */
	uint32_t cap_count;    /* CALL REPLY */
	struct proxy_cap caps[PROXY_CAPS_MAX];
	uint32_t len; /* OPEN OPENED CALL REPLY DS */
	const uint8_t *data;
};

/* Encodes m into out[PROXY_MSG_MAX]; returns the length, or a negative
 * proxy_status when a field exceeds its bound (nothing to send then). */
long proxy_encode(const struct proxy_msg *m, uint8_t *out);

/* Decodes and checks buf[len] (see the invariants above); m->data points
 * into buf. */
enum proxy_status proxy_decode(const uint8_t *buf, size_t len,
                               struct proxy_msg *m);

/* Words for a proxy_status. */
const char *proxy_strerror(enum proxy_status status);

#endif /* REMOTE_PROXY_WIRE_H */
