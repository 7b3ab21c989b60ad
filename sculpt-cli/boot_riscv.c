/*
 * `sculpt boot --platform qemu-riscv64 PKG`: boots a riscv64 system from
 * the target's depot alone, as tests/riscv/depot-boot.sh does by hand:
 *
 *   1. QEMU, OpenSBI and riscv-console are looked for first, so a
 *      missing one costs no download;
 *   2. the pkg and its closure are installed for arch riscv64 from its
 *      depot user's mirrors (install_pkg_for: every installed archive is
 *      checked against its manifest, a damaged one fetched again);
 *   3. the boot image (kernel/riscv/bootimage.h) is written with the
 *      image writer library to TARGET/sculpt/riscv64.img: module 0 the
 *      root, the bin archive the pkg's runtime file names as "binary";
 *      then the closure's other bin archives in closure order, each
 *      archive's file of its own name, or, for one of several programs
 *      (remote), each file as a depot archive's (ARCHIVE/FILE, which
 *      core serves), with the pkg itself, so that init starts the
 *      proxies from it as the harness's image lets it; then each file of the closure's
 *      raw archives under its file name (init.config). The kernel is
 *      the bin archive that holds kernel.elf. A pkg that brings no
 *      init.config (riscv_base) boots as linux's base pkg does: the
 *      composition, empty at first, becomes generation 1 when the target
 *      has no configuration yet. When sculpt applied a
 *      generation (TARGET/config/init.config), it goes in as module
 *      config/init.config, which core serves in front of the pkg's own,
 *      with the files of the archives its pkg children need as modules
 *      ARCHIVE/FILE (core/riscv/depot_modules.c): the machine boots
 *      what sculpt applied, as linux core reads TARGET/config/;
 *   4. qemu-system-riscv64 boots the `virt` machine with the kernel and
 *      the image at MODULE_BASE; its console goes through riscv-console,
 *      which writes TARGET/log/, TARGET/report/ and TARGET/domains as
 *      linux core does, and the control channel (control_channel()) is
 *      the fifo target_control.h records, over which sculpt pushes each
 *      config it applies. QEMU's pid goes to TARGET/sculpt/core.pid.
 *      Detached (the default), QEMU and riscv-console run in sessions of
 *      their own, the console's text in TARGET/log/boot.out, until QEMU
 *      is stopped, and sculpt waits until init runs the generation; with
 *      --foreground the text goes to stdout and QEMU is ended after
 *      --timeout seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <assert.h>

#include <cjson/cJSON.h>

#include "../kernel/riscv/bootimage.h"
#include "boot_riscv.h"
#include "target_net.h"
#include "image_writer.h"
#include "install.h"
#include "lib/state.h"
#include "push_files.h"
#include "target_archives.h"
#include "target_control.h"

#define RV_QEMU "qemu-system-riscv64"
#define RV_OPENSBI "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define RV_MODULE_BASE "0x87000000"  /* MODULE_BASE, kernel/riscv/arch.h */
#define RUNTIME_MAX (64u << 10)
#define RV_CONSOLE "riscv-console"

/* The archives of the closure that make the image, in closure order. */
struct rv_parts {
	const char *depot;
	struct depot_name kernel; /* name[0] == 0: none */
	struct depot_name bins[BOOT_MAX_MODULES];
	struct depot_name raws[BOOT_MAX_MODULES];
	unsigned bin_count, raw_count, over; /* over: more than fit */
};

/* The boot modules, the root first, and the archives they hold as
 * depot ROMs (what the machine has from its start, target_archives.h). */
struct rv_image {
	char names[BOOT_MAX_MODULES][BOOT_NAME_MAX];
	char paths[BOOT_MAX_MODULES][PATH_MAX];
	struct bootimage_module mods[BOOT_MAX_MODULES];
	unsigned count;
	struct machine_record machine;
};

static_assert(MACHINE_IMAGE_MAX == BOOT_MAX_MODULES,
              "an image's archives fit the machine's record");

/* 0 with its path in `out` when `prog` is an executable in $PATH. */
static int find_in_path(const char *prog, char out[PATH_MAX])
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		if (len > 0 && len < sizeof(dir)) {
			memcpy(dir, path, len);
			dir[len] = '\0';
			if (snprintf(out, PATH_MAX, "%s/%s", dir, prog) <
			            PATH_MAX &&
			    access(out, X_OK) == 0)
				return 0;
		}
		path += len + (path[len] == ':');
	}
	return -1;
}

/* riscv-console beside this sculpt (the build's bin/, or where `make
 * install` put both), else from $PATH: 0 with its path in `out`. */
static int find_console(char out[PATH_MAX])
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (len > 0) {
		self[len] = '\0';
		slash = strrchr(self, '/');
		if (slash &&
		    snprintf(out, PATH_MAX, "%.*s/" RV_CONSOLE,
		             (int)(slash - self), self) < PATH_MAX &&
		    access(out, X_OK) == 0)
			return 0;
	}
	return find_in_path(RV_CONSOLE, out);
}

static int file_in(const char *depot, const struct depot_name *name,
                   const char *file, char out[PATH_MAX])
{
	char text[DEPOT_NAME_MAX];

	depot_name_format(name, text);
	return snprintf(out, PATH_MAX, "%s/%s/%s", depot, text, file) >=
	                       PATH_MAX
	               ? -1
	               : 0;
}

/* A depot_archive_fn: sorts the closure into kernel, bins and raws. */
static int collect(void *ctx, const struct depot_name *name)
{
	struct rv_parts *p = ctx;
	char path[PATH_MAX];

	if (strcmp(name->kind, "bin") == 0) {
		if (!p->kernel.name[0] &&
		    !file_in(p->depot, name, "kernel.elf", path) &&
		    access(path, F_OK) == 0)
			p->kernel = *name;
		else if (p->bin_count < BOOT_MAX_MODULES)
			p->bins[p->bin_count++] = *name;
		else
			p->over = 1;
	} else if (strcmp(name->kind, "raw") == 0) {
		if (p->raw_count < BOOT_MAX_MODULES)
			p->raws[p->raw_count++] = *name;
		else
			p->over = 1;
	}
	return 0;
}

/* The "binary" of the pkg's runtime file into root. */
static int root_of(const char *depot, const char *pkg,
                   char root[DEPOT_PART_MAX], struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *f;
	cJSON *json;
	const cJSON *binary;
	int err = 0;

	if (snprintf(path, sizeof(path), "%s/%s/runtime", depot, pkg) >=
	            (int)sizeof(path) ||
	    !(f = fopen(path, "r")))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "pkg '%s' has no runtime "
		                   "file '%s'",
		                   pkg, path);
	text = malloc(RUNTIME_MAX + 1);
	if (text)
		len = fread(text, 1, RUNTIME_MAX + 1, f);
	fclose(f);
	if (!text || len > RUNTIME_MAX) {
		free(text);
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "cannot read '%s' (or over "
		                   "%u bytes)",
		                   path, RUNTIME_MAX);
	}
	json = cJSON_ParseWithLength(text, len);
	free(text);
	binary = cJSON_GetObjectItemCaseSensitive(json, "binary");
	if (!cJSON_IsString(binary) || !binary->valuestring[0] ||
	    strlen(binary->valuestring) >= DEPOT_PART_MAX)
		err = sculpt_fail(diag, SCULPT_E_PKG,
		                  "the runtime file of '%s' "
		                  "names no \"binary\" (the root: core)",
		                  pkg);
	else
		snprintf(root, DEPOT_PART_MAX, "%s", binary->valuestring);
	cJSON_Delete(json);
	return err;
}

static int add_module(struct rv_image *img, const char *name, const char *path,
                      struct sculpt_diag *diag)
{
	if (img->count == BOOT_MAX_MODULES)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "more than %u boot modules",
		                   BOOT_MAX_MODULES);
	if (strlen(name) >= BOOT_NAME_MAX || strlen(path) >= PATH_MAX)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "module name '%s' is over %u "
		                   "bytes",
		                   name, BOOT_NAME_MAX - 1);
	snprintf(img->names[img->count], BOOT_NAME_MAX, "%s", name);
	snprintf(img->paths[img->count], PATH_MAX, "%s", path);
	img->mods[img->count].name = img->names[img->count];
	img->mods[img->count].path = img->paths[img->count];
	img->count++;
	return 0;
}

/* The bin archive's file of its own name as module NAME. */
static int add_bin(struct rv_image *img, const char *depot,
                   const struct depot_name *bin, struct sculpt_diag *diag)
{
	char path[PATH_MAX];

	if (file_in(depot, bin, bin->name, path) || access(path, R_OK) != 0)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "bin archive '%s' for " RV_ARCH
		                   " has no file '%s'",
		                   bin->name, bin->name);
	return add_module(img, bin->name, path, diag);
}

/* The files of the archive core serves (push_files.h: top-level,
 * regular, in name order), each as a module: FILE, or with `depot_path`
 * ARCHIVE/FILE (a depot ROM), as a pushed archive frame holds them. */
static int add_files(struct rv_image *img, const char *depot,
                     const struct depot_name *raw, int depot_path,
                     struct sculpt_diag *diag)
{
	char dir[PATH_MAX], path[PATH_MAX], *names[BOOT_MAX_MODULES];
	char archive[DEPOT_NAME_MAX], module[BOOT_NAME_MAX], why[512];
	unsigned count = 0;
	int err = 0;

	depot_name_format(raw, archive);
	if (file_in(depot, raw, ".", dir) ||
	    push_archive_names(dir, names, BOOT_MAX_MODULES, &count, why,
	                       sizeof(why)))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "archive '%s' is not installed, or "
		                   "unreadable (%s)",
		                   archive, why);
	for (unsigned i = 0; !err && i < count; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >=
		            (int)sizeof(path) ||
		    snprintf(module, sizeof(module), "%s%s%s",
		             depot_path ? archive : "", depot_path ? "/" : "",
		             names[i]) >= (int)sizeof(module))
			err = sculpt_fail(diag, SCULPT_E_PKG,
			                  "path of '%s' in "
			                  "archive '%s' too long",
			                  names[i], archive);
		if (!err)
			err = add_module(img, module, path, diag);
	}
	push_names_free(names, count);
	return err;
}

/* Archive `a` as core serves a depot archive (each file as module
 * ARCHIVE/FILE, as tests/riscv-scenarios' image and a pushed archive hold
 * them), recorded as the machine's; nothing when the image has it. */
static int add_depot_archive(struct rv_image *img, const char *depot,
                             const struct depot_name *a,
                             struct sculpt_diag *diag)
{
	char name[DEPOT_NAME_MAX];
	int err;

	depot_name_format(a, name);
	if (machine_record_has(&img->machine, name))
		return 0;
	err = add_files(img, depot, a, 1, diag);
	if (!err)
		err = machine_record_add(&img->machine, name, 0, 0, diag);
	return err;
}

/* The archives of the closures of the applied generation's pkg
 * children, each once. */
struct config_archives {
	struct depot_name names[BOOT_MAX_MODULES];
	unsigned count, over;
};

static int collect_all(void *ctx, const struct depot_name *name)
{
	struct config_archives *a = ctx;
	unsigned i = 0;

	while (i < a->count && memcmp(&a->names[i], name, sizeof(*name)) != 0)
		i++;
	if (i < a->count)
		return 0;
	if (a->count == BOOT_MAX_MODULES)
		a->over = 1;
	else
		a->names[a->count++] = *name;
	return 0;
}

/* The generation sculpt applied last, TARGET/config/init.config, as
 * module config/init.config (in front of the pkg's init.config), and
 * the files of its pkg children's archives as ARCHIVE/FILE, each archive
 * checked against its manifest first and recorded in img->machine;
 * nothing when there is none. */
static int add_applied(struct sculpt *s, struct rv_image *img,
                       const char *depot, struct sculpt_diag *diag)
{
	static struct config_archives a; /* static: 64 names */
	struct runtime_config *config = NULL;
	struct depot_diag about = { { 0 }, { 0 } };
	char path[PATH_MAX], name[DEPOT_NAME_MAX];
	int err = sculpt_running(s, &config, diag);

	if (err || !config)
		return err;
	memset(&a, 0, sizeof(a));
	err = target_archives_of_config(depot, config, 0, collect_all, &a,
	                                diag);
	runtime_config_free(config);
	if (!err && a.over)
		err = sculpt_fail(diag, SCULPT_E_PKG,
		                  "the applied generation needs more archives "
		                  "than a boot image has modules (%u)",
		                  BOOT_MAX_MODULES);
	for (unsigned i = 0; !err && i < a.count; i++) {
		depot_name_format(&a.names[i], name);
		if (machine_record_has(&img->machine, name))
			continue; /* the pkg's own (assemble) */
		err = depot_verify(depot, &a.names[i], &about);
		if (err)
			err = sculpt_depot_fail(diag, err, &about);
		else
			err = add_files(img, depot, &a.names[i], 1, diag);
		/* the machine has it: nothing of it is pushed */
		depot_name_format(&a.names[i], name);
		if (!err && strcmp(a.names[i].kind, "src") != 0 &&
		    strcmp(a.names[i].kind, "api") != 0)
			err = machine_record_add(&img->machine, name, 0, 0,
			                         diag);
	}
	if (!err)
		err = state_path(s->target, "config/init.config", path, diag);
	if (!err)
		err = add_module(img, "config/init.config", path, diag);
	return err;
}

/* The index of bin archive `name` in p, or p->bin_count. */
static unsigned bin_named(const struct rv_parts *p, const char *name)
{
	unsigned i = 0;

	while (i < p->bin_count && strcmp(p->bins[i].name, name) != 0)
		i++;
	return i;
}

/* The modules of pkg `pkg` (installed, with its version) and its kernel. */
static int has_module(const struct rv_image *img, const char *name)
{
	for (unsigned i = 0; i < img->count; i++)
		if (strcmp(img->names[i], name) == 0)
			return 1;
	return 0;
}

static int assemble(struct sculpt *s, const char *depot, const char *pkg,
                    struct rv_image *img, char kernel[PATH_MAX],
                    struct sculpt_diag *diag)
{
	static struct rv_parts p; /* static: BOOT_MAX_MODULES names per list */
	struct depot_diag about = { { 0 }, { 0 } };
	char version[32];
	struct depot_name name;
	char root[DEPOT_PART_MAX];
	unsigned r;
	int err;

	memset(&p, 0, sizeof(p));
	p.depot = depot;
	depot_name_parse(pkg, &name, &about);
	err = depot_closure(depot, &name, RV_ARCH, collect, &p, &about);
	if (err)
		return sculpt_depot_fail(diag, err, &about);
	if (p.over)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "pkg '%s' has more archives "
		                   "than a boot image has modules (%u)",
		                   pkg, BOOT_MAX_MODULES);
	if (!p.kernel.name[0] ||
	    file_in(depot, &p.kernel, "kernel.elf", kernel))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "pkg '%s' brings no kernel "
		                   "(no bin archive for " RV_ARCH
		                   " with kernel.elf)",
		                   pkg);
	err = root_of(depot, pkg, root, diag);
	r = err ? 0 : bin_named(&p, root);
	if (!err && r == p.bin_count)
		err = sculpt_fail(diag, SCULPT_E_PKG,
		                  "pkg '%s' lists no archive "
		                  "'%s', its root (its bin archive for " RV_ARCH
		                  " is wanted)",
		                  pkg, root);
	if (!err)
		err = add_bin(img, depot, &p.bins[r], diag);
	/* A bin archive of one program as boot module NAME; one of several
	 * programs (remote: the four proxies) and the pkg itself as depot
	 * archives, from which init starts what a config's "node" names
	 * ("pkg": the proxies), as in the harness's image. */
	unsigned as_depot = 0;
	for (unsigned i = 0; !err && i < p.bin_count; i++) {
		char own[PATH_MAX];
		if (i == r)
			continue;
		if (!file_in(depot, &p.bins[i], p.bins[i].name, own) &&
		    access(own, R_OK) == 0) {
			err = add_bin(img, depot, &p.bins[i], diag);
		} else {
			err = add_depot_archive(img, depot, &p.bins[i], diag);
			as_depot++;
		}
	}
	if (!err && as_depot > 0)
		err = add_depot_archive(img, depot, &name, diag);
	for (unsigned i = 0; !err && i < p.raw_count; i++)
		err = add_files(img, depot, &p.raws[i], 0, diag);
	/* A pkg without init's config of its own (a base system like
	 * riscv_base) boots as linux's base does: the composition, empty at
	 * first, becomes generation 1 when the target has none. */
	if (!err && !has_module(img, "init.config"))
		err = sculpt_first_config(s, version, diag);
	if (!err)
		err = add_applied(s, img, depot, diag);
	return err;
}

/* Waits for `pid` at most timeout_s seconds, then ends it: its exit
 * status, 124 when it was ended. */
static int wait_bounded(pid_t pid, unsigned timeout_s)
{
	const struct timespec tick = { 0, 50 * 1000000L };
	unsigned long ticks = (unsigned long)timeout_s * 20, grace = 40;
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (ticks == 0) {
			kill(pid, grace ? SIGTERM : SIGKILL);
			if (grace == 0) {
				waitpid(pid, &status, 0);
				return 124;
			}
			grace--;
			if (waitpid(pid, &status, WNOHANG) == pid)
				return 124;
		} else {
			ticks--;
		}
		nanosleep(&tick, NULL);
	}
	if (ticks == 0)
		return 124;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The control channel (target_control.h): the one place that knows how
 * the machine reads the fifo `fifo`, adding QEMU's arguments for it to
 * argv (`chardev`, of at least PATH_MAX + 32 bytes, holds the last) and
 * returning the fd that is to be QEMU's stdin (close-on-exec), or -1.
 * It is core's virtio console (core/riscv/virtio_console.c): the C twin
 * of tests/riscv/qemu-control.sh, which the shell harnesses source. QEMU
 * opens the fifo read-write itself, so it reads no end between sculpt's
 * pushes; its stdin is /dev/null. Core's frames to the host and its own
 * lines go out on a second virtio console, whose output is the fifo
 * `frames` (made here, beside `fifo`, into frames[PATH_MAX];
 * `frames_chardev` as large as `chardev`), which riscv-console reads
 * (--frames). Last, the virtio entropy device that core serves the
 * components' getentropy() from (core/riscv/entropy_service.h). A comma
 * would end QEMU's option value early, so a path with one is refused. */
static int control_channel(const char *fifo, const char **argv, int *argc,
                           char *chardev, char *frames_chardev,
                           size_t chardev_size, char frames[PATH_MAX])
{
	const char *slash = strrchr(fifo, '/');
	int dir_len = slash ? (int)(slash - fifo) + 1 : 0;

	if (strchr(fifo, ',') ||
	    snprintf(frames, PATH_MAX, "%.*sframes", dir_len, fifo) >=
	            PATH_MAX ||
	    snprintf(chardev, chardev_size, "pipe,id=control,path=%s", fifo) >=
	            (int)chardev_size ||
	    snprintf(frames_chardev, chardev_size, "pipe,id=frames,path=%s",
	             frames) >= (int)chardev_size) {
		errno = EINVAL;
		return -1;
	}
	if ((unlink(frames) && errno != ENOENT) || mkfifo(frames, 0600))
		return -1;
	const char *args[] = {
		"-global",
		"virtio-mmio.force-legacy=false",
		"-device",
		"virtio-serial-device,id=control-serial",
		"-device",
		"virtconsole,bus=control-serial.0,chardev=control",
		"-chardev",
		chardev,
		"-device",
		"virtio-serial-device,id=frames-serial",
		"-device",
		"virtserialport,bus=frames-serial.0,nr=1,chardev=frames",
		"-chardev",
		frames_chardev,
		"-device", /* core's Entropy service (tests/riscv/qemu-control.sh) */
		"virtio-rng-device"
	};
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		argv[(*argc)++] = args[i];
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

struct machine {
	pid_t qemu, console;
};

/* In a child: fds 0, 1 and 2 from in, out and err, a session of its own
 * when `detach`, then `argv`; never returns. */
static void exec_as(const char *const *argv, int in, int out, int err,
                    int detach)
{
	if (detach)
		setsid();
	if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(err, STDERR_FILENO) < 0)
		_exit(127);
	/* a machine that outlives sculpt holds none of its caller's pipes
	 * open (a caller reading sculpt's output to its end would wait) */
	if (detach)
		closefrom(STDERR_FILENO + 1);
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "sculpt: cannot run '%s': %s\n", argv[0],
	        strerror(errno));
	_exit(127);
}

/* Starts QEMU on the image, its console (stdout and stderr) into a pipe
 * that riscv-console reads, which writes the target's files and its text
 * to text_fd. */
static int start_machine(struct sculpt *s, const char *kernel,
                         const char *image, const char *console,
                         const char *fifo, int text_fd,
                         const struct boot_riscv_options *o,
                         const struct target_net *net, struct machine *m,
                         struct sculpt_diag *diag)
{
	char loader[PATH_MAX + 64], chardev[PATH_MAX + 32],
		frames_chardev[PATH_MAX + 32], frames[PATH_MAX];
	const char *argv[40 + TARGET_NET_ARGS_MAX];
	const char *const console_argv[] = { console,   "--frames",
		                             frames,    "--linux-lines",
		                             s->target, NULL };
	int argc = 0, control, out[2];

	snprintf(loader, sizeof(loader),
	         "loader,file=%s,addr=" RV_MODULE_BASE ",force-raw=on", image);
	const char *fixed[] = { RV_QEMU,    "-machine", "virt",    "-m",
		                "128M",     "-smp",     "1",       "-nographic",
		                "-monitor", "none",     "-serial", "stdio",
		                "-bios",    RV_OPENSBI, "-kernel", kernel,
		                "-device",  loader };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[argc++] = fixed[i];
	control = control_channel(fifo, argv, &argc, chardev, frames_chardev,
	                          sizeof(chardev), frames);
	for (int i = 0; i < net->argc; i++)
		argv[argc++] = net->argv[i];
	if (o->icount) {
		argv[argc++] = "-icount";
		argv[argc++] = "shift=0,sleep=off";
	}
	argv[argc] = NULL;
	if (control < 0)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot open the control channel '%s': %s",
		                   fifo, strerror(errno));
	if (pipe2(out, O_CLOEXEC)) {
		close(control);
		return sculpt_fail(diag, SCULPT_E_IO, "cannot make a pipe: %s",
		                   strerror(errno));
	}
	fflush(NULL);
	m->qemu = fork();
	if (m->qemu == 0)
		exec_as(argv, control, out[1], out[1], !o->foreground);
	close(control);
	close(out[1]);
	m->console = m->qemu < 0 ? -1 : fork();
	if (m->console == 0)
		exec_as(console_argv, out[0], text_fd,
		        o->foreground ? STDERR_FILENO : text_fd,
		        !o->foreground);
	close(out[0]);
	if (m->console < 0) {
		if (m->qemu > 0)
			kill(m->qemu, SIGKILL);
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot start " RV_QEMU ": %s",
		                   strerror(errno));
	}
	return 0;
}

/* QEMU, OpenSBI and riscv-console present, the target made, the image's
 * path known. */
static int prepare(struct sculpt *s, char image[PATH_MAX],
                   char console[PATH_MAX], struct sculpt_diag *diag)
{
	struct target_control running = { .fd = -1 };
	struct sculpt_diag ignored;
	char qemu[PATH_MAX];

	/* a machine reads the recorded channel: a second would take the
	 * target's files and the channel from it */
	if (target_control_open(s->target, &running, &ignored) == 0 &&
	    running.fd >= 0) {
		target_control_close(&running);
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "target '%s' runs already (stop it first: "
		                   "kill $(cat %s/sculpt/core.pid))",
		                   s->target, s->target);
	}
	if (find_in_path(RV_QEMU, qemu))
		return sculpt_fail(
			diag, SCULPT_E_USAGE,
			RV_QEMU
			" is not "
			"installed (not in PATH; Debian: qemu-system-misc)");
	if (access(RV_OPENSBI, R_OK) != 0)
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "no OpenSBI firmware '" RV_OPENSBI
		                   "' (Debian: opensbi)");
	if (find_console(console))
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   RV_CONSOLE
		                   " is neither beside sculpt nor in "
		                   "PATH (it is built with sculpt: make all)");
	if (state_path(s->target, "sculpt", image, diag))
		return SCULPT_E_IO;
	if ((mkdir(s->target, 0755) && errno != EEXIST) ||
	    (mkdir(image, 0755) && errno != EEXIST))
		return sculpt_fail(diag, SCULPT_E_IO, "cannot make '%s': %s",
		                   image, strerror(errno));
	return state_path(s->target, "sculpt/" RV_ARCH ".img", image, diag);
}

/* Where the console's text goes: stdout, or detached TARGET/log/boot.out
 * (made anew); -1 after a message in diag. */
static int text_output(struct sculpt *s, int foreground,
                       struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	int fd;

	if (foreground)
		return STDOUT_FILENO;
	if (state_path(s->target, "log", path, diag))
		return -1;
	if (mkdir(path, 0755) && errno != EEXIST) {
		sculpt_fail(diag, SCULPT_E_IO, "cannot make '%s': %s", path,
		            strerror(errno));
		return -1;
	}
	if (state_path(s->target, "log/boot.out", path, diag))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		sculpt_fail(diag, SCULPT_E_IO, "cannot write '%s': %s", path,
		            strerror(errno));
	return fd;
}

/* Detached: waits until init runs the generation applied last (when
 * there is one: the pkg's own config makes no state report). */
static int await_init(struct sculpt *s, const struct machine *m,
                      const struct boot_riscv_options *o,
                      struct sculpt_diag *diag)
{
	struct runtime_config empty = { 0 };
	char path[PATH_MAX], version[32], why[512];
	unsigned current = 0;
	int err = state_path(s->target, "config/init.config", path, diag);

	if (!err && access(path, F_OK) == 0)
		err = state_current(s->target, &current, diag);
	if (err || current == 0) {
		if (!err)
			printf("the machine runs as process %ld; its console "
			       "in %s/log/boot.out\n",
			       (long)m->qemu, s->target);
		return err;
	}
	snprintf(version, sizeof(version), "generation %u", current);
	if (sculpt_watch(s, version, &empty, o->timeout_s, why, sizeof(why)))
		return sculpt_fail(diag, SCULPT_E_GENERATION,
		                   "target '%s' booted, but init does not run "
		                   "%s: %s (see %s/log/boot.out)",
		                   s->target, version, why, s->target);
	printf("init runs %s; logs in %s/log/, stop with 'kill %ld'\n", version,
	       s->target, (long)m->qemu);
	return 0;
}

/* The machine's files, fifo and record of archives (`has`) made, the
 * machine started; core.pid written. */
static int boot_machine(struct sculpt *s, const char *kernel, const char *image,
                        const struct machine_record *has, const char *console,
                        const struct boot_riscv_options *o,
                        const struct target_net *net, struct machine *m,
                        struct sculpt_diag *diag)
{
	char fifo[PATH_MAX], path[PATH_MAX], pid_text[32];
	int text_fd, err = target_control_make(s->target, fifo, diag);

	if (!err)
		err = target_archives_booted(s->target, has, diag);
	if (!err)
		err = target_net_boot(s->target, net, diag);

	/* a state report of an earlier run says nothing of this one */
	if (!err)
		err = state_path(s->target, "report/init.state", path, diag);
	if (!err && unlink(path) && errno != ENOENT)
		err = sculpt_fail(diag, SCULPT_E_IO, "cannot remove '%s': %s",
		                  path, strerror(errno));
	if (err)
		return err;
	text_fd = text_output(s, o->foreground, diag);
	if (text_fd < 0)
		return SCULPT_E_IO;
	err = start_machine(s, kernel, image, console, fifo, text_fd, o, net, m,
	                    diag);
	if (text_fd != STDOUT_FILENO)
		close(text_fd);
	if (err)
		return err;
	snprintf(pid_text, sizeof(pid_text), "%ld\n", (long)m->qemu);
	if (!state_path(s->target, "sculpt/core.pid", path, diag))
		state_write(path, pid_text, strlen(pid_text), diag);
	return 0;
}

int boot_riscv(struct sculpt *s, const char *text,
               const struct boot_riscv_options *options)
{
	static struct rv_image img;   /* static: 64 paths of PATH_MAX */
	static struct target_net net; /* static: its ports' words */
	struct sculpt_diag diag = { "" };
	struct machine m = { -1, -1 };
	char pkg[DEPOT_NAME_MAX], depot[PATH_MAX], kernel[PATH_MAX],
		image[PATH_MAX], console[PATH_MAX], held[PATH_MAX];
	char why[512];
	int err, status;

	memset(&img, 0, sizeof(img));
	if (prepare(s, image, console, &diag))
		return sculpt_report(&diag);
	/* a policy that cannot be wired fails before any download */
	if (target_net_read(s->target, &net, &diag))
		return sculpt_report(&diag);
	err = install_pkg_for(s, text, RV_ARCH, pkg, &diag);
	if (err) {
		sculpt_report(&diag);
		if (err == SCULPT_E_DEPOT)
			fprintf(stderr,
			        "sculpt: '%s' cannot be installed for " RV_ARCH
			        ": does its user publish riscv64 bin archives of it?\n",
			        text);
		return 1;
	}
	printf("installed %s for " RV_ARCH "\n", pkg);
	sculpt_depot_dir(s, depot);
	if (assemble(s, depot, pkg, &img, kernel, &diag) ||
	    (net.present &&
	     (target_net_record_policy(s->target, &net, held, &diag) ||
	      add_module(&img, "config/net.policy", held, &diag))))
		return sculpt_report(&diag);
	printf("kernel %s\n", kernel);
	for (unsigned i = 0; i < img.count; i++)
		printf("module %s %s\n", img.names[i], img.paths[i]);
	if (bootimage_write(image, img.mods, img.count, why, sizeof(why))) {
		fprintf(stderr, "sculpt: boot image: %s\n", why);
		return 1;
	}
	if (options->foreground)
		printf("booting %s on " BOOT_RISCV_PLATFORM
		       " (image %s, at most %u s%s)\n",
		       pkg, image, options->timeout_s,
		       options->icount ? ", -icount" : "");
	else
		printf("booting %s on " BOOT_RISCV_PLATFORM " (image %s%s)\n",
		       pkg, image, options->icount ? ", -icount" : "");
	if (boot_machine(s, kernel, image, &img.machine, console, options, &net,
	                 &m, &diag))
		return sculpt_report(&diag);
	if (!options->foreground)
		return await_init(s, &m, options, &diag) ? sculpt_report(&diag)
		                                         : 0;
	status = wait_bounded(m.qemu, options->timeout_s);
	waitpid(m.console, NULL, 0);
	return status;
}
