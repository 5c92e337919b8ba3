/*
 * loanlen: the loan lengths a move is offered with (include/pooltop/loanlen.h).
 */
#include <stdio.h>
#include <time.h>

#include "pooltop/loanlen.h"

#define LOANLEN_HOUR_MS (3600LL * 1000)

int64_t
loanlen_next(int64_t now, int64_t shift_end, int64_t cur)
{
	const int64_t choice[] = { now + LOANLEN_HOUR_MS, now + 2 * LOANLEN_HOUR_MS, shift_end };
	int64_t best = 0;

	/* the shortest choice longer than the current one (the clock moves,
	 * so a choice is not remembered by position) */
	for (size_t i = 0; i < sizeof choice / sizeof choice[0]; i++)
		if (choice[i] > now && choice[i] > cur && (best == 0 || choice[i] < best))
			best = choice[i];
	return best;
}

void
loanlen_text(int64_t until, char *buf, size_t len)
{
	time_t t = (time_t)(until / 1000);
	struct tm tm;
	char when[8] = "?";

	if (until == 0) {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%H:%M", &tm);
	snprintf(buf, len, " on loan until %s", when);
}
