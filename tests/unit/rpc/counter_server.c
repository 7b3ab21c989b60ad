/*
 * The example counter server (counter_server.h): the operations of
 * counter.rpc over struct counter. It exercises what a real server does:
 * declared errors, keeping a capability it was lent (kcap_copy), handing
 * capabilities out, creating and dissolving objects from inside an
 * operation, and recognising its own objects (entrypoint_lookup).
 */
#include <string.h>
#include <unistd.h>

#include "counter_server.h"

static struct counter *counter_of(rpc_object_t *self)
{
	return (struct counter *)self;
}

static int op_add(rpc_object_t *self, uint64_t delta, uint64_t *total)
{
	struct counter *c = counter_of(self);
	if (c->value > UINT64_MAX - delta)
		return COUNTER_ERR_OVERFLOW;
	c->value += delta;
	*total = c->value;
	return 0;
}

static int op_get(rpc_object_t *self, uint64_t *value)
{
	*value = counter_of(self)->value;
	return 0;
}

static int op_store(rpc_object_t *self, kcap_t given)
{
	struct counter *c = counter_of(self);
	kcap_t copy;
	if (!kcap_valid(given) || kcap_copy(given, &copy))
		return COUNTER_ERR_NO_CAPABILITY;
	kcap_close(c->stored);
	c->stored = copy;
	return 0;
}

static int op_fetch(rpc_object_t *self, kcap_t *stored)
{
	struct counter *c = counter_of(self);
	if (!kcap_valid(c->stored))
		return COUNTER_ERR_NO_CAPABILITY;
	*stored = c->stored;
	return 0;
}

static int op_make(rpc_object_t *self, kcap_t *cap)
{
	struct counter_server *s = counter_of(self)->server;
	for (int i = 0; i < COUNTER_SERVER_MADE; i++) {
		struct counter *c = &s->made[i];
		if (c->in_use)
			continue;
		memset(c, 0, sizeof *c);
		c->server = s;
		c->stored = KCAP_INVALID;
		if (counter_manage(s->ep, &c->rpc, &counter_server_ops,
		                   &c->cap))
			return COUNTER_ERR_NO_CAPABILITY;
		c->in_use = 1;
		*cap = c->cap;
		return 0;
	}
	return COUNTER_ERR_NO_CAPABILITY;
}

static void counter_retire(struct counter *c)
{
	entrypoint_dissolve(&c->rpc);
	kcap_close(c->cap);
	kcap_close(c->stored);
	c->in_use = 0;
}

static int op_destroy(rpc_object_t *self, kcap_t cap)
{
	struct counter_server *s = counter_of(self)->server;
	rpc_object_t *obj;
	if (!entrypoint_lookup(s->ep, cap, &obj) || obj == &s->main.rpc)
		return COUNTER_ERR_NOT_MINE;
	counter_retire(counter_of(obj));
	return 0;
}

static int op_is_mine(rpc_object_t *self, kcap_t candidate, bool *mine,
                      uint64_t *value)
{
	rpc_object_t *obj;
	*mine = entrypoint_lookup(counter_of(self)->server->ep, candidate,
	                          &obj);
	*value = *mine ? counter_of(obj)->value : 0;
	return 0;
}

static int op_echo_string(rpc_object_t *self, const char *text,
                          char echoed[COUNTER_ECHO_STRING_ECHOED_MAX + 1])
{
	if (!text[0])
		return COUNTER_ERR_EMPTY;
	strcpy(echoed, text); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): the stub bounds text to the echoed buffer
	return 0;
}

static int op_echo_buffer(rpc_object_t *self, const void *data,
                          uint32_t data_len, void *echoed, uint32_t *echoed_len)
{
	if (data_len == 0)
		return COUNTER_ERR_EMPTY;
	memcpy(echoed, data, data_len);
	*echoed_len = data_len;
	return 0;
}

/* Answers with each value changed in a known way, so that a value that
 * came back unchanged (or from the wrong argument) shows. */
static int op_scalars(rpc_object_t *self, uint8_t a, uint16_t b, uint32_t c,
                      int32_t d, int64_t e, bool f, uint8_t *ra, uint16_t *rb,
                      uint32_t *rc, int32_t *rd, int64_t *re, bool *rf)
{
	*ra = (uint8_t)~a;
	*rb = (uint16_t)(b + 1);
	*rc = c + 1;
	*rd = -d;
	*re = -e;
	*rf = !f;
	return 0;
}

static int op_ping(rpc_object_t *self)
{
	return 0;
}

/* Tells `started` that the call arrived, then blocks the entrypoint for
 * good: the caller's call stays pending until the server dies. */
static int op_stall(rpc_object_t *self, kcap_t started)
{
	ksignal_submit(started, 1);
	while (pause() == -1)
		; /* pause() only ever returns -1: killing the server ends this */
	return 0;
}

/* Returns the capability it was lent: the reply must go out before the
 * dispatcher closes it. */
static int op_reflect(rpc_object_t *self, kcap_t given, kcap_t *same)
{
	*same = given;
	return 0;
}

const struct counter_ops counter_server_ops = {
	.add = op_add,
	.get = op_get,
	.store = op_store,
	.fetch = op_fetch,
	.make = op_make,
	.destroy = op_destroy,
	.is_mine = op_is_mine,
	.echo_string = op_echo_string,
	.echo_buffer = op_echo_buffer,
	.scalars = op_scalars,
	.ping = op_ping,
	.stall = op_stall,
	.reflect = op_reflect,
};

int counter_server_start(struct counter_server *s, kcap_t *cap)
{
	int err;
	memset(s, 0, sizeof *s);
	s->main.server = s;
	s->main.stored = KCAP_INVALID;
	s->main.cap = KCAP_INVALID;
	err = entrypoint_create(&s->ep, "counter");
	if (err)
		return err;
	err = counter_manage(s->ep, &s->main.rpc, &counter_server_ops, cap);
	if (err)
		entrypoint_destroy(s->ep);
	return err;
}

void counter_server_stop(struct counter_server *s)
{
	for (int i = 0; i < COUNTER_SERVER_MADE; i++)
		if (s->made[i].in_use)
			counter_retire(&s->made[i]);
	entrypoint_dissolve(&s->main.rpc);
	kcap_close(s->main.stored);
	entrypoint_destroy(s->ep);
}
