/*
 * Protection domains (kernel/include/kernel/pd.h) on the riscv kernel, for
 * the root alone (the kernel refuses every SYS_PD_* to other domains, as
 * the linker keeps pd.h from components on linux): a separate archive,
 * libkernel_pd.a, that only the root links.
 *
 * What is there: kpd_create from a memory object holding an ELF image (a
 * boot module's, SYS_BOOTMOD_MEM, or any RAM object, such as a ROM
 * dataspace with a depot archive's binary) with up to KPD_MAX_BOOT_CAPS
 * boot capabilities, an exit signal and the config's name; kill, state,
 * wait (with a timeout), destroy; the thread check; thread priorities
 * (the kernel's levels); the RAM limit (the kernel's quota of frames
 * charged to the domain, set after creation: the image's frames are
 * charged before it, so a limit below them refuses every allocation but
 * does not stop the start); the kernel's id of a domain (kpd_id.h). What
 * is not: output streams (the kernel keeps a domain's output in its
 * rings, which core reads by the id: kpd_config's streams are unused).
 */
#include "../lib.h"
#include "kpd_id.h"

#include <kernel/pd.h>

#include <stdlib.h>
#include <string.h>

struct kpd {
	long id;
};

int kpd_create(kpd_t **pd, const struct kpd_config *config)
{
	if (config->cap_count > KPD_MAX_BOOT_CAPS)
		return KERR_INVALID;
	int32_t sels[KPD_MAX_BOOT_CAPS];
	for (unsigned i = 0; i < config->cap_count; i++)
		sels[i] = config->caps[i].sel;
	struct kpd *p = malloc(sizeof *p);
	if (!p)
		return KERR_NOMEM;
	const char *name = config->name ? config->name : "";
	long id = sys_call6(SYS_PD_CREATE_IMAGE, config->elf.sel, (long)sels,
	                    (long)config->cap_count,
	                    kcap_valid(config->exit_signal)
	                            ? config->exit_signal.sel
	                            : -1,
	                    (long)name, (long)strlen(name));
	if (id < 0) {
		free(p);
		return (int)id;
	}
	p->id = id;
	if (config->ram_limit)
		kpd_set_ram_limit(p, config->ram_limit);
	*pd = p;
	return 0;
}

long kpd_kernel_id(const kpd_t *pd)
{
	return pd->id;
}

void kpd_kill(kpd_t *pd)
{
	sys_call2(SYS_PD_KILL, pd->id, 0);
}

enum kpd_state kpd_state(kpd_t *pd, int *code)
{
	long state = sys_call2(SYS_PD_STATE, pd->id, 0);
	if (state < 0)
		return KPD_RUNNING;
	/* The kernel's status: an exit code 0..127, or 128 + the exception
	 * that killed it (kpd_kill: 128 + 9, with bit 8 set); pd.h wants the
	 * fault's number for a killed domain, as linux gives the signal's. */
	long status = state & 255;
	if (status < 128) {
		*code = (int)status;
		return KPD_EXITED;
	}
	*code = (int)(status - 128);
	return KPD_KILLED;
}

int kpd_wait(kpd_t *pd, int timeout_ms)
{
	long err = sys_call2(SYS_PD_WAIT, pd->id, timeout_ms);
	return err < 0 ? (int)err : 0;
}

int kpd_set_ram_limit(kpd_t *pd, size_t ram_limit)
{
	long used = sys_call2(SYS_PD_RAM_LIMIT, pd->id, (long)ram_limit);
	return used < 0 ? (used == KERR_INVALID ? KERR_REVOKED : (int)used) : 0;
}

const char *kpd_memory_bound(void)
{
	return "the kernel charges a domain its image, stack, IPC buffers and the "
	       "memory objects it creates, within its RAM limit; memory objects "
	       "core creates for it are core's (kernel/riscv/README.md)";
}

int kpd_out_of_memory(kpd_t *pd)
{
	(void)pd;
	return 0;
}

int kpd_thread_check(kpd_t *pd, uint32_t native_id)
{
	long err = sys_call2(SYS_PD_THREAD, pd->id, native_id);
	return err < 0 ? KERR_INVALID : 0;
}

int kpd_thread_affinity(kpd_t *pd, uint32_t native_id, unsigned cpu)
{
	if (kpd_thread_check(pd, native_id) || cpu != 0)
		return KERR_INVALID;
	return 0; /* one hart: every thread runs on CPU 0 */
}

/* pd.h's -20 (highest) .. 19 (lowest) onto the kernel's levels,
 * PRIO_LEVELS - 1 (highest) .. 0; 0 is PRIO_DEFAULT, a new domain's. */
int kpd_thread_priority(kpd_t *pd, uint32_t native_id, int priority)
{
	if (priority < -20 || priority > 19)
		return KERR_INVALID;
	long level = (19 - priority) * PRIO_LEVELS / 40;
	long err = sys_call3(SYS_PRIORITY, pd->id, native_id, level);
	return err < 0 ? KERR_INVALID : 0;
}

void kpd_destroy(kpd_t *pd)
{
	if (!pd)
		return;
	kpd_kill(pd);
	kpd_wait(pd, -1);
	sys_call2(SYS_PD_RELEASE, pd->id, 0);
	free(pd);
}
