/*
 * server_live: the current shift's counters outlive the process.  They
 * are saved every SERVER_LIVE_MS of wall time, at every shift close and
 * on a clean stop, so a kill -9 loses at most the last SERVER_LIVE_MS;
 * a start within the same shift resumes them, and a start after that
 * shift ended records them as its (partial) history row.
 *
 * A row says how much of its shift its counters cover when that is not
 * all of it (covered_ms): the server started after the shift began, or
 * was down for part of it.  The part missed is tracked as gap_ms.
 */
#include <stdlib.h>
#include <string.h>

#include "pooltop/server.h"

/* A shift began (ev is its shift.started, applied): the rows it closed
 * (history from `closed`) say what they missed, and the new shift's gap
 * is what passed before the server saw it begin. */
void
server_live_shift(struct server *sv, const struct proto_event *ev, uint32_t closed)
{
	struct floor *f = &sv->floor;

	for (uint32_t i = closed; i < f->n_history; i++) {
		struct proto_stats_row *r = &f->history[i];
		int64_t span = r->end_ts - r->start_ts;

		if (sv->live_gap_ms > 0 && span > 0)
			r->covered_ms = span > sv->live_gap_ms ? (uint64_t)(span - sv->live_gap_ms) : 1;
	}
	sv->live_gap_ms = ev->ts > ev->start_ts ? ev->ts - ev->start_ts : 0;
}

void
server_live_save(struct server *sv)
{
	struct floor *f = &sv->floor;
	struct proto_stats_row *rows;
	struct proto_sl_row *sl;
	struct store_live lv;
	int64_t now = server_floor_now(sv);

	if (f->shift_name[0] == '\0' || f->n_tenants == 0)
		return;
	rows = calloc(f->n_tenants, sizeof *rows);
	sl = calloc(f->n_tenants, sizeof *sl);
	if (rows == NULL || sl == NULL || floor_stats_rows(f, now, rows) < 0) {
		free(rows);
		free(sl);
		return;
	}
	/* the same full row a close records: intervals, busy and break
	 * time and sl_intervals, so a resume or a close while down loses
	 * none of them (out of memory: this save is skipped, the next
	 * one retries) */
	for (uint32_t t = 0; t < f->n_tenants; t++)
		if (floor_row_sl(f, t, rows[t].n_intervals, &sl[t]) != 0) {
			free(rows);
			proto_sl_rows_free(sl, f->n_tenants);
			return;
		}
	lv.epoch = sv->epoch;
	lv.gap_ms = sv->live_gap_ms;
	lv.saved_ts = now;
	if (store_live_save_sl(sv->store, rows, sl, f->n_tenants, &lv) < 0) {
		if (!sv->live_failing)
			server_log(sv, "cannot save the shift's counters (retrying every %d ms): %s",
			           SERVER_LIVE_MS, store_errmsg(sv->store));
		sv->live_failing = true;
	} else {
		sv->live_failing = false;
	}
	free(rows);
	proto_sl_rows_free(sl, f->n_tenants);
}

/* Saved counters of the shift in force: add them to the floor's.  The
 * saved busy and break time include the open spans up to the save, as
 * the saved staffed time does; this run bills agents from its start. */
static void
server_live_add(struct server *sv, const struct proto_stats_row *rows,
                const struct proto_sl_row *sl, uint32_t n)
{
	struct floor *f = &sv->floor;

	for (uint32_t i = 0; i < n; i++) {
		const struct proto_stats_row *r = &rows[i];
		int t = floor_tenant_find(f, r->tenant);
		struct floor_counters *c;

		if (t < 0)
			continue;
		c = &f->tenants[t].cur;
		c->offered += r->offered;
		c->answered += r->answered;
		c->answered_in_sl += r->answered_in_sl;
		c->abandoned += r->abandoned;
		c->abandoned_short += r->abandoned_short;
		c->handled += r->handled;
		c->wait_ms += r->wait_ms;
		c->talk_ms += r->talk_ms;
		c->wrap_ms += r->wrap_ms;
		c->dedicated_staffed_ms += r->dedicated_staffed_ms;
		c->shared_handle_ms += r->shared_handle_ms;
		c->dedicated_busy_ms += r->dedicated_busy_ms;
		c->dedicated_break_ms += r->dedicated_break_ms;
		for (uint32_t k = 0; k < r->n_intervals && k < PROTO_INTERVALS_MAX; k++)
			c->intervals[k] += r->intervals[k];
		for (uint32_t k = 0; sl && k < sl[i].n && k < PROTO_INTERVALS_MAX; k++) {
			const struct proto_sl_interval *v = &sl[i].iv[k];
			struct proto_sl_interval *w = &c->sl[k];

			w->answered += v->answered;
			w->answered_in_sl += v->answered_in_sl;
			w->abandoned += v->abandoned;
			w->abandoned_short += v->abandoned_short;
			w->wait_ms += v->wait_ms;
		}
	}
}

/* Saved counters of a shift that ended while the server was down: its
 * history row, covering up to when they were saved. */
static void
server_live_close(struct server *sv, struct proto_stats_row *rows,
                  const struct proto_sl_row *sl, uint32_t n, const struct store_live *lv)
{
	uint32_t refused = 0;

	for (uint32_t i = 0; i < n; i++) {
		int64_t covered = lv->saved_ts - rows[i].start_ts - lv->gap_ms;
		int64_t span = rows[i].end_ts - rows[i].start_ts;

		if (covered < span)
			rows[i].covered_ms = covered > 0 ? (uint64_t)covered : 1;
	}
	if (store_history_close_sl(sv->store, rows, sl, n, lv->epoch, &refused) < 0) {
		server_log(sv, "cannot record the saved counters of shift %s: %s", rows[0].shift,
		           store_errmsg(sv->store));
		return;
	}
	server_log(sv, "shift %s ended while pooltopd was down: its counters as saved are "
	           "recorded as a partial history row (%u of %u tenants already had one)",
	           rows[0].shift, refused, n);
}

void
server_live_resume(struct server *sv)
{
	struct floor *f = &sv->floor;
	struct proto_stats_row *rows = NULL;
	struct proto_sl_row *sl = NULL;
	struct store_live lv;
	int64_t now = server_floor_now(sv), down;
	uint32_t n = 0;

	if (store_live_load_sl(sv->store, &rows, &sl, &n, &lv) < 0) {
		server_log(sv, "cannot read the saved shift counters, starting from zero: %s",
		           store_errmsg(sv->store));
		return;
	}
	if (n == 0)
		return;
	/* A run whose clock starts before the save (--start set back) would
	 * count that time again: the saved counters close as their own row
	 * instead, and this run's row of the shift will be refused. */
	if (strcmp(rows[0].shift, f->shift_name) == 0 && rows[0].start_ts == f->shift_start_ts &&
	    now >= lv.saved_ts) {
		down = now > lv.saved_ts ? now - lv.saved_ts : 0;
		server_live_add(sv, rows, sl, n);
		sv->live_gap_ms = lv.gap_ms + down;
		server_log(sv, "shift %s resumed from the counters saved %lld s of floor time ago; "
		           "%lld s of it are not covered", f->shift_name, (long long)(down / 1000),
		           (long long)(sv->live_gap_ms / 1000));
	} else {
		server_live_close(sv, rows, sl, n, &lv);
	}
	free(rows);
	proto_sl_rows_free(sl, n);
	server_live_save(sv);
}
