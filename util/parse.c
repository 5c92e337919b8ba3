/*
 * parse: the rule set in pooltop/parse.h and docs/ARGUMENTS.md.
 *
 * The form of a number is checked here before strtod sees it: strtod
 * alone also takes " 12", "nan", "inf", "0x1p4" and "1e3", none of which
 * a person means in a staffing figure.  And strtod reads the locale's
 * decimal point (pooltop runs under setlocale for ncurses, where a German
 * LANG wants "26,5"), so the checked text is handed over with its '.'
 * spelled the locale's way: "26.5" is 26.5 everywhere, "26,5" nowhere.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/parse.h"

#define PARSE_DAY_S 86400u
#define PARSE_SPEED_MAX 1e6

/* A number's parts: sign, and its value without the sign. */
struct parse_num {
	bool neg;
	double mag;
};

static void
parse_why(char *why, size_t len, const char *text)
{
	if (why && len)
		snprintf(why, len, "%s", text);
}

/* [+-]DIGITS[.DIGITS] or [+-].DIGITS, the first n_chars of s; `whole`
 * refuses the point.  Sets n and returns PARSE_OK, or PARSE_FORM. */
static int
parse_digits(const char *s, size_t n_chars, bool whole, struct parse_num *n)
{
	const char *dp = localeconv()->decimal_point;
	char buf[PARSE_TEXT_MAX + 8];
	size_t i = 0, digits = 0, at = 0;
	bool point = false;

	if (n_chars == 0 || n_chars > PARSE_TEXT_MAX)
		return PARSE_FORM;
	n->neg = s[0] == '-';
	if (s[0] == '-' || s[0] == '+')
		i = 1;
	for (; i < n_chars; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			buf[at++] = s[i];
			digits++;
		} else if (s[i] == '.' && !point && !whole) {
			/* the locale's point is one or a few bytes ("." or ",") */
			size_t k = strlen(dp);

			if (k == 0 || k > 4)
				return PARSE_FORM;
			memcpy(buf + at, dp, k);
			at += k;
			point = true;
		} else {
			return PARSE_FORM;
		}
	}
	if (digits == 0)
		return PARSE_FORM;
	buf[at] = '\0';
	n->mag = strtod(buf, NULL);
	return PARSE_OK;
}

/* "must be between 1 and 100": the bound that was crossed, in the
 * plainest words (docs/ARGUMENTS.md lists them). */
static int
parse_range_why(char *why, size_t len, bool low, const char *lo, const char *hi,
                bool lo_open, bool hi_open, bool lo_zero, bool has_lo, bool has_hi)
{
	char buf[PARSE_WHY_MAX];

	if (low && lo_open)
		snprintf(buf, sizeof buf, "must be greater than %s", lo);
	else if (low && lo_zero)
		snprintf(buf, sizeof buf, "must not be negative");
	else if (low && !(has_hi && !hi_open))
		snprintf(buf, sizeof buf, "must be at least %s", lo);
	else if (!low && hi_open)
		snprintf(buf, sizeof buf, "must be less than %s", hi);
	else if (!low && (lo_open || !has_lo))
		snprintf(buf, sizeof buf, "must be at most %s", hi);
	else
		snprintf(buf, sizeof buf, "must be between %s and %s", lo, hi);
	parse_why(why, len, buf);
	return PARSE_RANGE;
}

/* v against r; `unit` follows each bound in the words ("%", " s"). */
static int
parse_check(double v, const struct parse_range *r, const char *unit, char *why, size_t len)
{
	char lo[48], hi[48];
	bool low = r->lo_open ? !(v > r->lo) : !(v >= r->lo);
	bool high = r->hi_open ? !(v < r->hi) : !(v <= r->hi);

	if (!low && !high)
		return PARSE_OK;
	snprintf(lo, sizeof lo, "%.15g%s", r->lo, unit);
	snprintf(hi, sizeof hi, "%.15g%s", r->hi, unit);
	return parse_range_why(why, len, low, lo, hi, r->lo_open, r->hi_open, r->lo == 0,
	                       isfinite(r->lo), isfinite(r->hi));
}

static int
parse_signed(const char *s, size_t n_chars, const struct parse_range *r, const char *unit,
             double *out, const char *form, char *why, size_t len)
{
	struct parse_num n;
	double v;
	int rc;

	if (parse_digits(s, n_chars, false, &n) != PARSE_OK) {
		parse_why(why, len, form);
		return PARSE_FORM;
	}
	v = n.neg ? -n.mag : n.mag;
	if (v == 0)
		v = 0;  /* "-0" is 0, not a negative zero that prints "-0" */
	rc = parse_check(v, r, unit, why, len);
	if (rc == PARSE_OK)
		*out = v;
	return rc;
}

int
parse_number(const char *s, const struct parse_range *r, double *out, char *why, size_t len)
{
	return parse_signed(s, strlen(s), r, "", out, "must be a number", why, len);
}

int
parse_percent(const char *s, const struct parse_range *r, double *out, char *why, size_t len)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '%')
		n--;
	return parse_signed(s, n, r, "%", out, "must be a percentage like 80 or 80%", why, len);
}

int
parse_whole(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, char *why, size_t len)
{
	size_t n = strlen(s), i = 0;
	uint64_t v = 0;
	bool over = false, neg = s[0] == '-';
	char los[24], his[24];
	struct parse_num chk;

	if (parse_digits(s, n, true, &chk) != PARSE_OK) {
		parse_why(why, len, "must be a whole number");
		return PARSE_FORM;
	}
	if (s[0] == '-' || s[0] == '+')
		i = 1;
	for (; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (neg && v == 0)
		neg = false;
	if (!neg && !over && v >= lo && v <= hi) {
		*out = v;
		return PARSE_OK;
	}
	snprintf(los, sizeof los, "%llu", (unsigned long long)lo);
	snprintf(his, sizeof his, "%llu", (unsigned long long)hi);
	return parse_range_why(why, len, neg || (!over && v < lo), los, his, false, false, lo == 0,
	                       true, true);
}

int
parse_duration(const char *s, double unit_s, const struct parse_range *r, double *out_s,
               char *why, size_t len)
{
	static const char form[] = "must be a time like 90, 30s, 45m, 2h or 1d";
	size_t n = strlen(s);
	struct parse_num num;
	double unit = unit_s, v;
	int rc;

	if (n > 0 && strchr("smhd", s[n - 1])) {
		unit = s[n - 1] == 's' ? 1 : s[n - 1] == 'm' ? 60 : s[n - 1] == 'h' ? 3600 : PARSE_DAY_S;
		n--;
	}
	if (parse_digits(s, n, false, &num) != PARSE_OK) {
		parse_why(why, len, form);
		return PARSE_FORM;
	}
	v = num.mag * unit;
	if (num.neg && v != 0)
		v = -v;
	rc = parse_check(v, r, " s", why, len);
	if (rc == PARSE_OK)
		*out_s = v;
	return rc;
}

/* DIGIT or DIGIT DIGIT at *p, advancing it; -1 when there is none. */
static int
parse_two(const char **p, bool one_ok)
{
	const char *s = *p;
	int v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = s[0] - '0';
	if (s[1] >= '0' && s[1] <= '9') {
		v = v * 10 + (s[1] - '0');
		*p = s + 2;
	} else if (one_ok) {
		*p = s + 1;
	} else {
		return -1;
	}
	return v;
}

int
parse_clock(const char *s, unsigned flags, uint32_t *out_s, char *why, size_t len)
{
	const char *p = s;
	int h, m, sec = 0;
	bool end = flags & PARSE_CLOCK_END, secs = flags & PARSE_CLOCK_SECONDS;
	char buf[PARSE_WHY_MAX];

	h = parse_two(&p, true);
	if (h >= 0 && *p == ':') {
		p++;
		m = parse_two(&p, false);
	} else {
		m = -1;
	}
	if (m >= 0 && secs && *p == ':') {
		p++;
		sec = parse_two(&p, false);
	}
	if (h >= 0 && m >= 0 && sec >= 0 && *p == '\0' && m <= 59 && sec <= 59 &&
	    (h <= 23 || (end && h == 24 && m == 0 && sec == 0))) {
		*out_s = (uint32_t)(h * 3600 + m * 60 + sec);
		return PARSE_OK;
	}
	snprintf(buf, sizeof buf, "must be %s (00:00 to %s)", secs ? "HH:MM or HH:MM:SS" : "HH:MM",
	         end ? "24:00" : secs ? "23:59:59" : "23:59");
	parse_why(why, len, buf);
	return PARSE_FORM;
}

int
parse_speed(const char *s, double *out, char *why, size_t len)
{
	static const struct parse_range r = { 0, PARSE_SPEED_MAX, true, false };

	if (strcmp(s, "max") == 0) {
		*out = 0;
		return PARSE_OK;
	}
	return parse_signed(s, strlen(s), &r, "", out, "must be a number or 'max'", why, len);
}

int
parse_choice(const char *s, const char *const *words, char *why, size_t len)
{
	char buf[PARSE_WHY_MAX];
	size_t at;
	int n = 0;

	for (; words[n]; n++) {
		if (strcmp(s, words[n]) == 0)
			return n;
	}
	at = (size_t)snprintf(buf, sizeof buf, "must be");
	for (int i = 0; i < n && at < sizeof buf; i++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s %s", i == 0 ? "" : i == n - 1 ? " or" : ",",
		                       words[i]);
	parse_why(why, len, buf);
	return -1;
}
