/*
 * Core's IRQ service (irq_service.h): decodes "irq=N" against the board,
 * keeps one holder per interrupt, and binds the holder's signal through
 * kdevice_irq_bind when the driver gives it (irq.rpc sigh). The
 * acknowledgement is not core's: the driver makes it on its own signal
 * (runtime/irq_connection.h).
 *
 * Invariant: held[n] is true exactly while a session of this service has
 * interrupt n.
 */
#include "irq_service.h"

#include <runtime/arg_string.h>
#include <runtime/invariant.h>

#include <stdio.h>
#include <string.h>

#include "irq_rpc.h"
#include "root_rpc.h"

struct irq_session {
	struct root_session base;
	uint32_t irq;
	bool bound; /* sigh done: one binding per session */
};

static struct irq_service *service_of(struct root_component *root)
{
	return container_of(root, struct irq_service, base);
}

/* Decode: the interrupt number of `raw_args`, or a refusal in s->why. */
static int decode_irq(struct irq_service *s, const char *raw_args,
                      uint32_t *irq, const char **why)
{
	uint64_t n = 0;
	int rc = arg_string_get_unsigned(raw_args, strlen(raw_args) + 1, "irq",
	                                 &n);
	if (rc == ARG_ERR_NOT_FOUND) {
		*why = "an IRQ session needs the argument irq=N";
		return ROOT_ERR_INVALID;
	}
	if (rc != ARG_OK) {
		*why = "the argument irq is no number";
		return ROOT_ERR_INVALID;
	}
	const struct kdevice *dev = NULL;
	for (size_t i = 0; n != 0 && i < s->device_count && !dev; i++)
		if (s->devices[i].irq == n)
			dev = &s->devices[i];
	if (!dev) {
		snprintf(s->why, sizeof s->why,
		         "IRQ %llu is no device's "
		         "interrupt on this board",
		         (unsigned long long)n);
		*why = s->why;
		return ROOT_ERR_DENIED;
	}
	if (n >= IRQ_SERVICE_MAX) {
		snprintf(s->why, sizeof s->why,
		         "IRQ %u (%s) is beyond the %u "
		         "interrupts the service keeps",
		         (unsigned)n, dev->name, IRQ_SERVICE_MAX);
		*why = s->why;
		return ROOT_ERR_DENIED;
	}
	if (s->held[n]) {
		snprintf(s->why, sizeof s->why,
		         "IRQ %u (%s) is held by another "
		         "session",
		         (unsigned)n, dev->name);
		*why = s->why;
		return ROOT_ERR_DENIED;
	}
	*irq = (uint32_t)n;
	return 0;
}

static int irq_create(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	(void)args;
	struct irq_service *s = service_of(root);
	struct irq_session *session = container_of(base, struct irq_session,
	                                           base);
	if (s->denied) {
		*why = s->denied;
		return ROOT_ERR_DENIED;
	}
	int rc = decode_irq(s, raw_args, &session->irq, why);
	if (rc)
		return rc;
	s->held[session->irq] = true;
	return 0;
}

/* The binding ends with the session, so a new session's sigh binds at
 * once. The kernel may have unbound it already (the driver's signal
 * ended first: KERR_INVALID), which is the same end. */
static void irq_destroy(struct root_component *root, struct root_session *base)
{
	struct irq_service *s = service_of(root);
	struct irq_session *session = container_of(base, struct irq_session,
	                                           base);
	INVARIANT(s->held[session->irq]);
	if (session->bound) {
		int rc = kdevice_irq_unbind(session->irq);
		if (rc != 0 && rc != KERR_INVALID) /* not expected */
			fprintf(stderr,
			        "core: IRQ %u: unbinding on close failed: "
			        "%s\n",
			        (unsigned)session->irq, kerr_str(rc));
	}
	s->held[session->irq] = false;
}

static int sigh_op(rpc_object_t *self, kcap_t signal)
{
	struct irq_session *session = container_of(root_session_of(self),
	                                           struct irq_session, base);
	if (session->bound)
		return IRQ_ERR_BOUND;
	if (kdevice_irq_bind(session->irq, signal) != 0)
		return IRQ_ERR_REFUSED;
	session->bound = true;
	return 0;
}

static const struct irq_ops session_ops = { .sigh = sigh_op };

static const struct root_component_ops ops = {
	.create = irq_create,
	.destroy = irq_destroy,
};

int irq_service_init(struct irq_service *s, entrypoint_t *ep)
{
	memset(s, 0, sizeof *s);
	if (kdevice_board(&s->devices, &s->device_count, &s->denied) == 0)
		s->denied = NULL;
	const struct root_component_config config = {
		CORE_SERVICE_CONFIG("IRQ"),
		.iface = &irq_rpc,
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct irq_session, base),
		.ops = &ops,
	};
	return root_component_init(&s->base, ep, &config);
}

void irq_service_dissolve(struct irq_service *s)
{
	root_component_dissolve(&s->base);
}
