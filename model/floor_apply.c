#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "floor_int.h"

/*
 * Every handler validates all the ids it needs before it touches anything,
 * so a rejected event leaves the floor exactly as it was.
 */

static uint32_t
floor_interval(const struct floor *f, int64_t ts)
{
	int64_t i = floor_span_ms(f->shift_start_ts, ts) / FLOOR_INTERVAL_MS;

	if (i < 0)
		return 0;
	return i >= PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX - 1 : (uint32_t)i;
}

/* Abandons leave from the middle of the queue; answers usually take the
 * oldest, so the search from the front is short.  A contact turned away by
 * a full queue leaves at once, from the back: checked first, or a long
 * queue would be scanned for each. */
static void
floor_waiting_remove(struct floor_tenant *t, uint64_t contact)
{
	if (t->n_waiting > 0 && t->waiting[t->n_waiting - 1].contact == contact) {
		t->n_waiting--;
		return;
	}
	for (uint32_t i = 0; i < t->n_waiting; i++) {
		if (t->waiting[i].contact == contact) {
			memmove(&t->waiting[i], &t->waiting[i + 1],
			        (t->n_waiting - i - 1) * sizeof(t->waiting[0]));
			t->n_waiting--;
			return;
		}
	}
}

/* Staffed time is billed to the state (and pool) it was earned in, so it
 * is accrued before either changes. */
static void
floor_agent_set_state(struct floor *f, struct floor_agent *a,
                      enum proto_agent_state st, int64_t ts)
{
	floor_accrue(f, a, ts);
	if (a->def.state != st) {
		a->def.state = st;
		a->def.since_ts = ts;
	}
}

static void
floor_agent_serve(struct floor *f, struct floor_agent *a, int t)
{
	a->serving = t;
	if (t >= 0)
		memcpy(a->def.tenant, f->tenants[t].def.id, sizeof(a->def.tenant));
	else
		a->def.tenant[0] = '\0';
}

/* Handle time counts against the shared pool's rate only for contacts that
 * started there, wherever the agent has been moved since. */
static bool
floor_agent_handles_shared(const struct floor *f, const struct floor_agent *a)
{
	return a->handling_pool >= 0 &&
	       f->pools[a->handling_pool].def.kind == PROTO_POOL_SHARED;
}

static enum floor_apply_result
floor_on_queued(struct floor *f, const struct proto_event *ev)
{
	int t = floor_tenant_find(f, ev->tenant);
	struct floor_tenant *ft;

	if (t < 0 || (unsigned)ev->channel >= PROTO_CH__COUNT)
		return FLOOR_REJECTED;
	ft = &f->tenants[t];
	if (floor_waiting_push(ft, ev->contact, ev->ts, ev->channel) != 0)
		return FLOOR_REJECTED;
	ft->cur.offered++;
	/* before any shift there is no interval to count in: clamping would
	 * pile those contacts into whichever end the clock falls on */
	if (f->shift_name[0])
		ft->cur.intervals[floor_interval(f, ev->ts)]++;
	return FLOOR_APPLIED;
}

/* Sets the agent busy itself (rather than waiting for agent.state) so the
 * model is right whichever of the two events a publisher sends first. */
static enum floor_apply_result
floor_on_answered(struct floor *f, const struct proto_event *ev)
{
	int t = floor_tenant_find(f, ev->tenant);
	int a = floor_agent_find(f, ev->agent);
	struct floor_tenant *ft;
	struct floor_agent *fa;

	if (t < 0 || a < 0)
		return FLOOR_REJECTED;
	ft = &f->tenants[t];
	fa = &f->agents[a];
	/* a contact queued before this replica joined is not in the list, but
	 * its answer still counts */
	floor_waiting_remove(ft, ev->contact);
	ft->cur.answered++;
	ft->cur.wait_ms += ev->wait_ms;
	if (ev->wait_ms <= (uint64_t)ft->def.sl_sec * 1000u)
		ft->cur.answered_in_sl++;
	if (f->shift_name[0]) {
		struct proto_sl_interval *iv = &ft->cur.sl[floor_interval(f, ev->ts)];

		iv->answered++;
		iv->wait_ms += ev->wait_ms;
		iv->answered_in_sl += ev->wait_ms <= (uint64_t)ft->def.sl_sec * 1000u;
	}
	floor_agent_set_state(f, fa, PROTO_AS_BUSY, ev->ts);
	/* a new contact is a new busy period, even if a publisher said busy
	 * first */
	fa->def.since_ts = ev->ts;
	floor_agent_serve(f, fa, t);
	fa->def.contact = ev->contact;
	fa->handling_pool = fa->pool;
	memcpy(fa->def.handling_pool, fa->def.pool, sizeof(fa->def.handling_pool));
	return FLOOR_APPLIED;
}

static enum floor_apply_result
floor_on_abandoned(struct floor *f, const struct proto_event *ev)
{
	int t = floor_tenant_find(f, ev->tenant);
	struct floor_tenant *ft;

	if (t < 0)
		return FLOOR_REJECTED;
	ft = &f->tenants[t];
	floor_waiting_remove(ft, ev->contact);
	ft->cur.abandoned++;
	if (ev->wait_ms < FLOOR_SHORT_ABANDON_MS)
		ft->cur.abandoned_short++;
	if (f->shift_name[0]) {
		struct proto_sl_interval *iv = &ft->cur.sl[floor_interval(f, ev->ts)];

		iv->abandoned++;
		iv->abandoned_short += ev->wait_ms < FLOOR_SHORT_ABANDON_MS;
	}
	return FLOOR_APPLIED;
}

static enum floor_apply_result
floor_on_ended(struct floor *f, const struct proto_event *ev)
{
	int t = floor_tenant_find(f, ev->tenant);
	int a = floor_agent_find(f, ev->agent);
	struct floor_tenant *ft;
	struct floor_agent *fa;

	if (t < 0 || a < 0)
		return FLOOR_REJECTED;
	ft = &f->tenants[t];
	fa = &f->agents[a];
	ft->cur.talk_ms += ev->talk_ms;
	if (floor_agent_handles_shared(f, fa))
		ft->cur.shared_handle_ms += ev->talk_ms;
	floor_agent_set_state(f, fa, PROTO_AS_WRAP, ev->ts);
	return FLOOR_APPLIED;
}

/*
 * The contact is done: the agent becomes idle, unless an agent.state that
 * arrived before this event already put it elsewhere (break, offline) —
 * publishers may send the two in either order.
 */
static enum floor_apply_result
floor_on_wrapped(struct floor *f, const struct proto_event *ev)
{
	int t = floor_tenant_find(f, ev->tenant);
	int a = floor_agent_find(f, ev->agent);
	struct floor_tenant *ft;
	struct floor_agent *fa;

	if (t < 0 || a < 0)
		return FLOOR_REJECTED;
	ft = &f->tenants[t];
	fa = &f->agents[a];
	ft->cur.wrap_ms += ev->wrap_ms;
	ft->cur.handled++;
	if (floor_agent_handles_shared(f, fa))
		ft->cur.shared_handle_ms += ev->wrap_ms;
	fa->handled++;
	fa->def.handled = fa->handled;
	fa->def.contact = 0;
	fa->handling_pool = -1;
	fa->def.handling_pool[0] = '\0';
	if (fa->def.state == PROTO_AS_BUSY || fa->def.state == PROTO_AS_WRAP) {
		floor_agent_set_state(f, fa, PROTO_AS_IDLE, ev->ts);
		floor_agent_serve(f, fa, -1);
	}
	return FLOOR_APPLIED;
}

static enum floor_apply_result
floor_on_agent_state(struct floor *f, const struct proto_event *ev)
{
	int a = floor_agent_find(f, ev->agent);
	int t = -1;

	if (a < 0 || (unsigned)ev->state >= PROTO_AS__COUNT)
		return FLOOR_REJECTED;
	if (ev->tenant[0] && (t = floor_tenant_find(f, ev->tenant)) < 0)
		return FLOOR_REJECTED;
	floor_agent_set_state(f, &f->agents[a], ev->state, ev->ts);
	floor_agent_serve(f, &f->agents[a], t);
	return FLOOR_APPLIED;
}

/* agent.moved with `from` "" for an agent the floor lacks: an ACD source
 * met someone the scenario did not list.  It joins `to`, offline, without
 * a floor.reset (PROTOCOL.md §4). */
static enum floor_apply_result
floor_on_new_agent(struct floor *f, const struct proto_event *ev)
{
	struct proto_agent a;

	memset(&a, 0, sizeof a);
	memcpy(a.id, ev->agent, sizeof a.id);
	memcpy(a.name, ev->name[0] ? ev->name : ev->agent, sizeof a.name);
	a.name[PROTO_NAME_MAX] = '\0';
	memcpy(a.pool, ev->to, sizeof a.pool);
	a.state = PROTO_AS_OFFLINE;
	a.since_ts = a.acc_ts = ev->ts;
	return floor_add_agent(f, &a) < 0 ? FLOOR_REJECTED : FLOOR_APPLIED;
}

/* A contact in progress stays with the pool it started in (handling_pool):
 * the agent shows as moving until it is wrapped. */
static enum floor_apply_result
floor_on_moved(struct floor *f, const struct proto_event *ev)
{
	int a = floor_agent_find(f, ev->agent);
	int to = floor_pool_find(f, ev->to);
	struct floor_agent *fa;

	if (a < 0 && !ev->from[0] && to >= 0)
		return floor_on_new_agent(f, ev);
	if (a < 0 || to < 0 || (ev->from[0] && floor_pool_find(f, ev->from) < 0) ||
	    !floor_ts_valid(ev->until))
		return FLOOR_REJECTED;
	fa = &f->agents[a];
	floor_accrue(f, fa, ev->ts);
	fa->pool = to;
	memcpy(fa->def.pool, f->pools[to].def.id, sizeof(fa->def.pool));
	/* a loan starts with its move; any other move (the return, or a
	 * manual one) ends it */
	fa->def.loan_until = ev->until;
	return FLOOR_APPLIED;
}

static int
floor_history_reserve(struct floor *f, uint32_t more)
{
	uint32_t need = f->n_history + more;
	uint32_t cap = f->cap_history ? f->cap_history : 16;
	struct proto_stats_row *p;
	struct proto_sl_row *sl;

	if (need < f->n_history)
		return -1;
	if (need <= f->cap_history)
		return 0;
	while (cap < need) {
		if (cap > UINT32_MAX / 2)
			return -1;
		cap *= 2;
	}
	p = realloc(f->history, (size_t)cap * sizeof(*p));
	if (!p)
		return -1;
	f->history = p;
	/* cap_history grows only once both have room */
	sl = realloc(f->history_sl, (size_t)cap * sizeof(*sl));
	if (!sl)
		return -1;
	f->history_sl = sl;
	f->cap_history = cap;
	return 0;
}

/* Close the current shift into history: one row per tenant with its
 * per-interval service-level counters, then zero the counters the new
 * shift starts from. */
static void
floor_close_shift(struct floor *f, int64_t ts)
{
	int64_t end = f->shift_end_ts ? f->shift_end_ts : ts;

	for (uint32_t t = 0; t < f->n_tenants; t++) {
		struct floor_tenant *ft = &f->tenants[t];

		floor_row_fill(f, t, end, ft->cur.dedicated_staffed_ms, &f->history[f->n_history]);
		/* out of memory: the row is kept, its sl_intervals not known */
		f->history_sl[f->n_history] = (struct proto_sl_row){ 0 };
		(void)floor_row_sl(f, t, f->history[f->n_history].n_intervals,
		                   &f->history_sl[f->n_history]);
		f->n_history++;
		memset(&ft->cur, 0, sizeof(ft->cur));
	}
	for (uint32_t i = 0; i < f->n_agents; i++) {
		f->agents[i].handled = 0;
		f->agents[i].def.handled = 0;
	}
}

/*
 * A floor that never had a shift just takes the new one: there is nothing
 * to close, and counters it gathered so far are kept rather than lost.
 */
static enum floor_apply_result
floor_on_shift_started(struct floor *f, const struct proto_event *ev)
{
	bool closing = f->shift_name[0] != '\0';

	if (closing && floor_history_reserve(f, f->n_tenants) != 0)
		return FLOOR_REJECTED;
	for (uint32_t i = 0; i < f->n_agents; i++)
		floor_accrue(f, &f->agents[i], ev->ts);
	if (closing)
		floor_close_shift(f, ev->ts);
	memcpy(f->shift_name, ev->shift, sizeof(f->shift_name));
	f->shift_name[PROTO_ID_MAX] = '\0';
	f->shift_start_ts = ev->start_ts;
	f->shift_end_ts = ev->end_ts;
	return FLOOR_APPLIED;
}

static enum floor_apply_result
floor_dispatch(struct floor *f, const struct proto_event *ev)
{
	switch (ev->type) {
	case PROTO_EV_CONTACT_QUEUED: return floor_on_queued(f, ev);
	case PROTO_EV_CONTACT_ANSWERED: return floor_on_answered(f, ev);
	case PROTO_EV_CONTACT_ABANDONED: return floor_on_abandoned(f, ev);
	case PROTO_EV_CONTACT_ENDED: return floor_on_ended(f, ev);
	case PROTO_EV_CONTACT_WRAPPED: return floor_on_wrapped(f, ev);
	case PROTO_EV_AGENT_STATE: return floor_on_agent_state(f, ev);
	case PROTO_EV_AGENT_MOVED: return floor_on_moved(f, ev);
	case PROTO_EV_SHIFT_STARTED: return floor_on_shift_started(f, ev);
	default: return FLOOR_REJECTED;
	}
}

/* A heartbeat carries the last seq published: one beyond ours means we
 * missed events even though nothing else has arrived. */
static enum floor_apply_result
floor_check_seq(const struct floor *f, const struct proto_event *ev)
{
	if (ev->epoch != f->epoch)
		return FLOOR_RESYNC;
	if (ev->type == PROTO_EV_HB)
		return ev->seq > f->seq ? FLOOR_RESYNC : FLOOR_IGNORED;
	if (ev->seq <= f->seq)
		return FLOOR_IGNORED;
	if (ev->seq > f->seq + 1)
		return FLOOR_RESYNC;
	return FLOOR_APPLIED;
}

/*
 * A rejected event changes nothing, seq included: with check_seq the next
 * event then reports RESYNC, so a replica that could not follow the
 * publisher recovers through a snapshot instead of drifting.
 */
enum floor_apply_result
floor_apply(struct floor *f, const struct proto_event *ev, bool check_seq)
{
	enum floor_apply_result r;

	if (ev->type == PROTO_EV_FLOOR_RESET)
		return FLOOR_RESYNC;
	if (check_seq) {
		r = floor_check_seq(f, ev);
		if (r != FLOOR_APPLIED)
			return r;
	} else if (ev->type == PROTO_EV_HB) {
		return FLOOR_IGNORED;
	}
	/* Checked before anything else: every span and interval index below
	 * is computed from these. */
	if (!floor_ts_valid(ev->ts) ||
	    (ev->type == PROTO_EV_SHIFT_STARTED &&
	     (!floor_ts_valid(ev->start_ts) || !floor_ts_valid(ev->end_ts))))
		r = FLOOR_REJECTED;
	else
		r = floor_dispatch(f, ev);
	if (r != FLOOR_APPLIED) {
		f->n_rejected++;
		return r;
	}
	f->seq = ev->seq;
	if (ev->ts > f->ts)
		f->ts = ev->ts;
	f->gen++;
	return FLOOR_APPLIED;
}
