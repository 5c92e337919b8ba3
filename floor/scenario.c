/*
 * scenario: read a floor definition (scenarios/README.md) into plain
 * arrays for pooltopd.
 *
 * Two passes: scenario_read.c turns the text into sections and entries
 * that know their lines; then the sections are given meaning in the
 * order their cross-references need (shifts before the tenants whose
 * traffic names them, tenants before the pools that serve them), so
 * every message can name the line that is wrong.  floor/scenario_int.h
 * says which file does what.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "pooltop/floor.h"

#define SCENARIO_FILE_MAX (256u * 1024u * 1024u)

static void scenario_build_free(struct scenario_build *b)
{
	strindex_free(&b->tenants);
	strindex_free(&b->pools);
	free(b->dedicated_of);
	free(b->dedicated_pool);
	free(b->shared_served);
	free(b->listed_in);
}

static void scenario_ctx_free(struct scenario_ctx *cx)
{
	for (uint32_t i = 0; i < cx->n_ents; i++)
		free(cx->ents[i].value);
	free(cx->ents);
	free(cx->secs);
	free(cx->agent_line);
}

/* ids[i] into ix, in file order: the first repeat in the file is the
 * error, naming where the id was first defined.  lines[i] is where item
 * i was defined. */
static bool scenario_index_ids(struct scenario_ctx *cx, struct strindex *ix, const char *id,
                               uint32_t i, const int *lines, const char *kind)
{
	int rc = strindex_put(ix, id, i);

	if (rc < 0)
		scenario_fail(cx, 0, "out of memory");
	else if (rc > 0)
		scenario_fail(cx, lines[i], "duplicate %s id '%s' (first defined at line %d)", kind, id,
		              lines[strindex_get(ix, id)]);
	return rc == 0;
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
	b->dedicated_of = calloc(sc->n_tenants, sizeof *b->dedicated_of);
	b->dedicated_pool = calloc(sc->n_tenants, sizeof *b->dedicated_pool);
	b->shared_served = calloc(sc->n_tenants, sizeof *b->shared_served);
	b->listed_in = calloc(sc->n_tenants, sizeof *b->listed_in);
	int *lines_t = calloc(sc->n_tenants, sizeof *lines_t);
	int *lines_p = calloc(sc->n_pools ? sc->n_pools : 1, sizeof *lines_p);
	if (!sc->tenants || !sc->pools || !b->dedicated_of || !b->dedicated_pool ||
	    !b->shared_served || !b->listed_in || !lines_t || !lines_p) {
		scenario_fail(cx, 0, "out of memory");
	} else {
		for (uint32_t i = 0; i < cx->n_secs; i++) {
			const struct scenario_sec *s = &cx->secs[i];
			if (s->kind == SCENARIO_SEC_TENANT)
				lines_t[s->index] = s->line;
			else if (s->kind == SCENARIO_SEC_POOL)
				lines_p[s->index] = s->line;
		}
		/* Tenants first, then pools, each in file order; the keys are the
		 * sections' ids, which stay put until the context is freed. */
		for (int pass = 0; pass < 2; pass++) {
			enum scenario_kind k = pass == 0 ? SCENARIO_SEC_TENANT : SCENARIO_SEC_POOL;
			for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
				const struct scenario_sec *s = &cx->secs[i];
				if (s->kind == k)
					scenario_index_ids(cx, pass == 0 ? &b->tenants : &b->pools, s->id, s->index,
					                   pass == 0 ? lines_t : lines_p, scenario_kind_name(k));
			}
		}
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
	struct strindex ix;

	strindex_init(&ix);
	for (uint32_t i = 0; i < sc->n_agents && !cx->failed; i++)
		scenario_index_ids(cx, &ix, sc->agents[i].id, i, cx->agent_line, "agent");
	strindex_free(&ix);
}

/* The look-ups pooltopd makes for the life of the floor. */
static void scenario_index(struct scenario_ctx *cx)
{
	struct scenario *sc = cx->sc;

	for (uint32_t i = 0; i < sc->n_tenants; i++) {
		if (strindex_put(&sc->tenant_ix, sc->tenants[i].def.id, i) < 0)
			scenario_fail(cx, 0, "out of memory");
	}
	for (uint32_t i = 0; i < sc->n_pools; i++) {
		if (strindex_put(&sc->pool_ix, sc->pools[i].def.id, i) < 0)
			scenario_fail(cx, 0, "out of memory");
	}
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
		scenario_index(cx);
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

	memset(sc, 0, sizeof *sc);
	cx.flags = flags;
	if (name == NULL)
		name = "<string>";
	cx.name = name;
	cx.err = err;
	cx.errlen = errlen;
	cx.sc = sc;
	if (err && errlen)
		err[0] = '\0';
	scenario_copy(sc->path, name, sizeof sc->path - 1);

	if (scenario_read(&cx, text ? text : ""))
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
	for (uint32_t i = 0; sc->pools && i < sc->n_pools; i++) {
		free(sc->pools[i].def.serves);
		free(sc->pools[i].trained);
	}
	for (uint32_t i = 0; sc->tenants && i < sc->n_tenants; i++)
		free(sc->tenants[i].queues);
	for (uint32_t i = 0; sc->agents && i < sc->n_agents; i++)
		free(sc->agents[i].aliases);
	free(sc->tenants);
	free(sc->pools);
	free(sc->agents);
	strindex_free(&sc->tenant_ix);
	strindex_free(&sc->pool_ix);
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

/* A scenario put together by hand (as the simulator's tests do) has no
 * index; it is searched instead. */
static int scenario_find(const struct strindex *ix, uint32_t n, const char *id,
                         const char *(*id_at)(const struct scenario *, uint32_t),
                         const struct scenario *sc)
{
	if (ix->count == n && n > 0)
		return (int)strindex_get(ix, id);
	for (uint32_t i = 0; i < n; i++) {
		if (strcmp(id_at(sc, i), id) == 0)
			return (int)i;
	}
	return -1;
}

static const char *scenario_tenant_id(const struct scenario *sc, uint32_t i)
{
	return sc->tenants[i].def.id;
}

static const char *scenario_pool_id(const struct scenario *sc, uint32_t i)
{
	return sc->pools[i].def.id;
}

int scenario_tenant_find(const struct scenario *sc, const char *id)
{
	return scenario_find(&sc->tenant_ix, sc->n_tenants, id, scenario_tenant_id, sc);
}

int scenario_pool_find(const struct scenario *sc, const char *id)
{
	return scenario_find(&sc->pool_ix, sc->n_pools, id, scenario_pool_id, sc);
}

/* The floor a scenario describes, every agent offline: the pools with
 * their `trained` lists, each agent in pool_of[i] (NULL: its home pool)
 * with its home recorded.  The one way pooltopd and the benchmarks build
 * it.  0, or -1 on no memory (the floor is then to be freed). */
int
scenario_floor(const struct scenario *sc, struct floor *f, uint64_t epoch, const uint32_t *pool_of,
               int64_t now)
{
	floor_init(f);
	f->epoch = epoch;
	f->ts = now;
	for (uint32_t i = 0; i < sc->n_shifts; i++)
		if (floor_add_shift(f, &sc->shifts[i].def) < 0)
			return -1;
	for (uint32_t i = 0; i < sc->n_tenants; i++)
		if (floor_add_tenant(f, &sc->tenants[i].def) < 0)
			return -1;
	for (uint32_t i = 0; i < sc->n_pools; i++) {
		struct proto_pool d = sc->pools[i].def;

		d.n_trained = sc->pools[i].n_trained;
		d.trained = sc->pools[i].trained;
		if (floor_add_pool(f, &d) < 0)
			return -1;
	}
	for (uint32_t i = 0; i < sc->n_agents; i++) {
		uint32_t home = sc->agents[i].pool;
		struct proto_agent a;

		memset(&a, 0, sizeof a);
		proto_strlcpy(a.id, sc->agents[i].id, PROTO_ID_MAX);
		proto_strlcpy(a.name, sc->agents[i].name, PROTO_NAME_MAX);
		proto_strlcpy(a.pool, sc->pools[pool_of ? pool_of[i] : home].def.id, PROTO_ID_MAX);
		proto_strlcpy(a.home, sc->pools[home].def.id, PROTO_ID_MAX);
		a.state = PROTO_AS_OFFLINE;
		a.since_ts = now;
		a.acc_ts = now;
		if (floor_add_agent(f, &a) < 0)
			return -1;
	}
	return 0;
}
