/*
 * Core's Report service (report_service.h): one session object per
 * client, holding the file name its label maps to and a dataspace mapped
 * in core; submit() writes the file through a temp file and rename.
 */
#include "report_service.h"

#include "report_rpc.h"
#include "root_rpc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct report_session {
	rpc_object_t           obj;       /* first member */
	struct report_service *service;
	struct report_session *next;
	kcap_t                 cap;
	kcap_t                 ds;
	void                  *buffer;    /* ds, mapped */
	size_t                 size;
	char                   name[REPORT_FILE_NAME_MAX + 1];
};

/* --- label to file name ------------------------------------------------ */

static int element_ok(const char *e, size_t len)
{
	if (len == 0 || e[0] == '.')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (e[i] == '/' || (unsigned char)e[i] < 0x20 || e[i] == 0x7f)
			return 0;
	return 1;
}

int report_file_name(const char *label, char *name, size_t size,
                     const char **why)
{
	static const char separator[] = " -> ";
	size_t out = 0;
	const char *e = label;

	for (;;) {
		const char *end = strstr(e, separator);
		size_t len = end ? (size_t)(end - e) : strlen(e);
		if (!element_ok(e, len)) {
			*why = "a report label element is empty, hidden or holds "
			       "'/' or a control character";
			return -1;
		}
		if (out + (out ? 1 : 0) + len >= size ||
		    out + (out ? 1 : 0) + len > REPORT_FILE_NAME_MAX) {
			*why = "the report label is too long for a file name";
			return -1;
		}
		if (out)
			name[out++] = '.';
		memcpy(name + out, e, len);
		out += len;
		if (!end)
			break;
		e = end + strlen(separator);
	}
	name[out] = '\0';
	return 0;
}

/* --- writing ----------------------------------------------------------- */

static int write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, data, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		length -= (size_t)n;
	}
	return 0;
}

/* Replaces report/<name> with `length` bytes of the buffer. */
static int write_report(struct report_session *s, size_t length)
{
	int dir = s->service->dir_fd;
	char temp[REPORT_FILE_NAME_MAX + 16];
	snprintf(temp, sizeof(temp), ".%s.tmp", s->name);
	int fd = openat(dir, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	                O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, s->buffer, length);
	if (rc == 0)
		rc = fsync(fd);
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0)
		rc = renameat(dir, temp, dir, s->name);
	if (rc != 0) {
		int saved = errno;
		unlinkat(dir, temp, 0);
		errno = saved;
		return -1;
	}
	return fsync(dir);
}

static int op_dataspace(rpc_object_t *self, kcap_t *ds, uint64_t *size)
{
	struct report_session *s = (struct report_session *)self;
	*ds = s->ds;
	*size = s->size;
	return 0;
}

static int op_submit(rpc_object_t *self, uint64_t length)
{
	struct report_session *s = (struct report_session *)self;
	if (length > s->size) {
		target_logf(s->service->target, "report '%s' refused: %llu bytes "
		            "exceed its dataspace of %zu", s->name,
		            (unsigned long long)length, s->size);
		return REPORT_ERR_TOO_BIG;
	}
	if (write_report(s, (size_t)length) != 0) {
		target_logf(s->service->target, "cannot write report/%s: %s",
		            s->name, strerror(errno));
		return RPC_ERR_SERVER;
	}
	return 0;
}

static const struct report_ops report_ops = {
	.dataspace = op_dataspace, .submit = op_submit,
};

/* --- sessions ---------------------------------------------------------- */

static struct report_service *report_service_of(struct core_service *svc)
{
	return (struct report_service *)svc;
}

static void report_session_free(struct report_session *s)
{
	if (kcap_valid(s->cap)) {
		entrypoint_dissolve(&s->obj);
		kcap_close(s->cap);
	}
	if (s->buffer)
		kmem_unmap(s->buffer, s->size);
	if (kcap_valid(s->ds))
		kcap_close(s->ds);
	free(s);
}

/* The dataspace size a session's quota pays for. */
static size_t buffer_size(uint64_t ram_quota)
{
	size_t page = kpage_size();
	uint64_t size = ram_quota < REPORT_SERVICE_MAX ? ram_quota
	                                               : REPORT_SERVICE_MAX;
	return (size_t)(size / page * page);
}

static int report_open(struct core_service *svc,
                       const struct session_args *args, const char *raw_args,
                       kcap_t *cap, const char **why)
{
	(void)raw_args;
	struct report_service *rs = report_service_of(svc);
	struct report_session *s = calloc(1, sizeof(*s));
	if (!s) {
		*why = "core is out of memory";
		return ROOT_ERR_OUT_OF_RAM;
	}
	s->service = rs;
	s->cap = KCAP_INVALID;
	s->ds = KCAP_INVALID;
	if (report_file_name(args->label, s->name, sizeof(s->name), why) != 0) {
		report_session_free(s);
		return ROOT_ERR_DENIED;
	}
	s->size = buffer_size(args->ram_quota);
	if (kmem_create(s->size, &s->ds) != 0 ||
	    kmem_map(s->ds, 0, s->size, KMEM_READ | KMEM_WRITE, NULL,
	             &s->buffer) != 0) {
		s->buffer = NULL;
		report_session_free(s);
		*why = "core is out of memory";
		return ROOT_ERR_OUT_OF_RAM;
	}
	if (report_manage(svc->ep, &s->obj, &report_ops, &s->cap) != 0) {
		s->cap = KCAP_INVALID;
		report_session_free(s);
		*why = "core cannot serve another session";
		return ROOT_ERR_DENIED;
	}
	s->next = rs->sessions;
	rs->sessions = s;
	*cap = s->cap;
	return 0;
}

static int report_upgrade(struct core_service *svc, kcap_t cap, uint64_t ram,
                          uint64_t caps)
{
	(void)ram; (void)caps;
	return core_session_lookup(svc->ep, cap, &report_rpc) ? 0
	                                                      : ROOT_ERR_UNKNOWN;
}

static int report_close(struct core_service *svc, kcap_t cap)
{
	struct report_service *rs = report_service_of(svc);
	rpc_object_t *obj = core_session_lookup(svc->ep, cap, &report_rpc);
	if (!obj)
		return ROOT_ERR_UNKNOWN;
	for (struct report_session **at = &rs->sessions; *at; at = &(*at)->next) {
		if (&(*at)->obj == obj) {
			struct report_session *s = *at;
			*at = s->next;
			report_session_free(s);
			return 0;
		}
	}
	return ROOT_ERR_UNKNOWN;
}

static const struct core_service_ops ops = {
	.session = report_open, .upgrade = report_upgrade,
	.close = report_close,
};

int report_service_init(struct report_service *s, entrypoint_t *ep,
                        struct target *target)
{
	char path[PATH_MAX + 16];
	s->target = target;
	s->sessions = NULL;
	snprintf(path, sizeof(path), "%s/report", target->dir);
	s->dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		return KERR_INVALID;
	int rc = core_service_init(&s->base, ep, "Report", &ops);
	if (rc != 0) {
		close(s->dir_fd);
		s->dir_fd = -1;
	}
	return rc;
}

void report_service_dissolve(struct report_service *s)
{
	while (s->sessions) {
		struct report_session *session = s->sessions;
		s->sessions = session->next;
		report_session_free(session);
	}
	core_service_dissolve(&s->base);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	s->dir_fd = -1;
}
