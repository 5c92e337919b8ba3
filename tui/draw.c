/* Drawing helpers shared by the views: fitted text in a theme role. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/view.h"

enum theme_role
draw_sl_role(enum stats_level l)
{
	switch (l) {
	case STATS_OK:
		return TR_OK;
	case STATS_WARN:
	case STATS_CRIT:
		return TR_CRIT;
	default:
		return TR_DIM;
	}
}

enum theme_role
draw_wait_role(enum stats_level l)
{
	switch (l) {
	case STATS_WARN:
		return TR_WARN;
	case STATS_CRIT:
		return TR_CRIT;
	default:
		return TR_NORMAL;
	}
}

char *
draw_aht(char *buf, size_t len, double aht_s, uint64_t handled)
{
	char t[32];

	fmt_secs(t, sizeof t, aht_s);
	/* how few it rests on, where that is too few to mean much */
	if (stats_aht_thin(handled) && handled > 0)
		snprintf(buf, len, "%s (%llu)", t, (unsigned long long)handled);
	else
		snprintf(buf, len, "%s", t);
	return buf;
}

void
draw_fit(struct app *a, int y, int x, int cols, enum theme_role role, const char *s, int align)
{
	char buf[1024];

	if (cols <= 0 || y < 0 || y >= a->rows || x >= a->cols)
		return;
	if (x + cols > a->cols)
		cols = a->cols - x;
	if ((size_t)cols * 4 + 1 > sizeof buf)
		cols = (int)(sizeof buf - 1) / 4;
	fmt_fit_text(buf, sizeof buf, s, cols, (enum fmt_align)align, a->utf8);
	/* Not LIVE: every figure between the title and the input line is
	 * dimmed, so a frozen screen never passes for a live one.  The
	 * stale markers themselves keep their own look. */
	if (a->stale_look && y >= 1 && y < a->rows - 2 && role != TR_STALE && role != TR_OFFLINE)
		attrset((a->attr[role] & ~(attr_t)A_BOLD) | A_DIM);
	else
		attrset(a->attr[role]);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

void
draw_text(struct app *a, int y, int x, int cols, enum theme_role role, const char *s)
{
	draw_fit(a, y, x, cols, role, s, FMT_LEFT);
}

void
draw_fill(struct app *a, int y, int x, int cols, enum theme_role role)
{
	draw_fit(a, y, x, cols, role, "", FMT_LEFT);
}

void
draw_edit(struct app *a, int y, int x, int cols, const char *prefix, const struct lineedit *le)
{
	char line[LINEEDIT_MAX + 128];
	bool at_end = le->buf[le->cur] == '\0';
	int cx;

	/* The cursor: an underscore at the end of the line, else the
	 * character under it reversed (the terminal's own stays hidden). */
	snprintf(line, sizeof line, "%s%s%s", prefix, le->buf, at_end ? "_" : "");
	draw_text(a, y, x, cols, TR_INPUT, line);
	cx = x + fmt_width(prefix) + lineedit_cursor_col(le);
	if (!at_end && cx < x + cols && cx < a->cols && y >= 0 && y < a->rows)
		mvchgat(y, cx, 1, (a->attr[TR_INPUT] & ~A_COLOR) ^ A_REVERSE,
		        (short)PAIR_NUMBER(a->attr[TR_INPUT]), NULL);
}

void
draw_col_fit(struct draw_col *c, int cols)
{
	if (cols > c->width)
		c->width = cols;
}

void
draw_layout(const struct draw_col *c, int n, int w, int *xs, int *ws)
{
	bool shown[32];
	int used, x = 0, extra;

	for (int i = 0; i < n && i < 32; i++)
		shown[i] = true;
	for (;;) {
		int lowest = -1;

		used = 0;
		for (int i = 0; i < n; i++)
			if (shown[i])
				used += c[i].width + 1;
		if (used <= w)
			break;
		for (int i = 0; i < n; i++)
			if (shown[i] && !c[i].flex && (lowest < 0 || c[i].prio < c[lowest].prio))
				lowest = i;
		if (lowest < 0)
			break;
		shown[lowest] = false;
	}
	for (int i = 0; i < n; i++)
		ws[i] = shown[i] ? c[i].width : 0;
	/* Spare room: flex columns first, then grow ones, in column order,
	 * each up to its max; what nobody takes stays blank on the right. */
	extra = used < w ? w - used : 0;
	for (int pass = 0; pass < 2 && extra > 0; pass++) {
		for (int i = 0; i < n && extra > 0; i++) {
			int add = extra;

			if (!shown[i] || (pass == 0 ? !c[i].flex : !c[i].grow || c[i].flex))
				continue;
			if (c[i].max > 0)
				add = c[i].max > ws[i] ? c[i].max - ws[i] : 0;
			if (add > extra)
				add = extra;
			ws[i] += add;
			extra -= add;
		}
	}
	for (int i = 0; i < n; i++) {
		xs[i] = x;
		if (ws[i] > 0)
			x += ws[i] + 1;
	}
}

void
draw_header(struct app *a, int y, int w, const struct draw_col *c, int n, const int *xs,
            const int *ws, int sort, bool desc)
{
	draw_fill(a, y, 0, w, TR_HEADER);
	for (int i = 0; i < n; i++) {
		char t[64];

		if (ws[i] == 0)
			continue;
		if (i == sort)
			snprintf(t, sizeof t, "%s%s", c[i].title, a->utf8 ? (desc ? "▼" : "▲") : (desc ? "v" : "^"));
		else
			snprintf(t, sizeof t, "%s", c[i].title);
		draw_fit(a, y, xs[i], ws[i], TR_HEADER, t, c[i].align);
	}
}

void
draw_table(struct app *a, struct list *l, const struct draw_table *t, int y, int h, int w)
{
	int xs[32], ws[32], n = t->ncols < 32 ? t->ncols : 32;

	draw_layout(t->cols, n, w, xs, ws);
	draw_header(a, y, w, t->cols, n, xs, ws, t->sorted ? l->sort : -1, l->desc);
	list_scroll(l, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int idx = l->top + i;
		bool sel = idx == l->cursor;
		enum theme_role rr;
		uint32_t row;

		if (idx >= (int)l->n) {
			draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
			continue;
		}
		row = l->rows[idx];
		rr = t->row_role ? t->row_role(a, row) : TR_NORMAL;
		draw_fill(a, y + 1 + i, 0, w, sel ? TR_SELECTION : rr);
		for (int c = 0; c < n; c++) {
			char buf[4096];
			enum theme_role role = rr;

			if (ws[c] == 0)
				continue;
			t->cell(a, row, c, buf, sizeof buf, ws[c], &role);
			draw_fit(a, y + 1 + i, xs[c], ws[c], sel ? TR_SELECTION : role, buf, t->cols[c].align);
		}
	}
}
