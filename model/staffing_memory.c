/*
 * staffing_memory: what the advice remembers between evaluations, kept
 * by the caller as plain data — patience observations per tenant, and
 * when each agent and pool last moved (the hold time).  Fed the same
 * events the floor applies, so pooltopd, the dashboard and the bench
 * remember the same things.
 */
#include <stdlib.h>
#include <string.h>

#include "pooltop/staffing.h"

int
staffing_memory_init(struct staffing_memory *m, const struct floor *f)
{
	memset(m, 0, sizeof(*m));
	m->obs = calloc(f->n_tenants ? f->n_tenants : 1, sizeof(*m->obs));
	m->moved_ts = malloc((f->n_agents ? f->n_agents : 1) * sizeof(*m->moved_ts));
	m->gave_ts = malloc((f->n_pools ? f->n_pools : 1) * sizeof(*m->gave_ts));
	m->got_ts = malloc((f->n_pools ? f->n_pools : 1) * sizeof(*m->got_ts));
	if (!m->obs || !m->moved_ts || !m->gave_ts || !m->got_ts) {
		staffing_memory_free(m);
		return -1;
	}
	m->n_tenants = f->n_tenants;
	m->n_agents = f->n_agents;
	m->n_pools = f->n_pools;
	for (uint32_t i = 0; i < f->n_agents; i++)
		m->moved_ts[i] = INT64_MIN;
	for (uint32_t i = 0; i < f->n_pools; i++)
		m->gave_ts[i] = m->got_ts[i] = INT64_MIN;
	return 0;
}

void
staffing_memory_free(struct staffing_memory *m)
{
	free(m->obs);
	free(m->moved_ts);
	free(m->gave_ts);
	free(m->got_ts);
	memset(m, 0, sizeof(*m));
}

void
staffing_memory_observe(struct staffing_memory *m, const struct floor *f,
                        const struct proto_event *ev)
{
	int t, a, p;

	switch (ev->type) {
	case PROTO_EV_CONTACT_ANSWERED:
	case PROTO_EV_CONTACT_ABANDONED:
		t = floor_tenant_find(f, ev->tenant);
		if (t < 0 || (uint32_t)t >= m->n_tenants)
			return;
		/* a contact answered at once says nothing about patience; its
		 * zero wait adds nothing to the sum either */
		if (ev->wait_ms > 0 || ev->type == PROTO_EV_CONTACT_ABANDONED)
			m->obs[t].waited++;
		m->obs[t].wait_s += (double)ev->wait_ms / 1000.0;
		if (ev->type == PROTO_EV_CONTACT_ABANDONED)
			m->obs[t].abandoned++;
		return;
	case PROTO_EV_AGENT_MOVED:
		a = floor_agent_find(f, ev->agent);
		if (a >= 0 && (uint32_t)a < m->n_agents)
			m->moved_ts[a] = ev->ts;
		p = floor_pool_find(f, ev->from);
		if (p >= 0 && (uint32_t)p < m->n_pools)
			m->gave_ts[p] = ev->ts;
		p = floor_pool_find(f, ev->to);
		if (p >= 0 && (uint32_t)p < m->n_pools)
			m->got_ts[p] = ev->ts;
		return;
	default:
		return;
	}
}
