/*
 * The keystore file.  It is read whole at start and on SIGHUP; a file
 * with any bad line is refused whole (and on SIGHUP the old keys stay), so
 * a typo never silently drops or widens someone's access.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/keystore.h"

static const char *const keystore_roles[] = { "viewer", "manager", "admin" };

const char *
keystore_role_name(enum keystore_role r)
{
	return (unsigned)r < 3 ? keystore_roles[r] : "?";
}

static int
keystore_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
keystore_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void
keystore_key_free(struct keystore_key *k)
{
	free(k->scope);
	k->scope = NULL;
	k->n_scope = 0;
}

void
keystore_free(struct keystore *ks)
{
	for (uint32_t i = 0; i < ks->n; i++)
		keystore_key_free(&ks->keys[i]);
	free(ks->keys);
	ks->keys = NULL;
	ks->n = 0;
}

int
keystore_copy(struct keystore *dst, const struct keystore *src)
{
	memset(dst, 0, sizeof *dst);
	if (src->n == 0)
		return 0;
	dst->keys = calloc(src->n, sizeof *dst->keys);
	if (dst->keys == NULL)
		return -1;
	for (uint32_t i = 0; i < src->n; i++) {
		const struct keystore_key *k = &src->keys[i];

		dst->keys[i] = *k;
		dst->keys[i].scope = NULL;
		if (k->n_scope > 0) {
			dst->keys[i].scope = malloc(k->n_scope * sizeof *k->scope);
			if (dst->keys[i].scope == NULL) {
				dst->n = i;
				keystore_free(dst);
				return -1;
			}
			memcpy(dst->keys[i].scope, k->scope, k->n_scope * sizeof *k->scope);
		}
	}
	dst->n = src->n;
	return 0;
}

/* Names and tenant ids: the characters a scenario id or a login uses. */
static bool
keystore_word_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PROTO_ID_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-@+", *s))
			return false;
	return true;
}

static int
keystore_cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
keystore_cmp_pub(const void *a, const void *b)
{
	return memcmp(((const struct keystore_key *)a)->pub, ((const struct keystore_key *)b)->pub, 32);
}

static int
keystore_parse_scope(struct keystore_key *k, char *s, char *why, size_t whylen)
{
	uint32_t n = 1;

	if (strcmp(s, "*") == 0) {
		k->all = true;
		return 0;
	}
	for (const char *p = s; *p; p++)
		n += *p == ',';
	if (n > KEYSTORE_SCOPE_MAX)
		return keystore_fail(why, whylen, "a scope may name at most %d tenants", KEYSTORE_SCOPE_MAX);
	k->scope = calloc(n, sizeof *k->scope);
	if (k->scope == NULL)
		return keystore_fail(why, whylen, "out of memory");
	for (char *save = NULL, *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!keystore_word_ok(t))
			return keystore_fail(why, whylen, "scope: '%s' is not a tenant id", t);
		memcpy(k->scope[k->n_scope++], t, strlen(t) + 1);
	}
	if (k->n_scope == 0 || k->n_scope != n)
		return keystore_fail(why, whylen, "scope '*' or tenant ids separated by commas, "
		                     "with no empty entries");
	qsort(k->scope, k->n_scope, sizeof *k->scope, keystore_cmp_id);
	return 0;
}

static int
keystore_parse_line(struct keystore_key *k, char *line, char *why, size_t whylen)
{
	char *f[5], *save = NULL;
	int n = 0;

	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		f[n < 5 ? n++ : 4] = t;
	if (n != 4)
		return keystore_fail(why, whylen, "want 4 fields (PUBLIC_KEY NAME ROLE SCOPE), found %s",
		                     n > 4 ? "more" : "fewer");
	if (!keyfile_z85_valid(f[0]))
		return keystore_fail(why, whylen, "'%.48s' is not a Z85 public key (40 characters)", f[0]);
	zmq_z85_decode(k->pub, f[0]);
	memcpy(k->z85, f[0], KEYFILE_Z85_LEN + 1);
	if (!keystore_word_ok(f[1]))
		return keystore_fail(why, whylen, "name '%.40s' must be 1-%d letters, digits or ._-@+",
		                     f[1], PROTO_ID_MAX);
	memcpy(k->name, f[1], strlen(f[1]) + 1);
	for (n = 0; n < 3 && strcmp(f[2], keystore_roles[n]) != 0; n++)
		;
	if (n == 3)
		return keystore_fail(why, whylen, "role '%.40s' is not viewer, manager or admin", f[2]);
	k->role = (enum keystore_role)n;
	return keystore_parse_scope(k, f[3], why, whylen);
}

static int
keystore_add(struct keystore *ks, const struct keystore_key *k, uint32_t *cap)
{
	if (ks->n == *cap) {
		uint32_t nc = *cap ? *cap * 2 : 16;
		struct keystore_key *p = realloc(ks->keys, nc * sizeof *p);
		if (p == NULL)
			return -1;
		ks->keys = p;
		*cap = nc;
	}
	ks->keys[ks->n++] = *k;
	return 0;
}

int
keystore_load(struct keystore *ks, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, why[256];
	size_t cap = 0;
	uint32_t kcap = 0, lineno = 0;
	ssize_t len;

	memset(ks, 0, sizeof *ks);
	if (f == NULL)
		return keystore_fail(err, errlen, "cannot open keystore %s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct keystore_key k;
		char *hash;

		lineno++;
		if (len > KEYSTORE_LINE_MAX) {
			snprintf(why, sizeof why, "line longer than %d bytes", KEYSTORE_LINE_MAX);
			goto bad;
		}
		if ((size_t)len != strlen(line)) {
			snprintf(why, sizeof why, "NUL byte in the line");
			goto bad;
		}
		/* Z85 keys may hold '#': a comment starts a line or a field. */
		for (hash = line; (hash = strchr(hash, '#')) != NULL; hash++)
			if (hash == line || hash[-1] == ' ' || hash[-1] == '\t') {
				*hash = '\0';
				break;
			}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0')
			continue;
		memset(&k, 0, sizeof k);
		if (keystore_parse_line(&k, line, why, sizeof why) < 0) {
			keystore_key_free(&k);
			goto bad;
		}
		if (keystore_find_name(ks, k.name) != NULL || keystore_find_z85(ks, k.z85) != NULL) {
			snprintf(why, sizeof why, "%s '%s' is already in the keystore",
			         keystore_find_name(ks, k.name) ? "name" : "key",
			         keystore_find_name(ks, k.name) ? k.name : k.z85);
			keystore_key_free(&k);
			goto bad;
		}
		if (ks->n == KEYSTORE_KEYS_MAX) {
			snprintf(why, sizeof why, "more than %d keys", KEYSTORE_KEYS_MAX);
			keystore_key_free(&k);
			goto bad;
		}
		if (keystore_add(ks, &k, &kcap) < 0) {
			snprintf(why, sizeof why, "out of memory");
			keystore_key_free(&k);
			goto bad;
		}
	}
	if (ferror(f)) {
		snprintf(why, sizeof why, "read error: %s", strerror(errno));
		goto bad;
	}
	free(line);
	fclose(f);
	if (ks->n > 0)
		qsort(ks->keys, ks->n, sizeof *ks->keys, keystore_cmp_pub);
	return 0;
bad:
	free(line);
	fclose(f);
	keystore_free(ks);
	return keystore_fail(err, errlen, "%s:%u: %s", path, lineno, why);
}

const struct keystore_key *
keystore_find(const struct keystore *ks, const uint8_t pub[32])
{
	struct keystore_key probe;

	if (ks == NULL || ks->n == 0)
		return NULL;
	memcpy(probe.pub, pub, 32);
	return bsearch(&probe, ks->keys, ks->n, sizeof *ks->keys, keystore_cmp_pub);
}

/* Linear: the keys are sorted only once the file is read whole, and these
 * two run while it is being read and, on a live server, only per request
 * from a keyed connection (a few thousand keys at most). */
const struct keystore_key *
keystore_find_z85(const struct keystore *ks, const char *z85)
{
	for (uint32_t i = 0; ks != NULL && i < ks->n; i++)
		if (strcmp(ks->keys[i].z85, z85) == 0)
			return &ks->keys[i];
	return NULL;
}

const struct keystore_key *
keystore_find_name(const struct keystore *ks, const char *name)
{
	for (uint32_t i = 0; ks != NULL && i < ks->n; i++)
		if (strcmp(ks->keys[i].name, name) == 0)
			return &ks->keys[i];
	return NULL;
}

bool
keystore_in_scope(const struct keystore_key *k, const char *tenant)
{
	if (k == NULL || k->all)
		return true;
	return tenant[0] != '\0' &&
	       bsearch(tenant, k->scope, k->n_scope, sizeof *k->scope, keystore_cmp_id) != NULL;
}

bool
keystore_same_grant(const struct keystore_key *a, const struct keystore_key *b)
{
	if (a->role != b->role || a->all != b->all || a->n_scope != b->n_scope)
		return false;
	for (uint32_t i = 0; i < a->n_scope; i++)
		if (strcmp(a->scope[i], b->scope[i]) != 0)
			return false;
	return true;
}
