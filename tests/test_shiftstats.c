/*
 * Shift statistics are right: the real pooltopd runs across the A -> B
 * boundary while this test counts every contact of shift A itself from
 * the event feed; the closed shift in `history` must hold exactly those
 * counts, tenant by tenant, and `pooltop report --format csv` must show
 * the same figures for it.
 *
 * pooltopd publishes its first events (shift.started, agents going on
 * duty) the moment it binds, before any subscriber can be attached, so
 * no client ever sees seq 1.  The test therefore joins the way
 * PROTOCOL.md tells every client to: subscribe before the server starts,
 * buffer, take a snapshot, and count from the snapshot's counters plus
 * every event after its seq — with no gap anywhere in the feed.
 */
#include <check.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/cmd_report.h"
#include "pooltop/proto.h"
#include "pooltop/stats.h"

#include "testlib.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define srv testlib_srv
#define SHORT_ABANDON_MS 5000      /* DESIGN §4: abandons quicker than 5 s */
#define MAX_TENANTS 8
#define MAX_AGENTS 64

/* What one tenant did in shift A, as counted here. */
struct tally {
	uint64_t offered, answered, answered_in_sl, abandoned, abandoned_short;
	uint64_t wait_ms, talk_ms, wrap_ms, handled;
	uint64_t dedicated_staffed_ms, shared_handle_ms;
	/* per 15 minutes from iv_start, by each event's own ts */
	int64_t iv_start;
	uint32_t iv_offered[PROTO_INTERVALS_MAX];
	struct proto_sl_interval iv[PROTO_INTERVALS_MAX];
};

/* Staffed time of one agent, accrued as the model's rules say: while
 * not offline, in its tenant's dedicated pool, never before the shift
 * start, and never the same span twice. */
struct staffing {
	int tenant;                /* dedicated pool's tenant, -1 shared */
	bool shared;
	bool on;
	int64_t mark;
};

struct feed {
	struct proto_event *ev;
	uint32_t n, cap;
};

static char itest_scenario[512];

/* ------------------------------------------------------------ server */

/* 11:50 at --speed 300: ten floor minutes of shift A, then B at 12:00
 * about two seconds in; enough for contacts to be answered, talked,
 * wrapped and abandoned before the boundary. */
static void
srv_spawn(struct srv *s)
{
	const char *args[] = { "--scenario", itest_scenario, "--speed", "300", "--start", "11:50",
	                       "--seed", "1", "--quiet", NULL };

	testlib_srv_spawn(s, args);
}

/* ------------------------------------------------------------ client */

struct cli {
	void *ctx;
	void *sub;
	void *req;
	struct feed feed;
	unsigned next;
};

static void
cli_open(struct cli *c, const struct srv *s)
{
	int linger = 0, ivl = 10;

	memset(c, 0, sizeof *c);
	c->ctx = zmq_ctx_new();
	c->sub = zmq_socket(c->ctx, ZMQ_SUB);
	c->req = zmq_socket(c->ctx, ZMQ_DEALER);
	zmq_setsockopt(c->sub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(c->req, ZMQ_LINGER, &linger, sizeof linger);
	/* The endpoints are not bound yet: retry often so the feed is
	 * attached within milliseconds of the server binding it. */
	zmq_setsockopt(c->sub, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(c->req, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(c->sub, ZMQ_SUBSCRIBE, PROTO_TOPIC, 3);
	ck_assert_int_eq(zmq_connect(c->sub, s->events), 0);
	ck_assert_int_eq(zmq_connect(c->req, s->requests), 0);
}

static void
cli_close(struct cli *c)
{
	zmq_close(c->sub);
	zmq_close(c->req);
	zmq_ctx_term(c->ctx);
	free(c->feed.ev);
}

/* Every event the SUB holds now goes into the feed buffer (heartbeats
 * too: they are checked and skipped later). */
static void
cli_drain(struct cli *c)
{
	for (;;) {
		zmq_msg_t t, b;
		struct proto_event ev;
		int rc;

		zmq_msg_init(&t);
		if (zmq_msg_recv(&t, c->sub, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&t);
			return;
		}
		zmq_msg_init(&b);
		ck_assert_int_ge(zmq_msg_recv(&b, c->sub, 0), 0);
		ck_assert_uint_eq(zmq_msg_size(&t), 3);
		rc = proto_decode_event(zmq_msg_data(&b), zmq_msg_size(&b), &ev);
		ck_assert_msg(rc == PROTO_OK, "feed frame did not decode: %s", proto_strerror(rc));
		zmq_msg_close(&t);
		zmq_msg_close(&b);
		if (c->feed.n == c->feed.cap) {
			c->feed.cap = c->feed.cap ? c->feed.cap * 2 : 1024;
			c->feed.ev = realloc(c->feed.ev, c->feed.cap * sizeof *c->feed.ev);
			ck_assert_ptr_nonnull(c->feed.ev);
		}
		c->feed.ev[c->feed.n++] = ev;
	}
}

/* Poll the feed (and the request socket when want_reply) for up to ms. */
static bool
cli_poll(struct cli *c, int ms, bool want_reply)
{
	zmq_pollitem_t it[2] = {
		{ c->sub, 0, ZMQ_POLLIN, 0 },
		{ c->req, 0, ZMQ_POLLIN, 0 },
	};

	zmq_poll(it, want_reply ? 2 : 1, ms);
	if (it[0].revents & ZMQ_POLLIN)
		cli_drain(c);
	return want_reply && (it[1].revents & ZMQ_POLLIN);
}

/* One request; the feed keeps being buffered while it is out. */
static void
cli_call(struct cli *c, struct proto_request *rq, struct proto_reply *rp)
{
	struct proto_buf b;
	int64_t until = testlib_mono_ms() + 10000;

	snprintf(rq->id, sizeof rq->id, "ss-%u-%d", ++c->next, (int)getpid());
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_request(&b, rq), 0);
	ck_assert_int_eq(zmq_send(c->req, b.data, b.len, 0), (int)b.len);
	proto_buf_free(&b);
	while (testlib_mono_ms() < until) {
		zmq_msg_t m;
		int rc;

		if (!cli_poll(c, 100, true))
			continue;
		zmq_msg_init(&m);
		ck_assert_int_ge(zmq_msg_recv(&m, c->req, 0), 0);
		rc = proto_decode_reply(zmq_msg_data(&m), zmq_msg_size(&m), rq->op, rp);
		zmq_msg_close(&m);
		ck_assert_msg(rc == PROTO_OK, "reply did not decode: %s", proto_strerror(rc));
		ck_assert_str_eq(rp->id, rq->id);
		ck_assert_msg(rp->ok, "%s refused: %s", proto_op_name(rq->op), rp->msg);
		return;
	}
	ck_abort_msg("no reply to %s", proto_op_name(rq->op));
}

/* ------------------------------------------------------------ counting */

static int
tenant_index(const struct proto_snapshot *s, const char *id)
{
	for (uint32_t i = 0; i < s->n_tenants; i++)
		if (strcmp(s->tenants[i].id, id) == 0)
			return (int)i;
	ck_abort_msg("event names unknown tenant '%s'", id);
	return -1;
}

static int
agent_index(const struct proto_snapshot *s, const char *id)
{
	for (uint32_t i = 0; i < s->n_agents; i++)
		if (strcmp(s->agents[i].id, id) == 0)
			return (int)i;
	ck_abort_msg("event names unknown agent '%s'", id);
	return -1;
}

static const struct proto_pool *
pool_of(const struct proto_snapshot *s, const char *id)
{
	for (uint32_t i = 0; i < s->n_pools; i++)
		if (strcmp(s->pools[i].id, id) == 0)
			return &s->pools[i];
	ck_abort_msg("unknown pool '%s'", id);
	return NULL;
}

static void
tally_from_row(struct tally *t, const struct proto_stats_row *r)
{
	t->offered = r->offered;
	t->answered = r->answered;
	t->answered_in_sl = r->answered_in_sl;
	t->abandoned = r->abandoned;
	t->abandoned_short = r->abandoned_short;
	t->wait_ms = r->wait_ms;
	t->talk_ms = r->talk_ms;
	t->wrap_ms = r->wrap_ms;
	t->handled = r->handled;
	t->dedicated_staffed_ms = r->dedicated_staffed_ms;
	t->shared_handle_ms = r->shared_handle_ms;
}

/* The 15-minute interval, from the tally's start, an event falls in. */
static uint32_t
tally_interval(const struct tally *t, int64_t ts)
{
	int64_t i = (ts - t->iv_start) / 900000;

	if (i < 0)
		i = 0;
	return i >= PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX - 1 : (uint32_t)i;
}

static void
staffing_accrue(struct staffing *a, int64_t ts, int64_t shift_start, struct tally *tl)
{
	int64_t from = a->mark < shift_start ? shift_start : a->mark;

	if (a->on && a->tenant >= 0 && ts > from)
		tl[a->tenant].dedicated_staffed_ms += (uint64_t)(ts - from);
	if (ts > a->mark)
		a->mark = ts;
}

/* One feed event into the counts of shift A. */
static void
tally_event(const struct proto_snapshot *s, const struct proto_event *ev, struct tally *tl,
            struct staffing *ag)
{
	const struct proto_tenant *tn;
	struct tally *t;
	int a;

	switch (ev->type) {
	case PROTO_EV_CONTACT_QUEUED:
		tl[tenant_index(s, ev->tenant)].offered++;
		t = &tl[tenant_index(s, ev->tenant)];
		t->iv_offered[tally_interval(t, ev->ts)]++;
		break;
	case PROTO_EV_CONTACT_ANSWERED:
		tn = &s->tenants[tenant_index(s, ev->tenant)];
		t = &tl[tn - s->tenants];
		t->answered++;
		t->wait_ms += ev->wait_ms;
		t->iv[tally_interval(t, ev->ts)].answered++;
		t->iv[tally_interval(t, ev->ts)].wait_ms += ev->wait_ms;
		if (ev->wait_ms <= (uint64_t)tn->sl_sec * 1000u) {
			t->answered_in_sl++;
			t->iv[tally_interval(t, ev->ts)].answered_in_sl++;
		}
		break;
	case PROTO_EV_CONTACT_ABANDONED:
		t = &tl[tenant_index(s, ev->tenant)];
		t->abandoned++;
		t->iv[tally_interval(t, ev->ts)].abandoned++;
		if (ev->wait_ms < SHORT_ABANDON_MS) {
			t->abandoned_short++;
			t->iv[tally_interval(t, ev->ts)].abandoned_short++;
		}
		break;
	case PROTO_EV_CONTACT_ENDED:
		t = &tl[tenant_index(s, ev->tenant)];
		t->talk_ms += ev->talk_ms;
		/* No agent moves in this test, so the pool a contact started
		 * in is the agent's pool. */
		if (ag[agent_index(s, ev->agent)].shared)
			t->shared_handle_ms += ev->talk_ms;
		break;
	case PROTO_EV_CONTACT_WRAPPED:
		t = &tl[tenant_index(s, ev->tenant)];
		t->wrap_ms += ev->wrap_ms;
		t->handled++;
		if (ag[agent_index(s, ev->agent)].shared)
			t->shared_handle_ms += ev->wrap_ms;
		break;
	case PROTO_EV_AGENT_STATE:
		a = agent_index(s, ev->agent);
		staffing_accrue(&ag[a], ev->ts, s->shift_start_ts, tl);
		ag[a].on = ev->state != PROTO_AS_OFFLINE;
		break;
	case PROTO_EV_AGENT_MOVED:
		ck_abort_msg("nobody moves agents in this test");
		break;
	default:
		break;
	}
}

static void
tally_eq(const struct tally *mine, const struct proto_stats_row *r)
{
#define EQ(f) ck_assert_msg(mine->f == r->f, "%s: %s counted %llu, history says %llu", r->tenant, #f, \
	                    (unsigned long long)mine->f, (unsigned long long)r->f)
	EQ(offered);
	EQ(answered);
	EQ(answered_in_sl);
	EQ(abandoned);
	EQ(abandoned_short);
	EQ(wait_ms);
	EQ(talk_ms);
	EQ(wrap_ms);
	EQ(handled);
	EQ(shared_handle_ms);
	EQ(dedicated_staffed_ms);
#undef EQ
}

/* ------------------------------------------------------------ report */

/* Split a CSV line of plain fields (no quoting needed for these ids). */
static int
csv_split(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == ',') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

static char *
run_report(const struct srv *s, const char *extra)
{
	char cmd[1024];
	char *out = calloc(1, 65536);
	size_t n = 0, got;
	FILE *p;
	int st;

	snprintf(cmd, sizeof cmd, "%s/pooltop report --events %s --requests %s --format csv --shifts 1%s",
	         testlib_bindir(), s->events, s->requests, extra);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((got = fread(out + n, 1, 65535 - n, p)) > 0)
		n += got;
	st = pclose(p);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pooltop report failed: %s", out);
	return out;
}

static char *
run_report_csv(const struct srv *s)
{
	return run_report(s, "");
}

/*
 * `pooltop report --by interval` against a recount of the feed: the
 * current shift B as of a snapshot taken now, per tenant per quarter
 * hour, must equal what the feed said happened in B up to that
 * snapshot's seq.  The report's rows are built in-process from that very
 * snapshot (the command takes its own, at a moment the test cannot
 * know); the command itself must run and print the same header.
 */
static void
check_report_intervals(struct cli *c, const struct srv *s, const struct proto_event *b_ev)
{
	static const char head[] = "tenant,shift,interval_start,offered,answered,answered_in_sl,"
	                           "abandoned,abandoned_short,service_level_pct,asa_s,abandon_pct";
	struct proto_request rq;
	struct proto_reply rp;
	struct proto_snapshot *snap;
	struct tally *mine = calloc(MAX_TENANTS, sizeof *mine);
	struct staffing ag[MAX_AGENTS];
	struct cmd_report rep;
	uint32_t seen[MAX_TENANTS] = { 0 }, busy = 0;
	uint64_t last = 0;
	char *csv = run_report(s, " --by interval"), *out = NULL, *line, *save = NULL;
	size_t out_len = 0;
	FILE *mem;
	int64_t until;

	ck_assert_ptr_nonnull(mine);
	ck_assert_ptr_nonnull(strstr(csv, head));
	free(csv);

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_SNAPSHOT;
	cli_call(c, &rq, &rp);
	snap = rp.snapshot;
	ck_assert_str_eq(snap->shift_name, "B");
	ck_assert_ptr_nonnull(snap->stats_sl);
	/* every event up to the snapshot's seq is in the buffer */
	until = testlib_mono_ms() + 5000;
	for (;;) {
		for (uint32_t i = 0; i < c->feed.n; i++)
			if (c->feed.ev[i].type != PROTO_EV_HB && c->feed.ev[i].seq > last)
				last = c->feed.ev[i].seq;
		if (last >= snap->seq || testlib_mono_ms() > until)
			break;
		cli_poll(c, 50, false);
	}
	ck_assert_uint_ge(last, snap->seq);
	for (uint32_t t = 0; t < MAX_TENANTS; t++)
		mine[t].iv_start = b_ev->start_ts;
	memset(ag, 0, sizeof ag);
	for (uint32_t i = 0; i < snap->n_agents && i < MAX_AGENTS; i++)
		ag[i].tenant = -1;
	for (uint32_t i = 0; i < c->feed.n; i++) {
		const struct proto_event *ev = &c->feed.ev[i];

		if (ev->type != PROTO_EV_HB && ev->seq > b_ev->seq && ev->seq <= snap->seq)
			tally_event(snap, ev, mine, ag);
	}

	ck_assert_int_eq(cmd_report_build_sl(&rep, snap, NULL, NULL, 0), 0);
	mem = open_memstream(&out, &out_len);
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(cmd_report_csv_intervals(mem, &rep), 0);
	fclose(mem);
	line = strtok_r(out, "\n", &save);
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line, head);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *f[16], want[32];
		int n = csv_split(line, f, 16), t;
		const struct tally *m;
		const struct proto_sl_interval *v;
		uint32_t i;
		double den;

		ck_assert_int_eq(n, 11);
		ck_assert_str_eq(f[1], "B");
		t = tenant_index(snap, f[0]);
		m = &mine[t];
		i = seen[t]++;
		ck_assert_uint_lt(i, PROTO_INTERVALS_MAX);
		v = &m->iv[i];
		busy += v->answered + v->abandoned;
#define IVEQ(k, val) do { snprintf(want, sizeof want, "%llu", (unsigned long long)(val)); \
	ck_assert_msg(strcmp(f[k], want) == 0, "%s interval %u: field %d is %s, the feed says %s", \
	              f[0], i, k, f[k], want); } while (0)
		IVEQ(3, m->iv_offered[i]);
		IVEQ(4, v->answered);
		IVEQ(5, v->answered_in_sl);
		IVEQ(6, v->abandoned);
		IVEQ(7, v->abandoned_short);
#undef IVEQ
		den = (double)v->answered + (double)v->abandoned - (double)v->abandoned_short;
		if (den > 0)
			snprintf(want, sizeof want, "%.1f", (double)v->answered_in_sl / den * 100.0);
		else
			want[0] = '\0';
		ck_assert_str_eq(f[8], want);
		if (v->answered)
			snprintf(want, sizeof want, "%.1f", (double)v->wait_ms / v->answered / 1000.0);
		else
			want[0] = '\0';
		ck_assert_str_eq(f[9], want);
	}
	/* every tenant has B's quarter hours, and they saw real traffic */
	for (uint32_t t = 0; t < snap->n_tenants; t++)
		ck_assert_uint_ge(seen[t], 1);
	ck_assert_uint_ge(busy, 5);
	free(out);
	cmd_report_free(&rep);
	proto_reply_free(&rp);
	free(mine);
}

/* ------------------------------------------------------------ test */

START_TEST(test_history_matches_feed)
{
	struct srv s;
	struct cli c;
	struct proto_request rq;
	struct proto_reply snap_rp, hist_rp;
	struct proto_snapshot *snap;
	struct tally mine[MAX_TENANTS], seen_early[MAX_TENANTS];
	struct staffing ag[MAX_AGENTS];
	const struct proto_event *b_ev = NULL;
	struct proto_event b_copy;
	uint64_t last = 0, epoch = 0, total_offered = 0, total_handled = 0, total_abandoned = 0;
	uint32_t i, after_b = 0;
	int64_t until;
	char *csv, *line, *save = NULL;
	int a_rows = 0, b_rows = 0;

	testlib_srv_prepare(&s);
	/* Subscribed before the server exists. */
	cli_open(&c, &s);
	srv_spawn(&s);

	until = testlib_mono_ms() + 10000;
	while (c.feed.n == 0 && testlib_mono_ms() < until)
		cli_poll(&c, 50, false);
	ck_assert_msg(c.feed.n > 0, "no event from pooltopd within 10 s");

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_SNAPSHOT;
	cli_call(&c, &rq, &snap_rp);
	snap = snap_rp.snapshot;
	ck_assert_str_eq(snap->shift_name, "A");
	ck_assert_uint_le(snap->n_tenants, MAX_TENANTS);
	ck_assert_uint_le(snap->n_agents, MAX_AGENTS);
	ck_assert_uint_eq(snap->n_stats, snap->n_tenants);

	/* Shift B, then a little more to see what follows the boundary. */
	until = testlib_mono_ms() + 15000;
	while (testlib_mono_ms() < until && after_b < 20) {
		cli_poll(&c, 50, false);
		for (i = 0, after_b = 0, b_ev = NULL; i < c.feed.n; i++) {
			if (b_ev && c.feed.ev[i].type != PROTO_EV_HB)
				after_b++;
			if (c.feed.ev[i].type == PROTO_EV_SHIFT_STARTED && strcmp(c.feed.ev[i].shift, "B") == 0)
				b_ev = &c.feed.ev[i];
		}
	}
	ck_assert_msg(b_ev != NULL, "shift B never started: %u events, pooltopd %s; see %s", c.feed.n,
	              waitpid(s.pid, NULL, WNOHANG) == 0 ? "running" : "gone", s.log);
	/* The buffer moves when later requests drain more of the feed. */
	b_copy = *b_ev;
	b_ev = &b_copy;

	/* The feed: one epoch, no gap from the first event received, and
	 * that first event no later than the snapshot's next. */
	for (i = 0; i < c.feed.n; i++) {
		const struct proto_event *ev = &c.feed.ev[i];

		if (epoch == 0)
			epoch = ev->epoch;
		ck_assert_uint_eq(ev->epoch, epoch);
		if (ev->type == PROTO_EV_HB) {
			ck_assert_uint_ge(ev->seq, last);
			continue;
		}
		if (last == 0)
			ck_assert_uint_le(ev->seq, snap->seq + 1);
		else
			ck_assert_msg(ev->seq == last + 1, "gap: seq %llu after %llu",
			              (unsigned long long)ev->seq, (unsigned long long)last);
		last = ev->seq;
	}
	ck_assert_uint_eq(snap->epoch, epoch);

	/* From the snapshot: the counters up to its seq, and where each
	 * agent's staffed time stands. */
	memset(mine, 0, sizeof mine);
	memset(seen_early, 0, sizeof seen_early);
	for (i = 0; i < snap->n_tenants; i++) {
		ck_assert_str_eq(snap->stats[i].tenant, snap->tenants[i].id);
		tally_from_row(&mine[i], &snap->stats[i]);
	}
	for (i = 0; i < snap->n_agents; i++) {
		const struct proto_pool *p = pool_of(snap, snap->agents[i].pool);

		ag[i].shared = p->kind == PROTO_POOL_SHARED;
		ag[i].tenant = p->kind == PROTO_POOL_DEDICATED ? tenant_index(snap, p->tenant) : -1;
		ag[i].on = snap->agents[i].state != PROTO_AS_OFFLINE;
		ag[i].mark = snap->agents[i].acc_ts;
	}

	/* Every event up to shift.started B belongs to A, and by event time
	 * too: none is stamped after the boundary, none after it before. */
	for (i = 0; i < c.feed.n; i++) {
		const struct proto_event *ev = &c.feed.ev[i];

		if (ev->type == PROTO_EV_HB)
			continue;
		if (ev->seq > b_ev->seq) {
			ck_assert_int_ge(ev->ts, b_ev->start_ts);
			continue;
		}
		if (ev->seq == b_ev->seq)
			continue;
		ck_assert_msg(ev->ts <= b_ev->start_ts, "seq %llu stamped after the boundary",
		              (unsigned long long)ev->seq);
		if (ev->seq <= snap->seq) {
			/* Already in the snapshot's counters; what was seen of it
			 * must fit inside them. */
			struct staffing scratch[MAX_AGENTS];

			memcpy(scratch, ag, sizeof scratch);
			tally_event(snap, ev, seen_early, scratch);
			continue;
		}
		tally_event(snap, ev, mine, ag);
	}
	for (i = 0; i < snap->n_agents; i++)
		staffing_accrue(&ag[i], b_ev->start_ts, snap->shift_start_ts, mine);
	for (i = 0; i < snap->n_tenants; i++) {
		ck_assert_uint_le(seen_early[i].offered, snap->stats[i].offered);
		ck_assert_uint_le(seen_early[i].answered, snap->stats[i].answered);
		ck_assert_uint_le(seen_early[i].abandoned, snap->stats[i].abandoned);
	}

	/* The closed shift, as history has it. */
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = 1;
	cli_call(&c, &rq, &hist_rp);
	ck_assert_uint_eq(hist_rp.n_rows, snap->n_tenants);
	for (i = 0; i < hist_rp.n_rows; i++) {
		const struct proto_stats_row *r = &hist_rp.rows[i];
		int t = tenant_index(snap, r->tenant);
		const struct proto_tenant *tn = &snap->tenants[t];

		ck_assert_str_eq(r->shift, "A");
		ck_assert_int_eq(r->start_ts, snap->shift_start_ts);
		ck_assert_int_eq(r->end_ts, b_ev->start_ts);
		tally_eq(&mine[t], r);
		/* Staffed time is billed only to tenants with a dedicated team. */
		if (tn->model == PROTO_MODEL_SHARED)
			ck_assert_uint_eq(r->dedicated_staffed_ms, 0);
		else
			ck_assert_uint_gt(r->dedicated_staffed_ms, 0);
		{
			struct proto_stats_row cr = *r;

			cr.dedicated_staffed_ms = mine[t].dedicated_staffed_ms;
			cr.shared_handle_ms = mine[t].shared_handle_ms;
			ck_assert_double_eq_tol(r->cost, stats_cost(&cr, tn), 1e-6);
		}
		total_offered += mine[t].offered;
		total_handled += mine[t].handled;
		total_abandoned += mine[t].abandoned;
	}
	/* Not vacuous: the shift saw real traffic of every kind. */
	ck_assert_uint_ge(total_offered, 20);
	ck_assert_uint_ge(total_handled, 5);
	ck_assert_uint_ge(total_abandoned, 1);

	/* The batch report agrees, figure for figure, for shift A. */
	csv = run_report_csv(&s);
	line = strtok_r(csv, "\n", &save);
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line, "tenant,shift,start,offered,answered,abandoned,service_level_pct,asa_s,"
	                       "aht_s,abandon_pct,occupancy_pct,cost,required_agents,staffed_agents");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *f[16], want[32], day[32];
		int n = csv_split(line, f, 16), t;
		time_t st = (time_t)(snap->shift_start_ts / 1000);
		struct tm tm;
		double den;

		ck_assert_int_eq(n, 14);
		t = tenant_index(snap, f[0]);
		if (strcmp(f[1], "B") == 0) {
			b_rows++;
			continue;
		}
		ck_assert_str_eq(f[1], "A");
		a_rows++;
		/* Shift A starts at local midnight. */
		localtime_r(&st, &tm);
		strftime(day, sizeof day, "%Y-%m-%dT00:00:00", &tm);
		ck_assert_msg(strncmp(f[2], day, strlen(day)) == 0, "start %s, want %s...", f[2], day);
		snprintf(want, sizeof want, "%llu", (unsigned long long)mine[t].offered);
		ck_assert_str_eq(f[3], want);
		snprintf(want, sizeof want, "%llu", (unsigned long long)mine[t].answered);
		ck_assert_str_eq(f[4], want);
		snprintf(want, sizeof want, "%llu", (unsigned long long)mine[t].abandoned);
		ck_assert_str_eq(f[5], want);
		den = (double)mine[t].answered + (double)mine[t].abandoned - (double)mine[t].abandoned_short;
		if (den > 0)
			snprintf(want, sizeof want, "%.1f", (double)mine[t].answered_in_sl / den * 100.0);
		else
			want[0] = '\0';
		ck_assert_str_eq(f[6], want);
	}
	ck_assert_int_eq(a_rows, (int)snap->n_tenants);
	ck_assert_int_eq(b_rows, (int)snap->n_tenants);
	check_report_intervals(&c, &s, b_ev);

	free(csv);
	proto_reply_free(&hist_rp);
	proto_reply_free(&snap_rp);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

static Suite *
shiftstats_suite(void)
{
	Suite *s = suite_create("shiftstats");
	TCase *tc = tcase_create("server");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_history_matches_feed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	snprintf(itest_scenario, sizeof itest_scenario, "%s/tests/data/scenarios/itest.ini", TEST_SRCDIR);
	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(shiftstats_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
