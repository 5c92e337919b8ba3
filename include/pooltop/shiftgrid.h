/*
 * shiftgrid: the Shifts view's figures without a terminal — one metric
 * of one tenant in one shift from its raw counters, whether it missed the
 * tenant's target, and the totals row (counters summed, then the metric:
 * a floor-wide service level is not the mean of the tenants').
 */
#ifndef POOLTOP_SHIFTGRID_H
#define POOLTOP_SHIFTGRID_H

#include <stdbool.h>
#include <stddef.h>

#include "pooltop/proto.h"
#include "pooltop/stats.h"

enum shiftgrid_metric {
	SG_OFFERED, SG_SL, SG_ASA, SG_AHT, SG_ABANDON, SG_OCCUPANCY, SG_COST, SG__COUNT
};

const char *shiftgrid_metric_name(int m);
/* The value (NaN when there is nothing to measure). */
double shiftgrid_value(const struct proto_stats_row *row, const struct proto_tenant *t, int m);
/* As shown in a cell: "83%", "0:23", "1,204", "-". */
char *shiftgrid_format(char *buf, size_t len, double v, int m);
/* Missed: SL under target, ASA over the SL threshold, abandons over 5 %. */
enum stats_level shiftgrid_level(double v, const struct proto_tenant *t, int m);
/* Add src's counters into dst (for the totals row). */
void shiftgrid_sum(struct proto_stats_row *dst, const struct proto_stats_row *src);

#endif
