/*
 * Start-up capabilities on Linux: kpd_create() places a domain's boot
 * capabilities at descriptors 3, 4, ... and says how many in the
 * environment variable KBOOT_CAPS, the only variable a domain gets.
 */
#include <kernel/kernel.h>

#include <fcntl.h>
#include <stdlib.h>

enum { FIRST_BOOT_DESCRIPTOR = 3, MAX_BOOT_CAPS = 64 };

static unsigned boot_cap_count(void)
{
	const char *text = getenv("KBOOT_CAPS");
	if (!text)
		return 0;
	char *end;
	unsigned long count = strtoul(text, &end, 10);
	if (end == text || *end != '\0' || count > MAX_BOOT_CAPS)
		return 0;
	return (unsigned)count;
}

kcap_t kboot_cap(unsigned index)
{
	if (index >= boot_cap_count())
		return KCAP_INVALID;
	kcap_t cap = { FIRST_BOOT_DESCRIPTOR + (int32_t)index };
	if (fcntl(cap.sel, F_GETFD) < 0)
		return KCAP_INVALID;
	return cap;
}
