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
	return wall_big_width_at(text, 1);
}

int
wall_big_width_at(const char *text, int scale)
{
	return (int)strlen(text) * (3 * scale + 1);
}

char *
wall_big(char *buf, size_t len, const char *text, int row, bool utf8)
{
	return wall_big_at(buf, len, text, row, 1, utf8);
}

char *
wall_big_at(char *buf, size_t len, const char *text, int row, int scale, bool utf8)
{
	size_t used = 0;
	int grow = row / scale;

	buf[0] = '\0';
	if (grow < 0 || grow >= WALL_GLYPH_ROWS)
		return buf;
	for (const char *p = text; *p; p++) {
		const char *g = wall_glyph(*p);
		/* a glyph's widest: 3 * scale cells of up to 3 bytes, and a space */
		if (used + (size_t)(9 * scale) + 2 > len)
			break;
		for (int c = 0; c < 3 * scale; c++) {
			bool ink = g[grow * 3 + c / scale] == '1';
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

int
wall_scale(int cols, int rows)
{
	int half = cols / 2, best = 1;

	/* Two rows of figures (label + 5 * scale), the title above, the
	 * summary line and at least a strip header and one strip row below,
	 * the feedback and status lines under it all; a figure is at most
	 * WALL_FIT_CHARS glyphs ("10:05", "100%"). */
	for (int s = 2; s <= WALL_SCALE_MAX; s++) {
		int h = 3 + 2 * (1 + WALL_GLYPH_ROWS * s) + 1 + 1 + 1 + 2 + 3;
		if (h > rows || WALL_FIT_CHARS * (3 * s + 1) > half - 2)
			break;
		best = s;
	}
	return best;
}

static void
wall_figure(struct app *a, int y, int x, int w, int scale, const char *label, const char *value,
            enum theme_role role)
{
	draw_fit(a, y, x, w, TR_HEADER, label, FMT_LEFT);
	for (int r = 0; r < WALL_GLYPH_ROWS * scale; r++) {
		char line[1024];
		wall_big_at(line, sizeof line, value, r, scale, a->utf8);
		draw_fit(a, y + 1 + r, x, w, role, line, FMT_LEFT);
	}
}

/* Every tenant of the board, below target first, a page at a time: the
 * page moves on with the rotation, so a wall shows every tenant in turn. */
static void
wall_strip(struct app *a, int y, int h, const struct listing_tenant *rows, const uint32_t *cycle,
           uint32_t n_cycle, uint32_t shown)
{
	const struct floor *f = &a->conn.floor;
	int cellw = 26, per_row = a->cols / cellw;
	uint32_t *list = malloc(sizeof *list * (f->n_tenants ? f->n_tenants : 1));
	uint32_t n = 0, per_page, pages, page;
	char head[96];

	if (list == NULL || h < 2) {
		free(list);
		return;
	}
	if (per_row < 1)
		per_row = 1;
	/* The cycle's order without its repeats. */
	for (uint32_t i = 0; i < n_cycle; i++) {
		bool seen = false;
		for (uint32_t j = 0; j < n && !seen; j++)
			seen = list[j] == cycle[i];
		if (!seen)
			list[n++] = cycle[i];
	}
	per_page = (uint32_t)per_row * (uint32_t)(h - 1);
	pages = (n + per_page - 1) / per_page;
	page = pages ? a->wall_index % pages : 0;
	if (pages > 1)
		snprintf(head, sizeof head, "ALL TENANTS  %u-%u of %u  (page %u/%u)", page * per_page + 1,
		         page * per_page + per_page < n ? page * per_page + per_page : n, n, page + 1, pages);
	else
		snprintf(head, sizeof head, "ALL TENANTS  %u", n);
	draw_fit(a, y, 1, a->cols - 2, TR_HEADER, head, FMT_LEFT);
	for (uint32_t i = page * per_page; i < n && i < (page + 1) * per_page; i++) {
		uint32_t t = list[i], k = i - page * per_page;
		char cell[256], pct[16], name[128];
		int row = (int)k / per_row, col = (int)k % per_row;

		fmt_fit_text(name, sizeof name, f->tenants[t].def.name, 16, FMT_LEFT, a->utf8);
		snprintf(cell, sizeof cell, "%s%s %5s", t == shown ? ">" : " ", name,
		         fmt_pct(pct, sizeof pct, rows[t].stats.service_level, 0));
		draw_fit(a, y + 1 + row, col * cellw, cellw - 1, draw_sl_role(rows[t].level), cell, FMT_LEFT);
	}
	free(list);
}

void
wall_draw(struct app *a)
{
	const struct floor *f = &a->conn.floor;
	const struct config *cfg = &a->opt.cfg;
	struct listing_tenant *rows, r;
	const struct floor_tenant *t;
	char title[256], v[32], label[64], line[256];
	int half = a->cols / 2, scale = wall_scale(a->cols, a->rows), fh = 1 + WALL_GLYPH_ROWS * scale;
	int y2 = 3 + fh + 1, yinfo = y2 + fh + 1;
	uint32_t *cycle, n, pos, idx;

	if (f->n_tenants == 0)
		return;
	rows = malloc(sizeof *rows * f->n_tenants);
	cycle = malloc(sizeof *cycle * 2 * f->n_tenants);
	if (rows == NULL || cycle == NULL || listing_tenant_rows(f, a->clock_ts, rows) < 0) {
		free(rows);
		free(cycle);
		return;
	}
	n = wall_cycle(f, rows, cfg->wall_tenants, cfg->n_wall_tenants, cycle, 2 * f->n_tenants);
	if (n == 0) {
		draw_text(a, 2, 2, a->cols - 4, TR_CRIT, "none of the wallboard's tenants is on this floor");
		free(rows);
		free(cycle);
		return;
	}
	pos = a->wall_index % n;
	idx = cycle[pos];
	t = &f->tenants[idx];
	r = rows[idx];
	snprintf(title, sizeof title, " %s  (%s)  %u/%u", t->def.name, proto_model_name(t->def.model), pos + 1, n);
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
	wall_figure(a, 3, 1, half - 2, scale, label, isnan(r.stats.service_level) ? "-" : v, draw_sl_role(r.level));
	snprintf(v, sizeof v, "%u", r.waiting);
	wall_figure(a, 3, half, half - 1, scale, "WAITING", v, r.waiting ? TR_WARN : TR_OK);

	if (r.oldest_ms >= 0)
		fmt_duration(v, sizeof v, r.oldest_ms);
	else
		snprintf(v, sizeof v, "-");
	/* amber from half the SL seconds, red past them: as on the Floor */
	wall_figure(a, y2, 1, half - 2, scale, "LONGEST WAIT", v, draw_wait_role(r.oldest_level));
	if (isnan(r.stats.asa_s))
		snprintf(v, sizeof v, "-");
	else
		snprintf(v, sizeof v, "%.0fs", r.stats.asa_s);
	wall_figure(a, y2, half, half - 1, scale, "ASA", v,
	            r.stats.asa_s > (double)t->def.sl_sec ? TR_CRIT : TR_NORMAL);

	snprintf(line, sizeof line, " dedicated busy %u idle %u   shared serving %u   offered %llu   abandoned %s   AHT %s",
	         r.ded_busy, r.ded_idle, r.shared_serving, (unsigned long long)r.offered,
	         fmt_pct(label, sizeof label, r.stats.abandon_rate, 0), draw_aht(v, sizeof v, r.stats.aht_s, r.handled));
	draw_text(a, yinfo, 0, a->cols, TR_NORMAL, line);
	if (a->rows - 3 > yinfo + 2)
		wall_strip(a, yinfo + 2, a->rows - 3 - (yinfo + 2), rows, cycle, n, idx);
	free(rows);
	free(cycle);
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
		a->wall_index++;
		a->dirty = true;
	}
}
