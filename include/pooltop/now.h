/*
 * now: the two clocks the client reads — monotonic for timers, real for
 * what a screen shows ("STALE since 14:02:11").
 */
#ifndef POOLTOP_NOW_H
#define POOLTOP_NOW_H

#include <stdint.h>

int64_t now_mono_ms(void);
int64_t now_real_ms(void);

#endif
