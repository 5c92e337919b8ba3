/* box: bordered dialog frames and wrapped text inside them. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/box.h"
#include "pooltop/fmt.h"
#include "pooltop/view.h"
#include "pooltop/wrap.h"

void
box_draw(struct app *a, int y, int x, int h, int w, const char *title)
{
	/* Line glyphs as text, not ncurses' ACS: the alternate character
	 * set comes out as "qqqk" on terminals that ignore its shift in
	 * UTF-8 mode.  ASCII where the locale is not UTF-8. */
	const char *hz = a->utf8 ? "─" : "-", *vt = a->utf8 ? "│" : "|";
	const char *tl = a->utf8 ? "┌" : "+", *tr = a->utf8 ? "┐" : "+";
	const char *bl = a->utf8 ? "└" : "+", *br = a->utf8 ? "┘" : "+";
	char t[256], *edge;
	size_t hl = strlen(hz);

	if (h < 2 || w < 2)
		return;
	edge = malloc((size_t)w * 3 + 1);
	if (edge == NULL)
		return;
	for (int i = 1; i < h - 1; i++) {
		draw_fill(a, y + i, x + 1, w - 2, TR_DIALOG);
		draw_text(a, y + i, x, 1, TR_BORDER, vt);
		draw_text(a, y + i, x + w - 1, 1, TR_BORDER, vt);
	}
	for (int row = 0; row < 2; row++) {
		size_t at = 0;
		const char *l = row ? bl : tl, *r = row ? br : tr;

		memcpy(edge, l, strlen(l));
		at += strlen(l);
		for (int i = 1; i < w - 1; i++, at += hl)
			memcpy(edge + at, hz, hl);
		memcpy(edge + at, r, strlen(r));
		at += strlen(r);
		edge[at] = '\0';
		draw_text(a, row ? y + h - 1 : y, x, w, TR_BORDER, edge);
	}
	free(edge);
	if (title && title[0] && w > 6) {
		snprintf(t, sizeof t, " %s ", title);
		draw_fit(a, y, x + 2, fmt_width(t) < w - 4 ? fmt_width(t) : w - 4, TR_HEADER, t, FMT_LEFT);
	}
}

int
box_text(struct app *a, int y, int x, int w, int max, int indent, enum theme_role role, const char *text)
{
	char (*lines)[WRAP_LINE_MAX];
	int n, shown;

	if (max <= 0 || w <= 0)
		return 0;
	lines = calloc((size_t)max, sizeof *lines);
	if (lines == NULL)
		return 0;
	n = wrap_text(text, w, indent, lines, max);
	shown = n < max ? n : max;
	for (int i = 0; i < shown; i++)
		draw_text(a, y + i, x, w, role, lines[i]);
	free(lines);
	return shown;
}
