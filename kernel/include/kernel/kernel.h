/*
 * The kernel interface: the only door from the component runtime (runtime/)
 * and core (core/) down to the platform. Nothing in here names Linux; the
 * linux platform (kernel/linux/) implements it with Unix sockets, memfds,
 * futexes and pthreads, and a later bare-metal kernel implements the same
 * functions, so a component moves to another platform by relinking.
 *
 * The objects:
 *
 *   capability  A selector (kcap_t) in the calling process's own capability
 *               space that names a kernel object: an IPC endpoint, a memory
 *               object or a signal source. Selectors are local names, like
 *               file descriptors or seL4 CPtrs: knowing another process's
 *               selector numbers grants nothing. A capability moves to
 *               another process only inside an IPC message, where the
 *               receiver gets a fresh selector of its own.
 *
 *   endpoint    The server side of one RPC object. Creating an endpoint
 *               yields the capability that invokes it. Dissolving the
 *               endpoint, or the death of the server process, revokes every
 *               copy of that capability: calls on it fail with KERR_REVOKED,
 *               they never hang.
 *
 *   waitset     What a server thread blocks on: endpoints, signal sources
 *               and streams added to it, each with a cookie that comes back
 *               with the event. A waitset belongs to the thread that
 *               created it.
 *
 *   memory      A memory object (the backing store of a dataspace), mapped
 *               into the caller's address space with kmem_map().
 *
 *   signal      A signal source counts asynchronous notifications. Its
 *               capability lets the holder submit, never receive. Counting is
 *               reliable: N submits arrive as a count of N.
 *
 *   stream      A connected, reliable byte stream to a peer outside this
 *               system (another machine). Only core makes streams (its
 *               Net service, under a policy naming the allowed peers); a
 *               component that got one in a message can read, write and
 *               close it, and can neither reconnect nor re-address it.
 *
 *   thread      Threads with an entry function and stack size, a per-thread
 *               park/unpark primitive on which the runtime builds locks and
 *               semaphores, and cancellation of a blocked thread.
 *
 * Endpoints, waitsets and signal sources belong to the process that
 * created them. A child made by fork() inherits none of them: there,
 * kwaitset_wait() and the kwaitset_add_*() functions fail with
 * KERR_INVALID at once, and kendpoint_dissolve(), kwaitset_destroy() and
 * ksignal_source_destroy() only free the parent's memory. Capabilities,
 * in contrast, are inherited like any descriptor.
 *
 * Errors are negative KERR_* values; kerr_str() turns one into words.
 * Every function that can fail returns 0 (or a non-negative count) on
 * success and a KERR_* value on failure, and leaves its out-parameters
 * untouched on failure.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* --- errors ------------------------------------------------------------ */

enum kerr {
	KERR_OK = 0,
	KERR_INVALID = -1,   /* bad argument or a selector that names nothing */
	KERR_REVOKED = -2,   /* the object was dissolved or its server died */
	KERR_NOMEM = -3,     /* out of memory, selectors or kernel resources */
	KERR_TIMEOUT = -4,   /* the deadline passed before an answer came */
	KERR_CANCELED = -5,  /* another thread canceled this blocking call */
	KERR_TOO_BIG = -6,   /* message over KMSG_MAX_BYTES or KMSG_MAX_CAPS */
	KERR_MALFORMED = -7, /* the peer sent something that is no message */
	KERR_WRONG_TYPE = -8, /* the capability names another kind of object */
	KERR_DENIED = -9,     /* the operation is not permitted here */
	KERR_LIMIT = -10,     /* this process has its full share of the
	                       * object (KENDPOINT_MAX_CLIENT_CHANNELS) */
};

/* A short lowercase description of a KERR_* value, for error messages. */
const char *kerr_str(int err);

/* --- capabilities ------------------------------------------------------ */

typedef struct kcap {
	int32_t sel;
} kcap_t;

#define KCAP_INVALID ((kcap_t){ -1 })

static inline int kcap_valid(kcap_t cap)
{
	return cap.sel >= 0;
}

enum kcap_type {
	KCAP_TYPE_NONE, /* not a capability of this kernel */
	KCAP_TYPE_ENDPOINT,
	KCAP_TYPE_MEMORY,
	KCAP_TYPE_SIGNAL,
	KCAP_TYPE_STREAM,
};

/* Which kind of object a capability names (KCAP_TYPE_NONE for a selector
 * that is empty or names something the kernel interface does not know). */
enum kcap_type kcap_type(kcap_t cap);

/* A second selector for the same object. Closing one leaves the other. */
int kcap_copy(kcap_t cap, kcap_t *copy);

/* Drops this selector. The object lives on while other selectors, here or
 * in other processes, name it. Closing KCAP_INVALID does nothing. A
 * selector must be dropped with this function, never by other means: the
 * kernel interface remembers per thread what a selector names (channels,
 * checked signal capabilities) until a kcap_close() tells it to look
 * again. */
void kcap_close(kcap_t cap);

/* Whether two selectors name the same object (1), different objects (0). */
int kcap_same_object(kcap_t a, kcap_t b);

/* --- messages ------------------------------------------------------------ */

#define KMSG_MAX_BYTES 4096u
#define KMSG_MAX_CAPS  4u

/*
 * An IPC message: up to KMSG_MAX_BYTES of data and up to KMSG_MAX_CAPS
 * capabilities. The kernel interprets neither; the runtime's RPC layer puts
 * its opcode and arguments in `data`.
 *
 * Sending transfers copies of the capabilities in caps[]; the sender keeps
 * its own selectors. Receiving fills caps[] with fresh selectors that the
 * receiver owns and must close.
 */
typedef struct kmsg {
	uint32_t size;
	uint32_t cap_count;
	kcap_t caps[KMSG_MAX_CAPS];
	uint8_t data[KMSG_MAX_BYTES];
} kmsg_t;

/* --- endpoints and IPC --------------------------------------------------- */

typedef struct kendpoint kendpoint_t;
typedef struct kwaitset kwaitset_t;

/* A reply token: which caller a received request came from. It is valid
 * until kipc_reply() or kipc_reply_drop() is called with it. */
typedef struct kreply {
	int32_t channel;
	uint32_t generation;
} kreply_t;

/* The most channels an endpoint keeps open, in all and to one client
 * process. Each thread of a caller that calls through a selector of the
 * endpoint's capability holds one (copies of a capability are separate
 * selectors). Beyond a limit, calls over a new channel fail without
 * reaching the server, with KERR_LIMIT when the calling process has
 * KENDPOINT_MAX_CLIENT_CHANNELS already and with KERR_NOMEM when the
 * endpoint has KENDPOINT_MAX_CHANNELS; calls over channels already open
 * go on working. A channel is given back when its caller thread exits or
 * closes the selector, or its process dies. This bounds what a hostile
 * client can make a server hold, and keeps one client from taking every
 * channel: it takes at most a quarter. The kernel, not the client, says
 * which process a channel comes from. */
#define KENDPOINT_MAX_CHANNELS 256u
#define KENDPOINT_MAX_CLIENT_CHANNELS 64u

/* Creates an endpoint and the capability that invokes it. The capability
 * is the caller's to close or hand out; the endpoint stays alive until
 * kendpoint_dissolve(). */
int kendpoint_create(kendpoint_t **ep, kcap_t *cap);

/* Dissolves the endpoint: every capability to it is revoked, pending and
 * future calls fail with KERR_REVOKED. Removes it from its waitset. */
void kendpoint_dissolve(kendpoint_t *ep);

/* Whether `cap` invokes this endpoint. Servers use it to recognise their
 * own objects when a capability comes back to them in a message. */
int kendpoint_owns(const kendpoint_t *ep, kcap_t cap);

/* Sends `request` to the object named by `cap` and waits for the reply.
 * timeout_ms < 0 waits for ever. On KERR_TIMEOUT the late reply, if one
 * ever comes, is discarded and never mistaken for the reply of a later
 * call. Fails with KERR_REVOKED when the object is gone or its server dies
 * while the call is pending, with KERR_MALFORMED when the server answers
 * with something that is no message, and with KERR_LIMIT or KERR_NOMEM
 * when the call needs a new channel beyond a limit of
 * KENDPOINT_MAX_CHANNELS (the request reached no one). A server takes one request per channel at
 * a time: a caller sends its next request only after the reply. Safe to
 * call from many threads at once, on the same or different capabilities.
 * `request` and `reply` may be the same buffer. On failure reply->size and
 * its capabilities are untouched, but its data bytes may not be. */
int kipc_call(kcap_t cap, const kmsg_t *request, kmsg_t *reply, int timeout_ms);

/* Creates a waitset for the calling thread. */
int kwaitset_create(kwaitset_t **ws);
void kwaitset_destroy(kwaitset_t *ws);

/* Adds an endpoint: requests to it are returned by kwaitset_wait() with
 * `cookie`. An endpoint belongs to at most one waitset. */
int kwaitset_add_endpoint(kwaitset_t *ws, kendpoint_t *ep, void *cookie);

enum kevent_kind {
	KEVENT_REQUEST, /* msg and reply are valid */
	KEVENT_SIGNAL,  /* count holds the number of submits since last time */
	KEVENT_STREAM,  /* a stream added has bytes to read (count is 1) */
};

typedef struct kevent {
	enum kevent_kind kind;
	void *cookie;
	uint32_t count;
	kreply_t reply;
} kevent_t;

/* Blocks until a request or signal arrives at something in the waitset, or
 * timeout_ms passes (< 0: for ever), or kthread_cancel_blocking() is called
 * on the owning thread. A request's message is stored in *msg. Malformed
 * traffic (oversized, truncated, too many capabilities) is dropped inside
 * the kernel interface and never returned. Must be called by the thread
 * that created the waitset (else KERR_DENIED). Fails with KERR_INVALID in
 * a child of the creating process, and when the waitset finds itself
 * broken (an event it cannot consume, on a descriptor that is no longer
 * the kernel interface's): it never spins on an error. */
int kwaitset_wait(kwaitset_t *ws, kevent_t *event, kmsg_t *msg, int timeout_ms);

/* Answers a request received from kwaitset_wait(). A reply to a caller
 * that has gone away is not an error: it returns 0 and is dropped. */
int kipc_reply(kreply_t reply, const kmsg_t *msg);

/* Forgets a request without answering; the caller sees KERR_REVOKED. */
void kipc_reply_drop(kreply_t reply);

/* --- memory objects ---------------------------------------------------- */

enum kmem_flags {
	KMEM_READ = 1u << 0,
	KMEM_WRITE = 1u << 1,
	KMEM_EXEC = 1u << 2,
};

/* Creates a zero-filled memory object of `size` bytes (rounded up to the
 * page size). Its size never changes. */
int kmem_create(size_t size, kcap_t *mem);

/* Allocates every page of a memory object now, for the caller: where the
 * platform charges a page to whoever touches it first (linux: memory
 * cgroups), the creator that paid for the object with a domain's quota
 * is charged, not the domain that maps and fills it, so no domain pays
 * twice. KERR_NOMEM when the memory is not there. */
int kmem_commit(kcap_t mem);

/* Size in bytes of a memory object. */
int kmem_size(kcap_t mem, size_t *size);

/* Makes a memory object read-only for good, for every holder: used for
 * ROM dataspaces. Fails with KERR_DENIED while a writable mapping exists. */
int kmem_seal_readonly(kcap_t mem);

/* Maps [offset, offset+size) of a memory object. With `at` non-NULL the
 * mapping replaces whatever is mapped at that page-aligned address (the
 * caller owns the range, see kvm_reserve()); otherwise the kernel picks. */
int kmem_map(kcap_t mem, size_t offset, size_t size, unsigned flags, void *at,
             void **addr);

/* Unmaps a range mapped by kmem_map(). */
int kmem_unmap(void *addr, size_t size);

/* Reserves `size` bytes of address space with nothing mapped, for a region
 * map to place mappings into, and releases it again. */
int kvm_reserve(size_t size, void **base);
int kvm_release(void *base, size_t size);

/* After kmem_unmap() of a range inside a reservation, this puts the hole
 * back into the reservation so that nothing else can take it. */
int kvm_rereserve(void *addr, size_t size);

size_t kpage_size(void);

/* --- signals ----------------------------------------------------------- */

typedef struct ksignal_source ksignal_source_t;

/* Creates a signal source and the capability that submits to it. */
int ksignal_source_create(ksignal_source_t **src, kcap_t *cap);
void ksignal_source_destroy(ksignal_source_t *src);

/* Adds a signal source to a waitset: its counts are reported as
 * KEVENT_SIGNAL with `cookie`. */
int kwaitset_add_signal(kwaitset_t *ws, ksignal_source_t *src, void *cookie);

/* Removes an endpoint or signal source from the waitset it was added to.
 * Calls pending on the endpoint may fail with KERR_REVOKED; later calls reach
 * it again once it is in a waitset. Signals submitted meanwhile are kept. */
void kwaitset_remove_endpoint(kwaitset_t *ws, kendpoint_t *ep);
void kwaitset_remove_signal(kwaitset_t *ws, ksignal_source_t *src);

/* Submits `count` signals. Never blocks for long and never loses a count;
 * fails with KERR_REVOKED once the source is destroyed. */
int ksignal_submit(kcap_t cap, uint32_t count);

/* --- streams ------------------------------------------------------------ */

/* Reads 1..n bytes of the stream, waiting up to timeout_ms (< 0: for
 * ever). Returns the count, 0 at the end of the stream (the peer closed),
 * KERR_TIMEOUT, KERR_WRONG_TYPE for a capability that names no stream, or
 * KERR_REVOKED when the connection failed (refused, reset, unreachable). */
long kstream_read(kcap_t cap, void *buf, size_t n, int timeout_ms);

/* Writes 1..n bytes, waiting up to timeout_ms for room; returns the count
 * written (perhaps fewer than n) or a KERR_* as kstream_read(). */
long kstream_write(kcap_t cap, const void *buf, size_t n, int timeout_ms);

/* Adds a stream to a waitset, so that one thread can wait for a stream and
 * for signals or requests at once: while the stream has bytes to read, or
 * its end, or an error (the next kstream_read() says which),
 * kwaitset_wait() returns KEVENT_STREAM with `cookie`. It is reported as
 * long as that lasts, so the waiter reads before it waits again. A
 * stream is in at most one waitset; take it out with
 * kwaitset_remove_stream() before closing its capability. KERR_WRONG_TYPE
 * for a capability that names no stream. */
int kwaitset_add_stream(kwaitset_t *ws, kcap_t stream, void *cookie);
void kwaitset_remove_stream(kwaitset_t *ws, kcap_t stream);

/* --- threads and blocking ---------------------------------------------- */

typedef struct kthread kthread_t;

/* Starts a thread running entry(arg) on a stack of `stack_size` bytes (0:
 * the platform default). `name` is for diagnostics. */
int kthread_create(kthread_t **thread, const char *name, size_t stack_size,
                   void (*entry)(void *arg), void *arg);

/* Waits for the thread to return from its entry and frees it. */
int kthread_join(kthread_t *thread);

/* The calling thread (the main thread included). */
kthread_t *kthread_self(void);

const char *kthread_name(const kthread_t *thread);

/* The platform's id of the calling thread, which core needs to apply
 * affinity and priority to it (the CPU session's thread_register). */
uint32_t kthread_native_id(void);

/*
 * Park/unpark: the primitive every blocking operation of the runtime is
 * built on. A thread takes a ticket, checks its condition, and parks with
 * the ticket; an unpark that happened after the ticket was taken makes the
 * park return at once, so no wake-up is ever lost:
 *
 *     uint32_t t = kthread_park_ticket();
 *     while (!condition) {
 *         if (kthread_park(t) == KERR_CANCELED) return KERR_CANCELED;
 *         t = kthread_park_ticket();
 *     }
 *
 * kthread_park() may return 0 spuriously; callers recheck their condition.
 */
uint32_t kthread_park_ticket(void);
int kthread_park(uint32_t ticket);

/* Wakes `thread` from kthread_park(). Safe on a thread that has exited or
 * been joined: a kthread_t stays valid memory for the life of the process,
 * and an unpark that comes too late is at most a spurious wake-up of
 * whichever thread has the record by then. */
void kthread_unpark(kthread_t *thread);

/* Cancels the current or next blocking operation of `thread`
 * (kthread_park, kwaitset_wait): it returns KERR_CANCELED once. Unlike
 * kthread_unpark(), it needs a thread that has not been joined: once the
 * record serves another thread, that one would be canceled. */
void kthread_cancel_blocking(kthread_t *thread);

/* The calling thread has nothing more to do while its domain lives (a
 * component's main thread once component_construct() returned): never
 * returns, and the platform takes back what it can. riscv ends the
 * thread, so its slot of the kernel's fixed pool serves another thread;
 * linux parks it for good, since Linux names a process by its first
 * thread (/proc/PID/cmdline is empty once that one ended). */
_Noreturn void kthread_retire(void);

/* Pins the calling thread to one CPU (a hint; KERR_DENIED where the
 * platform cannot). */
int kthread_pin(unsigned cpu);

/* --- time ---------------------------------------------------------------- */

/* Monotonic time in nanoseconds since an arbitrary start. */
uint64_t kclock_ns(void);

/* --- second-layer confinement ------------------------------------------- */

/* Drops, for good and for every thread of the calling component (those
 * it has and those it makes later), what its platform would let it bring
 * in once its start-up is done. A component calls it then. 0, or
 * KERR_DENIED where the platform cannot.
 *   linux: opening files by path; every later open fails as not
 *     permitted, so that even the files its confinement lets it read (the
 *     system's shared libraries, for the dynamic loader) are out of
 *     reach. Mappings are not touched.
 *   riscv: there are no files; every later executable mapping (kmem_map
 *     with KMEM_EXEC) fails with KERR_DENIED, so the component runs no
 *     code but what it had mapped until then (its image's). */
int kconfine_forbid_open(void);

/* --- start-up ------------------------------------------------------------ */

/* The capabilities this component was started with, in the order its
 * creator gave them (kpd_create() in kernel/pd.h); KCAP_INVALID past the
 * last one. What each index means is the creator's convention: for every
 * component started by core, index 0 is its parent capability. */
kcap_t kboot_cap(unsigned index);

/* --- the component's own process ------------------------------------------ */

/* Makes the calling process ready to run a component on this platform,
 * before anything else of it runs: whatever the platform would otherwise
 * do to it behind the component's back (on Linux: be killed by a write to
 * a full file or a closed pipe, or by Ctrl-C on core's terminal, which is
 * core's to handle) is turned off. libruntime's main() calls it once. */
void kprocess_setup(void);

/* Ends the calling process, every thread of it, with `code` (0..255) as
 * its exit code, at once: nothing of the process runs after. */
_Noreturn void kprocess_exit(int code);

/* How this platform numbers the fault that ended a process (a domain's:
 * kpd_state's code of a killed one, which its parent reads from its PD
 * session): linux by the signal its kernel sent, riscv by the exception
 * (scause) the kernel killed it for. The words for either are
 * libruntime's (runtime/fault_words.h). */
enum kfault_numbering { KFAULT_SIGNAL, KFAULT_EXCEPTION };
enum kfault_numbering kfault_numbering(void);

#endif /* KERNEL_KERNEL_H */
