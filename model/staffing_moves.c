/*
 * staffing_moves: the suggestions.  For every pool short of what Erlang A
 * says its routed traffic needs, the best pool to lend it agents; then
 * hysteresis, so the floor is not told something new every minute.
 *
 * Issue 12 measured the old planner: the top suggestion changed between
 * consecutive minutes 35 % of the time, accepted suggestions chained
 * agents from pool to pool, and 8.8 % predicted no gain at all.  So here:
 *   - a move must answer more contacts within target on the floor as a
 *     whole (the receiver's gain less the giver's loss), or it is not made;
 *   - a giver keeps what its own routed traffic needs and its contract;
 *   - only agents trained for every tenant the receiver serves move, and
 *     none moved within STAFFING_HOLD_MS; a pool that received agents
 *     within that time does not give, one that gave does not receive;
 *   - a suggestion is shown once it has been proposed STAFFING_STREAK
 *     evaluations running, and the one shown first stays first while it
 *     still holds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "staffing_int.h"

/* Contacts/h answered within target a move must add to be worth a
 * manager's attention: below one an hour it is noise in the estimate. */
#define STAFFING_GAIN_MIN 1.0

struct staffing_cand {
	uint32_t from, to;
	uint32_t k;
	double gain, cost;
};

struct staffing_flags {
	bool short_seen;     /* some pool below what it needs */
	bool untrained;      /* spare agents, none trained for a short pool */
	bool held;           /* spare agents, all within the hold time */
	bool contract;       /* agents beyond need, kept by a contract */
	uint32_t n_cands;
};

struct staffing_homes;

struct staffing_mv {
	struct staffing_ctx *cx;
	struct staffing_flags fl;
	unsigned char *taken;        /* per agent: in a move already */
	double *loss;                /* per pool x (MOVE_AGENTS + 1): giver loss cache */
	double *good;                /* per pool: contacts/h within target now */
	int32_t *spare_left;         /* per pool: spare not yet in a shown move */
	/* per pool: its movable agents counted by home pool (a pool holds a
	 * handful of homes: its own and its loans'), so a receiver asks
	 * "how many could come" per home, not per agent */
	uint32_t *home_off;          /* n_pools + 1 */
	struct staffing_homes *homes;
};

struct staffing_homes {
	uint32_t home;
	uint32_t n;
};

static bool
staffing_recent(int64_t ts, int64_t now)
{
	return ts != INT64_MIN && now - ts < STAFFING_HOLD_MS;
}

static bool
staffing_agent_movable(const struct staffing_mv *mv, uint32_t a)
{
	const struct staffing_ctx *cx = mv->cx;
	enum proto_agent_state s = cx->f->agents[a].def.state;

	if (s != PROTO_AS_IDLE && s != PROTO_AS_WRAP && s != PROTO_AS_BUSY)
		return false;
	if (mv->taken[a])
		return false;
	return !(cx->mem && a < cx->mem->n_agents && staffing_recent(cx->mem->moved_ts[a], cx->in->now));
}

static uint32_t
staffing_home(const struct staffing_ctx *cx, uint32_t a)
{
	return cx->in->home ? cx->in->home[a] : (uint32_t)cx->f->agents[a].pool;
}

/*
 * Agents of pool g that may go to pool p, idle first (moving them
 * disturbs nobody), then wrap, then busy (a contact in progress finishes
 * where it started); at most `max`, written to out.
 */
static uint32_t
staffing_pick(struct staffing_mv *mv, uint32_t g, uint32_t p, uint32_t max, uint32_t *out)
{
	static const enum proto_agent_state order[] = { PROTO_AS_IDLE, PROTO_AS_WRAP, PROTO_AS_BUSY };
	const struct staffing_ctx *cx = mv->cx;
	uint32_t k = 0, last_home = UINT32_MAX;
	bool last_ok = false;

	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]) && k < max; o++) {
		for (uint32_t i = cx->member_off[g]; i < cx->member_off[g + 1] && k < max; i++) {
			uint32_t a = cx->members[i], h;

			if (cx->f->agents[a].def.state != order[o] || !staffing_agent_movable(mv, a))
				continue;
			h = staffing_home(cx, a);
			if (h != last_home) {
				last_home = h;
				last_ok = staffing_skills_allow(cx->in->skills, cx->f, h, p);
			}
			if (last_ok)
				out[k++] = a;
		}
	}
	return k;
}

/* How many of pool g's movable agents may go to pool p, at most max. */
static uint32_t
staffing_count(struct staffing_mv *mv, uint32_t g, uint32_t p, uint32_t max)
{
	const struct staffing_ctx *cx = mv->cx;
	uint32_t k = 0;

	for (uint32_t i = mv->home_off[g]; i < mv->home_off[g + 1] && k < max; i++) {
		if (!staffing_skills_allow(cx->in->skills, cx->f, mv->homes[i].home, p)) {
			mv->fl.untrained = true;
			continue;
		}
		k += mv->homes[i].n;
	}
	return k < max ? k : max;
}

/* Movable agents of every giving pool, counted by home (see struct
 * staffing_mv); notes when available agents are held. */
static int
staffing_homes_build(struct staffing_mv *mv, const uint32_t *givers, uint32_t n_givers)
{
	const struct staffing_ctx *cx = mv->cx;
	uint32_t n = 0;

	mv->home_off = calloc((size_t)cx->f->n_pools + 1, sizeof(*mv->home_off));
	mv->homes = calloc(cx->f->n_agents ? cx->f->n_agents : 1, sizeof(*mv->homes));
	if (!mv->home_off || !mv->homes)
		return -1;
	for (uint32_t gi = 0, p = 0; p < cx->f->n_pools; p++) {
		bool gives = gi < n_givers && givers[gi] == p;
		uint32_t start = n;

		mv->home_off[p] = n;
		if (!gives)
			continue;
		gi++;
		for (uint32_t i = cx->member_off[p]; i < cx->member_off[p + 1]; i++) {
			uint32_t a = cx->members[i], h, j;
			enum proto_agent_state st = cx->f->agents[a].def.state;

			if (st != PROTO_AS_IDLE && st != PROTO_AS_WRAP && st != PROTO_AS_BUSY)
				continue;
			if (!staffing_agent_movable(mv, a)) {
				mv->fl.held = true;
				continue;
			}
			h = staffing_home(cx, a);
			for (j = start; j < n && mv->homes[j].home != h; j++)
				;
			if (j == n) {
				mv->homes[n].home = h;
				mv->homes[n].n = 0;
				n++;
			}
			mv->homes[j].n++;
		}
	}
	mv->home_off[cx->f->n_pools] = n;
	return 0;
}

/* What pool g loses (contacts/h within target) by giving k agents. */
static double
staffing_loss(struct staffing_mv *mv, uint32_t g, uint32_t k)
{
	double *c = &mv->loss[(size_t)g * (STAFFING_MOVE_AGENTS + 1) + k];
	uint32_t n = mv->cx->out->pools[g].available;

	if (isnan(*c))
		*c = mv->good[g] - staffing_pool_good(mv->cx, g, n >= k ? n - k : 0);
	return *c;
}

static bool
staffing_can_receive(const struct staffing_mv *mv, uint32_t p)
{
	const struct staffing_ctx *cx = mv->cx;
	const struct staffing_pool *sp = &cx->out->pools[p];

	if (!(sp->load > 0) || sp->available >= sp->required)
		return false;
	return !(cx->mem && p < cx->mem->n_pools && staffing_recent(cx->mem->gave_ts[p], cx->in->now));
}

static bool
staffing_can_give(struct staffing_mv *mv, uint32_t g)
{
	const struct staffing_ctx *cx = mv->cx;
	const struct staffing_pool *sp = &cx->out->pools[g];

	if ((int64_t)sp->available > (int64_t)sp->required && sp->spare <= 0)
		mv->fl.contract = true;
	if (sp->spare <= 0)
		return false;
	if (cx->mem && g < cx->mem->n_pools && staffing_recent(cx->mem->got_ts[g], cx->in->now)) {
		mv->fl.held = true;
		return false;
	}
	return true;
}

/* The best giver for receiver p, or false. */
static bool
staffing_best_giver(struct staffing_mv *mv, uint32_t p, const uint32_t *givers, uint32_t n_givers,
                    struct staffing_cand *best)
{
	struct staffing_ctx *cx = mv->cx;
	const struct staffing_pool *sp = &cx->out->pools[p];
	uint32_t need = sp->required - sp->available;
	double gain_k[STAFFING_MOVE_AGENTS + 1];
	bool found = false;

	if (need > STAFFING_MOVE_AGENTS)
		need = STAFFING_MOVE_AGENTS;
	for (uint32_t k = 0; k <= STAFFING_MOVE_AGENTS; k++)
		gain_k[k] = NAN;
	for (uint32_t i = 0; i < n_givers; i++) {
		uint32_t g = givers[i], k = need;
		double gain, cost;

		if (g == p)
			continue;
		if ((uint32_t)cx->out->pools[g].spare < k)
			k = (uint32_t)cx->out->pools[g].spare;
		k = staffing_count(mv, g, p, k);
		if (k == 0)
			continue;
		if (isnan(gain_k[k]))
			gain_k[k] = staffing_pool_good(cx, p, sp->available + k) - mv->good[p];
		gain = gain_k[k] - staffing_loss(mv, g, k);
		cost = (double)k * (staffing_pool_rate(cx->f, p) - staffing_pool_rate(cx->f, g));
		if (gain < STAFFING_GAIN_MIN)
			continue;
		if (!found || gain > best->gain + 1e-9 ||
		    (fabs(gain - best->gain) <= 1e-9 && cost < best->cost)) {
			best->from = g;
			best->to = p;
			best->k = k;
			best->gain = gain;
			best->cost = cost;
			found = true;
		}
	}
	return found;
}

static int
staffing_cand_cmp(const void *x, const void *y)
{
	const struct staffing_cand *a = x, *b = y;

	if (a->gain != b->gain)
		return a->gain > b->gain ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a->from < b->from ? -1 : a->from > b->from;
}

/* ------------------------------------------------------- hysteresis */

static uint32_t
staffing_streak_bump(struct staffing_memory *mem, uint32_t from, uint32_t to)
{
	for (uint32_t i = 0; i < mem->n_streaks; i++) {
		struct staffing_streak *s = &mem->streaks[i];

		if (s->from_pool == from && s->to_pool == to) {
			if (!s->seen) {
				s->count++;
				s->seen = true;
			}
			return s->count;
		}
	}
	if (mem->n_streaks < sizeof(mem->streaks) / sizeof(mem->streaks[0])) {
		struct staffing_streak *s = &mem->streaks[mem->n_streaks++];

		s->from_pool = from;
		s->to_pool = to;
		s->count = 1;
		s->seen = true;
		return 1;
	}
	return 0;
}

/* Forget what was not proposed this time; clear the marks for the next. */
static void
staffing_streak_sweep(struct staffing_memory *mem)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < mem->n_streaks; i++) {
		if (!mem->streaks[i].seen)
			continue;
		mem->streaks[n] = mem->streaks[i];
		mem->streaks[n].seen = false;
		n++;
	}
	mem->n_streaks = n;
}

/* ------------------------------------------------------- the moves */

/* The tenant of pool p furthest below its target, by contacts/h. */
static uint32_t
staffing_neediest(const struct staffing_ctx *cx, uint32_t p)
{
	uint32_t best = cx->routes[cx->route_off[p]].tenant;
	double worst = -INFINITY;

	for (uint32_t i = cx->route_off[p]; i < cx->route_off[p + 1]; i++) {
		const struct staffing_route *r = &cx->routes[i];
		const struct proto_tenant *t = &cx->f->tenants[r->tenant].def;
		double sl = staffing_pool_sl(cx, p, cx->out->pools[p].available, r->tenant);
		double d = r->rate * (t->sl_pct / 100.0 - sl);

		if (!isnan(d) && d > worst) {
			worst = d;
			best = r->tenant;
		}
	}
	return best;
}

static void
staffing_move_fill(struct staffing_mv *mv, const struct staffing_cand *c, uint32_t streak)
{
	struct staffing_ctx *cx = mv->cx;
	struct staffing_move *m = &cx->out->moves[cx->out->n_moves];
	uint32_t np = cx->out->pools[c->to].available, ng = cx->out->pools[c->from].available;

	memset(m, 0, sizeof(*m));
	if (mv->spare_left[c->from] <= 0)
		return;
	m->n = staffing_pick(mv, c->from, c->to,
	                     c->k < (uint32_t)mv->spare_left[c->from] ? c->k
	                                                               : (uint32_t)mv->spare_left[c->from],
	                     m->agents);
	if (m->n == 0)
		return;
	for (uint32_t i = 0; i < m->n; i++)
		mv->taken[m->agents[i]] = 1;
	mv->spare_left[c->from] -= (int32_t)m->n;
	m->from_pool = c->from;
	m->to_pool = c->to;
	m->tenant = staffing_neediest(cx, c->to);
	m->sl_before = staffing_pool_sl(cx, c->to, np, m->tenant);
	m->sl_after = staffing_pool_sl(cx, c->to, np + m->n, m->tenant);
	for (uint32_t i = cx->route_off[c->from];
	     i < cx->route_off[c->from + 1] && m->n_giver < STAFFING_GIVER_TENANTS; i++) {
		uint32_t t = cx->routes[i].tenant;
		bool dup = false;

		for (uint32_t j = 0; j < m->n_giver; j++)
			dup = dup || m->giver[j].tenant == t;
		if (dup)
			continue;
		m->giver[m->n_giver].tenant = t;
		m->giver[m->n_giver].before = staffing_pool_sl(cx, c->from, ng, t);
		m->giver[m->n_giver].after = staffing_pool_sl(cx, c->from, ng - m->n, t);
		m->n_giver++;
	}
	m->cost_per_h = (double)m->n * (staffing_pool_rate(cx->f, c->to) -
	                                staffing_pool_rate(cx->f, c->from));
	m->gain = c->gain;
	m->streak = streak;
	cx->out->n_moves++;
}

/* Candidates, best first; each pool gives or receives, never both. */
static uint32_t
staffing_candidates(struct staffing_mv *mv, struct staffing_cand *cands, uint32_t *givers)
{
	struct staffing_ctx *cx = mv->cx;
	uint32_t n_givers = 0, n = 0;

	for (uint32_t p = 0; p < cx->f->n_pools; p++)
		if (staffing_can_give(mv, p))
			givers[n_givers++] = p;
	if (staffing_homes_build(mv, givers, n_givers) != 0)
		return UINT32_MAX;
	for (uint32_t p = 0; p < cx->f->n_pools; p++) {
		if (!(cx->out->pools[p].load > 0) ||
		    cx->out->pools[p].available >= cx->out->pools[p].required)
			continue;
		mv->fl.short_seen = true;
		if (!staffing_can_receive(mv, p)) {
			mv->fl.held = true;
			continue;
		}
		if (staffing_best_giver(mv, p, givers, n_givers, &cands[n]))
			n++;
	}
	qsort(cands, n, sizeof(*cands), staffing_cand_cmp);
	return n;
}

/*
 * Shown: candidates held STAFFING_STREAK evaluations; the one shown first
 * last time stays first while it is still shown.  A giver that already
 * gives in an earlier shown move may give again if agents remain; a pool
 * never both gives and receives.
 */
static void
staffing_show(struct staffing_mv *mv, struct staffing_cand *cands, uint32_t n)
{
	struct staffing_ctx *cx = mv->cx;
	struct staffing_memory *mem = cx->mem;
	uint32_t streak[STAFFING_MOVES_MAX * 4];
	int first = -1;

	if (n > STAFFING_MOVES_MAX * 4)
		n = STAFFING_MOVES_MAX * 4;
	for (uint32_t i = 0; i < n; i++) {
		streak[i] = mem ? staffing_streak_bump(mem, cands[i].from, cands[i].to) : STAFFING_STREAK;
		if (mem && mem->have_top && cands[i].from == mem->top_from &&
		    cands[i].to == mem->top_to && streak[i] >= STAFFING_STREAK)
			first = (int)i;
	}
	if (mem)
		staffing_streak_sweep(mem);
	if (first >= 0)
		staffing_move_fill(mv, &cands[first], streak[first]);
	for (uint32_t i = 0; i < n && cx->out->n_moves < STAFFING_MOVES_MAX; i++) {
		bool clash = false;

		if ((int)i == first || streak[i] < STAFFING_STREAK)
			continue;
		for (uint32_t j = 0; j < cx->out->n_moves; j++) {
			const struct staffing_move *m = &cx->out->moves[j];

			clash = clash || m->to_pool == cands[i].from || m->from_pool == cands[i].to ||
			        m->to_pool == cands[i].to;
		}
		if (!clash)
			staffing_move_fill(mv, &cands[i], streak[i]);
	}
	if (mem) {
		mem->have_top = cx->out->n_moves > 0;
		if (mem->have_top) {
			mem->top_from = cx->out->moves[0].from_pool;
			mem->top_to = cx->out->moves[0].to_pool;
		}
	}
}

static enum staffing_reason
staffing_why_none(const struct staffing_flags *fl)
{
	if (!fl->short_seen)
		return STAFFING_R_ON_TARGET;
	if (fl->n_cands > 0)
		return STAFFING_R_SETTLING;
	if (fl->untrained)
		return STAFFING_R_UNTRAINED;
	if (fl->held)
		return STAFFING_R_HELD;
	if (fl->contract)
		return STAFFING_R_CONTRACT;
	return STAFFING_R_NO_SPARE;
}

int
staffing_moves_plan(struct staffing_ctx *cx)
{
	const struct floor *f = cx->f;
	struct staffing_mv mv = { .cx = cx };
	size_t np = f->n_pools ? f->n_pools : 1;
	struct staffing_cand *cands = calloc(np, sizeof(*cands));
	uint32_t *givers = calloc(np, sizeof(*givers));
	int rc = -1;

	mv.taken = calloc(f->n_agents ? f->n_agents : 1, 1);
	mv.good = calloc(np, sizeof(*mv.good));
	mv.loss = malloc(np * (STAFFING_MOVE_AGENTS + 1) * sizeof(*mv.loss));
	mv.spare_left = calloc(np, sizeof(*mv.spare_left));
	if (!cands || !givers || !mv.taken || !mv.good || !mv.loss || !mv.spare_left)
		goto done;
	for (uint32_t p = 0; p < f->n_pools; p++)
		mv.spare_left[p] = cx->out->pools[p].spare;
	for (size_t i = 0; i < np * (STAFFING_MOVE_AGENTS + 1); i++)
		mv.loss[i] = NAN;
	for (uint32_t p = 0; p < f->n_pools; p++)
		mv.good[p] = staffing_pool_good(cx, p, cx->out->pools[p].available);
	mv.fl.n_cands = staffing_candidates(&mv, cands, givers);
	if (mv.fl.n_cands == UINT32_MAX)
		goto done;
	staffing_show(&mv, cands, mv.fl.n_cands);
	cx->out->reason = cx->out->n_moves ? STAFFING_R_MOVES : staffing_why_none(&mv.fl);
	rc = 0;
done:
	free(cands);
	free(givers);
	free(mv.taken);
	free(mv.good);
	free(mv.loss);
	free(mv.spare_left);
	free(mv.home_off);
	free(mv.homes);
	return rc;
}

const char *
staffing_reason_text(enum staffing_reason r)
{
	switch (r) {
	case STAFFING_R_MOVES:
		return "moves would help";
	case STAFFING_R_ON_TARGET:
		return "every tenant is on target";
	case STAFFING_R_UNTRAINED:
		return "agents are spare, but none is trained for the tenants short of target";
	case STAFFING_R_CONTRACT:
		return "the only spare agents are kept by contract minimums";
	case STAFFING_R_NO_SPARE:
		return "no pool has agents to spare";
	case STAFFING_R_SETTLING:
		return "a move is forming; shown once it holds";
	case STAFFING_R_HELD:
		return "the agents that could help were moved within the hour";
	}
	return "?";
}
