/*
 * The feedback on screen: the current message (wrapped upwards over a few
 * rows when it is long, so the end of a sentence is never lost), and the
 * message log overlay (M or :messages), newest first with times.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "pooltop/box.h"
#include "pooltop/fmt.h"
#include "pooltop/msg_draw.h"
#include "pooltop/view.h"
#include "pooltop/wrap.h"

#define MSG_DRAW_ROWS 3          /* a message takes at most this many rows */

void
msg_draw_line(struct app *a, int y, const char *text, bool error)
{
	char lines[MSG_DRAW_ROWS][WRAP_LINE_MAX];
	int n = wrap_text(text, a->cols, 2, lines, MSG_DRAW_ROWS);

	if (n > MSG_DRAW_ROWS)
		n = MSG_DRAW_ROWS;
	for (int i = 0; i < n; i++)
		draw_text(a, y - (n - 1) + i, 0, a->cols, error ? TR_CRIT : TR_NORMAL, lines[i]);
}

void
msg_draw_log(struct app *a)
{
	int w = a->cols - 4 < 100 ? a->cols - 4 : 100, h = a->rows - 4, x = (a->cols - w) / 2, y = 1;
	int inner = h - 2, row = 0;
	char title[96];

	/* Scrolling counts messages, not rows: j/k step one message. */
	if (a->help_top > (int)a->msg.log_n - 1)
		a->help_top = (int)a->msg.log_n - 1;
	if (a->help_top < 0)
		a->help_top = 0;
	snprintf(title, sizeof title, "Messages (%u, newest first) - j/k scroll, any other key closes", a->msg.log_n);
	box_draw(a, y, x, h, w, title);
	if (a->msg.log_n == 0)
		draw_text(a, y + 1, x + 2, w - 4, TR_DIM, "nothing said yet this session");
	for (uint32_t i = (uint32_t)a->help_top; row < inner; i++) {
		const struct msg_entry *e = msg_log_get(&a->msg, i);
		char line[MSG_TEXT_MAX + 32], clock[16];

		if (e == NULL)
			break;
		fmt_clock(clock, sizeof clock, e->wall_ms);
		snprintf(line, sizeof line, "%s  %s", clock, e->text);
		row += box_text(a, y + 1 + row, x + 2, w - 4, inner - row, 10, e->error ? TR_CRIT : TR_DIALOG, line);
	}
}
