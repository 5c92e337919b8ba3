/*
 * The dashboard's loop.  One zmq_poll waits on the feed, the request
 * socket and the terminal together, so the network never holds up a key
 * and a key never waits for the network.  Events only mark the screen
 * dirty; a frame is painted at most every --refresh ms, and ncurses sends
 * only the cells that changed (erase + redraw, never clear), so the bytes
 * on the wire follow what changed on screen, not the event rate.
 */
#include <curses.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "pooltop/app.h"
#include "pooltop/cmdline.h"
#include "pooltop/crt.h"
#include "pooltop/dialog.h"
#include "pooltop/fmt.h"
#include "pooltop/keymap.h"
#include "pooltop/listing.h"
#include "pooltop/view.h"
#include "pooltop/wall.h"

#define APP_MESSAGE_MS 5000

static const char app_usage[] =
"usage: pooltop [options]\n"
"       pooltop report --help      batch report of shifts (text, CSV, JSON)\n"
"       pooltop erlang --help      Erlang C staffing calculator\n"
"       pooltop keygen PATH        a CURVE key pair for --key (PATH, PATH.pub)\n"
"\n"
"The live dashboard of a pooltopd floor: tenants' queues and service\n"
"levels, agents, pools and the event feed.  Press ? inside for the keys.\n"
"\n"
"  --server HOST     pooltopd on HOST with the default ports (7701, 7702)\n"
"  --events EP       event feed endpoint (default tcp://127.0.0.1:7701)\n"
"  --requests EP     request endpoint (default tcp://127.0.0.1:7702)\n"
"  --theme NAME|FILE colour theme: default, light, mono, high-contrast, or\n"
"                    a .theme file (NO_COLOR in the environment means mono)\n"
"  --readonly        never send a change to the floor\n"
"  --wallboard       read-only wallboard: large figures, one tenant at a time\n"
"  --rotate SEC      wallboard: seconds per tenant (default 8)\n"
"  --refresh MS      paint at most every MS milliseconds (default 100)\n"
"  --as NAME         who moves are recorded as (default: $USER); a server\n"
"                    with keys records the key's name instead\n"
"  --key PATH        CURVE secret key (default ${XDG_CONFIG_HOME:-~/.config}/\n"
"                    pooltop/client.key if it exists; make one: pooltop keygen)\n"
"  --server-public K the server's public key: a file or 40 Z85 characters\n"
"                    (default ${XDG_CONFIG_HOME:-~/.config}/pooltop/server.pub)\n"
"  -h, --help        this help\n"
"  -V, --version     the version\n";

/* ------------------------------------------------------------ log ring */

void
app_log_push(struct app_log *log, const struct proto_event *ev)
{
	if (log->ev == NULL) {
		log->ev = calloc(APP_LOG_MAX, sizeof *log->ev);
		if (log->ev == NULL)
			return;
	}
	log->ev[log->head] = *ev;
	log->head = (log->head + 1) % APP_LOG_MAX;
	if (log->count < APP_LOG_MAX)
		log->count++;
	if (log->paused && log->missed < APP_LOG_MAX)
		log->missed++;
}

const struct proto_event *
app_log_get(const struct app_log *log, uint32_t i)
{
	if (log->ev == NULL || i >= log->count)
		return NULL;
	return &log->ev[(log->head + APP_LOG_MAX - 1 - i) % APP_LOG_MAX];
}

void
app_log_free(struct app_log *log)
{
	free(log->ev);
	log->ev = NULL;
	log->count = log->head = 0;
}

/* ------------------------------------------------------------ helpers */

void
app_message(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_error = error;
	a->message_until = conn_mono_ms() + APP_MESSAGE_MS;
	a->dirty = true;
}

static const char *const *
app_theme_dirs(void)
{
	static const char *const dirs[] = { "themes", POOLTOP_DATADIR "/themes", NULL };

	return dirs;
}

int
app_theme(struct app *a, const char *name)
{
	char err[256];
	struct theme t;

	if (theme_load(&t, name, app_theme_dirs(), err, sizeof err) < 0) {
		app_message(a, true, "%s", err);
		return -1;
	}
	a->theme = t;
	crt_colors(a);
	a->full_repaint = true;
	a->dirty = true;
	return 0;
}

static void
app_tags_fit(struct app *a)
{
	uint32_t n = a->conn.floor.n_agents;

	if (n == a->n_tagged_cap)
		return;
	/* A new floor: old tags name nobody for sure. */
	free(a->tagged);
	a->tagged = calloc(n ? n : 1, sizeof *a->tagged);
	a->n_tagged_cap = a->tagged ? n : 0;
}

/* ------------------------------------------------------------ conn hooks */

/* Keep an audit row unless the list has it (by epoch and seq). */
static void
app_audit_add(struct app_audit *au, const struct proto_audit_row *r)
{
	for (uint32_t i = 0; i < au->n; i++)
		if (au->rows[i].epoch == r->epoch && au->rows[i].seq == r->seq)
			return;
	/* Bounded, for a dashboard left running for weeks: the oldest go
	 * (the server keeps them all). */
	if (au->n == APP_AUDIT_MAX) {
		memmove(au->rows, au->rows + 1, (au->n - 1) * sizeof *au->rows);
		au->n--;
	}
	if (au->n == au->cap) {
		uint32_t cap = au->cap ? au->cap * 2 : 64;
		struct proto_audit_row *rows = realloc(au->rows, cap * sizeof *rows);
		if (rows == NULL)
			return;
		au->rows = rows;
		au->cap = cap;
	}
	au->rows[au->n++] = *r;
}

static void
app_audit_event(struct app *a, const struct proto_event *ev)
{
	struct proto_audit_row r;

	memset(&r, 0, sizeof r);
	r.ts = ev->ts;
	r.epoch = ev->epoch;
	r.seq = ev->seq;
	proto_strlcpy(r.by, ev->by, PROTO_ID_MAX);
	proto_strlcpy(r.req, ev->req, PROTO_REQID_MAX);
	proto_strlcpy(r.agent, ev->agent, PROTO_ID_MAX);
	proto_strlcpy(r.from, ev->from, PROTO_ID_MAX);
	proto_strlcpy(r.to, ev->to, PROTO_ID_MAX);
	proto_strlcpy(r.reason, ev->reason, PROTO_TEXT_MAX);
	r.forced = ev->forced;
	app_audit_add(&a->audit, &r);
}

static void
app_on_event(void *ctx, const struct proto_event *ev)
{
	struct app *a = ctx;

	if (ev->ts > a->clock_ts)
		a->clock_ts = ev->ts;
	if (ev->type == PROTO_EV_HB)
		return;
	app_log_push(&a->log, ev);
	if (ev->type == PROTO_EV_AGENT_MOVED) {
		app_audit_event(a, ev);
		dialog_on_event(a, ev);
	}
	if (ev->type == PROTO_EV_SHIFT_STARTED)
		a->hist.stale = true;
	dialog_settle(a);
	a->dirty = true;
}

/* Closed shifts for the Shifts view: asked when it is shown and again
 * after every shift change. */
static void
app_ask_history(struct app *a)
{
	struct proto_request rq;

	if (a->hist.asked || !a->conn.have_floor || a->conn.state != CONN_LIVE)
		return;
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = 8;
	if (conn_send(&a->conn, &rq, APP_TAG_HISTORY) == 0) {
		a->hist.asked = true;
		a->hist.stale = false;
	}
}

/* The durable record, once per epoch (the feed adds to it after). */
static void
app_ask_audit(struct app *a)
{
	struct proto_request rq;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_AUDIT;
	rq.limit = 1000;
	if (conn_send(&a->conn, &rq, APP_TAG_AUDIT) == 0)
		a->audit.asked = true;
}

static void
app_on_state(void *ctx)
{
	struct app *a = ctx;

	/* A new epoch restarts the floor clock, maybe earlier than before. */
	if (a->conn.have_floor && (a->conn.floor.ts > a->clock_ts || a->conn.floor.epoch != a->epoch)) {
		a->clock_ts = a->conn.floor.ts;
		if (a->conn.floor.epoch != a->epoch) {
			a->hist.stale = true;
			/* Indexes into the old floor mean nothing now. */
			if (a->tagged)
				memset(a->tagged, 0, a->n_tagged_cap * sizeof *a->tagged);
			if (a->mode == APP_MODE_PICK) {
				a->mode = APP_MODE_NORMAL;
				app_message(a, true, "the floor changed (server restarted): pick the agents again");
			}
		}
		a->epoch = a->conn.floor.epoch;
	}
	/* A snapshot may fold agent.moved events the feed never showed us:
	 * the durable record fills them in (rows merge by epoch and seq). */
	if (a->conn.n_snapshots != a->snapshots_seen) {
		a->snapshots_seen = a->conn.n_snapshots;
		a->audit.asked = false;
		dialog_settle(a);
	}
	if (a->conn.have_floor && a->conn.state == CONN_LIVE && !a->audit.asked)
		app_ask_audit(a);
	app_tags_fit(a);
	a->dirty = true;
}

static void
app_on_reply(void *ctx, uint64_t tag, const struct proto_reply *rp, bool answered)
{
	struct app *a = ctx;

	if (tag == APP_TAG_HISTORY) {
		a->hist.asked = false;
		if (!rp->ok) {
			a->hist.stale = true;
			return;
		}
		free(a->hist.rows);
		a->hist.rows = NULL;
		a->hist.n = 0;
		if (rp->n_rows > 0 && (a->hist.rows = calloc(rp->n_rows, sizeof *a->hist.rows)) != NULL) {
			memcpy(a->hist.rows, rp->rows, rp->n_rows * sizeof *rp->rows);
			a->hist.n = rp->n_rows;
		}
		a->dirty = true;
		return;
	}
	if (tag == APP_TAG_AUDIT) {
		if (!rp->ok) {
			a->audit.asked = false;
			return;
		}
		for (uint32_t i = 0; i < rp->n_audit; i++)
			app_audit_add(&a->audit, &rp->audit[i]);
		a->dirty = true;
		return;
	}
	if (move_book_find_tag(&a->moves, tag) != NULL) {
		dialog_on_reply(a, tag, rp, answered);
		return;
	}
	if (!rp->ok)
		app_message(a, true, "%s", rp->msg);
}

/* ------------------------------------------------------------ drawing */

static void
app_draw_title(struct app *a)
{
	int x = 9, full = 9;
	bool shrt;

	for (int v = 0; v < VIEW__COUNT; v++)
		full += 4 + (int)strlen(view_get((enum app_view_id)v)->name);
	/* Narrow terminals get "1 Flo 2 Age ..." rather than lost tabs. */
	shrt = full > a->cols - 8;
	draw_fill(a, 0, 0, a->cols, TR_TITLE);
	draw_text(a, 0, 0, 9, TR_TITLE, " pooltop ");
	if (a->opt.wallboard) {
		draw_fit(a, 0, 9, a->cols - 9, TR_TITLE, "wallboard  n next, q quit ", FMT_RIGHT);
		return;
	}
	for (int v = 0; v < VIEW__COUNT && x < a->cols; v++) {
		char tab[32];
		int len;

		snprintf(tab, sizeof tab, " %d %.*s ", v + 1, shrt ? 3 : 16, view_get((enum app_view_id)v)->name);
		len = (int)strlen(tab);
		draw_text(a, 0, x, len, v == (int)a->view ? TR_TAB_ACTIVE : TR_TITLE, tab);
		x += len;
	}
	if (a->cols - x > 10)
		draw_fit(a, 0, a->cols - 10, 10, TR_TITLE, a->opt.readonly ? "read-only " : "? help ",
		         FMT_RIGHT);
}

static void
app_draw_status(struct app *a)
{
	const struct conn *c = &a->conn;
	char state[96], clock[16], since[16], info[256], line[512];
	enum theme_role role = TR_LIVE;
	int y = a->rows - 1, sw;

	fmt_clock(since, sizeof since, c->since_real);
	switch (c->state) {
	case CONN_LIVE:
		snprintf(state, sizeof state, " LIVE ");
		break;
	case CONN_STALE:
		snprintf(state, sizeof state, " STALE since %s ", since);
		role = TR_STALE;
		break;
	case CONN_RESYNC:
		snprintf(state, sizeof state, " RESYNC ");
		role = TR_STALE;
		break;
	case CONN_JOINING:
		snprintf(state, sizeof state, " CONNECTING ");
		role = TR_STALE;
		break;
	case CONN_OFFLINE:
		snprintf(state, sizeof state, " OFFLINE since %s ", since);
		role = TR_OFFLINE;
		break;
	}
	if (a->clock_ts > 0)
		fmt_clock(clock, sizeof clock, a->clock_ts);
	else
		snprintf(clock, sizeof clock, "--:--:--");
	snprintf(info, sizeof info, " %s  seq %llu  %s %s  %.0f ev/s", a->opt.server,
	         (unsigned long long)c->floor.seq, clock,
	         c->floor.shift_name[0] ? c->floor.shift_name : "-", c->rate);
	if (c->state == CONN_RESYNC || c->state == CONN_STALE || c->state == CONN_OFFLINE)
		snprintf(line, sizeof line, "%s (%s)", info, c->why);
	else
		snprintf(line, sizeof line, "%s", info);
	sw = fmt_width(state);
	draw_text(a, y, 0, sw, role, state);
	draw_text(a, y, sw, a->cols - sw, TR_STATUS, line);
}

static void
app_draw_input(struct app *a)
{
	int y = a->rows - 2;
	char line[APP_INPUT_MAX + 64];

	if (a->mode == APP_MODE_FILTER || a->mode == APP_MODE_COMMAND) {
		snprintf(line, sizeof line, "%s%s", a->mode == APP_MODE_FILTER ? "/" : ":", a->input);
		draw_text(a, y, 0, a->cols, TR_INPUT, line);
		return;
	}
	if (a->mode == APP_MODE_REASON) {
		snprintf(line, sizeof line, "Reason (Enter goes on, Esc cancels): %s", a->input);
		draw_text(a, y, 0, a->cols, TR_INPUT, line);
		return;
	}
	if (a->message[0] && conn_mono_ms() < a->message_until) {
		draw_text(a, y, 0, a->cols, a->message_error ? TR_CRIT : TR_NORMAL, a->message);
		return;
	}
	a->message[0] = '\0';
	if (a->list[a->view].filter[0]) {
		snprintf(line, sizeof line, "filter: %s  (Esc clears)", a->list[a->view].filter);
		draw_text(a, y, 0, a->cols, TR_DIM, line);
		return;
	}
	draw_fill(a, y, 0, a->cols, TR_NORMAL);
}

static void
app_draw_help(struct app *a)
{
	int w = a->cols - 4 < 72 ? a->cols - 4 : 72, h = a->rows - 4;
	int x = (a->cols - w) / 2, y = 2, row = 0, skip;
	int shown = 0;

	for (unsigned i = 0; i < keymap_count; i++)
		shown += !keymap[i].hidden;
	if (a->help_top > shown - (h - 2))
		a->help_top = shown - (h - 2);
	if (a->help_top < 0)
		a->help_top = 0;
	skip = a->help_top;
	for (int i = 0; i < h; i++)
		draw_fill(a, y + i, x, w, TR_DIALOG);
	draw_text(a, y, x, w, TR_HEADER, " Keys - q, Esc or ? closes, j/k scroll");
	for (unsigned i = 0; i < keymap_count && row < h - 2; i++) {
		char line[256];

		if (keymap[i].hidden || skip-- > 0)
			continue;
		snprintf(line, sizeof line, " %-14s %s", keymap[i].label, keymap[i].help);
		draw_text(a, y + 1 + row, x, w, TR_DIALOG, line);
		row++;
	}
}

static void
app_draw(struct app *a)
{
	int body;

	if (a->full_repaint) {
		clearok(curscr, TRUE);
		a->full_repaint = false;
	}
	erase();
	if (crt_too_small(a)) {
		char msg[80];

		attrset(A_NORMAL);
		mvaddnstr(0, 0, "terminal too small", a->cols);
		snprintf(msg, sizeof msg, "%dx%d, need %dx%d", a->cols, a->rows, APP_MIN_COLS, APP_MIN_ROWS);
		mvaddnstr(1, 0, msg, a->cols);
		refresh();
		return;
	}
	app_draw_title(a);
	body = a->rows - 3;
	if (!a->conn.have_floor) {
		char msg[300];

		snprintf(msg, sizeof msg, "Waiting for the floor at %s ...", a->opt.events_ep);
		draw_text(a, 2, 2, a->cols - 4, TR_DIM, msg);
	} else if (a->opt.wallboard) {
		wall_draw(a);
	} else {
		view_get(a->view)->draw(a, 1, body, a->cols);
	}
	if (a->mode == APP_MODE_HELP)
		app_draw_help(a);
	dialog_draw(a);
	app_draw_input(a);
	app_draw_status(a);
	refresh();
	a->frames++;
}

/* ------------------------------------------------------------ keys */

int
app_input_key(struct app *a, wint_t ch, bool is_key)
{
	size_t len = strlen(a->input);

	a->dirty = true;
	if (!is_key && ch == 27)
		return -1;
	if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER))
		return 1;
	if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8))) {
		/* Back over a whole UTF-8 character. */
		while (len > 0 && ((unsigned char)a->input[len - 1] & 0xc0) == 0x80)
			a->input[--len] = '\0';
		if (len > 0)
			a->input[--len] = '\0';
	} else if (!is_key && ch >= 32) {
		char mb[8];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n != (size_t)-1 && len + n < sizeof a->input) {
			memcpy(a->input + len, mb, n);
			a->input[len + n] = '\0';
		}
	}
	return 0;
}

static void
app_key_input(struct app *a, wint_t ch, bool is_key)
{
	bool was_empty = a->input[0] == '\0';
	int r = app_input_key(a, ch, is_key);
	enum app_mode m = a->mode;

	if (r < 0) {
		if (m == APP_MODE_FILTER)
			a->list[a->view].filter[0] = '\0';
		a->mode = APP_MODE_NORMAL;
		return;
	}
	if (r > 0) {
		a->mode = APP_MODE_NORMAL;
		if (m == APP_MODE_FILTER) {
			proto_strlcpy(a->list[a->view].filter, a->input, APP_FILTER_MAX);
			a->list[a->view].cursor = 0;
		} else {
			cmdline_run(a, a->input);
		}
		return;
	}
	/* Backspace on an empty line leaves it, as in vi. */
	if (was_empty && ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8))))
		a->mode = APP_MODE_NORMAL;
	/* The filter applies as it is typed. */
	if (a->mode == APP_MODE_FILTER)
		proto_strlcpy(a->list[a->view].filter, a->input, APP_FILTER_MAX);
}

static void
app_key(struct app *a, wint_t ch, bool is_key)
{
	int key = (int)ch;

	if (is_key && ch == KEY_RESIZE) {
		crt_resize(a);
		a->full_repaint = true;
		return;
	}
	if (a->mode == APP_MODE_FILTER || a->mode == APP_MODE_COMMAND) {
		app_key_input(a, ch, is_key);
		return;
	}
	if (a->mode == APP_MODE_PICK || a->mode == APP_MODE_REASON || a->mode == APP_MODE_CONFIRM ||
	    a->mode == APP_MODE_FORCE) {
		dialog_key(a, ch, is_key);
		return;
	}
	if (a->mode == APP_MODE_HELP) {
		if (key == 'j' || key == KEY_DOWN)
			a->help_top++;
		else if (key == 'k' || key == KEY_UP)
			a->help_top--;
		else
			a->mode = APP_MODE_NORMAL;
		a->dirty = true;
		return;
	}
	if (a->opt.wallboard) {
		/* A wall has few keys: step, repaint, quit. */
		if (key == 'n' || key == ' ' || key == KEY_RIGHT)
			a->wall_index++;
		else if ((key == 'N' || key == KEY_LEFT) && a->wall_index > 0)
			a->wall_index--;
		else if (key == 'q' || key == 12 || key == '?')
			keymap_dispatch(a, key);
		a->wall_ticks = 0;
		a->dirty = true;
		return;
	}
	if (a->conn.have_floor && view_get(a->view)->key(a, key))
		return;
	if (!keymap_dispatch(a, key))
		return;
}

static void
app_read_keys(struct app *a)
{
	wint_t ch;
	int rc;

	/* nodelay: drains what is typed, never waits.  What a person types
	 * shows at once; only the feed is held to --refresh. */
	while ((rc = get_wch(&ch)) != ERR) {
		app_key(a, ch, rc == KEY_CODE_YES);
		a->paint_now = true;
	}
}

/* ------------------------------------------------------------ options */

static int
app_bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "pooltop: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pooltop --help'.\n");
	return 2;
}

static int
app_parse(int argc, char **argv, struct app_opts *o)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 'S' },
		{ "events", required_argument, NULL, 'e' },
		{ "requests", required_argument, NULL, 'q' },
		{ "theme", required_argument, NULL, 't' },
		{ "readonly", no_argument, NULL, 'R' },
		{ "wallboard", no_argument, NULL, 'W' },
		{ "rotate", required_argument, NULL, 'o' },
		{ "refresh", required_argument, NULL, 'r' },
		{ "as", required_argument, NULL, 'a' },
		{ "key", required_argument, NULL, 'k' },
		{ "server-public", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *user = getenv("USER");
	char *end;
	long v;
	int c;

	memset(o, 0, sizeof *o);
	snprintf(o->events_ep, sizeof o->events_ep, "tcp://127.0.0.1:7701");
	snprintf(o->requests_ep, sizeof o->requests_ep, "tcp://127.0.0.1:7702");
	o->refresh_ms = 100;
	o->rotate_s = 8;
	if (user == NULL || *user == '\0') {
		struct passwd *pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "unknown";
	}
	proto_strlcpy(o->user, user, PROTO_ID_MAX);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'S':
			if (strlen(optarg) == 0 || strlen(optarg) > 200 || strchr(optarg, '/'))
				return app_bad("--server wants a host name or address, got '%s'", optarg);
			snprintf(o->events_ep, sizeof o->events_ep, "tcp://%s:7701", optarg);
			snprintf(o->requests_ep, sizeof o->requests_ep, "tcp://%s:7702", optarg);
			break;
		case 'e':
			if (strstr(optarg, "://") == NULL || strlen(optarg) >= sizeof o->events_ep)
				return app_bad("--events wants an endpoint like tcp://HOST:PORT, got '%s'", optarg);
			snprintf(o->events_ep, sizeof o->events_ep, "%s", optarg);
			break;
		case 'q':
			if (strstr(optarg, "://") == NULL || strlen(optarg) >= sizeof o->requests_ep)
				return app_bad("--requests wants an endpoint like tcp://HOST:PORT, got '%s'", optarg);
			snprintf(o->requests_ep, sizeof o->requests_ep, "%s", optarg);
			break;
		case 't':
			o->theme = optarg;
			break;
		case 'R':
			o->readonly = true;
			break;
		case 'W':
			o->wallboard = true;
			o->readonly = true;
			break;
		case 'o':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 || v > 3600)
				return app_bad("--rotate wants seconds from 1 to 3600, got '%s'", optarg);
			o->rotate_s = (int)v;
			break;
		case 'r':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 10 || v > 10000)
				return app_bad("--refresh wants milliseconds from 10 to 10000, got '%s'", optarg);
			o->refresh_ms = (int)v;
			break;
		case 'a':
			if (*optarg == '\0' || strlen(optarg) > PROTO_ID_MAX)
				return app_bad("--as wants a name of 1 to 32 bytes, got '%s'", optarg);
			proto_strlcpy(o->user, optarg, PROTO_ID_MAX);
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'P':
			o->server_public = optarg;
			break;
		case 'h':
			fputs(app_usage, stdout);
			return 1;
		case 'V':
			printf("pooltop %s (protocol v%d)\n", POOLTOP_VERSION, PROTO_VERSION);
			return 1;
		case ':':
			return app_bad("option '%s' needs a value", argv[optind - 1]);
		default:
			return app_bad("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return app_bad("unexpected argument '%s'", argv[optind]);
	/* What the status line calls the server: the feed's host:port. */
	snprintf(o->server, sizeof o->server, "%.*s", (int)sizeof o->server - 1,
	         strstr(o->events_ep, "://") ? strstr(o->events_ep, "://") + 3 : o->events_ep);
	return 0;
}

/* ------------------------------------------------------------ main */

static long
app_timeout(struct app *a, int64_t now)
{
	long t = conn_timeout(&a->conn, now);
	long tick = (long)(a->next_tick - now);

	if (tick < t)
		t = tick;
	if (a->dirty && a->paint_now)
		return 0;
	if (a->dirty) {
		long until = (long)(a->last_draw + a->opt.refresh_ms - now);
		if (until < t)
			t = until;
	}
	/* A message still showing needs a frame when it expires; one that
	 * has expired needs nothing (a negative wait would spin the loop). */
	if (a->message[0] && a->message_until > now && a->message_until - now < t)
		t = (long)(a->message_until - now);
	return t < 0 ? 0 : t;
}

static int
app_loop(struct app *a)
{
	while (!a->quit) {
		int64_t now = conn_mono_ms();
		zmq_pollitem_t items[3];

		conn_pollitems(&a->conn, items);
		items[2] = (zmq_pollitem_t){ NULL, STDIN_FILENO, ZMQ_POLLIN, 0 };
		if (zmq_poll(items, 3, app_timeout(a, now)) < 0 && zmq_errno() != EINTR)
			return -1;
		now = conn_mono_ms();
		conn_handle(&a->conn, now);
		app_read_keys(a);
		if (a->view == VIEW_SHIFTS && a->hist.stale && !a->hist.asked)
			app_ask_history(a);
		if (now >= a->next_tick) {
			/* Ages and the floor clock move on screen. */
			a->next_tick = now + 1000;
			a->dirty = true;
			if (a->opt.wallboard)
				wall_tick(a);
		}
		if (a->dirty && (a->paint_now || now - a->last_draw >= a->opt.refresh_ms)) {
			a->dirty = false;
			a->paint_now = false;
			a->last_draw = now;
			app_draw(a);
		}
	}
	return 0;
}

int
app_main(int argc, char **argv)
{
	struct app *a = calloc(1, sizeof *a);
	struct conn_hooks hooks;
	struct curve_client curve;
	char err[256];
	int rc;

	if (a == NULL)
		return 1;
	setlocale(LC_ALL, "");
	rc = app_parse(argc, argv, &a->opt);
	if (rc != 0) {
		free(a);
		return rc == 1 ? 0 : 2;
	}
	a->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	theme_default(&a->theme);
	if (a->opt.theme && theme_load(&a->theme, a->opt.theme, app_theme_dirs(), err, sizeof err) < 0) {
		fprintf(stderr, "pooltop: %s\n", err);
		free(a);
		return 2;
	}
	a->list[VIEW_FLOOR].sort = LT_SL;
	hooks = (struct conn_hooks){ app_on_event, app_on_reply, app_on_state, a };
	if (curve_client_load(&curve, a->opt.key, a->opt.server_public, err, sizeof err) < 0) {
		fprintf(stderr, "pooltop: %s\n", err);
		free(a);
		return 2;
	}
	rc = conn_open_keyed(&a->conn, a->opt.events_ep, a->opt.requests_ep, &hooks, &curve, err,
	                     sizeof err);
	memset(&curve, 0, sizeof curve);
	if (rc < 0) {
		fprintf(stderr, "pooltop: %s\n", err);
		free(a);
		return 1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "pooltop: the dashboard needs a terminal (for scripts: pooltop report, "
		        "pooltop erlang)\n");
		conn_close(&a->conn);
		free(a);
		return 2;
	}
	if (crt_init(a) < 0) {
		fprintf(stderr, "pooltop: cannot set up the terminal (TERM=%s)\n",
		        getenv("TERM") ? getenv("TERM") : "");
		conn_close(&a->conn);
		free(a);
		return 1;
	}
	a->dirty = true;
	a->hist.stale = true;
	a->next_tick = conn_mono_ms() + 1000;
	rc = app_loop(a);
	crt_done(a);
	conn_close(&a->conn);
	app_log_free(&a->log);
	free(a->audit.rows);
	free(a->hist.rows);
	free(a->tagged);
	free(a);
	return rc < 0 ? 1 : 0;
}
