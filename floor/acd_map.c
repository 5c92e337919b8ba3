/*
 * queue_log verbs -> protocol events (docs/ASTERISK.md has the table and
 * the rules for messy logs).  The clock only moves forward: a line older
 * than the one before it is taken at the current clock.  Durations come
 * from the data fields (holdtime, calltime, waittime), so a late line
 * changes when something is counted, never how long it took.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/acd_map.h"
#include "pooltop/acd_tab.h"

#define NONE UINT32_MAX
#define ACD_REASON_MAX 64
#define ACD_BY "asterisk"
#define ACD_IFACE_MAX 80
#define ACD_QNAME_MAX 80

enum acd_call_state { CS_FREE, CS_WAITING, CS_ANSWERED, CS_DONE };

struct acd_call {
	char key[ACD_TAB_KEY_MAX + 1];  /* callid, 0x1f, queue index */
	uint8_t klen;
	uint8_t st;
	uint32_t gen;                   /* bumped when the slot is reused */
	uint32_t tenant;
	uint32_t agent;
	uint64_t contact;
	int64_t created_ts;             /* when this key was last queued */
	int64_t queued_ts;
	int64_t answered_ts;
	uint32_t next_free;
};

struct acd_agent {
	char id[PROTO_ID_MAX + 1];
	uint32_t pool;
	enum proto_agent_state st;      /* as published */
	bool paused;
	bool acw;                       /* wrap-up held open by an ACW pause */
	bool logged_in;                 /* AGENTLOGIN without AGENTLOGOFF */
	bool wrapping;                  /* a contact.wrapped is still due */
	bool off_after;                 /* went off duty while busy: offline once wrapped */
	bool hold;                      /* a move waits for the PBX: pool stays */
	bool dirty;                     /* membership changed while held */
	char reason[ACD_REASON_MAX];
	uint32_t call;                  /* call slot while busy, NONE otherwise */
	uint32_t tenant;                /* of the contact in busy/wrap */
	uint64_t contact;
	int64_t ended_ts;
	uint32_t wrap_gen;
	uint32_t n_q, cap_q;
	uint32_t *q;                    /* member of these queues (a set) */
	uint32_t n_rq, cap_rq;
	uint32_t *rq;                   /* AMI QueueStatus being rebuilt */
	bool rpaused;
	char iface[ACD_IFACE_MAX];      /* for QueueAdd/QueueRemove; "" = unknown */
};

struct acd_timer {
	int64_t due;
	uint32_t agent;
	uint32_t gen;
};

struct acd_fifo_ent {
	int64_t ts;
	uint32_t slot;
	uint32_t gen;
};

struct acd_fifo {
	struct acd_fifo_ent *v;
	uint32_t head, len, cap;
};

struct acd_pool {
	uint32_t n;
	uint32_t *tenants;              /* sorted */
};

struct acd_map {
	const struct scenario *sc;
	acd_emit_fn emit;
	acd_clock_fn clock;
	void *ctx;
	int64_t now;
	uint64_t next_contact;

	struct acd_tab queues;          /* queue name -> queue index */
	uint32_t n_queues, cap_queues;
	uint32_t *qtenant;              /* queue index -> tenant index */
	char (*qname)[ACD_QNAME_MAX];
	struct acd_tab names;           /* member name, alias, id -> agent */
	struct acd_tab ids;             /* agent id -> agent (unique ids) */
	struct acd_tab calls;           /* key -> call slot */
	struct acd_pool *pools;
	uint32_t *wrap_s;               /* per tenant: wrap-up seconds */
	uint32_t *n_waiting;            /* per tenant: calls WAITING */

	struct acd_agent *agents;
	uint32_t n_agents, cap_agents;
	struct acd_call *callv;
	uint32_t n_calls, cap_calls, free_call;

	struct acd_timer *heap;
	uint32_t n_heap, cap_heap;
	struct acd_fifo done;           /* answered/done calls to forget */
	struct acd_fifo waiting;        /* queued calls, to find lost ones */

	char acw[8][ACD_REASON_MAX];
	uint32_t n_acw;

	struct acd_counts counts;
};

static const char *const acd_count_names[ACD_C__COUNT] = {
	[ACD_C_LINES] = "lines",
	[ACD_C_BLANK] = "blank",
	[ACD_C_MALFORMED] = "malformed",
	[ACD_C_LATE] = "out of order",
	[ACD_C_DUP_ENTER] = "repeated ENTERQUEUE",
	[ACD_C_ORPHAN] = "calls never seen queued",
	[ACD_C_STALE] = "lines about finished calls",
	[ACD_C_SHORT] = "short lines",
	[ACD_C_UNMAPPED] = "unmapped queue",
	[ACD_C_LOST_END] = "calls without COMPLETE",
	[ACD_C_LOST_WAIT] = "calls without exit",
	[ACD_C_NEW_AGENTS] = "new agents",
	[ACD_C_POOL_MOVES] = "pool changes",
	[ACD_C_NO_POOL] = "memberships matching no pool",
	[ACD_C_FULL] = "turned away by a full queue",
	[ACD_C_TOO_MANY_AGENTS] = "agents over the limit",
	[ACD_C_EVENTS] = "events",
};

static const char *const acd_count_keys[ACD_C__COUNT] = {
	[ACD_C_LINES] = "lines",
	[ACD_C_BLANK] = "blank",
	[ACD_C_MALFORMED] = "malformed",
	[ACD_C_LATE] = "late",
	[ACD_C_DUP_ENTER] = "dup_enter",
	[ACD_C_ORPHAN] = "orphan",
	[ACD_C_STALE] = "stale",
	[ACD_C_SHORT] = "short",
	[ACD_C_UNMAPPED] = "unmapped",
	[ACD_C_LOST_END] = "lost_end",
	[ACD_C_LOST_WAIT] = "lost_wait",
	[ACD_C_NEW_AGENTS] = "new_agents",
	[ACD_C_POOL_MOVES] = "pool_moves",
	[ACD_C_NO_POOL] = "no_pool",
	[ACD_C_FULL] = "full",
	[ACD_C_TOO_MANY_AGENTS] = "too_many_agents",
	[ACD_C_EVENTS] = "events",
};

const char *
acd_count_key(enum acd_count c)
{
	return (unsigned)c < ACD_C__COUNT ? acd_count_keys[c] : "?";
}

const char *
acd_count_name(enum acd_count c)
{
	return (unsigned)c < ACD_C__COUNT ? acd_count_names[c] : "?";
}

/* ------------------------------------------------------------ lists */

static char *
acd_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Calls fn for each non-empty comma-separated item of list. */
static int
acd_each_item(const char *list, int (*fn)(struct acd_map *, const char *, uint32_t),
              struct acd_map *m, uint32_t arg)
{
	char buf[1024];
	char *p, *save = NULL;

	snprintf(buf, sizeof buf, "%s", list);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *it = acd_trim(p);
		if (*it && fn(m, it, arg) < 0)
			return -1;
	}
	return 0;
}

/* The first tenant to list a queue keeps it. */
static int
acd_add_queue(struct acd_map *m, const char *name, uint32_t tenant)
{
	size_t n = strlen(name);

	if (n >= ACD_QNAME_MAX || acd_tab_get(&m->queues, name, n) >= 0)
		return 0;
	if (m->n_queues == m->cap_queues) {
		uint32_t cap = m->cap_queues ? m->cap_queues * 2 : 16;
		uint32_t *t = realloc(m->qtenant, cap * sizeof *t);
		char (*q)[ACD_QNAME_MAX];
		if (t == NULL)
			return -1;
		m->qtenant = t;
		q = realloc(m->qname, cap * sizeof *q);
		if (q == NULL)
			return -1;
		m->qname = q;
		m->cap_queues = cap;
	}
	m->qtenant[m->n_queues] = tenant;
	memcpy(m->qname[m->n_queues], name, n + 1);
	return acd_tab_put(&m->queues, name, n, m->n_queues++);
}

/* Queue index of a name, -1 when no tenant lists it. */
static int64_t
acd_queue_find(const struct acd_map *m, const char *name)
{
	return acd_tab_get(&m->queues, name, strlen(name));
}

static int
acd_add_name(struct acd_map *m, const char *name, uint32_t agent)
{
	size_t n = strlen(name);

	/* the first agent to claim a name keeps it */
	if (n > ACD_TAB_KEY_MAX || acd_tab_get(&m->names, name, n) >= 0)
		return 0;
	return acd_tab_put(&m->names, name, n, agent);
}

static int
acd_add_acw(struct acd_map *m, const char *reason, uint32_t unused)
{
	(void)unused;
	if (m->n_acw < sizeof m->acw / sizeof m->acw[0])
		snprintf(m->acw[m->n_acw++], ACD_REASON_MAX, "%s", reason);
	return 0;
}

static int
acd_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------ events */

static void
acd_out(struct acd_map *m, struct proto_event *ev)
{
	ev->ts = m->now;
	m->counts.c[ACD_C_EVENTS]++;
	m->emit(m->ctx, ev);
}

static void
acd_out_contact(struct acd_map *m, enum proto_event_type type, uint32_t tenant,
                uint64_t contact, int agent, uint64_t ms, const char *exitwhy)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.contact = contact;
	proto_strlcpy(ev.tenant, m->sc->tenants[tenant].def.id, PROTO_ID_MAX);
	if (agent >= 0)
		proto_strlcpy(ev.agent, m->agents[agent].id, PROTO_ID_MAX);
	ev.channel = PROTO_CH_VOICE;
	ev.wait_ms = ev.talk_ms = ev.wrap_ms = ms;
	if (exitwhy)
		proto_strlcpy(ev.exit, exitwhy, PROTO_ID_MAX);
	acd_out(m, &ev);
}

static void
acd_out_state(struct acd_map *m, uint32_t a, enum proto_agent_state st)
{
	struct acd_agent *ag = &m->agents[a];
	struct proto_event ev;

	if (ag->st == st)
		return;
	ag->st = st;
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_STATE;
	proto_strlcpy(ev.agent, ag->id, PROTO_ID_MAX);
	ev.state = st;
	if (st == PROTO_AS_BREAK)
		proto_strlcpy(ev.reason, ag->reason, PROTO_TEXT_MAX);
	acd_out(m, &ev);
}

static void
acd_out_moved(struct acd_map *m, uint32_t a, int from, const char *why, const char *name)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	proto_strlcpy(ev.agent, m->agents[a].id, PROTO_ID_MAX);
	if (from >= 0)
		proto_strlcpy(ev.from, m->sc->pools[from].def.id, PROTO_ID_MAX);
	proto_strlcpy(ev.to, m->sc->pools[m->agents[a].pool].def.id, PROTO_ID_MAX);
	proto_strlcpy(ev.by, ACD_BY, PROTO_ID_MAX);
	proto_strlcpy(ev.reason, why, PROTO_TEXT_MAX);
	if (name)
		proto_strlcpy(ev.name, name, PROTO_NAME_MAX);
	acd_out(m, &ev);
}

/* ------------------------------------------------------------ timers */

static bool
acd_timer_less(const struct acd_timer *a, const struct acd_timer *b)
{
	return a->due < b->due || (a->due == b->due && a->agent < b->agent);
}

static int
acd_timer_push(struct acd_map *m, int64_t due, uint32_t agent, uint32_t gen)
{
	struct acd_timer t = { due, agent, gen };
	uint32_t i;

	if (m->n_heap == m->cap_heap) {
		uint32_t cap = m->cap_heap ? m->cap_heap * 2 : 256;
		struct acd_timer *h = realloc(m->heap, cap * sizeof *h);
		if (h == NULL)
			return -1;
		m->heap = h;
		m->cap_heap = cap;
	}
	i = m->n_heap++;
	while (i > 0 && acd_timer_less(&t, &m->heap[(i - 1) / 2])) {
		m->heap[i] = m->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	m->heap[i] = t;
	return 0;
}

static struct acd_timer
acd_timer_pop(struct acd_map *m)
{
	struct acd_timer top = m->heap[0], last = m->heap[--m->n_heap];
	uint32_t i = 0, n = m->n_heap;

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && acd_timer_less(&m->heap[c + 1], &m->heap[c]))
			c++;
		if (!acd_timer_less(&m->heap[c], &last))
			break;
		m->heap[i] = m->heap[c];
		i = c;
	}
	if (n > 0)
		m->heap[i] = last;
	return top;
}

/* ------------------------------------------------------------ fifos */

static int
acd_fifo_push(struct acd_fifo *f, int64_t ts, uint32_t slot, uint32_t gen)
{
	if (f->head > 0 && f->head + f->len == f->cap) {
		memmove(f->v, f->v + f->head, f->len * sizeof *f->v);
		f->head = 0;
	}
	if (f->len == f->cap) {
		uint32_t cap = f->cap ? f->cap * 2 : 256;
		struct acd_fifo_ent *v = realloc(f->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->head + f->len++] = (struct acd_fifo_ent){ ts, slot, gen };
	return 0;
}

static const struct acd_fifo_ent *
acd_fifo_head(const struct acd_fifo *f)
{
	return f->len ? &f->v[f->head] : NULL;
}

static void
acd_fifo_pop(struct acd_fifo *f)
{
	f->head++;
	if (--f->len == 0)
		f->head = 0;
}

/* ------------------------------------------------------------ calls */

static void
acd_call_free(struct acd_map *m, uint32_t slot)
{
	struct acd_call *c = &m->callv[slot];

	acd_tab_del(&m->calls, c->key, c->klen);
	c->st = CS_FREE;
	c->gen++;
	c->next_free = m->free_call;
	m->free_call = slot;
}

static uint32_t
acd_call_new(struct acd_map *m, const char *key, size_t klen)
{
	uint32_t slot;

	if (m->free_call != NONE) {
		slot = m->free_call;
		m->free_call = m->callv[slot].next_free;
	} else {
		if (m->n_calls == m->cap_calls) {
			uint32_t cap = m->cap_calls ? m->cap_calls * 2 : 1024;
			struct acd_call *v = realloc(m->callv, cap * sizeof *v);
			if (v == NULL)
				return NONE;
			m->callv = v;
			m->cap_calls = cap;
		}
		slot = m->n_calls++;
		m->callv[slot].gen = 0;
	}
	if (acd_tab_put(&m->calls, key, klen, slot) < 0) {
		m->callv[slot].next_free = m->free_call;
		m->free_call = slot;
		return NONE;
	}
	memcpy(m->callv[slot].key, key, klen);
	m->callv[slot].klen = (uint8_t)klen;
	m->callv[slot].st = CS_FREE;
	m->callv[slot].agent = NONE;
	return slot;
}

/* callid + 0x1f + queue name: one call may pass through several queues. */
static size_t
acd_call_key(const struct acd_qlog_line *l, char *key)
{
	size_t a = strlen(l->callid), b = strlen(l->queue);

	if (a + b + 1 > ACD_TAB_KEY_MAX)
		return 0;
	memcpy(key, l->callid, a);
	key[a] = '\x1f';
	memcpy(key + a + 1, l->queue, b);
	return a + b + 1;
}

static void acd_call_done(struct acd_map *m, uint32_t slot);

/* A new contact for this call: contact.queued now. */
static void
acd_call_queue(struct acd_map *m, uint32_t slot, uint32_t tenant)
{
	struct acd_call *c = &m->callv[slot];
	bool full;

	c->st = CS_WAITING;
	c->tenant = tenant;
	c->contact = ++m->next_contact;
	c->created_ts = c->queued_ts = m->now;
	c->agent = NONE;
	acd_out_contact(m, PROTO_EV_CONTACT_QUEUED, tenant, c->contact, -1, 0, NULL);
	/* counted while WAITING, so that leaving the queue (acd_call_done,
	 * for a turned-away call too) always takes one off */
	full = m->n_waiting[tenant] >= ACD_QUEUE_MAX;
	m->n_waiting[tenant]++;
	if (full) {
		m->counts.c[ACD_C_FULL]++;
		acd_out_contact(m, PROTO_EV_CONTACT_ABANDONED, tenant, c->contact, -1, 0, "full");
		acd_call_done(m, slot);
		return;
	}
	acd_fifo_push(&m->waiting, m->now, slot, c->gen);
}

/* The call leaves the queue (answered, exited, lost). */
static void
acd_call_unwait(struct acd_map *m, uint32_t slot)
{
	struct acd_call *c = &m->callv[slot];

	if (c->st == CS_WAITING && m->n_waiting[c->tenant] > 0)
		m->n_waiting[c->tenant]--;
}

static void
acd_call_done(struct acd_map *m, uint32_t slot)
{
	acd_call_unwait(m, slot);
	m->callv[slot].st = CS_DONE;
	acd_fifo_push(&m->done, m->now, slot, m->callv[slot].gen);
}

/* ------------------------------------------------------------ agents */

static int
acd_agent_add(struct acd_map *m, const char *id, uint32_t pool)
{
	struct acd_agent *ag;

	if (m->n_agents == m->cap_agents) {
		uint32_t cap = m->cap_agents ? m->cap_agents * 2 : 64;
		struct acd_agent *v = realloc(m->agents, cap * sizeof *v);
		if (v == NULL)
			return -1;
		m->agents = v;
		m->cap_agents = cap;
	}
	ag = &m->agents[m->n_agents];
	memset(ag, 0, sizeof *ag);
	proto_strlcpy(ag->id, id, PROTO_ID_MAX);
	ag->pool = pool;
	ag->st = PROTO_AS_OFFLINE;
	ag->call = NONE;
	if (acd_tab_put(&m->ids, ag->id, strlen(ag->id), m->n_agents) < 0)
		return -1;
	return (int)m->n_agents++;
}

static int
acd_pool_serving(const struct acd_map *m, uint32_t tenant)
{
	int any = -1;

	for (uint32_t p = 0; p < m->sc->n_pools; p++) {
		const struct acd_pool *ap = &m->pools[p];
		for (uint32_t i = 0; i < ap->n; i++) {
			if (ap->tenants[i] != tenant)
				continue;
			if (ap->n == 1)
				return (int)p;
			if (any < 0)
				any = (int)p;
		}
	}
	return any;
}

/* An id for a member the scenario does not list: its log name when that
 * is a usable id, else a cut of it with a hash, unique either way. */
static void
acd_agent_id(const struct acd_map *m, const char *name, char *id)
{
	size_t n = strlen(name);
	uint64_t h = 1469598103934665603ULL;
	size_t i, base;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
	for (i = 0; i < n && i < PROTO_ID_MAX; i++) {
		unsigned char ch = (unsigned char)name[i];
		id[i] = (ch < 0x20 || ch >= 0x7f) ? '_' : (char)ch;
	}
	id[i] = '\0';
	/* too long, or taken (two names may sanitize alike): the first 20
	 * bytes, '~', a hash of the whole name and a counter */
	base = i < 20 ? i : 20;
	for (uint32_t k = 0; n > PROTO_ID_MAX || acd_tab_get(&m->ids, id, strlen(id)) >= 0; k++) {
		snprintf(id + base, PROTO_ID_MAX + 1 - base, "~%08llx%02x",
		         (unsigned long long)(h & 0xffffffffu), k & 0xff);
		n = 0;
		if (k == 255)
			break;
	}
}

/* The agent a member name stands for, created when first seen. */
static int
acd_agent_of(struct acd_map *m, const struct acd_qlog_line *l)
{
	const char *name = l->agent;
	size_t n = strlen(name);
	int64_t a = acd_tab_get(&m->names, name, n);
	char id[PROTO_ID_MAX + 1], why[160];
	int64_t t;
	int pool = -1, na;

	if (a >= 0)
		return (int)a;
	if (n == 0 || strcmp(name, "NONE") == 0)
		return -1;
	if (m->n_agents >= PROTO_AGENTS_MAX) {
		m->counts.c[ACD_C_TOO_MANY_AGENTS]++;
		return -1;
	}
	t = acd_queue_find(m, l->queue);
	if (t >= 0)
		pool = acd_pool_serving(m, m->qtenant[t]);
	if (pool < 0)
		pool = 0;
	acd_agent_id(m, name, id);
	na = acd_agent_add(m, id, (uint32_t)pool);
	if (na < 0 || acd_tab_put(&m->names, name, n > ACD_TAB_KEY_MAX ? ACD_TAB_KEY_MAX : n,
	                          (uint32_t)na) < 0)
		return -1;
	m->counts.c[ACD_C_NEW_AGENTS]++;
	snprintf(why, sizeof why, "first seen in queue_log as '%.100s'", name);
	acd_out_moved(m, (uint32_t)na, -1, why, name);
	return na;
}

static bool
acd_acw_reason(const struct acd_map *m, const char *reason)
{
	for (uint32_t i = 0; i < m->n_acw; i++)
		if (strcasecmp(m->acw[i], reason) == 0)
			return true;
	return false;
}

/* The agent's contact is done: contact.wrapped, then break or offline if
 * that is where the agent went meanwhile. */
static void
acd_agent_wrapped(struct acd_map *m, uint32_t a)
{
	struct acd_agent *ag = &m->agents[a];

	ag->wrapping = false;
	ag->acw = false;
	ag->wrap_gen++;
	ag->st = PROTO_AS_IDLE;   /* implied by contact.wrapped */
	acd_out_contact(m, PROTO_EV_CONTACT_WRAPPED, ag->tenant, ag->contact, (int)a,
	                (uint64_t)(m->now - ag->ended_ts), NULL);
	/* an agent that answers without ever logging in is on duty: only an
	 * explicit REMOVEMEMBER/LOGOFF during the contact takes it offline */
	if (ag->off_after) {
		ag->off_after = false;
		acd_out_state(m, a, PROTO_AS_OFFLINE);
	} else if (ag->paused) {
		acd_out_state(m, a, PROTO_AS_BREAK);
	}
}

/* talk ended: contact.ended, wrap-up for the tenant's wrap seconds. */
static void
acd_agent_ended(struct acd_map *m, uint32_t a, uint64_t talk_ms)
{
	struct acd_agent *ag = &m->agents[a];
	uint32_t wrap = m->wrap_s[ag->tenant];

	ag->call = NONE;
	ag->st = PROTO_AS_WRAP;   /* implied by contact.ended */
	ag->ended_ts = m->now;
	ag->wrapping = true;
	ag->wrap_gen++;
	acd_out_contact(m, PROTO_EV_CONTACT_ENDED, ag->tenant, ag->contact, (int)a, talk_ms, NULL);
	if (acd_timer_push(m, m->now + (int64_t)wrap * 1000, a, ag->wrap_gen) < 0)
		acd_agent_wrapped(m, a);
}

/* The agent must be free for a new contact: a wrap-up still open ends
 * now, and a call never completed ends now (its COMPLETE was lost). */
static void
acd_agent_free(struct acd_map *m, uint32_t a)
{
	struct acd_agent *ag = &m->agents[a];

	if (ag->call != NONE) {
		struct acd_call *c = &m->callv[ag->call];
		uint64_t talk = (uint64_t)(m->now - c->answered_ts);
		m->counts.c[ACD_C_LOST_END]++;
		acd_call_done(m, ag->call);
		acd_agent_ended(m, a, talk);
	}
	if (ag->wrapping)
		acd_agent_wrapped(m, a);
}

static void
acd_agent_on(struct acd_map *m, uint32_t a)
{
	struct acd_agent *ag = &m->agents[a];

	ag->off_after = false;
	if (ag->st == PROTO_AS_OFFLINE)
		acd_out_state(m, a, ag->paused ? PROTO_AS_BREAK : PROTO_AS_IDLE);
}

/* Off duty now, or once the contact in hand is wrapped. */
static void
acd_agent_off(struct acd_map *m, uint32_t a)
{
	struct acd_agent *ag = &m->agents[a];

	if (ag->st == PROTO_AS_BUSY || ag->st == PROTO_AS_WRAP)
		ag->off_after = true;
	else
		acd_out_state(m, a, PROTO_AS_OFFLINE);
}

static void
acd_agent_off_maybe(struct acd_map *m, uint32_t a)
{
	struct acd_agent *ag = &m->agents[a];

	if (ag->logged_in || ag->n_q > 0)
		return;
	acd_agent_off(m, a);
}

/* The pool whose tenants are exactly those of the agent's queues. */
static void
acd_agent_repool(struct acd_map *m, uint32_t a)
{
	struct acd_agent *ag = &m->agents[a];
	uint32_t ts[64], n = 0;
	char why[PROTO_TEXT_MAX + 1] = "queue membership:";
	size_t wl = strlen(why);

	if (ag->hold) {
		ag->dirty = true;
		return;
	}
	if (ag->n_q == 0)
		return;
	for (uint32_t i = 0; i < ag->n_q && n < 64; i++) {
		uint32_t t = m->qtenant[ag->q[i]];
		bool dup = false;
		for (uint32_t j = 0; j < n; j++)
			dup = dup || ts[j] == t;
		if (!dup)
			ts[n++] = t;
	}
	qsort(ts, n, sizeof ts[0], acd_u32_cmp);
	for (uint32_t p = 0; p < m->sc->n_pools; p++) {
		const struct acd_pool *ap = &m->pools[p];
		if (ap->n != n || memcmp(ap->tenants, ts, n * sizeof ts[0]) != 0)
			continue;
		if (p != ag->pool) {
			uint32_t from = ag->pool;
			for (uint32_t i = 0; i < n && wl + 2 < sizeof why; i++) {
				snprintf(why + wl, sizeof why - wl, " %s", m->sc->tenants[ts[i]].def.id);
				wl = strlen(why);
			}
			ag->pool = p;
			m->counts.c[ACD_C_POOL_MOVES]++;
			acd_out_moved(m, a, (int)from, why, NULL);
		}
		return;
	}
	m->counts.c[ACD_C_NO_POOL]++;
}

/* Add queue q to a set; false when it was there or no memory. */
static bool
acd_set_add(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t q)
{
	for (uint32_t i = 0; i < *n; i++)
		if ((*v)[i] == q)
			return false;
	if (*n == *cap) {
		uint32_t c = *cap ? *cap * 2 : 4;
		uint32_t *p = c > 65536 ? NULL : realloc(*v, c * sizeof *p);
		if (p == NULL)
			return false;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = q;
	return true;
}

/* Membership is a set of queues (the queue_log and AMI may both report
 * one change); the pool follows the tenants of those queues. */
static void
acd_member(struct acd_map *m, uint32_t a, uint32_t q, bool add)
{
	struct acd_agent *ag = &m->agents[a];
	bool changed = false;

	if (add) {
		changed = acd_set_add(&ag->q, &ag->n_q, &ag->cap_q, q);
	} else {
		for (uint32_t i = 0; i < ag->n_q; i++) {
			if (ag->q[i] == q) {
				ag->q[i] = ag->q[--ag->n_q];
				changed = true;
				break;
			}
		}
	}
	if (changed)
		acd_agent_repool(m, a);
}

/* ------------------------------------------------------------ clock */

static void
acd_wraps_until(struct acd_map *m, int64_t ts, bool inclusive)
{
	while (m->n_heap > 0 && (m->heap[0].due < ts || (inclusive && m->heap[0].due <= ts))) {
		struct acd_timer t = acd_timer_pop(m);
		struct acd_agent *ag = &m->agents[t.agent];

		if (t.gen != ag->wrap_gen || !ag->wrapping || ag->acw)
			continue;
		if (t.due > m->now) {
			m->now = t.due;
			m->clock(m->ctx, m->now);
		}
		acd_agent_wrapped(m, t.agent);
	}
}

/* Forget finished calls, and give up on calls waiting for too long. */
static void
acd_expire(struct acd_map *m)
{
	const struct acd_fifo_ent *e;

	while ((e = acd_fifo_head(&m->done)) != NULL && e->ts + ACD_DONE_KEEP_MS <= m->now) {
		struct acd_call *c = &m->callv[e->slot];
		if (c->gen == e->gen && c->st == CS_DONE)
			acd_call_free(m, e->slot);
		acd_fifo_pop(&m->done);
	}
	while ((e = acd_fifo_head(&m->waiting)) != NULL && e->ts + ACD_WAIT_MAX_MS <= m->now) {
		uint32_t slot = e->slot;
		struct acd_call *c = &m->callv[slot];
		if (c->gen == e->gen && c->st == CS_WAITING && c->queued_ts == e->ts) {
			m->counts.c[ACD_C_LOST_WAIT]++;
			acd_out_contact(m, PROTO_EV_CONTACT_ABANDONED, c->tenant, c->contact, -1,
			                (uint64_t)(m->now - c->queued_ts), "lost");
			acd_fifo_pop(&m->waiting);
			acd_call_done(m, slot);
			continue;
		}
		acd_fifo_pop(&m->waiting);
	}
}

static void
acd_clock_to(struct acd_map *m, int64_t ts)
{
	acd_wraps_until(m, ts, false);
	if (ts > m->now) {
		m->now = ts;
		m->clock(m->ctx, m->now);
	}
	acd_expire(m);
}

void
acd_map_advance(struct acd_map *m, int64_t ts)
{
	acd_clock_to(m, ts);
}

void
acd_map_settle(struct acd_map *m)
{
	acd_wraps_until(m, m->now, true);
}

/* ------------------------------------------------------------ verbs */

/* Field i as ms, or `dflt` when the line does not have it (older
 * versions wrote fewer fields; empty fields happen). */
static uint64_t
acd_secs(struct acd_map *m, const struct acd_qlog_line *l, int i, int64_t dflt)
{
	int64_t v = i >= 0 ? acd_qlog_num(l, (uint32_t)i) : -1;

	if (i < 0)
		return dflt > 0 ? (uint64_t)dflt : 0;   /* the verb has no such field */
	if (v < 0) {
		m->counts.c[ACD_C_SHORT]++;
		return dflt > 0 ? (uint64_t)dflt : 0;
	}
	return (uint64_t)v * 1000;
}

static void
acd_on_enter(struct acd_map *m, const char *key, size_t klen, uint32_t tenant)
{
	int64_t s = acd_tab_get(&m->calls, key, klen);

	if (s >= 0) {
		struct acd_call *c = &m->callv[s];
		/* written twice, or late after the call's own CONNECT */
		if (c->st != CS_DONE || m->now <= c->created_ts) {
			m->counts.c[ACD_C_DUP_ENTER]++;
			return;
		}
		/* a finished call back in the same queue: a new contact */
		acd_call_queue(m, (uint32_t)s, tenant);
		return;
	}
	s = acd_call_new(m, key, klen);
	if (s >= 0 && (uint32_t)s != NONE)
		acd_call_queue(m, (uint32_t)s, tenant);
}

/* The call of a CONNECT/COMPLETE/exit line: WAITING, ANSWERED or DONE;
 * one never seen queued is queued now (NONE on no memory). */
static uint32_t
acd_call_find(struct acd_map *m, const char *key, size_t klen, uint32_t tenant)
{
	int64_t s = acd_tab_get(&m->calls, key, klen);

	if (s >= 0)
		return (uint32_t)s;
	s = acd_call_new(m, key, klen);
	if ((uint32_t)s == NONE)
		return NONE;
	m->counts.c[ACD_C_ORPHAN]++;
	acd_call_queue(m, (uint32_t)s, tenant);
	return (uint32_t)s;
}

static void
acd_answer(struct acd_map *m, uint32_t slot, int a, uint64_t wait_ms)
{
	struct acd_call *c = &m->callv[slot];
	struct acd_agent *ag = &m->agents[a];

	acd_agent_free(m, (uint32_t)a);
	acd_call_unwait(m, slot);
	c->st = CS_ANSWERED;
	c->agent = (uint32_t)a;
	c->answered_ts = m->now;
	ag->call = slot;
	ag->tenant = c->tenant;
	ag->contact = c->contact;
	ag->st = PROTO_AS_BUSY;   /* implied by contact.answered */
	acd_out_contact(m, PROTO_EV_CONTACT_ANSWERED, c->tenant, c->contact, a, wait_ms, NULL);
}

static void
acd_on_connect(struct acd_map *m, const struct acd_qlog_line *l, const char *key, size_t klen,
               uint32_t tenant)
{
	int a = acd_agent_of(m, l);
	uint32_t s;

	if (a < 0)
		return;
	s = acd_call_find(m, key, klen, tenant);
	if (s == NONE)
		return;
	if (m->callv[s].st != CS_WAITING) {
		m->counts.c[ACD_C_STALE]++;
		return;
	}
	acd_answer(m, s, a, acd_secs(m, l, 0, m->now - m->callv[s].queued_ts));
}

/* COMPLETECALLER/AGENT and transfers: holdtime and calltime at hold_i and
 * hold_i + 1 (transfers count from the end: ATTENDEDTRANSFER's first part
 * has one to three fields). */
static void
acd_on_complete(struct acd_map *m, const struct acd_qlog_line *l, const char *key, size_t klen,
                uint32_t tenant, int hold_i)
{
	uint32_t s = acd_call_find(m, key, klen, tenant);
	struct acd_call *c;
	uint64_t talk;
	int a;

	if (s == NONE)
		return;
	c = &m->callv[s];
	if (c->st == CS_DONE) {
		m->counts.c[ACD_C_STALE]++;
		return;
	}
	if (c->st == CS_WAITING) {
		/* its CONNECT is missing or comes later: answered now */
		if ((a = acd_agent_of(m, l)) < 0)
			return;
		acd_answer(m, s, a, acd_secs(m, l, hold_i, m->now - c->queued_ts));
		c = &m->callv[s];
	}
	a = (int)c->agent;
	talk = acd_secs(m, l, hold_i < 0 ? -1 : hold_i + 1, m->now - c->answered_ts);
	acd_call_done(m, s);
	if (m->agents[a].call == s)
		acd_agent_ended(m, (uint32_t)a, talk);
}

static void
acd_on_exit(struct acd_map *m, const struct acd_qlog_line *l, const char *key, size_t klen,
            uint32_t tenant, int wait_i, const char *why)
{
	uint32_t s = acd_call_find(m, key, klen, tenant);
	struct acd_call *c;

	if (s == NONE)
		return;
	c = &m->callv[s];
	if (c->st != CS_WAITING) {
		m->counts.c[ACD_C_STALE]++;
		return;
	}
	acd_out_contact(m, PROTO_EV_CONTACT_ABANDONED, c->tenant, c->contact, -1,
	                acd_secs(m, l, wait_i, m->now - c->queued_ts), why);
	acd_call_done(m, s);
}

static void acd_on_pause_agent(struct acd_map *m, uint32_t a, const struct acd_qlog_line *l,
                               bool pause);

static void
acd_on_pause(struct acd_map *m, const struct acd_qlog_line *l, bool pause)
{
	int a = acd_agent_of(m, l);

	if (a >= 0)
		acd_on_pause_agent(m, (uint32_t)a, l, pause);
}

static void
acd_on_pause_agent(struct acd_map *m, uint32_t a, const struct acd_qlog_line *l, bool pause)
{
	struct acd_agent *ag = &m->agents[a];

	if (pause) {
		const char *r = l->n_data > 0 ? l->data[0] : "";
		ag->paused = true;
		snprintf(ag->reason, sizeof ag->reason, "%s", r);
		if (ag->wrapping && acd_acw_reason(m, r)) {
			ag->acw = true;   /* wrap-up lasts until the UNPAUSE */
			return;
		}
		if (ag->st == PROTO_AS_IDLE || ag->st == PROTO_AS_OFFLINE)
			acd_out_state(m, (uint32_t)a, PROTO_AS_BREAK);
		return;
	}
	ag->paused = false;
	ag->reason[0] = '\0';
	if (ag->acw) {
		acd_agent_wrapped(m, (uint32_t)a);
		return;
	}
	if (ag->st == PROTO_AS_BREAK)
		acd_out_state(m, (uint32_t)a, PROTO_AS_IDLE);
}

static void
acd_on_member(struct acd_map *m, const struct acd_qlog_line *l, int64_t q, bool add)
{
	int a = acd_agent_of(m, l);

	if (a < 0)
		return;
	if (strchr(l->agent, '/') != NULL && m->agents[a].iface[0] == '\0')
		snprintf(m->agents[a].iface, ACD_IFACE_MAX, "%s", l->agent);
	if (q < 0) {
		m->counts.c[ACD_C_UNMAPPED]++;
		return;
	}
	if (add) {
		if (l->n_data > 0 && strcmp(l->data[0], "PAUSED") == 0) {
			m->agents[a].paused = true;
			snprintf(m->agents[a].reason, sizeof m->agents[a].reason, "PAUSED");
		}
		acd_member(m, (uint32_t)a, (uint32_t)q, true);
		acd_agent_on(m, (uint32_t)a);
	} else {
		acd_member(m, (uint32_t)a, (uint32_t)q, false);
		acd_agent_off_maybe(m, (uint32_t)a);
	}
}

static void
acd_on_login(struct acd_map *m, const struct acd_qlog_line *l, bool in)
{
	int a = acd_agent_of(m, l);

	if (a < 0)
		return;
	m->agents[a].logged_in = in;
	if (in) {
		acd_agent_on(m, (uint32_t)a);
		return;
	}
	/* logged off: off duty whatever the queues say */
	acd_agent_off(m, (uint32_t)a);
}

/* Does the verb need a call (callid + mapped queue)? */
static bool
acd_verb_is_call(enum acd_verb v)
{
	return v <= ACD_V_WITHDRAW || v == ACD_V_SYSCOMPAT;
}

void
acd_map_line(struct acd_map *m, const struct acd_qlog_line *l, uint64_t lineno)
{
	char key[ACD_TAB_KEY_MAX + 1];
	size_t klen = 0;
	int64_t tenant, qi;
	int64_t ts = l->ts_ms;
	int last;

	m->counts.c[ACD_C_LINES]++;
	m->counts.verb[l->verb]++;
	if (ts < m->now) {
		m->counts.c[ACD_C_LATE]++;
		ts = m->now;
	}
	qi = acd_queue_find(m, l->queue);
	tenant = qi >= 0 ? (int64_t)m->qtenant[qi] : -1;
	if (acd_verb_is_call(l->verb)) {
		if (l->callid[0] == '\0' || strcmp(l->callid, "NONE") == 0 ||
		    strcmp(l->callid, "MANAGER") == 0 || strcmp(l->callid, "CLI") == 0 ||
		    strcmp(l->callid, "REALTIME") == 0) {
			acd_map_bad(m, lineno, "a call verb without a call id");
			m->counts.c[ACD_C_LINES]--;
			return;
		}
		if (tenant < 0) {
			m->counts.c[ACD_C_UNMAPPED]++;
			acd_clock_to(m, ts);
			return;
		}
		if ((klen = acd_call_key(l, key)) == 0) {
			acd_map_bad(m, lineno, "call id too long");
			m->counts.c[ACD_C_LINES]--;
			return;
		}
		if ((l->verb == ACD_V_CONNECT || (l->verb >= ACD_V_COMPLETECALLER &&
		                                  l->verb <= ACD_V_TRANSFER)) &&
		    (l->agent[0] == '\0' || strcmp(l->agent, "NONE") == 0)) {
			acd_map_bad(m, lineno, "an answered call without an agent");
			m->counts.c[ACD_C_LINES]--;
			return;
		}
	}
	acd_clock_to(m, ts);
	last = (int)l->n_data - 1;
	switch (l->verb) {
	case ACD_V_ENTERQUEUE:
		acd_on_enter(m, key, klen, (uint32_t)tenant);
		break;
	case ACD_V_CONNECT:
		acd_on_connect(m, l, key, klen, (uint32_t)tenant);
		break;
	case ACD_V_COMPLETECALLER:
	case ACD_V_COMPLETEAGENT:
		acd_on_complete(m, l, key, klen, (uint32_t)tenant, 0);
		break;
	case ACD_V_BLINDTRANSFER:
	case ACD_V_ATTENDEDTRANSFER:
	case ACD_V_TRANSFER:
		/* ... |holdtime|calltime|origposition */
		acd_on_complete(m, l, key, klen, (uint32_t)tenant, last >= 2 ? last - 2 : -1);
		break;
	case ACD_V_ABANDON:
		acd_on_exit(m, l, key, klen, (uint32_t)tenant, 2, "abandon");
		break;
	case ACD_V_EXITWITHTIMEOUT:
		acd_on_exit(m, l, key, klen, (uint32_t)tenant, 2, "timeout");
		break;
	case ACD_V_EXITEMPTY:
		acd_on_exit(m, l, key, klen, (uint32_t)tenant, 2, "empty");
		break;
	case ACD_V_EXITWITHKEY:
		acd_on_exit(m, l, key, klen, (uint32_t)tenant, 3, "key");
		break;
	case ACD_V_WITHDRAW:
		acd_on_exit(m, l, key, klen, (uint32_t)tenant, 2, "withdraw");
		break;
	case ACD_V_SYSCOMPAT:
		/* Asterisk counts it abandoned and writes no exit line */
		acd_on_exit(m, l, key, klen, (uint32_t)tenant, -1, "syscompat");
		break;
	case ACD_V_ADDMEMBER:
	case ACD_V_REMOVEMEMBER:
		acd_on_member(m, l, qi, l->verb == ACD_V_ADDMEMBER);
		break;
	case ACD_V_PAUSE:
	case ACD_V_PAUSEALL:
		acd_on_pause(m, l, true);
		break;
	case ACD_V_UNPAUSE:
	case ACD_V_UNPAUSEALL:
		acd_on_pause(m, l, false);
		break;
	case ACD_V_AGENTLOGIN:
	case ACD_V_AGENTCALLBACKLOGIN:
		acd_on_login(m, l, true);
		break;
	case ACD_V_AGENTLOGOFF:
	case ACD_V_AGENTCALLBACKLOGOFF:
		acd_on_login(m, l, false);
		break;
	default:
		/* RINGNOANSWER, RINGCANCELED, AGENTDUMP, PENALTY, RINGINUSE,
		 * QUEUESTART, CONFIGRELOAD, OUTCALL, DID, INFO, others: counted */
		break;
	}
}

void
acd_map_bad(struct acd_map *m, uint64_t lineno, const char *why)
{
	m->counts.c[ACD_C_MALFORMED]++;
	if (m->counts.n_bad < ACD_BAD_KEEP) {
		m->counts.bad[m->counts.n_bad].line = lineno;
		m->counts.bad[m->counts.n_bad].why = why;
		m->counts.n_bad++;
	}
}

void
acd_map_blank(struct acd_map *m)
{
	m->counts.c[ACD_C_BLANK]++;
}

/* ------------------------------------------------------------ AMI */

static struct acd_qlog_line
acd_ami_line(const struct acd_map *m, const char *name, const char *queue)
{
	struct acd_qlog_line l;

	memset(&l, 0, sizeof l);
	l.ts_ms = m->now;
	l.callid = "MANAGER";
	l.queue = queue ? queue : "NONE";
	l.agent = name;
	l.verb_text = "";
	return l;
}

static void
acd_set_iface(struct acd_map *m, int a, const char *iface)
{
	if (a >= 0 && iface && iface[0])
		snprintf(m->agents[a].iface, ACD_IFACE_MAX, "%s", iface);
}

void
acd_map_ami_member(struct acd_map *m, const char *name, const char *iface, const char *queue,
                   bool add, bool paused, const char *reason)
{
	struct acd_qlog_line l = acd_ami_line(m, name, queue);
	int a = acd_agent_of(m, &l);

	if (a < 0)
		return;
	acd_set_iface(m, a, iface);
	if (add && paused) {
		m->agents[a].paused = true;
		snprintf(m->agents[a].reason, ACD_REASON_MAX, "%s", reason ? reason : "");
	}
	acd_on_member(m, &l, acd_queue_find(m, l.queue), add);
}

void
acd_map_ami_pause(struct acd_map *m, const char *name, bool paused, const char *reason)
{
	struct acd_qlog_line l = acd_ami_line(m, name, NULL);
	const char *data[1] = { reason ? reason : "" };
	int a = acd_agent_of(m, &l);

	if (a < 0 || m->agents[a].paused == paused)
		return;
	l.n_data = 1;
	l.data[0] = data[0];
	acd_on_pause(m, &l, paused);
}

void
acd_map_rebuild_begin(struct acd_map *m)
{
	for (uint32_t a = 0; a < m->n_agents; a++) {
		m->agents[a].n_rq = 0;
		m->agents[a].rpaused = false;
	}
}

void
acd_map_rebuild_member(struct acd_map *m, const char *name, const char *iface, const char *queue,
                       bool paused, const char *reason)
{
	struct acd_qlog_line l = acd_ami_line(m, name, queue);
	int a = acd_agent_of(m, &l);
	int64_t q = acd_queue_find(m, queue);
	struct acd_agent *ag;

	if (a < 0)
		return;
	acd_set_iface(m, a, iface);
	ag = &m->agents[a];
	if (q >= 0)
		acd_set_add(&ag->rq, &ag->n_rq, &ag->cap_rq, (uint32_t)q);
	else
		m->counts.c[ACD_C_UNMAPPED]++;
	if (paused && !ag->rpaused) {
		ag->rpaused = true;
		snprintf(ag->reason, ACD_REASON_MAX, "%s", reason ? reason : "");
	}
}

/* Memberships become what QueueStatus listed; an agent it did not list
 * and that was in no queue anyway (on duty by answering) is left alone. */
void
acd_map_rebuild_end(struct acd_map *m)
{
	for (uint32_t a = 0; a < m->n_agents; a++) {
		struct acd_agent *ag = &m->agents[a];
		struct acd_qlog_line l = acd_ami_line(m, ag->id, NULL);
		char reason[ACD_REASON_MAX];
		bool changed = false;

		if (ag->n_q == 0 && ag->n_rq == 0)
			continue;
		for (uint32_t i = 0; i < ag->n_q;) {
			bool keep = false;
			for (uint32_t j = 0; j < ag->n_rq; j++)
				keep = keep || ag->rq[j] == ag->q[i];
			if (keep) {
				i++;
				continue;
			}
			ag->q[i] = ag->q[--ag->n_q];
			changed = true;
		}
		for (uint32_t j = 0; j < ag->n_rq; j++)
			changed |= acd_set_add(&ag->q, &ag->n_q, &ag->cap_q, ag->rq[j]);
		if (changed)
			acd_agent_repool(m, a);
		if (ag->n_q > 0)
			acd_agent_on(m, a);
		else
			acd_agent_off_maybe(m, a);
		memcpy(reason, ag->reason, sizeof reason);   /* acd_on_pause writes ag->reason */
		l.n_data = 1;
		l.data[0] = reason;
		if (ag->rpaused != ag->paused && ag->n_q > 0)
			acd_on_pause_agent(m, a, &l, ag->rpaused);
	}
}

static void
acd_plan_queues(const struct acd_map *m, const struct acd_agent *ag, uint32_t pool,
                acd_plan_fn fn, void *ctx, bool add)
{
	const struct acd_pool *ap = &m->pools[pool];

	for (uint32_t q = 0; q < m->n_queues; q++) {
		bool want = false, have = false;
		for (uint32_t i = 0; i < ap->n; i++)
			want = want || ap->tenants[i] == m->qtenant[q];
		for (uint32_t i = 0; i < ag->n_q; i++)
			have = have || ag->q[i] == q;
		if (add && want && !have)
			fn(ctx, m->qname[q], ag->iface, true);
		else if (!add && have && !want)
			fn(ctx, m->qname[q], ag->iface, false);
	}
}

int
acd_map_move_plan(const struct acd_map *m, uint32_t agent, uint32_t pool, acd_plan_fn fn,
                  void *ctx)
{
	const struct acd_agent *ag;

	if (agent >= m->n_agents || pool >= m->sc->n_pools || m->agents[agent].iface[0] == '\0')
		return -1;
	ag = &m->agents[agent];
	/* joins first: an agent is never in no queue half way through */
	acd_plan_queues(m, ag, pool, fn, ctx, true);
	acd_plan_queues(m, ag, pool, fn, ctx, false);
	return 0;
}

void
acd_map_hold(struct acd_map *m, uint32_t agent, bool hold)
{
	struct acd_agent *ag;

	if (agent >= m->n_agents)
		return;
	ag = &m->agents[agent];
	ag->hold = hold;
	if (!hold && ag->dirty) {
		ag->dirty = false;
		acd_agent_repool(m, agent);
	}
}

void
acd_map_set_pool(struct acd_map *m, uint32_t agent, uint32_t pool)
{
	if (agent < m->n_agents && pool < m->sc->n_pools)
		m->agents[agent].pool = pool;
}

int64_t
acd_map_now(const struct acd_map *m)
{
	return m->now;
}

const struct acd_counts *
acd_map_counts(const struct acd_map *m)
{
	return &m->counts;
}

/* ------------------------------------------------------------ setup */

static int
acd_map_setup(struct acd_map *m)
{
	const struct scenario *sc = m->sc;

	m->pools = calloc(sc->n_pools ? sc->n_pools : 1, sizeof *m->pools);
	m->wrap_s = calloc(sc->n_tenants ? sc->n_tenants : 1, sizeof *m->wrap_s);
	m->n_waiting = calloc(sc->n_tenants ? sc->n_tenants : 1, sizeof *m->n_waiting);
	if (m->pools == NULL || m->wrap_s == NULL || m->n_waiting == NULL)
		return -1;
	for (uint32_t t = 0; t < sc->n_tenants; t++) {
		const struct scenario_tenant *st = &sc->tenants[t];
		m->wrap_s[t] = (uint32_t)st->wrap_mean_s;
		if (acd_each_item(st->queues ? st->queues : st->def.id, acd_add_queue, m, t) < 0)
			return -1;
	}
	for (uint32_t p = 0; p < sc->n_pools; p++) {
		const struct proto_pool *d = &sc->pools[p].def;
		struct acd_pool *ap = &m->pools[p];
		ap->tenants = calloc(d->n_serves + 1, sizeof *ap->tenants);
		if (ap->tenants == NULL)
			return -1;
		if (d->kind == PROTO_POOL_DEDICATED) {
			int t = scenario_tenant_find(sc, d->tenant);
			if (t >= 0)
				ap->tenants[ap->n++] = (uint32_t)t;
		} else {
			for (uint32_t i = 0; i < d->n_serves; i++) {
				int t = scenario_tenant_find(sc, d->serves[i]);
				if (t >= 0)
					ap->tenants[ap->n++] = (uint32_t)t;
			}
		}
		qsort(ap->tenants, ap->n, sizeof ap->tenants[0], acd_u32_cmp);
	}
	for (uint32_t a = 0; a < sc->n_agents; a++) {
		const struct scenario_agent *sa = &sc->agents[a];
		if (acd_agent_add(m, sa->id, sa->pool) < 0 || acd_add_name(m, sa->id, a) < 0)
			return -1;
	}
	/* aliases before display names: an alias is meant, a name may clash */
	for (uint32_t a = 0; a < sc->n_agents; a++)
		if (sc->agents[a].aliases &&
		    acd_each_item(sc->agents[a].aliases, acd_add_name, m, a) < 0)
			return -1;
	for (uint32_t a = 0; a < sc->n_agents; a++)
		if (acd_add_name(m, sc->agents[a].name, a) < 0)
			return -1;
	acd_each_item(sc->acw_reasons[0] ? sc->acw_reasons : "ACW", acd_add_acw, m, 0);
	return 0;
}

struct acd_map *
acd_map_new(const struct scenario *sc, int64_t start_ts, acd_emit_fn emit, acd_clock_fn clock,
            void *ctx)
{
	struct acd_map *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	m->sc = sc;
	m->emit = emit;
	m->clock = clock;
	m->ctx = ctx;
	m->now = start_ts;
	m->free_call = NONE;
	acd_tab_init(&m->queues);
	acd_tab_init(&m->names);
	acd_tab_init(&m->ids);
	acd_tab_init(&m->calls);
	if (acd_map_setup(m) < 0) {
		acd_map_free(m);
		return NULL;
	}
	return m;
}

void
acd_map_free(struct acd_map *m)
{
	if (m == NULL)
		return;
	for (uint32_t p = 0; m->pools && p < m->sc->n_pools; p++)
		free(m->pools[p].tenants);
	for (uint32_t a = 0; a < m->n_agents; a++) {
		free(m->agents[a].q);
		free(m->agents[a].rq);
	}
	free(m->qtenant);
	free(m->qname);
	free(m->pools);
	free(m->wrap_s);
	free(m->n_waiting);
	free(m->agents);
	free(m->callv);
	free(m->heap);
	free(m->done.v);
	free(m->waiting.v);
	acd_tab_free(&m->queues);
	acd_tab_free(&m->names);
	acd_tab_free(&m->ids);
	acd_tab_free(&m->calls);
	free(m);
}
