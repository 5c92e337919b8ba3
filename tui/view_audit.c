/*
 * Audit: every move — the server's durable record, asked for once per
 * epoch, plus the agent.moved events since — newest first.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/view.h"

enum { VA_TIME, VA_BY, VA_AGENT, VA_FROM, VA_TO, VA_REASON, VA__COUNT };

static const struct draw_col view_audit_cols[] = {
	[VA_TIME] = { "Date and time", 19, FMT_LEFT, 100, false },
	[VA_BY] = { "By", 10, FMT_LEFT, 90, false },
	[VA_AGENT] = { "Agent", 8, FMT_LEFT, 95, false },
	[VA_FROM] = { "From", 13, FMT_LEFT, 85, false },
	[VA_TO] = { "To", 13, FMT_LEFT, 95, false },
	[VA_REASON] = { "Reason", 10, FMT_LEFT, 80, true },
};

static void
view_audit_cell(const struct proto_audit_row *r, int c, char *buf, size_t len)
{
	switch (c) {
	case VA_TIME: {
		/* A record read days later needs its day, not just its hour. */
		time_t t = (time_t)(r->ts / 1000);
		struct tm tm;

		if (localtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			snprintf(buf, len, "-");
		break;
	}
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

/* ------------------------------------------------------------ rows */

/* Row i is the i-th newest. */
static const struct proto_audit_row *
view_audit_at(const struct app *a, uint32_t i)
{
	return &a->audit.rows[a->audit.n - 1 - i];
}

static uint32_t
view_audit_build(void *ctx)
{
	return ((struct app *)ctx)->audit.n;
}

static bool
view_audit_match(void *ctx, uint32_t row, const char *filter)
{
	const struct proto_audit_row *r = view_audit_at(ctx, row);

	return fmt_match(r->by, filter) || fmt_match(r->agent, filter) || fmt_match(r->from, filter) ||
	       fmt_match(r->to, filter) || fmt_match(r->reason, filter);
}

static void
view_audit_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	const struct proto_audit_row *r = view_audit_at(ctx, row);

	snprintf(buf, len, "%" PRIu64 ":%" PRIu64, r->epoch, r->seq);
}

static const struct list_class view_audit_class = {
	.build = view_audit_build,
	.match = view_audit_match,
	.key = view_audit_key_of,
};

static uint64_t
view_audit_gen(struct app *a)
{
	return a->audit.gen;
}

/* ------------------------------------------------------------ draw */

static void
view_audit_table_cell(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
                      enum theme_role *role)
{
	const struct proto_audit_row *r = view_audit_at(a, row);

	(void)width;
	view_audit_cell(r, col, buf, len);
	if (r->forced && col == VA_REASON)
		*role = TR_WARN;
}

static void
view_audit_draw(struct app *a, struct list *l, int y, int h, int w)
{
	static const struct draw_table table = {
		view_audit_cols, VA__COUNT, false, view_audit_table_cell, NULL,
	};

	draw_table(a, l, &table, y, h, w);
	if (l->n == 0)
		draw_text(a, y + 1, 0, w, TR_DIM, "No moves yet. Tag agents in Agents (2) with space, then m.");
}

const struct view view_audit = {
	.name = "Audit",
	.cls = &view_audit_class,
	.gen = view_audit_gen,
	.draw = view_audit_draw,
	.ncols = 0,
};
