/*
 * Protection domains (kernel/include/kernel/pd.h) on the riscv kernel, for
 * the root alone (the kernel refuses every SYS_PD_* to other domains, as
 * the linker keeps pd.h from components on linux): a separate archive,
 * libkernel_pd.a, that only the root links.
 *
 * What is there: kpd_create from a memory object that shows a boot module
 * (SYS_BOOTMOD_MEM, core's ROM dataspace of it) with up to
 * KPD_MAX_BOOT_CAPS boot capabilities and an exit signal; kill, state,
 * wait (with a timeout), destroy; the thread check. What is not: images
 * from other memory objects (the kernel loads ELF images from boot
 * modules only, for now), the RAM limit (nothing is charged to a domain:
 * KERR_DENIED), priorities (one round robin: KERR_DENIED), output streams
 * (a domain's output is the console).
 */
#include "../lib.h"

#include <kernel/pd.h>

#include <stdlib.h>

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
	long id = sys_call4(SYS_PD_CREATE_IMAGE, config->elf.sel, (long)sels,
	                    (long)config->cap_count,
	                    kcap_valid(config->exit_signal) ? config->exit_signal.sel : -1);
	if (id < 0) {
		free(p);
		return (int)id;
	}
	p->id = id;
	*pd = p;
	return 0;
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
	(void)pd; (void)ram_limit;
	return KERR_DENIED;
}

const char *kpd_memory_bound(void)
{
	return "none yet: memory objects come from one pool of frames, charged "
	       "to no domain (kernel/riscv/README.md)";
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
	return 0;   /* one hart: every thread runs on CPU 0 */
}

int kpd_thread_priority(kpd_t *pd, uint32_t native_id, int priority)
{
	(void)priority;
	return kpd_thread_check(pd, native_id) ? KERR_INVALID : KERR_DENIED;
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
