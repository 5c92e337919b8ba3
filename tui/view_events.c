/*
 * Events: the live feed, newest first.  'p' pauses it (the rows stay put
 * while new events are counted), the cursor keys scroll, '/' filters.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/evtext.h"
#include "pooltop/fmt.h"
#include "pooltop/view.h"

/* The i-th row shown: newest first, frozen while paused. */
static const struct proto_event *
view_events_at(const struct app *a, uint32_t i)
{
	return app_log_get(&a->log, i + (a->log.paused ? a->log.missed : 0));
}

static void
view_events_line(const struct proto_event *ev, char *buf, size_t len)
{
	char t[16], body[512];

	snprintf(buf, len, "%s #%-8llu %s", fmt_clock(t, sizeof t, ev->ts), (unsigned long long)ev->seq,
	         evtext_format(body, sizeof body, ev));
}

static int
view_events_match(const struct app *a, uint32_t *out, uint32_t max)
{
	const char *filter = a->list[VIEW_EVENTS].filter;
	uint32_t n = 0;

	for (uint32_t i = 0; n < max; i++) {
		const struct proto_event *ev = view_events_at(a, i);
		char line[600];

		if (ev == NULL)
			break;
		view_events_line(ev, line, sizeof line);
		if (fmt_match(line, filter))
			out[n++] = i;
	}
	return (int)n;
}

static void
view_events_draw(struct app *a, int y, int h, int w)
{
	struct app_list *l = &a->list[VIEW_EVENTS];
	uint32_t *idx = calloc(APP_LOG_MAX, sizeof *idx);
	char head[128];
	int n;

	if (idx == NULL)
		return;
	n = view_events_match(a, idx, APP_LOG_MAX);
	if (a->log.paused)
		snprintf(head, sizeof head, "PAUSED (%u new) - p resumes", a->log.missed);
	else
		snprintf(head, sizeof head, "Live feed, newest first - p pauses");
	draw_text(a, y, 0, w, a->log.paused ? TR_WARN : TR_HEADER, head);
	draw_list_clamp(l, n, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int row = l->top + i;
		char line[600];
		const struct proto_event *ev;
		enum theme_role role = TR_NORMAL;

		if (row >= n || (ev = view_events_at(a, idx[row])) == NULL) {
			draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
			continue;
		}
		view_events_line(ev, line, sizeof line);
		if (ev->type == PROTO_EV_CONTACT_ABANDONED)
			role = TR_CRIT;
		else if (ev->type == PROTO_EV_AGENT_MOVED || ev->type == PROTO_EV_SHIFT_STARTED)
			role = TR_WARN;
		else if (ev->type != PROTO_EV_CONTACT_ANSWERED && ev->type != PROTO_EV_CONTACT_QUEUED)
			role = TR_DIM;
		draw_text(a, y + 1 + i, 0, w, row == l->cursor && a->log.paused ? TR_SELECTION : role, line);
	}
	free(idx);
}

static bool
view_events_key(struct app *a, int key)
{
	if (key != 'p')
		return false;
	a->log.paused = !a->log.paused;
	a->log.missed = 0;
	a->list[VIEW_EVENTS].cursor = 0;
	a->list[VIEW_EVENTS].top = 0;
	a->dirty = true;
	return true;
}

static int
view_events_rows(struct app *a)
{
	uint32_t *idx = calloc(APP_LOG_MAX, sizeof *idx);
	int n = idx ? view_events_match(a, idx, APP_LOG_MAX) : 0;

	free(idx);
	return n;
}

const struct view view_events = {
	.name = "Events",
	.draw = view_events_draw,
	.key = view_events_key,
	.rows = view_events_rows,
	.ncols = 0,
};
