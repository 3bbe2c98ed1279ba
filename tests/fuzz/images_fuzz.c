// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness for the image store's parsers of untrusted input. The
 * first byte picks the target, the rest is the input:
 *   0  a layer (tar, tar+gzip, tar+zstd) unpacked into SANDBOX/layer: ends
 *      in success or an error with a message, and SANDBOX/outside (a canary
 *      file next to the layer) is never touched
 *   1  a manifest then, after a NUL, a config (image_parse_manifest/config)
 *   2  a reference and a platform string
 * Build and run: tests/fuzz/images.sh [SECONDS]
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/image.h"
#include "images/platform.h"
#include "images/ref.h"
#include "images/unpack.h"
#include "lib/fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char sandbox[64];

static void fuzz_layer(const uint8_t *data, size_t size)
{
	char p[128];
	struct stat st;

	if (!sandbox[0]) {
		snprintf(sandbox, sizeof(sandbox), "/tmp/berth-fuzz-images-%d", (int)getpid());
		mkdir(sandbox, 0700);
		snprintf(p, sizeof(p), "%s/outside", sandbox);
		mkdir(p, 0700);
		snprintf(p, sizeof(p), "%s/outside/canary", sandbox);
		close(open(p, O_WRONLY | O_CREAT, 0600));
	}
	snprintf(p, sizeof(p), "%s/layer", sandbox);
	rm_rf_at(AT_FDCWD, p);
	mkdir(p, 0755);
	int dfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int in = memfd_create("layer", MFD_CLOEXEC);
	if (write(in, data, size) != (ssize_t)size)
		abort();
	lseek(in, 0, SEEK_SET);
	struct unpack_opts o = { .max_bytes = 64u << 20, .no_sync = true };
	struct unpack_stats us;
	berr err = { 0 };
	if (layer_unpack(in, dfd, &o, &us, &err) < 0 && !err.msg[0])
		abort(); /* every error has a message */
	close(in);
	close(dfd);
	snprintf(p, sizeof(p), "%s/outside", sandbox);
	DIR *d = opendir(p);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	snprintf(p, sizeof(p), "%s/outside/canary", sandbox);
	if (n != 1 || stat(p, &st) < 0 || st.st_size != 0 || (st.st_mode & 07777) != 0600)
		abort(); /* something escaped the layer */
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	const char *config = buf + strlen(buf) + 1;
	struct image *img = calloc(1, sizeof(*img));
	berr err = { 0 };
	if (image_parse_manifest(buf, img, &err) == 0) {
		if (!digest_valid(img->config_digest))
			abort();
		for (size_t i = 0; i < img->nlayers; i++)
			if (!digest_valid(img->layers[i].digest))
				abort(); /* no unvalidated digest leaves the parser */
		if (config < buf + size + 1 && image_parse_config(config, img, &err) == 0)
			for (size_t i = 0; i < img->nlayers; i++)
				if (!digest_valid(img->layers[i].chain_id))
					abort();
	} else if (!err.msg[0]) {
		abort();
	}
	image_free(img);
	free(buf);
}

static void fuzz_names(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	struct image_ref r;
	struct platform p;
	if (ref_parse(s, &r, NULL) == 0) {
		/* names are never paths; they must normalise to themselves */
		char *n = ref_name(&r);
		char *again = n ? ref_normalize(n, NULL) : NULL;
		if (!n || !again || strcmp(n, again) != 0)
			abort();
		free(n);
		free(again);
		ref_free(&r);
	}
	platform_parse(s, &p, NULL);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_layer(data + 1, size - 1);
		break;
	case 1:
		fuzz_json(data + 1, size - 1);
		break;
	default:
		fuzz_names(data + 1, size - 1);
	}
	return 0;
}
