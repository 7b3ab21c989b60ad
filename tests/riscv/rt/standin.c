/*
 * PD, CPU and LOG of a child of the riscv suite's stand-in roots
 * (standin.h): the part tests/riscv/rt/core.c and rt/devroot.c serve
 * alike.
 */
#include "standin.h"

#include <runtime/container_of.h>
#include <kernel/kernel.h>

#include "cpu_rpc.h"
#include "log_rpc.h"
#include "pd_rpc.h"

#include <stdio.h>
#include <string.h>

static int alloc_op(rpc_object_t *self, uint64_t size, kcap_t *ds)
{
	struct standin_basics *c = container_of(self, struct standin_basics,
	                                        pd);
	for (unsigned i = 0; i < STANDIN_DATASPACES; i++)
		if (!kcap_valid(c->dataspaces[i])) {
			if (kmem_create((size_t)size, &c->dataspaces[i]))
				return PD_ERR_OUT_OF_RAM;
			*ds = c->dataspaces[i];
			return 0;
		}
	return PD_ERR_OUT_OF_CAPS;
}

static int free_op(rpc_object_t *self, kcap_t ds)
{
	struct standin_basics *c = container_of(self, struct standin_basics,
	                                        pd);
	for (unsigned i = 0; i < STANDIN_DATASPACES; i++)
		if (kcap_valid(c->dataspaces[i]) &&
		    kcap_same_object(c->dataspaces[i], ds)) {
			kcap_close(c->dataspaces[i]);
			c->dataspaces[i] = KCAP_INVALID;
			return 0;
		}
	return PD_ERR_NOT_OURS;
}

static int quota_op(rpc_object_t *self, uint64_t *ram_limit, uint64_t *ram_used,
                    uint64_t *cap_limit, uint64_t *cap_used)
{
	(void)self;
	*ram_limit = 32u << 20;
	*ram_used = 0;
	*cap_limit = 64;
	*cap_used = 0;
	return 0;
}

static const struct pd_ops pd_ops = {
	.alloc = alloc_op,
	.free = free_op,
	.quota = quota_op,
};

static int affinity_space_op(rpc_object_t *self, uint32_t *cpus)
{
	(void)self;
	*cpus = 1;
	return 0;
}

static int thread_register_op(rpc_object_t *self, const char *name,
                              uint32_t native_id, uint32_t *id)
{
	(void)name;
	(void)native_id;
	*id = ++container_of(self, struct standin_basics, cpu)->threads;
	return 0;
}

static const struct cpu_ops cpu_ops = {
	.affinity_space = affinity_space_op,
	.thread_register = thread_register_op,
};

static int write_op(rpc_object_t *self, const char *line)
{
	printf("[%s] %s\n",
	       container_of(self, struct standin_basics, log)->name, line);
	return 0;
}

static const struct log_ops log_ops = { .write = write_op };

int standin_basics_serve(struct standin_basics *b, const char *name,
                         entrypoint_t *services)
{
	b->name = name;
	for (unsigned i = 0; i < STANDIN_DATASPACES; i++)
		b->dataspaces[i] = KCAP_INVALID;
	int rc = pd_manage(services, &b->pd, &pd_ops, &b->pd_cap);
	rc = rc ? rc : cpu_manage(services, &b->cpu, &cpu_ops, &b->cpu_cap);
	return rc ? rc : log_manage(services, &b->log, &log_ops, &b->log_cap);
}

uint32_t standin_own_session(const char *service)
{
	static const char *const own[] = { "PD", "CPU", "LOG" };
	for (uint32_t i = 0; i < 3; i++)
		if (!strcmp(service, own[i]))
			return i + 1;
	return 0;
}

int standin_own_cap(const struct standin_basics *b, uint32_t id, kcap_t *cap)
{
	const kcap_t own[] = { b->pd_cap, b->cpu_cap, b->log_cap };
	if (id < 1 || id >= STANDIN_FIRST_OTHER)
		return -1;
	*cap = own[id - 1];
	return 0;
}
