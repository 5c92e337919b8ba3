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
#include "pooltop/args.h"
#include "pooltop/cmdline.h"
#include "pooltop/crt.h"
#include "pooltop/fetch.h"
#include "pooltop/fmt.h"
#include "pooltop/keymap.h"
#include "pooltop/movectl.h"
#include "pooltop/listing.h"
#include "pooltop/parse.h"
#include "pooltop/view.h"
#include "pooltop/wall.h"

static const char app_usage[] =
"usage: pooltop [options]\n"
"       pooltop report --help      batch report of shifts (text, CSV, JSON)\n"
"       pooltop erlang --help      Erlang C staffing calculator\n"
"       pooltop keygen PATH        a CURVE key pair for --key (PATH, PATH.pub)\n"
"\n"
"The live dashboard of a pooltopd floor: tenants' queues and service\n"
"levels, agents, pools and the event feed.  Press ? inside for the keys.\n"
"\n"
"  --server HOST     pooltopd on HOST with the default ports (" ENDPOINT_EVENTS_PORT ", " ENDPOINT_REQUESTS_PORT ")\n"
"  --events EP       event feed endpoint (default " ENDPOINT_EVENTS_DEFAULT ")\n"
"  --requests EP     request endpoint (default " ENDPOINT_REQUESTS_DEFAULT ")\n"
"  --theme NAME|FILE colour theme: default, light, mono, high-contrast, or\n"
"                    a .theme file (NO_COLOR in the environment means mono)\n"
"  --readonly        never send a change to the floor\n"
"  --wallboard       read-only wallboard: large figures, one tenant at a time\n"
"  --rotate TIME     wallboard: time per tenant: 8, 30s, 1m (default 8)\n"
"  --refresh MS      paint at most every MS ms, 10 to 10000 (default 100)\n"
"  --as NAME         who moves are recorded as (default: $USER); a server\n"
"                    with keys records the key's name instead\n"
"  --key PATH        CURVE secret key (default ${XDG_CONFIG_HOME:-~/.config}/\n"
"                    pooltop/client.key if it exists; make one: pooltop keygen)\n"
"  --server-public K the server's public key: a file or 40 Z85 characters\n"
"                    (default ${XDG_CONFIG_HOME:-~/.config}/pooltop/server.pub)\n"
"  -h, --help        this help\n"
"  -V, --version     the version\n";

/* ------------------------------------------------------------ conn hooks */

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
		fetch_audit_event(a, ev);
		movectl_on_event(a, ev);
	}
	if (ev->type == PROTO_EV_SHIFT_STARTED)
		a->hist.stale = true;
	movectl_settle(a);
	a->dirty = true;
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
			/* Another floor: what was tagged and picked was on the old one. */
			list_tags_clear(&a->list[VIEW_AGENTS]);
			if (a->modal.kind == MODAL_PICK) {
				modal_close(&a->modal);
				msg_show(&a->msg, true, "the floor changed (server restarted): pick the agents again");
			}
		}
		a->epoch = a->conn.floor.epoch;
	}
	/* A snapshot may fold agent.moved events the feed never showed us:
	 * the durable record fills them in (rows merge by epoch and seq). */
	if (a->conn.n_snapshots != a->snapshots_seen) {
		a->snapshots_seen = a->conn.n_snapshots;
		a->audit.asked = false;
		movectl_settle(a);
	}
	if (a->conn.have_floor && a->conn.state == CONN_LIVE && !a->audit.asked)
		fetch_audit(a);
	a->dirty = true;
}

/* ------------------------------------------------------------ keys */

/* A key while a '/' filter or ':' command is typed. */
static void
app_key_input(struct app *a, wint_t ch, bool is_key)
{
	bool filter = a->mode == APP_MODE_FILTER;
	struct lineedit *le = filter ? &a->filter_edit : &a->cmd_edit;
	struct list *l = &a->list[a->view];

	a->dirty = true;
	switch (lineedit_key(le, (int)ch, is_key)) {
	case LINEEDIT_ESCAPE:
		if (filter)
			list_set_filter(l, "");
		a->mode = APP_MODE_NORMAL;
		return;
	case LINEEDIT_LEAVE:
		a->mode = APP_MODE_NORMAL;
		return;
	case LINEEDIT_ENTER:
		a->mode = APP_MODE_NORMAL;
		lineedit_remember(le);
		if (filter)
			list_set_filter(l, le->buf);
		else
			cmdline_run(a, le->buf);
		return;
	case LINEEDIT_EDITING:
		/* The filter applies as it is typed. */
		if (filter)
			list_set_filter(l, le->buf);
		return;
	}
}

/* A key while a move dialog is up: its command, carried out here. */
static void
app_key_modal(struct app *a, wint_t ch, bool is_key)
{
	struct modal *m = &a->modal;

	a->dirty = true;
	switch (modal_key(m, &a->conn.floor, (int)ch, is_key, a->rows - 6)) {
	case MODAL_SEND:
		movectl_send(a, m->specs, m->n_specs, m->is_undo);
		if (!m->is_undo)
			list_tags_clear(&a->list[VIEW_AGENTS]);
		break;
	case MODAL_SAY:
		msg_show(&a->msg, true, "%s", m->say);
		break;
	case MODAL_KEEP:
		break;
	}
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
	if (modal_open(&a->modal)) {
		app_key_modal(a, ch, is_key);
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
	if (a->conn.have_floor && view_get(a->view)->key && view_get(a->view)->key(a, key))
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

#define APP_PROG "pooltop"

/* --rotate and --refresh by the rules of pooltop/parse.h; 0, or the usage
 * error's exit status. */
static int
app_parse_value(int c, const char *v, struct app_opts *o)
{
	static const struct parse_range rotate = { 1, 3600, false, false };
	char why[PARSE_WHY_MAX];
	uint64_t ms;
	double secs;

	if (c == 'o') {
		if (parse_duration(v, 1, &rotate, &secs, why, sizeof why) != PARSE_OK)
			return args_bad_value(APP_PROG, "rotate", v, why);
		if (secs != (int)secs)
			return args_bad_value(APP_PROG, "rotate", v, "must be whole seconds");
		o->rotate_s = (int)secs;
		return 0;
	}
	if (parse_whole(v, 10, 10000, &ms, why, sizeof why) != PARSE_OK)
		return args_bad_value(APP_PROG, "refresh", v, why);
	o->refresh_ms = (int)ms;
	return 0;
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
	struct endpoints eps;
	char err[ENDPOINT_MAX + 64];
	int c, rc, idx = 0;

	memset(o, 0, sizeof *o);
	endpoint_defaults(&eps);
	o->refresh_ms = 100;
	o->rotate_s = 8;
	if (user == NULL || *user == '\0') {
		struct passwd *pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "unknown";
	}
	proto_strlcpy(o->user, user, PROTO_ID_MAX);
	args_getopt_reset();
	while ((c = getopt_long(argc, argv, ":hV", longopts, &idx)) != -1) {
		switch (c) {
		case 'S':
		case 'e':
		case 'q':
		case 'k':
		case 'P':
			/* where pooltopd is and the keys to reach it: one reading
			 * for every program (pooltop/endpoint.h) */
			if (endpoint_option(&eps, longopts[idx].name, optarg, err, sizeof err) != 0)
				return args_fail(APP_PROG, "%s", err);
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
		case 'r':
			if ((rc = app_parse_value(c, optarg, o)) != 0)
				return rc;
			break;
		case 'a':
			if (*optarg == '\0' || strlen(optarg) > PROTO_ID_MAX)
				return args_bad_value(APP_PROG, "as", optarg, "must be a name of 1 to 32 bytes");
			proto_strlcpy(o->user, optarg, PROTO_ID_MAX);
			break;
		case 'h':
			fputs(app_usage, stdout);
			return 1;
		case 'V':
			printf("pooltop %s (protocol v%d)\n", POOLTOP_VERSION, PROTO_VERSION);
			return 1;
		default:
			return args_getopt_fail(APP_PROG, c, argv);
		}
	}
	if (optind < argc)
		return args_fail(APP_PROG, "unexpected argument '%s'", argv[optind]);
	snprintf(o->events_ep, sizeof o->events_ep, "%s", eps.events);
	snprintf(o->requests_ep, sizeof o->requests_ep, "%s", eps.requests);
	o->key = eps.key;
	o->server_public = eps.server_public;
	/* What the status line calls the server: the feed's host:port. */
	snprintf(o->server, sizeof o->server, "%.*s", (int)sizeof o->server - 1, endpoint_host(o->events_ep));
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
	if (msg_text(&a->msg, now) && a->msg.until - now < t)
		t = (long)(a->msg.until - now);
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
			fetch_history(a);
		if (a->msg.n != a->msg_seen) {
			a->msg_seen = a->msg.n;
			a->dirty = true;
		}
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
	if (a->opt.theme && theme_load(&a->theme, a->opt.theme, crt_theme_dirs(), err, sizeof err) < 0) {
		fprintf(stderr, "pooltop: %s\n", err);
		free(a);
		return 2;
	}
	a->list[VIEW_FLOOR].sort = LT_SL;
	a->list[VIEW_EVENTS].keep_position = true;
	/* Replies go to each request's own callback (request.c), not a hook. */
	hooks = (struct conn_hooks){ app_on_event, NULL, app_on_state, a };
	if (curve_client_load(&curve, a->opt.key, a->opt.server_public, err, sizeof err) < 0) {
		args_fail(APP_PROG, "%s", err);
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
	fetch_free(a);
	view_free_all(a);
	modal_free(&a->modal);
	free(a);
	return rc < 0 ? 1 : 0;
}
