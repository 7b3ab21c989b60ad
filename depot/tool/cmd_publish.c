/*
 * `depot publish`: makes a public tree out of a depot's archive files
 * (depot_publish): the archives plus TUF metadata signing each archive's
 * name, length and sha256 under its user's role. Creates the repository
 * on first use, sets thresholds, rotates user keys, and always replaces
 * the tree in one rename.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "passphrase.h"
#include "options.h"
#include "paths.h"
#include "tool.h"

static const char about[] =
	"Publishes archive files of the depot (<depot>/<archive>.tar.zst, as\n"
	"'depot create' makes them; all of them when none is named) into TREE,\n"
	"a directory any static web server can serve:\n"
	"  TREE/metadata/  TUF metadata: root, targets (delegating\n"
	"                  '<user>/...' to one role per user), each user's\n"
	"                  role listing name, length and sha256 of the\n"
	"                  user's archives, snapshot and timestamp\n"
	"  TREE/targets/   the archives, as <archive>.tar.zst and under\n"
	"                  their consistent-snapshot name <sha256>.<version>\n"
	"The first publish creates the repository; give its\n"
	"TREE/metadata/1.root.json to the people who will 'depot trust\n"
	"import' it. Later publishes add versions; a published version never\n"
	"changes content. The work happens in a copy beside TREE that replaces\n"
	"it in one rename: readers and failures never see half a publish.\n"
	"\n"
	"Keys (make them with 'depot keygen'): DIR/root, DIR/targets,\n"
	"DIR/snapshot, DIR/timestamp (.key and .pub; more keys of a role as\n"
	"DIR/<role>-2 ... -9, all of which sign) and DIR/<user> for each user.\n";

static const char example[] =
	"  for r in root targets snapshot timestamp alice; do\n"
	"    depot keygen keys/$r; done\n"
	"  depot publish --keys keys /srv/www/depot\n"
	"  mv keys/alice.pub old-alice.pub; depot keygen keys/alice\n"
	"  depot publish --keys keys --retire alice=old-alice.pub /srv/www/depot\n"
	"  mv keys/root-2.* old/; depot publish --keys keys \\\n"
	"    --remove-key root=old/root-2.pub --threshold root=1 /srv/www/depot\n";

enum { PAIRS_MAX = 16 };

/* NAME=FILE arguments of a repeated option (--retire, --remove-key). */
struct pairs {
	const char *names[PAIRS_MAX], *files[PAIRS_MAX];
	char text[PAIRS_MAX][256];
	size_t count;
};

struct publish_args {
	struct depot_publish_keys keys;
	struct depot_publish_options options;
	const char *passphrase_file;
	char passphrase[PASSPHRASE_MAX];
	struct pairs retire, remove;
};

static const char *const top_roles[] = { "root", "targets", "snapshot",
	                                 "timestamp" };

/* Splits NAME=FILE into the next pair; NULL, or why it cannot. */
static const char *add_pair(struct pairs *p, const char *arg)
{
	size_t i = p->count;
	const char *eq = strchr(arg, '=');
	if (i == PAIRS_MAX)
		return "at most 16 at a time";
	if (!eq || eq == arg || !eq[1] || strlen(arg) >= sizeof p->text[i])
		return "give NAME=PUBLIC-KEY-FILE";
	snprintf(p->text[i], sizeof p->text[i], "%s", arg);
	p->text[i][eq - arg] = '\0';
	p->names[i] = p->text[i];
	p->files[i] = p->text[i] + (eq - arg) + 1;
	p->count++;
	return NULL;
}

/* --threshold ROLE=N (an OPTION_CALL). */
static const char *set_threshold(void *ctx, const char *arg)
{
	struct publish_args *a = ctx;
	unsigned *fields[] = { &a->options.threshold_root,
		               &a->options.threshold_targets,
		               &a->options.threshold_snapshot,
		               &a->options.threshold_timestamp };
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(top_roles[i]);
		uint64_t value;
		if (strncmp(arg, top_roles[i], n) != 0 || arg[n] != '=')
			continue;
		if (options_parse_u64(arg + n + 1, &value) || value == 0 ||
		    value > 9)
			break;
		*fields[i] = (unsigned)value;
		return NULL;
	}
	return "give ROLE=N, a top-level role and 1 to 9";
}

/* --retire USER=PUB (an OPTION_CALL). */
static const char *add_retire(void *ctx, const char *arg)
{
	struct publish_args *a = ctx;
	return add_pair(&a->retire, arg);
}

/* --remove-key ROLE=PUB (an OPTION_CALL). */
static const char *add_removal(void *ctx, const char *arg)
{
	struct publish_args *a = ctx;
	const char *why = add_pair(&a->remove, arg);
	if (why)
		return why;
	for (size_t i = 0; i < 4; i++)
		if (strcmp(a->remove.names[a->remove.count - 1],
		           top_roles[i]) == 0)
			return NULL;
	a->remove.count--;
	return "ROLE is root, targets, snapshot or timestamp";
}

/* The archives to publish. nftw gives its callback no context pointer,
 * hence one static list, used by one publish per process. */
static struct {
	const char *depot;
	struct depot_name *names;
	size_t count, capacity;
} found;

static int push_name(const struct depot_name *name)
{
	void *grown = grow_array(found.names, &found.capacity, found.count + 1,
	                         sizeof *found.names);
	if (!grown)
		return DEPOT_E_NOMEM;
	found.names = grown;
	found.names[found.count++] = *name;
	return DEPOT_OK;
}

/* nftw callback: every <archive>.tar.zst below the depot (outside its
 * dot-directories). */
static int collect(const char *path, const struct stat *st, int type,
                   struct FTW *ftw)
{
	static const char suffix[] = ".tar.zst";
	(void)st;
	(void)ftw;
	const char *rel = path + strlen(found.depot);
	rel += *rel == '/';
	size_t n = strlen(rel);
	struct depot_name name;
	struct depot_diag ignored = { 0 };
	char text[DEPOT_NAME_MAX + 16];
	if (type != FTW_F || rel[0] == '.' || n <= sizeof suffix - 1 ||
	    n >= sizeof text ||
	    strcmp(rel + n - (sizeof suffix - 1), suffix) != 0)
		return 0;
	snprintf(text, sizeof text, "%.*s", (int)(n - (sizeof suffix - 1)),
	         rel);
	if (depot_name_parse(text, &name, &ignored) != DEPOT_OK)
		return 0;
	return push_name(&name);
}

static int gather(struct tool *tool, char **args, size_t count,
                  struct depot_diag *diag)
{
	found.depot = tool->depot;
	if (count == 0) {
		int rc = nftw(tool->depot, collect, 16, FTW_PHYS);
		if (rc > 0)
			return rc;
		if (rc < 0 && errno != ENOENT) { /* no depot: no archives */
			snprintf(diag->subject, sizeof diag->subject, "%s",
			         tool->depot);
			snprintf(diag->detail, sizeof diag->detail, "%s",
			         strerror(errno));
			return DEPOT_E_IO;
		}
	}
	for (size_t i = 0; i < count; i++) {
		struct depot_name name;
		int err = depot_name_parse(args[i], &name, diag);
		if (!err)
			err = push_name(&name);
		if (err)
			return err;
	}
	return DEPOT_OK;
}

/* Shows the root that clients import, so the publisher can share its
 * fingerprint on a channel of their own for clients to compare. */
static int share_root(const char *tree)
{
	char root[PATH_MAX];
	struct depot_root_info info;
	struct depot_diag diag = { 0 };
	if (snprintf(root, sizeof root, "%s/metadata/1.root.json", tree) >=
	    (int)sizeof root)
		return 0;
	int err = depot_root_describe(root, &info, &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("clients trust this repository with 'depot trust import %s';\n"
	       "share its fingerprint for them to compare:\n",
	       root);
	tool_print_root(&info);
	return 0;
}

static int publish(struct tool *tool, struct publish_args *a, const char *tree,
                   char **args, size_t count)
{
	struct depot_diag diag = { 0 };
	int err = gather(tool, args, count, &diag);
	if (!err)
		err = depot_publish(tool->depot, tree, &a->keys, found.names,
		                    found.count, &a->options, &diag);
	size_t published = found.count;
	free(found.names);
	found.names = NULL;
	found.count = found.capacity = 0;
	if (err)
		return tool_fail(err, &diag);
	printf("published %zu archive%s into '%s'\n", published,
	       published == 1 ? "" : "s", tree);
	return share_root(tree);
}

int cmd_publish(struct tool *tool, int argc, char **argv)
{
	static struct publish_args a; /* large; one publish per process */
	memset(&a, 0, sizeof a);
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("keys", "DIR",
		                "where the keys are (default:\n"
		                "$DEPOT_KEYS, else ~/.config/depot/keys)",
		                &a.keys.dir),
		OPTION_TEXT_ROW("passphrase-file", "FILE",
		                "the passphrase of the "
		                "private keys",
		                &a.passphrase_file),
		OPTION_CALL_ROW("threshold", "ROLE=N",
		                "top-level ROLE needs N "
		                "signatures; its\nkeys become every "
		                "DIR/<role>[-N].pub",
		                &a, set_threshold),
		OPTION_CALL_ROW("retire", "USER=PUB",
		                "key rotation: remove the key "
		                "in file\nPUB from USER's role (DIR/<user> "
		                "holds\nthe new key)",
		                &a, add_retire),
		OPTION_CALL_ROW(
			"remove-key", "ROLE=PUB",
			"take the key in file PUB "
			"out of\ntop-level ROLE (move it out of DIR\n"
			"first); root is re-signed by the old\nand the "
			"new root keys, with PUB's\n.key too when it is "
			"beside PUB",
			&a, add_removal),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"depot publish [--keys DIR] [options] TREE [<archive>...]",
		.about = about,
		.options = rows,
		.example = example,
		.operands_min = 1,
		.operands_max = -1,
		.operands_wrong = "give the TREE",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	static char default_keys
		[PATH_MAX]; /* as long-lived as `a`, which holds it */
	if (!a.keys.dir &&
	    paths_default_keys(default_keys, sizeof default_keys) == 0)
		a.keys.dir = default_keys;
	if (!a.keys.dir)
		return options_usage_error(&face, "give --keys DIR (no HOME to "
		                                  "find the default keys)");
	a.options.retire_users = a.retire.names;
	a.options.retire_keys = a.retire.files;
	a.options.retire_count = a.retire.count;
	a.options.remove_roles = a.remove.names;
	a.options.remove_keys = a.remove.files;
	a.options.remove_count = a.remove.count;
	if (a.passphrase_file &&
	    passphrase_read(a.passphrase_file, a.passphrase))
		return 1;
	a.keys.passphrase = a.passphrase_file ? a.passphrase : NULL;
	return publish(tool, &a, argv[first], argv + first + 1,
	               (size_t)(argc - first - 1));
}
