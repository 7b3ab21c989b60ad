/*
 * The depot users of a target (depots.h): TARGET/sculpt/depots.json read
 * and written with cJSON.
 */
#include "depots.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "state.h"

static void user_clear(struct depot_user *user)
{
	free(user->name);
	for (size_t i = 0; i < user->mirror_count; i++)
		free(user->mirrors[i]);
	free(user->ca_file);
	memset(user, 0, sizeof(*user));
}

void depots_free(struct depot_users *users)
{
	for (size_t i = 0; i < users->count; i++)
		user_clear(&users->users[i]);
	users->count = 0;
}

int depots_set(struct depot_users *users, const char *name,
               const char *const *mirrors, size_t mirror_count,
               const char *ca_file, struct sculpt_diag *diag)
{
	struct depot_user fresh = { 0 };
	size_t slot = users->count;

	if (!depot_part_valid(name))
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "'%s' is not a depot user "
		                   "name",
		                   name);
	if (mirror_count == 0 || mirror_count > DEPOTS_MIRRORS_MAX)
		return sculpt_fail(diag, SCULPT_E_USAGE, "give 1 to %d mirrors",
		                   DEPOTS_MIRRORS_MAX);
	for (size_t i = 0; i < users->count; i++)
		if (strcmp(users->users[i].name, name) == 0)
			slot = i;
	if (slot == DEPOTS_USERS_MAX)
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "more than %d depot users",
		                   DEPOTS_USERS_MAX);
	fresh.name = strdup(name);
	fresh.ca_file = ca_file ? strdup(ca_file) : NULL;
	for (; fresh.mirror_count < mirror_count; fresh.mirror_count++)
		if (!(fresh.mirrors[fresh.mirror_count] =
		              strdup(mirrors[fresh.mirror_count])))
			break;
	if (!fresh.name || (ca_file && !fresh.ca_file) ||
	    fresh.mirror_count < mirror_count) {
		user_clear(&fresh);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	if (slot < users->count)
		user_clear(&users->users[slot]);
	else
		users->count++;
	users->users[slot] = fresh;
	return 0;
}

int depots_find(const struct depot_users *users, const char *name,
                const struct depot_user **out, struct sculpt_diag *diag)
{
	for (size_t i = 0; i < users->count; i++) {
		if (strcmp(users->users[i].name, name) == 0) {
			*out = &users->users[i];
			return 0;
		}
	}
	return sculpt_fail(
		diag, SCULPT_E_DEPOT,
		"no depot user '%s' in this "
		"target: add it with 'sculpt depot add %s --mirror URL "
		"--root ROOT.json'",
		name, name);
}

void depots_fetch_options(const struct depot_user *user, int progress,
                          struct depot_fetch_options *out)
{
	memset(out, 0, sizeof(*out));
	out->mirrors = (const char *const *)user->mirrors;
	out->mirror_count = user->mirror_count;
	out->ca_file = user->ca_file;
	out->progress = progress;
}

static int read_user(struct depot_users *users, const cJSON *item,
                     struct sculpt_diag *diag)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
	const cJSON *mirrors = cJSON_GetObjectItemCaseSensitive(item,
	                                                        "mirrors");
	const cJSON *ca = cJSON_GetObjectItemCaseSensitive(item, "ca_file");
	const char *urls[DEPOTS_MIRRORS_MAX];
	size_t count = 0;
	const cJSON *url;

	if (!cJSON_IsString(name) || !cJSON_IsArray(mirrors) ||
	    (ca && !cJSON_IsString(ca)))
		return sculpt_fail(diag, SCULPT_E_DEPOT,
		                   "depots.json: a user needs "
		                   "\"name\" and \"mirrors\"");
	cJSON_ArrayForEach (url, mirrors) {
		if (!cJSON_IsString(url) || count == DEPOTS_MIRRORS_MAX)
			return sculpt_fail(diag, SCULPT_E_DEPOT,
			                   "depots.json: user "
			                   "'%s': bad mirrors",
			                   name->valuestring);
		urls[count++] = url->valuestring;
	}
	return depots_set(users, name->valuestring, urls, count,
	                  ca ? ca->valuestring : NULL, diag);
}

int depots_load(const char *target, struct depot_users *out,
                struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;
	bool missing = false;
	const cJSON *item;
	cJSON *root;
	int err = state_path(target, "sculpt/depots.json", path, diag);

	memset(out, 0, sizeof(*out));
	if (!err)
		err = state_read(path, DEPOTS_TEXT_MAX, &text, &length,
		                 &missing, diag);
	if (err)
		return missing ? 0 : err;
	root = cJSON_ParseWithLength(text, length);
	free(text);
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "users"))) {
		cJSON_Delete(root);
		return sculpt_fail(diag, SCULPT_E_DEPOT,
		                   "'%s' is not a list of "
		                   "depot users",
		                   path);
	}
	cJSON_ArrayForEach (item,
	                    cJSON_GetObjectItemCaseSensitive(root, "users")) {
		err = read_user(out, item, diag);
		if (err)
			break;
	}
	cJSON_Delete(root);
	if (err)
		depots_free(out);
	return err;
}

static cJSON *user_json(const struct depot_user *user)
{
	cJSON *item = cJSON_CreateObject();
	cJSON *mirrors = cJSON_AddArrayToObject(item, "mirrors");
	bool ok = mirrors && cJSON_AddStringToObject(item, "name", user->name);

	for (size_t i = 0; ok && i < user->mirror_count; i++)
		ok = cJSON_AddItemToArray(mirrors,
		                          cJSON_CreateString(user->mirrors[i]));
	if (ok && user->ca_file)
		ok = cJSON_AddStringToObject(item, "ca_file", user->ca_file) !=
		     NULL;
	if (!ok) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

int depots_save(const char *target, const struct depot_users *users,
                struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = NULL;
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "users");
	bool ok = list != NULL;
	int err;

	for (size_t i = 0; ok && i < users->count; i++)
		ok = cJSON_AddItemToArray(list, user_json(&users->users[i]));
	if (ok)
		text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	err = state_path(target, "sculpt/depots.json", path, diag);
	if (!err)
		err = state_write(path, text, strlen(text), diag);
	free(text);
	return err;
}
