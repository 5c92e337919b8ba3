/*
 * Staffing: per tenant, the queue that answers it now (its dedicated pool
 * in hours, else the shared pool that carries it), the blended load, AHT
 * and patience, the agents that queue needs and its expected SL (Erlang
 * A, pooled for shared pools: staffing.h); under it the moves that would
 * help, each with the receiving tenant's SL before -> after, the giving
 * pool's tenants', and the cost per hour, or why there is none.  Enter on
 * a suggestion opens the ordinary move confirmation.  The evaluation is
 * the app's advisor (tui/advisor.c), run once per floor change.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/advisor.h"
#include "pooltop/movectl.h"
#include "pooltop/fmt.h"
#include "pooltop/stats.h"
#include "pooltop/view.h"

enum { VS_NAME, VS_QUEUE, VS_LOAD, VS_AHT, VS_REQ, VS_AVAIL, VS_SL, VS_PAT, VS__COUNT };

static const struct draw_col view_staffing_cols[] = {
	[VS_NAME] = { "Tenant", 14, FMT_LEFT, 100, true },
	[VS_QUEUE] = { "Queue", 12, FMT_LEFT, 90, true },
	[VS_LOAD] = { "Load erl", 8, FMT_RIGHT, 80, false },
	[VS_AHT] = { "AHT", 9, FMT_RIGHT, 60, false },
	[VS_REQ] = { "Req", 4, FMT_RIGHT, 99, false },
	[VS_PAT] = { "Patience", 8, FMT_RIGHT, 50, false },
	[VS_AVAIL] = { "Avail", 5, FMT_RIGHT, 98, false },
	[VS_SL] = { "SL exp", 6, FMT_RIGHT, 99, false },
};

/* A tenant's figures are its queue's: a shared-only tenant reads the
 * shared pool's agents and expected SL, never "0 staffed, 0 %". */
static void
view_staffing_cell(const struct app *a, const struct staffing *st, uint32_t t, int c, char *buf,
                   size_t len)
{
	const struct floor *f = &a->conn.floor;
	const struct staffing_tenant *r = &st->tenants[t];

	switch (c) {
	case VS_NAME:
		snprintf(buf, len, "%s", f->tenants[t].def.name);
		break;
	case VS_QUEUE:
		snprintf(buf, len, "%s", r->queue >= 0 ? f->pools[r->queue].def.id : (r->open ? "-" : "closed"));
		break;
	case VS_LOAD:
		snprintf(buf, len, "%.1f", r->load);
		break;
	case VS_AHT:
		draw_aht(buf, len, r->aht_s, f->tenants[t].cur.handled);
		break;
	case VS_PAT:
		fmt_secs(buf, len, r->patience_s);
		break;
	case VS_REQ:
		snprintf(buf, len, "%u", r->required);
		break;
	case VS_AVAIL:
		if (r->queue >= 0)
			snprintf(buf, len, "%u", st->pools[r->queue].available);
		else
			snprintf(buf, len, "-");
		break;
	case VS_SL:
		advisor_sl_text(r->sl, buf, len);
		break;
	default:
		buf[0] = '\0';
	}
}

/* ------------------------------------------------------------ rows */

/* The evaluation, made once per build (the list engine builds when the
 * floor changed), and the tenants' order, lowest expected SL first. */
struct view_staffing_cache {
	bool have;
	struct staffing st;
	uint32_t n_order;
	uint32_t *order;
};

static struct view_staffing_cache *
view_staffing_cache(struct app *a)
{
	if (a->cache[VIEW_STAFFING] == NULL)
		a->cache[VIEW_STAFFING] = calloc(1, sizeof(struct view_staffing_cache));
	return a->cache[VIEW_STAFFING];
}

static void
view_staffing_drop(struct view_staffing_cache *c)
{
	if (c->have)
		staffing_free(&c->st);
	free(c->order);
	c->order = NULL;
	c->have = false;
	c->n_order = 0;
}

static double
view_staffing_sl_key(const struct staffing *st, uint32_t t)
{
	double sl = st->tenants[t].sl;

	return isnan(sl) ? 2.0 : sl;	/* no load: last */
}

/* The rows of the list are the suggested moves. */
static uint32_t
view_staffing_build(void *ctx)
{
	struct app *a = ctx;
	struct view_staffing_cache *c = view_staffing_cache(a);
	const struct floor *f = &a->conn.floor;

	if (c == NULL)
		return 0;
	view_staffing_drop(c);
	if (advisor_compute(&a->adv, f, a->clock_ts, fmt_tz_offset(a->clock_ts), &c->st) < 0)
		return 0;
	c->have = true;
	c->order = calloc(c->st.n_tenants ? c->st.n_tenants : 1, sizeof(*c->order));
	if (c->order == NULL)
		return c->st.n_moves;
	for (uint32_t i = 0; i < c->st.n_tenants; i++) {
		uint32_t j = c->n_order++;

		while (j > 0 && view_staffing_sl_key(&c->st, c->order[j - 1]) > view_staffing_sl_key(&c->st, i)) {
			c->order[j] = c->order[j - 1];
			j--;
		}
		c->order[j] = i;
	}
	return c->st.n_moves;
}

/* A suggestion is who it helps, from where, to where. */
static void
view_staffing_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;
	const struct staffing_move *m = &view_staffing_cache(a)->st.moves[row];

	snprintf(buf, len, "%s:%s>%s", f->tenants[m->tenant].def.id, f->pools[m->from_pool].def.id,
	         f->pools[m->to_pool].def.id);
}

static bool
view_staffing_match(void *ctx, uint32_t row, const char *filter)
{
	struct app *a = ctx;
	char line[512];

	advisor_move_text(&a->conn.floor, &view_staffing_cache(a)->st.moves[row], line, sizeof line);
	return fmt_match(line, filter);
}

static const struct list_class view_staffing_class = {
	.build = view_staffing_build,
	.match = view_staffing_match,
	.key = view_staffing_key_of,
};

static uint64_t
view_staffing_gen(struct app *a)
{
	/* a floor change, or a new floor minute on a quiet floor (the
	 * advisor's hysteresis counts minutes) */
	return list_gen_mix(a->conn.floor.gen, (uint64_t)(a->clock_ts / 60000));
}

static void
view_staffing_done(struct app *a)
{
	struct view_staffing_cache *c = a->cache[VIEW_STAFFING];

	if (c)
		view_staffing_drop(c);
	free(c);
	a->cache[VIEW_STAFFING] = NULL;
}

/* ------------------------------------------------------------ draw */

static void
view_staffing_draw(struct app *a, struct list *l, int y, int h, int w)
{
	const struct view_staffing_cache *c = view_staffing_cache(a);
	int xs[VS__COUNT], ws[VS__COUNT], top_h, my;

	if (c == NULL || !c->have)
		return;
	top_h = h - 3 - (int)(c->st.n_moves ? c->st.n_moves : 1);
	if (top_h < h / 2)
		top_h = h / 2;
	draw_layout(view_staffing_cols, VS__COUNT, w, xs, ws);
	draw_header(a, y, w, view_staffing_cols, VS__COUNT, xs, ws, VS_SL, false);
	for (int i = 0; i < top_h - 1; i++) {
		draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
		if ((uint32_t)i >= c->n_order)
			continue;
		for (int col = 0; col < VS__COUNT; col++) {
			uint32_t t = c->order[i];
			const struct staffing_tenant *r = &c->st.tenants[t];
			char buf[128];
			enum theme_role role = TR_NORMAL;

			if (ws[col] == 0)
				continue;
			view_staffing_cell(a, &c->st, t, col, buf, sizeof buf);
			if (col == VS_SL && !isnan(r->sl))
				role = r->sl * 100.0 < a->conn.floor.tenants[t].def.sl_pct ? TR_CRIT : TR_OK;
			/* advice from an AHT of a handful of contacts is a guess */
			if (col == VS_AHT && stats_aht_thin(a->conn.floor.tenants[t].cur.handled))
				role = TR_DIM;
			draw_fit(a, y + 1 + i, xs[col], ws[col], role, buf, view_staffing_cols[col].align);
		}
	}
	my = y + top_h;
	draw_text(a, my, 0, w, TR_HEADER, "Suggested moves - j/k choose, Enter opens the move to confirm");
	list_scroll(l, h - top_h - 1);
	if (l->n == 0) {
		char why[160];

		snprintf(why, sizeof why, "No suggestion: %s.", staffing_reason_text(c->st.reason));
		draw_text(a, my + 1, 0, w, TR_DIM, why);
	}
	for (int i = 0; i < h - top_h - 1 && l->top + i < (int)l->n; i++) {
		char line[512];

		advisor_move_text(&a->conn.floor, &c->st.moves[l->rows[l->top + i]], line, sizeof line);
		draw_text(a, my + 1 + i, 0, w, l->top + i == l->cursor ? TR_SELECTION : TR_NORMAL, line);
	}
}

/* Enter: the suggestion under the cursor, to confirm. */
static bool
view_staffing_key(struct app *a, int key)
{
	struct list *l;
	struct move_spec spec;
	char err[160], reason[160];
	uint32_t row;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	l = view_list(a, VIEW_STAFFING);
	if (!list_current(l, &row) || movectl_refuse_readonly(a))
		return true;
	{
		const struct staffing_move *m = &view_staffing_cache(a)->st.moves[row];

		snprintf(reason, sizeof reason, "staffing advice: %s short", a->conn.floor.tenants[m->tenant].def.id);
		if (move_spec_build(&a->conn.floor, m->agents, m->n, m->to_pool, reason, &spec, err, sizeof err) < 0) {
			msg_show(&a->msg, true, "%s", err);
		} else {
			/* advice lends, to the end of the shift (l in the dialog
			 * changes it): the floor goes back to its roster by itself */
			spec.until = a->conn.floor.shift_end_ts > a->clock_ts ? a->conn.floor.shift_end_ts : 0;
			modal_open_confirm(&a->modal, &spec, 1, false);
		}
	}
	return true;
}

const struct view view_staffing = {
	.name = "Staffing",
	.cls = &view_staffing_class,
	.gen = view_staffing_gen,
	.draw = view_staffing_draw,
	.key = view_staffing_key,
	.done = view_staffing_done,
	.ncols = 0,
};
