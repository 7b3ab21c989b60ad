/*
 * The reports of report_rom: the latest content submitted under each
 * report label (a RAM dataspace from report_rom's PD), its version, and
 * the ROM sessions that show it. Entrypoint thread only.
 *
 * A report lives as long as a session holds it: every Report session of
 * its label and every ROM session that shows it (reports_get, reports_put).
 * When the last one closes, the report and its content are freed, so what
 * clients submitted never outlives their sessions at report_rom's cost.
 */
#ifndef REPORT_ROM_REPORTS_H
#define REPORT_ROM_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include <runtime/dataspace.h>
#include <runtime/list.h>
#include <runtime/signal.h>

#define REPORT_LABEL_MAX 400u

struct report_entry {
	struct list_elem elem;
	char label[REPORT_LABEL_MAX + 1];
	struct dataspace content; /* empty until the first submit, detached */
	uint64_t size;            /* bytes of the report (content >= 1) */
	uint32_t version;
	struct list watchers; /* struct report_watcher */
	unsigned holders;     /* sessions that hold the entry */
};

/* A ROM session's interest in a report: its signal is submitted on every
 * new version. */
struct report_watcher {
	struct list_elem elem;
	signal_transmitter_t sigh;
};

struct reports {
	kcap_t pd; /* pays for the content */
	struct list entries;
};

void reports_init(struct reports *r, kcap_t pd);

/* The entry of `label`, made empty if there is none, held once more.
 * NULL: out of memory. */
struct report_entry *reports_get(struct reports *r, const char *label);

/* Lets go of a hold of reports_get(); the last frees the entry and its
 * content (its watchers are gone by then: each belongs to a holder). */
void reports_put(struct reports *r, struct report_entry *e);

/* Replaces the content with `length` bytes at `data`, bumps the version
 * and signals the watchers. 0 or a PD error (pd.rpc). */
int reports_publish(struct reports *r, struct report_entry *e, const void *data,
                    uint64_t length);

#endif
