/*
 * Shifts: tenants x shifts for one metric at a time ([ and ] switch it):
 * the closed shifts from the server's history, then the current one;
 * cells that missed the tenant's target stand out; a totals row; and the
 * current shift's load curve per tenant.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/fmt.h"
#include "pooltop/shiftgrid.h"
#include "pooltop/view.h"

#define VIEW_SHIFTS_MAX 8       /* closed shifts asked for */
#define VIEW_SHIFTS_COLW 9

struct view_shifts_grid {
	uint32_t n_cols;                     /* closed shifts shown + the current one */
	int64_t start[VIEW_SHIFTS_MAX + 1];  /* start_ts per column; the last is current */
	char name[VIEW_SHIFTS_MAX + 1][PROTO_ID_MAX + 1];
	struct proto_stats_row *now;         /* current shift, per tenant (one pass) */
};

/* The distinct closed shifts in the history, newest `max` of them. */
static void
view_shifts_columns(const struct app *a, struct view_shifts_grid *g, uint32_t max)
{
	const struct app_history *h = &a->hist;
	int64_t starts[VIEW_SHIFTS_MAX];
	char names[VIEW_SHIFTS_MAX][PROTO_ID_MAX + 1];
	uint32_t n = 0;

	for (uint32_t i = h->n; i-- > 0 && n < max;) {
		bool seen = false;
		/* The current shift is drawn from the live floor. */
		if (h->rows[i].start_ts >= a->conn.floor.shift_start_ts && a->conn.floor.shift_start_ts > 0)
			continue;
		for (uint32_t k = 0; k < n; k++)
			seen = seen || starts[k] == h->rows[i].start_ts;
		if (!seen) {
			starts[n] = h->rows[i].start_ts;
			proto_strlcpy(names[n], h->rows[i].shift, PROTO_ID_MAX);
			n++;
		}
	}
	g->n_cols = 0;
	for (uint32_t k = n; k-- > 0;) {
		g->start[g->n_cols] = starts[k];
		proto_strlcpy(g->name[g->n_cols], names[k], PROTO_ID_MAX);
		g->n_cols++;
	}
	g->start[g->n_cols] = a->conn.floor.shift_start_ts;
	proto_strlcpy(g->name[g->n_cols], a->conn.floor.shift_name, PROTO_ID_MAX);
	g->n_cols++;
}

/* Tenant t's row for column c: history, or the live floor for the last. */
static bool
view_shifts_row(const struct app *a, const struct view_shifts_grid *g, uint32_t t, uint32_t c,
                struct proto_stats_row *out)
{
	const struct floor *f = &a->conn.floor;

	if (c == g->n_cols - 1) {
		if (g->now == NULL)
			return false;
		*out = g->now[t];
		return true;
	}
	for (uint32_t i = 0; i < a->hist.n; i++) {
		const struct proto_stats_row *r = &a->hist.rows[i];
		if (r->start_ts == g->start[c] && strcmp(r->tenant, f->tenants[t].def.id) == 0) {
			*out = *r;
			return true;
		}
	}
	return false;
}

static double
view_shifts_value(const struct app *a, const struct view_shifts_grid *g, uint32_t t, uint32_t c)
{
	struct proto_stats_row r;

	if (!view_shifts_row(a, g, t, c, &r))
		return NAN;
	return shiftgrid_value(&r, &a->conn.floor.tenants[t].def, a->hist.metric);
}

struct view_shifts_sort {
	const struct app *a;
	const struct view_shifts_grid *g;
	int col;        /* 0 = name, k = k-th column from the right (1 = current) */
	bool desc;
};

static int
view_shifts_cmp(const struct view_shifts_sort *s, uint32_t x, uint32_t y)
{
	const struct floor *f = &s->a->conn.floor;
	int r = 0;

	if (s->col > 0 && (uint32_t)s->col <= s->g->n_cols) {
		uint32_t c = s->g->n_cols - (uint32_t)s->col;
		double vx = view_shifts_value(s->a, s->g, x, c), vy = view_shifts_value(s->a, s->g, y, c);
		/* No figure sorts last either way. */
		if (isnan(vx) != isnan(vy))
			return isnan(vx) ? 1 : -1;
		if (!isnan(vx))
			r = vx < vy ? -1 : vx > vy;
		if (s->desc)
			r = -r;
	}
	if (r == 0)
		r = strcmp(f->tenants[x].def.name, f->tenants[y].def.name);
	return r;
}

static uint32_t
view_shifts_rows_sorted(struct app *a, const struct view_shifts_grid *g, uint32_t *rows)
{
	const struct floor *f = &a->conn.floor;
	const struct app_list *l = &a->list[VIEW_SHIFTS];
	struct view_shifts_sort s = { a, g, l->sort, l->desc };
	uint32_t n = 0;

	for (uint32_t t = 0; t < f->n_tenants; t++)
		if (fmt_match(f->tenants[t].def.name, l->filter) || fmt_match(f->tenants[t].def.id, l->filter))
			rows[n++] = t;
	/* Insertion sort: tens of tenants, and a stable order. */
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = rows[i], j = i;
		while (j > 0 && view_shifts_cmp(&s, rows[j - 1], v) > 0) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = v;
	}
	return n;
}

static enum theme_role
view_shifts_role(enum stats_level l)
{
	return l == STATS_CRIT ? TR_CRIT : l == STATS_WARN ? TR_WARN : TR_NORMAL;
}

static void
view_shifts_header(struct app *a, int y, int w, const struct view_shifts_grid *g, uint32_t first,
                   int name_w, int spark_w)
{
	const struct app_list *l = &a->list[VIEW_SHIFTS];
	char title[96];
	int x = name_w + 1;

	draw_fill(a, y, 0, w, TR_HEADER);
	snprintf(title, sizeof title, "Tenant: %s%s", shiftgrid_metric_name(a->hist.metric),
	         l->sort == 0 ? (a->utf8 ? " ▲" : " ^") : "");
	draw_fit(a, y, 0, name_w, TR_HEADER, title, FMT_LEFT);
	for (uint32_t c = first; c < g->n_cols; c++) {
		char h[32], hhmm[8];
		bool sorted = l->sort > 0 && (uint32_t)l->sort == g->n_cols - c;

		fmt_hhmm(hhmm, sizeof hhmm, g->start[c]);
		snprintf(h, sizeof h, "%s%.5s%s", c == g->n_cols - 1 ? "*" : "", g->name[c],
		         sorted ? (l->desc ? "v" : "^") : "");
		(void)hhmm;
		draw_fit(a, y, x, VIEW_SHIFTS_COLW, TR_HEADER, h, FMT_RIGHT);
		x += VIEW_SHIFTS_COLW + 1;
	}
	if (spark_w > 0)
		draw_fit(a, y, x, spark_w, TR_HEADER, "Offered/15m now", FMT_LEFT);
}

static void
view_shifts_draw(struct app *a, int y, int h, int w)
{
	const struct floor *f = &a->conn.floor;
	struct app_list *l = &a->list[VIEW_SHIFTS];
	struct view_shifts_grid g;
	uint32_t *rows = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *rows), n, first = 0;
	int name_w = 18, spark_w, fit;
	struct proto_stats_row tot[VIEW_SHIFTS_MAX + 1];

	if (rows == NULL)
		return;
	view_shifts_columns(a, &g, VIEW_SHIFTS_MAX);
	g.now = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *g.now);
	if (g.now != NULL && floor_stats_rows(f, a->clock_ts, g.now) < 0) {
		free(g.now);
		g.now = NULL;
	}
	/* Shift columns first; the sparkline gets what is left. */
	fit = (w - name_w - 1) / (VIEW_SHIFTS_COLW + 1);
	if (fit < 1)
		fit = 1;
	if ((uint32_t)fit < g.n_cols)
		first = g.n_cols - (uint32_t)fit;
	spark_w = w - name_w - 1 - (int)(g.n_cols - first) * (VIEW_SHIFTS_COLW + 1);
	if (spark_w < 8) {
		spark_w = 0;
	} else if (spark_w > 32) {
		name_w += spark_w - 32;
		spark_w = 32;
	}
	n = view_shifts_rows_sorted(a, &g, rows);
	view_shifts_header(a, y, w, &g, first, name_w, spark_w);
	memset(tot, 0, sizeof tot);
	draw_list_clamp(l, (int)n, h - 2);
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t c = first; c < g.n_cols; c++) {
			struct proto_stats_row r;
			if (view_shifts_row(a, &g, rows[i], c, &r)) {
				r.cost = shiftgrid_value(&r, &f->tenants[rows[i]].def, SG_COST);
				shiftgrid_sum(&tot[c], &r);
			}
		}
	for (int i = 0; i < h - 2; i++) {
		int idx = l->top + i, x = name_w + 1;
		uint32_t t;
		bool sel = idx == l->cursor;

		draw_fill(a, y + 1 + i, 0, w, sel ? TR_SELECTION : TR_NORMAL);
		if (idx >= (int)n)
			continue;
		t = rows[idx];
		draw_text(a, y + 1 + i, 0, name_w, sel ? TR_SELECTION : TR_NORMAL, f->tenants[t].def.name);
		for (uint32_t c = first; c < g.n_cols; c++) {
			double v = view_shifts_value(a, &g, t, c);
			char cell[32];

			shiftgrid_format(cell, sizeof cell, v, a->hist.metric);
			draw_fit(a, y + 1 + i, x, VIEW_SHIFTS_COLW,
			         sel ? TR_SELECTION : view_shifts_role(shiftgrid_level(v, &f->tenants[t].def, a->hist.metric)),
			         cell, FMT_RIGHT);
			x += VIEW_SHIFTS_COLW + 1;
		}
		if (spark_w > 0) {
			char sp[256];
			uint32_t k = 1;
			if (f->shift_start_ts > 0 && a->clock_ts > f->shift_start_ts)
				k = (uint32_t)((a->clock_ts - f->shift_start_ts) / FLOOR_INTERVAL_MS) + 1;
			if (k > PROTO_INTERVALS_MAX)
				k = PROTO_INTERVALS_MAX;
			fmt_sparkline(sp, sizeof sp, f->tenants[t].cur.intervals, k, spark_w, a->utf8);
			draw_fit(a, y + 1 + i, x, spark_w, sel ? TR_SELECTION : TR_SPARK, sp, FMT_LEFT);
		}
	}
	/* Totals: counters summed first, then the metric. */
	{
		int x = name_w + 1, ty = y + h - 1;
		draw_fill(a, ty, 0, w, TR_HEADER);
		draw_text(a, ty, 0, name_w, TR_HEADER, "All tenants");
		for (uint32_t c = first; c < g.n_cols; c++) {
			char cell[32];
			shiftgrid_format(cell, sizeof cell, shiftgrid_value(&tot[c], NULL, a->hist.metric), a->hist.metric);
			draw_fit(a, ty, x, VIEW_SHIFTS_COLW, TR_HEADER, cell, FMT_RIGHT);
			x += VIEW_SHIFTS_COLW + 1;
		}
		if (a->hist.asked)
			draw_fit(a, ty, x, spark_w, TR_HEADER, "(fetching history)", FMT_LEFT);
	}
	free(g.now);
	free(rows);
}

static bool
view_shifts_key(struct app *a, int key)
{
	if (key == ']')
		a->hist.metric = (a->hist.metric + 1) % SG__COUNT;
	else if (key == '[')
		a->hist.metric = (a->hist.metric + SG__COUNT - 1) % SG__COUNT;
	else
		return false;
	a->dirty = true;
	return true;
}

static int
view_shifts_rows(struct app *a)
{
	const struct floor *f = &a->conn.floor;
	int n = 0;

	for (uint32_t t = 0; t < f->n_tenants; t++)
		if (fmt_match(f->tenants[t].def.name, a->list[VIEW_SHIFTS].filter) ||
		    fmt_match(f->tenants[t].def.id, a->list[VIEW_SHIFTS].filter))
			n++;
	return n;
}

const struct view view_shifts = {
	.name = "Shifts",
	.draw = view_shifts_draw,
	.key = view_shifts_key,
	.rows = view_shifts_rows,
	.ncols = VIEW_SHIFTS_MAX + 2,
};
