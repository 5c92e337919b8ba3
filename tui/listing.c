/*
 * listing: rows, order and figures of the dashboard's lists, from the
 * floor replica alone.
 *
 * Every comparator ends on a unique key (an id), so each order is total:
 * the same floor always lists the same way, and an unstable in-place sort
 * is enough.  Tie-breakers stay ascending whichever way the column is
 * sorted, so rows that tie read A..Z in both directions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/list.h"
#include "pooltop/listing.h"

static const char *const listing_tenant_cols[LT__COUNT] = {
	"Tenant", "Model", "Wait", "Oldest", "SLnow", "SL", "ASA", "Abn", "AHT",
	"Ded", "Shr", "Offered",
};

const uint32_t listing_sl_window_iv[LISTING_SL_WINDOWS] = { 1, 2, 4 };

static const char *const listing_agent_cols[LA__COUNT] = {
	"ID", "Name", "Pool", "State", "Serving", "Time", "Handled",
};

/* ------------------------------------------------------------ helpers */

static int
listing_fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Names sort as a reader expects ("acme" next to "Acme"), then bytewise so
 * two spellings that fold alike still have a fixed order. */
static int
listing_name_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; *x && listing_fold(*x) == listing_fold(*y); x++, y++)
		;
	if (listing_fold(*x) != listing_fold(*y))
		return listing_fold(*x) < listing_fold(*y) ? -1 : 1;
	return strcmp(a, b);
}

static int
listing_cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int
listing_cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int
listing_dir(int c, bool desc)
{
	return desc ? -c : c;
}

/* A figure that cannot be computed yet goes last in either direction, so a
 * tenant with no contacts never heads a "worst first" list. */
static int
listing_cmp_dbl(double a, double b, bool desc)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return listing_dir((a > b) - (a < b), desc);
}

/* ---------------------------------------------------------- tenants */

static bool
listing_busy(enum proto_agent_state s)
{
	return s == PROTO_AS_BUSY || s == PROTO_AS_WRAP;
}

double
listing_sl_span(const struct floor_counters *c, uint32_t first, uint32_t last)
{
	struct proto_stats_row r;
	struct proto_tenant none;
	struct stats st;

	memset(&r, 0, sizeof r);
	memset(&none, 0, sizeof none);
	for (uint32_t i = first; i <= last && i < PROTO_INTERVALS_MAX; i++) {
		r.answered += c->sl[i].answered;
		r.answered_in_sl += c->sl[i].answered_in_sl;
		r.abandoned += c->sl[i].abandoned;
		r.abandoned_short += c->sl[i].abandoned_short;
	}
	/* the one formula (PROTOCOL.md §10), on these counters alone */
	stats_compute(&r, &none, &st);
	return st.service_level;
}

/* Service level now, beside the shift's: a tenant drowning this quarter
 * hour must not hide behind a good morning. */
static void
listing_tenant_recent(const struct floor *f, const struct floor_tenant *ft, int64_t now,
                      struct listing_tenant *out)
{
	int64_t span = floor_span_ms(f->shift_start_ts, now);
	uint32_t cur;
	double pts;

	for (int w = 0; w < LISTING_SL_WINDOWS; w++)
		out->sl_recent[w] = NAN;
	out->recent_level = STATS_NONE;
	out->recent_gap = NAN;
	out->trend = 0;
	if (!f->shift_name[0] || span < 0)
		return;
	cur = span / FLOOR_INTERVAL_MS >= PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX - 1
	                                                      : (uint32_t)(span / FLOOR_INTERVAL_MS);
	for (int w = 0; w < LISTING_SL_WINDOWS; w++) {
		uint32_t k = listing_sl_window_iv[w];

		out->sl_recent[w] = listing_sl_span(&ft->cur, cur + 1 >= k ? cur + 1 - k : 0, cur);
	}
	out->recent_level = stats_sl_level(out->sl_recent[0], ft->def.sl_pct, LISTING_SL_WARN_PTS);
	out->recent_gap = out->sl_recent[0] * 100.0 - ft->def.sl_pct;
	pts = (out->sl_recent[0] - out->stats.service_level) * 100.0;
	if (!isnan(pts))
		out->trend = pts > LISTING_SL_WARN_PTS ? 1 : pts < -LISTING_SL_WARN_PTS ? -1 : 0;
}

/* The figures from the tenant's own counters; agents are counted apart. */
static void
listing_tenant_fill(const struct floor *f, uint32_t t, int64_t now, const struct proto_stats_row *row,
                    struct listing_tenant *out)
{
	const struct floor_tenant *ft = &f->tenants[t];

	memset(out, 0, sizeof(*out));
	out->tenant = t;
	out->oldest_ms = -1;
	out->waiting = ft->n_waiting;
	if (ft->n_waiting) {
		/* a contact stamped ahead of our clock has not waited at all */
		int64_t age = now - ft->waiting[0].ts;

		out->oldest_ms = age > 0 ? age : 0;
	}
	stats_compute(row, &ft->def, &out->stats);
	out->level = stats_sl_level(out->stats.service_level, ft->def.sl_pct, LISTING_SL_WARN_PTS);
	out->sl_gap = out->stats.service_level * 100.0 - ft->def.sl_pct;
	out->offered = ft->cur.offered;
	out->handled = row->handled;
	out->oldest_level = listing_oldest_level(out->oldest_ms, ft->def.sl_sec);
	listing_tenant_recent(f, ft, now, out);
}

enum stats_level
listing_oldest_level(int64_t oldest_ms, uint32_t sl_sec)
{
	double limit = (double)sl_sec * 1000.0;

	if (oldest_ms < 0)
		return STATS_NONE;
	if ((double)oldest_ms > limit)
		return STATS_CRIT;
	if ((double)oldest_ms >= limit * LISTING_OLDEST_WARN_FRAC)
		return STATS_WARN;
	return STATS_OK;
}

uint32_t
listing_offered_series(const struct floor *f, uint32_t t, int64_t now, uint32_t *out)
{
	const uint32_t *iv = f->tenants[t].cur.intervals;
	int64_t span = f->shift_start_ts > 0 ? floor_span_ms(f->shift_start_ts, now) : -1;
	int64_t into;
	uint32_t n = 1;

	if (span > 0)
		n = span / FLOOR_INTERVAL_MS >= PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX
		                                                    : (uint32_t)(span / FLOOR_INTERVAL_MS) + 1;
	memcpy(out, iv, n * sizeof *out);
	/* Past the shift's last quarter hour the last one is closed. */
	if (span <= 0 || span / FLOOR_INTERVAL_MS >= PROTO_INTERVALS_MAX)
		return n;
	into = span % FLOOR_INTERVAL_MS;
	if (into < FLOOR_INTERVAL_MS / 15)
		into = FLOOR_INTERVAL_MS / 15;
	out[n - 1] = (uint32_t)(((uint64_t)iv[n - 1] * FLOOR_INTERVAL_MS + (uint64_t)into / 2) /
	                        (uint64_t)into);
	return n;
}

/* The tenant whose row agent a counts in, or -1: a dedicated pool's
 * tenant, or, for a shared-pool agent busy with a contact, the tenant it
 * serves. */
static int
listing_agent_tenant(const struct floor *f, const struct floor_agent *a, bool *dedicated)
{
	int t = f->pools[a->pool].tenant;

	*dedicated = t >= 0;
	if (t >= 0)
		return t;
	if (a->serving >= 0 && (uint32_t)a->serving < f->n_tenants && listing_busy(a->def.state) &&
	    f->pools[a->pool].def.kind == PROTO_POOL_SHARED)
		return a->serving;
	return -1;
}

static void
listing_tenant_add(struct listing_tenant *r, const struct floor_agent *a, bool dedicated)
{
	enum proto_agent_state s = a->def.state;

	if (!dedicated) {
		r->shared_serving++;
		return;
	}
	if (listing_busy(s))
		r->ded_busy++;
	else if (s == PROTO_AS_IDLE)
		r->ded_idle++;
	if (s != PROTO_AS_OFFLINE)
		r->ded_on++;
}

void
listing_tenant_row(const struct floor *f, uint32_t t, int64_t now, struct listing_tenant *out)
{
	struct proto_stats_row row;
	bool ded;

	if (t >= f->n_tenants) {
		memset(out, 0, sizeof(*out));
		out->tenant = t;
		out->oldest_ms = -1;
		out->oldest_level = STATS_NONE;
		out->level = STATS_NONE;
		out->stats.service_level = out->stats.asa_s = out->stats.aht_s = NAN;
		out->stats.abandon_rate = out->stats.occupancy = out->stats.cost = NAN;
		return;
	}
	floor_stats_row(f, t, now, &row);
	listing_tenant_fill(f, t, now, &row, out);
	for (uint32_t i = 0; i < f->n_agents; i++)
		if (listing_agent_tenant(f, &f->agents[i], &ded) == (int)t)
			listing_tenant_add(out, &f->agents[i], ded);
}

int
listing_tenant_rows(const struct floor *f, int64_t now, struct listing_tenant *out)
{
	struct proto_stats_row *rows = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *rows);

	if (rows == NULL || floor_stats_rows(f, now, rows) < 0) {
		free(rows);
		return -1;
	}
	for (uint32_t t = 0; t < f->n_tenants; t++)
		listing_tenant_fill(f, t, now, &rows[t], &out[t]);
	for (uint32_t i = 0; i < f->n_agents; i++) {
		bool ded;
		int t = listing_agent_tenant(f, &f->agents[i], &ded);

		if (t >= 0)
			listing_tenant_add(&out[t], &f->agents[i], ded);
	}
	free(rows);
	return 0;
}

const char *
listing_tenant_col_name(int col)
{
	return col >= 0 && col < LT__COUNT ? listing_tenant_cols[col] : "";
}

static bool listing_tenant_matches(const struct proto_tenant *t, const char *filter);

struct listing_tenant_ctx {
	const struct floor *f;
	int64_t now;
	int sort;
	bool desc;
	struct listing_tenant *rows;   /* by tenant index; NULL: compute per compare */
};

static bool
listing_tenant_col_needs_row(int col)
{
	return col != LT_NAME && col != LT_MODEL;
}

static int
listing_tenant_key_cmp(const struct listing_tenant *ra, const struct listing_tenant *rb,
                       int sort, bool desc)
{
	int c;

	switch (sort) {
	case LT_WAITING:
		return listing_dir(listing_cmp_u64(ra->waiting, rb->waiting), desc);
	case LT_OLDEST:
		return listing_dir(listing_cmp_i64(ra->oldest_ms, rb->oldest_ms), desc);
	case LT_SL:
		/* Worst first means furthest below its own target: 78% against
		 * 70 is fine, 79% against 80 is not. */
		return listing_cmp_dbl(ra->sl_gap, rb->sl_gap, desc);
	case LT_SL_NOW:
		/* the last 15 minutes, against the tenant's own target */
		return listing_cmp_dbl(ra->recent_gap, rb->recent_gap, desc);
	case LT_ASA:
		return listing_cmp_dbl(ra->stats.asa_s, rb->stats.asa_s, desc);
	case LT_ABANDON:
		return listing_cmp_dbl(ra->stats.abandon_rate, rb->stats.abandon_rate, desc);
	case LT_AHT:
		return listing_cmp_dbl(ra->stats.aht_s, rb->stats.aht_s, desc);
	case LT_DEDICATED:
		/* the column reads busy/on: staffing first, then how busy */
		c = listing_cmp_u64(ra->ded_on, rb->ded_on);
		if (!c)
			c = listing_cmp_u64(ra->ded_busy, rb->ded_busy);
		return listing_dir(c, desc);
	case LT_SHARED:
		return listing_dir(listing_cmp_u64(ra->shared_serving, rb->shared_serving), desc);
	case LT_OFFERED:
		return listing_dir(listing_cmp_u64(ra->offered, rb->offered), desc);
	default:
		return 0;
	}
}

static int
listing_tenant_cmp(uint32_t a, uint32_t b, void *vctx)
{
	const struct listing_tenant_ctx *ctx = vctx;
	const struct proto_tenant *ta = &ctx->f->tenants[a].def;
	const struct proto_tenant *tb = &ctx->f->tenants[b].def;
	int c = 0;

	if (ctx->sort == LT_MODEL) {
		/* by the model's name as shown, so the column reads alphabetically */
		c = listing_dir(strcmp(proto_model_name(ta->model), proto_model_name(tb->model)),
		                ctx->desc);
	} else if (ctx->sort == LT_NAME) {
		c = listing_dir(listing_name_cmp(ta->name, tb->name), ctx->desc);
	} else if (ctx->rows) {
		c = listing_tenant_key_cmp(&ctx->rows[a], &ctx->rows[b], ctx->sort, ctx->desc);
	} else {
		struct listing_tenant ra, rb;

		listing_tenant_row(ctx->f, a, ctx->now, &ra);
		listing_tenant_row(ctx->f, b, ctx->now, &rb);
		c = listing_tenant_key_cmp(&ra, &rb, ctx->sort, ctx->desc);
	}
	if (!c)
		c = listing_name_cmp(ta->name, tb->name);
	if (!c)
		c = strcmp(ta->id, tb->id);
	return c;
}

bool
listing_tenant_match(const struct floor *f, uint32_t t, const char *filter)
{
	return t < f->n_tenants && listing_tenant_matches(&f->tenants[t].def, filter);
}

static bool
listing_tenant_matches(const struct proto_tenant *t, const char *filter)
{
	return fmt_match(t->id, filter) || fmt_match(t->name, filter) ||
	       fmt_match(proto_model_name(t->model), filter);
}

void
listing_tenants_order(const struct floor *f, const struct listing_tenant *rows, int64_t now, int sort,
                      bool desc, uint32_t *order, uint32_t n)
{
	/* The comparator only reads the rows. */
	struct listing_tenant_ctx ctx = { f, now, sort, desc, (struct listing_tenant *)rows };

	if (sort < 0 || sort >= LT__COUNT)
		ctx.sort = LT_NAME;
	list_sort(order, n, listing_tenant_cmp, &ctx);
}

static uint32_t
listing_tenants_sort(const struct floor *f, int64_t now, int sort, bool desc, const char *filter,
                     struct listing_tenant *rows, uint32_t *out)
{
	uint32_t n = 0;

	for (uint32_t t = 0; t < f->n_tenants; t++)
		if (listing_tenant_matches(&f->tenants[t].def, filter))
			out[n++] = t;
	listing_tenants_order(f, rows, now, sort, desc, out, n);
	return n;
}

uint32_t
listing_tenants(const struct floor *f, int64_t now, int sort, bool desc,
                const char *filter, uint32_t *out)
{
	struct listing_tenant *rows = NULL;
	uint32_t n;

	/* Each row walks every agent, so rows are computed once up front; if
	 * that memory is not there, the comparator computes them instead —
	 * slower, but the list is still right. */
	if (f->n_tenants > 1 && listing_tenant_col_needs_row(sort)) {
		rows = malloc((size_t)f->n_tenants * sizeof(*rows));
		if (rows && listing_tenant_rows(f, now, rows) < 0) {
			free(rows);
			rows = NULL;
		}
	}
	n = listing_tenants_sort(f, now, sort, desc, filter, rows, out);
	free(rows);
	return n;
}

uint32_t
listing_tenants_from(const struct floor *f, const struct listing_tenant *rows, int sort, bool desc,
                     const char *filter, uint32_t *out)
{
	/* The comparator only reads the rows. */
	return listing_tenants_sort(f, 0, sort, desc, filter, (struct listing_tenant *)rows, out);
}

/* ---------------------------------------------------------- agents */

const char *
listing_agent_state(const struct floor *f, uint32_t a)
{
	if (a >= f->n_agents)
		return "?";
	if (floor_agent_moving(f, a))
		return "moving";
	return proto_agent_state_name(f->agents[a].def.state);
}

int
listing_agent_state_rank(const struct floor *f, uint32_t a)
{
	if (a >= f->n_agents)
		return 99;
	if (floor_agent_moving(f, a))
		return 1;
	switch (f->agents[a].def.state) {
	case PROTO_AS_BUSY:
		return 0;
	case PROTO_AS_WRAP:
		return 2;
	case PROTO_AS_IDLE:
		return 3;
	case PROTO_AS_BREAK:
		return 4;
	case PROTO_AS_OFFLINE:
		return 5;
	default:
		return 6;
	}
}

/* ---------------------------------------------------------- id widths */

/* The widest of n ids, each `stride` bytes after the one before. */
static int
listing_widest(const char *first, uint32_t n, size_t stride)
{
	int w = 0;

	for (uint32_t i = 0; i < n; i++) {
		int k = fmt_width(first + (size_t)i * stride);

		if (k > w)
			w = k;
	}
	return w;
}

int
listing_tenant_id_cols(const struct floor *f)
{
	return f->n_tenants ? listing_widest(f->tenants[0].def.id, f->n_tenants, sizeof f->tenants[0]) : 0;
}

int
listing_agent_id_cols(const struct floor *f)
{
	return f->n_agents ? listing_widest(f->agents[0].def.id, f->n_agents, sizeof f->agents[0]) : 0;
}

int
listing_pool_id_cols(const struct floor *f)
{
	return f->n_pools ? listing_widest(f->pools[0].def.id, f->n_pools, sizeof f->pools[0]) : 0;
}

const char *
listing_agent_col_name(int col)
{
	return col >= 0 && col < LA__COUNT ? listing_agent_cols[col] : "";
}

static bool listing_agent_matches(const struct floor *f, uint32_t i, const char *filter);

struct listing_agent_ctx {
	const struct floor *f;
	int64_t now;
	int sort;
	bool desc;
};

static const char *
listing_agent_serving_id(const struct floor *f, const struct floor_agent *a)
{
	return a->serving >= 0 ? f->tenants[a->serving].def.id : "";
}

static int
listing_agent_key_cmp(const struct listing_agent_ctx *ctx, uint32_t a, uint32_t b)
{
	const struct floor *f = ctx->f;
	const struct floor_agent *fa = &f->agents[a];
	const struct floor_agent *fb = &f->agents[b];
	const char *sa, *sb;
	int c;

	switch (ctx->sort) {
	case LA_NAME:
		return listing_dir(listing_name_cmp(fa->def.name, fb->def.name), ctx->desc);
	case LA_POOL:
		return listing_dir(strcmp(f->pools[fa->pool].def.id, f->pools[fb->pool].def.id),
		                   ctx->desc);
	case LA_STATE:
		/* by work (busy first), not by the states' names */
		return listing_dir(listing_cmp_i64(listing_agent_state_rank(f, a),
		                                   listing_agent_state_rank(f, b)),
		                   ctx->desc);
	case LA_TENANT:
		/* like a missing figure: agents serving nobody go last either way */
		sa = listing_agent_serving_id(f, fa);
		sb = listing_agent_serving_id(f, fb);
		if (!sa[0] || !sb[0])
			return !sa[0] - !sb[0];
		return listing_dir(strcmp(sa, sb), ctx->desc);
	case LA_TIME:
		c = listing_cmp_i64(ctx->now - fa->def.since_ts, ctx->now - fb->def.since_ts);
		return listing_dir(c, ctx->desc);
	case LA_HANDLED:
		return listing_dir(listing_cmp_u64(fa->handled, fb->handled), ctx->desc);
	case LA_ID:
	default:
		return listing_dir(strcmp(fa->def.id, fb->def.id), ctx->desc);
	}
}

static int
listing_agent_cmp(uint32_t a, uint32_t b, void *vctx)
{
	const struct listing_agent_ctx *ctx = vctx;
	int c = listing_agent_key_cmp(ctx, a, b);

	return c ? c : strcmp(ctx->f->agents[a].def.id, ctx->f->agents[b].def.id);
}

bool
listing_agent_match(const struct floor *f, uint32_t i, const char *filter)
{
	return i < f->n_agents && listing_agent_matches(f, i, filter);
}

static bool
listing_agent_matches(const struct floor *f, uint32_t i, const char *filter)
{
	const struct floor_agent *a = &f->agents[i];

	if (!filter || !filter[0])
		return true;
	/* Exact forms, for "this pool's / this tenant's agents": a plain
	 * substring would let tenant "ded" match pool "ded-hyb" too. */
	if (strncmp(filter, "pool:", 5) == 0)
		return strcmp(f->pools[a->pool].def.id, filter + 5) == 0;
	if (strncmp(filter, "tenant:", 7) == 0) {
		int t = floor_tenant_find(f, filter + 7);
		return t >= 0 && (f->pools[a->pool].tenant == t || a->serving == t);
	}
	if (fmt_match(a->def.id, filter) || fmt_match(a->def.name, filter) ||
	    fmt_match(f->pools[a->pool].def.id, filter) ||
	    fmt_match(listing_agent_state(f, i), filter))
		return true;
	/* a manager may know the client by id or by name */
	return a->serving >= 0 && (fmt_match(f->tenants[a->serving].def.id, filter) ||
	                           fmt_match(f->tenants[a->serving].def.name, filter));
}

void
listing_agents_order(const struct floor *f, int64_t now, int sort, bool desc, uint32_t *rows,
                     uint32_t n)
{
	struct listing_agent_ctx ctx = { f, now, sort, desc };

	if (sort < 0 || sort >= LA__COUNT)
		ctx.sort = LA_ID;
	list_sort(rows, n, listing_agent_cmp, &ctx);
}

uint32_t
listing_agents(const struct floor *f, int64_t now, int sort, bool desc,
               const char *filter, uint32_t *out)
{
	uint32_t n = 0;

	for (uint32_t a = 0; a < f->n_agents; a++)
		if (listing_agent_matches(f, a, filter))
			out[n++] = a;
	listing_agents_order(f, now, sort, desc, out, n);
	return n;
}

/* ---------------------------------------------------------- pools */

/* Members and occupancy from the counts.  Agents on break are on duty
 * but not available: they would dilute the figure without being able to
 * take a contact. */
static void
listing_pool_finish(struct listing_pool *r)
{
	uint32_t on = r->counts[PROTO_AS_IDLE] + r->counts[PROTO_AS_BUSY] + r->counts[PROTO_AS_WRAP];

	r->members = 0;
	for (int s = 0; s < PROTO_AS__COUNT; s++)
		r->members += r->counts[s];
	r->occupancy = on ? (double)(r->counts[PROTO_AS_BUSY] + r->counts[PROTO_AS_WRAP]) / (double)on : NAN;
}

void
listing_pool_row(const struct floor *f, uint32_t p, struct listing_pool *out)
{
	memset(out, 0, sizeof(*out));
	out->pool = p;
	out->occupancy = NAN;
	if (p >= f->n_pools)
		return;
	floor_pool_counts(f, p, out->counts);
	listing_pool_finish(out);
}

void
listing_pool_rows(const struct floor *f, struct listing_pool *out)
{
	memset(out, 0, f->n_pools * sizeof *out);
	for (uint32_t i = 0; i < f->n_agents; i++)
		if (f->agents[i].pool >= 0 && (uint32_t)f->agents[i].pool < f->n_pools)
			out[f->agents[i].pool].counts[f->agents[i].def.state]++;
	for (uint32_t p = 0; p < f->n_pools; p++) {
		out[p].pool = p;
		listing_pool_finish(&out[p]);
	}
}

struct listing_pool_ctx {
	const struct floor *f;
};

static int
listing_pool_cmp(uint32_t a, uint32_t b, void *vctx)
{
	const struct floor *f = ((const struct listing_pool_ctx *)vctx)->f;
	const struct floor_pool *pa = &f->pools[a];
	const struct floor_pool *pb = &f->pools[b];
	bool sa = pa->def.kind == PROTO_POOL_SHARED;
	bool sb = pb->def.kind == PROTO_POOL_SHARED;

	if (sa != sb)
		return sa ? -1 : 1;
	return strcmp(pa->def.id, pb->def.id);
}

static bool
listing_pool_matches(const struct floor *f, const struct floor_pool *p, const char *filter)
{
	if (!filter || !filter[0])
		return true;
	if (fmt_match(p->def.id, filter) ||
	    fmt_match(proto_pool_kind_name(p->def.kind), filter))
		return true;
	if (p->tenant >= 0 && fmt_match(f->tenants[p->tenant].def.id, filter))
		return true;
	for (uint32_t i = 0; i < p->def.n_serves; i++)
		if (fmt_match(p->def.serves[i], filter))
			return true;
	return false;
}

int
listing_pool_compare(const struct floor *f, uint32_t a, uint32_t b)
{
	struct listing_pool_ctx ctx = { f };

	return listing_pool_cmp(a, b, &ctx);
}

bool
listing_pool_match(const struct floor *f, uint32_t p, const char *filter)
{
	return p < f->n_pools && listing_pool_matches(f, &f->pools[p], filter);
}

uint32_t
listing_pools(const struct floor *f, const char *filter, uint32_t *out)
{
	struct listing_pool_ctx ctx = { f };
	uint32_t n = 0;

	for (uint32_t p = 0; p < f->n_pools; p++)
		if (listing_pool_matches(f, &f->pools[p], filter))
			out[n++] = p;
	list_sort(out, n, listing_pool_cmp, &ctx);
	return n;
}
