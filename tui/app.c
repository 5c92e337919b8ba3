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
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include "pooltop/app.h"
#include "pooltop/advisor.h"
#include "pooltop/args.h"
#include "pooltop/cmdline.h"
#include "pooltop/complete.h"
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
"       pooltop audit --help       the record of moves (text, CSV, JSON)\n"
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
"  --tenant ID,...   wallboard: only these tenants (a client's own board)\n"
"  --rotate TIME     wallboard: time per tenant: 8, 30s, 1m (default 8)\n"
"  --refresh MS      paint at most every MS ms, 10 to 10000 (default 100)\n"
"  --as NAME         who moves are recorded as (default: $USER); a server\n"
"                    with keys records the key's name instead\n"
"  --key PATH        CURVE secret key (default: keys= in the settings file, else\n"
"                    ${XDG_CONFIG_HOME:-~/.config}/pooltop/client.key if it exists;\n"
"                    make one: pooltop keygen)\n"
"  --server-public K the server's public key: a file or 40 Z85 characters\n"
"                    (default ${XDG_CONFIG_HOME:-~/.config}/pooltop/server.pub)\n"
"  --config FILE     settings file (default ${XDG_CONFIG_HOME:-~/.config}/pooltop/config)\n"
"  --print-config    print the settings in effect (file, then flags) and exit\n"
"  -h, --help        this help\n"
"  -V, --version     the version\n"
"\n"
"Flags override the settings file; see pooltop(1), FILES.\n";

/* ------------------------------------------------------------ conn hooks */

static void
app_on_event(void *ctx, const struct proto_event *ev)
{
	struct app *a = ctx;

	if (ev->ts > a->clock_ts)
		a->clock_ts = ev->ts;
	if (ev->type == PROTO_EV_HB)
		return;
	advisor_observe(&a->adv, &a->conn.floor, ev);
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
	/* Tab on the command line: agent and pool ids (tui/complete.c). */
	if (!filter && !is_key && ch == '\t') {
		char shown[160];
		uint32_t n = complete_line(&a->conn.floor, le->buf, sizeof le->buf, &le->cur, shown, sizeof shown);

		if (n > 1)
			msg_show(&a->msg, false, "%s%s", shown, n > COMPLETE_SHOW_MAX ? " ..." : "");
		return;
	}
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
	/* Ctrl-C (a key: see crt.c) quits from anywhere, dialogs included;
	 * nothing unconfirmed is ever sent. */
	if (!is_key && ch == 3) {
		a->quit = true;
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
	if (a->mode == APP_MODE_HELP || a->mode == APP_MODE_MESSAGES) {
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
		/* A wall has few keys: step, repaint, help, quit. */
		keymap_dispatch_in(keymap_wall, keymap_wall_count, a, key);
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

/* --rotate, --refresh, --theme, --tenant: read as the settings file's
 * rotate, refresh, theme and tenants are, with one set of messages. */
static int
app_parse_value(struct config *cfg, const char *section, const char *key, const char *v)
{
	char why[CONFIG_ERR_MAX];

	if (config_set(cfg, section, key, v, why, sizeof why) < 0)
		return args_fail(APP_PROG, "--%s", why);
	return 0;
}

static const struct option app_longopts[] = {
	{ "server", required_argument, NULL, 'S' },
	{ "events", required_argument, NULL, 'e' },
	{ "requests", required_argument, NULL, 'q' },
	{ "theme", required_argument, NULL, 't' },
	{ "readonly", no_argument, NULL, 'R' },
	{ "wallboard", no_argument, NULL, 'W' },
	{ "tenant", required_argument, NULL, 'T' },
	{ "rotate", required_argument, NULL, 'o' },
	{ "refresh", required_argument, NULL, 'r' },
	{ "as", required_argument, NULL, 'a' },
	{ "config", required_argument, NULL, 'C' },
	{ "print-config", no_argument, NULL, 'P' },
	{ "key", required_argument, NULL, 'K' },
	{ "server-public", required_argument, NULL, 'U' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The settings file: --config FILE, else the XDG place (a missing file
 * there is no error; a missing --config file is).  First pass over argv:
 * the file goes under every flag, wherever --config stands. */
static int
app_parse_config(int argc, char **argv, struct config *cfg)
{
	char path[CONFIG_PATH_MAX], err[CONFIG_ERR_MAX];
	const char *given = NULL;
	int c, rc;

	args_getopt_reset();
	while ((c = getopt_long(argc, argv, ":hV", app_longopts, NULL)) != -1)
		if (c == 'C')
			given = optarg;
	config_defaults(cfg);
	if (given != NULL)
		snprintf(path, sizeof path, "%s", given);
	else if (config_dir_path("config", path, sizeof path) < 0)
		return 0;
	rc = config_load(cfg, path, err, sizeof err);
	if (rc == 1 && given != NULL)
		return args_fail(APP_PROG, "--config %s: no such file", given);
	if (rc < 0)
		return args_fail(APP_PROG, "%s", err);
	return 0;
}

static void
app_print_line(void *ctx, const char *line)
{
	fprintf(ctx, "%s\n", line);
}

/* Flags over the file; 0, 1 (done: help, version, --print-config) or
 * the usage error's status. */
static int
app_parse_flags(int argc, char **argv, struct app_opts *o, bool *print)
{
	struct config *cfg = &o->cfg;
	char err[CONFIG_ERR_MAX];
	unsigned flag_eps = 0;
	bool rotate_flag = false, tenant_flag = false;
	int c, rc;

	args_getopt_reset();
	while ((c = getopt_long(argc, argv, ":hV", app_longopts, NULL)) != -1) {
		switch (c) {
		case 'K':
		case 'U':
			/* the keys to reach it: the same reading as every program's
			 * (pooltop/endpoint.h) */
			if (endpoint_option(&cfg->eps, c == 'K' ? "key" : "server-public", optarg, err,
			                    sizeof err) != 0)
				return args_fail(APP_PROG, "%s", err);
			break;
		case 'S':
		case 'e':
		case 'q': {
			const char *name = c == 'S' ? "server" : c == 'e' ? "events" : "requests";
			if (endpoint_option(&cfg->eps, name, optarg, err, sizeof err) != 0)
				return args_fail(APP_PROG, "%s", err);
			flag_eps |= c == 'S' ? CFG_SERVER : c == 'e' ? CFG_EVENTS : CFG_REQUESTS;
			if (c == 'S') {
				snprintf(cfg->server, sizeof cfg->server, "%s", optarg);
				/* --server names both endpoints: the file's events/requests go */
				cfg->set = (cfg->set | CFG_SERVER) & ~(unsigned)(CFG_EVENTS | CFG_REQUESTS);
			} else {
				cfg->set = (cfg->set | (c == 'e' ? CFG_EVENTS : CFG_REQUESTS)) & ~(unsigned)CFG_SERVER;
			}
			break;
		}
		case 't':
			if ((rc = app_parse_value(cfg, "display", "theme", optarg)) != 0)
				return rc;
			break;
		case 'R':
			o->readonly = true;
			break;
		case 'W':
			o->wallboard = true;
			o->readonly = true;
			break;
		case 'T':
			if (config_set_wall_tenants(cfg, optarg, err, sizeof err) < 0)
				return args_fail(APP_PROG, "--tenant: %s", err);
			tenant_flag = true;
			break;
		case 'o':
			if ((rc = app_parse_value(cfg, "wallboard", "rotate", optarg)) != 0)
				return rc;
			rotate_flag = true;
			break;
		case 'r':
			if ((rc = app_parse_value(cfg, "display", "refresh", optarg)) != 0)
				return rc;
			break;
		case 'a':
			if (*optarg == '\0' || strlen(optarg) > PROTO_ID_MAX)
				return args_bad_value(APP_PROG, "as", optarg, "must be a name of 1 to 32 bytes");
			proto_strlcpy(o->user, optarg, PROTO_ID_MAX);
			break;
		case 'C':
			break;   /* read by app_parse_config */
		case 'P':
			*print = true;
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
	if ((flag_eps & CFG_SERVER) && (flag_eps & (CFG_EVENTS | CFG_REQUESTS)))
		return args_fail(APP_PROG, "--server and --events/--requests are alternatives: give one or the other");
	if (!o->wallboard && (rotate_flag || tenant_flag))
		return args_fail(APP_PROG, "%s is a wallboard option: add --wallboard",
		                 rotate_flag ? "--rotate" : "--tenant");
	return 0;
}

static int
app_parse(int argc, char **argv, struct app_opts *o)
{
	const char *user = getenv("USER");
	bool print = false;
	int rc;

	memset(o, 0, sizeof *o);
	if (user == NULL || *user == '\0') {
		struct passwd *pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "unknown";
	}
	proto_strlcpy(o->user, user, PROTO_ID_MAX);
	if ((rc = app_parse_config(argc, argv, &o->cfg)) != 0)
		return rc;
	if ((rc = app_parse_flags(argc, argv, o, &print)) != 0)
		return rc;
	if (print) {
		config_print(&o->cfg, app_print_line, stdout);
		return 1;
	}
	o->theme = (o->cfg.set & CFG_THEME) ? o->cfg.theme : NULL;
	o->refresh_ms = o->cfg.refresh_ms;
	o->rotate_s = o->cfg.rotate_s;
	snprintf(o->events_ep, sizeof o->events_ep, "%s", o->cfg.eps.events);
	snprintf(o->requests_ep, sizeof o->requests_ep, "%s", o->cfg.eps.requests);
	o->key = o->cfg.eps.key ? o->cfg.eps.key : (o->cfg.set & CFG_KEYS) ? o->cfg.keys : NULL;
	o->server_public = o->cfg.eps.server_public;
	/* What the status line calls the server: the feed's host:port. */
	snprintf(o->server, sizeof o->server, "%.*s", (int)sizeof o->server - 1, endpoint_host(o->events_ep));
	return 0;
}

/* The settings file's default sort for a view: "sl" or "-sl". */
static void
app_sort_from(struct list *l, const char *name, const char *(*col)(int), int ncols)
{
	bool desc = name[0] == '-';

	for (int i = 0; i < ncols; i++) {
		if (strcasecmp(col(i), name + desc) == 0) {
			l->sort = i;
			l->desc = desc;
		}
	}
}

/* Once a second: every tenant against its alert thresholds; a new alert
 * rings the bell (or flashes) unless the settings turned it off. */
static void
app_alerts(struct app *a)
{
	const struct floor *f = &a->conn.floor;
	struct listing_tenant *rows;

	if (!a->conn.have_floor || f->n_tenants == 0)
		return;
	rows = malloc(sizeof *rows * f->n_tenants);
	if (rows == NULL)
		return;
	if (listing_tenant_rows(f, a->clock_ts, rows) == 0 && alert_scan(&a->alerts, f, rows, &a->opt.cfg) > 0 &&
	    a->opt.cfg.bell && beep() == ERR)
		flash();
	free(rows);
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
			app_alerts(a);
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
	if (a->opt.theme && theme_load(&a->theme, a->opt.theme, crt_theme_dirs(a), err, sizeof err) < 0) {
		fprintf(stderr, "pooltop: %s\n", err);
		free(a);
		return 2;
	}
	app_sort_from(&a->list[VIEW_FLOOR], a->opt.cfg.sort, listing_tenant_col_name, LT__COUNT);
	app_sort_from(&a->list[VIEW_AGENTS], a->opt.cfg.agents_sort, listing_agent_col_name, LA__COUNT);
	a->list[VIEW_EVENTS].keep_position = true;
	/* The Agents view hides offline agents even with no filter. */
	a->list[VIEW_AGENTS].match_empty = true;
	advisor_init(&a->adv);
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
	advisor_free(&a->adv);
	modal_free(&a->modal);
	alert_free(&a->alerts);
	free(a);
	return rc < 0 ? 1 : 0;
}
