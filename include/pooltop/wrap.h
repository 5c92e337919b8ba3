/*
 * wrap: a sentence in lines of at most `width` display columns, broken
 * between words (a word wider than a line is broken where it must), so a
 * dialog shows every word a decision rests on instead of cutting it.
 */
#ifndef POOLTOP_WRAP_H
#define POOLTOP_WRAP_H

#define WRAP_LINE_MAX 512        /* bytes of one line, NUL included */

/* Lines after the first start with `indent` spaces (a hanging indent).
 * Returns how many lines text needs, which may be more than max (only
 * max are written). */
int wrap_text(const char *text, int width, int indent, char (*lines)[WRAP_LINE_MAX], int max);

#endif
