/*
 * Audit: every move — the server's durable record, asked for once per
 * epoch, plus the agent.moved events since — newest first.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/view.h"

enum { VA_TIME, VA_BY, VA_AGENT, VA_FROM, VA_TO, VA_REASON, VA__COUNT };

static const struct draw_col view_audit_cols[] = {
	[VA_TIME] = { "Time", 8, FMT_LEFT, 100, false },
	[VA_BY] = { "By", 10, FMT_LEFT, 90, false },
	[VA_AGENT] = { "Agent", 8, FMT_LEFT, 95, false },
	[VA_FROM] = { "From", 13, FMT_LEFT, 85, false },
	[VA_TO] = { "To", 13, FMT_LEFT, 95, false },
	[VA_REASON] = { "Reason", 10, FMT_LEFT, 80, true },
};

static uint32_t
view_audit_match(const struct app *a, uint32_t *out)
{
	const struct app_audit *au = &a->audit;
	const char *filter = a->list[VIEW_AUDIT].filter;
	uint32_t n = 0;

	for (uint32_t i = au->n; i-- > 0;) {
		const struct proto_audit_row *r = &au->rows[i];
		if (fmt_match(r->by, filter) || fmt_match(r->agent, filter) || fmt_match(r->from, filter) ||
		    fmt_match(r->to, filter) || fmt_match(r->reason, filter))
			out[n++] = i;
	}
	return n;
}

static void
view_audit_cell(const struct proto_audit_row *r, int c, char *buf, size_t len)
{
	switch (c) {
	case VA_TIME:
		fmt_clock(buf, len, r->ts);
		break;
	case VA_BY:
		snprintf(buf, len, "%s", r->by);
		break;
	case VA_AGENT:
		snprintf(buf, len, "%s", r->agent);
		break;
	case VA_FROM:
		snprintf(buf, len, "%s", r->from);
		break;
	case VA_TO:
		snprintf(buf, len, "%s", r->to);
		break;
	case VA_REASON:
		snprintf(buf, len, "%s%s", r->forced ? "[forced] " : "", r->reason);
		break;
	default:
		buf[0] = '\0';
	}
}

static void
view_audit_draw(struct app *a, int y, int h, int w)
{
	struct app_list *l = &a->list[VIEW_AUDIT];
	uint32_t *rows = calloc(a->audit.n ? a->audit.n : 1, sizeof *rows), n;
	int xs[VA__COUNT], ws[VA__COUNT];

	if (rows == NULL)
		return;
	n = view_audit_match(a, rows);
	draw_layout(view_audit_cols, VA__COUNT, w, xs, ws);
	draw_header(a, y, w, view_audit_cols, VA__COUNT, xs, ws, -1, false);
	draw_list_clamp(l, (int)n, h - 1);
	if (n == 0)
		draw_text(a, y + 1, 0, w, TR_DIM, "No moves yet. Tag agents in Agents (2) with space, then m.");
	for (int i = 0; i < h - 1 && l->top + i < (int)n; i++) {
		const struct proto_audit_row *r = &a->audit.rows[rows[l->top + i]];
		bool sel = l->top + i == l->cursor;

		draw_fill(a, y + 1 + i, 0, w, sel ? TR_SELECTION : TR_NORMAL);
		for (int c = 0; c < VA__COUNT; c++) {
			char buf[PROTO_TEXT_MAX + 32];
			if (ws[c] == 0)
				continue;
			view_audit_cell(r, c, buf, sizeof buf);
			draw_fit(a, y + 1 + i, xs[c], ws[c], sel ? TR_SELECTION : r->forced && c == VA_REASON ? TR_WARN : TR_NORMAL,
			         buf, view_audit_cols[c].align);
		}
	}
	free(rows);
}

static bool
view_audit_key(struct app *a, int key)
{
	(void)a;
	(void)key;
	return false;
}

static int
view_audit_rows(struct app *a)
{
	uint32_t *rows = calloc(a->audit.n ? a->audit.n : 1, sizeof *rows), n = 0;

	if (rows != NULL)
		n = view_audit_match(a, rows);
	free(rows);
	return (int)n;
}

const struct view view_audit = {
	.name = "Audit",
	.draw = view_audit_draw,
	.key = view_audit_key,
	.rows = view_audit_rows,
	.ncols = 0,
};
