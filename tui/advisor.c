/*
 * advisor: the staffing model on the dashboard's replica, with the
 * memory its hysteresis keeps (see include/pooltop/advisor.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advisor.h"

#define ADVISOR_MINUTE_MS 60000

void
advisor_init(struct advisor *ad)
{
	memset(ad, 0, sizeof(*ad));
	ad->minute = INT64_MIN;
}

void
advisor_free(struct advisor *ad)
{
	if (ad->have_mem)
		staffing_memory_free(&ad->mem);
	advisor_init(ad);
}

/* The memory indexes the floor's tenants, pools and agents: a snapshot of
 * another floor (or another run) starts it afresh. */
static int
advisor_fit(struct advisor *ad, const struct floor *f)
{
	if (ad->have_mem && ad->epoch == f->epoch && ad->n_tenants == f->n_tenants &&
	    ad->n_pools == f->n_pools && ad->n_agents == f->n_agents)
		return 0;
	advisor_free(ad);
	if (staffing_memory_init(&ad->mem, f) < 0)
		return -1;
	ad->have_mem = true;
	ad->epoch = f->epoch;
	ad->n_tenants = f->n_tenants;
	ad->n_pools = f->n_pools;
	ad->n_agents = f->n_agents;
	return 0;
}

void
advisor_observe(struct advisor *ad, const struct floor *f, const struct proto_event *ev)
{
	if (advisor_fit(ad, f) == 0)
		staffing_memory_observe(&ad->mem, f, ev);
}

/* A forecast per tenant from the floor's closed shifts, where it has any
 * (a live floor's scenario profile is not on the wire). */
static struct staffing_prior *
advisor_prior(const struct floor *f, int64_t now, int32_t tz_offset_s, double **quarters)
{
	struct staffing_prior *pr;

	*quarters = NULL;
	if (f->n_history == 0 || f->n_tenants == 0)
		return NULL;
	pr = calloc(f->n_tenants, sizeof(*pr));
	*quarters = calloc((size_t)f->n_tenants * 96, sizeof(**quarters));
	if (!pr || !*quarters) {
		free(pr);
		free(*quarters);
		*quarters = NULL;
		return NULL;	/* no forecast: arrivals alone */
	}
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		double *q = *quarters + (size_t)t * 96;

		pr[t].quarter_per_h = staffing_history_forecast(f, t, now, tz_offset_s, q) ? q : NULL;
		pr[t].aht_s = -1;
		pr[t].patience_s = -1;
	}
	return pr;
}

int
advisor_compute(struct advisor *ad, const struct floor *f, int64_t now, int32_t tz_offset_s,
                struct staffing *out)
{
	struct staffing_skills sk;
	struct staffing_memory scratch;
	struct staffing_prior *prior;
	double *quarters;
	uint32_t *home;
	int64_t minute = now / ADVISOR_MINUTE_MS;
	bool commit;
	int rc;

	memset(out, 0, sizeof(*out));
	if (advisor_fit(ad, f) < 0 || staffing_skills_from_floor(&sk, f) < 0)
		return -1;
	home = malloc((f->n_agents ? f->n_agents : 1) * sizeof(*home));
	if (!home) {
		staffing_skills_free(&sk);
		return -1;
	}
	for (uint32_t a = 0; a < f->n_agents; a++)
		home[a] = floor_agent_home(f, a);
	prior = advisor_prior(f, now, tz_offset_s, &quarters);
	{
		struct staffing_input in = {
			.f = f, .now = now, .tz_offset_s = tz_offset_s, .skills = &sk,
			.prior = prior, .home = home,
		};

		/* Only a new floor minute's first evaluation advances the
		 * streaks; later ones in the minute start from the streaks as
		 * they were before it, on a copy (sharing the observations). */
		commit = minute != ad->minute;
		if (commit)
			ad->base = ad->mem;
		scratch = ad->base;
		rc = staffing_compute(&in, commit ? &ad->mem : &scratch, out);
	}
	if (rc == 0 && commit) {
		ad->minute = minute;
		ad->evaluations++;
	}
	free(prior);
	free(quarters);
	free(home);
	staffing_skills_free(&sk);
	return rc;
}

void
advisor_sl_text(double sl, char *buf, size_t len)
{
	if (isnan(sl))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%%", 100.0 * sl);
}

void
advisor_move_text(const struct floor *f, const struct staffing_move *m, char *buf, size_t len)
{
	char b[16], c[16];
	size_t used;
	int n;

	advisor_sl_text(m->sl_before, b, sizeof b);
	advisor_sl_text(m->sl_after, c, sizeof c);
	n = snprintf(buf, len, "%u agent%s %s -> %s for %s: SL %s -> %s", m->n, m->n == 1 ? "" : "s",
	             f->pools[m->from_pool].def.id, f->pools[m->to_pool].def.id,
	             f->tenants[m->tenant].def.name, b, c);
	used = n < 0 ? 0 : (size_t)n;
	for (uint32_t i = 0; i < m->n_giver && used < len; i++) {
		advisor_sl_text(m->giver[i].before, b, sizeof b);
		advisor_sl_text(m->giver[i].after, c, sizeof c);
		n = snprintf(buf + used, len - used, "%s%s %s -> %s", i ? ", " : "; giving: ",
		             f->tenants[m->giver[i].tenant].def.name, b, c);
		used += n < 0 ? 0 : (size_t)n;
	}
	if (used < len)
		snprintf(buf + used, len - used, "; cost %+.0f/h", m->cost_per_h);
}
