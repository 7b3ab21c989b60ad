/*
 * The depot index as a sealed ROM (depot_index_rom.h): the text written
 * into fresh memory, then sealed read-only before any client maps it.
 */
#include "depot_index_rom.h"

#include <stdlib.h>
#include <string.h>

int depot_index_rom(enum depot_index_state state, const char *why,
                    const struct manifest *m, kcap_t *mem, size_t *size)
{
	char *text = malloc(DEPOT_INDEX_MAX);
	*mem = KCAP_INVALID;
	if (!text)
		return -1;
	size_t len = depot_index_text(state, why, m, text);
	int rc = kmem_create(len, mem);
	void *at = NULL;
	if (rc == 0)
		rc = kmem_map(*mem, 0, len, KMEM_READ | KMEM_WRITE, NULL, &at);
	if (rc == 0) {
		memcpy(at, text, len);
		kmem_unmap(at, len);
		rc = kmem_seal_readonly(*mem);
	}
	free(text);
	if (rc != 0) {
		kcap_close(*mem);
		*mem = KCAP_INVALID;
		return -1;
	}
	*size = len;
	return 0;
}
