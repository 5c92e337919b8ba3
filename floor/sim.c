/*
 * The traffic simulator: a discrete-event loop on the floor clock.
 *
 * Contacts arrive per tenant as a Poisson process whose rate changes by
 * hour of day (drawn exactly by time change, not by thinning ticks); each
 * draws a channel and a patience.  Routing follows DESIGN §4: the
 * longest-idle agent of the tenant's dedicated pool first; once a contact
 * has waited overflow_sec (or at once when the tenant routes to shared:
 * shared model, hybrid outside business hours) the longest-idle agent of a
 * shared pool serving the tenant.  A free agent takes the oldest contact it
 * may serve.  Breaks, shift changes and moves change who is available.
 *
 * Everything is ordered by (time, insertion order), and all randomness
 * comes from one seeded rng, so a run is reproducible.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/rng.h"
#include "pooltop/sim.h"

enum sim_kind {
	SK_ARRIVAL,   /* who = tenant */
	SK_ABANDON,   /* who = contact slot */
	SK_OVERFLOW,  /* who = contact slot */
	SK_TALK_END,  /* who = agent */
	SK_WRAP_END,  /* who = agent */
	SK_BREAK_DUE, /* who = agent */
	SK_BREAK_END, /* who = agent */
	SK_BOUNDARY,  /* shift boundary */
	SK_HOURS,     /* who = tenant: business hours open or close */
};

struct sim_ev {
	int64_t ts;
	uint64_t order;
	uint32_t kind;
	uint32_t who;
	uint32_t gen;     /* stale when it differs from the target's gen */
};

#define NONE UINT32_MAX
#define SIM_DAY_MS 86400000LL

struct sim_contact {
	uint64_t id;
	uint32_t tenant;
	uint32_t gen;
	uint32_t prev, next;  /* tenant queue links, or free list (next) */
	int64_t queued_ts;
	enum proto_channel channel;
	bool waiting;
	bool eligible;        /* may go to a shared pool */
};

struct sim_tenant {
	uint32_t head, tail;  /* waiting contacts, oldest first */
	uint32_t n_waiting;
	uint32_t n_eligible;  /* waiting contacts a shared pool may take */
	int dedicated;        /* pool index or -1 */
	uint32_t n_shared;
	uint32_t *shared;     /* shared pools serving this tenant */
	bool open;            /* inside business hours */
};

struct sim_pool {
	bool shared;
	int tenant;           /* dedicated: its tenant */
	uint32_t idle_head, idle_tail; /* idle agents, longest idle first */
	uint32_t n_eligible;  /* sum of n_eligible over served tenants */
	uint32_t n_serves;
	uint32_t *serves;
};

struct sim_agent {
	uint32_t pool;
	enum proto_agent_state state;
	uint32_t contact;     /* slot, or NONE */
	uint32_t gen;
	uint32_t idle_prev, idle_next;
	bool in_idle;
	bool on_duty;
	bool pending_offline;
	bool pending_break;
	int64_t idle_since;
	uint64_t talk_ms;
};

struct sim {
	const struct scenario *sc;
	struct rng rng;
	int32_t tz;
	int64_t now;
	uint64_t order;
	int shift;
	sim_emit_fn emit;
	void *ctx;

	struct sim_ev *heap;
	uint32_t n_heap, cap_heap;

	struct sim_contact *contacts;
	uint32_t n_contacts, cap_contacts, free_contact;
	uint64_t next_contact_id;

	struct sim_tenant *tenants;
	struct sim_pool *pools;
	struct sim_agent *agents;

	struct sim_stats stats;
};

/* ------------------------------------------------------------ the heap */

static bool
sim_ev_less(const struct sim_ev *a, const struct sim_ev *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->order < b->order);
}

static int
sim_push(struct sim *s, int64_t ts, enum sim_kind kind, uint32_t who, uint32_t gen)
{
	struct sim_ev ev = { ts, s->order++, kind, who, gen };
	uint32_t i;

	if (s->n_heap == s->cap_heap) {
		uint32_t cap = s->cap_heap ? s->cap_heap * 2 : 1024;
		struct sim_ev *h = realloc(s->heap, cap * sizeof *h);
		if (h == NULL)
			return -1;
		s->heap = h;
		s->cap_heap = cap;
	}
	i = s->n_heap++;
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!sim_ev_less(&ev, &s->heap[p]))
			break;
		s->heap[i] = s->heap[p];
		i = p;
	}
	s->heap[i] = ev;
	return 0;
}

static struct sim_ev
sim_pop(struct sim *s)
{
	struct sim_ev top = s->heap[0], last = s->heap[--s->n_heap];
	uint32_t i = 0, n = s->n_heap;

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && sim_ev_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!sim_ev_less(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n > 0)
		s->heap[i] = last;
	return top;
}

/* ------------------------------------------------------------ clock */

static uint32_t
sim_minute_of_day(const struct sim *s, int64_t ts)
{
	int64_t sec = ts / 1000 + s->tz;
	int64_t m = (sec / 60) % 1440;

	return (uint32_t)(m < 0 ? m + 1440 : m);
}

/* The next instant after ts (strictly) at which minute-of-day is `minute`. */
static int64_t
sim_next_minute(const struct sim *s, int64_t ts, uint32_t minute)
{
	int64_t local = ts + (int64_t)s->tz * 1000;
	int64_t day = local - ((local % SIM_DAY_MS) + SIM_DAY_MS) % SIM_DAY_MS;
	int64_t at = day + (int64_t)minute * 60000 - (int64_t)s->tz * 1000;

	while (at <= ts)
		at += SIM_DAY_MS;
	return at;
}

static bool
sim_window_has(uint32_t open, uint32_t close, uint32_t m)
{
	if (open == close)
		return true;
	if (open < close)
		return m >= open && m < close;
	return m >= open || m < close;
}

/* ------------------------------------------------------------ events out */

static void
sim_out(struct sim *s, struct proto_event *ev)
{
	ev->ts = s->now;
	s->stats.emitted++;
	s->emit(s->ctx, ev);
}

static void
sim_out_contact(struct sim *s, enum proto_event_type type, const struct sim_contact *c,
                int agent, uint64_t ms)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.contact = c->id;
	proto_strlcpy(ev.tenant, s->sc->tenants[c->tenant].def.id, PROTO_ID_MAX);
	ev.agent[0] = '\0';
	if (agent >= 0)
		proto_strlcpy(ev.agent, s->sc->agents[agent].id, PROTO_ID_MAX);
	ev.channel = c->channel;
	ev.wait_ms = ev.talk_ms = ev.wrap_ms = ms;
	sim_out(s, &ev);
}

/* Every state change is published as agent.state (DESIGN.md §3), also
 * those a contact event implies: the agent's tenant is the one it serves
 * while busy or in wrap, nobody otherwise. */
static void
sim_out_state(struct sim *s, uint32_t a)
{
	const struct sim_agent *ag = &s->agents[a];
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_STATE;
	proto_strlcpy(ev.agent, s->sc->agents[a].id, PROTO_ID_MAX);
	ev.state = ag->state;
	ev.tenant[0] = '\0';
	if ((ag->state == PROTO_AS_BUSY || ag->state == PROTO_AS_WRAP) && ag->contact != NONE)
		proto_strlcpy(ev.tenant, s->sc->tenants[s->contacts[ag->contact].tenant].def.id,
		              PROTO_ID_MAX);
	sim_out(s, &ev);
}

/* ------------------------------------------------------------ queues */

static uint32_t
sim_contact_new(struct sim *s)
{
	uint32_t i;

	if (s->free_contact != NONE) {
		i = s->free_contact;
		s->free_contact = s->contacts[i].next;
		return i;
	}
	if (s->n_contacts == s->cap_contacts) {
		uint32_t cap = s->cap_contacts ? s->cap_contacts * 2 : 1024;
		struct sim_contact *c = realloc(s->contacts, cap * sizeof *c);
		if (c == NULL)
			return NONE;
		s->contacts = c;
		s->cap_contacts = cap;
	}
	i = s->n_contacts++;
	s->contacts[i].gen = 0;
	return i;
}

static void
sim_contact_free(struct sim *s, uint32_t i)
{
	s->contacts[i].gen++;
	s->contacts[i].next = s->free_contact;
	s->free_contact = i;
}

static void
sim_eligible_add(struct sim *s, uint32_t t, int d)
{
	struct sim_tenant *tn = &s->tenants[t];

	tn->n_eligible += d;
	for (uint32_t i = 0; i < tn->n_shared; i++)
		s->pools[tn->shared[i]].n_eligible += d;
}

static void
sim_queue_remove(struct sim *s, uint32_t ci)
{
	struct sim_contact *c = &s->contacts[ci];
	struct sim_tenant *tn = &s->tenants[c->tenant];

	if (c->prev != NONE)
		s->contacts[c->prev].next = c->next;
	else
		tn->head = c->next;
	if (c->next != NONE)
		s->contacts[c->next].prev = c->prev;
	else
		tn->tail = c->prev;
	tn->n_waiting--;
	s->stats.waiting--;
	if (c->eligible)
		sim_eligible_add(s, c->tenant, -1);
	c->waiting = false;
}

/* ------------------------------------------------------------ idle lists */

static void
sim_idle_remove(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];
	struct sim_pool *p = &s->pools[ag->pool];

	if (!ag->in_idle)
		return;
	if (ag->idle_prev != NONE)
		s->agents[ag->idle_prev].idle_next = ag->idle_next;
	else
		p->idle_head = ag->idle_next;
	if (ag->idle_next != NONE)
		s->agents[ag->idle_next].idle_prev = ag->idle_prev;
	else
		p->idle_tail = ag->idle_prev;
	ag->in_idle = false;
}

/* Keeps each list ordered by idle_since: agents usually join at the tail,
 * but a moved agent keeps its idle time and may belong further forward. */
static void
sim_idle_insert(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];
	struct sim_pool *p = &s->pools[ag->pool];
	uint32_t after = p->idle_tail;

	while (after != NONE && s->agents[after].idle_since > ag->idle_since)
		after = s->agents[after].idle_prev;
	ag->idle_prev = after;
	ag->idle_next = after == NONE ? p->idle_head : s->agents[after].idle_next;
	if (ag->idle_next != NONE)
		s->agents[ag->idle_next].idle_prev = a;
	else
		p->idle_tail = a;
	if (after != NONE)
		s->agents[after].idle_next = a;
	else
		p->idle_head = a;
	ag->in_idle = true;
}

/* ------------------------------------------------------------ routing */

static void sim_agent_available(struct sim *s, uint32_t a);
static bool sim_routes_shared(const struct sim *s, uint32_t t);

static void
sim_answer(struct sim *s, uint32_t a, uint32_t ci)
{
	struct sim_agent *ag = &s->agents[a];
	struct sim_contact *c = &s->contacts[ci];
	const struct scenario_tenant *st = &s->sc->tenants[c->tenant];
	double talk_s;

	sim_queue_remove(s, ci);
	sim_idle_remove(s, a);
	ag->state = PROTO_AS_BUSY;
	ag->contact = ci;
	sim_out_contact(s, PROTO_EV_CONTACT_ANSWERED, c, (int)a, (uint64_t)(s->now - c->queued_ts));
	sim_out_state(s, a);
	talk_s = rng_lognormal(&s->rng, st->talk_mean_s, st->talk_cv);
	ag->talk_ms = (uint64_t)llround(talk_s * 1000.0);
	sim_push(s, s->now + (int64_t)ag->talk_ms, SK_TALK_END, a, ag->gen);
}

/* The longest-idle agent of the shared pools serving tenant t, or NONE. */
static uint32_t
sim_shared_idle(struct sim *s, uint32_t t)
{
	const struct sim_tenant *tn = &s->tenants[t];
	uint32_t best = NONE;

	for (uint32_t i = 0; i < tn->n_shared; i++) {
		uint32_t a = s->pools[tn->shared[i]].idle_head;
		if (a != NONE && (best == NONE || s->agents[a].idle_since < s->agents[best].idle_since))
			best = a;
	}
	return best;
}

/* A contact that has just queued or just become eligible looks for an agent. */
static void
sim_route(struct sim *s, uint32_t ci)
{
	struct sim_contact *c = &s->contacts[ci];
	const struct sim_tenant *tn = &s->tenants[c->tenant];
	uint32_t a = NONE;

	/* Outside a hybrid tenant's hours the shared pool is the first
	 * choice; its dedicated agents, if any are still on, back it up. */
	if (c->eligible && sim_routes_shared(s, c->tenant))
		a = sim_shared_idle(s, c->tenant);
	if (a == NONE && tn->dedicated >= 0)
		a = s->pools[tn->dedicated].idle_head;
	if (a == NONE && c->eligible)
		a = sim_shared_idle(s, c->tenant);
	if (a != NONE)
		sim_answer(s, a, ci);
}

static bool
sim_routes_shared(const struct sim *s, uint32_t t)
{
	switch (s->sc->tenants[t].def.model) {
	case PROTO_MODEL_SHARED:
		return true;
	case PROTO_MODEL_HYBRID:
		return !s->tenants[t].open;
	default:
		return false;
	}
}

/* The oldest contact a shared pool may take: queue heads only, since in a
 * tenant's queue eligibility is ordered by arrival. */
static uint32_t
sim_shared_pick(struct sim *s, uint32_t p)
{
	const struct sim_pool *pl = &s->pools[p];
	uint32_t best = NONE;

	if (pl->n_eligible == 0)
		return NONE;
	for (uint32_t i = 0; i < pl->n_serves; i++) {
		const struct sim_tenant *tn = &s->tenants[pl->serves[i]];
		uint32_t h = tn->head;
		if (tn->n_eligible == 0 || h == NONE)
			continue;
		/* An eligible contact exists; the head is the oldest of them
		 * unless the head is not yet eligible, then walk on. */
		while (h != NONE && !s->contacts[h].eligible)
			h = s->contacts[h].next;
		if (h != NONE && (best == NONE || s->contacts[h].queued_ts < s->contacts[best].queued_ts))
			best = h;
	}
	return best;
}

static void
sim_agent_seek(struct sim *s, uint32_t a)
{
	const struct sim_pool *p = &s->pools[s->agents[a].pool];
	uint32_t ci = NONE;

	if (!p->shared)
		ci = s->tenants[p->tenant].head;
	else
		ci = sim_shared_pick(s, s->agents[a].pool);
	if (ci != NONE)
		sim_answer(s, a, ci);
}

/* The agent has nothing in hand: go off duty, on break, or idle and look
 * for work. */
static void
sim_agent_available(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];
	const struct scenario *sc = s->sc;

	ag->contact = NONE;
	if (ag->pending_offline || !ag->on_duty) {
		ag->pending_offline = false;
		ag->pending_break = false;
		ag->state = PROTO_AS_OFFLINE;
		ag->gen++;
		sim_out_state(s, a);
		return;
	}
	if (ag->pending_break) {
		ag->pending_break = false;
		ag->state = PROTO_AS_BREAK;
		ag->gen++;
		sim_out_state(s, a);
		sim_push(s, s->now + ((int64_t)sc->break_min + sc->aux_min) * 60000, SK_BREAK_END, a,
		         ag->gen);
		return;
	}
	if (ag->state != PROTO_AS_IDLE) {
		/* after a contact: the idle contact.wrapped implies, said */
		ag->state = PROTO_AS_IDLE;
		sim_out_state(s, a);
	}
	ag->idle_since = s->now;
	sim_idle_insert(s, a);
	sim_agent_seek(s, a);
}

/* ------------------------------------------------------------ handlers */

static int64_t
sim_next_arrival(struct sim *s, uint32_t t, int64_t from)
{
	const double *rate = s->sc->tenants[t].rate_per_hour;
	double work = rng_exp(&s->rng, 1.0), daily = 0, days;
	int64_t ts = from;

	for (int h = 0; h < 24; h++)
		daily += rate[h];
	if (!(daily > 0))
		return INT64_MAX;
	/* Every whole day spends exactly `daily` of unit-rate "work", so whole
	 * days are skipped at once: a tenant with a contact a week still gets
	 * it, and the walk below never needs more than one day. */
	days = floor(work / daily);
	if (days > 0) {
		/* beyond the end of time: never */
		if (days >= ((double)INT64_MAX - (double)from) / (double)SIM_DAY_MS - 2)
			return INT64_MAX;
		work -= days * daily;
		ts += (int64_t)days * SIM_DAY_MS;
	}
	/* Walk hour by hour spending the rest: exact for a piecewise-constant
	 * rate.  A partial hour and 24 whole ones cover a day, which holds
	 * more work than is left. */
	for (int i = 0; i < 25; i++) {
		uint32_t hour = sim_minute_of_day(s, ts) / 60;
		int64_t end = sim_next_minute(s, ts, ((hour + 1) % 24) * 60);
		double per_ms = rate[hour] / 3600000.0;

		if (per_ms > 0 && work < per_ms * (double)(end - ts)) {
			int64_t at = ts + (int64_t)ceil(work / per_ms);
			return at > from ? at : from + 1;
		}
		work -= per_ms * (double)(end - ts);
		ts = end;
	}
	/* Only rounding can leave work over a whole day: what remains is a
	 * few ulps, due now. */
	return ts > from ? ts : from + 1;
}

static void
sim_on_arrival(struct sim *s, uint32_t t)
{
	const struct scenario_tenant *st = &s->sc->tenants[t];
	struct sim_tenant *tn = &s->tenants[t];
	uint32_t ci = sim_contact_new(s);
	struct sim_contact *c;
	int64_t next;

	if (ci != NONE && tn->n_waiting >= SIM_QUEUE_MAX) {
		/* A full queue turns the contact away at once (a busy signal):
		 * offered and abandoned, so every snapshot stays decodable. */
		c = &s->contacts[ci];
		c->id = ++s->next_contact_id;
		c->tenant = t;
		c->queued_ts = s->now;
		c->channel = (enum proto_channel)rng_pick(&s->rng, st->channel_mix, PROTO_CH__COUNT);
		c->waiting = false;
		s->stats.contacts++;
		sim_out_contact(s, PROTO_EV_CONTACT_QUEUED, c, -1, 0);
		sim_out_contact(s, PROTO_EV_CONTACT_ABANDONED, c, -1, 0);
		sim_contact_free(s, ci);
	} else if (ci != NONE) {
		c = &s->contacts[ci];
		c->id = ++s->next_contact_id;
		c->tenant = t;
		c->queued_ts = s->now;
		c->channel = (enum proto_channel)rng_pick(&s->rng, st->channel_mix, PROTO_CH__COUNT);
		c->waiting = true;
		c->eligible = tn->n_shared > 0 &&
		              (sim_routes_shared(s, t) || st->def.overflow_sec == 0 || tn->dedicated < 0);
		c->next = NONE;
		c->prev = tn->tail;
		if (tn->tail != NONE)
			s->contacts[tn->tail].next = ci;
		else
			tn->head = ci;
		tn->tail = ci;
		tn->n_waiting++;
		s->stats.waiting++;
		s->stats.contacts++;
		if (c->eligible)
			sim_eligible_add(s, t, 1);
		sim_out_contact(s, PROTO_EV_CONTACT_QUEUED, c, -1, 0);
		/* Email does not hang up, but an email nobody took within a day
		 * is given up on: a queue of unanswerable mail would grow
		 * without end. */
		if (c->channel != PROTO_CH_EMAIL) {
			double p = rng_exp(&s->rng, st->patience_mean_s);
			sim_push(s, s->now + 1 + (int64_t)llround(p * 1000.0), SK_ABANDON, ci, c->gen);
		} else {
			sim_push(s, s->now + SIM_EMAIL_PATIENCE_MS, SK_ABANDON, ci, c->gen);
		}
		if (!c->eligible && tn->n_shared > 0)
			sim_push(s, s->now + (int64_t)st->def.overflow_sec * 1000, SK_OVERFLOW, ci, c->gen);
		sim_route(s, ci);
	}
	next = sim_next_arrival(s, t, s->now);
	if (next != INT64_MAX)
		sim_push(s, next, SK_ARRIVAL, t, 0);
}

static void
sim_on_abandon(struct sim *s, uint32_t ci)
{
	struct sim_contact *c = &s->contacts[ci];

	sim_queue_remove(s, ci);
	sim_out_contact(s, PROTO_EV_CONTACT_ABANDONED, c, -1, (uint64_t)(s->now - c->queued_ts));
	sim_contact_free(s, ci);
}

static void
sim_on_overflow(struct sim *s, uint32_t ci)
{
	struct sim_contact *c = &s->contacts[ci];

	if (c->eligible)
		return;
	c->eligible = true;
	sim_eligible_add(s, c->tenant, 1);
	sim_route(s, ci);
}

static void
sim_on_talk_end(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];
	const struct sim_contact *c = &s->contacts[ag->contact];
	const struct scenario_tenant *st = &s->sc->tenants[c->tenant];
	double wrap_s = rng_lognormal(&s->rng, st->wrap_mean_s, 0.4);
	uint64_t wrap_ms = (uint64_t)llround(wrap_s * 1000.0);

	ag->state = PROTO_AS_WRAP;
	sim_out_contact(s, PROTO_EV_CONTACT_ENDED, c, (int)a, ag->talk_ms);
	sim_out_state(s, a);
	ag->talk_ms = wrap_ms;	/* reused: the wrap about to happen */
	sim_push(s, s->now + (int64_t)wrap_ms, SK_WRAP_END, a, ag->gen);
}

static void
sim_on_wrap_end(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];
	uint32_t ci = ag->contact;

	sim_out_contact(s, PROTO_EV_CONTACT_WRAPPED, &s->contacts[ci], (int)a, ag->talk_ms);
	sim_contact_free(s, ci);
	sim_agent_available(s, a);
}

static void
sim_on_break_due(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];

	if (!ag->on_duty)
		return;
	if (ag->state == PROTO_AS_IDLE) {
		sim_idle_remove(s, a);
		ag->pending_break = true;
		sim_agent_available(s, a);
	} else {
		ag->pending_break = true;
	}
}

static void
sim_on_break_end(struct sim *s, uint32_t a)
{
	struct sim_agent *ag = &s->agents[a];
	const struct scenario *sc = s->sc;

	ag->state = PROTO_AS_IDLE;
	sim_out_state(s, a);
	if (sc->break_every_min > 0)
		sim_push(s, s->now + (int64_t)sc->break_every_min * 60000, SK_BREAK_DUE, a, ag->gen);
	sim_agent_available(s, a);
}

static void
sim_schedule_break(struct sim *s, uint32_t a)
{
	const struct scenario *sc = s->sc;
	/* Staggered over a whole break cycle (every + length + aux) so a
	 * crew's breaks are spread evenly and the share of it off the phones
	 * stays near (length + aux) / cycle all shift; a narrower spread
	 * makes waves in which most of a crew is on break at once. */
	double cycle = (double)sc->break_every_min + (double)sc->break_min + (double)sc->aux_min;
	double due = 0.5 * (double)sc->break_every_min + rng_uniform(&s->rng) * cycle;

	if (sc->break_every_min > 0 && sc->break_min > 0)
		sim_push(s, s->now + (int64_t)(due * 60000.0), SK_BREAK_DUE, a, s->agents[a].gen);
}

static int64_t
sim_next_boundary(const struct sim *s)
{
	int64_t next = INT64_MAX;

	for (uint32_t i = 0; i < s->sc->n_shifts; i++) {
		int64_t a = sim_next_minute(s, s->now, s->sc->shifts[i].start_min);
		int64_t b = sim_next_minute(s, s->now, s->sc->shifts[i].end_min);
		if (a < next)
			next = a;
		if (b < next)
			next = b;
	}
	return next;
}

/* The most recent instant at or before ts at which minute-of-day is `minute`. */
static int64_t
sim_last_minute(const struct sim *s, int64_t ts, uint32_t minute)
{
	return sim_next_minute(s, ts, minute) - SIM_DAY_MS;
}

static void
sim_out_started(struct sim *s, const char *name, int64_t start_ts, int64_t end_ts)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_SHIFT_STARTED;
	proto_strlcpy(ev.shift, name, PROTO_ID_MAX);
	ev.start_ts = start_ts;
	ev.end_ts = end_ts;
	sim_out(s, &ev);
}

static void
sim_out_shift(struct sim *s)
{
	const struct scenario_shift *sh = &s->sc->shifts[s->shift];
	uint32_t m = sim_minute_of_day(s, s->now);
	int64_t into = (int64_t)((m + 1440 - sh->start_min) % 1440) * 60000;
	/* The start of this occurrence, to the minute. */
	int64_t start = s->now - into - (s->now % 60000 + 60000) % 60000;

	sim_out_started(s, sh->def.name, start, sim_next_minute(s, start, sh->end_min));
}

/* A gap between shifts gets a statistics row of its own ("off"), from the
 * end of the shift before it to the start of the next, so traffic in it is
 * never billed to the shift that preceded it. */
static void
sim_out_gap(struct sim *s)
{
	const struct scenario *sc = s->sc;
	int64_t start = INT64_MIN, end = INT64_MAX;

	for (uint32_t i = 0; i < sc->n_shifts; i++) {
		int64_t b = sim_last_minute(s, s->now, sc->shifts[i].end_min);
		int64_t a = sim_next_minute(s, s->now, sc->shifts[i].start_min);
		if (b > start)
			start = b;
		if (a < end)
			end = a;
	}
	sim_out_started(s, SCENARIO_GAP_SHIFT, start, end);
}

/* Who is on duty follows the shift in force.  Statistics close at every
 * boundary of the plan: each occurrence of a shift starts a new row (even
 * when the same shift follows itself, e.g. one 24-hour shift), and so does
 * each gap between shifts. */
static void
sim_on_boundary(struct sim *s, bool first)
{
	const struct scenario *sc = s->sc;
	uint32_t m = sim_minute_of_day(s, s->now);
	int shift = scenario_shift_at(sc, m);

	if (shift >= 0 && (shift != s->shift || first || m == sc->shifts[shift].start_min)) {
		s->shift = shift;
		sim_out_shift(s);
	} else if (shift < 0 && (s->shift >= 0 || first)) {
		s->shift = -1;
		sim_out_gap(s);
	}
	/* Off first, then on: nobody is counted twice in between. */
	for (uint32_t a = 0; a < sc->n_agents; a++) {
		struct sim_agent *ag = &s->agents[a];
		bool duty = shift >= 0 && (sc->agents[a].shift_mask & (1u << shift));

		if (ag->on_duty && !duty) {
			ag->on_duty = false;
			if (ag->state == PROTO_AS_IDLE || ag->state == PROTO_AS_BREAK) {
				sim_idle_remove(s, a);
				sim_agent_available(s, a);
			} else {
				ag->pending_offline = true;
			}
		} else if (ag->on_duty && duty) {
			ag->pending_offline = false;
		}
	}
	for (uint32_t a = 0; a < sc->n_agents; a++) {
		struct sim_agent *ag = &s->agents[a];
		bool duty = shift >= 0 && (sc->agents[a].shift_mask & (1u << shift));

		if (!ag->on_duty && duty) {
			ag->on_duty = true;
			if (ag->state == PROTO_AS_OFFLINE) {
				ag->gen++;
				ag->state = PROTO_AS_IDLE;
				sim_out_state(s, a);
				sim_schedule_break(s, a);
				sim_agent_available(s, a);
			} else {
				ag->pending_offline = false;
			}
		}
	}
	sim_push(s, sim_next_boundary(s), SK_BOUNDARY, 0, 0);
}

static void
sim_on_hours(struct sim *s, uint32_t t)
{
	const struct scenario_tenant *st = &s->sc->tenants[t];
	struct sim_tenant *tn = &s->tenants[t];
	uint32_t m = sim_minute_of_day(s, s->now);

	tn->open = sim_window_has(st->open_min, st->close_min, m);
	if (sim_routes_shared(s, t)) {
		/* A hybrid tenant has closed: everything waiting goes shared. */
		for (uint32_t ci = tn->head; ci != NONE; ci = s->contacts[ci].next) {
			if (!s->contacts[ci].eligible && tn->n_shared > 0) {
				s->contacts[ci].eligible = true;
				sim_eligible_add(s, t, 1);
			}
		}
		for (uint32_t ci = tn->head; ci != NONE;) {
			uint32_t next = s->contacts[ci].next;
			if (s->contacts[ci].eligible)
				sim_route(s, ci);
			ci = next;
		}
	}
	sim_push(s, sim_next_minute(s, s->now, tn->open ? st->close_min : st->open_min),
	         SK_HOURS, t, 0);
}

static void
sim_dispatch(struct sim *s, const struct sim_ev *ev)
{
	switch ((enum sim_kind)ev->kind) {
	case SK_ARRIVAL:
		sim_on_arrival(s, ev->who);
		break;
	case SK_ABANDON:
		if (s->contacts[ev->who].gen == ev->gen && s->contacts[ev->who].waiting)
			sim_on_abandon(s, ev->who);
		break;
	case SK_OVERFLOW:
		if (s->contacts[ev->who].gen == ev->gen && s->contacts[ev->who].waiting)
			sim_on_overflow(s, ev->who);
		break;
	case SK_TALK_END:
		if (s->agents[ev->who].gen == ev->gen && s->agents[ev->who].state == PROTO_AS_BUSY)
			sim_on_talk_end(s, ev->who);
		break;
	case SK_WRAP_END:
		if (s->agents[ev->who].gen == ev->gen && s->agents[ev->who].state == PROTO_AS_WRAP)
			sim_on_wrap_end(s, ev->who);
		break;
	case SK_BREAK_DUE:
		if (s->agents[ev->who].gen == ev->gen)
			sim_on_break_due(s, ev->who);
		break;
	case SK_BREAK_END:
		if (s->agents[ev->who].gen == ev->gen && s->agents[ev->who].state == PROTO_AS_BREAK)
			sim_on_break_end(s, ev->who);
		break;
	case SK_BOUNDARY:
		sim_on_boundary(s, false);
		break;
	case SK_HOURS:
		sim_on_hours(s, ev->who);
		break;
	}
}

/* ------------------------------------------------------------ public */

static int
sim_build(struct sim *s)
{
	const struct scenario *sc = s->sc;

	s->tenants = calloc(sc->n_tenants ? sc->n_tenants : 1, sizeof *s->tenants);
	s->pools = calloc(sc->n_pools ? sc->n_pools : 1, sizeof *s->pools);
	s->agents = calloc(sc->n_agents ? sc->n_agents : 1, sizeof *s->agents);
	if (!s->tenants || !s->pools || !s->agents)
		return -1;
	for (uint32_t t = 0; t < sc->n_tenants; t++) {
		s->tenants[t].head = s->tenants[t].tail = NONE;
		s->tenants[t].dedicated = -1;
		s->tenants[t].shared = calloc(sc->n_pools ? sc->n_pools : 1, sizeof(uint32_t));
		if (s->tenants[t].shared == NULL)
			return -1;
	}
	for (uint32_t p = 0; p < sc->n_pools; p++) {
		const struct proto_pool *d = &sc->pools[p].def;
		struct sim_pool *pl = &s->pools[p];

		pl->idle_head = pl->idle_tail = NONE;
		pl->shared = d->kind == PROTO_POOL_SHARED;
		pl->tenant = -1;
		if (!pl->shared) {
			pl->tenant = scenario_tenant_find(sc, d->tenant);
			if (pl->tenant < 0)
				return -1;
			s->tenants[pl->tenant].dedicated = (int)p;
			continue;
		}
		pl->serves = calloc(d->n_serves ? d->n_serves : 1, sizeof(uint32_t));
		if (pl->serves == NULL)
			return -1;
		for (uint32_t i = 0; i < d->n_serves; i++) {
			int t = scenario_tenant_find(sc, d->serves[i]);
			if (t < 0)
				return -1;
			pl->serves[pl->n_serves++] = (uint32_t)t;
			s->tenants[t].shared[s->tenants[t].n_shared++] = p;
		}
	}
	for (uint32_t a = 0; a < sc->n_agents; a++) {
		struct sim_agent *ag = &s->agents[a];
		ag->pool = sc->agents[a].pool;
		ag->state = PROTO_AS_OFFLINE;
		ag->contact = NONE;
		ag->idle_prev = ag->idle_next = NONE;
	}
	return 0;
}

struct sim *
sim_new(const struct scenario *sc, uint64_t seed, int64_t start_ts, int32_t tz_offset_s,
        sim_emit_fn emit, void *ctx)
{
	struct sim *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->sc = sc;
	s->tz = tz_offset_s;
	s->now = start_ts;
	s->shift = -1;
	s->emit = emit;
	s->ctx = ctx;
	s->free_contact = NONE;
	rng_seed(&s->rng, seed);
	if (sim_build(s) < 0) {
		sim_free(s);
		return NULL;
	}
	return s;
}

void
sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	if (s->tenants)
		for (uint32_t t = 0; t < s->sc->n_tenants; t++)
			free(s->tenants[t].shared);
	if (s->pools)
		for (uint32_t p = 0; p < s->sc->n_pools; p++)
			free(s->pools[p].serves);
	free(s->tenants);
	free(s->pools);
	free(s->agents);
	free(s->contacts);
	free(s->heap);
	free(s);
}

void
sim_start(struct sim *s)
{
	const struct scenario *sc = s->sc;
	uint32_t m = sim_minute_of_day(s, s->now);

	for (uint32_t t = 0; t < sc->n_tenants; t++) {
		const struct scenario_tenant *st = &sc->tenants[t];
		int64_t next;

		s->tenants[t].open = sim_window_has(st->open_min, st->close_min, m);
		if (st->open_min != st->close_min)
			sim_push(s, sim_next_minute(s, s->now, s->tenants[t].open ? st->close_min
			                                                          : st->open_min),
			         SK_HOURS, t, 0);
		next = sim_next_arrival(s, t, s->now);
		if (next != INT64_MAX)
			sim_push(s, next, SK_ARRIVAL, t, 0);
	}
	sim_on_boundary(s, true);
}

uint64_t
sim_run_until(struct sim *s, int64_t until, uint64_t max_events)
{
	uint64_t n = 0;

	while (s->n_heap > 0 && s->heap[0].ts <= until && (max_events == 0 || n < max_events)) {
		struct sim_ev ev = sim_pop(s);
		s->now = ev.ts;
		sim_dispatch(s, &ev);
		n++;
	}
	if (max_events == 0 || n < max_events)
		if (until > s->now)
			s->now = until;
	s->stats.events += n;
	return n;
}

int64_t
sim_next_ts(const struct sim *s)
{
	return s->n_heap ? s->heap[0].ts : INT64_MAX;
}

int64_t
sim_now(const struct sim *s)
{
	return s->now;
}

int
sim_move(struct sim *s, uint32_t a, uint32_t pool)
{
	struct sim_agent *ag;
	bool idle;

	if (a >= s->sc->n_agents || pool >= s->sc->n_pools)
		return -1;
	ag = &s->agents[a];
	if (ag->pool == pool)
		return 0;
	idle = ag->in_idle;
	sim_idle_remove(s, a);
	ag->pool = pool;
	if (idle) {
		sim_idle_insert(s, a);
		sim_agent_seek(s, a);
	}
	return 0;
}

uint32_t
sim_agent_pool(const struct sim *s, uint32_t agent)
{
	return s->agents[agent].pool;
}

bool
sim_agent_on_duty(const struct sim *s, uint32_t agent)
{
	return s->agents[agent].on_duty;
}

bool
sim_tenant_open(const struct sim *s, uint32_t t)
{
	return s->tenants[t].open;
}

int
sim_shift(const struct sim *s)
{
	return s->shift;
}

void
sim_get_stats(const struct sim *s, struct sim_stats *st)
{
	*st = s->stats;
}
