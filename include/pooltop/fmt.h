/*
 * fmt: text for the screen, with no terminal needed — durations, rates,
 * percentages, clock times, and display-width-aware fitting of UTF-8 text
 * (wide CJK characters count two columns, combining marks none), so that
 * columns stay straight whatever the names are.
 */
#ifndef POOLTOP_FMT_H
#define POOLTOP_FMT_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "0:07", "12:05", "1:02:33" (h:mm:ss past an hour); "-" when ms < 0. */
char *fmt_duration(char *buf, size_t len, int64_t ms);
/* Compact: "7s", "12m", "1h02", "3d"; for narrow columns. */
char *fmt_age(char *buf, size_t len, int64_t ms);
/* "83%" (rounded), "83.4%" with decimals = 1; "-" for NaN. v is 0..1. */
char *fmt_pct(char *buf, size_t len, double v, int decimals);
/* Seconds as "23s", "4m05" ; "-" for NaN/negative. */
char *fmt_secs(char *buf, size_t len, double s);
/* Money: "1,234" with thousands separators, no decimals; "-" NaN. */
char *fmt_money(char *buf, size_t len, double v);
/* "HH:MM:SS" of ts (ms since the epoch) in local time. */
char *fmt_clock(char *buf, size_t len, int64_t ts_ms);
/* "HH:MM". */
char *fmt_hhmm(char *buf, size_t len, int64_t ts_ms);
/* Local time's offset from UTC at ts, in seconds (0 when unknown): where
 * business hours fall on the floor clock. */
int32_t fmt_tz_offset(int64_t ts_ms);

/* Display columns of a UTF-8 string (invalid bytes count one column). */
int fmt_width(const char *s);

enum fmt_align { FMT_LEFT, FMT_RIGHT };
/*
 * Fit s into exactly `cols` display columns: pad with spaces, or cut at a
 * character boundary and end with "…" (utf8) or "~" (ASCII).  A wide
 * character that would straddle the edge is replaced by a space.  Returns
 * dst, always NUL-terminated (dst should hold at least 4 * cols + 1 bytes).
 */
char *fmt_fit(char *dst, size_t len, const char *s, int cols, enum fmt_align align, bool utf8);

/* fmt_fit for a screen: on one that is not UTF-8 (utf8 false) the text
 * is first spelled in ASCII (translit_str: é -> e, ß -> ss), so only what
 * has no ASCII spelling (CJK, controls) shows as '?'.  fmt_width_text is
 * the width it will take. */
char *fmt_fit_text(char *dst, size_t len, const char *s, int cols, enum fmt_align align, bool utf8);
int fmt_width_text(const char *s, bool utf8);
/* Whether the user's locale (LC_ALL, LC_CTYPE, LANG) writes UTF-8, asked
 * without changing the process's own: text output that is not for a
 * terminal we draw on decides by it. */
bool fmt_locale_utf8(void);

/* A sparkline of `n` values scaled to their maximum, the last `cols`
 * values: "▁▂▃▅▇" (utf8) or " .:-=+*#" (ASCII).  Zero values are a
 * space (an idle interval reads as a gap), so all-zero is all spaces;
 * fewer than `cols` values are left-padded with spaces. */
char *fmt_sparkline(char *dst, size_t len, const uint32_t *v, uint32_t n, int cols, bool utf8);
/* A horizontal bar of frac (0..1) over cols columns: "████▌   " or "####-   ". */
char *fmt_bar(char *dst, size_t len, double frac, int cols, bool utf8);

/*
 * pooltop runs under setlocale(LC_ALL, "") for ncurses, where a German
 * LANG reads and prints "26,7": every CSV, JSON and number parser breaks.
 * Between enter and leave this thread uses the C numeric locale; the
 * process-wide one is left alone.
 */
struct fmt_c_numeric {
	locale_t c_num;
	locale_t saved;
};
void fmt_c_numeric_enter(struct fmt_c_numeric *l);
void fmt_c_numeric_leave(struct fmt_c_numeric *l);

/* Case-insensitive (ASCII folding) substring match; empty needle matches. */
bool fmt_match(const char *hay, const char *needle);

#endif
