/*
 * msg: the feedback under the view, and the session's log of it.
 * Anything may say something there without knowing who draws it; the app
 * draws it while it is fresh (wrapped over a few rows when it is long),
 * and every message stays in the log (M or :messages) with its time.
 */
#ifndef POOLTOP_MSG_H
#define POOLTOP_MSG_H

#include <stdbool.h>
#include <stdint.h>

#define MSG_SHOW_MS 5000
#define MSG_TEXT_MAX 256
#define MSG_LOG_MAX 500          /* the log is a ring: the oldest go first */

struct msg_entry {
	int64_t wall_ms;         /* when it was said, ms since the epoch */
	bool error;
	char text[MSG_TEXT_MAX];
};

struct msg {
	char text[MSG_TEXT_MAX];
	bool error;
	int64_t until;           /* monotonic ms */
	uint64_t n;              /* bumped by every message: the screen is dirty */
	struct msg_entry log[MSG_LOG_MAX];
	uint32_t log_head;       /* next slot */
	uint32_t log_n;
};

void msg_show(struct msg *m, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The text while it is fresh, else NULL. */
const char *msg_text(const struct msg *m, int64_t now);
/* Stop showing the current message (it stays in the log): a new dialog
 * must not sit over an old message that no longer applies. */
void msg_clear(struct msg *m);
/* The i-th newest logged message (0 = newest), or NULL. */
const struct msg_entry *msg_log_get(const struct msg *m, uint32_t i);

#endif
