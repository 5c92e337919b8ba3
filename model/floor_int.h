/*
 * floor internals shared by floor.c, floor_apply.c and floor_snapshot.c;
 * not part of the public interface.
 */
#ifndef POOLTOP_FLOOR_INT_H
#define POOLTOP_FLOOR_INT_H

#include "pooltop/floor.h"

/* Add agent a's staffed time up to `now` to its pool's tenant (dedicated
 * pools only) and move its accrual mark to `now`. */
void floor_accrue(struct floor *f, struct floor_agent *a, int64_t now);

/* Append a waiting contact; 0, or -1 on no memory (nothing changed). */
int floor_waiting_push(struct floor_tenant *t, uint64_t contact, int64_t ts,
                       enum proto_channel channel);

/* Tenant t's current counters as a row ending at end_ts, with the given
 * dedicated staffed time and the cost that follows from it. */
void floor_row_fill(const struct floor *f, uint32_t t, int64_t end_ts,
                    uint64_t staffed_ms, struct proto_stats_row *out);

/* A copy of n items of `size` bytes; NULL for n == 0, which is not a
 * failure (the caller checks n). */
void *floor_memdup(const void *src, size_t n, size_t size);

#endif
