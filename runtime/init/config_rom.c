/*
 * Init's per-child "config" ROM (config_rom.h): a root component whose ROM
 * sessions each hand out the one dataspace with the child's configuration
 * text, and a new version of it when init's config changes.
 */
#include "config_rom.h"

#include <string.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/signal.h>

#include "pd_rpc.h"
#include "rom_rpc.h"

/* What a ROM session costs init: its record. */
#define CONFIG_ROM_SESSION_RAM 1024u

struct config_rom_session {
	struct root_session base;
	kcap_t sigh; /* submitted by config_rom_update() */
};

static struct config_rom_session *session_of(rpc_object_t *self)
{
	return container_of(root_session_of(self), struct config_rom_session,
	                    base);
}

static int rom_dataspace_op(rpc_object_t *self, kcap_t *dataspace,
                            uint64_t *size, uint32_t *version)
{
	const struct config_rom *rom =
		root_component_server(session_of(self)->base.root);

	*dataspace = rom->dataspace;
	*size = rom->size;
	*version = rom->version;
	return 0;
}

/* The signal config_rom_update() submits. */
static int rom_sigh_op(rpc_object_t *self, kcap_t sigh)
{
	struct config_rom_session *s = session_of(self);
	kcap_t copy = KCAP_INVALID;

	if (cap_valid(sigh) && cap_copy(sigh, &copy))
		return RPC_ERR_SERVER;
	cap_close(s->sigh);
	s->sigh = copy;
	return 0;
}

static const struct rom_ops config_rom_session_ops = {
	.dataspace = rom_dataspace_op,
	.sigh = rom_sigh_op,
};

static int create_session(struct root_component *root,
                          struct root_session *base,
                          const struct session_args *args, const char *raw_args,
                          const char **why)
{
	(void)root;
	(void)args;
	(void)raw_args;
	(void)why;
	container_of(base, struct config_rom_session, base)->sigh =
		KCAP_INVALID;
	return 0;
}

static void destroy_session(struct root_component *root,
                            struct root_session *base)
{
	(void)root;
	cap_close(container_of(base, struct config_rom_session, base)->sigh);
}

static const struct root_component_ops config_rom_root_ops = {
	.create = create_session,
	.destroy = destroy_session,
};

/* A new dataspace from `pd` holding `text`. Components may not seal memory
 * (the confinement forbids it), so it is not sealed: each child has a
 * dataspace of its own, and what it scribbles into it reaches nobody else. */
static int fill_dataspace(kcap_t pd, const char *text, size_t length,
                          kcap_t *dataspace)
{
	struct dataspace ds;
	int err = dataspace_alloc(&ds, pd, length ? length : 1);

	if (!err)
		err = dataspace_attach(&ds, true);
	if (err) {
		dataspace_release(&ds);
		return err;
	}
	memcpy(ds.addr, text, length);
	dataspace_detach(&ds);
	*dataspace = ds.cap; /* the ROM's now: freed by pd_free() */
	return 0;
}

int config_rom_init(struct config_rom *rom, entrypoint_t *ep, kcap_t pd,
                    const char *text, size_t length)
{
	const struct root_component_config config = {
		.name = "ROM",
		.iface = &rom_rpc,
		.session_ops = &config_rom_session_ops,
		ROOT_SESSION_LAYOUT(struct config_rom_session, base),
		.ram_cost = CONFIG_ROM_SESSION_RAM,
		.cap_cost = 1,
		.ops = &config_rom_root_ops,
		.server = rom,
	};
	int err;

	memset(rom, 0, sizeof(*rom));
	rom->pd = pd;
	rom->size = length;
	rom->version = 1;
	err = fill_dataspace(pd, text, length, &rom->dataspace);
	if (err)
		return err;
	err = root_component_init(&rom->root, ep, &config);
	if (err) {
		pd_free(pd, rom->dataspace);
		cap_close(rom->dataspace);
	}
	return err;
}

int config_rom_update(struct config_rom *rom, const char *text, size_t length)
{
	kcap_t dataspace;
	int err = fill_dataspace(rom->pd, text, length, &dataspace);

	if (err)
		return err;
	/* A child still mapping the old text keeps its mapping until it
	 * fetches the new version; the PD takes the old memory back now. */
	pd_free(rom->pd, rom->dataspace);
	cap_close(rom->dataspace);
	rom->dataspace = dataspace;
	rom->size = length;
	rom->version++;
	for (struct list_elem *e = root_component_first(&rom->root); e;
	     e = list_next(e)) {
		struct config_rom_session *s =
			container_of(container_of(e, struct root_session, elem),
		                     struct config_rom_session, base);
		if (cap_valid(s->sigh))
			signal_submit(s->sigh, 1);
	}
	return 0;
}

void config_rom_fini(struct config_rom *rom)
{
	root_component_dissolve(&rom->root);
	pd_free(rom->pd, rom->dataspace);
	cap_close(rom->dataspace);
}
