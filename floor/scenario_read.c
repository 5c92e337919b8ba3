/*
 * scenario_read: pass 1 of the scenario reader.  inih does the INI
 * grammar while a custom reader feeds it one line at a time: that reader
 * is the only place that knows line numbers (Debian's inih has no
 * INI_HANDLER_LINENO), so it also records section headers and tells the
 * handler whether the line it is looking at was indented (a
 * continuation).  The handler only stores (section, key, value, line)
 * entries; pass 2 gives them meaning, so every message can name the line
 * that is wrong.
 */
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "scenario_int.h"

/* Room for element n of arr (size bytes each, *cap of them), doubling
 * from `first`: arr itself, the moved array, or NULL (arr untouched). */
static void *scenario_grow(void *arr, uint32_t n, uint32_t *cap, size_t size, uint32_t first)
{
	uint32_t c = *cap ? *cap * 2 : first;
	void *p;

	if (n < *cap)
		return arr;
	if (c < *cap || (p = realloc(arr, (size_t)c * size)) == NULL)
		return NULL;
	*cap = c;
	return p;
}

static int scenario_add_sec(struct scenario_ctx *cx, enum scenario_kind kind,
                            const char *id, int line)
{
	struct scenario_sec *secs = scenario_grow(cx->secs, cx->n_secs, &cx->cap_secs, sizeof *secs, 64);

	if (secs == NULL)
		return -1;
	cx->secs = secs;
	struct scenario_sec *s = &cx->secs[cx->n_secs++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	scenario_copy(s->id, id, PROTO_ID_MAX);
	s->line = line;
	s->first = cx->n_ents;
	return 0;
}

static int scenario_add_ent(struct scenario_ctx *cx, const char *key, const char *value)
{
	struct scenario_ent *ents = scenario_grow(cx->ents, cx->n_ents, &cx->cap_ents, sizeof *ents, 256);
	char *v;

	if (ents == NULL)
		return -1;
	cx->ents = ents;
	if ((v = strdup(value)) == NULL)
		return -1;
	struct scenario_ent *e = &cx->ents[cx->n_ents++];
	e->sec = cx->n_secs - 1;
	e->line = cx->lineno;
	scenario_copy(e->key, key, SCENARIO_KEY_MAX - 1);
	e->value = v;
	cx->secs[e->sec].n++;
	return 0;
}

/* A continuation line extends the previous value.  List items may be
 * split after a comma or before one; either way the result reads as one
 * comma-separated list. */
static int scenario_append(struct scenario_ctx *cx, const char *more)
{
	struct scenario_ent *e = &cx->ents[cx->n_ents - 1];
	size_t a = strlen(e->value), b = strlen(more);
	const char *sep = (a == 0 || e->value[a - 1] == ',') ? " " : ", ";
	char *v = realloc(e->value, a + strlen(sep) + b + 1);

	if (v == NULL)
		return -1;
	memcpy(v + a, sep, strlen(sep));
	memcpy(v + a + strlen(sep), more, b + 1);
	e->value = v;
	return 0;
}

/* A "[kind id]" header the reader has found. */
static void scenario_header(struct scenario_ctx *cx, char *inside)
{
	char *s = scenario_trim(inside);
	char *id = s;
	int k;

	while (*id && !scenario_space(*id))
		id++;
	if (*id)
		*id++ = '\0';
	id = scenario_trim(id);
	for (k = 0; k < SCENARIO_SEC__COUNT; k++) {
		if (strcmp(s, scenario_kind_name((enum scenario_kind)k)) == 0)
			break;
	}
	if (k == SCENARIO_SEC__COUNT) {
		scenario_fail(cx, cx->lineno, "unknown section [%s%s%s] (expected floor, shift, "
		              "tenant, pool or agent)", s, *id ? " " : "", id);
		return;
	}
	if (k == SCENARIO_SEC_FLOOR && *id) {
		scenario_fail(cx, cx->lineno, "[floor] takes no id, got '%s'", id);
		return;
	}
	if (k != SCENARIO_SEC_FLOOR) {
		const char *why = scenario_id_problem(id);
		if (*id == '\0') {
			scenario_fail(cx, cx->lineno, "section [%s] needs an id: [%s ID]", s, s);
			return;
		}
		if (why) {
			scenario_fail(cx, cx->lineno, "%s id '%s' %s", s, id, why);
			return;
		}
	}
	if (scenario_add_sec(cx, (enum scenario_kind)k, id, cx->lineno) < 0)
		scenario_fail(cx, 0, "out of memory");
	cx->sec_has_key = false;
}

/* Classify one raw line the way inih is about to, so syntax errors get
 * our wording and headers get recorded with their line. */
static void scenario_scan(struct scenario_ctx *cx, const char *raw)
{
	char line[512];
	const char *p = raw;

	if (cx->lineno == 1 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
	    (unsigned char)p[2] == 0xbf)
		p += 3;
	cx->indented = scenario_space(*p) && *p != '\n' && *p != '\r';
	while (scenario_space(*p))
		p++;
	if (*p == '\0' || *p == ';' || *p == '#')
		return;
	if (cx->indented && cx->sec_has_key)
		return;  /* a continuation: the handler deals with it */
	if (*p == '[') {
		if (cx->indented) {
			scenario_fail(cx, cx->lineno, "a section header must start at the "
			              "beginning of the line");
			return;
		}
		const char *close = strchr(p, ']');
		/* inih ends the header at an inline comment (" ;") */
		const char *semi = p;
		while ((semi = strchr(semi + 1, ';')) != NULL && !scenario_space(semi[-1]))
			;
		if (close == NULL || (semi && semi < close)) {
			scenario_fail(cx, cx->lineno, "syntax error: section header is missing ']'");
			return;
		}
		for (const char *q = close + 1; *q && *q != ';' && *q != '#'; q++) {
			if (!scenario_space(*q)) {
				scenario_fail(cx, cx->lineno, "syntax error: unexpected text after ']'");
				return;
			}
		}
		size_t n = (size_t)(close - p - 1);
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, p + 1, n);
		line[n] = '\0';
		scenario_header(cx, line);
		return;
	}
	/* inih splits at the first '=' or ':' unless an inline comment comes first */
	size_t k = 0;
	while (p[k] && p[k] != '=' && p[k] != ':' &&
	       !(p[k] == ';' && k > 0 && scenario_space(p[k - 1])))
		k++;
	if (p[k] != '=' && p[k] != ':') {
		scenario_fail(cx, cx->lineno, "syntax error: expected 'key = value', "
		              "a [section] or a ; comment");
		return;
	}
	if (k == 0) {
		scenario_fail(cx, cx->lineno, "syntax error: a key is missing before '%c'", p[k]);
		return;
	}
	if (cx->n_secs == 0) {
		while (k > 0 && scenario_space(p[k - 1]))
			k--;
		scenario_fail(cx, cx->lineno, "'%.*s' is outside any section; start with a "
		              "[section] header", (int)k, p);
	}
}

/* fgets for a string, one line per call: inih counts the same lines. */
static char *scenario_reader(char *str, int num, void *stream)
{
	struct scenario_ctx *cx = stream;

	if (cx->failed || *cx->pos == '\0')
		return NULL;
	const char *nl = strchr(cx->pos, '\n');
	size_t len = nl ? (size_t)(nl - cx->pos) + 1 : strlen(cx->pos);
	cx->lineno++;
	/* inih would silently cut a longer line in two */
	if (num < 3 || len > (size_t)num - 1) {
		scenario_fail(cx, cx->lineno, "line is longer than %d bytes; split long lists "
		              "over indented continuation lines", num < 3 ? 0 : num - 2);
		return NULL;
	}
	memcpy(str, cx->pos, len);
	str[len] = '\0';
	cx->pos += len;
	scenario_scan(cx, str);
	return cx->failed ? NULL : str;
}

static int scenario_handler(void *user, const char *section, const char *name,
                            const char *value)
{
	struct scenario_ctx *cx = user;
	int rc;

	(void)section;  /* we track sections ourselves, untruncated */
	if (cx->failed)
		return 1;
	if (cx->n_secs == 0) {
		scenario_fail(cx, cx->lineno, "'%s' is outside any section", name);
		return 0;
	}
	if (cx->indented && cx->sec_has_key && strcmp(name, cx->prev_key) == 0) {
		/* An indented "key = value" is a key, not a continuation. */
		const char *eq = strchr(value, '=');
		if (eq) {
			char key[SCENARIO_KEY_MAX], val[512];
			size_t kn = (size_t)(eq - value);
			if (kn >= sizeof key)
				kn = sizeof key - 1;
			memcpy(key, value, kn);
			key[kn] = '\0';
			scenario_copy(val, eq + 1, sizeof val - 1);
			char *k = scenario_trim(key);
			if (*k == '\0') {
				scenario_fail(cx, cx->lineno, "syntax error: a key is missing before '='");
				return 0;
			}
			rc = scenario_add_ent(cx, k, scenario_trim(val));
		} else {
			rc = scenario_append(cx, value);
		}
	} else {
		rc = scenario_add_ent(cx, name, value);
		scenario_copy(cx->prev_key, name, SCENARIO_KEY_MAX - 1);
		cx->sec_has_key = true;
	}
	if (rc < 0) {
		scenario_fail(cx, 0, "out of memory");
		return 0;
	}
	return 1;
}

bool scenario_read(struct scenario_ctx *cx, const char *text)
{
	int rc;

	cx->pos = text;
	rc = ini_parse_stream(scenario_reader, cx, scenario_handler, cx);
	if (!cx->failed && rc > 0)
		scenario_fail(cx, rc, "syntax error");  /* our scan agrees with inih; a backstop */
	else if (!cx->failed && rc < 0)
		scenario_fail(cx, 0, "out of memory");
	return !cx->failed;
}
