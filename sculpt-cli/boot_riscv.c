/*
 * `sculpt boot --platform qemu-riscv64 PKG`: boots a riscv64 system from
 * the target's depot alone, as tests/riscv/depot-boot.sh does by hand:
 *
 *   1. QEMU and OpenSBI are looked for first, so a missing one costs no
 *      download;
 *   2. the pkg and its closure are installed for arch riscv64 from its
 *      depot user's mirrors (install_pkg_for: every installed archive is
 *      checked against its manifest, a damaged one fetched again);
 *   3. the boot image (kernel/riscv/bootimage.h) is written with the
 *      image writer library to TARGET/sculpt/riscv64.img: module 0 the
 *      root, the bin archive the pkg's runtime file names as "binary";
 *      then the closure's other bin archives in closure order, each
 *      archive's file of its own name; then each file of the closure's
 *      raw archives under its file name (init.config). The kernel is
 *      the bin archive that holds kernel.elf;
 *   4. qemu-system-riscv64 boots the `virt` machine with the kernel and
 *      the image at MODULE_BASE, ended after --timeout seconds.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../kernel/riscv/bootimage.h"
#include "boot_riscv.h"
#include "image_writer.h"
#include "install.h"
#include "lib/state.h"

#define RV_ARCH "riscv64"
#define RV_QEMU "qemu-system-riscv64"
#define RV_OPENSBI "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define RV_MODULE_BASE "0x87000000"  /* MODULE_BASE, kernel/riscv/arch.h */
#define RUNTIME_MAX (64u << 10)

/* The archives of the closure that make the image, in closure order. */
struct rv_parts {
	const char *depot;
	struct depot_name kernel; /* name[0] == 0: none */
	struct depot_name bins[BOOT_MAX_MODULES];
	struct depot_name raws[BOOT_MAX_MODULES];
	unsigned bin_count, raw_count, over; /* over: more than fit */
};

/* The boot modules, the root first. */
struct rv_image {
	char names[BOOT_MAX_MODULES][BOOT_NAME_MAX];
	char paths[BOOT_MAX_MODULES][PATH_MAX];
	struct bootimage_module mods[BOOT_MAX_MODULES];
	unsigned count;
};

/* 0 when `prog` is an executable in $PATH. */
static int find_in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX], file[PATH_MAX];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		if (len > 0 && len < sizeof(dir)) {
			memcpy(dir, path, len);
			dir[len] = '\0';
			if (snprintf(file, sizeof(file), "%s/%s", dir, prog) <
			            (int)sizeof(file) &&
			    access(file, X_OK) == 0)
				return 0;
		}
		path += len + (path[len] == ':');
	}
	return -1;
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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each regular file of the raw archive, in name order, as a module. */
static int add_raw(struct rv_image *img, const char *depot,
                   const struct depot_name *raw, struct sculpt_diag *diag)
{
	char dir[PATH_MAX], path[PATH_MAX], *names[BOOT_MAX_MODULES];
	unsigned count = 0;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int err = 0;

	if (file_in(depot, raw, ".", dir) || !(d = opendir(dir)))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "raw archive '%s' is not "
		                   "installed",
		                   raw->name);
	while (!err && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		            (int)sizeof(path) ||
		    lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (count == BOOT_MAX_MODULES ||
		    !(names[count] = strdup(e->d_name)))
			err = sculpt_fail(diag, SCULPT_E_PKG,
			                  "raw archive '%s' holds "
			                  "too many files",
			                  raw->name);
		else
			count++;
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), by_name);
	for (unsigned i = 0; i < count; i++) {
		if (!err && snprintf(path, sizeof(path), "%s/%s", dir,
		                     names[i]) >= (int)sizeof(path))
			err = sculpt_fail(diag, SCULPT_E_PKG,
			                  "path of '%s' in raw "
			                  "archive '%s' too long",
			                  names[i], raw->name);
		if (!err)
			err = add_module(img, names[i], path, diag);
		free(names[i]);
	}
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
static int assemble(const char *depot, const char *pkg, struct rv_image *img,
                    char kernel[PATH_MAX], struct sculpt_diag *diag)
{
	static struct rv_parts p; /* static: BOOT_MAX_MODULES names per list */
	struct depot_diag about = { { 0 }, { 0 } };
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
	for (unsigned i = 0; !err && i < p.bin_count; i++)
		if (i != r)
			err = add_bin(img, depot, &p.bins[i], diag);
	for (unsigned i = 0; !err && i < p.raw_count; i++)
		err = add_raw(img, depot, &p.raws[i], diag);
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

static int run_qemu(const char *kernel, const char *image,
                    const struct boot_riscv_options *o)
{
	char loader[PATH_MAX + 64];
	const char *argv[24];
	int argc = 0;
	pid_t pid;

	snprintf(loader, sizeof(loader),
	         "loader,file=%s,addr=" RV_MODULE_BASE ",force-raw=on", image);
	const char *fixed[] = { RV_QEMU,    "-machine", "virt",    "-m",
		                "128M",     "-smp",     "1",       "-nographic",
		                "-monitor", "none",     "-serial", "stdio",
		                "-bios",    RV_OPENSBI, "-kernel", kernel,
		                "-device",  loader };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[argc++] = fixed[i];
	if (o->icount) {
		argv[argc++] = "-icount";
		argv[argc++] = "shift=0,sleep=off";
	}
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sculpt: cannot start " RV_QEMU ": %s\n",
		        strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(RV_QEMU, (char *const *)argv);
		fprintf(stderr, "sculpt: cannot run " RV_QEMU ": %s\n",
		        strerror(errno));
		_exit(127);
	}
	return wait_bounded(pid, o->timeout_s);
}

/* QEMU and OpenSBI present, the target made, the image's path known. */
static int prepare(struct sculpt *s, char image[PATH_MAX],
                   struct sculpt_diag *diag)
{
	if (find_in_path(RV_QEMU))
		return sculpt_fail(
			diag, SCULPT_E_USAGE,
			RV_QEMU
			" is not "
			"installed (not in PATH; Debian: qemu-system-misc)");
	if (access(RV_OPENSBI, R_OK) != 0)
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "no OpenSBI firmware '" RV_OPENSBI
		                   "' (Debian: opensbi)");
	if (state_path(s->target, "sculpt", image, diag))
		return SCULPT_E_IO;
	if ((mkdir(s->target, 0755) && errno != EEXIST) ||
	    (mkdir(image, 0755) && errno != EEXIST))
		return sculpt_fail(diag, SCULPT_E_IO, "cannot make '%s': %s",
		                   image, strerror(errno));
	return state_path(s->target, "sculpt/" RV_ARCH ".img", image, diag);
}

int boot_riscv(struct sculpt *s, const char *text,
               const struct boot_riscv_options *options)
{
	static struct rv_image img; /* static: 64 paths of PATH_MAX */
	struct sculpt_diag diag = { "" };
	char pkg[DEPOT_NAME_MAX], depot[PATH_MAX], kernel[PATH_MAX],
		image[PATH_MAX];
	char why[512];
	int err;

	memset(&img, 0, sizeof(img));
	if (prepare(s, image, &diag))
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
	if (assemble(depot, pkg, &img, kernel, &diag))
		return sculpt_report(&diag);
	printf("kernel %s\n", kernel);
	for (unsigned i = 0; i < img.count; i++)
		printf("module %s %s\n", img.names[i], img.paths[i]);
	if (bootimage_write(image, img.mods, img.count, why, sizeof(why))) {
		fprintf(stderr, "sculpt: boot image: %s\n", why);
		return 1;
	}
	printf("booting %s on " BOOT_RISCV_PLATFORM
	       " (image %s, at most %u s%s)\n",
	       pkg, image, options->timeout_s,
	       options->icount ? ", -icount" : "");
	return run_qemu(kernel, image, options);
}
