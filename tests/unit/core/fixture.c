/*
 * The fixture of core's unit tests (fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include "root_rpc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	fputs(text, file);
	assert_int_equal(fclose(file), 0);
}

struct fixture *fixture_create(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/core-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/boot", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/boot/module", f->dir);
	write_file(path, "hello boot");
	char err[256];
	assert_int_equal(target_open_with(&f->target, f->dir, 0, err,
	                                  sizeof(err)),
	                 0);
	fixture_write_config(f, "conf", "version 1");
	assert_int_equal(entrypoint_create(&f->ep, "core-test"), 0);
	assert_int_equal(core_services_init(&f->services, f->ep, &f->target),
	                 0);
	return f;
}

void fixture_destroy(struct fixture *f)
{
	core_services_dissolve(&f->services);
	entrypoint_destroy(f->ep);
	target_close(&f->target);
	char command[PATH_MAX + 16];
	snprintf(command, sizeof(command), "rm -rf '%s'", f->dir);
	assert_int_equal(system(command), 0);
	free(f);
}

void fixture_write_config(struct fixture *f, const char *name, const char *text)
{
	char tmp[PATH_MAX + 80], path[PATH_MAX + 80];
	snprintf(tmp, sizeof(tmp), "%s/config/.%s.tmp", f->dir, name);
	snprintf(path, sizeof(path), "%s/config/%s", f->dir, name);
	write_file(tmp, text);
	assert_int_equal(rename(tmp, path), 0);
}

size_t fixture_read(struct fixture *f, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX + 80];
	snprintf(full, sizeof(full), "%s/%s", f->dir, path);
	int fd = open(full, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return (size_t)n;
}

int fixture_session(struct root_component *svc, const char *args, kcap_t *cap)
{
	return root_session(svc->cap, args, cap);
}
