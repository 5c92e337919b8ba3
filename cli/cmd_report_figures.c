/*
 * cmd_report_figures: the numbers of `pooltop report`.  Rows come from a
 * snapshot (tenants, the current shift's counters, the floor) and the
 * rows of a `history` reply; every figure is derived from the raw
 * counters with stats_compute, the same code the dashboard uses, so a
 * report and the screen never disagree about what "service level" means.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advice.h"
#include "pooltop/cmd_report.h"
#include "pooltop/floor.h"
#include "pooltop/stats.h"

void
cmd_report_figures(const struct cmd_report_row *row, struct cmd_report_figures *out)
{
	struct stats st;

	stats_compute(&row->stats, row->tenant, &st);
	out->service_level_pct = st.service_level * 100.0;
	out->asa_s = st.asa_s;
	out->aht_s = st.aht_s;
	out->abandon_pct = st.abandon_rate * 100.0;
	out->occupancy_pct = st.occupancy * 100.0;
	/* Without the tenant's rates only the server's own figure is left. */
	out->cost = row->tenant ? st.cost : row->stats.cost;
}

struct cmd_report_order {
	uint32_t i;
	int64_t start_ts;
};

static int
cmd_report_order_cmp(const void *pa, const void *pb)
{
	const struct cmd_report_order *a = pa, *b = pb;

	if (a->start_ts != b->start_ts)
		return a->start_ts < b->start_ts ? -1 : 1;
	/* The original position breaks ties, so qsort acts stable. */
	return a->i < b->i ? -1 : a->i > b->i;
}

static void
cmd_report_advise(struct cmd_report_row *r)
{
	r->advised = r->tenant != NULL;
	r->required = 0;
	r->staffed = NAN;
	if (r->advised)
		advice_row(&r->stats, r->tenant, &r->required, &r->staffed);
}

static void
cmd_report_push(struct cmd_report *rep, const struct proto_stats_row *row,
                const struct proto_tenant *t, bool current, const struct proto_sl_row *sl)
{
	struct cmd_report_row *r = &rep->rows[rep->n_rows++];

	memset(r, 0, sizeof *r);
	r->stats = *row;
	r->tenant = t;
	r->current = current;
	r->sl = sl && sl->n ? sl : NULL;
	cmd_report_advise(r);
}

/* One closed shift: its rows in snapshot tenant order, then rows of
 * tenants the floor no longer has, as history gave them. */
static void
cmd_report_group(struct cmd_report *rep, const struct floor *f, const struct proto_snapshot *snap,
                 const struct proto_stats_row *hist, const struct proto_sl_row *sl,
                 const struct cmd_report_order *ord, uint32_t n, int32_t *slot)
{
	for (uint32_t t = 0; t < f->n_tenants; t++)
		slot[t] = -1;
	for (uint32_t k = 0; k < n; k++) {
		int t = floor_tenant_find(f, hist[ord[k].i].tenant);

		/* A tenant twice in one shift (a store that kept both copies) is
		 * shown twice rather than silently dropped. */
		if (t >= 0 && slot[t] < 0)
			slot[t] = (int32_t)k;
	}
	for (uint32_t t = 0; t < f->n_tenants; t++)
		if (slot[t] >= 0)
			cmd_report_push(rep, &hist[ord[slot[t]].i], &snap->tenants[t], false,
			                sl ? &sl[ord[slot[t]].i] : NULL);
	for (uint32_t k = 0; k < n; k++) {
		int t = floor_tenant_find(f, hist[ord[k].i].tenant);

		if (t < 0 || slot[t] != (int32_t)k)
			cmd_report_push(rep, &hist[ord[k].i], t >= 0 ? &snap->tenants[t] : NULL, false,
			                sl ? &sl[ord[k].i] : NULL);
	}
}

static int
cmd_report_closed(struct cmd_report *rep, const struct floor *f, const struct proto_snapshot *snap,
                  const struct proto_stats_row *hist, const struct proto_sl_row *sl, uint32_t n_hist)
{
	struct cmd_report_order *ord;
	int32_t *slot;
	uint32_t k = 0;

	if (n_hist == 0)
		return 0;
	ord = calloc(n_hist, sizeof *ord);
	slot = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *slot);
	if (!ord || !slot) {
		free(ord);
		free(slot);
		return -1;
	}
	for (uint32_t i = 0; i < n_hist; i++) {
		ord[i].i = i;
		ord[i].start_ts = hist[i].start_ts;
	}
	qsort(ord, n_hist, sizeof *ord, cmd_report_order_cmp);
	while (k < n_hist) {
		uint32_t e = k + 1;

		while (e < n_hist && ord[e].start_ts == ord[k].start_ts &&
		       strcmp(hist[ord[e].i].shift, hist[ord[k].i].shift) == 0)
			e++;
		cmd_report_group(rep, f, snap, hist, sl, ord + k, e - k, slot);
		k = e;
	}
	free(ord);
	free(slot);
	return 0;
}

int
cmd_report_build(struct cmd_report *rep, const struct proto_snapshot *snap,
                 const struct proto_stats_row *hist, uint32_t n_hist)
{
	return cmd_report_build_sl(rep, snap, hist, NULL, n_hist);
}

int
cmd_report_build_sl(struct cmd_report *rep, const struct proto_snapshot *snap,
                    const struct proto_stats_row *hist, const struct proto_sl_row *hist_sl,
                    uint32_t n_hist)
{
	struct floor f;
	size_t cap;

	rep->n_rows = 0;
	rep->rows = NULL;
	rep->n_cur_sl = 0;
	rep->cur_sl = NULL;
	floor_init(&f);
	/* A floor, not the snapshot's rows as they are: those hold staffed
	 * time of closed intervals only, and floor_stats_row adds what agents
	 * on duty have earned up to the snapshot. */
	if (floor_from_snapshot(&f, snap) != 0)
		return -1;
	cap = (size_t)n_hist + f.n_tenants;
	rep->rows = calloc(cap ? cap : 1, sizeof *rep->rows);
	rep->cur_sl = calloc(f.n_tenants ? f.n_tenants : 1, sizeof *rep->cur_sl);
	rep->n_cur_sl = rep->cur_sl ? f.n_tenants : 0;
	if (!rep->rows || !rep->cur_sl ||
	    cmd_report_closed(rep, &f, snap, hist, hist_sl, n_hist) != 0) {
		cmd_report_free(rep);
		floor_free(&f);
		return -1;
	}
	for (uint32_t t = 0; t < f.n_tenants; t++) {
		struct proto_stats_row row;

		floor_stats_row(&f, t, snap->ts, &row);
		/* The span counted so far, so required and staffed are averages
		 * over the same kind of window as a closed shift's. */
		row.end_ts = snap->ts;
		/* only what the snapshot carried: none from an older server */
		if (snap->stats_sl && floor_row_sl(&f, t, row.n_intervals, &rep->cur_sl[t]) != 0) {
			cmd_report_free(rep);
			floor_free(&f);
			return -1;
		}
		cmd_report_push(rep, &row, &snap->tenants[t], true, &rep->cur_sl[t]);
	}
	floor_free(&f);
	return 0;
}

void
cmd_report_free(struct cmd_report *rep)
{
	free(rep->rows);
	proto_sl_rows_free(rep->cur_sl, rep->n_cur_sl);
	rep->rows = NULL;
	rep->n_rows = 0;
	rep->cur_sl = NULL;
	rep->n_cur_sl = 0;
}
