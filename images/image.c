// SPDX-License-Identifier: GPL-2.0-or-later
/* Manifests, configs, lookup by name, and the runtime hook. */
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/image.h"
#include "images/ref.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"
#include "lib/units.h"

static char *json_strdup(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? strdup(v) : NULL;
}

/* A JSON array of strings -> strv; NULL when absent (or null). */
static int json_strv(json_t *a, char ***ret)
{
	_cleanup_strv_ char **v = NULL;
	size_t i;
	json_t *it;

	*ret = NULL;
	if (!json_is_array(a))
		return 0;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	json_array_foreach(a, i, it) {
		if (!json_is_string(it))
			return -EINVAL;
		if (strv_add(&v, json_string_value(it)) < 0)
			return -ENOMEM;
	}
	*ret = TAKE_PTR(v);
	return 0;
}

/* Keys of a JSON object -> strv (ExposedPorts, Volumes). */
static int json_keys(json_t *o, char ***ret)
{
	const char *k;
	json_t *v;

	*ret = NULL;
	json_object_foreach(o, k, v) {
		if (strv_add(ret, k) < 0)
			return -ENOMEM;
	}
	return 0;
}

void image_config_free(struct image_config *c)
{
	if (!c)
		return;
	strv_free(c->entrypoint);
	strv_free(c->cmd);
	strv_free(c->env);
	strv_free(c->exposed_ports);
	strv_free(c->volumes);
	strv_free(c->labels);
	free(c->working_dir);
	free(c->user);
	free(c->stop_signal);
	free(c->os);
	free(c->architecture);
	free(c->variant);
	free(c->created);
	free(c->groups);
	free(c->home);
	memset(c, 0, sizeof(*c));
}

void image_free(struct image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nlayers; i++)
		free(img->layers[i].media_type);
	free(img->layers);
	image_config_free(&img->config);
	free(img);
}

static int desc_digest(json_t *d, char out[DIGEST_BUF], const char *what, berr *err)
{
	const char *v = json_string_value(json_object_get(d, "digest"));
	if (!digest_valid(v))
		return berr_fail(err, EINVAL, "Manifest: %s has an invalid digest \"%s\"", what,
				 v ? v : "");
	snprintf(out, DIGEST_BUF, "%s", v);
	return 0;
}

int image_parse_manifest(const char *text, struct image *img, berr *err)
{
	json_error_t je;
	json_t *m = json_loads(text, 0, &je);
	json_t *layers = json_object_get(m, "layers");
	size_t i;
	json_t *l;
	int r;

	if (!m)
		return berr_fail(err, EINVAL, "Manifest: %s", je.text);
	if (!json_is_array(layers) || json_integer_value(json_object_get(m, "schemaVersion")) != 2) {
		json_decref(m);
		return berr_fail(err, EINVAL, "Manifest: not an image manifest (schema 2)");
	}
	r = desc_digest(json_object_get(m, "config"), img->config_digest, "config", err);
	if (r < 0)
		goto out;
	img->nlayers = json_array_size(layers);
	img->layers = calloc(img->nlayers ? img->nlayers : 1, sizeof(*img->layers));
	if (!img->layers) {
		r = berr_errno(err, ENOMEM, "Manifest");
		goto out;
	}
	img->size = json_integer_value(json_object_get(json_object_get(m, "config"), "size"));
	json_array_foreach(layers, i, l) {
		r = desc_digest(l, img->layers[i].digest, "a layer", err);
		if (r < 0)
			goto out;
		img->layers[i].media_type = json_strdup(l, "mediaType");
		img->layers[i].size = json_integer_value(json_object_get(l, "size"));
		img->size += img->layers[i].size;
	}
	r = 0;
out:
	json_decref(m);
	return r;
}

static int parse_config_fields(json_t *c, struct image_config *cfg)
{
	json_t *env = json_object_get(c, "Env");
	json_t *labels = json_object_get(c, "Labels");
	const char *k;
	json_t *v;

	if (json_strv(json_object_get(c, "Entrypoint"), &cfg->entrypoint) < 0 ||
	    json_strv(json_object_get(c, "Cmd"), &cfg->cmd) < 0 || json_strv(env, &cfg->env) < 0)
		return -EINVAL;
	cfg->working_dir = json_strdup(c, "WorkingDir");
	cfg->user = json_strdup(c, "User");
	cfg->stop_signal = json_strdup(c, "StopSignal");
	if (json_keys(json_object_get(c, "ExposedPorts"), &cfg->exposed_ports) < 0 ||
	    json_keys(json_object_get(c, "Volumes"), &cfg->volumes) < 0)
		return -ENOMEM;
	json_object_foreach(labels, k, v) {
		char *kv;
		if (!json_is_string(v) || asprintf(&kv, "%s=%s", k, json_string_value(v)) < 0)
			continue;
		if (strv_push(&cfg->labels, kv) < 0)
			return -ENOMEM;
	}
	cfg->stop_signo = cfg->stop_signal ? image_signal_number(cfg->stop_signal) : 0;
	return 0;
}

int image_parse_config(const char *text, struct image *img, berr *err)
{
	json_error_t je;
	json_t *root = json_loads(text, 0, &je);
	json_t *diffs = json_object_get(json_object_get(root, "rootfs"), "diff_ids");
	int r = 0;

	if (!root)
		return berr_fail(err, EINVAL, "Image config: %s", je.text);
	if (!json_is_array(diffs) || json_array_size(diffs) != img->nlayers) {
		r = berr_fail(err, EINVAL, "Image config: %zu diff_ids for %zu layers",
			      json_array_size(diffs), img->nlayers);
		goto out;
	}
	for (size_t i = 0; i < img->nlayers; i++) {
		const char *d = json_string_value(json_array_get(diffs, i));
		if (!digest_valid(d)) {
			r = berr_fail(err, EINVAL, "Image config: invalid diff_id \"%s\"", d ? d : "");
			goto out;
		}
		snprintf(img->layers[i].diff_id, DIGEST_BUF, "%s", d);
		digest_chain(i ? img->layers[i - 1].chain_id : NULL, d, img->layers[i].chain_id);
	}
	struct image_config *cfg = &img->config;
	cfg->os = json_strdup(root, "os");
	cfg->architecture = json_strdup(root, "architecture");
	cfg->variant = json_strdup(root, "variant");
	cfg->created = json_strdup(root, "created");
	if (parse_config_fields(json_object_get(root, "config"), cfg) < 0)
		r = berr_fail(err, EINVAL, "Image config: bad Entrypoint, Cmd or Env");
out:
	json_decref(root);
	return r;
}

int image_open(struct image_store *s, const char *digest, struct image **ret, berr *err)
{
	_cleanup_(image_freep) struct image *img = calloc(1, sizeof(*img));
	_cleanup_free_ char *man = NULL, *cfg = NULL;
	int r;

	if (!img)
		return berr_errno(err, ENOMEM, "Image");
	snprintf(img->digest, DIGEST_BUF, "%s", digest);
	r = store_blob_read(s, digest, IMAGE_JSON_MAX, &man, NULL, err);
	if (r < 0)
		return r;
	r = image_parse_manifest(man, img, err);
	if (r < 0)
		return r;
	r = store_blob_read(s, img->config_digest, IMAGE_JSON_MAX, &cfg, NULL, err);
	if (r < 0)
		return r;
	r = image_parse_config(cfg, img, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(img);
	return 0;
}

static bool is_hex_prefix(const char *s)
{
	size_t n = strlen(s);
	return n >= 4 && n <= DIGEST_HEX && strspn(s, "0123456789abcdef") == n;
}

/* Does the image behind record digest D have ID or digest starting with HEX? */
static bool id_matches(struct image_store *s, const char *d, const char *hex)
{
	_cleanup_(image_freep) struct image *img = NULL;

	if (strncmp(digest_hex(d), hex, strlen(hex)) == 0)
		return true;
	if (image_open(s, d, &img, NULL) < 0)
		return false;
	return strncmp(digest_hex(img->config_digest), hex, strlen(hex)) == 0;
}

int image_find(struct image_store *s, const char *ref, char ret_digest[DIGEST_BUF], berr *err)
{
	struct image_records recs = { 0 };
	const char *hex = strncmp(ref, "sha256:", 7) == 0 ? ref + 7 : ref;
	const char *found = NULL;
	int r = store_records_read(s, &recs, err);

	if (r < 0)
		return r;
	_cleanup_free_ char *name = ref_normalize(ref, NULL);
	for (size_t i = 0; name && i < recs.n && !found; i++)
		if (recs.v[i].name && strcmp(recs.v[i].name, name) == 0)
			found = recs.v[i].digest;
	for (size_t i = 0; !found && is_hex_prefix(hex) && i < recs.n; i++)
		if (id_matches(s, recs.v[i].digest, hex))
			found = recs.v[i].digest;
	if (found)
		snprintf(ret_digest, DIGEST_BUF, "%s", found);
	image_records_free(&recs);
	return found ? 0 : berr_fail(err, ENOENT, "No such image \"%s\"", ref);
}

int image_signal_number(const char *s)
{
	int64_t n;

	if (parse_int64(s, 1, 64, &n) == 0)
		return (int)n;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && strcasecmp(abbrev, s) == 0)
			return i;
	}
	return 0;
}

/* ---- the runtime hook ---- */

int image_resolve_rootfs(const char *root, const char *ref, char ***ret_lowers,
			 struct image_config **ret_config, char ret_digest[DIGEST_BUF], berr *err)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	_cleanup_(image_freep) struct image *img = NULL;
	_cleanup_strv_ char **lowers = NULL;
	char digest[DIGEST_BUF];
	int fds[256];
	size_t nfds = 0;
	int r;

	r = store_open(root, false, &s, err);
	if (r < 0)
		return r;
	r = image_find(s, ref, digest, err);
	if (r < 0)
		return r;
	r = image_open(s, digest, &img, err);
	if (r < 0)
		return r;
	if (img->nlayers > ARRAY_SIZE(fds))
		return berr_fail(err, E2BIG, "Image \"%s\" has more than %zu layers", ref, ARRAY_SIZE(fds));
	lowers = calloc(1, sizeof(*lowers));
	if (!lowers)
		return berr_errno(err, ENOMEM, "Image \"%s\"", ref);
	for (size_t i = img->nlayers; i-- > 0;) {
		char *p = store_layer_path(s, img->layers[i].chain_id);
		if (!p || strv_push(&lowers, p) < 0) {
			r = berr_errno(err, ENOMEM, "Image \"%s\"", ref);
			goto out;
		}
		fds[nfds] = openat(s->layers_fd, digest_hex(img->layers[i].chain_id),
				   O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fds[nfds] < 0) {
			r = berr_errno(err, errno, "Image \"%s\": layer %s", ref, img->layers[i].chain_id);
			goto out;
		}
		nfds++;
	}
	r = image_resolve_user(fds, nfds, img->config.user, &img->config, err);
	if (r < 0) {
		berr_prefix(err, "Image \"%s\"", ref);
		goto out;
	}
	*ret_lowers = TAKE_PTR(lowers);
	if (ret_config) {
		*ret_config = malloc(sizeof(**ret_config));
		if (!*ret_config) {
			r = berr_errno(err, ENOMEM, "Image \"%s\"", ref);
			goto out;
		}
		**ret_config = img->config;
		memset(&img->config, 0, sizeof(img->config));
	}
	if (ret_digest)
		snprintf(ret_digest, DIGEST_BUF, "%s", digest);
out:
	while (nfds > 0)
		close(fds[--nfds]);
	return r;
}
