/*
 * scenario_staff: [pool] and [agent] sections of a scenario given
 * meaning — a pool's kind and whom it serves, its generated agents and
 * the shifts they work — and the cross-check that every tenant can be
 * routed somewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

static void scenario_gen_agents(struct scenario_ctx *cx, struct scenario_build *b,
                                const struct scenario_sec *s, uint32_t n,
                                const uint32_t *duty, bool have_duty,
                                const struct scenario_items *names)
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
		if (k < names->n)
			scenario_copy(ag->name, names->at[k], PROTO_NAME_MAX);
		else
			scenario_names_pick(ag->name, s->id, k);
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
	bool seen[PROTO_SHIFTS_MAX] = { false };
	struct scenario_items it;
	bool ok = true;

	if (!scenario_items(cx, e->value, &it))
		return false;
	for (uint32_t i = 0; ok && i < it.n; i++) {
		char *name, *num, key[64];
		int si;
		if (!scenario_pair(it.at[i], &name, &num)) {
			scenario_fail(cx, e->line, "%s: on_duty item '%s' must be SHIFT COUNT "
			              "(e.g. Early 12)", what, it.at[i]);
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
			ok = scenario_uint_text(cx, e->line, what, key, num, 0, PROTO_AGENTS_MAX, &duty[si]);
			if (ok && duty[si] > n_agents) {
				scenario_fail(cx, e->line, "%s: on_duty %s is %u but the pool has %u agents",
				              what, name, duty[si], n_agents);
				ok = false;
			}
		}
	}
	scenario_items_free(&it);
	return ok;
}

static bool scenario_serves(struct scenario_ctx *cx, struct scenario_build *b, uint32_t pool,
                            const char *what, const struct scenario_ent *e, struct proto_pool *d)
{
	struct scenario_items it;
	bool ok = true;

	if (!scenario_items(cx, e->value, &it))
		return false;
	if (it.n == 0) {
		scenario_fail(cx, e->line, "%s: serves lists no tenants", what);
		ok = false;
	}
	if (ok && (d->serves = calloc(it.n, sizeof *d->serves)) == NULL) {
		scenario_fail(cx, 0, "out of memory");
		ok = false;
	}
	for (uint32_t i = 0; ok && i < it.n; i++) {
		int t = (int)strindex_get(&b->tenants, it.at[i]);
		if (t < 0) {
			scenario_fail(cx, e->line, "%s: serves unknown tenant '%s'", what, it.at[i]);
			ok = false;
			break;
		}
		if (b->listed_in[t] == pool + 1) {
			scenario_fail(cx, e->line, "%s: serves tenant '%s' twice", what, it.at[i]);
			ok = false;
			break;
		}
		b->listed_in[t] = pool + 1;
		scenario_copy(d->serves[d->n_serves++], it.at[i], PROTO_ID_MAX);
		b->shared_served[t] = true;
	}
	scenario_items_free(&it);
	return ok;
}

/* trained = TENANT, ...: whom the pool's own agents may also serve
 * (besides its tenant or serves); the advice never sends them elsewhere. */
static bool scenario_trained(struct scenario_ctx *cx, struct scenario_build *b, const char *what,
                             const struct scenario_ent *e, struct scenario_pool *p)
{
	struct scenario_items it;
	bool ok = true;

	if (!scenario_items(cx, e->value, &it))
		return false;
	if (it.n > 0 && (p->trained = calloc(it.n, sizeof *p->trained)) == NULL) {
		scenario_fail(cx, 0, "out of memory");
		ok = false;
	}
	for (uint32_t i = 0; ok && i < it.n; i++) {
		if (strindex_get(&b->tenants, it.at[i]) < 0) {
			scenario_fail(cx, e->line, "%s: trained for unknown tenant '%s'", what, it.at[i]);
			ok = false;
		}
		for (uint32_t j = 0; ok && j < p->n_trained; j++) {
			if (strcmp(p->trained[j], it.at[i]) == 0) {
				scenario_fail(cx, e->line, "%s: trained for '%s' twice", what, it.at[i]);
				ok = false;
			}
		}
		if (ok)
			scenario_copy(p->trained[p->n_trained++], it.at[i], PROTO_ID_MAX);
	}
	scenario_items_free(&it);
	return ok;
}

void scenario_do_pool(struct scenario_ctx *cx, struct scenario_build *b,
                             const struct scenario_sec *s, uint32_t n_agents)
{
	struct scenario *sc = cx->sc;
	struct proto_pool *d = &sc->pools[s->index].def;
	const struct scenario_ent *e, *et, *es;
	uint32_t duty[PROTO_SHIFTS_MAX] = { 0 };
	struct scenario_items names = { NULL, 0, NULL };
	char what[80];
	int k;

	scenario_what(s, what, sizeof what);
	scenario_copy(d->id, s->id, PROTO_ID_MAX);
	if ((e = scenario_need(cx, s, "kind")) == NULL)
		return;
	k = proto_pool_kind_parse(e->value);
	if (k < 0) {
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
		int t = (int)strindex_get(&b->tenants, et->value);
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
		    !scenario_serves(cx, b, s->index, what, es, d))
			return;
	}
	if ((e = scenario_get(cx, s, "trained")) != NULL &&
	    !scenario_trained(cx, b, what, e, &sc->pools[s->index]))
		return;

	if ((e = scenario_get(cx, s, "on_duty")) != NULL &&
	    !scenario_on_duty(cx, what, e, n_agents, duty))
		return;
	if ((e = scenario_get(cx, s, "names")) != NULL) {
		if (!scenario_items(cx, e->value, &names))
			return;
		if (names.n > n_agents) {
			scenario_fail(cx, e->line, "%s: names lists %u names but the pool has %u agents",
			              what, names.n, n_agents);
		}
		for (uint32_t i = 0; !cx->failed && i < names.n; i++) {
			const char *why = scenario_name_problem(names.at[i]);
			if (why)
				scenario_fail(cx, e->line, "%s: name '%s' %s", what, names.at[i], why);
		}
	}
	if (!cx->failed)
		scenario_gen_agents(cx, b, s, n_agents, duty, scenario_get(cx, s, "on_duty") != NULL,
		                    &names);
	scenario_items_free(&names);
}

void scenario_do_agent(struct scenario_ctx *cx, struct scenario_build *b,
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
	if ((p = (int)strindex_get(&b->pools, ep->value)) < 0) {
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
	struct scenario_items it;
	if (!scenario_items(cx, es->value, &it))
		return;
	for (uint32_t i = 0; i < it.n; i++) {
		int si = scenario_shift_index(sc, it.at[i]);
		if (si < 0) {
			scenario_fail(cx, es->line, "%s: shifts: no shift named '%s'", what, it.at[i]);
			break;
		}
		ag->shift_mask |= 1u << si;
	}
	scenario_items_free(&it);
}

/* Every dedicated or hybrid tenant has its one dedicated pool; every
 * tenant that ever routes to shared has a shared pool to go to. */
void scenario_check_routes(struct scenario_ctx *cx, const struct scenario_build *b)
{
	const struct scenario *sc = cx->sc;

	for (uint32_t i = 0; i < cx->n_secs && !cx->failed; i++) {
		const struct scenario_sec *s = &cx->secs[i];
		if (s->kind != SCENARIO_SEC_TENANT)
			continue;
		const struct proto_tenant *d = &sc->tenants[s->index].def;
		const char *model = proto_model_name(d->model);
		if (d->model != PROTO_MODEL_SHARED && !b->dedicated_of[s->index])
			scenario_fail(cx, s->line, "tenant %s is %s but has no dedicated pool (add a "
			              "[pool ...] with kind = dedicated, tenant = %s)", d->id, model, d->id);
		else if (d->model != PROTO_MODEL_DEDICATED && !b->shared_served[s->index])
			scenario_fail(cx, s->line, "tenant %s is %s but no shared pool serves it (add it "
			              "to a shared pool's serves)", d->id, model);
	}
}
