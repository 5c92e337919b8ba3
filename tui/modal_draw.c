/*
 * The move dialogs on screen, drawn over the view by themselves: the
 * pool picker, the confirmation (what exactly will happen, and the
 * staffing effect, before y) and the contract-minimum refusal.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/box.h"
#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/loanlen.h"
#include "pooltop/modal.h"
#include "pooltop/view.h"
#include "pooltop/wrap.h"

static void
modal_draw_pick_line(struct app *a, uint32_t p, char *buf, size_t len)
{
	const struct floor *f = &a->conn.floor;
	const struct floor_pool *pl = &f->pools[p];
	struct listing_pool r;
	char sl[16];

	listing_pool_row(f, p, &r);
	if (pl->tenant >= 0) {
		struct listing_tenant t;
		listing_tenant_row(f, (uint32_t)pl->tenant, a->clock_ts, &t);
		char name[128];

		fmt_fit_text(name, sizeof name, f->tenants[pl->tenant].def.name, 18, FMT_LEFT, a->utf8);
		snprintf(buf, len, "%-14s dedicated  %s on %3u, busy %3u   SL %s/%.0f", pl->def.id,
		         name, r.members - r.counts[PROTO_AS_OFFLINE],
		         r.counts[PROTO_AS_BUSY] + r.counts[PROTO_AS_WRAP],
		         fmt_pct(sl, sizeof sl, t.stats.service_level, 0), f->tenants[pl->tenant].def.sl_pct);
	} else {
		char serves[24];
		snprintf(serves, sizeof serves, "serves %u tenants", pl->def.n_serves);
		snprintf(buf, len, "%-14s shared     %-18.18s on %3u, busy %3u", pl->def.id, serves,
		         r.members - r.counts[PROTO_AS_OFFLINE], r.counts[PROTO_AS_BUSY] + r.counts[PROTO_AS_WRAP]);
	}
}


static void
modal_draw_pick(struct app *a)
{
	struct modal *d = &a->modal;
	struct list *l = modal_pools(d, &a->conn.floor);
	int w = a->cols - 4, h = a->rows - 4, x = 2, y = 2;
	char title[128];

	snprintf(title, sizeof title, "Move %u agent%s to which pool? Enter picks, Esc cancels", d->n_agents,
	         d->n_agents == 1 ? "" : "s");
	box_draw(a, y, x, h, w, title);
	list_scroll(l, h - 2);
	for (int i = 0; i < h - 2 && l->top + i < (int)l->n; i++) {
		char line[256];

		modal_draw_pick_line(a, modal_pick_pool(d, l->rows[l->top + i]), line, sizeof line);
		draw_text(a, y + 1 + i, x + 1, w - 2, l->top + i == l->cursor ? TR_SELECTION : TR_DIALOG, line);
	}
}

/* ------------------------------------------------------------ confirm */

/* Agents on duty in pool `id` now, and after the dialog's moves. */
static void
modal_draw_effect(struct app *a, const char *id, int *before, int *after)
{
	const struct floor *f = &a->conn.floor;
	const struct modal *d = &a->modal;
	int p = floor_pool_find(f, id);

	*before = *after = 0;
	if (p < 0)
		return;
	for (uint32_t i = 0; i < f->n_agents; i++)
		if (f->agents[i].pool == p && f->agents[i].def.state != PROTO_AS_OFFLINE)
			(*before)++;
	*after = *before;
	for (uint32_t s = 0; s < d->n_specs; s++) {
		for (uint32_t i = 0; i < d->specs[s].n; i++) {
			int ag = floor_agent_find(f, d->specs[s].agents[i]);
			if (ag < 0 || f->agents[ag].def.state == PROTO_AS_OFFLINE || f->agents[ag].pool == floor_pool_find(f, d->specs[s].to))
				continue;
			if (f->agents[ag].pool == p)
				(*after)--;
			if (strcmp(d->specs[s].to, id) == 0)
				(*after)++;
		}
	}
}

static int
modal_draw_confirm_lines(struct app *a, char lines[][256], bool *agent_line, int max)
{
	const struct floor *f = &a->conn.floor;
	const struct modal *d = &a->modal;
	char pools[16][PROTO_ID_MAX + 1];
	int n = 0, np = 0;

	for (uint32_t s = 0; s < d->n_specs && n < max; s++) {
		const struct move_spec *sp = &d->specs[s];

		char loan[32];

		loanlen_text(sp->until, loan, sizeof loan);
		snprintf(lines[n++], 256, "%s %u agent%s to %s%s%s", d->is_undo ? "Undo: move" : "Move", sp->n,
		         sp->n == 1 ? "" : "s", sp->to, sp->force ? " (FORCED past the contract minimum)" : "",
		         loan);
		for (uint32_t i = 0; i < sp->n && n < max; i++) {
			int ag = floor_agent_find(f, sp->agents[i]);
			const char *what = "";
			char name[PROTO_NAME_MAX + 1] = "";

			if (ag >= 0) {
				const struct floor_agent *fa = &f->agents[ag];
				proto_strlcpy(name, fa->def.name, PROTO_NAME_MAX);
				if (fa->def.state == PROTO_AS_BUSY || fa->def.state == PROTO_AS_WRAP)
					what = "mid-contact: finishes it first, shows \"moving\"";
				else
					what = proto_agent_state_name(fa->def.state);
			}
			{
				char fit[128];

				fmt_fit_text(fit, sizeof fit, name, 20, FMT_LEFT, a->utf8);
				agent_line[n] = true;
				snprintf(lines[n++], 256, "  %-8s %s %s -> %s  %s", sp->agents[i], fit, sp->from[i],
				         sp->to, what);
			}
			for (int k = 0; k <= np && np < 16; k++) {
				if (k == np) {
					proto_strlcpy(pools[np++], sp->from[i], PROTO_ID_MAX);
					break;
				}
				if (strcmp(pools[k], sp->from[i]) == 0)
					break;
			}
		}
		for (int k = 0; k <= np && np < 16; k++) {
			if (k == np) {
				proto_strlcpy(pools[np++], sp->to, PROTO_ID_MAX);
				break;
			}
			if (strcmp(pools[k], sp->to) == 0)
				break;
		}
		if (n < max)
			snprintf(lines[n++], 256, "  reason: %s", sp->reason[0] ? sp->reason : "(none given)");
	}
	if (n < max)
		snprintf(lines[n++], 256, "On duty after the move:");
	for (int k = 0; k < np && n < max; k++) {
		int before, after;
		modal_draw_effect(a, pools[k], &before, &after);
		snprintf(lines[n++], 256, "  %-14.32s %3d -> %3d", pools[k], before, after);
	}
	return n;
}

/* Rows a dialog line takes wrapped to w columns (hanging indent 4). */
static int
modal_draw_rows(const char *line, int w)
{
	return wrap_text(line, w, 4, NULL, 0);
}

static void
modal_draw_confirm(struct app *a)
{
	char (*lines)[256] = calloc(160, sizeof *lines);
	bool agent_line[160] = { false };
	int n = lines ? modal_draw_confirm_lines(a, lines, agent_line, 160) : 0;
	int w = a->cols - 4, tw = w - 4, room = a->rows - 8, y = 3, rows = 0, drop = 0, agents = 0;
	bool said_more = false;

	/* Every line wraps (nothing a decision rests on is cut); when they
	 * do not all fit, agent lines give way from the end (one line says
	 * how many), so the staffing effect and the prompt are always on
	 * screen: nobody confirms blind. */
	for (int i = 0; i < n; i++) {
		rows += modal_draw_rows(lines[i], tw);
		agents += agent_line[i];
	}
	for (int i = n - 1; i >= 0 && rows > room && drop < agents - 1; i--) {
		if (!agent_line[i])
			continue;
		rows -= modal_draw_rows(lines[i], tw);
		agent_line[i] = false;
		lines[i][0] = '\0';
		drop++;
		if (drop == 1)
			rows++;   /* "... and N more" */
	}
	if (rows > room)
		rows = room;
	box_draw(a, 2, 2, rows + 4, w, "Confirm - y sends, n or Esc cancels");
	for (int i = 0; i < n && y < 3 + rows; i++) {
		if (lines[i][0] == '\0') {
			if (!said_more) {
				char more[64];

				snprintf(more, sizeof more, "  ... and %d more agent%s", drop, drop == 1 ? "" : "s");
				draw_text(a, y++, 4, tw, TR_DIM, more);
				said_more = true;
			}
			continue;
		}
		y += box_text(a, y, 4, tw, 3 + rows - y, 4, TR_DIALOG, lines[i]);
	}
	draw_text(a, 2 + rows + 2, 4, tw, TR_WARN, "y send    n cancel    l loan length");
	free(lines);
}

static void
modal_draw_force(struct app *a)
{
	static const char ask[] = "Force it? A reason is required; Enter goes on to confirm, Esc cancels.";
	int w = a->cols - 4, tw = w - 4;
	int nr = wrap_text(a->modal.refused, tw, 0, NULL, 0), na = wrap_text(ask, tw, 0, NULL, 0);
	int y = 3;

	box_draw(a, 2, 2, nr + na + 5, w, "Refused: contract minimum");
	y += box_text(a, y, 4, tw, nr, 0, TR_CRIT, a->modal.refused);
	y += box_text(a, y, 4, tw, na, 0, TR_DIALOG, ask);
	draw_edit(a, y + 1, 4, tw, "Reason: ", &a->modal.reason);
}

void
modal_draw(struct app *a)
{
	switch (a->modal.kind) {
	case MODAL_PICK:
		modal_draw_pick(a);
		break;
	case MODAL_REASON:
		draw_edit(a, a->rows - 2, 0, a->cols, "Reason (Enter goes on, Esc cancels): ",
		                &a->modal.reason);
		break;
	case MODAL_CONFIRM:
		modal_draw_confirm(a);
		break;
	case MODAL_FORCE:
		modal_draw_force(a);
		break;
	default:
		break;
	}
}
