#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "pooltop/stats.h"
#include "floor_int.h"

#define FLOOR_MIN_CAP 8u

void
floor_init(struct floor *f)
{
	memset(f, 0, sizeof(*f));
	strindex_init(&f->tenant_ix);
	strindex_init(&f->pool_ix);
	strindex_init(&f->agent_ix);
}

/* Leaves f initialised and empty, so it can be reused (floor_from_snapshot
 * relies on that). */
void
floor_free(struct floor *f)
{
	for (uint32_t i = 0; i < f->n_tenants; i++)
		free(f->tenants[i].waiting);
	for (uint32_t i = 0; i < f->n_pools; i++) {
		free(f->pools[i].def.serves);
		free(f->pools[i].def.trained);
	}
	free(f->shifts);
	free(f->tenants);
	free(f->pools);
	free(f->agents);
	free(f->history);
	proto_sl_rows_free(f->history_sl, f->n_history);
	strindex_free(&f->tenant_ix);
	strindex_free(&f->pool_ix);
	strindex_free(&f->agent_ix);
	{
		/* A freed floor is a changed floor: caches keyed on gen see it. */
		uint64_t gen = f->gen;

		floor_init(f);
		f->gen = gen + 1;
	}
}

/*
 * The definition arrays carry no capacity field: their capacity is implied
 * by the count (the next power of two at or above it, at least
 * FLOOR_MIN_CAP), so appending stays amortised O(1) and an index is rebuilt
 * only when its array actually moves.  Returns the capacity to grow to
 * before appending to an array of n, or 0 when there is room.
 */
static uint32_t
floor_grow_cap(uint32_t n)
{
	if (n == 0)
		return FLOOR_MIN_CAP;
	if (n < FLOOR_MIN_CAP || (n & (n - 1)) != 0 || n > UINT32_MAX / 2)
		return 0;
	return n * 2;
}

/* Point an index at the ids of an array that moved.  The table already
 * holds n keys under its load limit, so no put can fail here. */
static void
floor_reindex(struct strindex *ix, const char *first_id, size_t stride, uint32_t n)
{
	strindex_clear(ix);
	for (uint32_t i = 0; i < n; i++)
		(void)strindex_put(ix, first_id + i * stride, i);
}

int
floor_add_shift(struct floor *f, const struct proto_shift_def *s)
{
	uint32_t cap = floor_grow_cap(f->n_shifts);

	for (uint32_t i = 0; i < f->n_shifts; i++)
		if (strcmp(f->shifts[i].name, s->name) == 0)
			return -1;
	if (cap) {
		struct proto_shift_def *p = realloc(f->shifts, cap * sizeof(*p));

		if (!p)
			return -1;
		f->shifts = p;
	}
	f->shifts[f->n_shifts] = *s;
	f->gen++;
	return (int)f->n_shifts++;
}

int
floor_add_tenant(struct floor *f, const struct proto_tenant *t)
{
	uint32_t cap = floor_grow_cap(f->n_tenants);
	struct floor_tenant *nt;

	if (!t->id[0] || floor_tenant_find(f, t->id) >= 0)
		return -1;
	if (cap) {
		struct floor_tenant *p = realloc(f->tenants, cap * sizeof(*p));

		if (!p)
			return -1;
		if (p != f->tenants)
			floor_reindex(&f->tenant_ix, p->def.id, sizeof(*p), f->n_tenants);
		f->tenants = p;
	}
	nt = &f->tenants[f->n_tenants];
	memset(nt, 0, sizeof(*nt));
	nt->def = *t;
	nt->def.id[PROTO_ID_MAX] = '\0';
	nt->dedicated_pool = -1;
	if (strindex_put(&f->tenant_ix, nt->def.id, f->n_tenants) != 0)
		return -1;
	f->gen++;
	return (int)f->n_tenants++;
}

/* Every id of a list names a tenant of the floor. */
static int
floor_tenants_valid(const struct floor *f, const char (*ids)[PROTO_ID_MAX + 1], uint32_t n)
{
	if (n && !ids)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (floor_tenant_find(f, ids[i]) < 0)
			return 0;
	return 1;
}

static int
floor_serves_valid(const struct floor *f, const struct proto_pool *p)
{
	return floor_tenants_valid(f, (const char (*)[PROTO_ID_MAX + 1])p->serves, p->n_serves) &&
	       floor_tenants_valid(f, (const char (*)[PROTO_ID_MAX + 1])p->trained, p->n_trained);
}

void *
floor_memdup(const void *src, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	p = malloc(n * size);
	if (p)
		memcpy(p, src, n * size);
	return p;
}

/* Which tenant a new pool belongs to: -1 for a shared pool, the tenant for
 * a dedicated one, -2 when the pool is invalid.  One dedicated pool per
 * tenant: staffing and routing look a tenant's team up through it. */
static int
floor_pool_owner(const struct floor *f, const struct proto_pool *p)
{
	int t;

	if ((unsigned)p->kind >= PROTO_POOL__COUNT || !floor_serves_valid(f, p))
		return -2;
	if (p->kind == PROTO_POOL_SHARED)
		return -1;
	t = floor_tenant_find(f, p->tenant);
	if (t < 0 || f->tenants[t].dedicated_pool >= 0)
		return -2;
	return t;
}

int
floor_add_pool(struct floor *f, const struct proto_pool *p)
{
	uint32_t cap = floor_grow_cap(f->n_pools);
	int owner = floor_pool_owner(f, p);
	struct floor_pool *np;
	char (*serves)[PROTO_ID_MAX + 1], (*trained)[PROTO_ID_MAX + 1];

	if (!p->id[0] || owner < -1 || floor_pool_find(f, p->id) >= 0)
		return -1;
	serves = floor_memdup(p->serves, p->n_serves, sizeof(*serves));
	trained = floor_memdup(p->trained, p->n_trained, sizeof(*trained));
	if ((p->n_serves && !serves) || (p->n_trained && !trained)) {
		free(serves);
		free(trained);
		return -1;
	}
	if (cap) {
		struct floor_pool *q = realloc(f->pools, cap * sizeof(*q));

		if (!q) {
			free(serves);
			free(trained);
			return -1;
		}
		if (q != f->pools)
			floor_reindex(&f->pool_ix, q->def.id, sizeof(*q), f->n_pools);
		f->pools = q;
	}
	np = &f->pools[f->n_pools];
	np->def = *p;
	np->def.id[PROTO_ID_MAX] = '\0';
	np->def.serves = serves;
	np->def.trained = trained;
	np->tenant = owner;
	if (owner < 0)
		np->def.tenant[0] = '\0';
	if (strindex_put(&f->pool_ix, np->def.id, f->n_pools) != 0) {
		free(serves);
		free(trained);
		return -1;
	}
	if (owner >= 0)
		f->tenants[owner].dedicated_pool = (int)f->n_pools;
	f->gen++;
	return (int)f->n_pools++;
}

/* Index of an optional reference: -1 for "", -2 when it names nothing. */
static int
floor_opt_find(const struct strindex *ix, const char *id)
{
	int64_t v;

	if (!id[0])
		return -1;
	v = strindex_get(ix, id);
	return v < 0 ? -2 : (int)v;
}

int
floor_add_agent(struct floor *f, const struct proto_agent *a)
{
	uint32_t cap = floor_grow_cap(f->n_agents);
	int pool = floor_pool_find(f, a->pool);
	int serving = floor_opt_find(&f->tenant_ix, a->tenant);
	int hpool = floor_opt_find(&f->pool_ix, a->handling_pool);
	int home = floor_opt_find(&f->pool_ix, a->home);
	struct floor_agent *na;

	if (!a->id[0] || pool < 0 || serving < -1 || hpool < -1 || home < -1 ||
	    (unsigned)a->state >= PROTO_AS__COUNT || floor_agent_find(f, a->id) >= 0)
		return -1;
	if (cap) {
		struct floor_agent *p = realloc(f->agents, cap * sizeof(*p));

		if (!p)
			return -1;
		if (p != f->agents)
			floor_reindex(&f->agent_ix, p->def.id, sizeof(*p), f->n_agents);
		f->agents = p;
	}
	na = &f->agents[f->n_agents];
	na->def = *a;
	na->def.id[PROTO_ID_MAX] = '\0';
	na->pool = pool;
	na->serving = serving;
	na->handling_pool = hpool;
	na->home = home;
	na->handled = a->handled;
	if (strindex_put(&f->agent_ix, na->def.id, f->n_agents) != 0)
		return -1;
	f->gen++;
	return (int)f->n_agents++;
}

int
floor_tenant_find(const struct floor *f, const char *id)
{
	return (int)strindex_get(&f->tenant_ix, id);
}

int
floor_pool_find(const struct floor *f, const char *id)
{
	return (int)strindex_get(&f->pool_ix, id);
}

int
floor_agent_find(const struct floor *f, const char *id)
{
	return (int)strindex_get(&f->agent_ix, id);
}

int64_t
floor_span_ms(int64_t from, int64_t to)
{
	if (from >= 0 ? to < INT64_MIN + from : to > INT64_MAX + from)
		return from >= 0 ? INT64_MIN : INT64_MAX;
	return to - from;
}

bool
floor_ts_valid(int64_t ts)
{
	return ts >= 0 && ts <= FLOOR_TS_MAX;
}

/*
 * Staffed time not yet accrued.  It only counts inside a shift (a floor
 * that never saw one has nothing to bill it to, and agents built from a
 * scenario carry acc_ts 0) and never before the shift's start, so an agent
 * whose mark predates the shift is billed from the start.
 */
static uint64_t
floor_open_ms(const struct floor *f, const struct floor_agent *a, int64_t now)
{
	int64_t from = a->def.acc_ts, span;

	if (!f->shift_name[0] || a->def.state == PROTO_AS_OFFLINE ||
	    f->pools[a->pool].tenant < 0)
		return 0;
	if (from < f->shift_start_ts)
		from = f->shift_start_ts;
	span = floor_span_ms(from, now);
	return span > 0 ? (uint64_t)span : 0;
}

/* An agent's span goes to busy (busy or wrapping) or break by its state. */
static void
floor_split_add(const struct floor_agent *a, uint64_t ms, uint64_t *busy, uint64_t *brk)
{
	if (a->def.state == PROTO_AS_BUSY || a->def.state == PROTO_AS_WRAP)
		*busy += ms;
	else if (a->def.state == PROTO_AS_BREAK)
		*brk += ms;
}

/* The mark never moves back: an event stamped earlier than one already
 * accrued must not bill the same span twice. */
void
floor_accrue(struct floor *f, struct floor_agent *a, int64_t now)
{
	int t = f->pools[a->pool].tenant;

	if (t >= 0) {
		struct floor_counters *c = &f->tenants[t].cur;
		uint64_t open = floor_open_ms(f, a, now);

		/* busy and break are cut exactly where staffed time is, so a
		 * shift's occupancy can never pass 100% */
		c->dedicated_staffed_ms += open;
		floor_split_add(a, open, &c->dedicated_busy_ms, &c->dedicated_break_ms);
	}
	if (now > a->def.acc_ts)
		a->def.acc_ts = now;
}

uint64_t
floor_staffed_ms(const struct floor *f, uint32_t t, int64_t now)
{
	uint64_t ms;

	if (t >= f->n_tenants)
		return 0;
	ms = f->tenants[t].cur.dedicated_staffed_ms;
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];

		if (f->pools[a->pool].tenant == (int)t)
			ms += floor_open_ms(f, a, now);
	}
	return ms;
}

/* The shift's own intervals, extended to any later one that counted a
 * contact (queued after the planned end) so the series sums to offered. */
static uint32_t
floor_row_intervals(const struct floor_counters *c, int64_t start, int64_t end)
{
	int64_t span = floor_span_ms(start, end);
	uint32_t n = 0;

	if (span > 0) {
		int64_t k = span / FLOOR_INTERVAL_MS + (span % FLOOR_INTERVAL_MS != 0);

		n = k > PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX : (uint32_t)k;
	}
	for (uint32_t i = PROTO_INTERVALS_MAX; i > n; i--) {
		const struct proto_sl_interval *v = &c->sl[i - 1];

		if (c->intervals[i - 1] || v->answered || v->abandoned)
			return i;
	}
	return n;
}

void
floor_row_fill(const struct floor *f, uint32_t t, int64_t end_ts, uint64_t staffed_ms,
               struct proto_stats_row *out)
{
	const struct floor_tenant *ft = &f->tenants[t];
	const struct floor_counters *c = &ft->cur;

	memset(out, 0, sizeof(*out));
	memcpy(out->tenant, ft->def.id, sizeof(out->tenant));
	memcpy(out->shift, f->shift_name, sizeof(out->shift));
	out->start_ts = f->shift_start_ts;
	out->end_ts = end_ts;
	out->offered = c->offered;
	out->answered = c->answered;
	out->answered_in_sl = c->answered_in_sl;
	out->abandoned = c->abandoned;
	out->abandoned_short = c->abandoned_short;
	out->wait_ms = c->wait_ms;
	out->talk_ms = c->talk_ms;
	out->wrap_ms = c->wrap_ms;
	out->dedicated_staffed_ms = staffed_ms;
	out->shared_handle_ms = c->shared_handle_ms;
	out->handled = c->handled;
	out->has_busy = true;
	out->dedicated_busy_ms = c->dedicated_busy_ms;
	out->dedicated_break_ms = c->dedicated_break_ms;
	out->n_intervals = floor_row_intervals(c, f->shift_start_ts, end_ts);
	memcpy(out->intervals, c->intervals, out->n_intervals * sizeof(out->intervals[0]));
	out->cost = stats_cost(out, &ft->def);
}

int
floor_row_sl(const struct floor *f, uint32_t t, uint32_t n, struct proto_sl_row *out)
{
	return proto_sl_set(out, f->tenants[t].cur.sl, n > PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX : n);
}

void
floor_stats_row(const struct floor *f, uint32_t t, int64_t now,
                struct proto_stats_row *out)
{
	if (t >= f->n_tenants) {
		memset(out, 0, sizeof(*out));
		return;
	}
	floor_row_fill(f, t, f->shift_end_ts ? f->shift_end_ts : now,
	               floor_staffed_ms(f, t, now), out);
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];

		if (f->pools[a->pool].tenant == (int)t)
			floor_split_add(a, floor_open_ms(f, a, now), &out->dedicated_busy_ms,
			                &out->dedicated_break_ms);
	}
}

/* The same for every tenant in one pass over the agents: a dashboard
 * frame on a floor of thousands of agents cannot afford one per tenant. */
int
floor_stats_rows(const struct floor *f, int64_t now, struct proto_stats_row *out)
{
	uint64_t *staffed = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *staffed);

	if (staffed == NULL)
		return -1;
	for (uint32_t t = 0; t < f->n_tenants; t++)
		staffed[t] = f->tenants[t].cur.dedicated_staffed_ms;
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];
		int t = f->pools[a->pool].tenant;

		if (t >= 0)
			staffed[t] += floor_open_ms(f, a, now);
	}
	for (uint32_t t = 0; t < f->n_tenants; t++)
		floor_row_fill(f, t, f->shift_end_ts ? f->shift_end_ts : now, staffed[t], &out[t]);
	/* the open spans, as floor_stats_row adds them */
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];
		int t = f->pools[a->pool].tenant;

		if (t >= 0)
			floor_split_add(a, floor_open_ms(f, a, now), &out[t].dedicated_busy_ms,
			                &out[t].dedicated_break_ms);
	}
	free(staffed);
	return 0;
}

/* A replica that runs for weeks closes a shift every few hours; what it
 * shows of history is the newest rows, and `history` fetches the rest. */
void
floor_history_trim(struct floor *f, uint32_t keep)
{
	if (f->n_history <= keep)
		return;
	memmove(f->history, f->history + (f->n_history - keep), (size_t)keep * sizeof(*f->history));
	/* the dropped rows' intervals go with them; the kept ones move */
	for (uint32_t i = 0; f->history_sl && i < f->n_history - keep; i++)
		free(f->history_sl[i].iv);
	memmove(f->history_sl, f->history_sl + (f->n_history - keep),
	        (size_t)keep * sizeof(*f->history_sl));
	f->n_history = keep;
	f->gen++;
}

void
floor_pool_counts(const struct floor *f, uint32_t p, uint32_t counts[PROTO_AS__COUNT])
{
	memset(counts, 0, PROTO_AS__COUNT * sizeof(counts[0]));
	for (uint32_t i = 0; i < f->n_agents; i++)
		if (f->agents[i].pool == (int)p)
			counts[f->agents[i].def.state]++;
}

bool
floor_agent_moving(const struct floor *f, uint32_t a)
{
	const struct floor_agent *fa;

	if (a >= f->n_agents)
		return false;
	fa = &f->agents[a];
	return fa->handling_pool >= 0 && fa->handling_pool != fa->pool;
}

uint32_t
floor_agent_home(const struct floor *f, uint32_t a)
{
	const struct floor_agent *fa = &f->agents[a];

	return (uint32_t)(fa->home >= 0 ? fa->home : fa->pool);
}

/* Queues are short and mostly drained from the front, so a plain array
 * that doubles is enough. */
int
floor_waiting_push(struct floor_tenant *t, uint64_t contact, int64_t ts,
                   enum proto_channel channel)
{
	struct floor_queued *q;

	if (t->n_waiting == t->cap_waiting) {
		uint32_t cap = t->cap_waiting ? t->cap_waiting * 2 : FLOOR_MIN_CAP;

		if (cap < t->cap_waiting)
			return -1;
		q = realloc(t->waiting, cap * sizeof(*q));
		if (!q)
			return -1;
		t->waiting = q;
		t->cap_waiting = cap;
	}
	q = &t->waiting[t->n_waiting++];
	q->contact = contact;
	q->ts = ts;
	q->channel = channel;
	return 0;
}
