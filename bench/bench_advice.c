/*
 * bench_advice: does following the staffing advice make a floor better?
 *
 * Replays whole simulated days of a scenario in-process — the product's
 * own simulator (floor/sim.c) feeding the product's own floor model
 * (floor_apply) and advice (model/staffing*.c), exactly as pooltopd
 * builds them — over many seeds, under two policies:
 *
 *   none    nobody moves anybody;
 *   advice  every 15 floor minutes the top suggestion shown is accepted.
 *
 * Accepted moves are LOANS: each agent goes back to its home pool at the
 * end of the shift it was lent in.  pooltopd has no loans yet (issue 12
 * asks for `until` on move); the bench models them itself, by moving the
 * agents back through the same path (agent.moved applied to the floor,
 * sim_move), one second before the shift's end.
 *
 * Forecast error: each day every tenant's volume is the scenario's
 * profile times a factor drawn per seed (lognormal, sd BENCH_VOLUME_CV),
 * while the advice is given the unscaled profile as its forecast — a
 * forecast that is right on average and wrong on the day, as forecasts
 * are.
 *
 * Reported: tenant-shift rows below target (the floor's own statistics
 * rows), cost, how often the top suggestion changes from one floor minute
 * to the next, suggestions that break training / business hours /
 * contract minimums / the hold time (checked independently here), agents
 * away from home at the end of the day, and time per advice evaluation.
 *
 *   bench_advice [--seeds N] [--days N] [SCENARIO]    the policy comparison
 *   bench_advice --time [SCENARIO]                     timing only (large.ini)
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/floor.h"
#include "pooltop/rng.h"
#include "pooltop/scenario.h"
#include "pooltop/sim.h"
#include "pooltop/staffing.h"
#include "pooltop/stats.h"

#define BENCH_T0 1767225600000LL        /* 2026-01-01 00:00 UTC, a Thursday */
#define BENCH_MIN (60LL * 1000)
#define BENCH_DAY (24LL * 60 * BENCH_MIN)
#define BENCH_ACCEPT_EVERY (15 * BENCH_MIN)
#define BENCH_VOLUME_CV 0.12
#define BENCH_LOANS_MAX 4096

enum bench_policy { BENCH_NONE, BENCH_ADVICE };

struct bench_loan {
	uint32_t agent, home;
	int64_t until;
};

struct bench_run {
	struct scenario sc;          /* the day's scenario (volumes scaled) */
	struct floor f;
	struct sim *sim;
	struct staffing_memory mem;
	struct staffing_skills skills;
	struct staffing_prior *prior;
	double *quarters;            /* n_tenants x 96 forecast */
	uint32_t *home;
	uint64_t seq;
	uint32_t n_loans;
	struct bench_loan loans[BENCH_LOANS_MAX];
};

struct bench_tally {
	uint64_t rows, rows_below, rows_below_day, rows_below_night;
	double cost;
	uint64_t minutes, minutes_top, top_changes, top_changes_any;
	uint64_t shown, bad_training, bad_hours, bad_contract, bad_hold;
	uint64_t moves_done, agents_moved;
	uint64_t away_end;
	uint64_t reasons[STAFFING_R_HELD + 1];
	/* agent-minutes, sampled each floor minute: dedicated pools' agents
	 * busy or in wrap, and logged in, in business hours; every pool's
	 * agents on break and on duty */
	uint64_t ded_working, ded_ready, on_break, on_duty;
	uint64_t peak_working, peak_ready;   /* dedicated, 09:00-12:00 */
	uint64_t pool_working[64], pool_ready[64];   /* the same per pool (first 64) */
	char pool_id[64][PROTO_ID_MAX + 1];
	double eval_ns_total;
	uint64_t evals;
	double eval_ns_max;
};

/* ------------------------------------------------------------ the floor */

static void
bench_emit(void *ctx, struct proto_event *ev)
{
	struct bench_run *r = ctx;

	ev->epoch = r->f.epoch;
	ev->seq = ++r->seq;
	if (floor_apply(&r->f, ev, false) != FLOOR_APPLIED) {
		fprintf(stderr, "bench_advice: the floor refused a %s event\n",
		        proto_event_type_name(ev->type));
		exit(1);
	}
	staffing_memory_observe(&r->mem, &r->f, ev);
}

/* The forecast the advice is given: the scenario's own profile. */
static int
bench_prior(struct bench_run *r, const struct scenario *base)
{
	uint32_t nt = base->n_tenants;

	r->prior = calloc(nt ? nt : 1, sizeof(*r->prior));
	r->quarters = calloc((size_t)(nt ? nt : 1) * 96, sizeof(*r->quarters));
	if (!r->prior || !r->quarters)
		return -1;
	for (uint32_t t = 0; t < nt; t++) {
		const struct scenario_tenant *st = &base->tenants[t];

		for (uint32_t q = 0; q < 96; q++)
			r->quarters[(size_t)t * 96 + q] = st->rate_per_hour[q / 4];
		r->prior[t].quarter_per_h = &r->quarters[(size_t)t * 96];
		r->prior[t].aht_s = st->talk_mean_s + st->wrap_mean_s;
		r->prior[t].patience_s = st->patience_mean_s;
	}
	return 0;
}

/* The day's volumes: the profile times a per-tenant factor. */
static void
bench_scale(struct scenario *sc, uint64_t seed)
{
	struct rng g;

	rng_seed(&g, seed * 7919 + 17);
	for (uint32_t t = 0; t < sc->n_tenants; t++) {
		double f = rng_lognormal(&g, 1.0, BENCH_VOLUME_CV);

		for (int h = 0; h < 24; h++)
			sc->tenants[t].rate_per_hour[h] *= f;
	}
}

static int
bench_open(struct bench_run *r, const char *path, const struct scenario *base, uint64_t seed,
           int64_t start, bool scale)
{
	char err[512];

	memset(r, 0, sizeof(*r));
	if (scenario_load(path, &r->sc, err, sizeof err) != 0) {
		fprintf(stderr, "bench_advice: %s\n", err);
		return -1;
	}
	if (scale)
		bench_scale(&r->sc, seed);
	if (scenario_floor(&r->sc, &r->f, 1, NULL, start) != 0 || staffing_memory_init(&r->mem, &r->f) != 0 ||
	    staffing_skills_from_floor(&r->skills, &r->f) != 0 || bench_prior(r, base) != 0)
		return -1;
	r->home = calloc(r->sc.n_agents ? r->sc.n_agents : 1, sizeof(*r->home));
	if (!r->home)
		return -1;
	for (uint32_t a = 0; a < r->sc.n_agents; a++)
		r->home[a] = r->sc.agents[a].pool;
	r->sim = sim_new(&r->sc, seed, start, 0, bench_emit, r);
	if (!r->sim)
		return -1;
	sim_start(r->sim);
	return 0;
}

static void
bench_close(struct bench_run *r)
{
	sim_free(r->sim);
	staffing_memory_free(&r->mem);
	staffing_skills_free(&r->skills);
	floor_free(&r->f);
	scenario_free(&r->sc);
	free(r->prior);
	free(r->quarters);
	free(r->home);
}

/* agent.moved through the floor and the memory, then the simulator, as
 * pooltopd's request handler does it. */
static void
bench_move(struct bench_run *r, uint32_t a, uint32_t to, int64_t now, const char *reason)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	ev.ts = now;
	proto_strlcpy(ev.agent, r->f.agents[a].def.id, PROTO_ID_MAX);
	proto_strlcpy(ev.from, r->f.agents[a].def.pool, PROTO_ID_MAX);
	proto_strlcpy(ev.to, r->f.pools[to].def.id, PROTO_ID_MAX);
	proto_strlcpy(ev.by, "bench", PROTO_ID_MAX);
	proto_strlcpy(ev.reason, reason, PROTO_TEXT_MAX);
	bench_emit(r, &ev);
	sim_move(r->sim, a, to);
}

/* ------------------------------------------------------------ checks */

static struct staffing_input
bench_input(const struct bench_run *r, int64_t now)
{
	struct staffing_input in = {
		.f = &r->f, .now = now, .tz_offset_s = 0, .skills = &r->skills,
		.prior = r->prior, .home = r->home,
	};

	return in;
}

/* Every shown suggestion checked against the rules by this file's own
 * reading of the floor, not the advice's. */
static void
bench_check(const struct bench_run *r, const struct staffing *s, int64_t now, struct bench_tally *tl)
{
	const struct floor *f = &r->f;

	for (uint32_t i = 0; i < s->n_moves; i++) {
		const struct staffing_move *m = &s->moves[i];
		const struct floor_pool *to = &f->pools[m->to_pool];
		const struct floor_pool *from = &f->pools[m->from_pool];
		uint32_t on_duty = 0;

		tl->shown++;
		for (uint32_t k = 0; k < m->n; k++) {
			uint32_t a = m->agents[k];

			if (!staffing_skills_allow(&r->skills, f, r->home[a], m->to_pool))
				tl->bad_training++;
			if (r->mem.moved_ts[a] != INT64_MIN && now - r->mem.moved_ts[a] < STAFFING_HOLD_MS)
				tl->bad_hold++;
		}
		/* into a hybrid's dedicated pool outside its hours: no traffic goes there */
		if (to->tenant >= 0 && f->tenants[to->tenant].def.model == PROTO_MODEL_HYBRID &&
		    !staffing_open(&f->tenants[to->tenant].def, now, 0))
			tl->bad_hours++;
		if (from->tenant >= 0 && staffing_open(&f->tenants[from->tenant].def, now, 0)) {
			for (uint32_t a = 0; a < f->n_agents; a++)
				if (f->agents[a].pool == (int)m->from_pool &&
				    f->agents[a].def.state != PROTO_AS_OFFLINE)
					on_duty++;
			if (on_duty - m->n < f->tenants[from->tenant].def.min_dedicated)
				tl->bad_contract++;
		}
	}
}

/* ------------------------------------------------------------ policies */

static void
bench_loans_due(struct bench_run *r, int64_t now)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->n_loans; i++) {
		struct bench_loan *l = &r->loans[i];

		if (l->until <= now) {
			if (r->f.agents[l->agent].pool != (int)l->home)
				bench_move(r, l->agent, l->home, now, "loan ended");
			continue;
		}
		r->loans[n++] = *l;
	}
	r->n_loans = n;
}

static void
bench_accept(struct bench_run *r, const struct staffing_move *m, int64_t now, struct bench_tally *tl)
{
	char why[PROTO_TEXT_MAX + 1];
	int64_t until = r->f.shift_end_ts - 1000;

	snprintf(why, sizeof why, "advice: loan until shift end");
	for (uint32_t k = 0; k < m->n && r->n_loans < BENCH_LOANS_MAX; k++) {
		uint32_t a = m->agents[k];
		bool lent = false;

		for (uint32_t i = 0; i < r->n_loans; i++)
			lent = lent || r->loans[i].agent == a;
		bench_move(r, a, m->to_pool, now, why);
		if (!lent && m->to_pool != r->home[a]) {
			r->loans[r->n_loans].agent = a;
			r->loans[r->n_loans].home = r->home[a];
			r->loans[r->n_loans].until = until > now ? until : now + BENCH_MIN;
			r->n_loans++;
		}
		tl->agents_moved++;
	}
	tl->moves_done++;
}

/* Dedicated occupancy counts a team only inside its tenant's business
 * hours, as a planner reads it: a team idle after its client closes is a
 * lending opportunity, not a low occupancy. */
static void
bench_sample(const struct bench_run *r, int64_t now, struct bench_tally *tl)
{
	for (uint32_t a = 0; a < r->f.n_agents; a++) {
		enum proto_agent_state st = r->f.agents[a].def.state;
		int t = r->f.pools[r->f.agents[a].pool].tenant;
		bool ded = t >= 0 && staffing_open(&r->f.tenants[t].def, now, 0);

		if (st == PROTO_AS_OFFLINE)
			continue;
		tl->on_duty++;
		tl->on_break += st == PROTO_AS_BREAK;
		if (ded && st != PROTO_AS_BREAK) {
			uint32_t p = (uint32_t)r->f.agents[a].pool;
			bool working = st == PROTO_AS_BUSY || st == PROTO_AS_WRAP;

			tl->ded_ready++;
			tl->ded_working += working;
			if ((now / BENCH_MIN) % 1440 >= 9 * 60 && (now / BENCH_MIN) % 1440 < 12 * 60) {
				tl->peak_ready++;
				tl->peak_working += working;
			}
			if (p < 64) {
				tl->pool_ready[p]++;
				tl->pool_working[p] += working;
				proto_strlcpy(tl->pool_id[p], r->f.pools[p].def.id, PROTO_ID_MAX);
			}
		}
	}
}

/* BENCH_TRACE=1: every pool short or spare, each minute, to stderr. */
static void
bench_trace(const struct bench_run *r, const struct staffing *s, int64_t now)
{
	int64_t m = (now / BENCH_MIN) % 1440;

	fprintf(stderr, "%02d:%02d %s", (int)(m / 60), (int)(m % 60), staffing_reason_text(s->reason));
	for (uint32_t p = 0; p < s->n_pools; p++) {
		const struct staffing_pool *sp = &s->pools[p];

		if (sp->load > 0 || sp->spare > 0)
			fprintf(stderr, " | %s a%u r%u s%d L%.1f", r->f.pools[p].def.id, sp->available,
			        sp->required, sp->spare, sp->load);
	}
	for (uint32_t i = 0; i < s->n_moves; i++)
		fprintf(stderr, " || %u %s->%s %.0f%%->%.0f%% gain %.1f",
		        s->moves[i].n, r->f.pools[s->moves[i].from_pool].def.id,
		        r->f.pools[s->moves[i].to_pool].def.id, s->moves[i].sl_before * 100,
		        s->moves[i].sl_after * 100, s->moves[i].gain);
	fputc('\n', stderr);
}

static double
bench_ns(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e9 + (double)(b->tv_nsec - a->tv_nsec);
}

/* One day from 06:00 to 06:00: three whole shifts close into history. */
static int
bench_day(const char *path, const struct scenario *base, uint64_t seed, enum bench_policy pol,
          struct bench_tally *tl)
{
	struct bench_run *r = malloc(sizeof(*r));
	int64_t start = BENCH_T0 + 6 * 60 * BENCH_MIN, end = start + BENCH_DAY;
	bool have_prev = false;
	uint32_t prev_from = 0, prev_to = 0;
	bool prev_any = false;

	if (!r || bench_open(r, path, base, seed, start, true) != 0) {
		free(r);
		return -1;
	}
	for (int64_t now = start + BENCH_MIN; now <= end; now += BENCH_MIN) {
		struct staffing s;
		struct staffing_input in;
		struct timespec t0, t1;

		sim_run_until(r->sim, now - 1, 0);
		bench_loans_due(r, now);
		sim_run_until(r->sim, now, 0);
		in = bench_input(r, now);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		if (staffing_compute(&in, &r->mem, &s) != 0) {
			fprintf(stderr, "bench_advice: out of memory\n");
			exit(1);
		}
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		tl->eval_ns_total += bench_ns(&t0, &t1);
		if (bench_ns(&t0, &t1) > tl->eval_ns_max)
			tl->eval_ns_max = bench_ns(&t0, &t1);
		tl->evals++;
		tl->minutes++;
		bench_check(r, &s, now, tl);
		bench_sample(r, now, tl);
		tl->reasons[s.reason]++;
		if (getenv("BENCH_TRACE") && pol == BENCH_ADVICE)
			bench_trace(r, &s, now);
		if (s.n_moves > 0) {
			tl->minutes_top++;
			if (have_prev && prev_any &&
			    (s.moves[0].from_pool != prev_from || s.moves[0].to_pool != prev_to))
				tl->top_changes++;
		}
		if (have_prev && (prev_any != (s.n_moves > 0) ||
		                  (prev_any && s.n_moves > 0 &&
		                   (s.moves[0].from_pool != prev_from || s.moves[0].to_pool != prev_to))))
			tl->top_changes_any++;
		have_prev = true;
		prev_any = s.n_moves > 0;
		if (prev_any) {
			prev_from = s.moves[0].from_pool;
			prev_to = s.moves[0].to_pool;
		}
		if (pol == BENCH_ADVICE && s.n_moves > 0 && (now - start) % BENCH_ACCEPT_EVERY == 0)
			bench_accept(r, &s.moves[0], now, tl);
		staffing_free(&s);
	}
	/* 06:00 next day: the Night shift has closed into history */
	for (uint32_t i = 0; i < r->f.n_history; i++) {
		const struct proto_stats_row *row = &r->f.history[i];
		int t = floor_tenant_find(&r->f, row->tenant);
		struct stats st;

		if (t < 0 || strcmp(row->shift, SCENARIO_GAP_SHIFT) == 0 || row->start_ts < start)
			continue;
		stats_compute(row, &r->f.tenants[t].def, &st);
		tl->cost += st.cost;
		if (isnan(st.service_level))
			continue;
		tl->rows++;
		if (stats_sl_level(st.service_level, r->f.tenants[t].def.sl_pct, 0) != STATS_OK) {
			if (getenv("BENCH_ROWS"))
				fprintf(stderr, "%s seed %" PRIu64 " %s %s SL %.1f%% (target %.0f%%) offered %" PRIu64 "\n",
				        pol == BENCH_NONE ? "none  " : "advice", seed, row->tenant, row->shift,
				        st.service_level * 100, r->f.tenants[t].def.sl_pct, row->offered);
			tl->rows_below++;
			if (strcmp(row->shift, "Night") == 0)
				tl->rows_below_night++;
			else
				tl->rows_below_day++;
		}
	}
	for (uint32_t a = 0; a < r->f.n_agents; a++)
		if (r->f.agents[a].pool != (int)r->home[a])
			tl->away_end++;
	bench_close(r);
	free(r);
	return 0;
}

/* ------------------------------------------------------------ timing */

static int
bench_dbl_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* Advice after every 10 floor seconds of a busy morning (the dashboard
 * recomputes it once per floor update it draws); mean, p99 and worst of
 * the CPU time each evaluation takes (thread CPU time: the machine is
 * shared, and time spent waiting for a core is not the advice's). */
static int
bench_time(const char *path)
{
	enum { N = 1080 };
	struct scenario base;
	struct bench_run *r = malloc(sizeof(*r));
	double *ns = calloc(N, sizeof(*ns));
	char err[512];
	int64_t start = BENCH_T0 + 8 * 60 * BENCH_MIN;
	double total = 0;
	uint32_t n = 0;

	if (!r || !ns || scenario_load(path, &base, err, sizeof err) != 0) {
		fprintf(stderr, "bench_advice: %s\n", err);
		free(r);
		free(ns);
		return 1;
	}
	if (bench_open(r, path, &base, 1, start, false) != 0)
		return 1;
	/* warm up an hour, then 3 h */
	sim_run_until(r->sim, start + 60 * BENCH_MIN, 0);
	for (int64_t now = start + 60 * BENCH_MIN; n < N; now += 10000) {
		struct staffing s;
		struct staffing_input in;
		struct timespec t0, t1;

		sim_run_until(r->sim, now, 0);
		in = bench_input(r, now);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		if (staffing_compute(&in, &r->mem, &s) != 0)
			return 1;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		staffing_free(&s);
		ns[n] = bench_ns(&t0, &t1);
		total += ns[n];
		n++;
	}
	qsort(ns, n, sizeof(*ns), bench_dbl_cmp);
	printf("advice on %s (%u tenants, %u pools, %u agents): %u evaluations, "
	       "mean %.2f ms, median %.2f ms, p99 %.2f ms, worst %.2f ms (target <= 5 ms per floor update)\n",
	       path, r->f.n_tenants, r->f.n_pools, r->f.n_agents, n, total / (double)n / 1e6,
	       ns[n / 2] / 1e6, ns[n * 99 / 100] / 1e6, ns[n - 1] / 1e6);
	bench_close(r);
	free(r);
	free(ns);
	scenario_free(&base);
	return 0;
}

/* ------------------------------------------------------------ report */

static void
bench_print(const char *name, const struct bench_tally *t)
{
	printf("%-7s rows below target %4" PRIu64 " of %4" PRIu64 " (day %" PRIu64 ", night %" PRIu64 ")"
	       "  cost %.0f\n",
	       name, t->rows_below, t->rows, t->rows_below_day, t->rows_below_night, t->cost);
	printf("        dedicated occupancy %.1f%% in business hours, %.1f%% at 09-12; "
	       "on-duty time on break %.1f%%\n",
	       t->ded_ready ? 100.0 * (double)t->ded_working / (double)t->ded_ready : 0.0,
	       t->peak_ready ? 100.0 * (double)t->peak_working / (double)t->peak_ready : 0.0,
	       t->on_duty ? 100.0 * (double)t->on_break / (double)t->on_duty : 0.0);
	printf("        in hours:");
	for (int p = 0; p < 64; p++)
		if (t->pool_ready[p])
			printf(" %s %.0f%%", t->pool_id[p],
			       100.0 * (double)t->pool_working[p] / (double)t->pool_ready[p]);
	printf("\n");
	printf("        top changes: %.1f%% of minutes with a top both minutes, %.1f%% of all minutes"
	       " (a top shown in %.1f%% of minutes)\n",
	       t->minutes_top ? 100.0 * (double)t->top_changes / (double)t->minutes_top : 0.0,
	       t->minutes ? 100.0 * (double)t->top_changes_any / (double)t->minutes : 0.0,
	       t->minutes ? 100.0 * (double)t->minutes_top / (double)t->minutes : 0.0);
	printf("        suggestions shown %" PRIu64 ": breaking training %" PRIu64 ", hours %" PRIu64
	       ", contract minimums %" PRIu64 ", hold time %" PRIu64 "\n",
	       t->shown, t->bad_training, t->bad_hours, t->bad_contract, t->bad_hold);
	printf("        no suggestion because:");
	for (int i = 1; i <= STAFFING_R_HELD; i++)
		printf(" %s %.1f%%;", staffing_reason_text((enum staffing_reason)i),
		       t->minutes ? 100.0 * (double)t->reasons[i] / (double)t->minutes : 0.0);
	printf("\n");
	printf("        moves accepted %" PRIu64 " (%" PRIu64 " agents); away from home at end of day %" PRIu64
	       "; advice mean %.3f ms, worst %.3f ms\n",
	       t->moves_done, t->agents_moved, t->away_end,
	       t->evals ? t->eval_ns_total / (double)t->evals / 1e6 : 0.0, t->eval_ns_max / 1e6);
}

int
main(int argc, char **argv)
{
	const char *path = "scenarios/demo.ini";
	uint32_t seeds = 10, days = 1;
	struct bench_tally tl[2];
	struct scenario base;
	char err[512];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--time") == 0)
			return bench_time(i + 1 < argc ? argv[i + 1] : "scenarios/large.ini");
		if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc)
			seeds = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc)
			days = (uint32_t)strtoul(argv[++i], NULL, 10);
		else
			path = argv[i];
	}
	if (scenario_load(path, &base, err, sizeof err) != 0) {
		fprintf(stderr, "bench_advice: %s\n", err);
		return 1;
	}
	memset(tl, 0, sizeof tl);
	for (uint32_t s = 1; s <= seeds; s++) {
		for (uint32_t d = 0; d < days; d++) {
			uint64_t seed = (uint64_t)s * 1000 + d;

			if (bench_day(path, &base, seed, BENCH_NONE, &tl[0]) != 0 ||
			    bench_day(path, &base, seed, BENCH_ADVICE, &tl[1]) != 0)
				return 1;
		}
	}
	printf("%s, %u seeds x %u days, volume factor per tenant-day lognormal cv %.2f\n",
	       path, seeds, days, BENCH_VOLUME_CV);
	bench_print("none", &tl[0]);
	bench_print("advice", &tl[1]);
	printf("cost with advice vs none: %+.2f%%\n",
	       tl[0].cost > 0 ? 100.0 * (tl[1].cost - tl[0].cost) / tl[0].cost : 0.0);
	scenario_free(&base);
	return 0;
}
