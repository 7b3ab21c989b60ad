/*
 * Core's RM service (rm_service.h): the map's free space lives in a range
 * allocator (runtime/range_alloc.h); the attached regions, with the
 * dataspace offset each one shows, in a list beside it.
 */
#include "rm_service.h"

#include "rm_rpc.h"
#include "root_rpc.h"

#include <runtime/arg_string.h>
#include <runtime/range_alloc.h>

#include <string.h>

struct rm_region {
	struct rm_region *next;
	uint64_t at, size, offset;
};

/* Everything a session records (its region records and the range
 * allocator's block records) is allocated through the session's quota
 * guard (root_session_allocator), so the client's donation beyond the
 * session's fixed cost bounds it. */
struct rm_session {
	struct root_session base; /* first member */
	uint64_t size;
	struct range_alloc space;
	struct rm_region *regions;
};

static struct rm_session *session_of(rpc_object_t *self)
{
	return (struct rm_session *)self;
}

static int op_size(rpc_object_t *self, uint64_t *size)
{
	*size = session_of(self)->size;
	return 0;
}

/* Decode: the dataspace's extent and the requested window of it. */
static int check_window(kcap_t dataspace, uint64_t offset, uint64_t *size)
{
	size_t ds_size;
	if (kcap_type(dataspace) != KCAP_TYPE_MEMORY ||
	    kmem_size(dataspace, &ds_size) != 0 || offset >= ds_size)
		return RM_ERR_OUT_OF_RANGE;
	if (*size == 0)
		*size = ds_size - offset;
	if (*size > ds_size - offset)
		return RM_ERR_OUT_OF_RANGE;
	size_t page = kpage_size();
	if (offset % page)
		return RM_ERR_OUT_OF_RANGE;
	*size = (*size + page - 1) / page * page;
	return 0;
}

static int place(struct rm_session *rm, uint64_t size, bool use_at, uint64_t at,
                 uint64_t *placed)
{
	if (use_at) {
		if (at >= rm->size || size > rm->size - at || at % kpage_size())
			return RM_ERR_OUT_OF_RANGE;
		if (range_alloc_alloc_addr(&rm->space, (size_t)size,
		                           (uintptr_t)at) != ALLOC_OK)
			return RM_ERR_OVERLAP;
		*placed = at;
		return 0;
	}
	uintptr_t addr;
	int rc = range_alloc_alloc_aligned(&rm->space, (size_t)size, 12, &addr);
	if (rc == ALLOC_ERR_METADATA)
		return RM_ERR_OUT_OF_RAM;
	if (rc != ALLOC_OK)
		return RM_ERR_OUT_OF_RANGE;
	*placed = addr;
	return 0;
}

static int op_attach(rpc_object_t *self, kcap_t dataspace, uint64_t offset,
                     uint64_t size, bool use_at, uint64_t at, bool writable,
                     uint64_t *attached_at)
{
	/* the access (writable) is applied by the client's runtime when it
	 * maps; a sealed ROM refuses a writable mapping there by itself */
	(void)writable;
	struct rm_session *rm = session_of(self);
	int rc = check_window(dataspace, offset, &size);
	if (rc != 0)
		return rc;
	struct allocator *paid = root_session_allocator(&rm->base);
	struct rm_region *region;
	if (allocator_alloc(paid, sizeof(*region), (void **)&region) !=
	    ALLOC_OK)
		return RM_ERR_OUT_OF_RAM;
	rc = place(rm, size, use_at, at, &region->at);
	if (rc != 0) {
		allocator_free(paid, region, sizeof(*region));
		return rc;
	}
	region->size = size;
	region->offset = offset;
	region->next = rm->regions;
	rm->regions = region;
	*attached_at = region->at;
	return 0;
}

static int op_detach(rpc_object_t *self, uint64_t at)
{
	struct rm_session *rm = session_of(self);
	for (struct rm_region **r = &rm->regions; *r; r = &(*r)->next) {
		if ((*r)->at != at)
			continue;
		struct rm_region *region = *r;
		*r = region->next;
		range_alloc_free(&rm->space, (uintptr_t)region->at);
		allocator_free(root_session_allocator(&rm->base), region,
		               sizeof(*region));
		return 0;
	}
	return RM_ERR_NOT_ATTACHED;
}

static int op_region(rpc_object_t *self, uint64_t at, uint64_t *start,
                     uint64_t *size, uint64_t *offset)
{
	for (struct rm_region *r = session_of(self)->regions; r; r = r->next) {
		if (at >= r->at && at - r->at < r->size) {
			*start = r->at;
			*size = r->size;
			*offset = r->offset;
			return 0;
		}
	}
	return RM_ERR_NOT_ATTACHED;
}

static const struct rm_ops rm_ops = {
	.size = op_size,
	.attach = op_attach,
	.detach = op_detach,
	.region = op_region,
};

static void rm_destroy(struct root_component *svc, struct root_session *base)
{
	(void)svc;
	struct rm_session *rm = (struct rm_session *)base;
	while (rm->regions) {
		struct rm_region *r = rm->regions;
		rm->regions = r->next;
		allocator_free(root_session_allocator(base), r, sizeof(*r));
	}
	range_alloc_destroy(&rm->space);
}

static int rm_create(struct root_component *svc, struct root_session *base,
                     const struct session_args *args, const char *raw_args,
                     const char **why)
{
	(void)svc;
	struct rm_session *rm = (struct rm_session *)base;
	uint64_t size = RM_DEFAULT_SIZE;
	if (args->ram_quota < RM_SESSION_RAM_MIN) {
		*why = "ram_quota does not cover a region map (12K at least)";
		return ROOT_ERR_OUT_OF_RAM;
	}
	int rc = arg_string_get_size(raw_args, strlen(raw_args) + 1, "size",
	                             &size);
	size_t page = kpage_size();
	if ((rc != ARG_OK && rc != ARG_ERR_NOT_FOUND) || size == 0 ||
	    size % page || size > (1ull << 47)) {
		*why = "size must be a non-zero multiple of the page size";
		return ROOT_ERR_INVALID;
	}
	if (range_alloc_init(&rm->space, root_session_allocator(base)) !=
	    ALLOC_OK) {
		*why = "core cannot serve another session";
		return ROOT_ERR_DENIED;
	}
	rm->size = size;
	if (range_alloc_add_range(&rm->space, 0, (size_t)size) != ALLOC_OK) {
		range_alloc_destroy(&rm->space);
		*why = "ram_quota does not cover the region map's book-keeping";
		return ROOT_ERR_OUT_OF_RAM;
	}
	return 0;
}

/* An upgrade raises the session's guard (the root component does that);
 * the map needs nothing else. */
static const struct root_component_ops ops = {
	.create = rm_create,
	.destroy = rm_destroy,
};

int rm_service_init(struct rm_service *s, entrypoint_t *ep)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("RM"),
		.iface = &rm_rpc,
		.session_ops = &rm_ops,
		ROOT_SESSION_LAYOUT(struct rm_session, base),
		.ops = &ops,
	};
	return root_component_init(&s->base, ep, &config);
}

void rm_service_dissolve(struct rm_service *s)
{
	root_component_dissolve(&s->base);
}
