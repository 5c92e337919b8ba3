/* alert: thresholds per tenant, raised / acknowledged, and the floor line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/alert.h"
#include "pooltop/fmt.h"

/* Below target by the threshold in force: the tenant's own or the file's. */
static bool
alert_sl_below(const struct floor *f, uint32_t t, const struct listing_tenant *r, const struct config *cfg,
               struct config_alert *th)
{
	const struct proto_tenant *d = &f->tenants[t].def;

	*th = config_alert_for(cfg, d->id, d->sl_pct, d->sl_sec);
	return !isnan(r->stats.service_level) && r->stats.service_level * 100.0 < th->sl_below - 1e-9;
}

bool
alert_check(const struct floor *f, uint32_t t, const struct listing_tenant *r, const struct config *cfg,
            char *why, size_t len)
{
	const struct proto_tenant *d = &f->tenants[t].def;
	struct config_alert th;
	char a[16], b[16];

	if (alert_sl_below(f, t, r, cfg, &th)) {
		snprintf(why, len, "%s: service level %.0f%% is below %.0f%%", d->name, r->stats.service_level * 100.0,
		         th.sl_below);
		return true;
	}
	if (r->oldest_ms >= 0 && (double)r->oldest_ms > th.oldest_s * 1000.0) {
		snprintf(why, len, "%s: a contact has waited %s (limit %s)", d->name, fmt_duration(a, sizeof a, r->oldest_ms),
		         fmt_duration(b, sizeof b, (int64_t)(th.oldest_s * 1000.0)));
		return true;
	}
	return false;
}

uint32_t
alert_scan(struct alert_book *b, const struct floor *f, const struct listing_tenant *rows, const struct config *cfg)
{
	uint32_t fresh = 0;
	char why[ALERT_TEXT_MAX];

	/* Another floor, or another set of tenants: start over. */
	if (b->n != f->n_tenants || b->epoch != f->epoch) {
		uint8_t *s = calloc(f->n_tenants ? f->n_tenants : 1, 1);
		if (s == NULL)
			return 0;
		free(b->state);
		b->state = s;
		b->n = f->n_tenants;
		b->epoch = f->epoch;
		b->raised = 0;
		b->banner[0] = '\0';
	}
	b->raised = 0;
	for (uint32_t t = 0; t < b->n; t++) {
		if (!alert_check(f, t, &rows[t], cfg, why, sizeof why)) {
			b->state[t] = ALERT_CLEAR;
			continue;
		}
		if (b->state[t] == ALERT_CLEAR) {
			b->state[t] = ALERT_RAISED;
			snprintf(b->banner, sizeof b->banner, "%s", why);
			fresh++;
		}
		b->raised += b->state[t] == ALERT_RAISED;
	}
	return fresh;
}

bool
alert_marked(const struct alert_book *b, uint32_t t)
{
	return t < b->n && b->state[t] == ALERT_RAISED;
}

uint32_t
alert_ack(struct alert_book *b)
{
	uint32_t n = 0;

	for (uint32_t t = 0; t < b->n; t++) {
		if (b->state[t] == ALERT_RAISED) {
			b->state[t] = ALERT_ACKED;
			n++;
		}
	}
	b->raised = 0;
	return n;
}

void
alert_free(struct alert_book *b)
{
	free(b->state);
	memset(b, 0, sizeof *b);
}

void
alert_floor_line(const struct floor *f, const struct listing_tenant *rows, const struct config *cfg,
                 char *buf, size_t len)
{
	struct alert_mark m;

	alert_floor_line_marked(f, rows, cfg, buf, len, &m);
}

void
alert_floor_line_marked(const struct floor *f, const struct listing_tenant *rows, const struct config *cfg,
                        char *buf, size_t len, struct alert_mark *m)
{
	uint32_t below = 0, waiting = 0, on = 0, idle = 0, busy = 0, brk = 0;
	int64_t longest = -1;
	struct config_alert th;
	char w[16];
	int head;

	m->level = STATS_NONE;
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		below += alert_sl_below(f, t, &rows[t], cfg, &th);
		waiting += rows[t].waiting;
		/* the longest wait, judged against its own tenant's SL seconds */
		if (rows[t].oldest_ms > longest) {
			longest = rows[t].oldest_ms;
			m->level = rows[t].oldest_level;
		}
	}
	for (uint32_t i = 0; i < f->n_agents; i++) {
		enum proto_agent_state s = f->agents[i].def.state;
		on += s != PROTO_AS_OFFLINE;
		idle += s == PROTO_AS_IDLE;
		busy += s == PROTO_AS_BUSY || s == PROTO_AS_WRAP;
		brk += s == PROTO_AS_BREAK;
	}
	if (longest >= 0)
		fmt_duration(w, sizeof w, longest);
	else
		snprintf(w, sizeof w, "-");
	head = snprintf(buf, len, "%u of %u tenants below target   %u waiting, longest ", below, f->n_tenants,
	                waiting);
	m->at = head > 0 ? (size_t)head : 0;
	m->len = strlen(w);
	if (m->at >= len)
		m->at = m->len = 0;
	else
		snprintf(buf + m->at, len - m->at, "%s   agents on duty %u: %u idle, %u busy, %u on break", w, on,
		         idle, busy, brk);
}
