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
#include "pooltop/dialog.h"
#include "pooltop/fmt.h"
#include "pooltop/view.h"

enum { VS_NAME, VS_LOAD, VS_AHT, VS_REQ, VS_DED, VS_SHR, VS_STAFFED, VS_GAP, VS_SL, VS__COUNT };

static const struct draw_col view_staffing_cols[] = {
	[VS_NAME] = { "Tenant", 14, FMT_LEFT, 100, true },
	[VS_LOAD] = { "Load erl", 8, FMT_RIGHT, 80, false },
	[VS_AHT] = { "AHT", 5, FMT_RIGHT, 60, false },
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
		fmt_secs(buf, len, r->aht_s);
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

static void
view_staffing_draw(struct app *a, int y, int h, int w)
{
	struct app_list *l = &a->list[VIEW_STAFFING];
	int xs[VS__COUNT], ws[VS__COUNT], top_h, my;
	struct advice adv;
	uint32_t order[512], n = 0;

	if (advice_compute(&a->conn.floor, a->clock_ts, &adv) < 0)
		return;
	/* Worst gap first. */
	for (uint32_t i = 0; i < adv.n_tenants && n < 512; i++) {
		uint32_t j = n++;
		while (j > 0 && adv.tenants[order[j - 1]].gap > adv.tenants[i].gap) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	top_h = h - 3 - (int)(adv.n_moves ? adv.n_moves : 1);
	if (top_h < h / 2)
		top_h = h / 2;
	draw_layout(view_staffing_cols, VS__COUNT, w, xs, ws);
	draw_header(a, y, w, view_staffing_cols, VS__COUNT, xs, ws, VS_GAP, false);
	for (int i = 0; i < top_h - 1; i++) {
		draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
		if ((uint32_t)i >= n)
			continue;
		for (int c = 0; c < VS__COUNT; c++) {
			const struct advice_tenant *r = &adv.tenants[order[i]];
			char buf[128];
			enum theme_role role = TR_NORMAL;

			if (ws[c] == 0)
				continue;
			view_staffing_cell(a, r, c, buf, sizeof buf);
			if (c == VS_GAP)
				role = r->gap < 0 ? TR_CRIT : TR_OK;
			draw_fit(a, y + 1 + i, xs[c], ws[c], role, buf, view_staffing_cols[c].align);
		}
	}
	my = y + top_h;
	draw_text(a, my, 0, w, TR_HEADER, "Suggested moves - j/k choose, Enter opens the move to confirm");
	draw_list_clamp(l, (int)adv.n_moves, h - top_h - 1);
	if (adv.n_moves == 0)
		draw_text(a, my + 1, 0, w, TR_DIM, "No move would close a gap now: no pool has agents to spare.");
	for (int i = 0; i < h - top_h - 1 && l->top + i < (int)adv.n_moves; i++) {
		char line[256];
		view_staffing_move_line(a, &adv.moves[l->top + i], line, sizeof line);
		draw_text(a, my + 1 + i, 0, w, l->top + i == l->cursor ? TR_SELECTION : TR_NORMAL, line);
	}
	advice_free(&adv);
}

static bool
view_staffing_key(struct app *a, int key)
{
	struct app_list *l = &a->list[VIEW_STAFFING];
	struct advice adv;
	struct move_spec spec;
	char err[160], reason[160];

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	if (advice_compute(&a->conn.floor, a->clock_ts, &adv) < 0)
		return true;
	if (l->cursor >= 0 && (uint32_t)l->cursor < adv.n_moves) {
		const struct advice_move *m = &adv.moves[l->cursor];
		snprintf(reason, sizeof reason, "staffing advice: %s short",
		         a->conn.floor.tenants[m->tenant].def.id);
		if (move_spec_build(&a->conn.floor, m->agents, m->n, m->to_pool, reason, &spec, err, sizeof err) < 0)
			app_message(a, true, "%s", err);
		else
			dialog_move_spec(a, &spec);
	}
	advice_free(&adv);
	return true;
}

static int
view_staffing_rows(struct app *a)
{
	struct advice adv;
	int n;

	if (advice_compute(&a->conn.floor, a->clock_ts, &adv) < 0)
		return 0;
	n = (int)adv.n_moves;
	advice_free(&adv);
	return n;
}

const struct view view_staffing = {
	.name = "Staffing",
	.draw = view_staffing_draw,
	.key = view_staffing_key,
	.rows = view_staffing_rows,
	.ncols = 0,
};
