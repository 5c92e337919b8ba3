/*
 * alert: what the floor needs someone to look at now — a tenant whose
 * service level (shift to date) is below its threshold, or whose oldest
 * contact has waited past its limit (pooltop/config.h: [alerts] and
 * [tenant ID], defaults from the tenant's SL target and seconds).  An
 * alert is raised once when it starts, stays marked until acknowledged
 * (A), and can be raised again only after it has cleared.  The floor
 * line sums the floor up in one row.  No curses here.
 */
#ifndef POOLTOP_ALERT_H
#define POOLTOP_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/config.h"
#include "pooltop/floor.h"
#include "pooltop/listing.h"

#define ALERT_TEXT_MAX 200

enum alert_state { ALERT_CLEAR, ALERT_RAISED, ALERT_ACKED };

struct alert_book {
	uint8_t *state;            /* enum alert_state per tenant index */
	uint32_t n;                /* tenants it was sized for */
	uint64_t epoch;            /* of the floor it was sized for */
	uint32_t raised;           /* tenants RAISED (not yet acknowledged) */
	char banner[ALERT_TEXT_MAX];  /* the newest raised alert's text */
};

/* Whether tenant t's row breaks its thresholds; why says how. */
bool alert_check(const struct floor *f, uint32_t t, const struct listing_tenant *r, const struct config *cfg,
                 char *why, size_t len);
/* Every tenant against its thresholds (rows from listing_tenant_rows).
 * Returns how many alerts were newly raised (0 when nothing new). */
uint32_t alert_scan(struct alert_book *b, const struct floor *f, const struct listing_tenant *rows,
                    const struct config *cfg);
/* Tenant t has an alert nobody acknowledged. */
bool alert_marked(const struct alert_book *b, uint32_t t);
/* Acknowledge every raised alert; how many. */
uint32_t alert_ack(struct alert_book *b);
void alert_free(struct alert_book *b);

/* "2 below target · 14 waiting · longest 1:05 · agents 40 on duty: 10 idle,
 * 25 busy, 5 on break" for the top of the Floor view. */
void alert_floor_line(const struct floor *f, const struct listing_tenant *rows, const struct config *cfg,
                      char *buf, size_t len);
/* The same, saying where the longest wait's figure is in buf (bytes
 * [at, at + len)) and how it stands against its tenant's SL seconds
 * (listing_oldest_level), so the line can colour it. */
struct alert_mark {
	size_t at, len;
	enum stats_level level;
};
void alert_floor_line_marked(const struct floor *f, const struct listing_tenant *rows, const struct config *cfg,
                             char *buf, size_t len, struct alert_mark *m);

#endif
