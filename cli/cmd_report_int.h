/*
 * cmd_report_int: how the pieces of `pooltop report` meet — its
 * arguments (cmd_report_args.c), its blocking client (cmd_report_fetch.c)
 * and the command itself (cmd_report.c).  Figures and formats, which the
 * tests use too, are in pooltop/cmd_report.h.  Not for other rooms.
 */
#ifndef POOLTOP_CMD_REPORT_INT_H
#define POOLTOP_CMD_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>
#include <stdio.h>

#include "pooltop/cmd_report.h"
#include "pooltop/curve_client.h"
#include "pooltop/endpoint.h"
#include "pooltop/proto.h"

#define CMD_REPORT_PROG "pooltop report"
#define CMD_REPORT_EP_MAX ENDPOINT_MAX

enum cmd_report_status { CMD_REPORT_OK = 0, CMD_REPORT_FAIL = 1, CMD_REPORT_USAGE = 2 };
enum cmd_report_format { CMD_REPORT_TEXT, CMD_REPORT_CSV, CMD_REPORT_JSON };

struct cmd_report_args {
	char requests_ep[CMD_REPORT_EP_MAX];
	enum cmd_report_format format;
	uint32_t shifts;
	int timeout_ms;
	bool by_interval;          /* --by interval: a row per 15 minutes */
	bool full;                 /* --columns full (the text default) */
	bool columns_given;        /* --columns was given */
	struct curve_client curve;   /* --key, --server-public (curve.on false: none) */
};

/* -1 when --help was shown, else an exit status (CMD_REPORT_OK to go on). */
int cmd_report_parse(int argc, char **argv, struct cmd_report_args *args);

/* A snapshot and, when shifts > 0, the history of that many closed
 * shifts from the server at ep (with keys cc), all within timeout_ms.  Returns an exit
 * status; the replies are filled (and the caller frees them) only on
 * CMD_REPORT_OK, after a one-line message on stderr otherwise. */
int cmd_report_fetch(const char *ep, const struct curve_client *cc, int timeout_ms, uint32_t shifts,
                     struct proto_reply *snap, struct proto_reply *hist);

/* ------------------------------------------------------------ cells */

/* Wide enough for any double printed with %.2f (DBL_MAX has 309 digits). */
#define CMD_REPORT_CELL_MAX 330
#define CMD_REPORT_FIELDS_MAX 20

enum cmd_report_kind { CELL_STR, CELL_NUM, CELL_NONE };

struct cmd_report_cell {
	enum cmd_report_kind kind;
	const char *str;                     /* CELL_STR: the text, CELL_NUM: num */
	char num[CMD_REPORT_CELL_MAX];
};

/* A figure to `decimals` places with '.', or false when it is unknown. */
bool cmd_report_num(char *buf, size_t len, double v, int decimals);
void cmd_report_cell_num(struct cmd_report_cell *c, double v, int decimals);
void cmd_report_cell_uint(struct cmd_report_cell *c, uint64_t v);

/* Rows of named fields, however they are made (per shift, per interval),
 * for the CSV and JSON writers. */
struct cmd_report_table {
	int n_fields;                        /* <= CMD_REPORT_FIELDS_MAX */
	const char *const *names;
	uint32_t n_rows;
	void (*cells)(const void *ctx, uint32_t i, struct cmd_report_cell *cells);
	const void *ctx;
};
int cmd_report_csv_table(FILE *out, const struct cmd_report_table *t);
/* rep gives the "generated" and "server" fields. */
int cmd_report_json_table(FILE *out, const struct cmd_report_table *t, const struct cmd_report *rep);
/* Aligned text with the field names as the header (utf8 false: names
 * spelled in ASCII). */
int cmd_report_text_table_of(FILE *out, const struct cmd_report_table *t, bool utf8);
/* The by-interval table in text. */
int cmd_report_text_intervals_in(FILE *out, const struct cmd_report *rep, bool utf8);
/* the same shift: rows of one shift are next to each other */
bool cmd_report_same_shift(const struct cmd_report_row *a, const struct cmd_report_row *b);
/* 0, or -1 when the stream has an error. */
int cmd_report_stream_status(FILE *out);

#endif
