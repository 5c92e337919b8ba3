/*
 * Events: the live feed, newest first.  'p' pauses it (the rows stay put
 * while new events are counted), the cursor keys scroll, '/' filters.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/evtext.h"
#include "pooltop/fmt.h"
#include "pooltop/view.h"

/* The i-th row: newest first, frozen while paused. */
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

/* ------------------------------------------------------------ rows */

static uint32_t
view_events_build(void *ctx)
{
	const struct app *a = ctx;
	uint32_t n = a->log.count;

	/* While paused the newest `missed` are not shown. */
	if (a->log.paused)
		n = a->log.missed < n ? n - a->log.missed : 0;
	return n;
}

/* The filter reads the line as shown. */
static bool
view_events_match(void *ctx, uint32_t row, const char *filter)
{
	const struct proto_event *ev = view_events_at(ctx, row);
	char line[600];

	if (ev == NULL)
		return false;
	view_events_line(ev, line, sizeof line);
	return fmt_match(line, filter);
}

static void
view_events_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	const struct proto_event *ev = view_events_at(ctx, row);

	snprintf(buf, len, "%" PRIu64 ":%" PRIu64, ev ? ev->epoch : 0, ev ? ev->seq : 0);
}

static const struct list_class view_events_class = {
	.build = view_events_build,
	.match = view_events_match,
	.key = view_events_key_of,
};

static uint64_t
view_events_gen(struct app *a)
{
	return list_gen_mix(a->log.pushed, a->log.paused);
}

/* ------------------------------------------------------------ draw */

static void
view_events_draw(struct app *a, struct list *l, int y, int h, int w)
{
	char head[128];

	if (a->log.paused)
		snprintf(head, sizeof head, "PAUSED (%u new) - p resumes", a->log.missed);
	else
		snprintf(head, sizeof head, "Live feed, newest first - p pauses");
	draw_text(a, y, 0, w, a->log.paused ? TR_WARN : TR_HEADER, head);
	list_scroll(l, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int row = l->top + i;
		char line[600];
		const struct proto_event *ev, *older;
		enum theme_role role = TR_NORMAL;

		if (row >= (int)l->n || (ev = view_events_at(a, l->rows[row])) == NULL) {
			draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
			continue;
		}
		view_events_line(ev, line, sizeof line);
		/* The server restarted (or redefined the floor) between these two:
		 * seqs start again, and the figures before it are another run's. */
		older = view_events_at(a, l->rows[row] + 1);
		if (older != NULL && older->epoch != ev->epoch) {
			char mark[700];

			snprintf(mark, sizeof mark, "== new epoch %llu == %s", (unsigned long long)ev->epoch,
			         line);
			draw_text(a, y + 1 + i, 0, w, row == l->cursor && a->log.paused ? TR_SELECTION : TR_HEADER,
			          mark);
			continue;
		}
		if (ev->type == PROTO_EV_CONTACT_ABANDONED)
			role = TR_CRIT;
		else if (ev->type == PROTO_EV_AGENT_MOVED || ev->type == PROTO_EV_SHIFT_STARTED)
			role = TR_WARN;
		else if (ev->type != PROTO_EV_CONTACT_ANSWERED && ev->type != PROTO_EV_CONTACT_QUEUED)
			role = TR_DIM;
		draw_text(a, y + 1 + i, 0, w, row == l->cursor && a->log.paused ? TR_SELECTION : role, line);
	}
}

static bool
view_events_key(struct app *a, int key)
{
	struct list *l = &a->list[VIEW_EVENTS];

	if (key != 'p')
		return false;
	a->log.paused = !a->log.paused;
	a->log.missed = 0;
	/* Paused rows stay put and the cursor stays on its event; live,
	 * the newest come in at the top under a cursor that keeps its place. */
	l->keep_position = !a->log.paused;
	l->cursor = l->top = 0;
	l->cur_key[0] = '\0';
	a->dirty = true;
	return true;
}

const struct view view_events = {
	.name = "Events",
	.cls = &view_events_class,
	.gen = view_events_gen,
	.draw = view_events_draw,
	.key = view_events_key,
	.ncols = 0,
};
