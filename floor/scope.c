/*
 * Scoped views of the floor (see scope.h).  Everything here decides from
 * the server's own floor, never from what a client says it may see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/scope.h"

void
scope_free(struct scope *s)
{
	free(s->tenant);
	free(s->pool);
	free(s->named);
	memset(s, 0, sizeof *s);
}

int
scope_build(struct scope *s, const struct floor *f, const struct keystore_key *k)
{
	memset(s, 0, sizeof *s);
	s->n_tenants = f->n_tenants;
	s->n_pools = f->n_pools;
	s->tenant = calloc(f->n_tenants + 1, sizeof *s->tenant);
	s->pool = calloc(f->n_pools + 1, sizeof *s->pool);
	s->named = calloc(f->n_pools + 1, sizeof *s->named);
	if (!s->tenant || !s->pool || !s->named) {
		scope_free(s);
		return -1;
	}
	for (uint32_t t = 0; t < f->n_tenants; t++)
		s->tenant[t] = keystore_in_scope(k, f->tenants[t].def.id);
	/* A pool is visible when it serves a tenant in scope; its agents are
	 * named when every tenant it serves is in scope (nobody else's
	 * work can be read off them). */
	for (uint32_t p = 0; p < f->n_pools; p++) {
		const struct floor_pool *fp = &f->pools[p];
		bool any = false, all = true;

		if (fp->tenant >= 0) {
			any = all = s->tenant[fp->tenant];
		} else {
			for (uint32_t i = 0; i < fp->def.n_serves; i++) {
				int t = floor_tenant_find(f, fp->def.serves[i]);
				bool in = t >= 0 && s->tenant[t];
				any = any || in;
				all = all && in;
			}
		}
		s->pool[p] = any;
		s->named[p] = any && all;
	}
	return 0;
}

static bool
scope_tenant_visible(const struct scope *s, const struct floor *f, const char *id)
{
	int t = id[0] ? floor_tenant_find(f, id) : -1;

	return t >= 0 && s->tenant[t];
}

bool
scope_pool_visible(const struct scope *s, const struct floor *f, const char *pool_id)
{
	int p = pool_id[0] ? floor_pool_find(f, pool_id) : -1;

	return p >= 0 && s->pool[p];
}

bool
scope_agent_visible(const struct scope *s, const struct floor *f, int agent)
{
	return agent >= 0 && (uint32_t)agent < f->n_agents && s->pool[f->agents[agent].pool];
}

/* The id the scope knows agent a by. */
static void
scope_agent_id(const struct scope *s, const struct floor *f, int a, char out[PROTO_ID_MAX + 1])
{
	if (s->named[f->agents[a].pool])
		memcpy(out, f->agents[a].def.id, PROTO_ID_MAX + 1);
	else
		snprintf(out, PROTO_ID_MAX + 1, SCOPE_ANON_PREFIX "%d", a);
}

/* ------------------------------------------------------------ snapshot */

static void
scope_snapshot_agents(const struct scope *s, const struct floor *f, struct proto_snapshot *snap)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < snap->n_agents && i < f->n_agents; i++) {
		struct proto_agent a = snap->agents[i];

		if (!scope_agent_visible(s, f, (int)i))
			continue;
		if (!s->named[f->agents[i].pool]) {
			scope_agent_id(s, f, (int)i, a.id);
			proto_strlcpy(a.name, SCOPE_ANON_NAME, PROTO_NAME_MAX);
			a.handled = 0;
		}
		if (!scope_tenant_visible(s, f, a.tenant)) {
			a.tenant[0] = '\0';
			a.contact = 0;
		}
		if (!scope_pool_visible(s, f, a.handling_pool))
			a.handling_pool[0] = '\0';
		/* a home pool out of sight is another tenant's: not named */
		if (!s->named[f->agents[i].pool] || !scope_pool_visible(s, f, a.home))
			a.home[0] = '\0';
		snap->agents[n++] = a;
	}
	snap->n_agents = n;
}

void
scope_snapshot(const struct scope *s, const struct floor *f, struct proto_snapshot *snap)
{
	uint32_t n = 0;

	for (uint32_t t = 0; t < snap->n_tenants && t < s->n_tenants; t++)
		if (s->tenant[t])
			snap->tenants[n++] = snap->tenants[t];
	snap->n_tenants = n;

	n = 0;
	for (uint32_t p = 0; p < snap->n_pools && p < s->n_pools; p++) {
		struct proto_pool *pp = &snap->pools[p];
		uint32_t k = 0;

		if (!s->pool[p]) {
			free(pp->serves);
			free(pp->trained);
			continue;
		}
		for (uint32_t i = 0; i < pp->n_serves; i++)
			if (scope_tenant_visible(s, f, pp->serves[i]))
				memcpy(pp->serves[k++], pp->serves[i], sizeof pp->serves[i]);
		pp->n_serves = k;
		/* who the pool is trained for names tenants too */
		k = 0;
		for (uint32_t i = 0; i < pp->n_trained; i++)
			if (scope_tenant_visible(s, f, pp->trained[i]))
				memcpy(pp->trained[k++], pp->trained[i], sizeof pp->trained[i]);
		pp->n_trained = k;
		snap->pools[n++] = *pp;
	}
	for (uint32_t p = n; p < snap->n_pools; p++) {
		snap->pools[p].serves = NULL;
		snap->pools[p].trained = NULL;
	}
	snap->n_pools = n;

	scope_snapshot_agents(s, f, snap);

	n = 0;
	for (uint32_t i = 0; i < snap->n_queues; i++) {
		if (scope_tenant_visible(s, f, snap->queues[i].tenant))
			snap->queues[n++] = snap->queues[i];
		else
			free(snap->queues[i].contacts);
	}
	for (uint32_t i = n; i < snap->n_queues; i++)
		snap->queues[i].contacts = NULL;
	snap->n_queues = n;

	/* A row's sl_intervals go with it (a parallel array): kept in step,
	 * or another tenant's quarter hours would go out under this one's
	 * name; a dropped row's are freed. */
	n = 0;
	for (uint32_t i = 0; i < snap->n_stats; i++) {
		if (scope_tenant_visible(s, f, snap->stats[i].tenant)) {
			if (snap->stats_sl != NULL)
				snap->stats_sl[n] = snap->stats_sl[i];
			snap->stats[n++] = snap->stats[i];
		} else if (snap->stats_sl != NULL) {
			proto_sl_set(&snap->stats_sl[i], NULL, 0);
		}
	}
	if (snap->stats_sl != NULL)
		for (uint32_t i = n; i < snap->n_stats; i++)
			snap->stats_sl[i] = (struct proto_sl_row){ 0, NULL };
	snap->n_stats = n;
}

/* ------------------------------------------------------------ events */

/* A contact event of a tenant out of scope, on an agent the scope sees: the
 * agent's new state, without the tenant. */
static enum scope_verdict
scope_event_as_state(const struct scope *s, const struct floor *f, int a,
                     const struct proto_event *ev, struct proto_event *out)
{
	memset(out, 0, sizeof *out);
	out->type = PROTO_EV_AGENT_STATE;
	out->epoch = ev->epoch;
	out->seq = ev->seq;
	out->ts = ev->ts;
	scope_agent_id(s, f, a, out->agent);
	out->state = f->agents[a].def.state;
	return SCOPE_PASS;
}

enum scope_verdict
scope_event(const struct scope *s, const struct floor *f, const struct proto_event *ev,
            struct proto_event *out)
{
	int a;
	bool tv;

	*out = *ev;
	switch (ev->type) {
	case PROTO_EV_HB:
	case PROTO_EV_SHIFT_STARTED:
	case PROTO_EV_FLOOR_RESET:
		return SCOPE_PASS;
	case PROTO_EV_CONTACT_QUEUED:
	case PROTO_EV_CONTACT_ABANDONED:
		return scope_tenant_visible(s, f, ev->tenant) ? SCOPE_PASS : SCOPE_DROP;
	case PROTO_EV_CONTACT_ANSWERED:
	case PROTO_EV_CONTACT_ENDED:
	case PROTO_EV_CONTACT_WRAPPED:
		a = floor_agent_find(f, ev->agent);
		tv = scope_tenant_visible(s, f, ev->tenant);
		if (!scope_agent_visible(s, f, a))
			/* An in-scope contact on an agent moved out of sight
			 * mid-contact: its figures come with a new snapshot. */
			return tv ? SCOPE_RESET : SCOPE_DROP;
		if (!tv)
			return scope_event_as_state(s, f, a, ev, out);
		scope_agent_id(s, f, a, out->agent);
		return SCOPE_PASS;
	case PROTO_EV_AGENT_STATE:
		a = floor_agent_find(f, ev->agent);
		if (!scope_agent_visible(s, f, a))
			return SCOPE_DROP;
		scope_agent_id(s, f, a, out->agent);
		if (!scope_tenant_visible(s, f, ev->tenant))
			out->tenant[0] = '\0';
		return SCOPE_PASS;
	case PROTO_EV_AGENT_MOVED: {
		int from = floor_pool_find(f, ev->from), to = floor_pool_find(f, ev->to);
		bool fv = from >= 0 && s->pool[from], tov = to >= 0 && s->pool[to];

		if (!fv && !tov)
			return SCOPE_DROP;
		/* Between two named pools the agent keeps its id: pass it.
		 * Anything else changes what the scope sees of the agent
		 * (it appears, vanishes or changes its id): resnapshot. */
		if (fv && tov && s->named[from] && s->named[to])
			return SCOPE_PASS;
		return SCOPE_RESET;
	}
	default:
		return SCOPE_DROP;
	}
}

/* ------------------------------------------------------------ history, audit */

uint32_t
scope_history(const struct scope *s, const struct floor *f, struct proto_stats_row *rows,
              uint32_t n)
{
	return scope_history_sl(s, f, rows, NULL, n);
}

uint32_t
scope_history_sl(const struct scope *s, const struct floor *f, struct proto_stats_row *rows,
                 struct proto_sl_row *sl, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (!scope_tenant_visible(s, f, rows[i].tenant)) {
			/* a row dropped takes its intervals with it: the
			 * caller frees only the k rows kept */
			if (sl)
				proto_sl_set(&sl[i], NULL, 0);
			continue;
		}
		if (sl && k != i)
			sl[k] = sl[i];
		rows[k++] = rows[i];
	}
	return k;
}

uint32_t
scope_audit(const struct scope *s, const struct floor *f, struct proto_audit_row *rows,
            uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		int from = floor_pool_find(f, rows[i].from), to = floor_pool_find(f, rows[i].to);

		if (from < 0 || to < 0 || !s->pool[from] || !s->pool[to])
			continue;
		/* A move between shared pools names an agent the scope sees
		 * only anonymously; a move that touched a named pool names an
		 * agent that was in that scope's own team. */
		if (!s->named[from] && !s->named[to]) {
			int a = floor_agent_find(f, rows[i].agent);
			if (a < 0)
				continue;
			snprintf(rows[i].agent, sizeof rows[i].agent, SCOPE_ANON_PREFIX "%d", a);
		}
		rows[k++] = rows[i];
	}
	return k;
}

/* ------------------------------------------------------------ moves */

int
scope_move_check(const struct scope *s, const struct floor *f, const uint32_t *agents,
                 uint32_t n_agents, int to, char *msg, size_t msglen)
{
	if (!s->named[to]) {
		if (s->pool[to])
			snprintf(msg, msglen, "pool '%s' also serves a tenant outside your key's scope; "
			         "your key may move agents only between pools whose tenants are all in it",
			         f->pools[to].def.id);
		else	/* worded as for a pool that does not exist: no probing */
			snprintf(msg, msglen, "there is no pool '%s' in your key's scope", f->pools[to].def.id);
		return -1;
	}
	for (uint32_t i = 0; i < n_agents; i++) {
		const struct floor_agent *a = &f->agents[agents[i]];

		if (!s->pool[a->pool]) {
			snprintf(msg, msglen, "there is no agent '%s' in your key's scope", a->def.id);
			return -1;
		}
		if (!s->named[a->pool]) {
			snprintf(msg, msglen, "an agent you named is in pool '%s', which also serves a tenant "
			         "outside your key's scope", f->pools[a->pool].def.id);
			return -1;
		}
	}
	return 0;
}
