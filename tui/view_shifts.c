/*
 * Shifts: tenants x shifts for one metric at a time ([ and ] switch it):
 * the closed shifts from the server's history, then the current one;
 * cells that missed the tenant's target stand out; a totals row; and the
 * current shift's load curve per tenant.  A closed shift whose counters
 * miss part of it (the server was down) says "partial" under its name.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/shiftgrid.h"
#include "pooltop/stats.h"
#include "pooltop/view.h"

#define VIEW_SHIFTS_MAX 8       /* closed shifts asked for */
#define VIEW_SHIFTS_COLW 9

/* What a build derives: the columns, and every tenant's row per column
 * (history matched once, not per cell and per draw). */
struct view_shifts_grid {
	uint32_t n_cols;                     /* closed shifts shown + the current one */
	int64_t start[VIEW_SHIFTS_MAX + 1];  /* start_ts per column; the last is current */
	char name[VIEW_SHIFTS_MAX + 1][PROTO_ID_MAX + 1];
	uint32_t n_tenants;
	struct proto_stats_row *cells;       /* n_tenants x n_cols */
	bool *have;                          /* a row exists for that cell */
	bool partial[VIEW_SHIFTS_MAX + 1];   /* some row of the column is partial */
	bool any_partial;
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

/* Fill the cells: history rows by tenant and start, the live floor last. */
static int
view_shifts_fill(const struct app *a, struct view_shifts_grid *g)
{
	const struct floor *f = &a->conn.floor;
	size_t cells = (size_t)f->n_tenants * g->n_cols;
	uint32_t now = g->n_cols - 1;

	free(g->cells);
	free(g->have);
	g->cells = calloc(cells ? cells : 1, sizeof *g->cells);
	g->have = calloc(cells ? cells : 1, sizeof *g->have);
	g->n_tenants = 0;
	if (g->cells == NULL || g->have == NULL)
		return -1;
	g->n_tenants = f->n_tenants;
	memset(g->partial, 0, sizeof g->partial);
	for (uint32_t i = 0; i < a->hist.n; i++) {
		const struct proto_stats_row *r = &a->hist.rows[i];
		int t = floor_tenant_find(f, r->tenant);

		for (uint32_t c = 0; t >= 0 && c < now; c++) {
			size_t at = (size_t)t * g->n_cols + c;

			/* the first row of a tenant and shift wins, as before */
			if (r->start_ts == g->start[c] && !g->have[at]) {
				g->cells[at] = *r;
				g->have[at] = true;
				g->partial[c] = g->partial[c] || stats_row_partial(r);
			}
		}
	}
	if (f->n_tenants > 0) {
		struct proto_stats_row *live = calloc(f->n_tenants, sizeof *live);

		if (live != NULL && floor_stats_rows(f, a->clock_ts, live) == 0) {
			for (uint32_t t = 0; t < f->n_tenants; t++) {
				g->cells[(size_t)t * g->n_cols + now] = live[t];
				g->have[(size_t)t * g->n_cols + now] = true;
			}
		}
		free(live);
	}
	g->any_partial = false;
	for (uint32_t c = 0; c < now; c++)
		g->any_partial = g->any_partial || g->partial[c];
	return 0;
}

static struct view_shifts_grid *
view_shifts_grid(struct app *a)
{
	if (a->cache[VIEW_SHIFTS] == NULL)
		a->cache[VIEW_SHIFTS] = calloc(1, sizeof(struct view_shifts_grid));
	return a->cache[VIEW_SHIFTS];
}

/* Tenant t's row for column c. */
static const struct proto_stats_row *
view_shifts_row(const struct view_shifts_grid *g, uint32_t t, uint32_t c)
{
	size_t at = (size_t)t * g->n_cols + c;

	return t < g->n_tenants && c < g->n_cols && g->have[at] ? &g->cells[at] : NULL;
}

static double
view_shifts_value(const struct app *a, const struct view_shifts_grid *g, uint32_t t, uint32_t c)
{
	const struct proto_stats_row *r = view_shifts_row(g, t, c);

	return r ? shiftgrid_value(r, &a->conn.floor.tenants[t].def, a->hist.metric) : NAN;
}

/* ------------------------------------------------------------ rows */

static uint32_t
view_shifts_build(void *ctx)
{
	struct app *a = ctx;
	struct view_shifts_grid *g = view_shifts_grid(a);

	if (g == NULL)
		return 0;
	view_shifts_columns(a, g, VIEW_SHIFTS_MAX);
	if (view_shifts_fill(a, g) < 0)
		return 0;
	return g->n_tenants;
}

static bool
view_shifts_match(void *ctx, uint32_t t, const char *filter)
{
	const struct proto_tenant *def = &((struct app *)ctx)->conn.floor.tenants[t].def;

	return fmt_match(def->name, filter) || fmt_match(def->id, filter);
}

/* Sort 0 = name, k = k-th column from the right (1 = current). */
static int
view_shifts_cmp(void *ctx, uint32_t x, uint32_t y, int sort, bool desc)
{
	struct app *a = ctx;
	const struct view_shifts_grid *g = view_shifts_grid(a);
	const struct floor *f = &a->conn.floor;
	int r = 0;

	if (sort > 0 && (uint32_t)sort <= g->n_cols) {
		uint32_t c = g->n_cols - (uint32_t)sort;
		double vx = view_shifts_value(a, g, x, c), vy = view_shifts_value(a, g, y, c);
		/* No figure sorts last either way. */
		if (isnan(vx) != isnan(vy))
			return isnan(vx) ? 1 : -1;
		if (!isnan(vx))
			r = vx < vy ? -1 : vx > vy;
		if (desc)
			r = -r;
	}
	if (r == 0)
		r = strcmp(f->tenants[x].def.name, f->tenants[y].def.name);
	if (r == 0)
		r = strcmp(f->tenants[x].def.id, f->tenants[y].def.id);
	return r;
}

static void
view_shifts_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	proto_strlcpy(buf, ((struct app *)ctx)->conn.floor.tenants[row].def.id, len - 1);
}

static const struct list_class view_shifts_class = {
	.build = view_shifts_build,
	.match = view_shifts_match,
	.cmp = view_shifts_cmp,
	.key = view_shifts_key_of,
};

static uint64_t
view_shifts_gen(struct app *a)
{
	uint64_t g = list_gen_mix(a->conn.floor.gen, (uint64_t)a->clock_ts);

	return list_gen_mix(list_gen_mix(g, a->hist.gen), (uint64_t)a->hist.metric);
}

static void
view_shifts_done(struct app *a)
{
	struct view_shifts_grid *g = a->cache[VIEW_SHIFTS];

	if (g) {
		free(g->cells);
		free(g->have);
	}
	free(g);
	a->cache[VIEW_SHIFTS] = NULL;
}

/* ------------------------------------------------------------ draw */

static enum theme_role
view_shifts_role(enum stats_level l)
{
	return l == STATS_CRIT ? TR_CRIT : l == STATS_WARN ? TR_WARN : TR_NORMAL;
}

static void
view_shifts_header(struct app *a, int y, int w, const struct view_shifts_grid *g, uint32_t first,
                   int name_w, int spark_w)
{
	const struct list *l = &a->list[VIEW_SHIFTS];
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

/* Under the names, when some closed shift is partial: which ones, so a
 * low offered count there reads as "not all counted", not "quiet". */
static void
view_shifts_status(struct app *a, int y, int w, const struct view_shifts_grid *g, uint32_t first,
                   int name_w)
{
	int x = name_w + 1;

	draw_fill(a, y, 0, w, TR_DIM);
	draw_fit(a, y, 0, name_w, TR_DIM, "Coverage", FMT_LEFT);
	for (uint32_t c = first; c < g->n_cols; c++) {
		if (g->partial[c])
			draw_fit(a, y, x, VIEW_SHIFTS_COLW, TR_WARN, "partial", FMT_RIGHT);
		x += VIEW_SHIFTS_COLW + 1;
	}
}

static void
view_shifts_draw(struct app *a, struct list *l, int y, int h, int w)
{
	const struct floor *f = &a->conn.floor;
	const struct view_shifts_grid *g = view_shifts_grid(a);
	uint32_t first = 0;
	int name_w = 18, spark_w, fit, head;
	struct proto_stats_row tot[VIEW_SHIFTS_MAX + 1];

	if (g == NULL || g->n_cols == 0)
		return;
	/* Shift columns first; the sparkline gets what is left. */
	fit = (w - name_w - 1) / (VIEW_SHIFTS_COLW + 1);
	if (fit < 1)
		fit = 1;
	if ((uint32_t)fit < g->n_cols)
		first = g->n_cols - (uint32_t)fit;
	spark_w = w - name_w - 1 - (int)(g->n_cols - first) * (VIEW_SHIFTS_COLW + 1);
	if (spark_w < 8) {
		spark_w = 0;
	} else if (spark_w > 32) {
		name_w += spark_w - 32;
		spark_w = 32;
	}
	view_shifts_header(a, y, w, g, first, name_w, spark_w);
	head = 1;
	if (g->any_partial && h > 3) {
		view_shifts_status(a, y + 1, w, g, first, name_w);
		head = 2;
	}
	memset(tot, 0, sizeof tot);
	list_scroll(l, h - 1 - head);
	for (uint32_t i = 0; i < l->n; i++)
		for (uint32_t c = first; c < g->n_cols; c++) {
			const struct proto_stats_row *rp = view_shifts_row(g, l->rows[i], c);

			if (rp) {
				struct proto_stats_row r = *rp;

				r.cost = shiftgrid_value(&r, &f->tenants[l->rows[i]].def, SG_COST);
				shiftgrid_sum(&tot[c], &r);
			}
		}
	for (int i = 0; i < h - 1 - head; i++) {
		int idx = l->top + i, x = name_w + 1, ry = y + head + i;
		uint32_t t;
		bool sel = idx == l->cursor;

		draw_fill(a, ry, 0, w, sel ? TR_SELECTION : TR_NORMAL);
		if (idx >= (int)l->n)
			continue;
		t = l->rows[idx];
		draw_text(a, ry, 0, name_w, sel ? TR_SELECTION : TR_NORMAL, f->tenants[t].def.name);
		for (uint32_t c = first; c < g->n_cols; c++) {
			double v = view_shifts_value(a, g, t, c);
			char cell[32];

			shiftgrid_format(cell, sizeof cell, v, a->hist.metric);
			draw_fit(a, ry, x, VIEW_SHIFTS_COLW,
			         sel ? TR_SELECTION : view_shifts_role(shiftgrid_level(v, &f->tenants[t].def, a->hist.metric)),
			         cell, FMT_RIGHT);
			x += VIEW_SHIFTS_COLW + 1;
		}
		if (spark_w > 0) {
			char sp[256];
			uint32_t iv[PROTO_INTERVALS_MAX];
			/* the quarter hour under way at its rate, as on the Floor */
			uint32_t k = listing_offered_series(f, t, a->clock_ts, iv);

			fmt_sparkline(sp, sizeof sp, iv, k, spark_w, a->utf8);
			draw_fit(a, ry, x, spark_w, sel ? TR_SELECTION : TR_SPARK, sp, FMT_LEFT);
		}
	}
	/* Totals: counters summed first, then the metric. */
	{
		int x = name_w + 1, ty = y + h - 1;
		draw_fill(a, ty, 0, w, TR_HEADER);
		draw_text(a, ty, 0, name_w, TR_HEADER, "All tenants");
		for (uint32_t c = first; c < g->n_cols; c++) {
			char cell[32];
			shiftgrid_format(cell, sizeof cell, shiftgrid_value(&tot[c], NULL, a->hist.metric), a->hist.metric);
			draw_fit(a, ty, x, VIEW_SHIFTS_COLW, TR_HEADER, cell, FMT_RIGHT);
			x += VIEW_SHIFTS_COLW + 1;
		}
		if (a->hist.asked)
			draw_fit(a, ty, x, spark_w, TR_HEADER, "(fetching history)", FMT_LEFT);
	}
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

const struct view view_shifts = {
	.name = "Shifts",
	.cls = &view_shifts_class,
	.gen = view_shifts_gen,
	.draw = view_shifts_draw,
	.key = view_shifts_key,
	.done = view_shifts_done,
	.ncols = VIEW_SHIFTS_MAX + 2,
};
