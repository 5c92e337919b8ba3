/*
 * msg_draw: the feedback line and the message log on screen (the text
 * and the log itself are pooltop/msg.h's, without curses).
 */
#ifndef POOLTOP_MSG_DRAW_H
#define POOLTOP_MSG_DRAW_H

#include <stdbool.h>

#include "pooltop/app.h"

/* The current message ending at row y, wrapped upwards over at most 3
 * rows when it is wider than the screen. */
void msg_draw_line(struct app *a, int y, const char *text, bool error);
/* The overlay of every message this session, newest first, with times. */
void msg_draw_log(struct app *a);

#endif
