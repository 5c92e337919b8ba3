/* Drawing helpers shared by the views: fitted text in a theme role. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/view.h"

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
	fmt_fit(buf, sizeof buf, s, cols, (enum fmt_align)align, a->utf8);
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
draw_list_clamp(struct app_list *l, int n, int h)
{
	if (l->cursor >= n)
		l->cursor = n - 1;
	if (l->cursor < 0)
		l->cursor = 0;
	if (h < 1)
		h = 1;
	if (l->top > l->cursor)
		l->top = l->cursor;
	if (l->cursor >= l->top + h)
		l->top = l->cursor - h + 1;
	if (l->top > n - h)
		l->top = n - h;
	if (l->top < 0)
		l->top = 0;
}

void
draw_layout(const struct draw_col *c, int n, int w, int *xs, int *ws)
{
	bool shown[32];
	int used, x = 0, flex = -1;

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
	for (int i = 0; i < n; i++) {
		if (c[i].flex && shown[i] && flex < 0)
			flex = i;
	}
	for (int i = 0; i < n; i++) {
		ws[i] = shown[i] ? c[i].width : 0;
		if (i == flex && used < w)
			ws[i] += w - used;
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
