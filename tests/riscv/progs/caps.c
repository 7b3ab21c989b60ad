/*
 * Capability-space test program: copies name the same object and outlive
 * the selector they were copied from; closing is by selector; a full
 * space refuses with KERR_NOMEM (-3) and works again after closing; an
 * object whose every selector is closed and whose owner ended is reused.
 */
#include "sys.h"

#define SLOTS 512   /* CSPACE_SLOTS, kernel/riscv/cap.h */

int main(void);

static int check(int ok, const char *what)
{
	if (!ok) {
		sys_puts("failed: ");
		sys_puts(what);
		sys_puts("\n");
	}
	return ok;
}

int main(void)
{
	long ep = sys_ep_create(), sig = sys_signal_create();
	long copy = sys_cap_copy(ep);
	int ok = check(ep >= 0 && sig >= 0 && copy >= 0 && copy != ep,
	               "create and copy");
	ok &= check(sys_cap_same(ep, copy) == 1 && sys_cap_same(ep, sig) == 0,
	            "same object");
	ok &= check(sys_cap_close(ep) == 0 && sys_cap_type(ep) == 0 &&
	                    sys_cap_type(copy) == 1,
	            "a copy outlives its original");
	ok &= check(sys_cap_close(ep) == -1 && sys_cap_close(-1) == 0 &&
	                    sys_cap_copy(ep) == -1 &&
	                    sys_cap_same(ep, copy) == -1,
	            "empty selectors refused");
	long filled = 0, sel;
	while ((sel = sys_cap_copy(sig)) >= 0)
		filled++;
	ok &= check(sel == -3 && filled == SLOTS - 2, "a full space refuses");
	ok &= check(sys_ep_create() == -3, "no slot for a new endpoint");
	ok &= check(sys_cap_close(SLOTS - 1) == 0 &&
	                    sys_cap_copy(copy) == SLOTS - 1,
	            "a closed slot is used again");
	sys_puts(ok ? "capability space checks passed\n"
	            : "capability space checks failed\n");
	return ok ? 0 : 1;
}
