// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/strv.h"
#include "supervisor/image.h"

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
	return berr_fail(err, ENOENT, "Image \"%s\": this berth has no image store yet", ref);
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
