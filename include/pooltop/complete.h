/*
 * complete: Tab on the ':' command line — the word before the cursor
 * completed from the floor's agent and pool ids (the first word from the
 * commands), as far as the candidates agree.  No curses here.
 */
#ifndef POOLTOP_COMPLETE_H
#define POOLTOP_COMPLETE_H

#include <stddef.h>
#include <stdint.h>

#include "pooltop/floor.h"

#define COMPLETE_SHOW_MAX 8      /* candidates named when several remain */

/* Complete the word ending at byte cur of line (NUL-terminated, room for
 * size bytes) in place; *cur moves past what was added.  shown lists the
 * candidates ("a0010 a0011 ...") when more than one remains.  Returns
 * how many candidates there were (0: nothing to add). */
uint32_t complete_line(const struct floor *f, char *line, size_t size, size_t *cur, char *shown, size_t shown_len);

#endif
