/*
 * tenantpage: the tenant page's figures and rows, from the floor alone.
 *
 * Who "can serve" a tenant follows the routing and the training rules
 * the server applies (PROTOCOL.md §5.3): its dedicated pool, the shared
 * pools whose `serves` name it, and — to lend — agents whose home pool
 * is trained for a pool that serves it.  A shared tenant's page lists
 * every agent of its shared pools, idle ones too: who is on one of its
 * contacts this second is only a part of who answers for it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/list.h"
#include "pooltop/listing.h"
#include "pooltop/staffing.h"
#include "pooltop/tenantpage.h"

/* ---------------------------------------------------------- queue */

void
tenantpage_queue(const struct floor *f, uint32_t t, int64_t now,
                 struct tenantpage_channel out[PROTO_CH__COUNT])
{
	const struct floor_tenant *ft = &f->tenants[t];

	for (int c = 0; c < PROTO_CH__COUNT; c++) {
		out[c].waiting = 0;
		out[c].oldest_ms = -1;
	}
	/* oldest first: a channel's first contact is its oldest */
	for (uint32_t i = 0; i < ft->n_waiting; i++) {
		const struct floor_queued *q = &ft->waiting[i];
		struct tenantpage_channel *ch;

		if ((unsigned)q->channel >= PROTO_CH__COUNT)
			continue;
		ch = &out[q->channel];
		if (ch->waiting++ == 0) {
			/* stamped ahead of our clock: it has not waited at all */
			int64_t age = floor_span_ms(q->ts, now);

			ch->oldest_ms = age > 0 ? age : 0;
		}
	}
}

/* ---------------------------------------------------------- chart */

uint32_t
tenantpage_intervals(const struct floor *f, uint32_t t, int64_t now,
                     struct tenantpage_interval *out, uint32_t *total)
{
	const struct floor_tenant *ft = &f->tenants[t];
	int64_t span = floor_span_ms(f->shift_start_ts, now), len;
	uint32_t cur;

	*total = 0;
	if (!f->shift_name[0] || span < 0)
		return 0;
	len = floor_span_ms(f->shift_start_ts, f->shift_end_ts);
	if (f->shift_end_ts > f->shift_start_ts && len > 0) {
		int64_t n = (len + FLOOR_INTERVAL_MS - 1) / FLOOR_INTERVAL_MS;

		*total = n > PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX : (uint32_t)n;
	}
	cur = span / FLOOR_INTERVAL_MS >= PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX - 1
	                                                      : (uint32_t)(span / FLOOR_INTERVAL_MS);
	for (uint32_t i = 0; i <= cur; i++) {
		out[i].sl = listing_sl_span(&ft->cur, i, i);
		/* met or missed, no warning band: a quarter hour is over */
		out[i].level = stats_sl_level(out[i].sl, ft->def.sl_pct, 0.0);
		out[i].current = i == cur;
		out[i].start_ts = f->shift_start_ts + (int64_t)i * FLOOR_INTERVAL_MS;
	}
	if (*total != 0 && *total < cur + 1)
		*total = cur + 1;
	return cur + 1;
}

/* ---------------------------------------------------------- agents */

static const char *const tenantpage_roles[TP__COUNT] = {
	[TP_DEDICATED] = "dedicated",
	[TP_SHARED] = "shared",
	[TP_SERVING] = "on a contact",
	[TP_LENT] = "lent out",
	[TP_TRAINED] = "trained",
};

const char *
tenantpage_role_name(enum tenantpage_role r)
{
	return (unsigned)r < TP__COUNT ? tenantpage_roles[r] : "?";
}

/* Pool p takes tenant t's contacts: its dedicated pool, or a shared pool
 * whose serves name it. */
static bool
tenantpage_pool_serves(const struct floor *f, uint32_t p, uint32_t t)
{
	const struct floor_pool *fp = &f->pools[p];

	if (fp->tenant >= 0)
		return (uint32_t)fp->tenant == t;
	for (uint32_t i = 0; i < fp->def.n_serves; i++)
		if (strcmp(fp->def.serves[i], f->tenants[t].def.id) == 0)
			return true;
	return false;
}

/* What the page knows of each pool for tenant t. */
enum {
	TP_POOL_SERVES = 1,      /* takes t's contacts */
	TP_POOL_TRAINED = 2,     /* its agents (by home) may go to one that does */
};

/* Agent a's place on t's page, or -1 when it has none; kinds: the pools'
 * TP_POOL_ bits. */
static int
tenantpage_role_of(const struct floor *f, uint32_t t, uint32_t a, const uint8_t *kinds)
{
	const struct floor_agent *ag = &f->agents[a];
	uint32_t home = floor_agent_home(f, a);

	if (f->pools[ag->pool].tenant == (int)t)
		return TP_DEDICATED;
	if (kinds[ag->pool] & TP_POOL_SERVES)
		return TP_SHARED;
	if (ag->serving == (int)t)
		return TP_SERVING;
	if (kinds[home] & TP_POOL_SERVES)
		return TP_LENT;
	if (kinds[home] & TP_POOL_TRAINED)
		return TP_TRAINED;
	return -1;
}

/* Each pool's TP_POOL_ bits for t: a pool's training is its agents'
 * (by home), so it is worked out once a pool, not once an agent. */
static void
tenantpage_pool_kinds(const struct floor *f, uint32_t t, uint8_t *kinds)
{
	struct staffing_skills sk;

	for (uint32_t p = 0; p < f->n_pools; p++)
		kinds[p] = tenantpage_pool_serves(f, p, t) ? TP_POOL_SERVES : 0;
	/* Without memory for the training table the page still lists who
	 * serves the tenant; only those who could be lent to it are left out. */
	if (staffing_skills_from_floor(&sk, f) < 0)
		return;
	for (uint32_t home = 0; home < f->n_pools; home++)
		for (uint32_t p = 0; p < f->n_pools; p++)
			if ((kinds[p] & TP_POOL_SERVES) && p != home && staffing_skills_allow(&sk, f, home, p)) {
				kinds[home] |= TP_POOL_TRAINED;
				break;
			}
	staffing_skills_free(&sk);
}

uint32_t
tenantpage_agents(const struct floor *f, uint32_t t, bool offline, struct tenantpage_agent *out)
{
	uint8_t *kinds;
	uint32_t n = 0;

	if (t >= f->n_tenants)
		return 0;
	kinds = malloc(f->n_pools ? f->n_pools : 1);
	if (kinds == NULL)
		return 0;
	tenantpage_pool_kinds(f, t, kinds);
	for (uint32_t a = 0; a < f->n_agents; a++) {
		int role;

		if (!offline && f->agents[a].def.state == PROTO_AS_OFFLINE)
			continue;
		role = tenantpage_role_of(f, t, a, kinds);
		if (role < 0)
			continue;
		out[n].agent = a;
		out[n].role = (enum tenantpage_role)role;
		n++;
	}
	free(kinds);
	return n;
}

/* Working first, then free to work, then away: who carries the queue
 * now reads at the top of each group. */
static int
tenantpage_state_rank(enum proto_agent_state s)
{
	switch (s) {
	case PROTO_AS_BUSY:
		return 0;
	case PROTO_AS_WRAP:
		return 1;
	case PROTO_AS_IDLE:
		return 2;
	case PROTO_AS_BREAK:
		return 3;
	default:
		return 4;
	}
}

struct tenantpage_order_ctx {
	const struct floor *f;
	const struct tenantpage_agent *items;
};

static int
tenantpage_cmp(uint32_t x, uint32_t y, void *vctx)
{
	const struct tenantpage_order_ctx *c = vctx;
	const struct tenantpage_agent *a = &c->items[x], *b = &c->items[y];
	const struct floor_agent *fa = &c->f->agents[a->agent], *fb = &c->f->agents[b->agent];
	int ra = tenantpage_state_rank(fa->def.state), rb = tenantpage_state_rank(fb->def.state);

	if (a->role != b->role)
		return a->role < b->role ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	/* ids are unique: a total order, so the list never flickers */
	return strcmp(fa->def.id, fb->def.id);
}

void
tenantpage_order(const struct floor *f, const struct tenantpage_agent *items, uint32_t *rows,
                 uint32_t n)
{
	struct tenantpage_order_ctx c = { f, items };

	list_sort(rows, n, tenantpage_cmp, &c);
}

bool
tenantpage_match(const struct floor *f, const struct tenantpage_agent *item, const char *filter)
{
	const struct floor_agent *ag = &f->agents[item->agent];

	return fmt_match(ag->def.id, filter) || fmt_match(ag->def.name, filter) ||
	       fmt_match(f->pools[ag->pool].def.id, filter) ||
	       fmt_match(listing_agent_state(f, item->agent), filter) ||
	       fmt_match(tenantpage_role_name(item->role), filter);
}
