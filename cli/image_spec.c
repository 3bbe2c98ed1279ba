// SPDX-License-Identifier: GPL-2.0-or-later
/* A container spec from an image: see cli/image.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/image.h"
#include "images/image.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

/* "K=V" entries of IMAGE_ENV replace same-key entries of *ENV, others are added. */
static int merge_env(char ***env, char **image_env)
{
	for (size_t i = 0; image_env && image_env[i]; i++) {
		const char *eq = strchr(image_env[i], '=');
		size_t klen = eq ? (size_t)(eq - image_env[i]) : strlen(image_env[i]);
		bool done = false;
		for (size_t j = 0; *env && (*env)[j]; j++) {
			if (strncmp((*env)[j], image_env[i], klen) == 0 && (*env)[j][klen] == '=') {
				char *c = strdup(image_env[i]);
				if (!c)
					return -ENOMEM;
				free((*env)[j]);
				(*env)[j] = c;
				done = true;
				break;
			}
		}
		if (!done && strv_add(env, image_env[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

static bool env_has(char **env, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], key, n) == 0 && env[i][n] == '=')
			return true;
	return false;
}

static int build_args(struct bspec *spec, struct image_config *cfg, const char *ep_override)
{
	_cleanup_strv_ char **args = calloc(1, sizeof(char *));
	_cleanup_strv_ char **ep = NULL;

	if (!args)
		return -ENOMEM;
	if (ep_override)
		ep = *ep_override ? strv_split(ep_override, " ") : calloc(1, sizeof(char *));
	else
		ep = cfg->entrypoint ? strv_dup(cfg->entrypoint) : calloc(1, sizeof(char *));
	if (!ep)
		return -ENOMEM;
	/* docker: an --entrypoint override drops the image's Cmd */
	char **rest = spec->process.args ? spec->process.args : ep_override ? NULL : cfg->cmd;
	for (size_t i = 0; ep[i]; i++)
		if (strv_add(&args, ep[i]) < 0)
			return -ENOMEM;
	for (size_t i = 0; rest && rest[i]; i++)
		if (strv_add(&args, rest[i]) < 0)
			return -ENOMEM;
	if (!args[0])
		return -ENOEXEC;
	strv_free(spec->process.args);
	spec->process.args = TAKE_PTR(args);
	return 0;
}

static int container_dirs(struct cli *cli, struct bspec *spec, berr *err)
{
	char base[4096];
	static const char *const sub[] = { "upper", "work", "rootfs" };
	char **dst[] = { &spec->rootfs_upper, &spec->rootfs_work, &spec->rootfs };

	snprintf(base, sizeof(base), "%s/containers", cli->root);
	if (mkdir_p(base, 0700, err) < 0)
		return -err->code;
	snprintf(base, sizeof(base), "%s/containers/%s", cli->root, spec->id);
	if (mkdir(base, 0700) < 0 && errno != EEXIST)
		return berr_errno(err, errno, "Create \"%s\"", base);
	for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
		char *p;
		if (asprintf(&p, "%s/%s", base, sub[i]) < 0)
			return berr_errno(err, ENOMEM, "Container dirs");
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			return berr_errno(err, e, "Create \"%s/%s\"", base, sub[i]);
		}
		free(*dst[i]);
		*dst[i] = p;
	}
	return 0;
}

static int apply_config(struct bspec *spec, struct image_config *cfg, const char *ep, const char *ref,
			berr *err)
{
	int r = build_args(spec, cfg, ep);
	if (r == -ENOEXEC)
		return berr_fail(err, EINVAL, "Image \"%s\" has no Entrypoint or Cmd: give a command", ref);
	if (r < 0 || merge_env(&spec->process.env, cfg->env) < 0)
		return berr_errno(err, ENOMEM, "Image \"%s\"", ref);
	if (cfg->home && !env_has(spec->process.env, "HOME")) {
		char *h;
		if (asprintf(&h, "HOME=%s", cfg->home) < 0 || strv_push(&spec->process.env, h) < 0)
			return berr_errno(err, ENOMEM, "Image \"%s\"", ref);
	}
	if (cfg->working_dir && *cfg->working_dir) {
		free(spec->process.cwd);
		spec->process.cwd = strdup(cfg->working_dir);
	}
	spec->process.uid = cfg->uid;
	spec->process.gid = cfg->gid;
	free(spec->process.groups);
	spec->process.groups = TAKE_PTR(cfg->groups);
	spec->process.ngroups = cfg->ngroups;
	if (cfg->stop_signo > 0)
		spec->stop_signal = cfg->stop_signo;
	return 0;
}

int image_fill_spec(struct cli *cli, const char *ref, const char *entrypoint_override,
		    struct bspec *spec, berr *err)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	_cleanup_strv_ char **lowers = NULL;
	struct image_config *cfg = NULL;
	char digest[DIGEST_BUF];
	int r;

	if (!spec->id)
		return berr_fail(err, EINVAL, "Container has no name yet");
	/* the write lock keeps prune away between lookup and reference */
	r = store_open(cli->root, true, &s, err);
	if (r < 0)
		return r;
	r = image_resolve_rootfs(cli->root, ref, &lowers, &cfg, digest, err);
	if (r < 0)
		return r;
	r = store_ref_add(s, spec->id, digest, err);
	if (r >= 0)
		r = container_dirs(cli, spec, err);
	if (r >= 0)
		r = apply_config(spec, cfg, entrypoint_override, ref, err);
	image_config_free(cfg);
	free(cfg);
	if (r < 0) {
		store_ref_drop(s, spec->id, NULL);
		return r;
	}
	strv_free(spec->rootfs_lowers);
	spec->rootfs_lowers = TAKE_PTR(lowers);
	return 0;
}

int image_spec_user(struct bspec *spec, const char *user, berr *err)
{
	struct image_config cfg = { 0 };
	int fds[256];
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; spec->rootfs_lowers && spec->rootfs_lowers[i] && n < ARRAY_SIZE(fds); i++) {
		fds[n] = open(spec->rootfs_lowers[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fds[n] < 0) {
			r = berr_errno(err, errno, "Open layer \"%s\"", spec->rootfs_lowers[i]);
			goto out;
		}
		n++;
	}
	r = image_resolve_user(fds, n, user, &cfg, err);
	if (r >= 0) {
		spec->process.uid = cfg.uid;
		spec->process.gid = cfg.gid;
		free(spec->process.groups);
		spec->process.groups = TAKE_PTR(cfg.groups);
		spec->process.ngroups = cfg.ngroups;
	}
	image_config_free(&cfg);
out:
	while (n > 0)
		close(fds[--n]);
	return r;
}

int image_release_spec(struct cli *cli, const char *id, berr *err)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	char base[4096];
	int r;

	if (!id || !*id || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, ".."))
		return berr_fail(err, EINVAL, "Invalid container name \"%s\"", id ? id : "");
	snprintf(base, sizeof(base), "%s/containers/%s", cli->root, id);
	_cleanup_close_ int dfd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0) {
		rm_rf_at(dfd, "upper");
		rm_rf_at(dfd, "work");
		unlinkat(dfd, "rootfs", AT_REMOVEDIR);
		rmdir(base); /* only when nothing else (the runtime's files) is left */
	}
	r = store_open(cli->root, true, &s, err);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	return store_ref_drop(s, id, err);
}
