// SPDX-License-Identifier: GPL-2.0-or-later
/* berth image pull: registry v2 client on libcurl. See pull.h. */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "images/pull_dl_curl.h"
#include "images/image.h"
#include "images/load.h"
#include "images/pull.h"
#include "images/ref.h"
#include "lib/cleanup.h"
#include "lib/fs.h"

#define DEFAULT_CREDENTIALS "/etc/berth/registries"
#define ACCEPT_MANIFESTS                                                                           \
	"Accept: " MEDIA_OCI_MANIFEST ", " MEDIA_OCI_INDEX ", " MEDIA_DOCKER_MANIFEST ", " MEDIA_DOCKER_LIST

struct membuf {
	char *p;
	size_t n, max;
};

struct puller {
	struct image_store *s;
	const struct pull_opts *o;
	berr *err;
	CURL *c;
	struct image_ref ref;
	const char *scheme;
	char *host;		/* where to connect: registry-1.docker.io for docker.io */
	char *token;		/* Bearer */
	char *userpwd;		/* from the credentials file */
	bool insecure;
	struct platform plat;
	/* the current response */
	long status;
	char *www_auth, *content_type;
	/* the current body's destination */
	struct membuf *mem;
	int fd;
	struct hasher *h;
	uint64_t written, limit, offset, total;
	const char *what;
	char errbody[512];
	size_t errlen;
};

/* ---- credentials: "HOST [USER:PASSWORD] [insecure]" lines ---- */

static void read_credentials(struct puller *p)
{
	const char *path = p->o->credentials ? p->o->credentials : getenv("BERTH_REGISTRY_AUTH");
	_cleanup_free_ char *buf = NULL;

	if (read_file_at(AT_FDCWD, path ? path : DEFAULT_CREDENTIALS, 1 << 20, &buf, NULL, NULL) < 0)
		return;
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[3] = { 0 };
		int n = 0;
		for (char *s2 = NULL, *t = strtok_r(line, " \t", &s2); t && n < 3; t = strtok_r(NULL, " \t", &s2))
			w[n++] = t;
		if (n == 0 || w[0][0] == '#' || strcmp(w[0], p->ref.registry) != 0)
			continue;
		for (int i = 1; i < n; i++) {
			if (!strcmp(w[i], "insecure"))
				p->insecure = true;
			else if (strchr(w[i], ':') && !p->userpwd)
				p->userpwd = strdup(w[i]);
		}
	}
}

/* ---- libcurl plumbing ---- */

static size_t on_header(char *b, size_t size, size_t n, void *ctx)
{
	struct puller *p = ctx;
	size_t len = size * n;
	char **dst = NULL;

	if (len > 5 && !strncmp(b, "HTTP/", 5)) { /* a new response (redirects) */
		free(p->www_auth);
		free(p->content_type);
		p->www_auth = p->content_type = NULL;
		p->errlen = 0;
	} else if (len > 17 && !strncasecmp(b, "WWW-Authenticate:", 17)) {
		dst = &p->www_auth;
	} else if (len > 13 && !strncasecmp(b, "Content-Type:", 13)) {
		dst = &p->content_type;
	}
	if (dst) {
		const char *v = strchr(b, ':') + 1;
		size_t vl = len - (size_t)(v - b);
		while (vl && (*v == ' ' || *v == '\t'))
			v++, vl--;
		while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
			vl--;
		free(*dst);
		*dst = strndup(v, vl);
	}
	return len;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* BERTH_PULL_MAX_RATE (bytes/s): a slow link for tests of interrupted pulls */
static void throttle(struct puller *p)
{
	static long rate = -1;
	static struct timespec start;
	static uint64_t base;
	struct timespec now;

	if (rate < 0) {
		const char *e = getenv("BERTH_PULL_MAX_RATE");
		rate = e && *e ? atol(e) : 0;
	}
	if (rate <= 0 || !p->what)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->written < base || base == 0) {
		start = now;
		base = p->written ? p->written : 1;
		return;
	}
	long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
	long due = (long)((p->written - base) * 1000 / (uint64_t)rate);
	if (due > elapsed)
		sleep_ms(due - elapsed);
}

static size_t on_body(char *b, size_t size, size_t n, void *ctx)
{
	struct puller *p = ctx;
	size_t len = size * n;
	long code = 0;

	curl_easy_getinfo(p->c, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code >= 300) { /* keep the start of an error body for the message */
		size_t room = sizeof(p->errbody) - 1 - p->errlen;
		size_t k = len < room ? len : room;
		memcpy(p->errbody + p->errlen, b, k);
		p->errlen += k;
		p->errbody[p->errlen] = '\0';
		return len;
	}
	if (p->fd >= 0 && p->offset > 0 && code == 200 && p->written == 0) {
		/* the server ignored our Range: take its full answer from the start */
		char dummy[DIGEST_BUF];
		if (ftruncate(p->fd, 0) < 0 || lseek(p->fd, 0, SEEK_SET) < 0)
			return 0;
		hasher_final(p->h, dummy);
		p->limit = p->total ? p->total : p->limit;
		p->offset = 0;
	}
	if (p->limit && p->written + len > p->limit)
		return 0; /* more than the descriptor said: abort */
	if (p->mem) {
		char *np = realloc(p->mem->p, p->mem->n + len + 1);
		if (!np)
			return 0;
		p->mem->p = np;
		memcpy(np + p->mem->n, b, len);
		p->mem->n += len;
		np[p->mem->n] = '\0';
	} else {
		for (size_t off = 0; off < len;) {
			ssize_t w = write(p->fd, b + off, len - off);
			if (w < 0)
				return 0;
			off += (size_t)w;
		}
	}
	if (p->h)
		hasher_update(p->h, b, len);
	p->written += len;
	throttle(p);
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ut, curl_off_t un)
{
	struct puller *p = ctx;
	(void)dltotal, (void)ut, (void)un;
	if (p->what && p->o->progress && dlnow > 0)
		p->o->progress(p->o->progress_ctx, p->what, p->offset + (uint64_t)dlnow, p->total);
	return 0;
}


/* One GET. Returns the HTTP status, or -errno for transport errors. */
static int get_once(struct puller *p, const char *url, const char *accept, const char *range,
		    bool with_auth)
{
	struct curl_slist *hdr = NULL;
	char auth[8192];

	curl_easy_reset(p->c);
	curl_easy_setopt(p->c, CURLOPT_URL, url);
	curl_easy_setopt(p->c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(p->c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(p->c, CURLOPT_PROTOCOLS_STR, p->insecure ? "http,https" : "https");
	curl_easy_setopt(p->c, CURLOPT_REDIR_PROTOCOLS_STR, p->insecure ? "http,https" : "https");
	curl_easy_setopt(p->c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(p->c, CURLOPT_HEADERDATA, p);
	curl_easy_setopt(p->c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(p->c, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(p->c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(p->c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(p->c, CURLOPT_XFERINFODATA, p);
	curl_easy_setopt(p->c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(p->c, CURLOPT_LOW_SPEED_LIMIT, 1L); /* stalled for 60 s: retry */
	curl_easy_setopt(p->c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(p->c, CURLOPT_USERAGENT, "berth");
	if (accept)
		hdr = curl_slist_append(hdr, accept);
	if (with_auth && p->token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", p->token);
		hdr = curl_slist_append(hdr, auth);
	} else if (with_auth && p->userpwd) {
		curl_easy_setopt(p->c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(p->c, CURLOPT_USERPWD, p->userpwd);
	}
	if (range)
		curl_easy_setopt(p->c, CURLOPT_RANGE, range);
	curl_easy_setopt(p->c, CURLOPT_HTTPHEADER, hdr);
	p->errlen = 0;
	p->errbody[0] = '\0';
	CURLcode rc = curl_easy_perform(p->c);
	curl_slist_free_all(hdr);
	curl_easy_getinfo(p->c, CURLINFO_RESPONSE_CODE, &p->status);
	if (rc != CURLE_OK) {
		berr_fail(p->err, EIO, "GET %s: %s", url, curl_easy_strerror(rc));
		return rc == CURLE_WRITE_ERROR ? -EFBIG : -EIO;
	}
	return (int)p->status;
}

/* Value of KEY="..." in a WWW-Authenticate challenge. */
static char *challenge_param(const char *h, const char *key)
{
	size_t kl = strlen(key);
	for (const char *s = h; (s = strstr(s, key)); s += kl) {
		if ((s != h && s[-1] != ' ' && s[-1] != ',') || s[kl] != '=')
			continue;
		const char *v = s + kl + 1;
		if (*v == '"') {
			const char *e = strchr(++v, '"');
			return e ? strndup(v, (size_t)(e - v)) : NULL;
		}
		return strndup(v, strcspn(v, ", "));
	}
	return NULL;
}

/* A 401: get a Bearer token from the realm the challenge names. */
static int authenticate(struct puller *p)
{
	_cleanup_free_ char *chal = p->www_auth ? strdup(p->www_auth) : NULL;
	if (!chal)
		return berr_fail(p->err, EACCES, "Registry \"%s\" refused access (401)", p->ref.registry);
	if (!strncasecmp(chal, "Basic", 5)) {
		if (!p->userpwd)
			return berr_fail(p->err, EACCES, "Registry \"%s\" wants a user and password (see --credentials)",
					 p->ref.registry);
		return 0; /* retried with basic credentials */
	}
	if (strncasecmp(chal, "Bearer", 6) != 0)
		return berr_fail(p->err, EACCES, "Registry \"%s\": unsupported authentication \"%s\"",
				 p->ref.registry, chal);
	_cleanup_free_ char *realm = challenge_param(chal, "realm");
	_cleanup_free_ char *service = challenge_param(chal, "service");
	_cleanup_free_ char *scope = challenge_param(chal, "scope");
	_cleanup_free_ char *url = NULL;
	char defscope[512];
	if (!realm)
		return berr_fail(p->err, EACCES, "Registry \"%s\": Bearer challenge without realm", p->ref.registry);
	snprintf(defscope, sizeof(defscope), "repository:%s:pull", p->ref.repo);
	char *es = curl_easy_escape(p->c, service ? service : "", 0);
	char *esc = curl_easy_escape(p->c, scope ? scope : defscope, 0);
	int n = asprintf(&url, "%s%sservice=%s&scope=%s", realm, strchr(realm, '?') ? "&" : "?", es, esc);
	curl_free(es);
	curl_free(esc);
	if (n < 0)
		return berr_errno(p->err, ENOMEM, "Token");
	struct membuf body = { 0 };
	char *tok_saved = p->token;
	/* the body of the token request goes to memory; the caller's sink is restored */
	struct membuf *mem = p->mem;
	struct hasher *h = p->h;
	uint64_t limit = p->limit, written = p->written;
	const char *what = p->what;
	int fd = p->fd;
	p->token = NULL; /* the token endpoint gets basic credentials, if any */
	p->mem = &body;
	p->h = NULL;
	p->fd = -1;
	p->limit = 1 << 20;
	p->written = 0;
	p->what = NULL;
	int st = get_once(p, url, NULL, NULL, true);
	p->mem = mem;
	p->h = h;
	p->fd = fd;
	p->limit = limit;
	p->written = written;
	p->what = what;
	free(tok_saved);
	if (st != 200) {
		free(body.p);
		return st < 0 ? st : berr_fail(p->err, EACCES, "Token from \"%s\": HTTP %d %s", realm, st, p->errbody);
	}
	json_t *j = json_loads(body.p ? body.p : "", 0, NULL);
	free(body.p);
	const char *t = json_string_value(json_object_get(j, "token"));
	if (!t)
		t = json_string_value(json_object_get(j, "access_token"));
	p->token = t ? strdup(t) : NULL;
	json_decref(j);
	return p->token ? 0 : berr_fail(p->err, EACCES, "Token from \"%s\": no token in the answer", realm);
}

static bool transient(int st)
{
	return st == -EIO || st == 429 || st >= 500;
}

/* GET with authentication and retries (backoff 0.5, 1, 2, 4 s). The body
 * goes where p->mem / p->fd say; BEFORE_TRY runs before each attempt (to
 * rewind a partial download). */
static int get(struct puller *p, const char *url, const char *accept,
	       int (*before_try)(struct puller *p, char *range, size_t rlen))
{
	int tries = p->o->retries > 0 ? p->o->retries : 4;
	bool authed = false;
	char range[64];

	for (int i = 0;; i++) {
		range[0] = '\0';
		if (before_try) {
			int r = before_try(p, range, sizeof(range));
			if (r < 0)
				return r;
		}
		int st = get_once(p, url, accept, range[0] ? range : NULL, true);
		if (st == 401 && !authed) {
			authed = true;
			int r = authenticate(p);
			if (r < 0)
				return r;
			i--;
			continue;
		}
		if (!transient(st) || i + 1 >= tries) {
			if (st >= 300 || st == 0)
				return berr_fail(p->err, st == 404 ? ENOENT : EIO, "GET %s: HTTP %d %s", url, st,
						 p->errbody);
			return st;
		}
		if (p->o->note) {
			char line[160];
			snprintf(line, sizeof(line), "Retrying in %ld ms: %s", 500L << i,
				 st < 0 ? p->err->msg : "server error");
			p->o->note(p->o->progress_ctx, line);
		}
		sleep_ms(500L << i);
	}
}

/* ---- manifests ---- */

static int fetch_manifest(struct puller *p, const char *reference, const char *expect, struct membuf *out,
			  char digest[DIGEST_BUF])
{
	_cleanup_free_ char *url = NULL;

	if (asprintf(&url, "%s://%s/v2/%s/manifests/%s", p->scheme, p->host, p->ref.repo, reference) < 0)
		return berr_errno(p->err, ENOMEM, "Pull");
	free(out->p);
	*out = (struct membuf){ 0 };
	p->mem = out;
	p->h = NULL;
	p->limit = IMAGE_JSON_MAX;
	p->written = 0;
	p->what = NULL;
	int st = get(p, url, ACCEPT_MANIFESTS, NULL);
	p->mem = NULL;
	if (st < 0)
		return st;
	if (!out->p)
		return berr_fail(p->err, EINVAL, "Manifest %s: empty answer", reference);
	digest_buf(out->p, out->n, digest);
	if (expect && strcmp(expect, digest) != 0)
		return berr_fail(p->err, EBADMSG, "Manifest %s: content has digest %s", expect, digest);
	return 0;
}

static const char *manifest_media(struct puller *p, json_t *m)
{
	const char *media = json_string_value(json_object_get(m, "mediaType"));
	if (media)
		return media;
	return json_object_get(m, "manifests") ? MEDIA_OCI_INDEX : p->content_type;
}

/* An index: the best manifest for our platform, its digest into OUT. */
static int pick_platform(struct puller *p, json_t *idx, char out[DIGEST_BUF])
{
	json_t *d, *best = NULL;
	int best_score = -1;
	size_t i;

	json_array_foreach(json_object_get(idx, "manifests"), i, d) {
		json_t *pl = json_object_get(d, "platform");
		int sc = platform_score(&p->plat, json_string_value(json_object_get(pl, "os")),
					json_string_value(json_object_get(pl, "architecture")),
					json_string_value(json_object_get(pl, "variant")));
		if (sc > best_score) {
			best_score = sc;
			best = d;
		}
	}
	const char *dg = json_string_value(json_object_get(best, "digest"));
	if (!best || !digest_valid(dg)) {
		char pb[64];
		return berr_fail(p->err, ENOENT, "%s/%s has no image for %s", p->ref.registry, p->ref.repo,
				 platform_str(&p->plat, pb));
	}
	snprintf(out, DIGEST_BUF, "%s", dg);
	return 0;
}

/* ---- blobs, resumable ---- */

static int partial_dir(struct puller *p)
{
	if (mkdirat(p->s->dfd, "partial", 0700) < 0 && errno != EEXIST)
		return berr_errno(p->err, errno, "Create \"%s/partial\"", p->s->path);
	int fd = openat(p->s->dfd, "partial", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? berr_errno(p->err, errno, "Open \"%s/partial\"", p->s->path) : fd;
}

/* Before each try: hash what the partial file holds and ask for the rest. */
static int resume_point(struct puller *p, char *range, size_t rlen)
{
	char buf[65536];
	ssize_t n;
	char dummy[DIGEST_BUF];

	hasher_final(p->h, dummy); /* reset */
	if (lseek(p->fd, 0, SEEK_SET) < 0)
		return berr_errno(p->err, errno, "Partial blob");
	uint64_t have = 0;
	while ((n = read(p->fd, buf, sizeof(buf))) > 0) {
		hasher_update(p->h, buf, (size_t)n);
		have += (uint64_t)n;
	}
	if (n < 0)
		return berr_errno(p->err, errno, "Partial blob");
	if (p->total && have > p->total) { /* junk: start over */
		if (ftruncate(p->fd, 0) < 0 || lseek(p->fd, 0, SEEK_SET) < 0)
			return berr_errno(p->err, errno, "Partial blob");
		hasher_final(p->h, dummy);
		have = 0;
	}
	p->offset = have;
	p->written = 0;
	p->limit = p->total ? p->total - have : IMAGE_JSON_MAX;
	if (have > 0) {
		snprintf(range, rlen, "%llu-", (unsigned long long)have);
		if (p->o->note) {
			char line[160];
			snprintf(line, sizeof(line), "Resuming %.19s at %llu bytes", p->what,
				 (unsigned long long)have);
			p->o->note(p->o->progress_ctx, line);
		}
		if (p->o->progress)
			p->o->progress(p->o->progress_ctx, p->what, have, p->total);
	}
	return 0;
}

static int fetch_blob(struct puller *p, const char *digest, int64_t size)
{
	_cleanup_close_ int pdir = -1;
	_cleanup_free_ char *url = NULL;
	_cleanup_(hasher_freep) struct hasher *h = hasher_new();
	char got[DIGEST_BUF];
	const char *hex = digest_hex(digest);

	if (store_has_blob(p->s, digest))
		return 0;
	if (!h)
		return hasher_error(p->err, "Pull");
	if (asprintf(&url, "%s://%s/v2/%s/blobs/%s", p->scheme, p->host, p->ref.repo, digest) < 0)
		return berr_errno(p->err, ENOMEM, "Pull");
	pdir = partial_dir(p);
	if (pdir < 0)
		return pdir;
	_cleanup_close_ int fd = openat(pdir, hex, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return berr_errno(p->err, errno, "Partial blob %s", digest);
	p->fd = fd;
	p->h = h;
	p->mem = NULL;
	p->what = digest;
	p->total = size > 0 ? (uint64_t)size : 0;
	int st = get(p, url, NULL, resume_point);
	if (st == 416) /* asked for bytes past the end: we have it all */
		st = 200;
	p->h = NULL;
	p->fd = -1;
	p->what = NULL;
	if (st < 0)
		return st;
	hasher_final(h, got);
	if (strcmp(got, digest) != 0) {
		unlinkat(pdir, hex, 0); /* never kept: the next try starts clean */
		return berr_fail(p->err, EBADMSG, "Blob %s: content has digest %s", digest, got);
	}
	if (p->o->progress)
		p->o->progress(p->o->progress_ctx, digest, p->offset + p->written, p->offset + p->written);
	store_crash_point();
	if (fsync(fd) < 0 || (linkat(pdir, hex, p->s->blobs_fd, hex, 0) < 0 && errno != EEXIST))
		return berr_errno(p->err, errno, "Store blob %s", digest);
	unlinkat(pdir, hex, 0);
	store_crash_point();
	return 0;
}

/* ---- the whole pull ---- */

static int pull_image(struct puller *p, char digest[DIGEST_BUF])
{
	struct membuf body = { 0 };
	char d[DIGEST_BUF];
	const char *reference = p->ref.digest ? p->ref.digest : p->ref.tag;
	struct image img = { 0 };
	int r = fetch_manifest(p, reference, p->ref.digest, &body, d);

	for (int depth = 0; r >= 0; depth++) {
		json_t *m = json_loads(body.p, 0, NULL);
		const char *media = m ? manifest_media(p, m) : NULL;
		bool index = media && (!strcmp(media, MEDIA_OCI_INDEX) || !strcmp(media, MEDIA_DOCKER_LIST));
		char want[DIGEST_BUF];
		if (!m)
			r = berr_fail(p->err, EINVAL, "Manifest %s is not JSON", reference);
		else if (index && depth < 3)
			r = pick_platform(p, m, want);
		json_decref(m);
		if (r < 0 || !index)
			break;
		r = fetch_manifest(p, want, want, &body, d);
	}
	if (r >= 0)
		r = image_parse_manifest(body.p, &img, p->err);
	if (r >= 0)
		r = store_blob_put(p->s, body.p, body.n, d, p->err);
	free(body.p);
	if (r >= 0)
		r = fetch_blob(p, img.config_digest, 0);
	for (size_t i = 0; r >= 0 && i < img.nlayers; i++)
		r = fetch_blob(p, img.layers[i].digest, img.layers[i].size);
	for (size_t i = 0; i < img.nlayers; i++)
		free(img.layers[i].media_type);
	free(img.layers);
	if (r >= 0)
		snprintf(digest, DIGEST_BUF, "%s", d);
	return r;
}

static void puller_free(struct puller *p)
{
	if (p->c)
		curl_easy_cleanup(p->c);
	ref_free(&p->ref);
	free(p->host);
	free(p->token);
	free(p->userpwd);
	free(p->www_auth);
	free(p->content_type);
}

int image_pull(struct image_store *s, const char *refstr, const struct pull_opts *opts, char **ret_name,
	       char ret_digest[DIGEST_BUF], berr *err)
{
	static const struct pull_opts none = { 0 };
	struct puller p = { .s = s, .o = opts ? opts : &none, .err = err, .fd = -1 };
	_cleanup_free_ char *name = NULL;
	char digest[DIGEST_BUF];
	int r;

	r = ref_parse(refstr, &p.ref, err);
	if (r < 0)
		return r;
	if (p.o->platform)
		p.plat = *p.o->platform;
	else
		platform_detect(&p.plat);
	p.insecure = p.o->insecure;
	read_credentials(&p);
	p.scheme = p.insecure ? "http" : "https";
	p.host = strdup(strcmp(p.ref.registry, REF_DEFAULT_REGISTRY) ? p.ref.registry : "registry-1.docker.io");
	if ((r = curl_dl_open(err)) < 0)
		goto out;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	p.c = curl_easy_init();
	if (!p.host || !p.c) {
		r = berr_errno(err, ENOMEM, "Pull");
		goto out;
	}
	r = pull_image(&p, digest);
	if (r < 0)
		goto out;
	name = ref_name(&p.ref);
	if (!name) {
		r = berr_errno(err, ENOMEM, "Pull");
		goto out;
	}
	r = image_import_manifest(s, digest, name, NULL, err);
	if (r < 0)
		goto out;
	if (ret_digest)
		snprintf(ret_digest, DIGEST_BUF, "%s", digest);
	if (ret_name)
		*ret_name = TAKE_PTR(name);
out:
	puller_free(&p);
	return r;
}
