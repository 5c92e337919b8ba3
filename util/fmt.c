/* wcwidth() is X/Open, not POSIX; the ncursesw flags usually ask for it
 * already, but this file must not depend on them. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <langinfo.h>
#include <wchar.h>

#include "pooltop/fmt.h"
#include "pooltop/translit.h"
#include "pooltop/utf8.h"

#define FMT_BAD 0xFFFFFFFFu

/* One character of input as the screen will see it. */
struct fmt_ch {
	uint32_t cp;    /* code point, or FMT_BAD */
	size_t len;     /* input bytes */
	int cols;       /* display columns */
	bool show;      /* printable: copy it (if the mode can) rather than '?' */
};

/* Strict UTF-8 (utf8_decode: names arrive as UTF-8 whatever the user's
 * locale is, and the column maths must not change with it); an invalid
 * byte is consumed alone so the next one gets its own chance. */
static size_t
fmt_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n = utf8_decode((const char *)s, cp);

	if (n == 0) {
		*cp = FMT_BAD;
		return 1;
	}
	return n;
}

static bool
fmt_in(uint32_t cp, const uint32_t (*r)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i][0] && cp <= r[i][1])
			return true;
	return false;
}

/*
 * Width when wcwidth() cannot say because the locale is not a Unicode one:
 * the main combining blocks are 0 and the East Asian wide blocks 2, so a
 * table still lines up (as '?'s) in an ASCII locale.
 */
static int
fmt_width_fallback(uint32_t cp)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
		{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x1AB0, 0x1AFF },
		{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x20D0, 0x20FF },
		{ 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
		{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
		{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
		{ 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};

	if (fmt_in(cp, zero, sizeof(zero) / sizeof(zero[0])))
		return 0;
	if (fmt_in(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}

/* Bidirectional controls (U+200E/200F, U+202A..202E, U+2066..2069) and
 * zero-width characters (U+200B..200D, U+2060, U+FEFF): invisible, and
 * the first kind reorders what follows, so a name could pass for
 * another or run a reason backwards across the columns after it. */
static bool
fmt_cp_hidden(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2060 || cp == 0xFEFF;
}

/* Columns of a code point, or -1 for what must never reach the terminal
 * as-is: C0/C1 controls and DEL (an ESC in a name must not become an
 * escape sequence), bidirectional and zero-width characters, and, in a
 * Unicode locale, what it calls unprintable. */
static int
fmt_cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || fmt_cp_hidden(cp))
		return -1;
	if (cp < 0x7F)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	return MB_CUR_MAX > 1 ? -1 : fmt_width_fallback(cp);
}

static void
fmt_next(const char *s, struct fmt_ch *ch)
{
	int w;

	ch->len = fmt_decode((const unsigned char *)s, &ch->cp);
	w = ch->cp == FMT_BAD ? -1 : fmt_cp_width(ch->cp);
	ch->show = w >= 0;
	ch->cols = w >= 0 ? w : 1;
}

/* Bytes ch takes on screen: itself, or one '?' per column. */
static size_t
fmt_out_len(const struct fmt_ch *ch, bool utf8)
{
	if (ch->show && (utf8 || ch->cp < 0x80))
		return ch->len;
	return (size_t)ch->cols;
}

static size_t
fmt_put(char *dst, const char *src, const struct fmt_ch *ch, bool utf8)
{
	size_t n = fmt_out_len(ch, utf8);

	if (ch->show && (utf8 || ch->cp < 0x80))
		memcpy(dst, src, n);
	else
		memset(dst, '?', n);
	return n;
}

int
fmt_width(const char *s)
{
	struct fmt_ch ch;
	int w = 0;

	if (!s)
		return 0;
	while (*s) {
		fmt_next(s, &ch);
		w += ch.cols;
		s += ch.len;
	}
	return w;
}

char *
fmt_fit(char *dst, size_t len, const char *s, int cols, enum fmt_align align, bool utf8)
{
	const char *ell = utf8 ? "\xE2\x80\xA6" : "~";
	size_t cap, pos = 0, elen, reserve;
	int w, avail, used = 0;
	bool cut;
	struct fmt_ch ch;

	if (!dst || len == 0)
		return dst;
	dst[0] = '\0';
	if (!s)
		s = "";
	cap = len - 1;
	/* Every column takes at least a byte; a short buffer gets fewer. */
	if (cols > 0 && (size_t)cols > cap)
		cols = (int)cap;
	if (cols <= 0)
		return dst;
	w = fmt_width(s);
	cut = w > cols;
	elen = strlen(ell);
	if (cut && (size_t)cols - 1 + elen > cap) {
		ell = "~";
		elen = 1;
	}
	avail = cut ? cols - 1 : cols;
	reserve = cut ? elen : 0;
	if (!cut && align == FMT_RIGHT) {
		memset(dst, ' ', (size_t)(cols - w));
		pos = (size_t)(cols - w);
		used = cols - w;
	}
	/*
	 * Invariant: pos + (avail - used) + reserve <= cap, i.e. the rest can
	 * always be finished with one byte per column.  A character that
	 * would break it (many combining marks, long sequences in a tight
	 * buffer) degrades to '?'s, or to nothing if it has no width.
	 */
	while (*s) {
		fmt_next(s, &ch);
		if (used + ch.cols > avail)
			break;
		if (pos + fmt_out_len(&ch, utf8) + (size_t)(avail - used - ch.cols) + reserve <= cap) {
			pos += fmt_put(dst + pos, s, &ch, utf8);
		} else {
			memset(dst + pos, '?', (size_t)ch.cols);
			pos += (size_t)ch.cols;
		}
		used += ch.cols;
		s += ch.len;
	}
	/* Pads a short string, and stands in for a wide character cut in half. */
	while (used < avail) {
		dst[pos++] = ' ';
		used++;
	}
	if (cut) {
		memcpy(dst + pos, ell, elen);
		pos += elen;
	}
	dst[pos] = '\0';
	return dst;
}

/* Room for a name spelled out: what a screen line can hold and more. */
#define FMT_TEXT_MAX 4096

char *
fmt_fit_text(char *dst, size_t len, const char *s, int cols, enum fmt_align align, bool utf8)
{
	char ascii[FMT_TEXT_MAX];

	if (utf8 || !s)
		return fmt_fit(dst, len, s, cols, align, utf8);
	return fmt_fit(dst, len, translit_str(ascii, sizeof ascii, s), cols, align, false);
}

int
fmt_width_text(const char *s, bool utf8)
{
	char ascii[FMT_TEXT_MAX];

	if (utf8 || !s)
		return fmt_width(s);
	return fmt_width(translit_str(ascii, sizeof ascii, s));
}

bool
fmt_locale_utf8(void)
{
	locale_t l = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	bool utf8;

	if (l == (locale_t)0)
		return false;
	utf8 = strcmp(nl_langinfo_l(CODESET, l), "UTF-8") == 0;
	freelocale(l);
	return utf8;
}

char *
fmt_duration(char *buf, size_t len, int64_t ms)
{
	long long s, h;

	if (!buf || len == 0)
		return buf;
	if (ms < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	s = (long long)(ms / 1000);
	h = s / 3600;
	if (h > 0)
		snprintf(buf, len, "%lld:%02lld:%02lld", h, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%lld:%02lld", s / 60, s % 60);
	return buf;
}

char *
fmt_age(char *buf, size_t len, int64_t ms)
{
	long long s;

	if (!buf || len == 0)
		return buf;
	if (ms < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	s = (long long)(ms / 1000);
	if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lld", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%lldd", s / 86400);
	return buf;
}

char *
fmt_pct(char *buf, size_t len, double v, int decimals)
{
	long long scale = 1, r, ip, fp;
	double x;

	if (!buf || len == 0)
		return buf;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	x = v * 100.0 * (double)scale;
	if (!isfinite(x) || fabs(x) > 9e15) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* llround rounds halves away from zero, unlike printf's banker's
	 * rounding of exact halves; "-0%" never appears. */
	r = llround(x);
	ip = llabs(r) / scale;
	fp = llabs(r) % scale;
	if (decimals > 0)
		snprintf(buf, len, "%s%lld.%0*lld%%", r < 0 ? "-" : "", ip, decimals, fp);
	else
		snprintf(buf, len, "%s%lld%%", r < 0 ? "-" : "", ip);
	return buf;
}

char *
fmt_secs(char *buf, size_t len, double s)
{
	long long r;

	if (!buf || len == 0)
		return buf;
	if (!isfinite(s) || s < 0 || s > 9e15) {
		snprintf(buf, len, "-");
		return buf;
	}
	r = llround(s);
	if (r < 60)
		snprintf(buf, len, "%llds", r);
	else if (r < 3600)
		snprintf(buf, len, "%lldm%02lld", r / 60, r % 60);
	else
		snprintf(buf, len, "%lldh%02lld", r / 3600, r / 60 % 60);
	return buf;
}

char *
fmt_money(char *buf, size_t len, double v)
{
	char digits[400];
	size_t n, o = 0, i = 0, ndig;
	double r;

	if (!buf || len == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	r = round(v);
	if (r == 0)
		r = 0;  /* no "-0" */
	snprintf(digits, sizeof(digits), "%.0f", r);
	n = strlen(digits);
	if (digits[0] == '-') {
		if (o + 1 < len)
			buf[o++] = '-';
		i = 1;
	}
	ndig = n - i;
	for (size_t k = 0; i < n; i++, k++) {
		if (k > 0 && (ndig - k) % 3 == 0) {
			if (o + 1 >= len)
				break;
			buf[o++] = ',';
		}
		if (o + 1 >= len)
			break;
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static bool
fmt_localtime(int64_t ts_ms, struct tm *tm)
{
	/* Floor, not truncate: 1 ms before the epoch is 23:59:59. */
	int64_t s = ts_ms / 1000 - (ts_ms % 1000 < 0);
	time_t t = (time_t)s;

	return localtime_r(&t, tm) != NULL;
}

int32_t
fmt_tz_offset(int64_t ts_ms)
{
	struct tm tm;

	return fmt_localtime(ts_ms, &tm) ? (int32_t)tm.tm_gmtoff : 0;
}

char *
fmt_clock(char *buf, size_t len, int64_t ts_ms)
{
	struct tm tm;

	if (!buf || len == 0)
		return buf;
	if (!fmt_localtime(ts_ms, &tm) || strftime(buf, len, "%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "--:--:--");
	return buf;
}

char *
fmt_hhmm(char *buf, size_t len, int64_t ts_ms)
{
	struct tm tm;

	if (!buf || len == 0)
		return buf;
	if (!fmt_localtime(ts_ms, &tm) || strftime(buf, len, "%H:%M", &tm) == 0)
		snprintf(buf, len, "--:--");
	return buf;
}

char *
fmt_sparkline(char *dst, size_t len, const uint32_t *v, uint32_t n, int cols, bool utf8)
{
	static const char *const blocks[8] = {
		"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
		"\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
	};
	static const char ascii[] = ".:-=+*#";
	uint32_t first, max = 0, levels = utf8 ? 8 : 7;
	size_t pos = 0, glen = utf8 ? 3 : 1;
	int pad;

	if (!dst || len == 0)
		return dst;
	dst[0] = '\0';
	if (cols <= 0)
		return dst;
	if (!v)
		n = 0;
	first = n > (uint32_t)cols ? n - (uint32_t)cols : 0;
	pad = cols - (int)(n - first);
	for (uint32_t i = first; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (int i = 0; i < pad && pos + 1 < len; i++)
		dst[pos++] = ' ';
	for (uint32_t i = first; i < n; i++) {
		/* Zero is a gap, so an idle interval reads as one; any non-zero
		 * value gets at least the lowest glyph. */
		if (v[i] == 0) {
			if (pos + 1 >= len)
				break;
			dst[pos++] = ' ';
			continue;
		}
		uint32_t lv = (uint32_t)(((uint64_t)v[i] * levels + max - 1) / max) - 1;

		if (pos + glen >= len)
			break;
		if (utf8)
			memcpy(dst + pos, blocks[lv], glen);
		else
			dst[pos] = ascii[lv];
		pos += glen;
	}
	dst[pos] = '\0';
	return dst;
}

char *
fmt_bar(char *dst, size_t len, double frac, int cols, bool utf8)
{
	/* 1/8 .. 7/8 blocks; index 0 unused. */
	static const char *const part[8] = {
		"", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D",
		"\xE2\x96\x8C", "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89",
	};
	const int steps = utf8 ? 8 : 2;
	size_t pos = 0, glen = utf8 ? 3 : 1;
	long units, full, rest;

	if (!dst || len == 0)
		return dst;
	dst[0] = '\0';
	if (cols <= 0)
		return dst;
	if (isnan(frac) || frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	units = lround(frac * cols * steps);
	full = units / steps;
	rest = units % steps;
	for (long i = 0; i < cols; i++) {
		const char *g;
		size_t gl = glen;

		if (i < full) {
			g = utf8 ? "\xE2\x96\x88" : "#";
		} else if (i == full && rest > 0) {
			g = utf8 ? part[rest] : "-";
		} else {
			g = " ";
			gl = 1;
		}
		if (pos + gl >= len)
			break;
		memcpy(dst + pos, g, gl);
		pos += gl;
	}
	dst[pos] = '\0';
	return dst;
}

static int
fmt_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool
fmt_match(const char *hay, const char *needle)
{
	if (!needle || !*needle)
		return true;
	if (!hay)
		return false;
	for (; *hay; hay++) {
		size_t i = 0;

		while (needle[i] && hay[i] &&
		       fmt_lower((unsigned char)hay[i]) == fmt_lower((unsigned char)needle[i]))
			i++;
		if (!needle[i])
			return true;
	}
	return false;
}

void
fmt_c_numeric_enter(struct fmt_c_numeric *l)
{
	l->c_num = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	l->saved = l->c_num ? uselocale(l->c_num) : (locale_t)0;
}

void
fmt_c_numeric_leave(struct fmt_c_numeric *l)
{
	if (l->c_num) {
		uselocale(l->saved);
		freelocale(l->c_num);
	}
}
