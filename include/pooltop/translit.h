/*
 * translit: names in ASCII for a terminal that cannot show UTF-8 (LANG=C,
 * a serial console).  Latin letters lose their diacritics (é -> e,
 * Ä -> A, ł -> l, ơ -> o), letters that are two in ASCII become two
 * (ß -> ss, æ -> ae, œ -> oe, þ -> th), combining marks go (their base
 * letter is already there), typographic punctuation takes its ASCII look
 * (’ -> ', – -> -, … -> ...).  A fixed table, not iconv: glibc's
 * //TRANSLIT follows LC_CTYPE and gives '?' for every letter in the C
 * locale, which is exactly where this is needed.  No locale is asked.
 */
#ifndef POOLTOP_TRANSLIT_H
#define POOLTOP_TRANSLIT_H

#include <stddef.h>
#include <stdint.h>

/* Longest ASCII spelling of one code point, and room for its NUL. */
#define TRANSLIT_MAX 4

/* The ASCII spelling of code point cp into out (TRANSLIT_MAX bytes, NUL
 * terminated): its length (0 for a combining mark), or -1 when there is
 * none (the caller shows it as '?'). */
int translit_cp(uint32_t cp, char out[TRANSLIT_MAX]);

/* s with every character translit_cp knows spelled in ASCII; anything
 * else (CJK, controls, invalid bytes) is copied as it is, for fmt_fit to
 * show as '?'.  Always NUL-terminated; stops at a character that would
 * not fit whole.  Returns dst. */
char *translit_str(char *dst, size_t len, const char *s);

#endif
