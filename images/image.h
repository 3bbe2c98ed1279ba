/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Images in the store: manifests and configs parsed and validated, name
 * lookup, and the hook the runtime calls to run a container from an image:
 *
 *	char **lowers;
 *	struct image_config *cfg;
 *	image_resolve_rootfs(root, "busybox", &lowers, &cfg, &err);
 *	spec->rootfs_lowers = lowers (top first); args = Entrypoint + Cmd,
 *	env = cfg->env, cwd = cfg->working_dir, uid/gid/groups = cfg->uid...
 *
 * Ownership: everything returned is heap memory owned by the caller
 * (strv_free for vectors, image_config_free, image_free). */
#ifndef BERTH_IMAGES_IMAGE_H
#define BERTH_IMAGES_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "images/digest.h"
#include "images/store.h"
#include "lib/err.h"

#define MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MEDIA_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MEDIA_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MEDIA_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MEDIA_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
#define MEDIA_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MEDIA_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MEDIA_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MEDIA_DOCKER_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"

/* Largest manifest, index or config accepted. */
#define IMAGE_JSON_MAX (4u << 20)

struct image_config {
	char **entrypoint, **cmd, **env; /* NULL when the image sets none */
	char *working_dir, *user, *stop_signal; /* NULL when unset */
	char **exposed_ports;	/* "80/tcp" */
	char **volumes;		/* "/data" */
	char **labels;		/* "key=value" */
	char *os, *architecture, *variant, *created;
	/* filled by image_resolve_rootfs(): User looked up in the image */
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* supplementary groups from /etc/group */
	size_t ngroups;
	char *home;		/* from /etc/passwd, NULL if unknown */
	int stop_signo;		/* StopSignal as a number, 0 = unset */
};

struct image_layer {
	char digest[DIGEST_BUF];	/* the blob */
	char diff_id[DIGEST_BUF];	/* sha256 of the uncompressed tar */
	char chain_id[DIGEST_BUF];	/* names the unpacked dir */
	char *media_type;
	int64_t size;
};

struct image {
	char digest[DIGEST_BUF];	/* manifest */
	char config_digest[DIGEST_BUF];	/* the image ID */
	struct image_layer *layers;	/* bottom first */
	size_t nlayers;
	struct image_config config;
	int64_t size;			/* blobs: config + layers */
};

/* Parse and validate a manifest (every digest checked) into IMG. */
int image_parse_manifest(const char *json, struct image *img, berr *err);
/* Parse the config; diff_ids must match the layers; fills chain IDs. */
int image_parse_config(const char *json, struct image *img, berr *err);
/* Read manifest DIGEST and its config from the store. */
int image_open(struct image_store *s, const char *digest, struct image **ret, berr *err);
void image_free(struct image *img);
static inline void image_freep(struct image **img)
{
	image_free(*img);
}
void image_config_free(struct image_config *c);

/* REF: a name ("busybox", "busybox:1.36", "host:5000/a/b:tag"), a manifest
 * digest, or a prefix (>= 4 hex digits) of an image ID or manifest digest. */
int image_find(struct image_store *s, const char *ref, char ret_digest[DIGEST_BUF], berr *err);

/* Look up USER ("name", "uid", "name:group", "uid:gid") in /etc/passwd and
 * /etc/group of the top-most of LAYER_FDS (top first) that has them, read
 * with safe_openat (never following links out of the layer). Fills
 * cfg->uid/gid/groups/home. A numeric uid absent from passwd gets gid 0. */
int image_resolve_user(const int *layer_fds, size_t n, const char *user, struct image_config *cfg,
		       berr *err);

/* The runtime hook. Opens the store under ROOT read-only, finds REF, and
 * returns the lower dirs ("ROOT/images/layers/HEX", top first, a strv the
 * caller frees) and the parsed config with User resolved (image_config_free).
 * Optional outputs: RET_DIGEST (manifest, for store_ref_add). */
int image_resolve_rootfs(const char *root, const char *ref, char ***ret_lowers,
			 struct image_config **ret_config, char ret_digest[DIGEST_BUF], berr *err);

/* Signal name or number ("SIGTERM", "TERM", "15") -> number; 0 if unknown. */
int image_signal_number(const char *s);

#endif
