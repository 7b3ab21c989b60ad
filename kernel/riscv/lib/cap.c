/*
 * Selectors (kernel/kernel.h): kcap_type, copy, close and comparison are
 * the kernel's own system calls; a selector is an index into the
 * domain's capability space (../cap.h).
 */
#include "lib.h"

enum kcap_type kcap_type(kcap_t cap)
{
	long t = sys_cap_type(cap.sel);
	return t < 0 ? KCAP_TYPE_NONE : (enum kcap_type)t;
}

int kcap_copy(kcap_t cap, kcap_t *copy)
{
	long sel = sys_cap_copy(cap.sel);
	if (sel < 0)
		return (int)sel;
	copy->sel = (int32_t)sel;
	return 0;
}

void kcap_close(kcap_t cap)
{
	if (kcap_valid(cap))
		sys_cap_close(cap.sel);
}

int kcap_same_object(kcap_t a, kcap_t b)
{
	return sys_cap_same(a.sel, b.sel) == 1;
}
