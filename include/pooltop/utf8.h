/*
 * utf8: strict UTF-8 decoding, and the classes of invisible characters
 * that must not make a name look like something it is not.  Names arrive
 * as UTF-8 whatever the user's locale is, so this never asks the locale.
 */
#ifndef POOLTOP_UTF8_H
#define POOLTOP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1 to 4) of the valid sequence at s, with its code point in
 * *cp; 0 when it is not one: overlongs, surrogates, anything past
 * U+10FFFF and truncated sequences (a NUL is never a continuation byte,
 * so this never reads past the end of a string). */
size_t utf8_decode(const char *s, uint32_t *cp);

/* Characters that take no room: zero-width space, non-joiner and joiner,
 * word joiner and invisible operators, the byte-order mark, and the
 * left-to-right/right-to-left marks. */
bool utf8_is_zero_width(uint32_t cp);
/* Blank characters: ASCII space, no-break and the Unicode spaces. */
bool utf8_is_space(uint32_t cp);
/* Bidirectional embeddings, overrides and isolates (U+202A to U+202E,
 * U+2066 to U+2069): they reorder the text around them, so a name
 * carrying one can show as another name. */
bool utf8_is_bidi_control(uint32_t cp);

#endif
