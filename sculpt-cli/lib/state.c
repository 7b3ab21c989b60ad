/*
 * The sculpt state directory (state.h): paths, whole-file reads, atomic
 * replacement, the working composition and the numbered generations.
 */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/runtime_config.h"

enum { GENERATION_TEXT_MAX = RUNTIME_CONFIG_INPUT_MAX };

int state_path(const char *target, const char *relative, char out[PATH_MAX],
               struct sculpt_diag *diag)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", target, relative);

	if (n < 0 || n >= PATH_MAX)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "path of '%s' in target '%s' "
		                   "is too long",
		                   relative, target);
	return 0;
}

static int io_fail(struct sculpt_diag *diag, const char *what, const char *path)
{
	return sculpt_fail(diag, SCULPT_E_IO, "cannot %s '%s': %s", what, path,
	                   strerror(errno));
}

int state_read(const char *path, size_t max, char **text, size_t *length,
               bool *missing, struct sculpt_diag *diag)
{
	FILE *file = fopen(path, "rb");
	char *data;
	size_t got;

	*text = NULL;
	if (length)
		*length = 0;
	if (missing)
		*missing = !file && errno == ENOENT;
	if (!file)
		return io_fail(diag, "read", path);
	data = malloc(max + 1);
	if (!data) {
		fclose(file);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	got = fread(data, 1, max + 1, file);
	if (ferror(file) || got > max) {
		int failed = ferror(file);

		fclose(file);
		free(data);
		if (failed)
			return io_fail(diag, "read", path);
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "'%s' is larger than %zu "
		                   "bytes",
		                   path, max);
	}
	fclose(file);
	data[got] = '\0';
	*text = data;
	if (length)
		*length = got;
	return 0;
}

/* mkdir -p of the directory that holds `path`. */
static int make_parent(const char *path, struct sculpt_diag *diag)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strchr(dir + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return io_fail(diag, "make directory", dir);
		*slash = '/';
	}
	return 0;
}

static int write_all(int fd, const char *text, size_t length)
{
	while (length) {
		ssize_t n = write(fd, text, length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		length -= (size_t)n;
	}
	return 0;
}

int state_write(const char *path, const char *text, size_t length,
                struct sculpt_diag *diag)
{
	char temporary[PATH_MAX];
	int fd, err;

	if (snprintf(temporary, sizeof(temporary), "%s.tmp-%ld", path,
	             (long)getpid()) >= (int)sizeof(temporary))
		return sculpt_fail(diag, SCULPT_E_IO, "path '%s' is too long",
		                   path);
	err = make_parent(path, diag);
	if (err)
		return err;
	fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return io_fail(diag, "create", temporary);
	if (write_all(fd, text, length) || fsync(fd)) {
		err = io_fail(diag, "write", temporary);
		close(fd);
		unlink(temporary);
		return err;
	}
	close(fd);
	if (rename(temporary, path)) {
		err = io_fail(diag, "replace", path);
		unlink(temporary);
		return err;
	}
	return 0;
}

/* The parent_provides of the target's current init.config, or NULL. */
static struct runtime_config *running_config(const char *target)
{
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;
	struct runtime_config *config = NULL;
	struct runtime_config_error error;

	if (state_path(target, "config/init.config", path, NULL) ||
	    state_read(path, RUNTIME_CONFIG_INPUT_MAX, &text, &length, NULL,
	               NULL))
		return NULL;
	if (runtime_config_parse(text, length, &config, &error))
		config = NULL;
	free(text);
	return config;
}

static int new_composition(const char *target, struct sculpt_composition **out,
                           struct sculpt_diag *diag)
{
	static const char *const core[] = { "ROM", "LOG", "PD", "CPU", "RM" };
	struct runtime_config *running = running_config(target);

	if (running)
		*out = composition_new((const char *const *)
		                               running->parent_provides.names,
		                       running->parent_provides.count);
	else
		*out = composition_new(core, sizeof(core) / sizeof(core[0]));
	runtime_config_free(running);
	return *out ? 0 : sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
}

int state_load_composition(const char *target, struct sculpt_composition **out,
                           struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;
	bool missing = false;
	int err = state_path(target, "sculpt/composition.json", path, diag);

	if (!err)
		err = state_read(path, COMPOSITION_INPUT_MAX, &text, &length,
		                 &missing, diag);
	if (err && missing)
		return new_composition(target, out, diag);
	if (err)
		return err;
	err = composition_parse(text, length, out, diag);
	free(text);
	if (err == SCULPT_E_COMPOSITION) {
		char why[SCULPT_DIAG_MAX];

		snprintf(why, sizeof(why), "%s", diag->message);
		sculpt_fail(diag, err, "'%s': %s", path, why);
	}
	return err;
}

int state_save_composition(const char *target,
                           const struct sculpt_composition *composition,
                           struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = composition_to_json(composition);
	int err;

	if (!text)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	err = state_path(target, "sculpt/composition.json", path, diag);
	if (!err)
		err = state_write(path, text, strlen(text), diag);
	free(text);
	return err;
}

int state_current(const char *target, unsigned *generation,
                  struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = NULL, *end;
	bool missing = false;
	unsigned long n;
	int err = state_path(target, "sculpt/current", path, diag);

	*generation = 0;
	if (!err)
		err = state_read(path, 32, &text, NULL, &missing, diag);
	if (err || !text)
		return missing ? 0 : err;
	errno = 0;
	n = strtoul(text, &end, 10);
	err = errno || end == text || (*end && *end != '\n') ||
	      n > 1000000000ul;
	free(text);
	if (err)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "'%s' holds no generation "
		                   "number",
		                   path);
	*generation = (unsigned)n;
	return 0;
}

/* The newest generation below `below` (0: none) into *newest. */
static int each_generation(const char *target, unsigned *newest, unsigned below,
                           struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	DIR *dir;
	struct dirent *entry;
	int err = state_path(target, "sculpt/generations", path, diag);

	*newest = 0;
	if (err)
		return err;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : io_fail(diag, "list", path);
	while ((entry = readdir(dir))) {
		char *end;
		unsigned long n = strtoul(entry->d_name, &end, 10);

		if (end != entry->d_name && !*end && n < below && n > *newest &&
		    entry->d_name[0] != '0')
			*newest = (unsigned)n;
	}
	closedir(dir);
	return 0;
}

int state_previous(const char *target, unsigned below, unsigned *generation,
                   struct sculpt_diag *diag)
{
	return each_generation(target, generation, below, diag);
}

static int generation_file(const char *target, const char *dir,
                           const char *file, char out[PATH_MAX],
                           struct sculpt_diag *diag)
{
	char relative[PATH_MAX];

	snprintf(relative, sizeof(relative), "sculpt/generations/%s/%s", dir,
	         file);
	return state_path(target, relative, out, diag);
}

int state_newest(const char *target, unsigned *generation,
                 struct sculpt_diag *diag)
{
	return each_generation(target, generation, ~0u, diag);
}

int state_record(const char *target, unsigned generation,
                 const char *composition, const char *config,
                 struct sculpt_diag *diag)
{
	char name[32], work[32], path[PATH_MAX], final[PATH_MAX];
	int err;

	snprintf(name, sizeof(name), "%u", generation);
	snprintf(work, sizeof(work), ".%u.tmp-%ld", generation, (long)getpid());
	err = generation_file(target, work, "composition.json", path, diag);
	if (!err)
		err = state_write(path, composition, strlen(composition), diag);
	if (!err)
		err = generation_file(target, work, "init.config", path, diag);
	if (!err)
		err = state_write(path, config, strlen(config), diag);
	if (!err)
		err = generation_file(target, work, "", path, diag);
	if (!err)
		err = generation_file(target, name, "", final, diag);
	/* rename refuses to replace a directory that holds files */
	if (!err && rename(path, final))
		err = io_fail(diag, "record generation", final);
	return err;
}

int state_forget(const char *target, unsigned generation,
                 struct sculpt_diag *diag)
{
	static const char *const files[] = { "composition.json",
		                             "init.config" };
	char name[32], gone[32], path[PATH_MAX], final[PATH_MAX];
	int err;

	snprintf(name, sizeof(name), "%u", generation);
	snprintf(gone, sizeof(gone), ".%u.gone-%ld", generation,
	         (long)getpid());
	err = generation_file(target, name, "", path, diag);
	if (!err)
		err = generation_file(target, gone, "", final, diag);
	/* out of sight at once; what is left of it is hidden */
	if (!err && rename(path, final))
		return io_fail(diag, "forget generation", path);
	for (size_t i = 0; !err && i < sizeof(files) / sizeof(files[0]); i++) {
		err = generation_file(target, gone, files[i], path, diag);
		if (!err && unlink(path) && errno != ENOENT)
			err = io_fail(diag, "remove", path);
	}
	if (!err && rmdir(final))
		err = io_fail(diag, "remove", final);
	return err;
}

int state_generation(const char *target, unsigned n, char **composition,
                     char **config, struct sculpt_diag *diag)
{
	char dir[32], path[PATH_MAX];
	bool missing = false;
	int err;

	*composition = *config = NULL;
	snprintf(dir, sizeof(dir), "%u", n);
	err = generation_file(target, dir, "composition.json", path, diag);
	if (!err)
		err = state_read(path, COMPOSITION_INPUT_MAX, composition, NULL,
		                 &missing, diag);
	if (!err)
		err = generation_file(target, dir, "init.config", path, diag);
	if (!err)
		err = state_read(path, GENERATION_TEXT_MAX, config, NULL,
		                 &missing, diag);
	if (err) {
		free(*composition);
		*composition = NULL;
		if (missing)
			return sculpt_fail(diag, SCULPT_E_GENERATION,
			                   "generation %u "
			                   "of target '%s' does not exist",
			                   n, target);
	}
	return err;
}

int state_set_current(const char *target, unsigned generation,
                      struct sculpt_diag *diag)
{
	char path[PATH_MAX], text[32];
	int err = state_path(target, "sculpt/current", path, diag);

	snprintf(text, sizeof(text), "%u\n", generation);
	return err ? err : state_write(path, text, strlen(text), diag);
}
