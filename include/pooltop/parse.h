/*
 * parse: the one rule set for the numbers people type, on every command
 * line (pooltopd, pooltop and its batch commands) and in scenario files.
 * docs/ARGUMENTS.md states the rules for users; in short:
 *
 *   number    [+-]DIGITS[.DIGITS] or [+-].DIGITS  (no blanks, no exponent,
 *             no hex, no nan/inf; at most PARSE_TEXT_MAX characters)
 *   whole     [+-]DIGITS
 *   percent   a number, optionally followed by '%'
 *   duration  a number followed by s, m, h or d (seconds, minutes, hours,
 *             days); a bare number is in the caller's unit
 *   clock     H:MM or HH:MM, and HH:MM:SS where seconds are allowed;
 *             24:00 only where an end of day is meant
 *   speed     a number, or "max"
 *   choice    one of a list of words, exactly as spelled
 *
 * A sign is read so that "-5" is told it "must not be negative" rather
 * than that it is not a number.  Each function returns PARSE_OK, or
 * PARSE_FORM (the text is not of the kind wanted) or PARSE_RANGE (it is,
 * but its value is out of range) with `why` holding the problem as the
 * end of a sentence: "must be a number", "must be between 1 and 100".
 * Callers put the name of what they parsed in front and the text after:
 * "--interval must be greater than 0 s, got '0'".
 */
#ifndef POOLTOP_PARSE_H
#define POOLTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARSE_TEXT_MAX 24      /* longest number text: far inside double range */
#define PARSE_WHY_MAX 96       /* enough for any `why` */

enum parse_rc { PARSE_OK = 0, PARSE_FORM = -1, PARSE_RANGE = -2 };

/* lo <= x <= hi, with a bound left out when it is open; +-HUGE_VAL for
 * no bound. */
struct parse_range {
	double lo, hi;
	bool lo_open, hi_open;
};

/* Bits for parse_clock. */
#define PARSE_CLOCK_SECONDS 1u  /* HH:MM:SS is allowed */
#define PARSE_CLOCK_END     2u  /* 24:00 (the end of the day) is allowed */

int parse_number(const char *s, const struct parse_range *r, double *out,
                 char *why, size_t len);
int parse_percent(const char *s, const struct parse_range *r, double *out,
                  char *why, size_t len);
int parse_whole(const char *s, uint64_t lo, uint64_t hi, uint64_t *out,
                char *why, size_t len);
/* unit_s: what a bare number counts (1 = seconds, 60 = minutes); the
 * range and *out are in seconds. */
int parse_duration(const char *s, double unit_s, const struct parse_range *r,
                   double *out_s, char *why, size_t len);
/* *out_s: seconds after midnight (86400 for 24:00). */
int parse_clock(const char *s, unsigned flags, uint32_t *out_s, char *why, size_t len);
/* "max" is 0; otherwise more than 0 and at most 1e6. */
int parse_speed(const char *s, double *out, char *why, size_t len);
/* Index of s in the NULL-terminated words, or -1 with why "must be a, b or c". */
int parse_choice(const char *s, const char *const *words, char *why, size_t len);

#endif
