/*
 * scenario_value: the vocabulary pass 2 of the scenario reader speaks —
 * the first error with its file and line, entries by key, numbers by the
 * rules of pooltop/parse.h (docs/ARGUMENTS.md), clock times, lists, ids
 * and display names.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/parse.h"
#include "pooltop/utf8.h"
#include "scenario_int.h"

#define SCENARIO_MSG_MAX 512
#define SCENARIO_STR_(x) #x
#define SCENARIO_STR(x) SCENARIO_STR_(x)

static const char *const scenario_kind_names[SCENARIO_SEC__COUNT] = {
	"floor", "shift", "tenant", "pool", "agent"
};

/* Keys each section accepts; "traffic.*" is matched separately. */
static const char *const scenario_keys_floor[] = {
	"name", "break_every", "break_length", "aux_length", "acw_reasons", NULL
};
static const char *const scenario_keys_shift[] = { "start", "end", NULL };
static const char *const scenario_keys_tenant[] = {
	"name", "model", "sl", "sl_pct", "sl_sec", "overflow", "hours",
	"dedicated_rate", "shared_rate", "min_dedicated", "traffic", "talk",
	"talk_cv", "wrap", "patience", "channels", "queues", NULL
};
static const char *const scenario_keys_pool[] = {
	"kind", "tenant", "serves", "agents", "on_duty", "names", "trained", NULL
};
static const char *const scenario_keys_agent[] = { "name", "pool", "shifts", "aliases", NULL };

static const char *const *const scenario_keys[SCENARIO_SEC__COUNT] = {
	scenario_keys_floor, scenario_keys_shift, scenario_keys_tenant,
	scenario_keys_pool, scenario_keys_agent
};

/* ------------------------------------------------------------ errors */

/* The first error only; "FILE:LINE: what is wrong" (no line: the file as
 * a whole). */
void scenario_fail(struct scenario_ctx *cx, int line, const char *fmt, ...)
{
	char msg[SCENARIO_MSG_MAX];
	va_list ap;

	if (cx->failed)
		return;
	cx->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (cx->err == NULL || cx->errlen == 0)
		return;
	if (line > 0)
		snprintf(cx->err, cx->errlen, "%s:%d: %s", cx->name, line, msg);
	else
		snprintf(cx->err, cx->errlen, "%s: %s", cx->name, msg);
}

const char *scenario_kind_name(enum scenario_kind k)
{
	return scenario_kind_names[k];
}

/* "tenant acme", "floor": how messages name a section. */
const char *scenario_what(const struct scenario_sec *s, char *buf, size_t len)
{
	if (s->kind == SCENARIO_SEC_FLOOR)
		snprintf(buf, len, "floor");
	else
		snprintf(buf, len, "%s %s", scenario_kind_names[s->kind], s->id);
	return buf;
}

/* ------------------------------------------------------------ strings */

bool scenario_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Trim in place; returns the start. */
char *scenario_trim(char *s)
{
	while (scenario_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && scenario_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

void scenario_copy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (n > cap)
		n = cap;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* NULL when s is a usable id, else why not. */
const char *scenario_id_problem(const char *s)
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
 * are refused too: a tab or an escape would break the dashboard's columns.
 * So are names that show nothing (only spaces and zero-width characters)
 * and bidirectional overrides, embeddings and isolates, which reorder
 * what follows them: either makes one name pass for another on a screen
 * where a manager moves people by name. */
const char *scenario_name_problem(const char *s)
{
	bool visible = false;

	if (*s == '\0')
		return "is empty";
	if (strlen(s) > PROTO_NAME_MAX)
		return "is longer than " SCENARIO_STR(PROTO_NAME_MAX) " bytes";
	while (*s) {
		uint32_t c;
		size_t n = utf8_decode(s, &c);

		if (n == 0)
			return "is not valid UTF-8";
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			return "contains a control character";
		if (utf8_is_bidi_control(c))
			return "contains a bidirectional control character (U+202A to U+202E, "
			       "U+2066 to U+2069)";
		visible = visible || !(utf8_is_zero_width(c) || utf8_is_space(c));
		s += n;
	}
	return visible ? NULL : "shows nothing: it is only spaces and zero-width characters";
}

/* ------------------------------------------------------------ keys */

const struct scenario_ent *scenario_get(const struct scenario_ctx *cx,
                                               const struct scenario_sec *s, const char *key)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct scenario_ent *e = &cx->ents[s->first + i];
		if (strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

const struct scenario_ent *scenario_need(struct scenario_ctx *cx,
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
void scenario_check_keys(struct scenario_ctx *cx)
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

/* ------------------------------------------------------------ numbers */

/* A parse.h refusal as "WHAT: KEY WHY, got TEXT": the text quoted when
 * it is not a number at all, bare when it is one out of range. */
static bool scenario_num_fail(struct scenario_ctx *cx, int line, const char *what,
                              const char *key, const char *text, int rc, const char *why)
{
	if (rc == PARSE_FORM)
		scenario_fail(cx, line, "%s: %s %s, got '%s'", what, key, why, text);
	else
		scenario_fail(cx, line, "%s: %s %s, got %s", what, key, why, text);
	return false;
}

bool scenario_num_text(struct scenario_ctx *cx, int line, const char *what, const char *key,
                       const char *text, double lo, double hi, bool above, double *out)
{
	const struct parse_range r = { lo, hi, above, false };
	char why[PARSE_WHY_MAX];
	int rc = parse_number(text, &r, out, why, sizeof why);

	return rc == PARSE_OK || scenario_num_fail(cx, line, what, key, text, rc, why);
}

bool scenario_uint_text(struct scenario_ctx *cx, int line, const char *what, const char *key,
                        const char *text, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char why[PARSE_WHY_MAX];
	uint64_t v;
	int rc = parse_whole(text, lo, hi, &v, why, sizeof why);

	if (rc != PARSE_OK)
		return scenario_num_fail(cx, line, what, key, text, rc, why);
	*out = (uint32_t)v;
	return true;
}

bool scenario_opt_num(struct scenario_ctx *cx, const struct scenario_sec *s, const char *key,
                      double lo, double hi, bool above, double *out)
{
	const struct scenario_ent *e = scenario_get(cx, s, key);
	char w[80];

	if (e == NULL)
		return true;
	return scenario_num_text(cx, e->line, scenario_what(s, w, sizeof w), key, e->value, lo, hi,
	                         above, out);
}

bool scenario_opt_uint(struct scenario_ctx *cx, const struct scenario_sec *s, const char *key,
                       uint32_t lo, uint32_t hi, uint32_t *out)
{
	const struct scenario_ent *e = scenario_get(cx, s, key);
	char w[80];

	if (e == NULL)
		return true;
	return scenario_uint_text(cx, e->line, scenario_what(s, w, sizeof w), key, e->value, lo, hi,
	                          out);
}

/* ------------------------------------------------------ times, lists */

/* "HH:MM" (or "H:MM") to minutes; `end` also allows "24:00" = midnight. */
bool scenario_hhmm(const char *s, bool end, uint32_t *minutes)
{
	uint32_t secs;

	if (parse_clock(s, end ? PARSE_CLOCK_END : 0, &secs, NULL, 0) != PARSE_OK)
		return false;
	*minutes = secs / 60 % SCENARIO_DAY_MIN;
	return true;
}

void scenario_fmt_hhmm(char out[PROTO_HHMM_MAX + 1], uint32_t minutes)
{
	snprintf(out, PROTO_HHMM_MAX + 1, "%02u:%02u", (minutes / 60) % 24, minutes % 60);
}

/* Minutes from a to b going forward round the clock; a == b is a whole day. */
uint32_t scenario_span(uint32_t a, uint32_t b)
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

bool scenario_items(struct scenario_ctx *cx, const char *value, struct scenario_items *it)
{
	uint32_t count = 0;

	it->n = 0;
	it->at = NULL;
	it->buf = strdup(value);
	/* counted on a copy first: the split writes into its text */
	char *tmp = strdup(value);
	if (it->buf && tmp) {
		count = scenario_split(tmp, NULL, 0);
		it->at = calloc(count ? count : 1, sizeof *it->at);
	}
	free(tmp);
	if (it->at == NULL) {
		scenario_items_free(it);
		scenario_fail(cx, 0, "out of memory");
		return false;
	}
	it->n = scenario_split(it->buf, it->at, count);
	return true;
}

void scenario_items_free(struct scenario_items *it)
{
	free(it->at);
	free(it->buf);
	it->at = NULL;
	it->buf = NULL;
	it->n = 0;
}

/* "NAME NUMBER" items: name and number text split at the last blank. */
bool scenario_pair(char *item, char **name, char **num)
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

int scenario_shift_index(const struct scenario *sc, const char *name)
{
	for (uint32_t i = 0; i < sc->n_shifts; i++) {
		if (strcmp(sc->shifts[i].def.name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* An Asterisk mapping list (queues, aliases), kept as written for the
 * ACD source to split: names there are the PBX's, not ours to check
 * beyond what the queue_log can hold (no '|'). */
bool scenario_acd_text(struct scenario_ctx *cx, const struct scenario_sec *s,
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
