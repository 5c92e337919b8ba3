#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "floor_int.h"

/* ------------------------------------------------------ floor -> snapshot */


static void *
floor_zalloc(size_t n, size_t size)
{
	return n ? calloc(n, size) : NULL;
}

/* Frees what floor_to_snapshot built so far; the same ownership rules as
 * proto_snapshot_free, kept here so a failed build needs nothing of proto. */
static void
floor_snapshot_release(struct proto_snapshot *s)
{
	for (uint32_t i = 0; s->pools && i < s->n_pools; i++) {
		free(s->pools[i].serves);
		free(s->pools[i].trained);
	}
	for (uint32_t i = 0; s->queues && i < s->n_queues; i++)
		free(s->queues[i].contacts);
	free(s->shifts);
	free(s->tenants);
	free(s->pools);
	free(s->agents);
	free(s->queues);
	free(s->stats);
	proto_sl_rows_free(s->stats_sl, s->n_stats);
	memset(s, 0, sizeof(*s));
}

static int
floor_snap_pools(const struct floor *f, struct proto_snapshot *s)
{
	s->pools = floor_zalloc(f->n_pools, sizeof(*s->pools));
	if (f->n_pools && !s->pools)
		return -1;
	s->n_pools = f->n_pools;
	for (uint32_t i = 0; i < f->n_pools; i++) {
		const struct proto_pool *d = &f->pools[i].def;

		s->pools[i] = *d;
		s->pools[i].serves = floor_memdup(d->serves, d->n_serves, sizeof(d->serves[0]));
		s->pools[i].trained = floor_memdup(d->trained, d->n_trained, sizeof(d->trained[0]));
		if ((d->n_serves && !s->pools[i].serves) || (d->n_trained && !s->pools[i].trained))
			return -1;
	}
	return 0;
}

static int
floor_snap_agents(const struct floor *f, struct proto_snapshot *s)
{
	s->agents = floor_zalloc(f->n_agents, sizeof(*s->agents));
	if (f->n_agents && !s->agents)
		return -1;
	s->n_agents = f->n_agents;
	for (uint32_t i = 0; i < f->n_agents; i++) {
		s->agents[i] = f->agents[i].def;
		s->agents[i].handled = f->agents[i].handled;
	}
	return 0;
}

static int
floor_snap_queues(const struct floor *f, struct proto_snapshot *s)
{
	s->queues = floor_zalloc(f->n_tenants, sizeof(*s->queues));
	if (f->n_tenants && !s->queues)
		return -1;
	s->n_queues = f->n_tenants;
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		const struct floor_tenant *ft = &f->tenants[t];
		struct proto_queue *q = &s->queues[t];

		/* A longer list would make the whole snapshot undecodable (§3);
		 * the oldest are kept, being the next to leave the queue. */
		uint32_t n = ft->n_waiting < PROTO_QUEUE_CONTACTS_MAX ? ft->n_waiting
		                                                      : PROTO_QUEUE_CONTACTS_MAX;

		memcpy(q->tenant, ft->def.id, sizeof(q->tenant));
		q->waiting = n;
		q->oldest_ts = n ? ft->waiting[0].ts : 0;
		q->contacts = floor_zalloc(n, sizeof(*q->contacts));
		if (n && !q->contacts)
			return -1;
		q->n_contacts = n;
		for (uint32_t i = 0; i < n; i++) {
			q->contacts[i].contact = ft->waiting[i].contact;
			q->contacts[i].ts = ft->waiting[i].ts;
			q->contacts[i].channel = ft->waiting[i].channel;
		}
	}
	return 0;
}

/* Counters as they stand, not accrued to now: a receiver accrues each
 * agent's open interval from its acc_ts, so adding it here would count it
 * twice. */
static int
floor_snap_stats(const struct floor *f, struct proto_snapshot *s)
{
	s->stats = floor_zalloc(f->n_tenants, sizeof(*s->stats));
	if (f->n_tenants && !s->stats)
		return -1;
	s->n_stats = f->n_tenants;
	/* the per-interval service-level counters ride beside the rows */
	s->stats_sl = floor_zalloc(f->n_tenants, sizeof(*s->stats_sl));
	if (f->n_tenants && !s->stats_sl)
		return -1;
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		floor_row_fill(f, t, f->shift_end_ts, f->tenants[t].cur.dedicated_staffed_ms,
		               &s->stats[t]);
		if (floor_row_sl(f, t, s->stats[t].n_intervals, &s->stats_sl[t]) != 0)
			return -1;
	}
	return 0;
}

static int
floor_snap_defs(const struct floor *f, struct proto_snapshot *s)
{
	s->shifts = floor_memdup(f->shifts, f->n_shifts, sizeof(f->shifts[0]));
	if (f->n_shifts && !s->shifts)
		return -1;
	s->n_shifts = f->n_shifts;
	s->tenants = floor_zalloc(f->n_tenants, sizeof(*s->tenants));
	if (f->n_tenants && !s->tenants)
		return -1;
	s->n_tenants = f->n_tenants;
	for (uint32_t t = 0; t < f->n_tenants; t++)
		s->tenants[t] = f->tenants[t].def;
	return 0;
}

int
floor_to_snapshot(const struct floor *f, struct proto_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->epoch = f->epoch;
	s->seq = f->seq;
	s->ts = f->ts;
	memcpy(s->shift_name, f->shift_name, sizeof(s->shift_name));
	s->shift_start_ts = f->shift_start_ts;
	s->shift_end_ts = f->shift_end_ts;
	if (floor_snap_defs(f, s) != 0 || floor_snap_pools(f, s) != 0 ||
	    floor_snap_agents(f, s) != 0 || floor_snap_queues(f, s) != 0 ||
	    floor_snap_stats(f, s) != 0) {
		floor_snapshot_release(s);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------ snapshot -> floor */

/*
 * The queue is the `contacts` list, and only that: `waiting` is a bare
 * count a sender may set to anything, and standing placeholders in for it
 * would let a small snapshot ask for gigabytes.  A publisher that leaves
 * `contacts` out (it is an addition) shows empty queues until events fill
 * them.
 */
static int
floor_load_queue(struct floor *f, const struct proto_queue *q)
{
	int t = floor_tenant_find(f, q->tenant);
	struct floor_tenant *ft;

	if (t < 0 || q->n_contacts > PROTO_QUEUE_CONTACTS_MAX || (q->n_contacts && !q->contacts))
		return -1;
	ft = &f->tenants[t];
	for (uint32_t i = 0; i < q->n_contacts; i++) {
		const struct proto_queued *c = &q->contacts[i];

		if ((unsigned)c->channel >= PROTO_CH__COUNT ||
		    floor_waiting_push(ft, c->contact, c->ts, c->channel) != 0)
			return -1;
	}
	return 0;
}

static int
floor_load_stats(struct floor *f, const struct proto_stats_row *r, const struct proto_sl_row *sl)
{
	int t = floor_tenant_find(f, r->tenant);
	struct floor_counters *c;
	uint32_t n = r->n_intervals;

	if (t < 0)
		return -1;
	c = &f->tenants[t].cur;
	memset(c, 0, sizeof(*c));
	c->offered = r->offered;
	c->answered = r->answered;
	c->answered_in_sl = r->answered_in_sl;
	c->abandoned = r->abandoned;
	c->abandoned_short = r->abandoned_short;
	c->handled = r->handled;
	c->wait_ms = r->wait_ms;
	c->talk_ms = r->talk_ms;
	c->wrap_ms = r->wrap_ms;
	c->dedicated_staffed_ms = r->dedicated_staffed_ms;
	c->dedicated_busy_ms = r->dedicated_busy_ms;
	c->dedicated_break_ms = r->dedicated_break_ms;
	c->shared_handle_ms = r->shared_handle_ms;
	if (n > PROTO_INTERVALS_MAX)
		n = PROTO_INTERVALS_MAX;
	memcpy(c->intervals, r->intervals, n * sizeof(c->intervals[0]));
	/* a row that carried none has no iv at all */
	if (sl != NULL && sl->n > 0) {
		n = sl->n < PROTO_INTERVALS_MAX ? sl->n : PROTO_INTERVALS_MAX;
		memcpy(c->sl, sl->iv, n * sizeof(c->sl[0]));
	}
	return 0;
}

/* Every timestamp a replica computes with, in range (floor_ts_valid);
 * the arrays are known to be present. */
static bool
floor_snapshot_times_valid(const struct proto_snapshot *s)
{
	if (!floor_ts_valid(s->ts) || !floor_ts_valid(s->shift_start_ts) ||
	    !floor_ts_valid(s->shift_end_ts))
		return false;
	for (uint32_t i = 0; i < s->n_agents; i++)
		if (!floor_ts_valid(s->agents[i].since_ts) || !floor_ts_valid(s->agents[i].acc_ts) ||
		    !floor_ts_valid(s->agents[i].loan_until))
			return false;
	for (uint32_t i = 0; i < s->n_queues; i++) {
		const struct proto_queue *q = &s->queues[i];

		if (!floor_ts_valid(q->oldest_ts))
			return false;
		for (uint32_t k = 0; q->contacts && k < q->n_contacts; k++)
			if (!floor_ts_valid(q->contacts[k].ts))
				return false;
	}
	for (uint32_t i = 0; i < s->n_stats; i++)
		if (!floor_ts_valid(s->stats[i].start_ts) || !floor_ts_valid(s->stats[i].end_ts))
			return false;
	return true;
}

/* Order matters: pools name tenants, agents name pools and tenants. */
static int
floor_load(struct floor *f, const struct proto_snapshot *s)
{
	if ((s->n_shifts && !s->shifts) || (s->n_tenants && !s->tenants) ||
	    (s->n_pools && !s->pools) || (s->n_agents && !s->agents) ||
	    (s->n_queues && !s->queues) || (s->n_stats && !s->stats))
		return -1;
	if (!floor_snapshot_times_valid(s))
		return -1;
	for (uint32_t i = 0; i < s->n_shifts; i++)
		if (floor_add_shift(f, &s->shifts[i]) < 0)
			return -1;
	for (uint32_t i = 0; i < s->n_tenants; i++)
		if (floor_add_tenant(f, &s->tenants[i]) < 0)
			return -1;
	for (uint32_t i = 0; i < s->n_pools; i++)
		if (floor_add_pool(f, &s->pools[i]) < 0)
			return -1;
	for (uint32_t i = 0; i < s->n_agents; i++)
		if (floor_add_agent(f, &s->agents[i]) < 0)
			return -1;
	for (uint32_t i = 0; i < s->n_queues; i++)
		if (floor_load_queue(f, &s->queues[i]) != 0)
			return -1;
	for (uint32_t i = 0; i < s->n_stats; i++)
		if (floor_load_stats(f, &s->stats[i], s->stats_sl ? &s->stats_sl[i] : NULL) != 0)
			return -1;
	return 0;
}

/* History and n_rejected go too: a snapshot replaces the whole floor and
 * closed shifts are fetched with `history`. */
int
floor_from_snapshot(struct floor *f, const struct proto_snapshot *s)
{
	floor_free(f);
	if (floor_load(f, s) != 0) {
		floor_free(f);
		return -1;
	}
	f->epoch = s->epoch;
	f->seq = s->seq;
	f->ts = s->ts;
	memcpy(f->shift_name, s->shift_name, sizeof(f->shift_name));
	f->shift_name[PROTO_ID_MAX] = '\0';
	f->shift_start_ts = s->shift_start_ts;
	f->shift_end_ts = s->shift_end_ts;
	f->gen++;
	return 0;
}
