/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Configs and secrets: named sets of KEY -> bytes, scoped by a namespace,
 * kept under the state root (docs/decisions/store-configs-secrets.md):
 *
 *	ROOT/configs/NS/NAME/current -> vN-T	(the version in use; atomic link)
 *	ROOT/configs/NS/NAME/vN-T/KEY		(one file per key)
 *
 * N counts the versions of NAME; T is 8 random hex digits, so that a name
 * removed and created again never repeats a version.
 *	ROOT/secrets/...			(the same; everything 0700/0600)
 *
 * A new version is written beside the old one (temp dir, fsync, rename,
 * fsync), then "current" is swapped with a rename: power loss leaves the
 * old or the new version, never a mix.
 *
 * Library code: never prints. Values of secrets are wiped from memory by
 * obj_data_clear(). */
#ifndef BERTH_STORE_OBJECTS_H
#define BERTH_STORE_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/err.h"

enum obj_kind { OBJ_CONFIG, OBJ_SECRET };

#define OBJ_NAME_MAX 63		/* a DNS label */
#define OBJ_KEY_MAX 253
#define OBJ_MAX_KEYS 256
#define OBJ_VERSION_MAX 24	/* "vN-XXXXXXXX" */
#define OBJ_DEFAULT_NS "default"

struct obj_entry {
	char *key;
	char *data;		/* not NUL-terminated data may hold NULs: use len */
	size_t len;
};

struct obj_data {
	struct obj_entry *v;	/* sorted by key once stored or read */
	size_t n;
	size_t total;		/* sum of len */
};

struct obj_info {
	char ns[OBJ_NAME_MAX + 1], name[OBJ_NAME_MAX + 1];
	char version[OBJ_VERSION_MAX];
	size_t nkeys;
	uint64_t bytes;
	time_t created;		/* when this version was written */
};

/* "config" / "secret" */
const char *obj_kind_name(enum obj_kind k);
/* A DNS label: [a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63. Names and namespaces. */
bool obj_name_valid(const char *s);
/* A file name a key can be: [A-Za-z0-9._-], not "." or "..", not "..X". */
bool obj_key_valid(const char *s);
/* Largest object (all keys together), from CONFIG_STORE_MAX_KB. */
size_t obj_max_bytes(void);

/* Add the regular file PATH as key KEY (NULL: its base name), or, when
 * PATH is a directory, each regular file in it as a key of its name.
 * Files are opened O_NOFOLLOW|O_NONBLOCK: a FIFO or a device never blocks
 * and is refused. Errors name PATH and the reason (size over the cap,
 * not a regular file, a bad key). */
int obj_data_add_file(struct obj_data *d, const char *key, const char *path, berr *err);
/* Add KEY with LEN bytes of DATA (copied). */
int obj_data_add(struct obj_data *d, const char *key, const void *data, size_t len, berr *err);
/* Wipe (explicit_bzero) and free everything D holds; D is empty after. */
void obj_data_clear(struct obj_data *d);
const struct obj_entry *obj_data_get(const struct obj_data *d, const char *key);

/* Store D as the new version of NAME. Without REPLACE an existing NAME is
 * -EEXIST. *RET_CHANGED (optional) is false when the content is what the
 * current version holds already (no new version is written). */
int obj_put(const char *root, enum obj_kind k, const char *ns, const char *name,
	    const struct obj_data *d, bool replace, bool *ret_changed, berr *err);
/* The current version's name ("v3-1f2e3d4c"): -ENOENT when NAME does not exist. */
int obj_version(const char *root, enum obj_kind k, const char *ns, const char *name,
		char ret[OBJ_VERSION_MAX], berr *err);
/* Read the current version of NAME. Caller clears *RET (obj_data_clear).
 * RET_VERSION optional. */
int obj_get(const char *root, enum obj_kind k, const char *ns, const char *name,
	    struct obj_data *ret, char ret_version[OBJ_VERSION_MAX], berr *err);
int obj_info_get(const char *root, enum obj_kind k, const char *ns, const char *name,
		 struct obj_info *ret, berr *err);
/* Every object of NS (NULL: of every namespace), sorted. Caller frees *RET. */
int obj_list(const char *root, enum obj_kind k, const char *ns, struct obj_info **ret,
	     size_t *ret_n, berr *err);
/* Remove NAME: its "current" link first (it is gone at once), then the rest. */
int obj_remove(const char *root, enum obj_kind k, const char *ns, const char *name, berr *err);

#endif
