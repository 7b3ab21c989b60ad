/*
 * Core's Report service (report_service.h): one session object per
 * client, holding the file name its label maps to and a dataspace (mapped
 * in core only while submit() writes it); submit() hands the report to the platform's sink
 * (report_sink.h), which replaces the file whole. Shared by both
 * platforms. A
 * file lives as long as a session holds its name: the last session of a
 * name to close removes it, so what a component leaves in report/ is
 * bounded by the quota of the sessions it keeps open.
 */
#include "report_service.h"

#include "core_platform.h"
#include "report_rpc.h"
#include "root_rpc.h"

#include <runtime/session_args.h>

#include <string.h>

_Static_assert(REPORT_FILE_NAME_MAX == (size_t)TARGET_NAME_MAX * 4,
               "a report name is at most four module names long");

struct report_session {
	struct root_session base; /* first member */
	struct report_service *service;
	kcap_t ds;
	size_t size;
	char name[REPORT_FILE_NAME_MAX + 1];
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

/* The file name of a report label, into name[size]. 0, or -1 with the
 * reason in *why. */
static int report_file_name(const char *label, char *name, size_t size,
                            const char **why)
{
	size_t out = 0;
	const char *next;

	for (const char *e = label; e; e = next) {
		size_t len = session_label_element(e, &next);
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
	}
	name[out] = '\0';
	return 0;
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
		target_logf(s->service->target,
		            "report '%s' refused: %llu bytes "
		            "exceed its dataspace of %zu",
		            s->name, (unsigned long long)length, s->size);
		return REPORT_ERR_TOO_BIG;
	}
	/* mapped only while it is written: core keeps no mapping per
	 * session (riscv bounds a domain's mappings, 32) */
	const char *why = "core cannot map the report";
	void *at = NULL;
	int rc = length ? kmem_map(s->ds, 0, s->size, KMEM_READ, NULL, &at) : 0;
	if (rc == 0) {
		rc = report_sink_write(s->service->sink, s->name, at ? at : "",
		                       (size_t)length, &why);
		if (at)
			kmem_unmap(at, s->size);
	}
	if (rc != 0) {
		target_logf(s->service->target, "cannot write report/%s: %s",
		            s->name, why);
		return RPC_ERR_SERVER;
	}
	return 0;
}

static const struct report_ops report_ops = {
	.dataspace = op_dataspace,
	.submit = op_submit,
};

/* --- sessions ---------------------------------------------------------- */

/* Another open session than `self` whose file name is `name`, or NULL. */
static struct report_session *holder_of(struct root_component *svc,
                                        const struct report_session *self,
                                        const char *name)
{
	for (struct list_elem *e = root_component_first(svc); e;
	     e = list_next(e)) {
		struct report_session *s = (struct report_session *)
			container_of(e, struct root_session, elem);
		if (s != self && strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* Releases what report_create took; removes the file when no other
 * session holds its name (not on core's shutdown: the last reports stay
 * for a person to read, until core starts again). */
static void report_destroy(struct root_component *svc,
                           struct root_session *base)
{
	struct report_session *s = (struct report_session *)base;
	struct report_service *service = (struct report_service *)svc;
	const char *why = "";
	if (s->name[0] && !service->keep_files && !holder_of(svc, s, s->name) &&
	    report_sink_remove(service->sink, s->name, &why) != 0)
		target_logf(service->target, "cannot remove report/%s: %s",
		            s->name, why);
	if (kcap_valid(s->ds))
		kcap_close(s->ds);
}

/* The dataspace size a session's quota pays for. */
static size_t buffer_size(uint64_t ram_quota)
{
	size_t page = kpage_size();
	uint64_t size = ram_quota < REPORT_SERVICE_MAX ? ram_quota
	                                               : REPORT_SERVICE_MAX;
	return (size_t)(size / page * page);
}

static int report_create(struct root_component *svc, struct root_session *base,
                         const struct session_args *args, const char *raw_args,
                         const char **why)
{
	(void)raw_args;
	struct report_session *s = (struct report_session *)base;
	s->service = (struct report_service *)svc;
	s->ds = KCAP_INVALID;
	if (report_file_name(args->label, s->name, sizeof(s->name), why) != 0) {
		s->name[0] = '\0';
		return ROOT_ERR_DENIED;
	}
	/* "a -> b.c" and "a.b -> c" name one file: the first label to hold
	 * it keeps it, so that no component replaces another's report */
	struct report_session *holder = holder_of(svc, s, s->name);
	if (holder && strcmp(holder->base.label, s->base.label) != 0) {
		s->name[0] = '\0';
		*why = "the report's file name is held by a session of another "
		       "label";
		return ROOT_ERR_DENIED;
	}
	s->size = buffer_size(args->ram_quota);
	if (kmem_create(s->size, &s->ds) != 0 || kmem_commit(s->ds) != 0) {
		report_destroy(svc, base);
		*why = "core is out of memory";
		return ROOT_ERR_OUT_OF_RAM;
	}
	return 0;
}

static const struct root_component_ops ops = {
	.create = report_create,
	.destroy = report_destroy,
};

int report_service_init(struct report_service *s, entrypoint_t *ep,
                        struct target *target)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("Report"),
		.iface = &report_rpc,
		.session_ops = &report_ops,
		ROOT_SESSION_LAYOUT(struct report_session, base),
		.ops = &ops,
	};
	s->target = target;
	s->keep_files = 0;
	int rc = report_sink_open(target, &s->sink);
	if (rc != 0)
		return rc;
	rc = root_component_init(&s->base, ep, &config);
	if (rc != 0) {
		report_sink_close(s->sink);
		s->sink = NULL;
	}
	return rc;
}

void report_service_keep_files(struct report_service *s)
{
	s->keep_files = 1;
}

void report_service_dissolve(struct report_service *s)
{
	report_service_keep_files(s);
	root_component_dissolve(&s->base);
	report_sink_close(s->sink);
	s->sink = NULL;
}
