// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/gc.h"
#include "images/image.h"
#include "images/ref.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

static bool strv_has(char **v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Manifest digests that containers hold. */
static int held_digests(struct image_store *s, char ***ret, berr *err)
{
	_cleanup_strv_ char **refs = NULL;
	int r = store_refs_list(s, &refs, err);

	if (r < 0)
		return r;
	*ret = calloc(1, sizeof(char *));
	if (!*ret)
		return berr_errno(err, ENOMEM, "References");
	for (size_t i = 0; refs[i]; i++) {
		const char *d = strchr(refs[i], ' ');
		if (d && strv_add(ret, d + 1) < 0)
			return berr_errno(err, ENOMEM, "References");
	}
	return 0;
}

static char *holder_of(struct image_store *s, const char *digest)
{
	_cleanup_strv_ char **refs = NULL;
	if (store_refs_list(s, &refs, NULL) < 0)
		return NULL;
	for (size_t i = 0; refs[i]; i++) {
		char *sp = strchr(refs[i], ' ');
		if (sp && strcmp(sp + 1, digest) == 0) {
			*sp = '\0';
			return strdup(refs[i]);
		}
	}
	return NULL;
}

int image_remove(struct image_store *s, const char *ref, bool force, char ret_digest[DIGEST_BUF],
		 berr *err)
{
	struct image_records recs = { 0 };
	char digest[DIGEST_BUF];
	_cleanup_free_ char *name = ref_normalize(ref, NULL);
	int r = image_find(s, ref, digest, err);

	if (r < 0)
		return r;
	r = store_records_read(s, &recs, err);
	if (r < 0)
		return r;
	/* by name: only that name; by ID: all names of the image */
	bool by_name = false;
	for (size_t i = 0; name && i < recs.n; i++)
		by_name |= recs.v[i].name && strcmp(recs.v[i].name, name) == 0;
	size_t left = 0, w = 0;
	for (size_t i = 0; i < recs.n; i++) {
		bool drop = strcmp(recs.v[i].digest, digest) == 0 &&
			    (!by_name || (recs.v[i].name && strcmp(recs.v[i].name, name) == 0));
		if (drop) {
			free(recs.v[i].name);
			continue;
		}
		left += strcmp(recs.v[i].digest, digest) == 0;
		recs.v[w++] = recs.v[i];
	}
	recs.n = w;
	_cleanup_free_ char *holder = left == 0 ? holder_of(s, digest) : NULL;
	if (holder && !force) {
		image_records_free(&recs);
		return berr_fail(err, EBUSY, "Image \"%s\" is used by container \"%s\"", ref, holder);
	}
	r = store_records_write(s, &recs, err);
	image_records_free(&recs);
	if (r >= 0 && ret_digest)
		snprintf(ret_digest, DIGEST_BUF, "%s", digest);
	return r;
}

/* Blobs and layer dirs reachable from DIGESTS. */
static int reachable(struct image_store *s, char **digests, char ***blobs, char ***layers, berr *err)
{
	for (size_t i = 0; digests && digests[i]; i++) {
		_cleanup_(image_freep) struct image *img = NULL;
		if (strv_add(blobs, digests[i]) < 0)
			return berr_errno(err, ENOMEM, "Prune");
		if (image_open(s, digests[i], &img, NULL) < 0) {
			/* an unreadable manifest keeps what a partial parse names: nothing */
			continue;
		}
		if (strv_add(blobs, img->config_digest) < 0)
			return berr_errno(err, ENOMEM, "Prune");
		for (size_t j = 0; j < img->nlayers; j++)
			if (strv_add(blobs, img->layers[j].digest) < 0 ||
			    strv_add(layers, digest_hex(img->layers[j].chain_id)) < 0)
				return berr_errno(err, ENOMEM, "Prune");
	}
	return 0;
}

static uint64_t du_at(int dfd, const char *name)
{
	struct stat st;
	uint64_t sum = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return (uint64_t)st.st_blocks * 512;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d)
		rewinddir(d); /* the fd is a dup: its offset is shared */
	struct dirent *de;
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			sum += du_at(fd, de->d_name);
	closedir(d);
	return sum;
}

/* Remove entries of DIRFD not in KEEP (hex names). */
static void sweep(struct image_store *s, int dirfd, char **keep, uint64_t *count, uint64_t *bytes)
{
	DIR *d = opendir_dup(dirfd);
	struct dirent *de;
	_cleanup_strv_ char **victims = NULL;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !strv_has(keep, de->d_name))
			strv_add(&victims, de->d_name);
	closedir(d);
	for (size_t i = 0; victims && victims[i]; i++) {
		*bytes += du_at(dirfd, victims[i]);
		store_crash_point();
		/* a layer goes out of sight first (one rename), then is deleted */
		char tmpname[128];
		snprintf(tmpname, sizeof(tmpname), "gc-%.80s", victims[i]);
		if (renameat(dirfd, victims[i], s->tmp_fd, tmpname) == 0)
			rm_rf_at(s->tmp_fd, tmpname);
		else
			rm_rf_at(dirfd, victims[i]);
		(*count)++;
	}
	fsync(dirfd);
}

int store_prune(struct image_store *s, struct prune_stats *ret, berr *err)
{
	struct image_records recs = { 0 };
	_cleanup_strv_ char **held = NULL, **live = NULL, **blobs = NULL, **layers = NULL;
	struct prune_stats st = { 0 };
	int r;

	r = held_digests(s, &held, err);
	if (r < 0)
		return r;
	r = store_records_read(s, &recs, err);
	if (r < 0)
		return r;
	size_t w = 0;
	for (size_t i = 0; i < recs.n; i++) {
		if (!recs.v[i].name && !strv_has(held, recs.v[i].digest)) {
			st.images++;
			continue;
		}
		recs.v[w++] = recs.v[i];
	}
	recs.n = w;
	if (st.images)
		r = store_records_write(s, &recs, err);
	for (size_t i = 0; r >= 0 && i < recs.n; i++)
		if (strv_add(&live, recs.v[i].digest) < 0)
			r = berr_errno(err, ENOMEM, "Prune");
	image_records_free(&recs);
	if (r < 0)
		return r;
	for (size_t i = 0; held[i]; i++)
		if (strv_add(&live, held[i]) < 0)
			return berr_errno(err, ENOMEM, "Prune");
	r = reachable(s, live, &blobs, &layers, err);
	if (r < 0)
		return r;
	for (size_t i = 0; blobs && blobs[i]; i++)
		memmove(blobs[i], blobs[i] + 7, strlen(blobs[i] + 7) + 1); /* hex names */
	uint64_t bytes = 0;
	sweep(s, s->blobs_fd, blobs, &st.blobs, &bytes);
	sweep(s, s->layers_fd, layers, &st.layers, &bytes);
	st.bytes = bytes;
	if (ret)
		*ret = st;
	return 0;
}

static int problem(void (*report)(void *, const char *), void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int problem(void (*report)(void *, const char *), void *ctx, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (report)
		report(ctx, buf);
	return 1;
}

static int check_blob(struct image_store *s, const char *d, bool verify, const char *what,
		      void (*report)(void *, const char *), void *ctx)
{
	berr e = { 0 };
	if (!store_has_blob(s, d))
		return problem(report, ctx, "%s: %s blob %s is missing", what, "", d);
	if (verify && store_blob_verify(s, d, &e) < 0)
		return problem(report, ctx, "%s: %s", what, e.msg);
	return 0;
}

static int check_image(struct image_store *s, const char *what, const char *digest, bool verify,
		       void (*report)(void *, const char *), void *ctx)
{
	_cleanup_(image_freep) struct image *img = NULL;
	berr e = { 0 };
	int n = check_blob(s, digest, verify, what, report, ctx);

	if (n)
		return n;
	if (image_open(s, digest, &img, &e) < 0)
		return problem(report, ctx, "%s: %s", what, e.msg);
	n += check_blob(s, img->config_digest, verify, what, report, ctx);
	for (size_t i = 0; i < img->nlayers; i++) {
		n += check_blob(s, img->layers[i].digest, verify, what, report, ctx);
		if (!store_has_layer(s, img->layers[i].chain_id))
			n += problem(report, ctx, "%s: layer dir %s is missing", what,
				     img->layers[i].chain_id);
	}
	return n;
}

int store_fsck(struct image_store *s, bool verify, void (*report)(void *ctx, const char *msg),
	       void *ctx, berr *err)
{
	struct image_records recs = { 0 };
	_cleanup_strv_ char **refs = NULL;
	int n = 0, r;

	r = store_records_read(s, &recs, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < recs.n; i++)
		n += check_image(s, recs.v[i].name ? recs.v[i].name : recs.v[i].digest, recs.v[i].digest,
				 verify, report, ctx);
	image_records_free(&recs);
	r = store_refs_list(s, &refs, err);
	if (r < 0)
		return r;
	for (size_t i = 0; refs[i]; i++) {
		char *sp = strchr(refs[i], ' ');
		*sp = '\0';
		n += check_image(s, refs[i], sp + 1, verify, report, ctx);
	}
	/* nothing but complete layers in layers/: names are valid hex */
	DIR *d = opendir_dup(s->layers_fd);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && !digest_hex_valid(de->d_name))
			n += problem(report, ctx, "layers/%s: not a layer", de->d_name);
	if (d)
		closedir(d);
	return n;
}
