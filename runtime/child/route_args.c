/*
 * The arguments a parent sets on a child's forwarded session request
 * (child.h, struct child_route_arg): the policy names them with
 * child_route_set_arg/child_route_drop_arg, and the parent object applies
 * them to the request's argument string after the label
 * (child_route_apply_args), so the client's own values of those keys never
 * reach the server. Init scopes ROM requests this way: which store core
 * serves a module from (rom_from, archive) is init's word, not the
 * child's. Re-routing applies them again to compare (reroute.c).
 */
#include "child_internal.h"

#include <string.h>

#include <runtime/arg_string.h>
#include <runtime/str.h>

#include "parent_rpc.h"

static int put(struct child_route *route, const char *key, const char *value,
               bool drop)
{
	char probe[CHILD_ROUTE_ARG_KEY_MAX + 8] = "";

	/* a key arg_string accepts as a tag, checked on a scratch string */
	if (strlen(key) > CHILD_ROUTE_ARG_KEY_MAX ||
	    strlen(value) > CHILD_ROUTE_ARG_VALUE_MAX ||
	    arg_string_set(probe, sizeof(probe), key, "1"))
		return KERR_INVALID;
	for (unsigned i = 0; i < CHILD_ROUTE_ARGS; i++) {
		struct child_route_arg *arg = &route->args[i];
		if (arg->key[0] && strcmp(arg->key, key) != 0)
			continue;
		str_copy(arg->key, key, sizeof(arg->key));
		str_copy(arg->value, value, sizeof(arg->value));
		arg->drop = drop;
		return 0;
	}
	return KERR_INVALID;
}

int child_route_set_arg(struct child_route *route, const char *key,
                        const char *value)
{
	return put(route, key, value, false);
}

int child_route_drop_arg(struct child_route *route, const char *key)
{
	return put(route, key, "", true);
}

int child_route_apply_args(const struct child_route *route, char *args,
                           size_t size)
{
	int status = arg_string_set_quoted(args, size, "label", route->label);

	for (unsigned i = 0; !status && i < CHILD_ROUTE_ARGS; i++) {
		const struct child_route_arg *arg = &route->args[i];
		if (!arg->key[0])
			continue;
		status = arg->drop ? arg_string_remove(args, size, arg->key)
		                   : arg_string_set_quoted(args, size, arg->key,
		                                           arg->value);
		if (status == ARG_ERR_NOT_FOUND && arg->drop)
			status = 0;
	}
	return status ? PARENT_ERR_INVALID : 0;
}
