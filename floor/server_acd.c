/*
 * pooltopd --source asterisk: the queue_log feed in place of the traffic
 * simulator.  The simulator still runs, with no traffic and nobody on
 * duty, as the shift clock: before the feed says anything at log time T,
 * the simulator is run to T, so shift.started (and the statistics that
 * close with it) falls exactly where it would on a simulated floor.
 * Everything else an agent does comes from the log (floor/acd_map.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/acd_map.h"
#include "pooltop/acd_qlog.h"
#include "pooltop/acd_source.h"
#include "pooltop/server.h"

#define SERVER_ACD_BATCH 20000     /* lines between polls */
#define SERVER_ACD_IDLE_MS 200     /* following: look for more this often */
/* Following a live file, the clock trails the wall clock by this much so
 * a line written in the current second is not taken as out of order. */
#define SERVER_ACD_LAG_MS 2000

struct server_acd {
	struct acd_source *src;
	struct acd_map *map;
	bool pending;              /* `line` is parsed and waits for its time */
	struct acd_qlog_line line;
	uint64_t lineno;
	bool finished;             /* replay: the end was reached and logged */
	bool caught_up;            /* follow: the file's old content is read */
	uint64_t bad_logged;
	struct server_ami *ami;    /* --ami, else NULL */
};

static void
server_acd_emit(void *ctx, struct proto_event *ev)
{
	server_publish(ctx, ev);
}

static void
server_acd_clock(void *ctx, int64_t ts)
{
	struct server *sv = ctx;

	sim_run_until(sv->sim, ts, 0);
}

int
server_acd_start(struct server *sv, int64_t *start_ts)
{
	struct acd_source *src = acd_source_open(sv->opt.queue_log, false);
	struct acd_qlog_line l;
	const char *why;
	char *line;
	size_t len;
	uint64_t no;
	int r;

	if (src == NULL) {
		fprintf(stderr, "pooltopd: %s: cannot read: %s\n", sv->opt.queue_log, strerror(errno));
		return -1;
	}
	/* The floor clock starts at the log's first timestamp (a followed
	 * file that is still empty starts now). */
	while ((r = acd_source_next(src, &line, &len, &no)) == 1)
		if (acd_qlog_parse(line, len, &l, &why) == 0) {
			*start_ts = l.ts_ms;
			break;
		}
	acd_source_close(src);
	if (r < 0) {
		fprintf(stderr, "pooltopd: %s: cannot read: %s\n", sv->opt.queue_log, strerror(errno));
		return -1;
	}
	if (r == 0 && sv->opt.follow)
		*start_ts = server_real_ms();
	/* agents are on duty when the log says so, never by the shift plan */
	for (uint32_t a = 0; a < sv->sc.n_agents; a++)
		sv->sc.agents[a].shift_mask = 0;
	sv->sc.break_every_min = 0;
	return 0;
}

int
server_acd_open(struct server *sv)
{
	struct server_acd *x = calloc(1, sizeof *x);

	if (x == NULL)
		return -1;
	sv->acd = x;
	x->src = acd_source_open(sv->opt.queue_log, sv->opt.follow);
	if (x->src == NULL) {
		server_log(sv, "%s: cannot read: %s", sv->opt.queue_log, strerror(errno));
		return -1;
	}
	x->map = acd_map_new(&sv->sc, server_floor_now(sv), server_acd_emit, server_acd_clock, sv);
	if (x->map == NULL)
		return -1;
	server_log(sv, "source asterisk: %s %s", sv->opt.follow ? "following" : "replaying",
	           sv->opt.queue_log);
	if (sv->opt.ami != NULL && (x->ami = server_ami_open(sv, x->map)) == NULL)
		return -1;
	return 0;
}

static void
server_acd_log_bad(struct server *sv)
{
	struct server_acd *x = sv->acd;
	const struct acd_counts *c = acd_map_counts(x->map);

	for (; x->bad_logged < c->n_bad; x->bad_logged++)
		server_log(sv, "%s:%llu: malformed line skipped: %s", sv->opt.queue_log,
		           (unsigned long long)c->bad[x->bad_logged].line, c->bad[x->bad_logged].why);
}

/* The counts, on one line for the counters and one for the verbs. */
static void
server_acd_log_counts(struct server *sv, const char *what)
{
	const struct acd_counts *c = acd_map_counts(sv->acd->map);
	char buf[2048];
	size_t n = 0;

	server_acd_log_bad(sv);
	for (int i = 0; i < ACD_C__COUNT && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %llu", i ? ", " : "",
		                      acd_count_name((enum acd_count)i), (unsigned long long)c->c[i]);
	server_log(sv, "%s: %s", what, buf);
	n = 0;
	buf[0] = '\0';
	for (int v = 0; v < ACD_V__COUNT && n < sizeof buf; v++)
		if (c->verb[v])
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %llu", n ? ", " : "",
			                      acd_verb_name((enum acd_verb)v),
			                      (unsigned long long)c->verb[v]);
	server_log(sv, "%s: verbs: %s", what, n ? buf : "none");
}

/* Read the next line worth mapping into x->line; false at the end for now. */
static bool
server_acd_fetch(struct server *sv)
{
	struct server_acd *x = sv->acd;
	const char *why;
	char *line;
	size_t len;
	int r;

	while ((r = acd_source_next(x->src, &line, &len, &x->lineno)) == 1) {
		int p = acd_qlog_parse(line, len, &x->line, &why);
		if (p == 0) {
			x->pending = true;
			return true;
		}
		if (p > 0) {
			acd_map_blank(x->map);
		} else {
			acd_map_bad(x->map, x->lineno, why);
			if (!sv->opt.quiet)
				server_acd_log_bad(sv);
		}
	}
	if (r < 0)
		server_log(sv, "%s: read error: %s", sv->opt.queue_log, strerror(errno));
	return false;
}

/* At the end of what there is: a replay is over; a follow waits, lets the
 * clock follow the wall clock, and watches for rotation. */
static long
server_acd_at_end(struct server *sv)
{
	struct server_acd *x = sv->acd;
	const char *what;

	if (!sv->opt.follow) {
		if (!x->finished) {
			acd_map_settle(x->map);
			x->finished = true;
			server_acd_log_counts(sv, "replay finished");
		}
		return 1000;
	}
	if (!x->caught_up) {
		x->caught_up = true;
		server_acd_log_counts(sv, "caught up with the log, following it");
	}
	if (acd_source_check(x->src, &what) == 1) {
		server_log(sv, "%s %s", sv->opt.queue_log, what);
		return 0;
	}
	acd_map_advance(x->map, server_real_ms() - SERVER_ACD_LAG_MS);
	return SERVER_ACD_IDLE_MS;
}

static long
server_acd_feed(struct server *sv, int64_t wall);

long
server_acd_advance(struct server *sv, int64_t wall)
{
	long t = server_acd_feed(sv, wall);

	if (sv->acd->ami != NULL) {
		long a = server_ami_step(sv->acd->ami);
		if (a < t)
			t = a;
	}
	return t;
}

static long
server_acd_feed(struct server *sv, int64_t wall)
{
	struct server_acd *x = sv->acd;
	int64_t target = INT64_MAX;

	/* a replay at a speed paces the log's time against the wall clock */
	if (!sv->opt.follow && sv->opt.speed > 0)
		target = sv->floor_start + (int64_t)((double)(wall - sv->wall_start) * sv->opt.speed);
	if (target > sv->floor_end)
		target = sv->floor_end;
	for (int n = 0; n < SERVER_ACD_BATCH; n++) {
		if (!x->pending && !server_acd_fetch(sv))
			return server_acd_at_end(sv);
		if (x->line.ts_ms > target) {
			acd_map_advance(x->map, target);
			if (sv->opt.speed <= 0)
				return 1000;   /* --duration reached */
			return (long)((double)(x->line.ts_ms - target) / sv->opt.speed) + 1;
		}
		x->pending = false;
		acd_map_line(x->map, &x->line, x->lineno);
	}
	return 0;
}

int
server_acd_move_pbx(struct server *sv, const struct proto_request *rq, const uint32_t *agents,
                    uint32_t n, uint32_t to, struct proto_reply *rp)
{
	if (sv->acd == NULL || sv->acd->ami == NULL)
		return 0;
	return server_ami_move(sv, sv->acd->ami, rq, agents, n, to, rp);
}

void
server_acd_move_done(struct server *sv, const char *id)
{
	if (sv->acd != NULL && sv->acd->ami != NULL)
		server_ami_move_done(sv->acd->ami, id);
}

void
server_acd_moved(struct server *sv, uint32_t agent, uint32_t pool)
{
	if (sv->acd != NULL && sv->acd->map != NULL)
		acd_map_set_pool(sv->acd->map, agent, pool);
}

/* counters, then lines per verb (`verb.NAME`), then the first malformed
 * line numbers (`bad.1`, ...) */
void
server_acd_status(const struct server *sv, struct proto_reply *rp)
{
	const struct acd_counts *c;
	struct proto_count *out;
	uint32_t n = 0;

	if (sv->acd == NULL || sv->acd->map == NULL)
		return;
	c = acd_map_counts(sv->acd->map);
	out = calloc(ACD_C__COUNT + ACD_V__COUNT + ACD_BAD_KEEP + 1 + 16, sizeof *out);
	if (out == NULL)
		return;
	snprintf(out[n].name, sizeof out[n].name, "finished");
	out[n++].value = sv->acd->finished;
	for (int i = 0; i < ACD_C__COUNT; i++) {
		snprintf(out[n].name, sizeof out[n].name, "%s", acd_count_key((enum acd_count)i));
		out[n++].value = c->c[i];
	}
	for (int v = 0; v < ACD_V__COUNT; v++) {
		if (c->verb[v] == 0)
			continue;
		snprintf(out[n].name, sizeof out[n].name, "verb.%s",
		         v == ACD_V_OTHER ? "other" : acd_verb_name((enum acd_verb)v));
		out[n++].value = c->verb[v];
	}
	for (uint32_t i = 0; i < c->n_bad; i++) {
		snprintf(out[n].name, sizeof out[n].name, "bad.%u", i + 1);
		out[n++].value = c->bad[i].line;
	}
	if (sv->acd->ami != NULL)
		n += server_ami_status(sv->acd->ami, out + n, 16);
	rp->source = out;
	rp->n_source = n;
}

void
server_acd_close(struct server *sv)
{
	struct server_acd *x = sv->acd;

	if (x == NULL)
		return;
	server_ami_close(x->ami);
	if (x->map != NULL && !x->finished)
		server_acd_log_counts(sv, "source asterisk stopped");
	acd_map_free(x->map);
	acd_source_close(x->src);
	free(x);
	sv->acd = NULL;
}
