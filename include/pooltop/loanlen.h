/*
 * loanlen: the loan length a move is offered with (issue 12): none, one
 * hour, two hours, or to the end of the shift; `l` in the confirm dialog
 * steps through them.  The staffing advice starts at the end of the shift.
 * ncurses-free: tested in tests/test_advisor.c.
 */
#ifndef POOLTOP_LOANLEN_H
#define POOLTOP_LOANLEN_H

#include <stddef.h>
#include <stdint.h>

/* The next choice after `cur` (0 = no loan) at floor time now with the
 * shift ending at shift_end (0 unknown): the shortest that ends after now
 * and after cur; after the longest comes 0 (no loan). */
int64_t loanlen_next(int64_t now, int64_t shift_end, int64_t cur);
/* "" for 0, else " on loan until HH:MM" (local time). */
void loanlen_text(int64_t until, char *buf, size_t len);

#endif
