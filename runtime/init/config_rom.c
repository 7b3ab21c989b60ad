/*
 * Init's per-child "config" ROM (config_rom.h): a root that opens ROM
 * sessions, each handing out the one sealed dataspace with the child's
 * configuration text.
 */
#include "config_rom.h"

#include <string.h>

#include <runtime/container_of.h>

#include "pd_rpc.h"
#include "rom_rpc.h"
#include "root_rpc.h"

static int rom_dataspace_op(rpc_object_t *self, kcap_t *dataspace,
                            uint64_t *size, uint32_t *version)
{
	struct config_rom_session *s = container_of(self, struct config_rom_session, obj);

	*dataspace = s->rom->dataspace;
	*size = s->rom->size;
	*version = 1;
	return 0;
}

/* The content never changes while the child lives; the signal is kept so
 * that a later reconfiguration has somewhere to send it. */
static int rom_sigh_op(rpc_object_t *self, kcap_t sigh)
{
	struct config_rom_session *s = container_of(self, struct config_rom_session, obj);
	kcap_t copy = KCAP_INVALID;

	if (kcap_valid(sigh) && kcap_copy(sigh, &copy))
		return RPC_ERR_SERVER;
	kcap_close(s->sigh);
	s->sigh = copy;
	return 0;
}

static const struct rom_ops config_rom_session_ops = {
	.dataspace = rom_dataspace_op,
	.sigh = rom_sigh_op,
};

static int root_session_op(rpc_object_t *self, const char *args,
                           kcap_t *session)
{
	struct config_rom *rom = container_of(self, struct config_rom, root);

	for (unsigned i = 0; i < CONFIG_ROM_SESSIONS; i++) {
		struct config_rom_session *s = &rom->sessions[i];
		if (s->open)
			continue;
		s->rom = rom;
		s->sigh = KCAP_INVALID;
		if (rom_manage(self->ep, &s->obj, &config_rom_session_ops, &s->cap))
			return ROOT_ERR_DENIED;
		s->open = 1;
		*session = s->cap;
		return 0;
	}
	return ROOT_ERR_DENIED;
}

static void close_session(struct config_rom_session *s)
{
	entrypoint_dissolve(&s->obj);
	kcap_close(s->cap);
	kcap_close(s->sigh);
	s->open = 0;
}

static struct config_rom_session *session_of(struct config_rom *rom, kcap_t cap)
{
	rpc_object_t *found;

	if (!entrypoint_lookup(rom->root.ep, cap, &found) ||
	    found->iface != &rom_rpc)
		return NULL;
	for (unsigned i = 0; i < CONFIG_ROM_SESSIONS; i++)
		if (rom->sessions[i].open && found == &rom->sessions[i].obj)
			return &rom->sessions[i];
	return NULL;
}

static int root_close_op(rpc_object_t *self, kcap_t session)
{
	struct config_rom_session *s =
		session_of(container_of(self, struct config_rom, root), session);

	if (!s)
		return ROOT_ERR_UNKNOWN;
	close_session(s);
	return 0;
}

static int root_upgrade_op(rpc_object_t *self, kcap_t session, const char *args)
{
	return session_of(container_of(self, struct config_rom, root), session)
	       ? 0 : ROOT_ERR_UNKNOWN;
}

static const struct root_ops config_rom_root_ops = {
	.session = root_session_op,
	.upgrade = root_upgrade_op,
	.close = root_close_op,
};

/* A dataspace holding `text`. Components may not seal memory (the
 * confinement forbids it), so it is not sealed: each child has a dataspace
 * of its own, and what it scribbles into it reaches nobody else. */
static int fill_dataspace(struct config_rom *rom, const char *text,
                          size_t length)
{
	void *addr;
	int err = pd_alloc(rom->pd, length ? length : 1, &rom->dataspace);

	if (err)
		return err;
	err = kmem_map(rom->dataspace, 0, length ? length : 1,
	               KMEM_READ | KMEM_WRITE, NULL, &addr);
	if (!err) {
		memcpy(addr, text, length);
		err = kmem_unmap(addr, length ? length : 1);
	}
	if (err) {
		pd_free(rom->pd, rom->dataspace);
		kcap_close(rom->dataspace);
	}
	return err;
}

int config_rom_init(struct config_rom *rom, entrypoint_t *ep, kcap_t pd,
                    const char *text, size_t length)
{
	int err;

	memset(rom, 0, sizeof(*rom));
	rom->pd = pd;
	rom->size = length;
	err = fill_dataspace(rom, text, length);
	if (err)
		return err;
	err = root_manage(ep, &rom->root, &config_rom_root_ops, &rom->root_cap);
	if (err) {
		pd_free(pd, rom->dataspace);
		kcap_close(rom->dataspace);
	}
	return err;
}

void config_rom_fini(struct config_rom *rom)
{
	for (unsigned i = 0; i < CONFIG_ROM_SESSIONS; i++)
		if (rom->sessions[i].open)
			close_session(&rom->sessions[i]);
	entrypoint_dissolve(&rom->root);
	kcap_close(rom->root_cap);
	pd_free(rom->pd, rom->dataspace);
	kcap_close(rom->dataspace);
}
