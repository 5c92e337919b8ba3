/* translit: see pooltop/translit.h. */
#include <string.h>

#include "pooltop/translit.h"
#include "pooltop/utf8.h"

/* One base letter per code point, '#' where it takes two (below). */
static const char translit_latin1[64 + 1] =     /* U+00C0..U+00FF */
	"AAAAAA#CEEEEIIIIDNOOOOOxOUUUUY##aaaaaa#ceeeeiiiidnooooo/ouuuuy#y";
static const char translit_ext_a[128 + 1] =     /* U+0100..U+017F */
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi##JjKkkLlLlLlLlLl"
	"NnNnNn#NnOoOoOo##RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static const char translit_viet[90 + 1] =       /* U+1EA0..U+1EF9 */
	"AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOo"
	"UuUuUuUuUuUuUuYyYyYyYy";

struct translit_pair {
	uint32_t cp;
	const char *ascii;
};

/* Everything else the table knows, by code point. */
static const struct translit_pair translit_more[] = {
	{ 0x00A0, " " }, { 0x00AB, "<<" }, { 0x00B7, "." }, { 0x00BB, ">>" },
	{ 0x00C6, "AE" }, { 0x00DE, "TH" }, { 0x00DF, "ss" }, { 0x00E6, "ae" }, { 0x00FE, "th" },
	{ 0x0132, "IJ" }, { 0x0133, "ij" }, { 0x0149, "'n" }, { 0x0152, "OE" }, { 0x0153, "oe" },
	{ 0x0180, "b" }, { 0x0192, "f" }, { 0x01A0, "O" }, { 0x01A1, "o" }, { 0x01AF, "U" },
	{ 0x01B0, "u" }, { 0x01CD, "A" }, { 0x01CE, "a" }, { 0x01CF, "I" }, { 0x01D0, "i" },
	{ 0x01D1, "O" }, { 0x01D2, "o" }, { 0x01D3, "U" }, { 0x01D4, "u" }, { 0x0218, "S" },
	{ 0x0219, "s" }, { 0x021A, "T" }, { 0x021B, "t" }, { 0x1E9E, "SS" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2013, "-" }, { 0x2014, "-" },
	{ 0x2015, "-" }, { 0x2018, "'" }, { 0x2019, "'" }, { 0x201A, "'" }, { 0x201B, "'" },
	{ 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" }, { 0x2022, "*" }, { 0x2026, "..." },
	{ 0x2032, "'" }, { 0x2033, "\"" },
};

static int
translit_copy(const char *ascii, char out[TRANSLIT_MAX])
{
	size_t n = strlen(ascii);

	memcpy(out, ascii, n + 1);
	return (int)n;
}

/* A letter from a one-per-code-point table; '#' is in translit_more. */
static int
translit_one(const char *table, uint32_t first, uint32_t cp, char out[TRANSLIT_MAX])
{
	if (table[cp - first] == '#')
		return -1;
	out[0] = table[cp - first];
	out[1] = '\0';
	return 1;
}

int
translit_cp(uint32_t cp, char out[TRANSLIT_MAX])
{
	size_t lo = 0, hi = sizeof translit_more / sizeof translit_more[0];

	out[0] = '\0';
	if (cp < 0x80)
		return -1;          /* ASCII needs no spelling; controls stay '?' */
	if (cp >= 0x0300 && cp <= 0x036F)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (translit_more[mid].cp == cp)
			return translit_copy(translit_more[mid].ascii, out);
		if (translit_more[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (cp >= 0x00C0 && cp <= 0x00FF)
		return translit_one(translit_latin1, 0x00C0, cp, out);
	if (cp >= 0x0100 && cp <= 0x017F)
		return translit_one(translit_ext_a, 0x0100, cp, out);
	if (cp >= 0x1EA0 && cp <= 0x1EF9)
		return translit_one(translit_viet, 0x1EA0, cp, out);
	return -1;
}

char *
translit_str(char *dst, size_t len, const char *s)
{
	size_t pos = 0;

	if (!dst || len == 0)
		return dst;
	while (s && *s) {
		char a[TRANSLIT_MAX];
		uint32_t cp;
		size_t n = utf8_decode(s, &cp);
		int k = n ? translit_cp(cp, a) : -1;
		const char *src = k >= 0 ? a : s;
		size_t out = k >= 0 ? (size_t)k : n ? n : 1;

		if (pos + out >= len)
			break;
		memcpy(dst + pos, src, out);
		pos += out;
		s += n ? n : 1;
	}
	dst[pos] = '\0';
	return dst;
}
