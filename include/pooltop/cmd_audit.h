/*
 * cmd_audit: `pooltop audit`, the durable record of moves (who moved
 * whom, when, why, forced or not) for a compliance file, as text, CSV or
 * JSON, optionally from a date on.
 */
#ifndef POOLTOP_CMD_AUDIT_H
#define POOLTOP_CMD_AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include "pooltop/proto.h"

enum cmd_audit_format { CMD_AUDIT_TEXT, CMD_AUDIT_CSV, CMD_AUDIT_JSON };

/* "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" or "YYYY-MM-DD HH:MM[:SS]" in
 * local time, as ms since the epoch.  0, or -1 with why. */
int cmd_audit_since(const char *s, int64_t *out_ms, char *why, size_t len);

/* The rows at or after since_ms (all when since_ms is INT64_MIN) in one
 * format; 0, or -1 when the stream failed. */
int cmd_audit_write(FILE *out, enum cmd_audit_format fmt, const struct proto_audit_row *rows, uint32_t n,
                    int64_t since_ms);

int cmd_audit_main(int argc, char **argv);

#endif
