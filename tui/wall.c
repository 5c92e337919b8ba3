/*
 * The wallboard.  Big digits are a 3x5 font drawn with full blocks (or
 * '#' without UTF-8), so a service level reads from across the floor.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/view.h"
#include "pooltop/wall.h"

/* 3 columns x 5 rows per glyph; '1' = ink. */
static const char *
wall_glyph(char c)
{
	switch (c) {
	case '0': return "111101101101111";
	case '1': return "010110010010111";
	case '2': return "111001111100111";
	case '3': return "111001111001111";
	case '4': return "101101111001001";
	case '5': return "111100111001111";
	case '6': return "111100111101111";
	case '7': return "111001010010010";
	case '8': return "111101111101111";
	case '9': return "111101111001111";
	case '%': return "101001010100101";
	case ':': return "000010000010000";
	case '-': return "000000111000000";
	case '.': return "000000000000010";
	case 'm': return "000000111111101";
	case 's': return "000011010001110";
	default: return "000000000000000";
	}
}

int
wall_big_width(const char *text)
{
	return (int)strlen(text) * 4;
}

char *
wall_big(char *buf, size_t len, const char *text, int row, bool utf8)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const char *p = text; *p && used + 16 < len; p++) {
		const char *g = wall_glyph(*p);
		for (int c = 0; c < 3; c++) {
			bool ink = g[row * 3 + c] == '1';
			const char *cell = ink ? (utf8 ? "█" : "#") : " ";
			size_t n = strlen(cell);
			memcpy(buf + used, cell, n);
			used += n;
		}
		buf[used++] = ' ';
		buf[used] = '\0';
	}
	return buf;
}

static void
wall_figure(struct app *a, int y, int x, int w, const char *label, const char *value,
            enum theme_role role)
{
	draw_fit(a, y, x, w, TR_HEADER, label, FMT_LEFT);
	for (int r = 0; r < WALL_GLYPH_ROWS; r++) {
		char line[512];
		wall_big(line, sizeof line, value, r, a->utf8);
		draw_fit(a, y + 1 + r, x, w, role, line, FMT_LEFT);
	}
}

/* Every tenant's service level, the shown one marked. */
static void
wall_strip(struct app *a, int y, int h, uint32_t shown)
{
	const struct floor *f = &a->conn.floor;
	int cellw = 26, per_row = a->cols / cellw;

	if (per_row < 1)
		per_row = 1;
	for (uint32_t t = 0; t < f->n_tenants && (int)(t / (uint32_t)per_row) < h; t++) {
		struct listing_tenant r;
		char cell[256], pct[16], name[128];
		int row = (int)t / per_row, col = (int)t % per_row;

		listing_tenant_row(f, t, a->clock_ts, &r);
		fmt_fit(name, sizeof name, f->tenants[t].def.name, 16, FMT_LEFT, a->utf8);
		snprintf(cell, sizeof cell, "%s%s %5s", t == shown ? ">" : " ", name,
		         fmt_pct(pct, sizeof pct, r.stats.service_level, 0));
		draw_fit(a, y + row, col * cellw, cellw - 1, draw_sl_role(r.level), cell, FMT_LEFT);
	}
}

void
wall_draw(struct app *a)
{
	const struct floor *f = &a->conn.floor;
	struct listing_tenant r;
	const struct floor_tenant *t;
	char title[256], v[32], label[64], line[256];
	int half = a->cols / 2;
	uint32_t idx;

	if (f->n_tenants == 0)
		return;
	idx = a->wall_index % f->n_tenants;
	t = &f->tenants[idx];
	listing_tenant_row(f, idx, a->clock_ts, &r);
	snprintf(title, sizeof title, " %s  (%s)  %u/%u", t->def.name, proto_model_name(t->def.model), idx + 1,
	         f->n_tenants);
	draw_fill(a, 1, 0, a->cols, TR_TITLE);
	draw_text(a, 1, 0, a->cols, TR_TITLE, title);
	/* Across the screen, not only in the status line: a wall is read
	 * from across the room. */
	if (a->stale_look) {
		char at[16];
		int64_t now = conn_real_ms(), age = app_data_age_s(a, now);

		fmt_clock(at, sizeof at, now - age * 1000);
		wall_banner(line, sizeof line, conn_state_name(a->conn.state), at, age);
		draw_fill(a, 2, 0, a->cols, TR_STALE);
		draw_fit(a, 2, 0, a->cols, TR_STALE, line, FMT_LEFT);
	}

	fmt_pct(v, sizeof v, r.stats.service_level, 0);
	snprintf(label, sizeof label, "SERVICE LEVEL (target %.0f%% in %us)", t->def.sl_pct, t->def.sl_sec);
	wall_figure(a, 3, 1, half - 2, label, isnan(r.stats.service_level) ? "-" : v, draw_sl_role(r.level));
	snprintf(v, sizeof v, "%u", r.waiting);
	wall_figure(a, 3, half, half - 1, "WAITING", v, r.waiting ? TR_WARN : TR_OK);

	if (r.oldest_ms >= 0)
		fmt_duration(v, sizeof v, r.oldest_ms);
	else
		snprintf(v, sizeof v, "-");
	wall_figure(a, 10, 1, half - 2, "LONGEST WAIT", v,
	            r.oldest_ms > (int64_t)t->def.sl_sec * 1000 ? TR_CRIT : TR_NORMAL);
	if (isnan(r.stats.asa_s))
		snprintf(v, sizeof v, "-");
	else
		snprintf(v, sizeof v, "%.0fs", r.stats.asa_s);
	wall_figure(a, 10, half, half - 1, "ASA", v,
	            r.stats.asa_s > (double)t->def.sl_sec ? TR_CRIT : TR_NORMAL);

	snprintf(line, sizeof line, " dedicated busy %u idle %u   shared serving %u   offered %llu   abandoned %s   AHT %s",
	         r.ded_busy, r.ded_idle, r.shared_serving, (unsigned long long)r.offered,
	         fmt_pct(label, sizeof label, r.stats.abandon_rate, 0), draw_aht(v, sizeof v, r.stats.aht_s, r.handled));
	draw_text(a, 17, 0, a->cols, TR_NORMAL, line);
	if (a->rows - 3 > 19)
		wall_strip(a, 19, a->rows - 3 - 19, idx);
}

char *
wall_banner(char *buf, size_t len, const char *state, const char *at, int64_t age_s)
{
	snprintf(buf, len, " NOT LIVE (%s): these figures are from %s, %lld s ago ", state, at,
	         (long long)age_s);
	return buf;
}

void
wall_tick(struct app *a)
{
	if (a->opt.rotate_s <= 0 || a->conn.floor.n_tenants == 0)
		return;
	if (++a->wall_ticks >= a->opt.rotate_s) {
		a->wall_ticks = 0;
		a->wall_index = (a->wall_index + 1) % a->conn.floor.n_tenants;
		a->dirty = true;
	}
}
