/*
 * advice: Erlang C staffing per tenant and the pool moves that would close
 * the gaps (DESIGN §4).  Everything is derived from the floor as it stands:
 * no history, no forecast, so the dashboard and its tests agree on every
 * figure.
 *
 * One pass over the agents gives every pool's and tenant's counts: the
 * floor may hold 10^4 pools and 10^5 agents, and a per-pool scan
 * (floor_pool_counts) would make that 10^9 steps per redraw.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advice.h"
#include "pooltop/erlang.h"

#define ADVICE_AGENTS_LIMIT 10000       /* erlang_agents search bound */
#define ADVICE_MS_PER_H 3600000.0
#define ADVICE_S_PER_H 3600.0
#define ADVICE_RIPE_MS (5 * 60 * 1000)  /* current interval trusted on its own */
#define ADVICE_YOUNG_MS (60 * 1000)     /* below this, a first interval says nothing */
#define ADVICE_MOVE_AGENTS (sizeof(((struct advice_move *)0)->agents) / sizeof(uint32_t))

/*
 * Scratch state of the move planner; the reported surpluses stay as they
 * were before any move, `left` is what remains as moves are planned.
 *
 * A pool never both gives and receives, by the arithmetic alone: a source
 * needs left > 0 and keeps left >= 0 after giving; a destination takes at
 * most its shortfall (-left), so it ends at left <= 0, and a pool at
 * left >= 0 has no shortfall to take into.  For the same reason a
 * destination (left < 0) is never its own source.
 */
struct advice_plan {
	int64_t *left;           /* per pool: surplus still free */
	unsigned char *taken;    /* per agent: already in a move */
	uint32_t *overflow;      /* per pool: members serving a non-shared tenant */
};

struct advice_deficit {
	double gap;
	uint32_t tenant;
};

/* ------------------------------------------------------------ figures */

static double
advice_aht(uint64_t talk_ms, uint64_t wrap_ms, uint64_t handled)
{
	if (handled == 0)
		return ADVICE_DEFAULT_AHT_S;
	return ((double)talk_ms + (double)wrap_ms) / (double)handled / 1000.0;
}

/*
 * Contacts per hour by the rule in advice.h.  The current interval is the
 * last one when the shift has run past PROTO_INTERVALS_MAX: floor_apply
 * piles later contacts into it, so it is scaled over all the time since it
 * began.
 */
static double
advice_rate(const uint32_t *iv, int64_t start, int64_t now)
{
	int64_t el = floor_span_ms(start, now);
	int64_t ci, in;
	double last, cur;

	if (el <= 0)
		return 0;
	ci = el / FLOOR_INTERVAL_MS;
	if (ci > PROTO_INTERVALS_MAX - 1)
		ci = PROTO_INTERVALS_MAX - 1;
	in = el - ci * FLOOR_INTERVAL_MS;
	cur = in > 0 ? (double)iv[ci] * ADVICE_MS_PER_H / (double)in : 0;
	if (ci == 0)
		return in >= ADVICE_YOUNG_MS ? cur : 0;
	last = (double)iv[ci - 1] * (ADVICE_MS_PER_H / FLOOR_INTERVAL_MS);
	if (in >= ADVICE_RIPE_MS && cur > last)
		return cur;
	return last;
}

static struct erlang_target
advice_target(const struct proto_tenant *t)
{
	struct erlang_target tg = { t->sl_pct / 100.0, (double)t->sl_sec, 0 };

	return tg;
}

static uint32_t
advice_required(double load, double aht_s, const struct proto_tenant *t)
{
	struct erlang_target tg = advice_target(t);

	if (!(load > 0))
		return 0;
	return erlang_agents(load, aht_s, &tg, ADVICE_AGENTS_LIMIT);
}

/* Only whole agents answer contacts: a fraction of one helps nobody. */
static double
advice_sl(double staffed, double load, double aht_s, uint32_t sl_sec)
{
	if (!(load > 0))
		return NAN;
	if (!(staffed > 0))
		return 0;
	return erlang_sl((uint32_t)floor(staffed), load, aht_s, (double)sl_sec);
}

static bool
advice_state_available(enum proto_agent_state s)
{
	return s == PROTO_AS_IDLE || s == PROTO_AS_BUSY || s == PROTO_AS_WRAP;
}

static bool
advice_state_serving(enum proto_agent_state s)
{
	return s == PROTO_AS_BUSY || s == PROTO_AS_WRAP;
}

/* ------------------------------------------------------------ counting */

/* Pool members available, shared agents serving each tenant, and (for the
 * shared pools' requirement) how many serve tenants that only overflow. */
static void
advice_count(const struct floor *f, struct advice *out, struct advice_plan *pl)
{
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];
		enum proto_agent_state s = a->def.state;

		if (!advice_state_available(s))
			continue;
		out->pools[a->pool].available++;
		if (f->pools[a->pool].def.kind != PROTO_POOL_SHARED ||
		    !advice_state_serving(s) || a->serving < 0)
			continue;
		out->tenants[a->serving].shared += 1;
		if (f->tenants[a->serving].def.model != PROTO_MODEL_SHARED)
			pl->overflow[a->pool]++;
	}
}

static void
advice_tenant_fill(const struct floor *f, uint32_t t, int64_t now,
                   const struct advice *a, struct advice_tenant *at)
{
	const struct floor_tenant *ft = &f->tenants[t];
	const struct floor_counters *c = &ft->cur;

	at->tenant = t;
	if (f->shift_name[0])
		at->contacts_per_h = advice_rate(c->intervals, f->shift_start_ts, now);
	at->aht_s = advice_aht(c->talk_ms, c->wrap_ms, c->handled);
	at->load = erlang_load(at->contacts_per_h, at->aht_s, ADVICE_S_PER_H);
	at->required = advice_required(at->load, at->aht_s, &ft->def);
	if (ft->dedicated_pool >= 0)
		at->dedicated = a->pools[ft->dedicated_pool].available;
	at->staffed = (double)at->dedicated + at->shared;
	at->gap = at->staffed - (double)at->required;
	at->sl_now = advice_sl(at->staffed, at->load, at->aht_s, ft->def.sl_sec);
}

/*
 * The shared-model tenants a pool serves are one queue: loads add, the AHT
 * is the contact-weighted mean (so load = rate x AHT still holds), and the
 * target is whichever of theirs needs the most agents.  A tenant served by
 * two shared pools counts fully in each: advice would rather keep an agent
 * too many than strip a pool its tenants rely on.
 */
static uint32_t
advice_shared_required(const struct floor *f, const struct floor_pool *fp,
                       const struct advice *a)
{
	double load = 0, rate = 0, aht;
	uint32_t need = 0;

	for (uint32_t i = 0; i < fp->def.n_serves; i++) {
		int t = floor_tenant_find(f, fp->def.serves[i]);

		if (t < 0 || f->tenants[t].def.model != PROTO_MODEL_SHARED ||
		    !(a->tenants[t].load > 0))
			continue;
		load += a->tenants[t].load;
		rate += a->tenants[t].contacts_per_h;
	}
	if (!(load > 0))
		return 0;
	aht = load * ADVICE_S_PER_H / rate;
	for (uint32_t i = 0; i < fp->def.n_serves; i++) {
		int t = floor_tenant_find(f, fp->def.serves[i]);
		uint32_t n;

		if (t < 0 || f->tenants[t].def.model != PROTO_MODEL_SHARED ||
		    !(a->tenants[t].load > 0))
			continue;
		n = advice_required(load, aht, &f->tenants[t].def);
		if (n > need)
			need = n;
	}
	return need;
}

/*
 * min_dedicated is honoured at every hour, not only in business hours:
 * the advice never proposes what the server might refuse, and a team
 * emptied at night is not there when the morning starts.  Moves take at
 * most a pool's surplus, so this is what keeps a team at its minimum.
 */
static void
advice_pool_fill(const struct floor *f, uint32_t p, struct advice *a,
                 const struct advice_plan *pl)
{
	const struct floor_pool *fp = &f->pools[p];
	struct advice_pool *ap = &a->pools[p];
	int64_t hold;

	ap->pool = p;
	if (fp->tenant >= 0) {
		ap->required = a->tenants[fp->tenant].required;
		hold = ap->required;
		if (f->tenants[fp->tenant].def.min_dedicated > ap->required)
			hold = f->tenants[fp->tenant].def.min_dedicated;
	} else {
		/* agents answering another tenant's overflow are staffing it:
		 * a move must not take them away */
		ap->required = advice_shared_required(f, fp, a) + pl->overflow[p];
		hold = ap->required;
	}
	ap->surplus = (int32_t)((int64_t)ap->available - hold);
}

/* ------------------------------------------------------------- moves */

static int
advice_deficit_cmp(const void *x, const void *y)
{
	const struct advice_deficit *a = x, *b = y;

	if (a->gap != b->gap)
		return a->gap < b->gap ? -1 : 1;
	return a->tenant < b->tenant ? -1 : a->tenant > b->tenant;
}

static bool
advice_pool_serves(const struct floor_pool *fp, const char *tenant)
{
	for (uint32_t i = 0; i < fp->def.n_serves; i++)
		if (strcmp(fp->def.serves[i], tenant) == 0)
			return true;
	return false;
}

/* A tenant's own team if it has one; else the neediest shared pool that
 * serves it (a shared-model tenant is helped by growing its pool). */
static int
advice_destination(const struct floor *f, const struct advice_plan *pl, uint32_t t)
{
	int dp = f->tenants[t].dedicated_pool;
	int best = -1;

	if (dp >= 0)
		return dp;
	for (uint32_t p = 0; p < f->n_pools; p++) {
		const struct floor_pool *fp = &f->pools[p];

		if (fp->def.kind != PROTO_POOL_SHARED ||
		    !advice_pool_serves(fp, f->tenants[t].def.id))
			continue;
		if (best < 0 || pl->left[p] < pl->left[best])
			best = (int)p;
	}
	return best;
}

static int
advice_source(uint32_t n_pools, const struct advice_plan *pl)
{
	int best = -1;

	for (uint32_t p = 0; p < n_pools; p++) {
		if (pl->left[p] <= 0)
			continue;
		if (best < 0 || pl->left[p] > pl->left[best])
			best = (int)p;
	}
	return best;
}

/* Idle agents first: moving them disturbs nobody; a busy one finishes its
 * contact where it started. */
static uint32_t
advice_pick(const struct floor *f, uint32_t pool, struct advice_plan *pl,
            uint32_t n, uint32_t *agents)
{
	static const enum proto_agent_state order[] = {
		PROTO_AS_IDLE, PROTO_AS_WRAP, PROTO_AS_BUSY
	};
	uint32_t k = 0;

	for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++) {
		for (uint32_t i = 0; i < f->n_agents && k < n; i++) {
			const struct floor_agent *fa = &f->agents[i];

			if (fa->pool != (int)pool || fa->def.state != order[s] || pl->taken[i])
				continue;
			pl->taken[i] = 1;
			agents[k++] = i;
		}
	}
	return k;
}

/*
 * Moves for one tenant in deficit, until its gap or its destination's
 * shortfall is closed or nobody can give.  The shortfall caps a shared
 * destination: a shared tenant looks short whenever idle shared agents
 * are not serving it yet, and growing a pool that already has enough
 * helps nobody.  Each move's SL is the tenant's after the moves planned
 * before it, so a chain of moves reads as a plan.
 */
static void
advice_close_gap(const struct floor *f, struct advice *a, struct advice_plan *pl,
                 uint32_t t)
{
	const struct advice_tenant *at = &a->tenants[t];
	int dest = advice_destination(f, pl, t);
	double staffed = at->staffed;
	int64_t need;

	if (dest < 0)
		return;
	need = (int64_t)ceil(-at->gap);
	if (-pl->left[dest] < need)
		need = -pl->left[dest];
	while (need > 0 && a->n_moves < ADVICE_MOVES_MAX) {
		int src = advice_source(f->n_pools, pl);
		struct advice_move *m = &a->moves[a->n_moves];
		int64_t n = need;

		if (src < 0)
			return;
		if (n > pl->left[src])
			n = pl->left[src];
		if (n > (int64_t)ADVICE_MOVE_AGENTS)
			n = (int64_t)ADVICE_MOVE_AGENTS;
		m->n = advice_pick(f, (uint32_t)src, pl, (uint32_t)n, m->agents);
		if (m->n == 0) {
			pl->left[src] = 0;   /* counted agents it does not have */
			continue;
		}
		m->from_pool = (uint32_t)src;
		m->to_pool = (uint32_t)dest;
		m->tenant = t;
		m->sl_before = advice_sl(staffed, at->load, at->aht_s, f->tenants[t].def.sl_sec);
		staffed += m->n;
		m->sl_after = advice_sl(staffed, at->load, at->aht_s, f->tenants[t].def.sl_sec);
		pl->left[src] -= m->n;
		pl->left[dest] += m->n;
		need -= m->n;
		a->n_moves++;
	}
}

/* Worst gap first, ties by tenant index: the same floor always gives the
 * same advice. */
static int
advice_plan_moves(const struct floor *f, struct advice *a, struct advice_plan *pl)
{
	struct advice_deficit *d = malloc((f->n_tenants ? f->n_tenants : 1) * sizeof(*d));
	uint32_t n = 0;

	if (!d)
		return -1;
	for (uint32_t p = 0; p < f->n_pools; p++)
		pl->left[p] = a->pools[p].surplus;
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		if (a->tenants[t].gap < 0) {
			d[n].gap = a->tenants[t].gap;
			d[n].tenant = t;
			n++;
		}
	}
	qsort(d, n, sizeof(*d), advice_deficit_cmp);
	for (uint32_t i = 0; i < n && a->n_moves < ADVICE_MOVES_MAX; i++)
		advice_close_gap(f, a, pl, d[i].tenant);
	free(d);
	return 0;
}

/* ------------------------------------------------------------- public */

static void
advice_plan_free(struct advice_plan *pl)
{
	free(pl->left);
	free(pl->taken);
	free(pl->overflow);
}

/* calloc(0) may return NULL: a floor with nothing in it is not out of
 * memory. */
static int
advice_plan_alloc(const struct floor *f, struct advice *a, struct advice_plan *pl)
{
	size_t np = f->n_pools ? f->n_pools : 1;

	a->tenants = calloc(f->n_tenants ? f->n_tenants : 1, sizeof(*a->tenants));
	a->pools = calloc(np, sizeof(*a->pools));
	pl->left = calloc(np, sizeof(*pl->left));
	pl->overflow = calloc(np, sizeof(*pl->overflow));
	pl->taken = calloc(f->n_agents ? f->n_agents : 1, sizeof(*pl->taken));
	if (!a->tenants || !a->pools || !pl->left || !pl->overflow || !pl->taken)
		return -1;
	a->n_tenants = f->n_tenants;
	a->n_pools = f->n_pools;
	return 0;
}

int
advice_compute(const struct floor *f, int64_t now, struct advice *out)
{
	struct advice_plan pl = { 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (advice_plan_alloc(f, out, &pl) != 0)
		goto done;
	advice_count(f, out, &pl);
	for (uint32_t t = 0; t < f->n_tenants; t++)
		advice_tenant_fill(f, t, now, out, &out->tenants[t]);
	for (uint32_t p = 0; p < f->n_pools; p++)
		advice_pool_fill(f, p, out, &pl);
	rc = advice_plan_moves(f, out, &pl);
done:
	advice_plan_free(&pl);
	if (rc != 0)
		advice_free(out);
	return rc;
}

void
advice_free(struct advice *a)
{
	free(a->tenants);
	free(a->pools);
	memset(a, 0, sizeof(*a));
}

void
advice_row(const struct proto_stats_row *row, const struct proto_tenant *t,
           uint32_t *required, double *staffed)
{
	int64_t dur_ms = floor_span_ms(row->start_ts, row->end_ts);
	double aht, load;

	*required = 0;
	*staffed = NAN;
	if (dur_ms <= 0)
		return;
	*staffed = ((double)row->dedicated_staffed_ms + (double)row->shared_handle_ms) /
	           (double)dur_ms;
	if (!t)
		return;
	aht = advice_aht(row->talk_ms, row->wrap_ms, row->handled);
	load = erlang_load((double)row->offered, aht, (double)dur_ms / 1000.0);
	*required = advice_required(load, aht, t);
}
