/*
 * Signal sources on a waitset (signal.h): the one way libruntime's
 * receivers of signals — signal receivers and entrypoints — make a source
 * that reports to their waitset, and take it away again.
 */
#include <runtime/signal.h>

int signal_source_attach(kwaitset_t *ws, void *cookie,
                         ksignal_source_t **source, kcap_t *cap)
{
	ksignal_source_t *made;
	kcap_t made_cap;
	int err = ksignal_source_create(&made, &made_cap);
	if (err)
		return err;
	err = kwaitset_add_signal(ws, made, cookie);
	if (err) {
		ksignal_source_destroy(made);
		kcap_close(made_cap);
		return err;
	}
	*source = made;
	*cap = made_cap;
	return 0;
}

void signal_source_detach(kwaitset_t *ws, ksignal_source_t *source)
{
	kwaitset_remove_signal(ws, source);
	ksignal_source_destroy(source);
}
