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

#include "pooltop/advisor.h"
#include "pooltop/alert.h"
#include "pooltop/config.h"
#include "pooltop/conn.h"
#include "pooltop/lineedit.h"
#include "pooltop/list.h"
#include "pooltop/modal.h"
#include "pooltop/move.h"
#include "pooltop/msg.h"
#include "pooltop/request.h"
#include "pooltop/theme.h"

#define APP_MIN_COLS 60
#define APP_MIN_ROWS 12
#define APP_LOG_MAX 2000        /* events kept for the Events view */
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
	struct config cfg;       /* the settings file with the flags over it */
	char user_themes[CONFIG_PATH_MAX];  /* ~/.config/pooltop/themes, "" none */
	const char *theme_dirs[4];          /* where themes are found by name */
};

enum app_view_id {
	VIEW_FLOOR,
	VIEW_AGENTS,
	VIEW_POOLS,
	VIEW_EVENTS,
	VIEW_AUDIT,
	VIEW_SHIFTS,
	VIEW_STAFFING,
	VIEW_TENANT,             /* one tenant's page: Enter on Floor, no tab */
	VIEW__COUNT
};
/* The views with a tab (1-7, Tab): the tenant page is reached from Floor. */
#define VIEW__TABS VIEW_TENANT

/* A line of the Events view: the event as received, kept whole. */
struct app_log {
	struct proto_event *ev;  /* ring of APP_LOG_MAX */
	uint32_t head;           /* next slot */
	uint32_t count;
	uint64_t pushed;         /* every event ever pushed: the view's generation */
	bool paused;             /* frozen: new events still counted */
	uint32_t missed;         /* arrived while paused */
};

enum app_mode {
	APP_MODE_NORMAL,
	APP_MODE_HELP,           /* help overlay */
	APP_MODE_FILTER,         /* typing a '/' filter */
	APP_MODE_COMMAND,        /* typing a ':' command */
	APP_MODE_MESSAGES,       /* the message log overlay (M, :messages) */
};

/* Closed shifts from `history`, for the Shifts view. */
struct app_history {
	struct proto_stats_row *rows;
	uint32_t n;
	bool asked;                         /* a request is out */
	bool stale;                         /* a shift closed since: ask again */
	int metric;                         /* enum shiftgrid_metric */
	uint64_t gen;                       /* bumped when rows change */
};

/* The Audit view: durable record plus what the feed brings. */
struct app_audit {
	struct proto_audit_row *rows;       /* oldest first */
	uint32_t n, cap;
	bool asked;                         /* an audit request is out or done this epoch */
	uint64_t gen;                       /* bumped when rows change */
};

struct app {
	struct app_opts opt;
	struct conn conn;
	struct theme theme;
	int ncolors;
	bool utf8;               /* the locale can show UTF-8 glyphs */
	bool stale_look;         /* this frame: the feed is not LIVE, so the
	                            figures are drawn dimmed (draw_fit) */
	uint32_t attr[TR__COUNT];/* ncurses attributes per role */

	enum app_view_id view;
	struct list list[VIEW__COUNT];   /* the agents' list holds the tags */
	void *cache[VIEW__COUNT];        /* what each view derives at a build */
	struct app_log log;

	enum app_mode mode;
	struct lineedit filter_edit;
	struct lineedit cmd_edit;
	struct modal modal;              /* a move dialog over the view */
	struct move_book moves;
	struct request_book req;
	struct app_audit audit;
	struct app_history hist;
	uint64_t snapshots_seen;         /* conn.n_snapshots when last handled */
	struct advisor adv;              /* the staffing advice's memory (Staffing view) */
	int help_top;

	struct alert_book alerts;        /* tenants past their thresholds */
	bool agents_offline;             /* the Agents view and the tenant page list
	                                    offline agents too (o) */
	char page_tenant[PROTO_ID_MAX + 1]; /* the tenant page's tenant, by id */
	struct msg msg;                  /* one-line feedback under the view */
	uint64_t msg_seen;               /* msg.n when last drawn */

	uint32_t wall_index;     /* wallboard: the tenant shown */
	int wall_ticks;
	int64_t clock_ts;        /* floor clock: newest ts seen (events, heartbeats) */
	uint64_t epoch;          /* of clock_ts */

	int rows, cols;
	bool modal_shown;        /* a dialog was up at the last frame */
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

/* Paint one frame (tui/app_draw.c). */
void app_draw(struct app *a);

/* Seconds the data on screen is old: since the last feed message (wall
 * clock), or since the connection state began when none came. */
int64_t app_data_age_s(const struct app *a, int64_t now_real);

int app_main(int argc, char **argv);

#endif
