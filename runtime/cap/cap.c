/*
 * Capabilities of a component (runtime/cap.h): the kernel interface's
 * handles, behind libruntime's names.
 */
#include <runtime/cap.h>

bool cap_valid(kcap_t cap)
{
	return kcap_valid(cap);
}

int cap_copy(kcap_t cap, kcap_t *copy)
{
	return kcap_copy(cap, copy);
}

void cap_close(kcap_t cap)
{
	kcap_close(cap);
}

enum kcap_type cap_type(kcap_t cap)
{
	return kcap_type(cap);
}

int cap_memory_size(kcap_t cap, size_t *size)
{
	return kmem_size(cap, size);
}
