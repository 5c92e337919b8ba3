/* wrap: word wrapping by display columns (UTF-8 aware through fmt_width). */
#include <stdbool.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/wrap.h"

/* Columns of the n bytes at s. */
static int
wrap_cols(const char *s, size_t n)
{
	char tmp[WRAP_LINE_MAX];

	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return fmt_width(tmp);
}

/* Bytes of the longest head of s[0..n) that fits `cols` columns, cut at a
 * character boundary; at least one character, so wrapping always ends. */
static size_t
wrap_head(const char *s, size_t n, int cols)
{
	size_t best = 0, i = 0;

	while (i < n) {
		size_t j = i + 1;
		while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
			j++;
		if (best > 0 && wrap_cols(s, j) > cols)
			break;
		best = j;
		i = j;
	}
	return best;
}

/* Start line n (indented after the first); the line to write, or NULL
 * past max (counted, not written). */
static char *
wrap_line(char (*lines)[WRAP_LINE_MAX], int max, int *n, int indent, int *used, size_t *at)
{
	char *cur = *n < max ? lines[*n] : NULL;

	*used = *n == 0 ? 0 : indent;
	(*n)++;
	*at = (size_t)*used;
	if (cur) {
		memset(cur, ' ', *at);
		cur[*at] = '\0';
	}
	return cur;
}

static void
wrap_put(char *cur, size_t *at, const char *s, size_t n)
{
	if (cur == NULL || *at + n >= WRAP_LINE_MAX)
		return;
	memcpy(cur + *at, s, n);
	*at += n;
	cur[*at] = '\0';
}

int
wrap_text(const char *text, int width, int indent, char (*lines)[WRAP_LINE_MAX], int max)
{
	const char *p = text;
	int n = 0, used = 0;
	bool content = false;     /* the current line has a word */
	size_t at = 0;
	char *cur = NULL;

	/* A line's own leading blanks are kept, and continuation lines go
	 * under its text. */
	int lead = (int)strspn(text, " ");

	if (width < 1)
		width = 1;
	if (indent < 0)
		indent = 0;
	indent += lead;
	if (indent >= width)
		indent = 0;
	if (lead >= width)
		lead = 0;
	for (;;) {
		size_t wl;
		int wc;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		wl = strcspn(p, " ");
		wc = wrap_cols(p, wl);
		if (content && used + 1 + wc <= width) {
			wrap_put(cur, &at, " ", 1);
			wrap_put(cur, &at, p, wl);
			used += 1 + wc;
			p += wl;
			continue;
		}
		cur = wrap_line(lines, max, &n, indent, &used, &at);
		if (n == 1 && lead > 0) {
			used = lead;
			if (cur) {
				memset(cur, ' ', (size_t)lead);
				cur[lead] = '\0';
				at = (size_t)lead;
			}
		}
		/* A word wider than a whole line: broken where it must be. */
		while (wc > width - used) {
			size_t h = wrap_head(p, wl, width - used);
			wrap_put(cur, &at, p, h);
			p += h;
			wl -= h;
			wc = wrap_cols(p, wl);
			cur = wrap_line(lines, max, &n, indent, &used, &at);
		}
		wrap_put(cur, &at, p, wl);
		used += wc;
		content = true;
		p += wl;
	}
	return n;
}
