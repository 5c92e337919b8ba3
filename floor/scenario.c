/*
 * scenario: read a floor definition (scenarios/README.md) into plain
 * arrays for pooltopd.
 *
 * Two passes.  The first lets inih do the INI grammar while a custom
 * reader feeds it one line at a time: that reader is the only place that
 * knows line numbers (Debian's inih has no INI_HANDLER_LINENO), so it
 * also records section headers and tells the handler whether the line it
 * is looking at was indented (a continuation).  The handler only stores
 * (section, key, value, line) entries.  The second pass gives those
 * entries meaning, checks cross-references and generates agents, so every
 * message can name the line that is wrong.
 *
 * Only the first error is reported: a scenario is fixed one line at a time
 * and later messages are often consequences of the first.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "pooltop/scenario.h"

#define SCENARIO_KEY_MAX 64
#define SCENARIO_MSG_MAX 512
#define SCENARIO_FILE_MAX (256u * 1024u * 1024u)
#define SCENARIO_DAY_MIN 1440u
#define SCENARIO_STR_(x) #x
#define SCENARIO_STR(x) SCENARIO_STR_(x)

/* Defaults for optional keys (documented in scenarios/README.md). */
#define SCENARIO_DEF_BREAK_MIN 15
#define SCENARIO_DEF_OVERFLOW_S 30
#define SCENARIO_DEF_TALK_CV 0.5
#define SCENARIO_DEF_PATIENCE_S 120.0

enum scenario_kind {
	SCENARIO_SEC_FLOOR,
	SCENARIO_SEC_SHIFT,
	SCENARIO_SEC_TENANT,
	SCENARIO_SEC_POOL,
	SCENARIO_SEC_AGENT,
	SCENARIO_SEC__COUNT
};

static const char *const scenario_kind_names[SCENARIO_SEC__COUNT] = {
	"floor", "shift", "tenant", "pool", "agent"
};

/* Keys each section accepts; "traffic.*" is matched separately. */
static const char *const scenario_keys_floor[] = {
	"name", "break_every", "break_length", "acw_reasons", NULL
};
static const char *const scenario_keys_shift[] = { "start", "end", NULL };
static const char *const scenario_keys_tenant[] = {
	"name", "model", "sl", "sl_pct", "sl_sec", "overflow", "hours",
	"dedicated_rate", "shared_rate", "min_dedicated", "traffic", "talk",
	"talk_cv", "wrap", "patience", "channels", "queues", NULL
};
static const char *const scenario_keys_pool[] = {
	"kind", "tenant", "serves", "agents", "on_duty", "names", NULL
};
static const char *const scenario_keys_agent[] = { "name", "pool", "shifts", "aliases", NULL };

static const char *const *const scenario_keys[SCENARIO_SEC__COUNT] = {
	scenario_keys_floor, scenario_keys_shift, scenario_keys_tenant,
	scenario_keys_pool, scenario_keys_agent
};

/* Kept here rather than borrowed from proto.c so the scenario module
 * links on its own; the order must match the enums in proto.h. */
static const char *const scenario_model_names[PROTO_MODEL__COUNT] = {
	"shared", "dedicated", "hybrid"
};
static const char *const scenario_pool_kind_names[PROTO_POOL__COUNT] = {
	"shared", "dedicated"
};
static const char *const scenario_channel_names[PROTO_CH__COUNT] = {
	"voice", "chat", "email"
};

struct scenario_sec {
	enum scenario_kind kind;
	char id[PROTO_ID_MAX + 1];
	int line;
	uint32_t first;      /* its entries are ents[first .. first+n) */
	uint32_t n;
	uint32_t index;      /* into the scenario array of its kind */
};

struct scenario_ent {
	uint32_t sec;
	int line;
	char key[SCENARIO_KEY_MAX];
	char *value;
};

struct scenario_ctx {
	const char *name;    /* the file, for messages */
	char *err;
	size_t errlen;
	bool failed;

	/* pass 1: the reader's view of the text */
	const char *pos;
	int lineno;
	bool indented;       /* the current line starts with white space */
	bool sec_has_key;    /* inih's prev_name is set (continuations possible) */
	char prev_key[SCENARIO_KEY_MAX]; /* ... and what it is */

	struct scenario_sec *secs;
	uint32_t n_secs, cap_secs;
	struct scenario_ent *ents;
	uint32_t n_ents, cap_ents;

	/* pass 2 */
	struct scenario *sc;
	int *agent_line;         /* where each agent came from, for duplicates */
	unsigned flags;          /* SCENARIO_F_* */
};

/* ------------------------------------------------------------ errors */

static void scenario_vfail(struct scenario_ctx *cx, int line, const char *fmt, va_list ap)
{
	char msg[SCENARIO_MSG_MAX];

	if (cx->failed)
		return;
	cx->failed = true;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (cx->err == NULL || cx->errlen == 0)
		return;
	if (line > 0)
		snprintf(cx->err, cx->errlen, "%s:%d: %s", cx->name, line, msg);
	else
		snprintf(cx->err, cx->errlen, "%s: %s", cx->name, msg);
}

static void scenario_fail(struct scenario_ctx *cx, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void scenario_fail(struct scenario_ctx *cx, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scenario_vfail(cx, line, fmt, ap);
	va_end(ap);
}

/* "tenant acme", "floor": how messages name a section. */
static const char *scenario_what(const struct scenario_sec *s, char *buf, size_t len)
{
	if (s->kind == SCENARIO_SEC_FLOOR)
		snprintf(buf, len, "floor");
	else
		snprintf(buf, len, "%s %s", scenario_kind_names[s->kind], s->id);
	return buf;
}

/* ------------------------------------------------------------ strings */

static bool scenario_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Trim in place; returns the start. */
static char *scenario_trim(char *s)
{
	while (scenario_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && scenario_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void scenario_copy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (n > cap)
		n = cap;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* NULL when s is a usable id, else why not. */
static const char *scenario_id_problem(const char *s)
{
	if (*s == '\0')
		return "is empty";
	if (strlen(s) > PROTO_ID_MAX)
		return "is longer than " SCENARIO_STR(PROTO_ID_MAX) " bytes";
	for (const char *p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			return "may only contain letters, digits, '.', '_' and '-'";
	}
	return NULL;
}

/* NULL when s is a usable display name, else why not.  Control characters
 * are refused too: a tab or an escape would break the dashboard's columns. */
static const char *scenario_name_problem(const char *s)
{
	static const uint32_t least[4] = { 0, 0x80, 0x800, 0x10000 };
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0')
		return "is empty";
	if (strlen(s) > PROTO_NAME_MAX)
		return "is longer than " SCENARIO_STR(PROTO_NAME_MAX) " bytes";
	while (*p) {
		uint32_t c;
		int n;

		if (*p < 0x80) {
			c = *p;
			n = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			c = *p & 0x1fu;
			n = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			c = *p & 0x0fu;
			n = 2;
		} else if ((*p & 0xf8) == 0xf0) {
			c = *p & 0x07u;
			n = 3;
		} else {
			return "is not valid UTF-8";
		}
		p++;
		for (int i = 0; i < n; i++, p++) {
			/* a NUL here fails the test too, so we never run past it */
			if ((*p & 0xc0) != 0x80)
				return "is not valid UTF-8";
			c = (c << 6) | (*p & 0x3fu);
		}
		if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return "is not valid UTF-8";
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			return "contains a control character";
	}
	return NULL;
}

/* ------------------------------------------------ pass 1: the grammar */

static int scenario_add_sec(struct scenario_ctx *cx, enum scenario_kind kind,
                            const char *id, int line)
{
	if (cx->n_secs == cx->cap_secs) {
		uint32_t cap = cx->cap_secs ? cx->cap_secs * 2 : 64;
		struct scenario_sec *p = realloc(cx->secs, cap * sizeof *p);
		if (p == NULL)
			return -1;
		cx->secs = p;
		cx->cap_secs = cap;
	}
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
	if (cx->n_ents == cx->cap_ents) {
		uint32_t cap = cx->cap_ents ? cx->cap_ents * 2 : 256;
		struct scenario_ent *p = realloc(cx->ents, cap * sizeof *p);
		if (p == NULL)
			return -1;
		cx->ents = p;
		cx->cap_ents = cap;
	}
	char *v = strdup(value);
	if (v == NULL)
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
		if (strcmp(s, scenario_kind_names[k]) == 0)
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

/* ---------------------------------------------------- pass 2: values */

static const struct scenario_ent *scenario_get(const struct scenario_ctx *cx,
                                               const struct scenario_sec *s, const char *key)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct scenario_ent *e = &cx->ents[s->first + i];
		if (strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static const struct scenario_ent *scenario_need(struct scenario_ctx *cx,
                                                const struct scenario_sec *s, const char *key)
{
	const struct scenario_ent *e = scenario_get(cx, s, key);

	if (e == NULL) {
		char w[80];
		scenario_what(s, w, sizeof w);
		if (s->kind == SCENARIO_SEC_FLOOR)
			scenario_fail(cx, s->line, "missing required key '%s' in [floor]", key);
		else
			scenario_fail(cx, s->line, "missing required key '%s' in [%s]", key, w);
	}
	return e;
}

/* Unknown and repeated keys, for every section, before any meaning. */
static void scenario_check_keys(struct scenario_ctx *cx)
{
	for (uint32_t i = 0; i < cx->n_ents && !cx->failed; i++) {
		const struct scenario_ent *e = &cx->ents[i];
		const struct scenario_sec *s = &cx->secs[e->sec];
		const char *const *k = scenario_keys[s->kind];
		bool known = false;
		char w[80];

		for (; *k; k++) {
			if (strcmp(*k, e->key) == 0)
				known = true;
		}
		if (s->kind == SCENARIO_SEC_TENANT && strncmp(e->key, "traffic.", 8) == 0)
			known = true;
		scenario_what(s, w, sizeof w);
		if (!known) {
			scenario_fail(cx, e->line, "unknown key '%s' in [%s]", e->key, w);
			return;
		}
		for (uint32_t j = s->first; j < i; j++) {
			if (strcmp(cx->ents[j].key, e->key) == 0) {
				scenario_fail(cx, e->line, "duplicate key '%s' in [%s] (first at line %d)",
				              e->key, w, cx->ents[j].line);
				return;
			}
		}
	}
}

/* Numbers: plain decimal only (strtod alone would take "inf", "nan" and
 * hex, none of which belongs in a staffing file). */
static bool scenario_decimal(const char *s, double *out)
{
	const char *p = s;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return false;
	for (const char *q = p; *q; q++) {
		if (!isdigit((unsigned char)*q) && *q != '.' && *q != 'e' && *q != 'E' &&
		    *q != '+' && *q != '-')
			return false;
	}
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*out);
}

static bool scenario_whole(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	for (const char *q = s; *q; q++) {
		if (!isdigit((unsigned char)*q))
			return false;
	}
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0)
		return false;
	*out = v;
	return true;
}

/* Range rules for numbers: lo <= x <= hi, or lo < x when `above`. */
struct scenario_range {
	double lo, hi;
	bool above;
};

/* The message names the bound that was crossed, in the plainest words. */
static void scenario_range_fail(struct scenario_ctx *cx, int line, const char *what,
                                const char *key, const struct scenario_range *r, double v,
                                const char *got)
{
	bool low = r->above ? v <= r->lo : v < r->lo;

	if (low && r->above)
		scenario_fail(cx, line, "%s: %s must be greater than %.15g, got %s", what, key,
		              r->lo, got);
	else if (low && r->lo == 0)
		scenario_fail(cx, line, "%s: %s must not be negative, got %s", what, key, got);
	else if (!low && r->above)
		scenario_fail(cx, line, "%s: %s must be at most %.15g, got %s", what, key, r->hi, got);
	else
		scenario_fail(cx, line, "%s: %s must be between %.15g and %.15g, got %s", what, key,
		              r->lo, r->hi, got);
}

static bool scenario_in_range(double v, const struct scenario_range *r)
{
	return r->above ? v > r->lo && v <= r->hi : v >= r->lo && v <= r->hi;
}

/* Parse text as a number for `key` of section `what`. */
static bool scenario_num_text(struct scenario_ctx *cx, int line, const char *what,
                              const char *key, const char *text,
                              const struct scenario_range *r, double *out)
{
	if (!scenario_decimal(text, out)) {
		scenario_fail(cx, line, "%s: %s must be a number, got '%s'", what, key, text);
		return false;
	}
	if (!scenario_in_range(*out, r)) {
		scenario_range_fail(cx, line, what, key, r, *out, text);
		return false;
	}
	return true;
}

static bool scenario_uint_text(struct scenario_ctx *cx, int line, const char *what,
                               const char *key, const char *text,
                               const struct scenario_range *r, uint32_t *out)
{
	uint64_t v;

	if (!scenario_whole(text, &v)) {
		scenario_fail(cx, line, "%s: %s must be a whole number, got '%s'", what, key, text);
		return false;
	}
	if (v > UINT32_MAX || !scenario_in_range((double)v, r)) {
		scenario_range_fail(cx, line, what, key, r, (double)v, text);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Optional numeric key: leaves *out alone when absent. */
static bool scenario_opt_num(struct scenario_ctx *cx, const struct scenario_sec *s,
                             const char *key, double lo, double hi, bool above, double *out)
{
	const struct scenario_ent *e = scenario_get(cx, s, key);
	struct scenario_range r = { lo, hi, above };
	char w[80];

	if (e == NULL)
		return true;
	return scenario_num_text(cx, e->line, scenario_what(s, w, sizeof w), key, e->value, &r, out);
}

static bool scenario_opt_uint(struct scenario_ctx *cx, const struct scenario_sec *s,
                              const char *key, double lo, double hi, uint32_t *out)
{
	const struct scenario_ent *e = scenario_get(cx, s, key);
	struct scenario_range r = { lo, hi, false };
	char w[80];

	if (e == NULL)
		return true;
	return scenario_uint_text(cx, e->line, scenario_what(s, w, sizeof w), key, e->value, &r, out);
}

/* "HH:MM" (or "H:MM") to minutes; `end` also allows "24:00" = midnight. */
static bool scenario_hhmm(const char *s, bool end, uint32_t *minutes)
{
	unsigned h = 0, m;
	size_t i = 0;

	if (!isdigit((unsigned char)s[0]))
		return false;
	h = (unsigned)(s[i++] - '0');
	if (isdigit((unsigned char)s[i]))
		h = h * 10 + (unsigned)(s[i++] - '0');
	if (s[i] != ':' || !isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]) ||
	    s[i + 3] != '\0')
		return false;
	m = (unsigned)(s[i + 1] - '0') * 10 + (unsigned)(s[i + 2] - '0');
	if (m > 59)
		return false;
	if (h == 24 && m == 0 && end) {
		*minutes = 0;
		return true;
	}
	if (h > 23)
		return false;
	*minutes = h * 60 + m;
	return true;
}

static void scenario_fmt_hhmm(char out[PROTO_HHMM_MAX + 1], uint32_t minutes)
{
	snprintf(out, PROTO_HHMM_MAX + 1, "%02u:%02u", (minutes / 60) % 24, minutes % 60);
}

/* Minutes from a to b going forward round the clock; a == b is a whole day. */
static uint32_t scenario_span(uint32_t a, uint32_t b)
{
	return b > a ? b - a : b + SCENARIO_DAY_MIN - a;
}

/* Split a comma-separated list in place; empty items are skipped so a
 * trailing comma (handy with continuation lines) is harmless. */
static uint32_t scenario_split(char *s, char **items, uint32_t max)
{
	uint32_t n = 0;

	while (s) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma++ = '\0';
		char *it = scenario_trim(s);
		if (*it) {
			if (n < max)
				items[n] = it;
			n++;
		}
		s = comma;
	}
	return n;
}

/* Items of a list value, in a malloc'd copy the caller frees with *buf. */
static char **scenario_list(struct scenario_ctx *cx, const char *value, uint32_t *n, char **buf)
{
	*buf = strdup(value);
	if (*buf == NULL) {
		scenario_fail(cx, 0, "out of memory");
		return NULL;
	}
	char *tmp = strdup(value);
	if (tmp == NULL) {
		free(*buf);
		scenario_fail(cx, 0, "out of memory");
		return NULL;
	}
	uint32_t count = scenario_split(tmp, NULL, 0);
	free(tmp);
	char **items = calloc(count ? count : 1, sizeof *items);
	if (items == NULL) {
		free(*buf);
		scenario_fail(cx, 0, "out of memory");
		return NULL;
	}
	*n = scenario_split(*buf, items, count);
	return items;
}

/* "NAME NUMBER" items: name and number text split at the last blank. */
static bool scenario_pair(char *item, char **name, char **num)
{
	char *sp = item + strlen(item);

	while (sp > item && !scenario_space(sp[-1]))
		sp--;
	if (sp == item)
		return false;
	*num = sp;
	sp[-1] = '\0';
	*name = scenario_trim(item);
	return **name != '\0';
}

/* ---------------------------------------------------- pass 2: sections */

static void scenario_do_floor(struct scenario_ctx *cx, const struct scenario_sec *s)
{
	struct scenario *sc = cx->sc;
	const struct scenario_ent *e = scenario_get(cx, s, "name");
	double every = 0, len = SCENARIO_DEF_BREAK_MIN;

	if (e) {
		const char *why = scenario_name_problem(e->value);
		if (why) {
			scenario_fail(cx, e->line, "floor: name %s", why);
			return;
		}
		scenario_copy(sc->name, e->value, PROTO_NAME_MAX);
	}
	if (!scenario_opt_num(cx, s, "break_every", 0, SCENARIO_DAY_MIN, false, &every) ||
	    !scenario_opt_num(cx, s, "break_length", 1, 240, false, &len))
		return;
	if (every != floor(every) || len != floor(len)) {
		e = scenario_get(cx, s, every != floor(every) ? "break_every" : "break_length");
		scenario_fail(cx, e->line, "floor: %s must be whole minutes, got '%s'", e->key, e->value);
		return;
	}
	if (every > 0 && len >= every) {
		e = scenario_get(cx, s, "break_length");
		scenario_fail(cx, e ? e->line : s->line, "floor: break_length (%g) must be shorter "
		              "than break_every (%g)", len, every);
		return;
	}
	sc->break_every_min = (uint32_t)every;
	sc->break_min = every > 0 ? (uint32_t)len : 0;
	if ((e = scenario_get(cx, s, "acw_reasons")) != NULL)
		scenario_copy(sc->acw_reasons, e->value, sizeof sc->acw_reasons - 1);
}

/* An Asterisk mapping list (queues, aliases), kept as written for the
 * ACD source to split: names there are the PBX's, not ours to check
 * beyond what the queue_log can hold (no '|'). */
static bool scenario_acd_text(struct scenario_ctx *cx, const struct scenario_sec *s,
                              const char *key, char **out)
{
	const struct scenario_ent *e = scenario_get(cx, s, key);

	if (e == NULL)
		return true;
	if (strchr(e->value, '|') != NULL) {
		scenario_fail(cx, e->line, "%s: '|' cannot appear in a queue_log name", key);
		return false;
	}
	if ((*out = strdup(e->value)) == NULL) {
		scenario_fail(cx, 0, "out of memory");
		return false;
	}
	return true;
}

static void scenario_do_shift(struct scenario_ctx *cx, struct scenario_sec *s)
{
	struct scenario *sc = cx->sc;
	const struct scenario_ent *a = scenario_need(cx, s, "start");
	const struct scenario_ent *b = a ? scenario_need(cx, s, "end") : NULL;
	struct scenario_shift *sh;

	if (b == NULL)
		return;
	if (sc->n_shifts == PROTO_SHIFTS_MAX) {
		scenario_fail(cx, s->line, "too many shifts (at most %d)", PROTO_SHIFTS_MAX);
		return;
	}
	if (strcmp(s->id, SCENARIO_GAP_SHIFT) == 0) {
		scenario_fail(cx, s->line, "shift name '%s' is reserved for the gaps between shifts; "
		              "choose another name", s->id);
		return;
	}
	for (const struct scenario_sec *o = cx->secs; o < s; o++) {
		if (o->kind == SCENARIO_SEC_SHIFT && strcmp(o->id, s->id) == 0) {
			scenario_fail(cx, s->line, "duplicate shift name '%s' (first defined at line %d)",
			              s->id, o->line);
			return;
		}
	}
	s->index = sc->n_shifts;
	sh = &sc->shifts[sc->n_shifts++];
	scenario_copy(sh->def.name, s->id, PROTO_ID_MAX);
	if (!scenario_hhmm(a->value, false, &sh->start_min)) {
		scenario_fail(cx, a->line, "shift %s: start must be HH:MM (00:00 to 23:59), got '%s'",
		              s->id, a->value);
		return;
	}
	if (!scenario_hhmm(b->value, true, &sh->end_min)) {
		scenario_fail(cx, b->line, "shift %s: end must be HH:MM (00:00 to 24:00), got '%s'",
		              s->id, b->value);
		return;
	}
	scenario_fmt_hhmm(sh->def.start, sh->start_min);
	scenario_fmt_hhmm(sh->def.end, sh->end_min);
}

/* Shifts may leave gaps but never share a minute. */
static void scenario_check_shifts(struct scenario_ctx *cx)
{
	struct scenario *sc = cx->sc;
	int8_t owner[SCENARIO_DAY_MIN];

	if (sc->n_shifts == 0) {
		scenario_fail(cx, 0, "no [shift NAME] sections: at least one shift is required");
		return;
	}
	memset(owner, -1, sizeof owner);
	for (uint32_t i = 0; i < cx->n_secs; i++) {
		const struct scenario_sec *s = &cx->secs[i];
		if (s->kind != SCENARIO_SEC_SHIFT)
			continue;
		const struct scenario_shift *sh = &sc->shifts[s->index];
		uint32_t len = scenario_span(sh->start_min, sh->end_min);
		for (uint32_t m = 0; m < len; m++) {
			uint32_t at = (sh->start_min + m) % SCENARIO_DAY_MIN;
			if (owner[at] >= 0) {
				const struct scenario_shift *o = &sc->shifts[owner[at]];
				scenario_fail(cx, s->line, "shift %s (%s-%s) overlaps shift %s (%s-%s)",
				              sh->def.name, sh->def.start, sh->def.end, o->def.name,
				              o->def.start, o->def.end);
				return;
			}
			owner[at] = (int8_t)s->index;
		}
	}
}

static int scenario_shift_index(const struct scenario *sc, const char *name)
{
	for (uint32_t i = 0; i < sc->n_shifts; i++) {
		if (strcmp(sc->shifts[i].def.name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* traffic = 24 hourly rates. */
static bool scenario_traffic_hours(struct scenario_ctx *cx, const char *what,
                                   const struct scenario_ent *e, double rate[24])
{
	struct scenario_range r = { 0, 1e6, false };
	char *buf, **items;
	uint32_t n;
	bool ok = true;

	items = scenario_list(cx, e->value, &n, &buf);
	if (items == NULL)
		return false;
	if (n != 24) {
		scenario_fail(cx, e->line, "%s: traffic must have 24 values (contacts per hour from "
		              "00:00), got %u", what, n);
		ok = false;
	}
	for (uint32_t h = 0; ok && h < 24; h++) {
		char key[16];
		double v;
		snprintf(key, sizeof key, "traffic[%u]", h);
		ok = scenario_num_text(cx, e->line, what, key, items[h], &r, &v);
		if (ok)
			rate[h] += v;
	}
	free(items);
	free(buf);
	return ok;
}

/* traffic.SHIFT = contacts over that shift, spread evenly by the minute
 * so shifts that start on the half hour still add up to the total. */
static bool scenario_traffic_shift(struct scenario_ctx *cx, const char *what,
                                   const struct scenario_ent *e, double rate[24])
{
	const struct scenario *sc = cx->sc;
	const char *shift = e->key + strlen("traffic.");
	struct scenario_range r = { 0, 1e8, false };
	int si = scenario_shift_index(sc, shift);
	double total;

	if (si < 0) {
		scenario_fail(cx, e->line, "%s: %s: no shift named '%s'", what, e->key, shift);
		return false;
	}
	if (!scenario_num_text(cx, e->line, what, e->key, e->value, &r, &total))
		return false;
	const struct scenario_shift *sh = &sc->shifts[si];
	uint32_t len = scenario_span(sh->start_min, sh->end_min);
	for (uint32_t m = 0; m < len; m++)
		rate[((sh->start_min + m) % SCENARIO_DAY_MIN) / 60] += total / len;
	return true;
}

static bool scenario_channels(struct scenario_ctx *cx, const char *what,
                              const struct scenario_ent *e, double mix[PROTO_CH__COUNT])
{
	struct scenario_range r = { 0, 1e6, false };
	bool seen[PROTO_CH__COUNT] = { false };
	double sum = 0;
	char *buf, **items;
	uint32_t n;
	bool ok = true;

	items = scenario_list(cx, e->value, &n, &buf);
	if (items == NULL)
		return false;
	for (int c = 0; c < PROTO_CH__COUNT; c++)
		mix[c] = 0;
	for (uint32_t i = 0; ok && i < n; i++) {
		char *name, *num;
		int c;
		if (!scenario_pair(items[i], &name, &num)) {
			scenario_fail(cx, e->line, "%s: channels item '%s' must be CHANNEL WEIGHT "
			              "(e.g. voice 70)", what, items[i]);
			ok = false;
			break;
		}
		for (c = 0; c < PROTO_CH__COUNT; c++) {
			if (strcmp(name, scenario_channel_names[c]) == 0)
				break;
		}
		if (c == PROTO_CH__COUNT) {
			scenario_fail(cx, e->line, "%s: unknown channel '%s' (expected voice, chat or "
			              "email)", what, name);
			ok = false;
		} else if (seen[c]) {
			scenario_fail(cx, e->line, "%s: channel '%s' is listed twice", what, name);
			ok = false;
		} else {
			char key[32];
			seen[c] = true;
			snprintf(key, sizeof key, "channels %s", name);
			ok = scenario_num_text(cx, e->line, what, key, num, &r, &mix[c]);
			sum += mix[c];
		}
	}
	if (ok && !(sum > 0)) {
		scenario_fail(cx, e->line, "%s: channels weights must add up to more than 0", what);
		ok = false;
	}
	for (int c = 0; ok && c < PROTO_CH__COUNT; c++)
		mix[c] /= sum;
	free(items);
	free(buf);
	return ok;
}

static void scenario_do_tenant(struct scenario_ctx *cx, struct scenario_sec *s)
{
	struct scenario_tenant *t = &cx->sc->tenants[s->index];
	struct proto_tenant *d = &t->def;
	const struct scenario_ent *e;
	char what[80];
	int m;

	scenario_what(s, what, sizeof what);
	scenario_copy(d->id, s->id, PROTO_ID_MAX);
	e = scenario_get(cx, s, "name");
	if (e) {
		const char *why = scenario_name_problem(e->value);
		if (why) {
			scenario_fail(cx, e->line, "%s: name %s", what, why);
			return;
		}
		scenario_copy(d->name, e->value, PROTO_NAME_MAX);
	} else {
		scenario_copy(d->name, s->id, PROTO_NAME_MAX);
	}

	if ((e = scenario_need(cx, s, "model")) == NULL)
		return;
	for (m = 0; m < PROTO_MODEL__COUNT; m++) {
		if (strcmp(e->value, scenario_model_names[m]) == 0)
			break;
	}
	if (m == PROTO_MODEL__COUNT) {
		scenario_fail(cx, e->line, "%s: model must be shared, dedicated or hybrid, got '%s'",
		              what, e->value);
		return;
	}
	d->model = (enum proto_model)m;

	/* sl = PCT/SEC, or the two halves as sl_pct and sl_sec */
	e = scenario_get(cx, s, "sl");
	const struct scenario_ent *ep = scenario_get(cx, s, "sl_pct");
	const struct scenario_ent *es = scenario_get(cx, s, "sl_sec");
	struct scenario_range rp = { 1, 100, false }, rs = { 1, 3600, false };
	if (e && (ep || es)) {
		scenario_fail(cx, (ep ? ep : es)->line, "%s: give either sl or sl_pct and sl_sec, "
		              "not both", what);
		return;
	}
	if (e) {
		char buf[128];
		scenario_copy(buf, e->value, sizeof buf - 1);
		char *slash = strchr(buf, '/');
		if (slash == NULL) {
			scenario_fail(cx, e->line, "%s: sl must be PERCENT/SECONDS (e.g. 80/20), got '%s'",
			              what, e->value);
			return;
		}
		*slash = '\0';
		if (!scenario_num_text(cx, e->line, what, "sl_pct", scenario_trim(buf), &rp, &d->sl_pct) ||
		    !scenario_uint_text(cx, e->line, what, "sl_sec", scenario_trim(slash + 1), &rs,
		                        &d->sl_sec))
			return;
	} else {
		if (ep == NULL && es == NULL) {
			scenario_need(cx, s, "sl");
			return;
		}
		if ((ep = scenario_need(cx, s, "sl_pct")) == NULL ||
		    (es = scenario_need(cx, s, "sl_sec")) == NULL)
			return;
		if (!scenario_num_text(cx, ep->line, what, "sl_pct", ep->value, &rp, &d->sl_pct) ||
		    !scenario_uint_text(cx, es->line, what, "sl_sec", es->value, &rs, &d->sl_sec))
			return;
	}

	d->overflow_sec = SCENARIO_DEF_OVERFLOW_S;
	if (!scenario_opt_uint(cx, s, "overflow", 0, 86400, &d->overflow_sec) ||
	    !scenario_opt_num(cx, s, "dedicated_rate", 0, 1e6, false, &d->dedicated_rate) ||
	    !scenario_opt_num(cx, s, "shared_rate", 0, 1e6, false, &d->shared_rate) ||
	    !scenario_opt_uint(cx, s, "min_dedicated", 0, PROTO_AGENTS_MAX, &d->min_dedicated))
		return;
	if (d->model == PROTO_MODEL_SHARED && d->min_dedicated > 0) {
		e = scenario_get(cx, s, "min_dedicated");
		scenario_fail(cx, e->line, "%s: min_dedicated needs a dedicated pool, but model is "
		              "shared", what);
		return;
	}

	if ((e = scenario_get(cx, s, "hours")) != NULL) {
		char buf[64];
		scenario_copy(buf, e->value, sizeof buf - 1);
		char *dash = strchr(buf, '-');
		if (dash)
			*dash = '\0';
		if (dash == NULL || !scenario_hhmm(scenario_trim(buf), false, &t->open_min) ||
		    !scenario_hhmm(scenario_trim(dash + 1), true, &t->close_min)) {
			scenario_fail(cx, e->line, "%s: hours must be HH:MM-HH:MM (e.g. 08:00-20:00), "
			              "got '%s'", what, e->value);
			return;
		}
	}
	/* open == close means round the clock, which the wire spells "" */
	if (t->open_min == t->close_min) {
		t->open_min = t->close_min = 0;
		d->open[0] = d->close[0] = '\0';
	} else {
		scenario_fmt_hhmm(d->open, t->open_min);
		scenario_fmt_hhmm(d->close, t->close_min);
	}

	bool have_traffic = false;
	for (uint32_t i = 0; i < s->n; i++) {
		e = &cx->ents[s->first + i];
		if (strcmp(e->key, "traffic") == 0) {
			if (!scenario_traffic_hours(cx, what, e, t->rate_per_hour))
				return;
			have_traffic = true;
		} else if (strncmp(e->key, "traffic.", 8) == 0) {
			if (!scenario_traffic_shift(cx, what, e, t->rate_per_hour))
				return;
			have_traffic = true;
		}
	}
	/* A floor fed by an ACD needs no traffic model (--source asterisk). */
	bool acd = (cx->flags & SCENARIO_F_ACD) != 0;
	if (!have_traffic && !acd) {
		scenario_need(cx, s, "traffic");
		return;
	}
	if (!scenario_acd_text(cx, s, "queues", &t->queues))
		return;

	if ((e = acd ? scenario_get(cx, s, "talk") : scenario_need(cx, s, "talk")) == NULL && !acd)
		return;
	struct scenario_range rt = { 0, 86400, true };
	if (e && !scenario_num_text(cx, e->line, what, "talk", e->value, &rt, &t->talk_mean_s))
		return;
	t->talk_cv = SCENARIO_DEF_TALK_CV;
	t->patience_mean_s = SCENARIO_DEF_PATIENCE_S;
	if (!scenario_opt_num(cx, s, "talk_cv", 0, 10, false, &t->talk_cv) ||
	    !scenario_opt_num(cx, s, "wrap", 0, 86400, false, &t->wrap_mean_s) ||
	    !scenario_opt_num(cx, s, "patience", 0, 86400, true, &t->patience_mean_s))
		return;

	if ((e = scenario_get(cx, s, "channels")) != NULL) {
		if (!scenario_channels(cx, what, e, t->channel_mix))
			return;
	} else {
		t->channel_mix[PROTO_CH_VOICE] = 1.0;
	}
}

/* ------------------------------------------------------------ agents */

/*
 * Generated agents get names from a floor-wide mix of cultures, each
 * name built within one culture (a Polish given name with a Polish family
 * name) and in that culture's order, so names look like real people
 * rather than a random word salad.  Several scripts are here on purpose:
 * the dashboard must cope with accents, ligatures and double-width CJK.
 */
struct scenario_culture {
	bool family_first;
	const char *sep;
	const char *given[10];
	const char *family[10];
};

static const struct scenario_culture scenario_cultures[] = {
	{ false, " ",
	  { "José", "María", "Lucía", "Javier", "Carmen", "Álvaro", "Inés", "Sergio", "Nuria",
	    "Raúl" },
	  { "Álvarez", "García", "Fernández", "Muñoz", "Ortega", "Castillo", "Navarro", "Romero",
	    "Peña", "Domínguez" } },
	{ false, " ",
	  { "Zoë", "Jürgen", "Lena", "Matthias", "Jörg", "Anke", "Felix", "Hannah", "Björn",
	    "Sabine" },
	  { "Müller", "Schröder", "Weiß", "Becker", "Hoffmann", "Krüger", "Schäfer", "Wagner",
	    "Köhler", "Vogel" } },
	{ false, " ",
	  { "Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Krzysztof", "Zofia", "Michał",
	    "Katarzyna", "Wojciech", "Ewa" },
	  { "Wójcik", "Nowak", "Kowalczyk", "Wróbel", "Mazur", "Krawczyk", "Dudek", "Zając",
	    "Król", "Pawlak" } },
	{ false, " ",
	  { "Søren", "Mette", "Lars", "Ingrid", "Anders", "Sigrid", "Mads", "Freja", "Jens", "Astrid" },
	  { "Østergaard", "Jørgensen", "Nielsen", "Hansen", "Bjørnstad", "Dahl", "Vestergaard",
	    "Berg", "Holm", "Løvland" } },
	{ false, " ",
	  { "Anaïs", "Benoît", "Élodie", "François", "Chloé", "Mathieu", "Cécile", "Théo",
	    "Margaux", "Jérôme" },
	  { "Lefèvre", "Dubois", "Moreau", "Girard", "Bonnet", "Rousseau", "Mercier", "Chevalier",
	    "Faure", "Lambert" } },
	{ false, " ",
	  { "Ngozi", "Chinedu", "Adaeze", "Emeka", "Funmilayo", "Oluwaseun", "Amaka", "Tunde",
	    "Yetunde", "Ifeanyi" },
	  { "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Obi",
	    "Ogunleye", "Chukwu" } },
	{ true, "",
	  { "芳", "伟", "娜", "秀英", "敏", "静", "强", "磊", "洋", "婷" },
	  { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴" } },
	{ true, "",
	  { "陽菜", "蓮", "結衣", "大翔", "美咲", "悠真", "葵", "湊", "さくら", "健太" },
	  { "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤" } },
	{ false, " ",
	  { "Priya", "Arjun", "Ananya", "Rahul", "Deepika", "Vikram", "Kavya", "Rohan", "Sneha",
	    "Aditya" },
	  { "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Kulkarni", "Banerjee",
	    "Singh" } },
	{ false, " ",
	  { "Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Burak", "Gülşen", "Oğuz", "Selin",
	    "Çağla" },
	  { "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan",
	    "Doğan" } },
	{ false, " ",
	  { "João", "Ana", "Thiago", "Beatriz", "Gonçalo", "Letícia", "Rafael", "Mariana", "Luís",
	    "Camila" },
	  { "Conceição", "Gonçalves", "Silva", "Araújo", "Magalhães", "Carvalho", "Simões",
	    "Pereira", "Antunes", "Brandão" } },
	{ false, " ",
	  { "Siobhán", "Liam", "Emma", "Oliver", "Aoife", "Jack", "Grace", "Connor", "Niamh",
	    "Harry" },
	  { "O'Brien", "Murphy", "Smith", "Walsh", "Thompson", "Byrne", "Clarke", "Kelly",
	    "Hughes", "Evans" } },
	{ false, " ",
	  { "Fatima", "Omar", "Layla", "Youssef", "Nour", "Karim", "Salma", "Hassan", "Amira",
	    "Tariq" },
	  { "El-Amin", "Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Farouk", "Aziz",
	    "Rahman", "Qasim" } },
	{ true, " ",
	  { "Thị Lan", "Văn Minh", "Ngọc Anh", "Quang Huy", "Thu Trang", "Đức Anh", "Hải Yến",
	    "Minh Châu", "Tuấn Kiệt", "Bảo Ngọc" },
	  { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ" } },
	{ false, " ",
	  { "Eleni", "Giorgos", "Dimitra", "Nikos", "Katerina", "Yannis", "Sofia", "Kostas",
	    "Anastasia", "Petros" },
	  { "Papadopoulos", "Georgiou", "Nikolaidis", "Dimitriou", "Christodoulou", "Ioannou",
	    "Vlachos", "Angelopoulos", "Kyriakou", "Makris" } },
	{ false, " ",
	  { "Aino", "Juha", "Päivi", "Mikko", "Sanna", "Jari", "Tiina", "Ville", "Satu", "Antti" },
	  { "Virtanen", "Mäkinen", "Nieminen", "Järvinen", "Heikkinen", "Koskinen", "Hämäläinen",
	    "Lehtonen", "Mäkelä", "Räsänen" } },
};

#define SCENARIO_N_CULTURES (sizeof scenario_cultures / sizeof scenario_cultures[0])

/* A 64-bit mix of the pool id and the agent's place in it: names then
 * depend on nothing else, so adding a pool never renames other pools'
 * agents, and every machine draws the same names. */
static uint64_t scenario_hash(const char *pool, uint32_t k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)pool; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

static void scenario_gen_name(char out[PROTO_NAME_MAX + 1], const char *pool, uint32_t k)
{
	uint64_t h = scenario_hash(pool, k);
	const struct scenario_culture *c = &scenario_cultures[h % SCENARIO_N_CULTURES];
	const char *given = c->given[(h >> 24) % 10];
	const char *family = c->family[(h >> 44) % 10];

	if (c->family_first)
		snprintf(out, PROTO_NAME_MAX + 1, "%s%s%s", family, c->sep, given);
	else
		snprintf(out, PROTO_NAME_MAX + 1, "%s%s%s", given, c->sep, family);
}

/* ------------------------------------------------------ id look-ups */

struct scenario_key {
	const char *id;
	uint32_t idx;
};

static int scenario_key_cmp(const void *a, const void *b)
{
	const struct scenario_key *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int scenario_key_find(const struct scenario_key *keys, uint32_t n, const char *id)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(keys[mid].id, id);
		if (c == 0) {
			/* the first of equal ids: the one defined first */
			while (mid > 0 && strcmp(keys[mid - 1].id, id) == 0)
				mid--;
			return (int)keys[mid].idx;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Sort keys; if an id repeats, report the repeat that comes first in the
 * file.  lines[idx] is where item idx was defined. */
static bool scenario_keys_unique(struct scenario_ctx *cx, struct scenario_key *keys, uint32_t n,
                                 const int *lines, const char *kind)
{
	uint32_t dup = UINT32_MAX, first = 0;

	qsort(keys, n, sizeof *keys, scenario_key_cmp);
	for (uint32_t i = 1, run = 0; i < n; i++) {
		if (strcmp(keys[i].id, keys[i - 1].id) != 0) {
			run = i;
			continue;
		}
		if (dup == UINT32_MAX || lines[keys[i].idx] < lines[keys[dup].idx]) {
			dup = i;
			first = run;
		}
	}
	if (dup != UINT32_MAX) {
		scenario_fail(cx, lines[keys[dup].idx], "duplicate %s id '%s' (first defined at line %d)",
		              kind, keys[dup].id, lines[keys[first].idx]);
		return false;
	}
	return true;
}

/* ----------------------------------------------------- pools, agents */

struct scenario_build {
	struct scenario_key *tenants;   /* sorted by id */
	struct scenario_key *pools;
	int *dedicated_of;              /* tenant -> its dedicated pool's section line, 0 = none */
	uint32_t *dedicated_pool;       /* tenant -> that pool */
	bool *shared_served;            /* tenant -> some shared pool serves it */
	uint32_t next_agent;            /* agents filled so far */
	uint32_t next_generated;        /* generated ids handed out */
	int id_width;
};

static void scenario_gen_agents(struct scenario_ctx *cx, struct scenario_build *b,
                                const struct scenario_sec *s, uint32_t n,
                                const uint32_t *duty, bool have_duty,
                                char **names, uint32_t n_names)
{
	struct scenario *sc = cx->sc;
	uint32_t all = sc->n_shifts >= 32 ? UINT32_MAX : (1u << sc->n_shifts) - 1;
	uint32_t offset[PROTO_SHIFTS_MAX];
	uint32_t acc = 0;

	/* Each shift's crew starts where the previous shift's crew ended, so
	 * Early and Late are different people as far as the head count allows. */
	for (uint32_t i = 0; i < sc->n_shifts; i++) {
		offset[i] = n ? acc % n : 0;
		acc += have_duty ? duty[i] : 0;
	}
	for (uint32_t k = 0; k < n; k++) {
		struct scenario_agent *ag = &sc->agents[b->next_agent];
		cx->agent_line[b->next_agent] = s->line;
		b->next_agent++;
		snprintf(ag->id, sizeof ag->id, "a%0*u", b->id_width, ++b->next_generated);
		if (k < n_names)
			scenario_copy(ag->name, names[k], PROTO_NAME_MAX);
		else
			scenario_gen_name(ag->name, s->id, k);
		ag->pool = s->index;
		if (!have_duty) {
			ag->shift_mask = all;
			continue;
		}
		for (uint32_t i = 0; i < sc->n_shifts; i++) {
			if ((k + n - offset[i]) % n < duty[i])
				ag->shift_mask |= 1u << i;
		}
	}
}

/* on_duty = SHIFT COUNT, ... */
static bool scenario_on_duty(struct scenario_ctx *cx, const char *what,
                             const struct scenario_ent *e, uint32_t n_agents,
                             uint32_t duty[PROTO_SHIFTS_MAX])
{
	struct scenario_range r = { 0, PROTO_AGENTS_MAX, false };
	bool seen[PROTO_SHIFTS_MAX] = { false };
	char *buf, **items;
	uint32_t n;
	bool ok = true;

	items = scenario_list(cx, e->value, &n, &buf);
	if (items == NULL)
		return false;
	for (uint32_t i = 0; ok && i < n; i++) {
		char *name, *num, key[64];
		int si;
		if (!scenario_pair(items[i], &name, &num)) {
			scenario_fail(cx, e->line, "%s: on_duty item '%s' must be SHIFT COUNT "
			              "(e.g. Early 12)", what, items[i]);
			ok = false;
		} else if ((si = scenario_shift_index(cx->sc, name)) < 0) {
			scenario_fail(cx, e->line, "%s: on_duty: no shift named '%s'", what, name);
			ok = false;
		} else if (seen[si]) {
			scenario_fail(cx, e->line, "%s: on_duty: shift '%s' is listed twice", what, name);
			ok = false;
		} else {
			seen[si] = true;
			snprintf(key, sizeof key, "on_duty %s", name);
			ok = scenario_uint_text(cx, e->line, what, key, num, &r, &duty[si]);
			if (ok && duty[si] > n_agents) {
				scenario_fail(cx, e->line, "%s: on_duty %s is %u but the pool has %u agents",
				              what, name, duty[si], n_agents);
				ok = false;
			}
		}
	}
	free(items);
	free(buf);
	return ok;
}

static bool scenario_serves(struct scenario_ctx *cx, struct scenario_build *b,
                            const char *what, const struct scenario_ent *e, struct proto_pool *d)
{
	char *buf, **items;
	uint32_t n;
	bool ok = true;

	items = scenario_list(cx, e->value, &n, &buf);
	if (items == NULL)
		return false;
	if (n == 0) {
		scenario_fail(cx, e->line, "%s: serves lists no tenants", what);
		ok = false;
	}
	if (ok && (d->serves = calloc(n, sizeof *d->serves)) == NULL) {
		scenario_fail(cx, 0, "out of memory");
		ok = false;
	}
	for (uint32_t i = 0; ok && i < n; i++) {
		int t = scenario_key_find(b->tenants, cx->sc->n_tenants, items[i]);
		if (t < 0) {
			scenario_fail(cx, e->line, "%s: serves unknown tenant '%s'", what, items[i]);
			ok = false;
			break;
		}
		for (uint32_t j = 0; j < d->n_serves; j++) {
			if (strcmp(d->serves[j], items[i]) == 0) {
				scenario_fail(cx, e->line, "%s: serves tenant '%s' twice", what, items[i]);
				ok = false;
			}
		}
		if (!ok)
			break;
		scenario_copy(d->serves[d->n_serves++], items[i], PROTO_ID_MAX);
		b->shared_served[t] = true;
	}
	free(items);
	free(buf);
	return ok;
}

static void scenario_do_pool(struct scenario_ctx *cx, struct scenario_build *b,
                             const struct scenario_sec *s, uint32_t n_agents)
{
	struct scenario *sc = cx->sc;
	struct proto_pool *d = &sc->pools[s->index].def;
	const struct scenario_ent *e, *et, *es;
	uint32_t duty[PROTO_SHIFTS_MAX] = { 0 };
	char what[80], *buf = NULL, **names = NULL;
	uint32_t n_names = 0;
	int k;

	scenario_what(s, what, sizeof what);
	scenario_copy(d->id, s->id, PROTO_ID_MAX);
	if ((e = scenario_need(cx, s, "kind")) == NULL)
		return;
	for (k = 0; k < PROTO_POOL__COUNT; k++) {
		if (strcmp(e->value, scenario_pool_kind_names[k]) == 0)
			break;
	}
	if (k == PROTO_POOL__COUNT) {
		scenario_fail(cx, e->line, "%s: kind must be shared or dedicated, got '%s'", what,
		              e->value);
		return;
	}
	d->kind = (enum proto_pool_kind)k;
	et = scenario_get(cx, s, "tenant");
	es = scenario_get(cx, s, "serves");
	if (d->kind == PROTO_POOL_DEDICATED) {
		if (es) {
			scenario_fail(cx, es->line, "%s: a dedicated pool has a tenant, not serves", what);
			return;
		}
		if ((et = scenario_need(cx, s, "tenant")) == NULL)
			return;
		int t = scenario_key_find(b->tenants, sc->n_tenants, et->value);
		if (t < 0) {
			scenario_fail(cx, et->line, "%s: tenant '%s' is not defined", what, et->value);
			return;
		}
		const struct proto_tenant *td = &sc->tenants[t].def;
		if (td->model == PROTO_MODEL_SHARED) {
			scenario_fail(cx, et->line, "%s: tenant '%s' is shared; only dedicated and "
			              "hybrid tenants have a dedicated pool", what, et->value);
			return;
		}
		if (b->dedicated_of[t]) {
			scenario_fail(cx, et->line, "%s: tenant '%s' already has dedicated pool %s "
			              "(line %d)", what, et->value, sc->pools[b->dedicated_pool[t]].def.id,
			              b->dedicated_of[t]);
			return;
		}
		b->dedicated_of[t] = s->line;
		b->dedicated_pool[t] = s->index;
		scenario_copy(d->tenant, td->id, PROTO_ID_MAX);
	} else {
		if (et) {
			scenario_fail(cx, et->line, "%s: a shared pool serves tenants (serves = ...), "
			              "it has no tenant", what);
			return;
		}
		if ((es = scenario_need(cx, s, "serves")) == NULL ||
		    !scenario_serves(cx, b, what, es, d))
			return;
	}

	if ((e = scenario_get(cx, s, "on_duty")) != NULL &&
	    !scenario_on_duty(cx, what, e, n_agents, duty))
		return;
	if ((e = scenario_get(cx, s, "names")) != NULL) {
		names = scenario_list(cx, e->value, &n_names, &buf);
		if (names == NULL)
			return;
		if (n_names > n_agents) {
			scenario_fail(cx, e->line, "%s: names lists %u names but the pool has %u agents",
			              what, n_names, n_agents);
		}
		for (uint32_t i = 0; !cx->failed && i < n_names; i++) {
			const char *why = scenario_name_problem(names[i]);
			if (why)
				scenario_fail(cx, e->line, "%s: name '%s' %s", what, names[i], why);
		}
	}
	if (!cx->failed)
		scenario_gen_agents(cx, b, s, n_agents, duty, scenario_get(cx, s, "on_duty") != NULL,
		                    names, n_names);
	free(names);
	free(buf);
}

static void scenario_do_agent(struct scenario_ctx *cx, struct scenario_build *b,
                              const struct scenario_sec *s)
{
	struct scenario *sc = cx->sc;
	struct scenario_agent *ag = &sc->agents[b->next_agent];
	const struct scenario_ent *en, *ep, *es;
	char what[80];
	int p;

	scenario_what(s, what, sizeof what);
	if ((en = scenario_need(cx, s, "name")) == NULL || (ep = scenario_need(cx, s, "pool")) == NULL)
		return;
	const char *why = scenario_name_problem(en->value);
	if (why) {
		scenario_fail(cx, en->line, "%s: name %s", what, why);
		return;
	}
	if ((p = scenario_key_find(b->pools, sc->n_pools, ep->value)) < 0) {
		scenario_fail(cx, ep->line, "%s: pool '%s' is not defined", what, ep->value);
		return;
	}
	cx->agent_line[b->next_agent] = s->line;
	b->next_agent++;
	scenario_copy(ag->id, s->id, PROTO_ID_MAX);
	scenario_copy(ag->name, en->value, PROTO_NAME_MAX);
	ag->pool = (uint32_t)p;
	if (!scenario_acd_text(cx, s, "aliases", &ag->aliases))
		return;
	if ((es = scenario_get(cx, s, "shifts")) == NULL) {
		ag->shift_mask = sc->n_shifts >= 32 ? UINT32_MAX : (1u << sc->n_shifts) - 1;
		return;
	}
	char *buf, **items;
	uint32_t n;
	if ((items = scenario_list(cx, es->value, &n, &buf)) == NULL)
		return;
	for (uint32_t i = 0; i < n; i++) {
		int si = scenario_shift_index(sc, items[i]);
		if (si < 0) {
			scenario_fail(cx, es->line, "%s: shifts: no shift named '%s'", what, items[i]);
			break;
		}
		ag->shift_mask |= 1u << si;
	}
	free(items);
	free(buf);
}

/* Every dedicated or hybrid tenant has its one dedicated pool; every
 * tenant that ever routes to shared has a shared pool to go to. */
static void scenario_check_routes(struct scenario_ctx *cx, const struct scenario_build *b)
{
	const struct scenario *sc = cx->sc;

	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		const struct scenario_sec *s = &cx->secs[i];
		if (s->kind != SCENARIO_SEC_TENANT)
			continue;
		const struct proto_tenant *d = &sc->tenants[s->index].def;
		const char *model = scenario_model_names[d->model];
		if (d->model != PROTO_MODEL_SHARED && !b->dedicated_of[s->index])
			scenario_fail(cx, s->line, "tenant %s is %s but has no dedicated pool (add a "
			              "[pool ...] with kind = dedicated, tenant = %s)", d->id, model, d->id);
		else if (d->model != PROTO_MODEL_DEDICATED && !b->shared_served[s->index])
			scenario_fail(cx, s->line, "tenant %s is %s but no shared pool serves it (add it "
			              "to a shared pool's serves)", d->id, model);
	}
}

/* ------------------------------------------------------------ driver */

static void scenario_build_free(struct scenario_build *b)
{
	free(b->tenants);
	free(b->pools);
	free(b->dedicated_of);
	free(b->dedicated_pool);
	free(b->shared_served);
}

static void scenario_ctx_free(struct scenario_ctx *cx)
{
	for (uint32_t i = 0; i < cx->n_ents; i++)
		free(cx->ents[i].value);
	free(cx->ents);
	free(cx->secs);
	free(cx->agent_line);
}

/* Sections are counted and indexed, ids checked for repeats, arrays sized. */
static void scenario_allocate(struct scenario_ctx *cx, struct scenario_build *b)
{
	struct scenario *sc = cx->sc;
	uint32_t count[SCENARIO_SEC__COUNT] = { 0 };
	int floor_line = 0;

	for (uint32_t i = 0; i < cx->n_secs; i++) {
		struct scenario_sec *s = &cx->secs[i];
		if (s->kind == SCENARIO_SEC_FLOOR && count[s->kind] > 0) {
			scenario_fail(cx, s->line, "duplicate [floor] section (first at line %d)", floor_line);
			return;
		}
		if (s->kind == SCENARIO_SEC_FLOOR)
			floor_line = s->line;
		s->index = count[s->kind]++;
	}
	if (count[SCENARIO_SEC_TENANT] == 0) {
		scenario_fail(cx, 0, "no [tenant ID] sections: a floor needs at least one tenant");
		return;
	}
	if (count[SCENARIO_SEC_TENANT] > PROTO_TENANTS_MAX || count[SCENARIO_SEC_POOL] > PROTO_POOLS_MAX) {
		scenario_fail(cx, 0, "too many tenants or pools (at most %d of each)", PROTO_TENANTS_MAX);
		return;
	}
	sc->n_tenants = count[SCENARIO_SEC_TENANT];
	sc->n_pools = count[SCENARIO_SEC_POOL];
	sc->tenants = calloc(sc->n_tenants, sizeof *sc->tenants);
	sc->pools = calloc(sc->n_pools ? sc->n_pools : 1, sizeof *sc->pools);
	b->tenants = calloc(sc->n_tenants, sizeof *b->tenants);
	b->pools = calloc(sc->n_pools ? sc->n_pools : 1, sizeof *b->pools);
	b->dedicated_of = calloc(sc->n_tenants, sizeof *b->dedicated_of);
	b->dedicated_pool = calloc(sc->n_tenants, sizeof *b->dedicated_pool);
	b->shared_served = calloc(sc->n_tenants, sizeof *b->shared_served);
	int *lines_t = calloc(sc->n_tenants, sizeof *lines_t);
	int *lines_p = calloc(sc->n_pools ? sc->n_pools : 1, sizeof *lines_p);
	if (!sc->tenants || !sc->pools || !b->tenants || !b->pools || !b->dedicated_of ||
	    !b->dedicated_pool || !b->shared_served || !lines_t || !lines_p) {
		scenario_fail(cx, 0, "out of memory");
	} else {
		for (uint32_t i = 0; i < cx->n_secs; i++) {
			const struct scenario_sec *s = &cx->secs[i];
			if (s->kind == SCENARIO_SEC_TENANT) {
				b->tenants[s->index] = (struct scenario_key){ s->id, s->index };
				lines_t[s->index] = s->line;
			} else if (s->kind == SCENARIO_SEC_POOL) {
				b->pools[s->index] = (struct scenario_key){ s->id, s->index };
				lines_p[s->index] = s->line;
			}
		}
		if (scenario_keys_unique(cx, b->tenants, sc->n_tenants, lines_t, "tenant"))
			scenario_keys_unique(cx, b->pools, sc->n_pools, lines_p, "pool");
	}
	free(lines_t);
	free(lines_p);
}

/* Head counts come first: generated ids are as wide as the largest. */
static void scenario_count_agents(struct scenario_ctx *cx, struct scenario_build *b,
                                  uint32_t *per_pool)
{
	struct scenario *sc = cx->sc;
	uint64_t total = 0, generated = 0;

	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		const struct scenario_sec *s = &cx->secs[i];
		if (s->kind == SCENARIO_SEC_AGENT) {
			total++;
		} else if (s->kind == SCENARIO_SEC_POOL) {
			per_pool[s->index] = 0;
			if (scenario_opt_uint(cx, s, "agents", 0, PROTO_AGENTS_MAX, &per_pool[s->index])) {
				total += per_pool[s->index];
				generated += per_pool[s->index];
			}
		}
	}
	if (cx->failed)
		return;
	if (total > PROTO_AGENTS_MAX) {
		scenario_fail(cx, 0, "%llu agents: at most %d are allowed", (unsigned long long)total,
		              PROTO_AGENTS_MAX);
		return;
	}
	b->id_width = 4;
	for (uint64_t g = 10000; g <= generated; g *= 10)
		b->id_width++;
	sc->n_agents = (uint32_t)total;
	sc->agents = calloc(total ? total : 1, sizeof *sc->agents);
	cx->agent_line = calloc(total ? total : 1, sizeof *cx->agent_line);
	if (sc->agents == NULL || cx->agent_line == NULL)
		scenario_fail(cx, 0, "out of memory");
}

static void scenario_agents_unique(struct scenario_ctx *cx)
{
	struct scenario *sc = cx->sc;
	struct scenario_key *keys = calloc(sc->n_agents ? sc->n_agents : 1, sizeof *keys);

	if (keys == NULL) {
		scenario_fail(cx, 0, "out of memory");
		return;
	}
	for (uint32_t i = 0; i < sc->n_agents; i++)
		keys[i] = (struct scenario_key){ sc->agents[i].id, i };
	scenario_keys_unique(cx, keys, sc->n_agents, cx->agent_line, "agent");
	free(keys);
}

static void scenario_build(struct scenario_ctx *cx)
{
	struct scenario_build b = { 0 };
	uint32_t *per_pool = NULL;

	scenario_check_keys(cx);
	if (!cx->failed)
		scenario_allocate(cx, &b);
	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		if (cx->secs[i].kind == SCENARIO_SEC_FLOOR)
			scenario_do_floor(cx, &cx->secs[i]);
	}
	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		if (cx->secs[i].kind == SCENARIO_SEC_SHIFT)
			scenario_do_shift(cx, &cx->secs[i]);
	}
	if (!cx->failed)
		scenario_check_shifts(cx);
	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		if (cx->secs[i].kind == SCENARIO_SEC_TENANT)
			scenario_do_tenant(cx, &cx->secs[i]);
	}
	if (!cx->failed) {
		per_pool = calloc(cx->sc->n_pools ? cx->sc->n_pools : 1, sizeof *per_pool);
		if (per_pool == NULL)
			scenario_fail(cx, 0, "out of memory");
		else
			scenario_count_agents(cx, &b, per_pool);
	}
	/* File order, so agents are listed the way the file reads. */
	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		const struct scenario_sec *s = &cx->secs[i];
		if (s->kind == SCENARIO_SEC_POOL)
			scenario_do_pool(cx, &b, s, per_pool[s->index]);
		else if (s->kind == SCENARIO_SEC_AGENT)
			scenario_do_agent(cx, &b, s);
	}
	if (!cx->failed)
		scenario_agents_unique(cx);
	if (!cx->failed)
		scenario_check_routes(cx, &b);
	free(per_pool);
	scenario_build_free(&b);
}

/* The floor is called after its file when [floor] gives no name. */
static void scenario_default_name(struct scenario *sc, const char *file)
{
	const char *base = strrchr(file, '/');
	char buf[PROTO_NAME_MAX + 1];

	scenario_copy(buf, base ? base + 1 : file, PROTO_NAME_MAX);
	char *dot = strrchr(buf, '.');
	if (dot && dot != buf)
		*dot = '\0';
	if (scenario_name_problem(buf) != NULL)
		snprintf(buf, sizeof buf, "floor");
	scenario_copy(sc->name, buf, PROTO_NAME_MAX);
}

int scenario_parse(const char *text, const char *name, struct scenario *sc,
                   char *err, size_t errlen)
{
	return scenario_parse_flags(text, name, 0, sc, err, errlen);
}

int scenario_parse_flags(const char *text, const char *name, unsigned flags,
                         struct scenario *sc, char *err, size_t errlen)
{
	struct scenario_ctx cx = { 0 };
	int rc;

	memset(sc, 0, sizeof *sc);
	cx.flags = flags;
	if (name == NULL)
		name = "<string>";
	cx.name = name;
	cx.err = err;
	cx.errlen = errlen;
	cx.pos = text ? text : "";
	cx.sc = sc;
	if (err && errlen)
		err[0] = '\0';
	scenario_copy(sc->path, name, sizeof sc->path - 1);

	rc = ini_parse_stream(scenario_reader, &cx, scenario_handler, &cx);
	if (!cx.failed && rc > 0)
		scenario_fail(&cx, rc, "syntax error");  /* our scan agrees with inih; a backstop */
	else if (!cx.failed && rc < 0)
		scenario_fail(&cx, 0, "out of memory");
	if (!cx.failed)
		scenario_build(&cx);
	if (!cx.failed && sc->name[0] == '\0')
		scenario_default_name(sc, name);
	scenario_ctx_free(&cx);
	if (cx.failed) {
		scenario_free(sc);
		return -1;
	}
	return 0;
}

static int scenario_load_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scenario_load_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	return scenario_load_flags(path, 0, sc, err, errlen);
}

int scenario_load_flags(const char *path, unsigned flags, struct scenario *sc,
                        char *err, size_t errlen)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	memset(sc, 0, sizeof *sc);
	if ((f = fopen(path, "rb")) == NULL)
		return scenario_load_fail(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	for (;;) {
		if (len + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p = ncap > SCENARIO_FILE_MAX ? NULL : realloc(buf, ncap);
			if (p == NULL) {
				free(buf);
				fclose(f);
				return scenario_load_fail(err, errlen, "%s: cannot read: %s", path,
				                          ncap > SCENARIO_FILE_MAX ? "file is too large"
				                                                   : strerror(ENOMEM));
			}
			buf = p;
			cap = ncap;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;  /* a directory reads as EISDIR */
		free(buf);
		fclose(f);
		return scenario_load_fail(err, errlen, "%s: cannot read: %s", path, strerror(e));
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		/* inih would stop at the NUL and quietly drop the rest of the file */
		int line = 1;
		for (const char *p = buf; *p; p++)
			line += *p == '\n';
		free(buf);
		return scenario_load_fail(err, errlen, "%s:%d: contains a NUL byte (is it a text file?)",
		                          path, line);
	}
	rc = scenario_parse_flags(buf, path, flags, sc, err, errlen);
	free(buf);
	return rc;
}

void scenario_free(struct scenario *sc)
{
	if (sc == NULL)
		return;
	for (uint32_t i = 0; sc->pools && i < sc->n_pools; i++)
		free(sc->pools[i].def.serves);
	for (uint32_t i = 0; sc->tenants && i < sc->n_tenants; i++)
		free(sc->tenants[i].queues);
	for (uint32_t i = 0; sc->agents && i < sc->n_agents; i++)
		free(sc->agents[i].aliases);
	free(sc->tenants);
	free(sc->pools);
	free(sc->agents);
	memset(sc, 0, sizeof *sc);
}

int scenario_shift_at(const struct scenario *sc, uint32_t minute)
{
	if (minute >= SCENARIO_DAY_MIN)
		return -1;
	for (uint32_t i = 0; i < sc->n_shifts; i++) {
		uint32_t a = sc->shifts[i].start_min, b = sc->shifts[i].end_min;
		if (a == b)
			return (int)i;
		if (a < b ? (minute >= a && minute < b) : (minute >= a || minute < b))
			return (int)i;
	}
	return -1;
}

int scenario_tenant_find(const struct scenario *sc, const char *id)
{
	for (uint32_t i = 0; i < sc->n_tenants; i++) {
		if (strcmp(sc->tenants[i].def.id, id) == 0)
			return (int)i;
	}
	return -1;
}

int scenario_pool_find(const struct scenario *sc, const char *id)
{
	for (uint32_t i = 0; i < sc->n_pools; i++) {
		if (strcmp(sc->pools[i].def.id, id) == 0)
			return (int)i;
	}
	return -1;
}
