/*
 * Core's IO_MEM service (io_mem_service.h): decodes "base=ADDR,
 * size=BYTES" against the board and the ranges held, then creates the
 * device memory object (kdevice_mem_create) that the session hands out.
 *
 * Invariant: the ranges of the sessions are pairwise disjoint, each
 * inside one device of the board, and each session holds the memory
 * object of its range.
 */
#include "io_mem_service.h"

#include <runtime/arg_string.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "io_mem_rpc.h"
#include "root_rpc.h"

struct io_mem_session {
	struct root_session base;
	uint64_t phys, size;
	kcap_t mem;
};

static struct io_mem_service *service_of(struct root_component *root)
{
	return container_of(root, struct io_mem_service, base);
}

static struct io_mem_session *session_of(struct list_elem *e)
{
	return container_of(container_of(e, struct root_session, elem),
	                    struct io_mem_session, base);
}

/* Refuses the range, saying `what` in s->why. */
static int refuse(struct io_mem_service *s, const char **why, uint64_t phys,
                  uint64_t size, const char *what)
{
	snprintf(s->why, sizeof s->why,
	         "base=0x%" PRIx64 " size=0x%" PRIx64 ": %s", phys, size, what);
	*why = s->why;
	return ROOT_ERR_DENIED;
}

static int decode_numbers(const char *raw_args, uint64_t *phys, uint64_t *size,
                          const char **why)
{
	size_t len = strlen(raw_args) + 1;
	int rc = arg_string_get_unsigned(raw_args, len, "base", phys);
	if (rc == ARG_OK)
		rc = arg_string_get_size(raw_args, len, "size", size);
	if (rc == ARG_ERR_NOT_FOUND)
		*why = "an IO_MEM session needs the arguments base=ADDR and "
		       "size=BYTES";
	else if (rc != ARG_OK)
		*why = "the argument base or size is no number";
	return rc == ARG_OK ? 0 : ROOT_ERR_INVALID;
}

/* The device of the board that holds all of the range, or NULL. */
static const struct kdevice *device_of(const struct io_mem_service *s,
                                       uint64_t phys, uint64_t end)
{
	for (size_t i = 0; i < s->device_count; i++) {
		const struct kdevice *d = &s->devices[i];
		if (phys >= d->phys && end <= d->phys + d->size)
			return d;
	}
	return NULL;
}

/* Decode: the range of `raw_args` checked against the board and the
 * sessions (never `self`, which is not served yet). */
static int decode_range(struct io_mem_service *s, struct io_mem_session *self,
                        const char *raw_args, const char **why)
{
	uint64_t phys, size;
	int rc = decode_numbers(raw_args, &phys, &size, why);
	if (rc)
		return rc;
	uint64_t page = kdevice_page_size();
	if (size == 0 || phys > UINT64_MAX - size)
		return refuse(s, why, phys, size,
		              "the range is empty or wraps "
		              "around");
	if (phys % page || size % page)
		return refuse(s, why, phys, size, "not page-aligned");
	if (!device_of(s, phys, phys + size))
		return refuse(s, why, phys, size,
		              "no device of the board "
		              "(never RAM, nor the kernel's own devices)");
	for (struct list_elem *e = root_component_first(&s->base); e;
	     e = list_next(e)) {
		const struct io_mem_session *o = session_of(e);
		if (o != self && phys < o->phys + o->size &&
		    o->phys < phys + size)
			return refuse(s, why, phys, size,
			              "overlaps a range "
			              "another session holds");
	}
	self->phys = phys;
	self->size = size;
	return 0;
}

static int io_mem_create(struct root_component *root, struct root_session *base,
                         const struct session_args *args, const char *raw_args,
                         const char **why)
{
	(void)args;
	struct io_mem_service *s = service_of(root);
	struct io_mem_session *session = container_of(base,
	                                              struct io_mem_session,
	                                              base);
	session->mem = KCAP_INVALID;
	if (s->denied) {
		*why = s->denied;
		return ROOT_ERR_DENIED;
	}
	int rc = decode_range(s, session, raw_args, why);
	if (rc)
		return rc;
	rc = kdevice_mem_create(session->phys, session->size, &session->mem);
	if (rc) {
		session->mem = KCAP_INVALID;
		snprintf(s->why, sizeof s->why,
		         "the kernel refused the device "
		         "memory: %s",
		         kerr_str(rc));
		*why = s->why;
		return rc == KERR_NOMEM ? ROOT_ERR_OUT_OF_RAM : ROOT_ERR_DENIED;
	}
	return 0;
}

/* The range is free again, so no old mapping may outlive the session:
 * the object is revoked (unmapped from every domain: the driver's next
 * access faults) before core closes its capability. */
static void io_mem_destroy(struct root_component *root,
                           struct root_session *base)
{
	(void)root;
	struct io_mem_session *session = container_of(base,
	                                              struct io_mem_session,
	                                              base);
	if (!kcap_valid(session->mem))
		return;
	int rc = kdevice_mem_revoke(session->mem);
	if (rc != 0) /* not expected: the object is the kernel's own answer */
		fprintf(stderr,
		        "core: IO_MEM: revoking the range on close failed: "
		        "%s\n",
		        kerr_str(rc));
	kcap_close(session->mem);
}

static int dataspace_op(rpc_object_t *self, kcap_t *ds, uint64_t *size)
{
	struct io_mem_session *session = container_of(root_session_of(self),
	                                              struct io_mem_session,
	                                              base);
	*ds = session->mem;
	*size = session->size;
	return 0;
}

static const struct io_mem_ops session_ops = { .dataspace = dataspace_op };

static const struct root_component_ops ops = {
	.create = io_mem_create,
	.destroy = io_mem_destroy,
};

int io_mem_service_init(struct io_mem_service *s, entrypoint_t *ep)
{
	memset(s, 0, sizeof *s);
	if (kdevice_board(&s->devices, &s->device_count, &s->denied) == 0)
		s->denied = NULL;
	const struct root_component_config config = {
		CORE_SERVICE_CONFIG("IO_MEM"),
		.iface = &io_mem_rpc,
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct io_mem_session, base),
		.ops = &ops,
	};
	return root_component_init(&s->base, ep, &config);
}

void io_mem_service_dissolve(struct io_mem_service *s)
{
	root_component_dissolve(&s->base);
}
