/*
 * Staffing: per tenant, agents required by Erlang C for this interval's
 * load next to agents staffed, and the moves that would close the gaps.
 * Enter on a suggestion opens the ordinary move confirmation.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advice.h"
#include "pooltop/movectl.h"
#include "pooltop/fmt.h"
#include "pooltop/view.h"

enum { VS_NAME, VS_LOAD, VS_AHT, VS_REQ, VS_DED, VS_SHR, VS_STAFFED, VS_GAP, VS_SL, VS__COUNT };

static const struct draw_col view_staffing_cols[] = {
	[VS_NAME] = { "Tenant", 14, FMT_LEFT, 100, true },
	[VS_LOAD] = { "Load erl", 8, FMT_RIGHT, 80, false },
	[VS_AHT] = { "AHT", 9, FMT_RIGHT, 60, false },
	[VS_REQ] = { "Req", 4, FMT_RIGHT, 99, false },
	[VS_DED] = { "Ded", 4, FMT_RIGHT, 70, false },
	[VS_SHR] = { "Shr", 4, FMT_RIGHT, 70, false },
	[VS_STAFFED] = { "Staffed", 7, FMT_RIGHT, 98, false },
	[VS_GAP] = { "Gap", 5, FMT_RIGHT, 99, false },
	[VS_SL] = { "SL now", 6, FMT_RIGHT, 90, false },
};

static void
view_staffing_cell(const struct app *a, const struct advice_tenant *r, int c, char *buf, size_t len)
{
	const struct floor *f = &a->conn.floor;

	switch (c) {
	case VS_NAME:
		snprintf(buf, len, "%s", f->tenants[r->tenant].def.name);
		break;
	case VS_LOAD:
		snprintf(buf, len, "%.1f", r->load);
		break;
	case VS_AHT:
		draw_aht(buf, len, r->aht_s, f->tenants[r->tenant].cur.handled);
		break;
	case VS_REQ:
		snprintf(buf, len, "%u", r->required);
		break;
	case VS_DED:
		snprintf(buf, len, "%u", r->dedicated);
		break;
	case VS_SHR:
		snprintf(buf, len, "%.0f", r->shared);
		break;
	case VS_STAFFED:
		snprintf(buf, len, "%.0f", r->staffed);
		break;
	case VS_GAP:
		snprintf(buf, len, "%+.0f", r->gap);
		break;
	case VS_SL:
		fmt_pct(buf, len, r->sl_now, 0);
		break;
	default:
		buf[0] = '\0';
	}
}

static void
view_staffing_move_line(const struct app *a, const struct advice_move *m, char *buf, size_t len)
{
	const struct floor *f = &a->conn.floor;
	char b[16], c[16];

	snprintf(buf, len, "%u agent%s %s -> %s for %s: SL %s -> %s", m->n, m->n == 1 ? "" : "s",
	         f->pools[m->from_pool].def.id, f->pools[m->to_pool].def.id, f->tenants[m->tenant].def.name,
	         fmt_pct(b, sizeof b, m->sl_before, 0), fmt_pct(c, sizeof c, m->sl_after, 0));
}

/* ------------------------------------------------------------ rows */

/* The advice, computed once per build (Erlang C for every tenant is the
 * costly part), and the tenants' order by gap. */
struct view_staffing_cache {
	bool have;
	struct advice adv;
	uint32_t n_order;
	uint32_t order[512];
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
		advice_free(&c->adv);
	c->have = false;
	c->n_order = 0;
}

/* The rows of the list are the suggested moves. */
static uint32_t
view_staffing_build(void *ctx)
{
	struct app *a = ctx;
	struct view_staffing_cache *c = view_staffing_cache(a);

	if (c == NULL)
		return 0;
	view_staffing_drop(c);
	if (advice_compute(&a->conn.floor, a->clock_ts, &c->adv) < 0)
		return 0;
	c->have = true;
	/* Worst gap first. */
	for (uint32_t i = 0; i < c->adv.n_tenants && c->n_order < 512; i++) {
		uint32_t j = c->n_order++;

		while (j > 0 && c->adv.tenants[c->order[j - 1]].gap > c->adv.tenants[i].gap) {
			c->order[j] = c->order[j - 1];
			j--;
		}
		c->order[j] = i;
	}
	return c->adv.n_moves;
}

/* A suggestion is who it helps, from where, to where. */
static void
view_staffing_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;
	const struct advice_move *m = &view_staffing_cache(a)->adv.moves[row];

	snprintf(buf, len, "%s:%s>%s", f->tenants[m->tenant].def.id, f->pools[m->from_pool].def.id,
	         f->pools[m->to_pool].def.id);
}

static bool
view_staffing_match(void *ctx, uint32_t row, const char *filter)
{
	char line[256];

	view_staffing_move_line(ctx, &view_staffing_cache(ctx)->adv.moves[row], line, sizeof line);
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
	return list_gen_mix(a->conn.floor.gen, (uint64_t)a->clock_ts);
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
	top_h = h - 3 - (int)(c->adv.n_moves ? c->adv.n_moves : 1);
	if (top_h < h / 2)
		top_h = h / 2;
	draw_layout(view_staffing_cols, VS__COUNT, w, xs, ws);
	draw_header(a, y, w, view_staffing_cols, VS__COUNT, xs, ws, VS_GAP, false);
	for (int i = 0; i < top_h - 1; i++) {
		draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
		if ((uint32_t)i >= c->n_order)
			continue;
		for (int col = 0; col < VS__COUNT; col++) {
			const struct advice_tenant *r = &c->adv.tenants[c->order[i]];
			char buf[128];
			enum theme_role role = TR_NORMAL;

			if (ws[col] == 0)
				continue;
			view_staffing_cell(a, r, col, buf, sizeof buf);
			if (col == VS_GAP)
				role = r->gap < 0 ? TR_CRIT : TR_OK;
			/* advice from an AHT of a handful of contacts is a guess */
			if (col == VS_AHT && stats_aht_thin(a->conn.floor.tenants[r->tenant].cur.handled))
				role = TR_DIM;
			draw_fit(a, y + 1 + i, xs[col], ws[col], role, buf, view_staffing_cols[col].align);
		}
	}
	my = y + top_h;
	draw_text(a, my, 0, w, TR_HEADER, "Suggested moves - j/k choose, Enter opens the move to confirm");
	list_scroll(l, h - top_h - 1);
	if (l->n == 0)
		draw_text(a, my + 1, 0, w, TR_DIM, "No move would close a gap now: no pool has agents to spare.");
	for (int i = 0; i < h - top_h - 1 && l->top + i < (int)l->n; i++) {
		char line[256];

		view_staffing_move_line(a, &c->adv.moves[l->rows[l->top + i]], line, sizeof line);
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
		const struct advice_move *m = &view_staffing_cache(a)->adv.moves[row];

		snprintf(reason, sizeof reason, "staffing advice: %s short", a->conn.floor.tenants[m->tenant].def.id);
		if (move_spec_build(&a->conn.floor, m->agents, m->n, m->to_pool, reason, &spec, err, sizeof err) < 0)
			msg_show(&a->msg, true, "%s", err);
		else
			modal_open_confirm(&a->modal, &spec, 1, false);
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
