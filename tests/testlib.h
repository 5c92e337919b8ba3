/*
 * testlib: assertions several suites share.
 */
#ifndef POOLTOP_TESTLIB_H
#define POOLTOP_TESTLIB_H

#include "pooltop/proto.h"

/* Every field of two stats rows, intervals up to n_intervals; cost equal
 * to the bit (or both NaN). */
void testlib_row_eq(const struct proto_stats_row *a, const struct proto_stats_row *b);

#endif
