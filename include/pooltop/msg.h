/*
 * msg: the one line of feedback under the view.  Anything may say
 * something there without knowing who draws it; the app draws it while
 * it is fresh.
 */
#ifndef POOLTOP_MSG_H
#define POOLTOP_MSG_H

#include <stdbool.h>
#include <stdint.h>

#define MSG_SHOW_MS 5000

struct msg {
	char text[256];
	bool error;
	int64_t until;           /* monotonic ms */
	uint64_t n;              /* bumped by every message: the screen is dirty */
};

void msg_show(struct msg *m, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The text while it is fresh, else NULL. */
const char *msg_text(const struct msg *m, int64_t now);

#endif
