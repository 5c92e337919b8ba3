/*
 * scenario_demand: [floor], [shift] and [tenant] sections of a scenario
 * given meaning — when the floor works and what work arrives: break
 * rules, shifts that never overlap, and each tenant's model, target,
 * hours, traffic, handling times and channels.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

/* Defaults for optional keys (documented in scenarios/README.md). */
#define SCENARIO_DEF_BREAK_MIN 15
#define SCENARIO_DEF_OVERFLOW_S 30
#define SCENARIO_DEF_TALK_CV 0.5
#define SCENARIO_DEF_PATIENCE_S 120.0

void scenario_do_floor(struct scenario_ctx *cx, const struct scenario_sec *s)
{
	struct scenario *sc = cx->sc;
	const struct scenario_ent *e = scenario_get(cx, s, "name");
	double every = 0, len = SCENARIO_DEF_BREAK_MIN, aux = 0;

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
	/* aux_length: other time off the phones (coaching, meetings) taken
	 * with each break, so it comes and goes with the break cycle */
	if (!scenario_opt_num(cx, s, "aux_length", 0, 240, false, &aux))
		return;
	if (aux != floor(aux)) {
		e = scenario_get(cx, s, "aux_length");
		scenario_fail(cx, e->line, "floor: aux_length must be whole minutes, got '%s'", e->value);
		return;
	}
	sc->aux_min = every > 0 ? (uint32_t)aux : 0;
	if ((e = scenario_get(cx, s, "acw_reasons")) != NULL)
		scenario_copy(sc->acw_reasons, e->value, sizeof sc->acw_reasons - 1);
}

void scenario_do_shift(struct scenario_ctx *cx, struct scenario_sec *s)
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
void scenario_check_shifts(struct scenario_ctx *cx)
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

/* traffic = 24 hourly rates. */
static bool scenario_traffic_hours(struct scenario_ctx *cx, const char *what,
                                   const struct scenario_ent *e, double rate[24])
{
	struct scenario_items it;
	bool ok = true;

	if (!scenario_items(cx, e->value, &it))
		return false;
	if (it.n != 24) {
		scenario_fail(cx, e->line, "%s: traffic must have 24 values (contacts per hour from "
		              "00:00), got %u", what, it.n);
		ok = false;
	}
	for (uint32_t h = 0; ok && h < 24; h++) {
		char key[16];
		double v;
		snprintf(key, sizeof key, "traffic[%u]", h);
		ok = scenario_num_text(cx, e->line, what, key, it.at[h], 0, 1e6, false, &v);
		if (ok)
			rate[h] += v;
	}
	scenario_items_free(&it);
	return ok;
}

/* traffic.SHIFT = contacts over that shift, spread evenly by the minute
 * so shifts that start on the half hour still add up to the total. */
static bool scenario_traffic_shift(struct scenario_ctx *cx, const char *what,
                                   const struct scenario_ent *e, double rate[24])
{
	const struct scenario *sc = cx->sc;
	const char *shift = e->key + strlen("traffic.");
	int si = scenario_shift_index(sc, shift);
	double total;

	if (si < 0) {
		scenario_fail(cx, e->line, "%s: %s: no shift named '%s'", what, e->key, shift);
		return false;
	}
	if (!scenario_num_text(cx, e->line, what, e->key, e->value, 0, 1e8, false, &total))
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
	bool seen[PROTO_CH__COUNT] = { false };
	double sum = 0;
	struct scenario_items it;
	bool ok = true;

	if (!scenario_items(cx, e->value, &it))
		return false;
	for (int c = 0; c < PROTO_CH__COUNT; c++)
		mix[c] = 0;
	for (uint32_t i = 0; ok && i < it.n; i++) {
		char *name, *num;
		int c;
		if (!scenario_pair(it.at[i], &name, &num)) {
			scenario_fail(cx, e->line, "%s: channels item '%s' must be CHANNEL WEIGHT "
			              "(e.g. voice 70)", what, it.at[i]);
			ok = false;
			break;
		}
		c = proto_channel_parse(name);
		if (c < 0) {
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
			ok = scenario_num_text(cx, e->line, what, key, num, 0, 1e6, false, &mix[c]);
			sum += mix[c];
		}
	}
	if (ok && !(sum > 0)) {
		scenario_fail(cx, e->line, "%s: channels weights must add up to more than 0", what);
		ok = false;
	}
	for (int c = 0; ok && c < PROTO_CH__COUNT; c++)
		mix[c] /= sum;
	scenario_items_free(&it);
	return ok;
}

void scenario_do_tenant(struct scenario_ctx *cx, struct scenario_sec *s)
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
	m = proto_model_parse(e->value);
	if (m < 0) {
		scenario_fail(cx, e->line, "%s: model must be shared, dedicated or hybrid, got '%s'",
		              what, e->value);
		return;
	}
	d->model = (enum proto_model)m;

	/* sl = PCT/SEC, or the two halves as sl_pct and sl_sec */
	e = scenario_get(cx, s, "sl");
	const struct scenario_ent *ep = scenario_get(cx, s, "sl_pct");
	const struct scenario_ent *es = scenario_get(cx, s, "sl_sec");
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
		if (!scenario_num_text(cx, e->line, what, "sl_pct", scenario_trim(buf), 1, 100, false,
		                       &d->sl_pct) ||
		    !scenario_uint_text(cx, e->line, what, "sl_sec", scenario_trim(slash + 1), 1, 3600,
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
		if (!scenario_num_text(cx, ep->line, what, "sl_pct", ep->value, 1, 100, false, &d->sl_pct) ||
		    !scenario_uint_text(cx, es->line, what, "sl_sec", es->value, 1, 3600, &d->sl_sec))
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
	if (e && !scenario_num_text(cx, e->line, what, "talk", e->value, 0, 86400, true,
	                            &t->talk_mean_s))
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
