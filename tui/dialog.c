/*
 * The move dialogs.  A change to the floor always goes: choose -> say why
 * -> see exactly what will happen -> y.  The request carries the
 * manager's name; what it changes shows up only when the server's
 * agent.moved events do, and until then the agents read "pending".
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/dialog.h"
#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/view.h"

static bool
dialog_readonly(struct app *a)
{
	if (!a->opt.readonly)
		return false;
	app_message(a, true, "read-only dashboard (--readonly): moves are disabled, nothing was sent");
	return true;
}

/* ------------------------------------------------------------ starting */

void
dialog_move_start(struct app *a)
{
	const struct floor *f = &a->conn.floor;
	struct app_dialog *d = &a->dlg;

	if (dialog_readonly(a))
		return;
	if (!a->conn.have_floor) {
		app_message(a, true, "no floor yet: wait for LIVE");
		return;
	}
	memset(d, 0, sizeof *d);
	for (uint32_t i = 0; a->tagged && i < f->n_agents && d->n_agents < MOVE_AGENTS_MAX; i++)
		if (a->tagged[i])
			d->agents[d->n_agents++] = i;
	if (d->n_agents == 0 && a->view == VIEW_AGENTS) {
		uint32_t *rows = calloc(f->n_agents ? f->n_agents : 1, sizeof *rows);
		const struct app_list *l = &a->list[VIEW_AGENTS];
		uint32_t n = rows ? listing_agents(f, a->clock_ts, l->sort, l->desc, l->filter, rows) : 0;

		if (l->cursor >= 0 && (uint32_t)l->cursor < n)
			d->agents[d->n_agents++] = rows[l->cursor];
		free(rows);
	}
	if (d->n_agents == 0) {
		app_message(a, true, "no agents to move: tag some in Agents (2) with space, or put the cursor on one");
		return;
	}
	a->mode = APP_MODE_PICK;
	a->dirty = true;
}

void
dialog_move_spec(struct app *a, const struct move_spec *spec)
{
	if (dialog_readonly(a))
		return;
	memset(&a->dlg, 0, sizeof a->dlg);
	a->dlg.specs[0] = *spec;
	a->dlg.n_specs = 1;
	a->mode = APP_MODE_CONFIRM;
	a->dirty = true;
}

void
dialog_undo_start(struct app *a)
{
	struct app_dialog *d = &a->dlg;

	if (dialog_readonly(a))
		return;
	memset(d, 0, sizeof *d);
	d->n_specs = move_book_peek_undo(&a->moves, d->specs, APP_DIALOG_SPECS);
	if (d->n_specs == 0) {
		app_message(a, true, "nothing to undo: no move was made from this dashboard");
		return;
	}
	d->is_undo = true;
	a->mode = APP_MODE_CONFIRM;
	a->dirty = true;
}

/* ------------------------------------------------------------ sending */

static void
dialog_send(struct app *a, const struct move_spec *spec, bool is_undo)
{
	struct move_pending *p = move_book_send(&a->moves, spec, is_undo, conn_mono_ms());
	struct proto_request rq;

	if (p == NULL) {
		app_message(a, true, "too many moves in flight; wait for the server");
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_MOVE;
	rq.n_agents = spec->n;
	rq.agents = calloc(spec->n ? spec->n : 1, sizeof *rq.agents);
	if (rq.agents == NULL) {
		p->used = false;
		return;
	}
	for (uint32_t i = 0; i < spec->n; i++)
		proto_strlcpy(rq.agents[i], spec->agents[i], PROTO_ID_MAX);
	proto_strlcpy(rq.to, spec->to, PROTO_ID_MAX);
	proto_strlcpy(rq.reason, spec->reason, PROTO_TEXT_MAX);
	proto_strlcpy(rq.by, a->opt.user, PROTO_ID_MAX);
	rq.force = spec->force;
	if (conn_send(&a->conn, &rq, p->tag) < 0) {
		p->used = false;
		app_message(a, true, "the move could not be sent (too many requests in flight)");
	} else {
		proto_strlcpy(p->req, rq.id, PROTO_REQID_MAX);
		app_message(a, false, "sent: %u agent%s to %s, waiting for the server", spec->n,
		            spec->n == 1 ? "" : "s", spec->to);
	}
	free(rq.agents);
}

static void
dialog_confirm(struct app *a)
{
	struct app_dialog *d = &a->dlg;

	/* An undo's entry is retired when the undo lands (move_book), so a
	 * cancelled or refused undo stays available. */
	for (uint32_t i = 0; i < d->n_specs; i++)
		dialog_send(a, &d->specs[i], d->is_undo);
	a->mode = APP_MODE_NORMAL;
	if (a->tagged && !d->is_undo)
		memset(a->tagged, 0, a->n_tagged_cap * sizeof *a->tagged);
}

static void
dialog_done_message(struct app *a, const struct move_spec *spec)
{
	app_message(a, false, "moved %u agent%s to %s (confirmed in %lld ms)", spec->n,
	            spec->n == 1 ? "" : "s", spec->to, (long long)a->moves.last_latency_ms);
	/* Our own move just landed: the manager is looking for it. */
	a->paint_now = true;
}

void
dialog_on_reply(struct app *a, uint64_t tag, const struct proto_reply *rp, bool answered)
{
	struct move_pending *p = move_book_find_tag(&a->moves, tag);
	struct move_spec spec;
	bool is_undo;

	if (p == NULL)
		return;
	spec = p->spec;
	is_undo = p->is_undo;
	a->dirty = true;
	if (!answered) {
		move_book_unknown(p, conn_mono_ms());
		app_message(a, true, "no answer from the server: the move to %s may or may not happen; "
		            "nothing more is sent, and the Audit view will show it if it does", spec.to);
		return;
	}
	if (rp->ok) {
		/* A replayed reply names its own epoch; an old server's none. */
		move_book_ack(p, rp->epoch ? rp->epoch : a->conn.floor.epoch, rp->seq);
		if (move_book_reply(&a->moves, p, true, conn_mono_ms()))
			dialog_done_message(a, &spec);
		else
			dialog_settle(a);
		return;
	}
	move_book_reply(&a->moves, p, false, conn_mono_ms());
	a->paint_now = true;
	if (rp->err == PROTO_RE_CONTRACT_MIN && !spec.force && a->mode == APP_MODE_NORMAL) {
		memset(&a->dlg, 0, sizeof a->dlg);
		a->dlg.specs[0] = spec;
		a->dlg.n_specs = 1;
		a->dlg.is_undo = is_undo;
		proto_strlcpy(a->dlg.refused, rp->msg, PROTO_TEXT_MAX);
		a->input[0] = '\0';
		a->mode = APP_MODE_FORCE;
		return;
	}
	app_message(a, true, "refused (%s): %s", proto_reply_err_name(rp->err), rp->msg);
}

void
dialog_on_event(struct app *a, const struct proto_event *ev)
{
	struct move_pending *p = move_book_event(&a->moves, ev, conn_mono_ms());

	if (p != NULL)
		dialog_done_message(a, &p->spec);
}

void
dialog_settle(struct app *a)
{
	struct move_pending last;

	if (!a->conn.have_floor)
		return;
	if (move_book_settle(&a->moves, a->conn.floor.epoch, a->conn.floor.seq, conn_mono_ms(), &last) > 0)
		dialog_done_message(a, &last.spec);
}

/* ------------------------------------------------------------ picker */

static uint32_t
dialog_pools(struct app *a, uint32_t *rows)
{
	return listing_pools(&a->conn.floor, "", rows);
}

static void
dialog_pick_line(struct app *a, uint32_t p, char *buf, size_t len)
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

		fmt_fit(name, sizeof name, f->tenants[pl->tenant].def.name, 18, FMT_LEFT, a->utf8);
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
dialog_box(struct app *a, int y, int h, int x, int w, const char *title)
{
	for (int i = 0; i < h; i++)
		draw_fill(a, y + i, x, w, TR_DIALOG);
	draw_text(a, y, x, w, TR_HEADER, title);
}

static void
dialog_draw_pick(struct app *a)
{
	struct app_dialog *d = &a->dlg;
	uint32_t *rows = calloc(a->conn.floor.n_pools ? a->conn.floor.n_pools : 1, sizeof *rows);
	int w = a->cols - 4, h = a->rows - 4, x = 2, y = 2;
	struct app_list l = { d->pick, d->pick_top, 0, false, "" };
	char title[128];
	uint32_t n;

	if (rows == NULL)
		return;
	n = dialog_pools(a, rows);
	snprintf(title, sizeof title, " Move %u agent%s to which pool? Enter picks, Esc cancels", d->n_agents,
	         d->n_agents == 1 ? "" : "s");
	dialog_box(a, y, h, x, w, title);
	draw_list_clamp(&l, (int)n, h - 1);
	d->pick = l.cursor;
	d->pick_top = l.top;
	for (int i = 0; i < h - 1 && l.top + i < (int)n; i++) {
		char line[256];
		dialog_pick_line(a, rows[l.top + i], line, sizeof line);
		draw_text(a, y + 1 + i, x + 1, w - 2, l.top + i == d->pick ? TR_SELECTION : TR_DIALOG, line);
	}
	free(rows);
}

/* ------------------------------------------------------------ confirm */

/* Agents on duty in pool `id` now, and after the dialog's moves. */
static void
dialog_effect(struct app *a, const char *id, int *before, int *after)
{
	const struct floor *f = &a->conn.floor;
	const struct app_dialog *d = &a->dlg;
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
dialog_confirm_lines(struct app *a, char lines[][256], bool *agent_line, int max)
{
	const struct floor *f = &a->conn.floor;
	const struct app_dialog *d = &a->dlg;
	char pools[16][PROTO_ID_MAX + 1];
	int n = 0, np = 0;

	for (uint32_t s = 0; s < d->n_specs && n < max; s++) {
		const struct move_spec *sp = &d->specs[s];

		snprintf(lines[n++], 256, "%s %u agent%s to %s%s", d->is_undo ? "Undo: move" : "Move", sp->n,
		         sp->n == 1 ? "" : "s", sp->to, sp->force ? " (FORCED past the contract minimum)" : "");
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

				fmt_fit(fit, sizeof fit, name, 20, FMT_LEFT, a->utf8);
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
		dialog_effect(a, pools[k], &before, &after);
		snprintf(lines[n++], 256, "  %-14.32s %3d -> %3d", pools[k], before, after);
	}
	return n;
}

static void
dialog_draw_confirm(struct app *a)
{
	static char lines[160][256];
	bool agent_line[160] = { false };
	int n = dialog_confirm_lines(a, lines, agent_line, 160);
	int room = a->rows - 7, w = a->cols - 4, y = 3, agents = 0, keep, seen = 0;
	bool said_more = false;

	for (int i = 0; i < n; i++)
		agents += agent_line[i];
	/* Agent lines give way first (one line says how many), so the
	 * staffing effect and the prompt are always on screen: nobody
	 * confirms blind. */
	keep = n <= room ? agents : agents - (n - room) - 1;
	if (keep < 1)
		keep = 1;
	dialog_box(a, 2, (n <= room ? n : room) + 3, 2, w, " Confirm - y sends, n or Esc cancels");
	for (int i = 0; i < n; i++) {
		if (agent_line[i] && ++seen > keep) {
			if (!said_more) {
				char more[64];

				snprintf(more, sizeof more, "  ... and %d more agent%s", agents - keep,
				         agents - keep == 1 ? "" : "s");
				draw_text(a, y++, 3, w - 2, TR_DIM, more);
				said_more = true;
			}
			continue;
		}
		draw_text(a, y++, 3, w - 2, TR_DIALOG, lines[i]);
	}
	draw_text(a, y, 3, w - 2, TR_WARN, "y send    n cancel");
}

static void
dialog_draw_force(struct app *a)
{
	int w = a->cols - 4;
	char line[PROTO_TEXT_MAX + 64];

	dialog_box(a, 2, 6, 2, w, " Refused: contract minimum");
	draw_text(a, 3, 3, w - 2, TR_CRIT, a->dlg.refused);
	draw_text(a, 4, 3, w - 2, TR_DIALOG, "Force it? A reason is required; Enter goes on to confirm, Esc cancels.");
	snprintf(line, sizeof line, "Reason: %s_", a->input);
	draw_text(a, 6, 3, w - 2, TR_INPUT, line);
}

void
dialog_draw(struct app *a)
{
	switch (a->mode) {
	case APP_MODE_PICK:
		dialog_draw_pick(a);
		break;
	case APP_MODE_CONFIRM:
		dialog_draw_confirm(a);
		break;
	case APP_MODE_FORCE:
		dialog_draw_force(a);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ keys */

static void
dialog_pick_key(struct app *a, int key)
{
	struct app_dialog *d = &a->dlg;
	uint32_t *rows, n;

	if (key == 27 || key == 'q') {
		a->mode = APP_MODE_NORMAL;
		return;
	}
	if (key == 'j' || key == KEY_DOWN)
		d->pick++;
	else if (key == 'k' || key == KEY_UP)
		d->pick--;
	else if (key == KEY_NPAGE)
		d->pick += a->rows - 6;
	else if (key == KEY_PPAGE)
		d->pick -= a->rows - 6;
	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return;
	rows = calloc(a->conn.floor.n_pools ? a->conn.floor.n_pools : 1, sizeof *rows);
	if (rows == NULL)
		return;
	n = dialog_pools(a, rows);
	if (d->pick >= 0 && (uint32_t)d->pick < n) {
		char err[128];
		if (move_spec_build(&a->conn.floor, d->agents, d->n_agents, rows[d->pick], "", &d->specs[0], err,
		                    sizeof err) < 0) {
			app_message(a, true, "%s", err);
			a->mode = APP_MODE_NORMAL;
		} else {
			d->n_specs = 1;
			a->input[0] = '\0';
			a->mode = APP_MODE_REASON;
		}
	}
	free(rows);
}

void
dialog_key(struct app *a, wint_t ch, bool is_key)
{
	int key = (int)ch, r;

	a->dirty = true;
	switch (a->mode) {
	case APP_MODE_PICK:
		dialog_pick_key(a, key);
		break;
	case APP_MODE_REASON:
		r = app_input_key(a, ch, is_key);
		if (r < 0) {
			a->mode = APP_MODE_NORMAL;
		} else if (r > 0) {
			proto_strlcpy(a->dlg.specs[0].reason, a->input, PROTO_TEXT_MAX);
			a->mode = APP_MODE_CONFIRM;
		}
		break;
	case APP_MODE_CONFIRM:
		if (!is_key && (ch == 'y' || ch == 'Y'))
			dialog_confirm(a);
		else if (!is_key && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q'))
			a->mode = APP_MODE_NORMAL;
		break;
	case APP_MODE_FORCE:
		r = app_input_key(a, ch, is_key);
		if (r < 0) {
			a->mode = APP_MODE_NORMAL;
		} else if (r > 0) {
			if (a->input[0] == '\0') {
				app_message(a, true, "a reason is required to force a move past the contract minimum");
				break;
			}
			/* Forcing is a new decision: it gets its own y. */
			a->dlg.specs[0].force = true;
			proto_strlcpy(a->dlg.specs[0].reason, a->input, PROTO_TEXT_MAX);
			a->mode = APP_MODE_CONFIRM;
		}
		break;
	default:
		break;
	}
}
