/*
 * app: the dashboard's one app struct.  Data flows one way: conn (socket
 * -> decode -> floor_apply) marks the app dirty; app_draw paints the
 * current view from the replica at most every --refresh ms.  Keys go
 * through the key table (keymap.c) to actions; a change to the floor goes
 * out as a request and comes back as events, never as a local edit.
 */
#ifndef POOLTOP_APP_H
#define POOLTOP_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "pooltop/conn.h"
#include "pooltop/move.h"
#include "pooltop/theme.h"

#define APP_MIN_COLS 60
#define APP_MIN_ROWS 12
#define APP_LOG_MAX 2000        /* events kept for the Events view */
#define APP_FILTER_MAX 64
#define APP_INPUT_MAX 256
#define APP_AUDIT_MAX 5000       /* moves kept for the Audit view */

struct app_opts {
	char events_ep[256];
	char requests_ep[256];
	char server[128];        /* what the status line calls the server */
	const char *theme;       /* name or path; NULL = default / NO_COLOR */
	bool readonly;
	bool wallboard;
	int refresh_ms;
	int rotate_s;            /* wallboard: seconds per tenant */
	char user[PROTO_ID_MAX + 1];   /* `by` of moves */
	const char *key;               /* --key, --server-public (NULL: defaults) */
	const char *server_public;
};

enum app_view_id {
	VIEW_FLOOR,
	VIEW_AGENTS,
	VIEW_POOLS,
	VIEW_EVENTS,
	VIEW_AUDIT,
	VIEW_SHIFTS,
	VIEW_STAFFING,
	VIEW__COUNT
};

/* Per-view list state: cursor, scroll, sort and filter. */
struct app_list {
	int cursor;              /* index into the visible (filtered, sorted) rows */
	int top;                 /* first visible row */
	int sort;                /* column index */
	bool desc;
	char filter[APP_FILTER_MAX + 1];
};

/* A line of the Events view: the event as received, kept whole. */
struct app_log {
	struct proto_event *ev;  /* ring of APP_LOG_MAX */
	uint32_t head;           /* next slot */
	uint32_t count;
	bool paused;             /* frozen: new events still counted */
	uint32_t missed;         /* arrived while paused */
};

enum app_mode {
	APP_MODE_NORMAL,
	APP_MODE_HELP,           /* help overlay */
	APP_MODE_FILTER,         /* typing a '/' filter */
	APP_MODE_COMMAND,        /* typing a ':' command */
	APP_MODE_PICK,           /* choosing a destination pool */
	APP_MODE_REASON,         /* typing why */
	APP_MODE_CONFIRM,        /* y / n */
	APP_MODE_FORCE,          /* refused for contract_min: a reason forces it */
};

#define APP_DIALOG_SPECS 8

/* The move being prepared: who, where, why, and what confirm sends. */
struct app_dialog {
	uint32_t agents[MOVE_AGENTS_MAX];   /* floor indexes */
	uint32_t n_agents;
	int pick;                           /* picker cursor: pool index in pick order */
	int pick_top;
	uint32_t n_specs;
	struct move_spec specs[APP_DIALOG_SPECS];
	bool is_undo;
	char refused[PROTO_TEXT_MAX + 1];   /* the server's sentence, for FORCE */
};

/* Closed shifts from `history`, for the Shifts view. */
struct app_history {
	struct proto_stats_row *rows;
	uint32_t n;
	bool asked;                         /* a request is out */
	bool stale;                         /* a shift closed since: ask again */
	int metric;                         /* enum shiftgrid_metric */
};

/* The Audit view: durable record plus what the feed brings. */
struct app_audit {
	struct proto_audit_row *rows;       /* oldest first */
	uint32_t n, cap;
	bool asked;                         /* an audit request is out or done this epoch */
};

struct app {
	struct app_opts opt;
	struct conn conn;
	struct theme theme;
	int ncolors;
	bool utf8;               /* the locale can show UTF-8 glyphs */
	uint32_t attr[TR__COUNT];/* ncurses attributes per role */

	enum app_view_id view;
	struct app_list list[VIEW__COUNT];
	struct app_log log;
	bool *tagged;            /* per floor agent; resized with the floor */
	uint32_t n_tagged_cap;

	enum app_mode mode;
	char input[APP_INPUT_MAX + 1];   /* filter, command or reason being typed */
	struct app_dialog dlg;
	struct move_book moves;
	struct app_audit audit;
	struct app_history hist;
	uint64_t snapshots_seen;         /* conn.n_snapshots when last handled */
	int help_top;

	char message[256];       /* one-line feedback under the view */
	bool message_error;
	int64_t message_until;   /* monotonic ms */

	uint32_t wall_index;     /* wallboard: the tenant shown */
	int wall_ticks;
	int64_t clock_ts;        /* floor clock: newest ts seen (events, heartbeats) */
	uint64_t epoch;          /* of clock_ts */

	int rows, cols;
	bool dirty;
	bool paint_now;          /* a key or our own move: no waiting for --refresh */
	bool full_repaint;       /* Ctrl-L */
	int64_t last_draw;       /* monotonic ms */
	int64_t next_tick;       /* once a second: ages on screen move */
	uint64_t frames;
	bool quit;
};

/* ncurses-free parts, testable: */
void app_log_push(struct app_log *log, const struct proto_event *ev);
/* The i-th newest event (0 = newest), or NULL. */
const struct proto_event *app_log_get(const struct app_log *log, uint32_t i);
void app_log_free(struct app_log *log);

/* Show a line of feedback for a few seconds. */
void app_message(struct app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Request tags of the app's own requests (moves use small numbers). */
#define APP_TAG_AUDIT (UINT64_C(1) << 40)
#define APP_TAG_HISTORY (UINT64_C(1) << 41)

/* Line editing of a->input: 1 on Enter, -1 on Esc, 0 while typing. */
int app_input_key(struct app *a, wint_t ch, bool is_key);

/* Switch to a theme by name or path; -1 (and a message) when it fails. */
int app_theme(struct app *a, const char *name);

int app_main(int argc, char **argv);

#endif
