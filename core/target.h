/*
 * The target directory core runs on (core/README.md, "The target
 * directory"): boot modules in boot/, config ROMs in config/, one log file
 * per top-level component in log/, reports in report/, installed archives
 * in depot/. This module opens the layout, reads boot and config modules
 * into sealed ROM dataspaces, and writes log lines, so the services never
 * build paths themselves (files of depot/ are depot_rom.h's).
 *
 * Module names are single file names: no '/', not "." or "..", not hidden,
 * at most TARGET_NAME_MAX bytes. A module is looked up in config/ first,
 * then in boot/ (TARGET_IN_CONFIG | TARGET_IN_BOOT), or in boot/ only.
 */
#ifndef CORE_TARGET_H
#define CORE_TARGET_H

#include "terminal_limit.h"

#include <kernel/kernel.h>

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define TARGET_NAME_MAX 64
/* A log file grows to this many bytes, then is kept as <name>.log.1 (the
 * one before is dropped) and a new one begins: a component that floods its
 * output costs at most twice the limit on disk. */
#define TARGET_LOG_LIMIT_DEFAULT ((uint64_t)16 << 20)
/* A config or boot module is copied whole into a memory object of core's
 * when a ROM session asks for it, so its size is bounded: a component
 * whose ROM route names a huge file (or /dev/zero's kin: only regular
 * files are read) makes core copy no more than this. core --module-limit
 * changes it. */
#define TARGET_MODULE_LIMIT_DEFAULT ((uint64_t)64 << 20)

struct target {
	char dir[PATH_MAX];
	int boot_fd, config_fd, log_fd; /* directory descriptors */
	int depot_fd; /* DIR/depot/, -1 when the target has none */
	/* Log lines come from the entrypoint, core's main thread and the
	 * reader of domain output (domain_output.h); the lock keeps each
	 * line whole in the terminal and the files. */
	pthread_mutex_t log_lock;
	uint64_t log_limit;             /* bytes per log file, 0: no limit */
	uint64_t module_limit;          /* bytes of a config or boot module */
	struct terminal_limit terminal; /* under log_lock */
};

/* Which file a module was read from, to notice that it was replaced. */
struct module_stamp {
	int found; /* 0: the module does not exist */
	uint64_t dev, ino, size;
	int64_t mtime_ns;
};

/* Where a module is looked up: config/ then boot/, or boot/ only. */
enum target_where {
	TARGET_IN_CONFIG_OR_BOOT,
	TARGET_IN_BOOT,
};

/* Opens DIR's layout, creating log/, report/ and config/ if missing.
 * boot/ must exist, unless TARGET_BOOT_OPTIONAL (core boots from the
 * depot); depot/ may be absent. -1 with a message in err on failure. */
#define TARGET_BOOT_OPTIONAL 1u
int target_open_with(struct target *t, const char *dir, unsigned flags,
                     char *err, size_t err_size);
void target_close(struct target *t);

/* Whether `name` may name a module (see the top of this file). */
int target_module_name_ok(const char *name);

/* Where module `name` is now (stamp->found 0 if nowhere). */
void target_module_stamp(const struct target *t, enum target_where where,
                         const char *name, struct module_stamp *stamp);

/* Reads module `name` into a new sealed, read-only memory object.
 * 0, KERR_INVALID for a name that is refused or a module that does not
 * exist, KERR_TOO_BIG for one of more than t->module_limit bytes (its size
 * is in *size then, for the message), KERR_NOMEM. *size is the module's
 * size in bytes. */
int target_read_module(const struct target *t, enum target_where where,
                       const char *name, kcap_t *mem, size_t *size,
                       struct module_stamp *stamp);

/* Copies `size` bytes of file `fd` into a new memory object, calling
 * `each` (if not NULL) on every piece copied, in order, and seals it
 * read-only. 0, KERR_NOMEM, or KERR_INVALID when the file is shorter
 * (depot_rom.h hashes what it copies this way). */
int target_copy_sealed(int fd, size_t size,
                       void (*each)(void *arg, const void *piece, size_t len),
                       void *arg, kcap_t *mem);

/* Appends "[label] line" to log/<first label element>.log, which is moved
 * to ....log.1 once it holds t->log_limit bytes (TARGET_LOG_LIMIT_DEFAULT
 * after target_open_with), and writes it to standard output within the rate
 * limit t->terminal (terminal_limit.h; the defaults after target_open_with):
 * for the lines beyond it, a "[core]" note says how many of which label
 * were dropped from the terminal. Control characters in the line are
 * shown as '?', so a component cannot forge terminal output. Any thread
 * may call it (not after target_close()); a line longer than the LOG
 * limit (1000 bytes) plus a label is cut. */
void target_log(struct target *t, const char *label, const char *line);

/* Core's own messages, labelled "core". */
void target_logf(struct target *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
