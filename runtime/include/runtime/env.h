/*
 * The component environment of libruntime: what a component gets when it
 * starts (core/README.md, "Component start-up").
 *
 * libruntime provides main(). It takes the parent capability
 * (kboot_cap(0)), opens the environment sessions through the parent — PD
 * (the component's own PD session: the quota pool it runs in), CPU and
 * LOG — creates the entrypoint, installs a heap on the PD's RAM quota, and
 * calls the component's
 *
 *     void component_construct(env_t *env);
 *
 * on the main thread. When that returns, the entrypoint serves on; the
 * component ends with env_exit(). A component is a program that defines
 * component_construct() and no main().
 *
 * Sessions go through the parent in two steps (parent.rpc): env_session()
 * files the request, waits for the session signal (bounded by
 * ENV_SESSION_TIMEOUT_MS) and takes the capability. Every function here is
 * safe to call from any thread, the entrypoint's handlers included.
 *
 * Second layer of confinement: a component that needs no file at all
 * after its start-up (everything comes through its sessions) calls
 * kconfine_forbid_open() (kernel.h), e.g. at the end of
 * component_construct(); then not even the shared libraries that the
 * first layer lets the loader read can be opened, by any of its threads
 * (linux; on riscv, with no files, no code can be mapped any more).
 *
 * Errors are the status codes of the parent interface (PARENT_ERR_* of
 * parent_rpc.h, or a KERR_*); runtime_strerror() (runtime/error.h) says
 * them in words.
 */
#ifndef RUNTIME_ENV_H
#define RUNTIME_ENV_H

#include <stddef.h>
#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/allocator.h>
#include <runtime/connection.h>
#include <runtime/entrypoint.h>
#include <runtime/error.h>

#define ENV_SESSION_TIMEOUT_MS 10000

struct env_private;

typedef struct env {
	kcap_t parent; /* kboot_cap(0) */
	kcap_t pd;     /* own PD session (pd.rpc) */
	kcap_t cpu;    /* CPU session (cpu.rpc) */
	kcap_t log;    /* LOG session (log.rpc) */
	entrypoint_t *ep;
	struct allocator *heap;          /* RAM dataspaces of the PD, mapped */
	uint32_t main_thread, ep_thread; /* ids at the CPU session */
	struct env_private *priv;
} env_t;

/* Exit codes of a component whose start-up failed, before there was a
 * LOG session to say why (core reports "'NAME' exited with code N"; the
 * reason goes to stderr too, which core logs as the domain's). */
enum env_exit_code {
	ENV_EXIT_NO_PARENT = 120, /* not started by core or init */
	ENV_EXIT_NO_ENTRYPOINT,   /* 121 */
	ENV_EXIT_NO_PD,           /* 122: the parent gave no PD session */
	ENV_EXIT_NO_CPU,          /* 123 */
	ENV_EXIT_NO_LOG,          /* 124 */
	ENV_EXIT_NO_THREADS,      /* 125: the CPU session refused a thread */
	ENV_EXIT_NO_HEAP,         /* 126 */
};

/* Implemented by the component. */
void component_construct(env_t *env);

/* Writes formatted text to the LOG session, one LOG line per text line.
 * When the LOG session has ended under the component (a write fails with
 * KERR_REVOKED: its server went away, or the parent moved the session to
 * a new route), it is opened anew through the parent (connection_reopen())
 * and the line written again; a session moved once more before the line
 * is on it is reopened again, up to 4 times per line. If a reopen fails,
 * its status is returned (the line is lost) and the next env_log tries
 * again. Lines
 * from several threads are written one thread at a time. */
int env_log(env_t *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Opens a session at `service` with the argument string `args` (label,
 * ram_quota, cap_quota, service-specific ones). Missing quota arguments
 * are filled in with ram_quota=ENV_DEFAULT_RAM_QUOTA and
 * cap_quota=ENV_DEFAULT_CAP_QUOTA. On success *cap is the session
 * capability and *id the parent's id of the session (for env_close()).
 * When the component's PD has less free than the session donates, it
 * asks its parent for the difference (a resource request, as the heap
 * does) and waits until the parent answers, then tries again; it fails
 * with PARENT_ERR_OUT_OF_RAM/_CAPS only when the parent takes no
 * requests (core) or the server wants more than the donation.
 */
#define ENV_DEFAULT_RAM_QUOTA "8K"
#define ENV_DEFAULT_CAP_QUOTA "4"
int env_session(env_t *env, const char *service, const char *args, kcap_t *cap,
                uint32_t *id);

/* Closes a session opened with env_session(); the parent returns its
 * quota. The capability should be closed by the caller. */
int env_close(env_t *env, uint32_t id);

/* Donates ram_quota bytes and cap_quota capabilities more to the open
 * session `id` (parent.rpc upgrade); short of quota, it asks the parent
 * and waits, as env_session() does. */
int env_upgrade(env_t *env, uint32_t id, uint64_t ram_quota,
                uint64_t cap_quota);

/* Serves a service: makes `root` a root component on the component's
 * entrypoint (runtime/root_component.h) and announces it at the parent
 * under config->name. On failure it logs why ("cannot serve NAME: ...")
 * and returns the status; nothing is left served. */
struct root_component;
struct root_component_config;
int env_serve(env_t *env, struct root_component *root,
              const struct root_component_config *config);

/* A ROM module, mapped read-only. `data` holds `size` bytes and stays
 * valid until the next env_rom_update() or env_rom_close(). */
typedef struct env_rom {
	connection_t connection; /* the ROM session */
	kcap_t sigh;             /* env_rom_sigh's signal (a copy), to be
	                              registered again at a reopened session */
	kcap_t dataspace;
	const char *data;
	size_t size;
	size_t mapped;
	uint32_t version;
} env_rom_t;

/* Opens the ROM session with label `name` and maps its content; a module
 * that does not exist (yet) leaves data NULL and size 0 (rom.rpc
 * `unavailable`). */
int env_rom_open(env_t *env, const char *name, env_rom_t *rom);

/* The same with further session arguments `extra` (an argument string
 * such as `rom_from="depot", archive="..."`, or NULL) after the label;
 * KERR_INVALID when they do not fit. */
int env_rom_open_args(env_t *env, const char *name, const char *extra,
                      env_rom_t *rom);

/* Fetches the module's current content (after its signal). When the ROM
 * session has ended under the component (KERR_REVOKED: its server went
 * away, or the parent moved the session to a new route), the session is
 * opened anew with the same label and quota (connection_reopen()), the
 * signal of env_rom_sigh() registered at it again and the content
 * fetched once more; once per call, never in a loop. If the reopen fails,
 * its status is returned, the old content stays mapped, and the next call
 * tries again. */
int env_rom_update(env_rom_t *rom);

/* Registers a signal capability submitted when the module changes (and
 * keeps a copy of it, for a session opened anew). From then on the ROM
 * session is watched (connection.h, "Watching"): when it ends, the
 * runtime opens it anew as soon as a server answers, registers the
 * signal there and submits it, so a client that waits for its signal is
 * woken and its env_rom_update() reads the new server's content.
 * KCAP_INVALID unregisters and stops watching. `rom` must stay in place
 * while it is watched (until env_rom_close()). */
int env_rom_sigh(env_rom_t *rom, kcap_t signal);

void env_rom_close(env_rom_t *rom);

/* Tells the parent that the component is done and ends the process with
 * `code`. */
_Noreturn void env_exit(env_t *env, int code);

/*
 * Yield requests (runtime/init/README.md, "Quota downgrade"): a parent
 * that lowers the component's quota asks it to free memory it uses. On
 * every request libruntime calls the component's yield handler, if one is
 * registered, with what the parent wants back (bytes and capabilities),
 * then gives back every heap dataspace with no block in use, then
 * answers the parent. The handler runs on the entrypoint, like the
 * component's other handlers; it frees what it can spare (heap blocks it
 * caches, dataspaces it holds) and returns; it must not wait for
 * anything. What is not freed in time the parent may take by restarting
 * the component. A later call replaces the handler; fn NULL removes it.
 */
typedef void (*env_yield_fn)(void *ctx, uint64_t ram, uint64_t caps);
void env_yield_handler(env_t *env, env_yield_fn fn, void *ctx);

#endif /* RUNTIME_ENV_H */
