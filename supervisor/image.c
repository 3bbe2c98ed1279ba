// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "images/image.h"
#include "images/store.h"
#include "lib/kconfig.h"
#include "lib/strv.h"
#include "supervisor/image.h"

/* take a field out of the config so image_config_free leaves it */
#define TAKE_CFG(f) ({ __typeof__(f) _v = (f); (f) = NULL; _v; })

static int from_store(const char *root, const char *ref, struct image_defaults *img, berr *err)
{
	struct image_config *cfg = NULL;
	int r = image_resolve_rootfs(root, ref, &img->lowers, &cfg, NULL, err);
	if (r < 0)
		return r;
	img->entrypoint = TAKE_CFG(cfg->entrypoint);
	img->cmd = TAKE_CFG(cfg->cmd);
	img->env = TAKE_CFG(cfg->env);
	img->workdir = TAKE_CFG(cfg->working_dir);
	img->stop_signal = cfg->stop_signo;
	/* User was looked up in the image's /etc/passwd by the store */
	if (cfg->user && *cfg->user && asprintf(&img->user, "%u:%u", (unsigned)cfg->uid, (unsigned)cfg->gid) < 0)
		img->user = NULL;
	image_config_free(cfg);
	return 0;
}

int sv_image_resolve(const char *root, const char *ref, struct image_defaults *img, berr *err)
{
	*img = (struct image_defaults){ 0 };
	if (ref[0] == '/') {
		struct stat st;
		if (stat(ref, &st) < 0)
			return berr_errno(err, errno, "Image \"%s\"", ref);
		if (!S_ISDIR(st.st_mode))
			return berr_fail(err, ENOTDIR, "Image \"%s\" is not a directory", ref);
		img->rootfs = realpath(ref, NULL);
		return img->rootfs ? 0 : berr_errno(err, errno, "Image \"%s\"", ref);
	}
	if (IS_ENABLED(CONFIG_IMAGES)) {
		int r = from_store(root, ref, img, err);
		if (r < 0)
			image_defaults_clear(img);
		return r;
	}
	return berr_fail(err, ENOENT, "Image \"%s\": this berth was built without the image store", ref);
}

static bool has_container(const struct pod_spec *p, const char *name, bool store_image)
{
	for (size_t i = 0; p && i < p->ncontainers; i++)
		if (strcmp(p->containers[i].name, name) == 0)
			return !store_image || p->containers[i].image[0] != '/';
	return false;
}

static int refs_update(const char *root, const char *name, const struct pod_spec *old,
		       const struct pod_spec *new, berr *err)
{
	struct image_store *s = NULL;
	int r = store_open(root, true, &s, err);
	if (r < 0)
		return r;
	char holder[128], digest[DIGEST_BUF];
	for (size_t i = 0; new && i < new->ncontainers && r == 0; i++) {
		const struct container_spec *c = &new->containers[i];
		snprintf(holder, sizeof(holder), "pod.%s.%s", name, c->name);
		if (c->image[0] == '/')
			r = store_ref_drop(s, holder, err);
		else if (image_find(s, c->image, digest, err) == 0)
			r = store_ref_add(s, holder, digest, err);
	}
	for (size_t i = 0; old && i < old->ncontainers && r == 0; i++) {
		if (has_container(new, old->containers[i].name, false))
			continue;
		snprintf(holder, sizeof(holder), "pod.%s.%s", name, old->containers[i].name);
		r = store_ref_drop(s, holder, err);
	}
	store_close(s);
	return r;
}

int sv_image_refs(const char *root, const char *name, const struct pod_spec *old,
		  const struct pod_spec *new, berr *err)
{
	if (!IS_ENABLED(CONFIG_IMAGES))
		return 0;
	bool any = false;
	for (size_t i = 0; new && i < new->ncontainers; i++)
		any |= new->containers[i].image[0] != '/';
	for (size_t i = 0; old && i < old->ncontainers; i++)
		any |= old->containers[i].image[0] != '/';
	return any ? refs_update(root, name, old, new, err) : 0;
}

void image_defaults_clear(struct image_defaults *img)
{
	strv_free(img->lowers);
	free(img->rootfs);
	strv_free(img->entrypoint);
	strv_free(img->cmd);
	strv_free(img->env);
	free(img->workdir);
	free(img->user);
	*img = (struct image_defaults){ 0 };
}
