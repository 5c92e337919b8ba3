/*
 * conn against a fake pooltopd made here: a PUB and a ROUTER on free
 * loopback ports that say exactly what each test needs — a snapshot late,
 * a missing seq, a new epoch, a request ignored or never answered, a feed
 * that goes quiet — so the client's side of the join, resync and
 * Lazy-Pirate rules is checked without the real server's timing.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/call.h"
#include "pooltop/conn.h"
#include "pooltop/floor.h"
#include "pooltop/proto.h"

#include "testlib.h"

#define GOT_MAX 128
#define HB_EVERY_MS 300

/* A request as the fake received it, and who to answer. */
struct got {
	enum proto_op op;
	char id[PROTO_REQID_MAX + 1];
	uint8_t ident[256];
	size_t ident_len;
	int64_t at;
};

struct fake {
	void *ctx;
	void *pub;
	void *router;
	char events_ep[128];
	char requests_ep[128];
	uint64_t epoch;
	uint64_t seq;                  /* last event published (or skipped) */
	struct floor floor;            /* what its snapshots say */
	bool hb;                       /* publish heartbeats */
	int64_t next_hb;
	bool answer_snapshots;
	bool refuse_snapshots;         /* answer them with `unavailable` */
	bool answer_pings;
	bool refuse_history;           /* answer history with `unavailable` */
	uint64_t snap_epoch;           /* snapshots claim this epoch (0: the real one) */
	uint64_t snap_seq_ahead;       /* ... and a seq this far past the real one */
	int envelope;                  /* replies: 0 [body], 1 ["", body], 2 [body, junk] */
	struct got got[GOT_MAX];
	int n_got;
};

/* What conn told its caller. */
struct seen {
	bool answered;          /* the last reply came from the server */
	int replies;
	uint64_t tag;
	bool ok;
	enum proto_reply_err err;
	uint64_t seq;
	char msg[PROTO_TEXT_MAX + 1];
	int states;
	int events;
};

/* ------------------------------------------------------------ the fake */

static void
fake_bind(void *s, char *ep, size_t len)
{
	size_t l = len;

	ck_assert_int_eq(zmq_bind(s, "tcp://127.0.0.1:*"), 0);
	ck_assert_int_eq(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, ep, &l), 0);
}

/*
 * Epoch 5, seq 10.  Tenants t1 (shared) and t2 (dedicated); pools
 * shared (serves both) and ded-t2; agents a1 a2 in shared, b1 in ded-t2.
 */
static void
fake_open(struct fake *f)
{
	char serves[2][PROTO_ID_MAX + 1] = { "t1", "t2" };
	struct proto_pool p;
	int linger = 0;

	memset(f, 0, sizeof *f);
	f->ctx = zmq_ctx_new();
	f->pub = zmq_socket(f->ctx, ZMQ_PUB);
	f->router = zmq_socket(f->ctx, ZMQ_ROUTER);
	zmq_setsockopt(f->pub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(f->router, ZMQ_LINGER, &linger, sizeof linger);
	fake_bind(f->pub, f->events_ep, sizeof f->events_ep);
	fake_bind(f->router, f->requests_ep, sizeof f->requests_ep);
	f->epoch = 5;
	f->seq = 10;

	floor_init(&f->floor);
	testlib_tenant(&f->floor, "t1", PROTO_MODEL_SHARED);
	testlib_tenant(&f->floor, "t2", PROTO_MODEL_DEDICATED);
	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, "shared", PROTO_ID_MAX);
	p.kind = PROTO_POOL_SHARED;
	p.n_serves = 2;
	p.serves = serves;
	ck_assert_int_eq(floor_add_pool(&f->floor, &p), 0);
	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, "ded-t2", PROTO_ID_MAX);
	p.kind = PROTO_POOL_DEDICATED;
	proto_strlcpy(p.tenant, "t2", PROTO_ID_MAX);
	ck_assert_int_eq(floor_add_pool(&f->floor, &p), 1);
	ck_assert_int_ge(testlib_agent(&f->floor, "a1", "shared"), 0);
	ck_assert_int_ge(testlib_agent(&f->floor, "a2", "shared"), 0);
	ck_assert_int_ge(testlib_agent(&f->floor, "b1", "ded-t2"), 0);
}

static void
fake_close(struct fake *f)
{
	zmq_close(f->pub);
	zmq_close(f->router);
	zmq_ctx_term(f->ctx);
	floor_free(&f->floor);
}

/* Publish ev exactly as given (epoch and seq included). */
static void
fake_send_event(struct fake *f, const struct proto_event *ev)
{
	struct proto_buf b;

	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_event(&b, ev), 0);
	ck_assert_int_eq(zmq_send(f->pub, PROTO_TOPIC, strlen(PROTO_TOPIC), ZMQ_SNDMORE), 3);
	ck_assert_int_ge(zmq_send(f->pub, b.data, b.len, 0), 0);
	proto_buf_free(&b);
}

static void
fake_hb(struct fake *f)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_HB;
	ev.epoch = f->epoch;
	ev.seq = f->seq;
	ev.ts = 1700000000000LL;
	fake_send_event(f, &ev);
}

static struct proto_event
ev_moved(const char *agent, const char *from, const char *to)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	ev.ts = 1700000000000LL;
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	proto_strlcpy(ev.from, from, PROTO_ID_MAX);
	proto_strlcpy(ev.to, to, PROTO_ID_MAX);
	proto_strlcpy(ev.by, "fake", PROTO_ID_MAX);
	proto_strlcpy(ev.req, "fake-1", PROTO_REQID_MAX);
	return ev;
}

/* The server's truth changes by ev (next seq); `publish` false loses it
 * on the way, as a PUB over its high-water mark would. */
static void
fake_event(struct fake *f, struct proto_event ev, bool publish)
{
	ev.epoch = f->epoch;
	ev.seq = ++f->seq;
	ck_assert_int_eq(floor_apply(&f->floor, &ev, false), FLOOR_APPLIED);
	if (publish)
		fake_send_event(f, &ev);
}

static void
fake_reply(struct fake *f, const struct got *g, const struct proto_reply *rp)
{
	struct proto_buf b;

	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, rp), 0);
	ck_assert_int_ge(zmq_send(f->router, g->ident, g->ident_len, ZMQ_SNDMORE), 0);
	if (f->envelope == 1)
		ck_assert_int_eq(zmq_send(f->router, "", 0, ZMQ_SNDMORE), 0);
	ck_assert_int_ge(zmq_send(f->router, b.data, b.len, f->envelope == 2 ? ZMQ_SNDMORE : 0), 0);
	if (f->envelope == 2)
		ck_assert_int_eq(zmq_send(f->router, "junk", 4, 0), 4);
	proto_buf_free(&b);
}

static void
fake_answer_snapshot(struct fake *f, const struct got *g)
{
	struct proto_snapshot s;
	struct proto_reply rp;

	ck_assert_int_eq(floor_to_snapshot(&f->floor, &s), 0);
	s.epoch = f->snap_epoch ? f->snap_epoch : f->epoch;
	s.seq = f->seq + f->snap_seq_ahead;
	memset(&rp, 0, sizeof rp);
	proto_strlcpy(rp.id, g->id, PROTO_REQID_MAX);
	rp.ok = true;
	rp.op = PROTO_OP_SNAPSHOT;
	rp.epoch = s.epoch;
	rp.seq = s.seq;
	rp.snapshot = &s;
	fake_reply(f, g, &rp);
	proto_snapshot_free(&s);
}

static void
fake_answer_ok(struct fake *f, const struct got *g, uint64_t seq)
{
	struct proto_reply rp;

	memset(&rp, 0, sizeof rp);
	proto_strlcpy(rp.id, g->id, PROTO_REQID_MAX);
	rp.ok = true;
	rp.op = g->op;
	rp.epoch = f->epoch;
	rp.seq = seq;
	fake_reply(f, g, &rp);
}

/* Take every request waiting; answer the kinds the fake is set to. */
static void
fake_serve(struct fake *f)
{
	for (;;) {
		zmq_msg_t id, body;
		struct proto_request rq;
		struct got *g;
		int more = 0;
		size_t ml = sizeof more;

		zmq_msg_init(&id);
		if (zmq_msg_recv(&id, f->router, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&id);
			return;
		}
		zmq_getsockopt(f->router, ZMQ_RCVMORE, &more, &ml);
		ck_assert_msg(more, "a request with no body");
		zmq_msg_init(&body);
		zmq_msg_recv(&body, f->router, 0);
		ck_assert_int_lt(f->n_got, GOT_MAX);
		g = &f->got[f->n_got++];
		memset(g, 0, sizeof *g);
		g->ident_len = zmq_msg_size(&id);
		ck_assert_uint_le(g->ident_len, sizeof g->ident);
		memcpy(g->ident, zmq_msg_data(&id), g->ident_len);
		g->at = conn_mono_ms();
		memset(&rq, 0, sizeof rq);
		ck_assert_int_eq(proto_decode_request(zmq_msg_data(&body), zmq_msg_size(&body), &rq), PROTO_OK);
		g->op = rq.op;
		proto_strlcpy(g->id, rq.id, PROTO_REQID_MAX);
		proto_request_free(&rq);
		zmq_msg_close(&id);
		zmq_msg_close(&body);
		if ((g->op == PROTO_OP_SNAPSHOT && f->refuse_snapshots) ||
		    (g->op == PROTO_OP_HISTORY && f->refuse_history)) {
			struct proto_reply no;

			memset(&no, 0, sizeof no);
			proto_strlcpy(no.id, g->id, PROTO_REQID_MAX);
			no.op = g->op;
			no.err = PROTO_RE_UNAVAILABLE;
			snprintf(no.msg, sizeof no.msg, "busy");
			fake_reply(f, g, &no);
		} else if (g->op == PROTO_OP_SNAPSHOT && f->answer_snapshots)
			fake_answer_snapshot(f, g);
		else if (g->op == PROTO_OP_PING && f->answer_pings)
			fake_answer_ok(f, g, f->seq);
	}
}

static int
fake_count(const struct fake *f, enum proto_op op)
{
	int n = 0;

	for (int i = 0; i < f->n_got; i++)
		n += f->got[i].op == op;
	return n;
}

/* The n-th (0-based) request of kind op. */
static const struct got *
fake_nth(const struct fake *f, enum proto_op op, int n)
{
	for (int i = 0; i < f->n_got; i++)
		if (f->got[i].op == op && n-- == 0)
			return &f->got[i];
	ck_abort_msg("no request %d of op %d", n, op);
	return NULL;
}

/* ------------------------------------------------------------ driving */

static void
on_reply(void *ctx, uint64_t tag, const struct proto_reply *rp, bool answered)
{
	struct seen *s = ctx;

	s->answered = answered;
	s->replies++;
	s->tag = tag;
	s->ok = rp->ok;
	s->err = rp->err;
	s->seq = rp->seq;
	proto_strlcpy(s->msg, rp->msg, PROTO_TEXT_MAX);
}

static void
on_event(void *ctx, const struct proto_event *ev)
{
	(void)ev;
	((struct seen *)ctx)->events++;
}

static void
on_state(void *ctx)
{
	((struct seen *)ctx)->states++;
}

static void
conn_start(struct conn *c, const struct fake *f, struct seen *s)
{
	struct conn_hooks h = { on_event, on_reply, on_state, s };
	char err[256];

	memset(s, 0, sizeof *s);
	ck_assert_msg(conn_open(c, f->events_ep, f->requests_ep, &h, err, sizeof err) == 0, "%s", err);
}

/* One turn of a dashboard's loop, with the fake's side alongside. */
static void
step(struct fake *f, struct conn *c, long max_ms)
{
	zmq_pollitem_t it[3];
	int64_t now = conn_mono_ms();
	long t = conn_timeout(c, now);

	if (t > max_ms)
		t = max_ms;
	if (f->hb && f->next_hb - now < t)
		t = f->next_hb > now ? (long)(f->next_hb - now) : 0;
	conn_pollitems(c, it);
	it[2] = (zmq_pollitem_t){ f->router, 0, ZMQ_POLLIN, 0 };
	zmq_poll(it, 3, t);
	conn_handle(c, conn_mono_ms());
	fake_serve(f);
	now = conn_mono_ms();
	if (f->hb && now >= f->next_hb) {
		fake_hb(f);
		f->next_hb = now + HB_EVERY_MS;
	}
}

static void
pump(struct fake *f, struct conn *c, long ms)
{
	int64_t until = conn_mono_ms() + ms;

	while (conn_mono_ms() < until)
		step(f, c, 20);
}

#define PUMP_UNTIL(f, c, cond, ms) do { \
		int64_t until_ = conn_mono_ms() + (ms); \
		while (!(cond) && conn_mono_ms() < until_) \
			step((f), (c), 20); \
		ck_assert_msg((cond), "timed out after %d ms waiting for: %s", (int)(ms), #cond); \
	} while (0)

static const char *
pool_of(const struct conn *c, const char *agent)
{
	int a = floor_agent_find(&c->floor, agent);

	ck_assert_int_ge(a, 0);
	return c->floor.agents[a].def.pool;
}

/* Open, answer the first snapshot, LIVE with heartbeats flowing. */
static void
join(struct fake *f, struct conn *c, struct seen *s)
{
	int seen_hb;

	fake_open(f);
	f->hb = true;
	f->answer_snapshots = true;
	f->answer_pings = true;
	conn_start(c, f, s);
	PUMP_UNTIL(f, c, c->state == CONN_LIVE, 5000);
	ck_assert_uint_eq(c->floor.seq, f->seq);
	/* The snapshot can beat the SUB's subscription: only a heartbeat
	 * heard live says later events will not fall on the floor. */
	seen_hb = s->events;
	PUMP_UNTIL(f, c, s->events > seen_hb, 3000);
}

static struct proto_request
move_request(const char *agent, const char *to)
{
	struct proto_request rq;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_MOVE;
	rq.n_agents = 1;
	rq.agents = calloc(1, sizeof *rq.agents);
	proto_strlcpy(rq.agents[0], agent, PROTO_ID_MAX);
	proto_strlcpy(rq.to, to, PROTO_ID_MAX);
	proto_strlcpy(rq.reason, "test", PROTO_TEXT_MAX);
	proto_strlcpy(rq.by, "tester", PROTO_ID_MAX);
	return rq;
}

static const struct reqchan_req *
conn_req_of(const struct conn *c, uint64_t tag)
{
	return reqchan_find_tag(&c->rq, tag);
}

/* ------------------------------------------------------------ tests */

START_TEST(test_join_buffers_then_applies)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_event ev;
	int64_t until;

	fake_open(&f);
	conn_start(&c, &f, &s);
	/* Subscribe-then-snapshot: the request is out at once. */
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == 1, 3000);
	ck_assert_int_eq(c.state, CONN_JOINING);
	ck_assert(!c.have_floor);

	/* A PUB drops what it sends before the SUB is attached: beat until
	 * the conn has buffered something, so what follows surely arrives. */
	until = conn_mono_ms() + 3000;
	while (c.n_buf == 0 && conn_mono_ms() < until) {
		fake_hb(&f);
		step(&f, &c, 50);
	}
	ck_assert_uint_gt(c.n_buf, 0);

	/* Events the snapshot will already contain (seq 9, 10: a1 "moved"
	 * in them, which the snapshot must win over), then one it will not. */
	ev = ev_moved("a1", "shared", "ded-t2");
	ev.epoch = 5;
	ev.seq = 9;
	fake_send_event(&f, &ev);
	ev.seq = 10;
	fake_send_event(&f, &ev);
	fake_event(&f, ev_moved("a2", "shared", "ded-t2"), true);    /* seq 11 */
	/* ... which the snapshot, taken at 10, predates. */
	{
		struct proto_event undo = ev_moved("a2", "ded-t2", "shared");
		ck_assert_int_eq(floor_apply(&f.floor, &undo, false), FLOOR_APPLIED);
	}
	PUMP_UNTIL(&f, &c, c.n_buf > 0 && c.buf[c.n_buf - 1].seq == 11, 3000);
	ck_assert(!c.have_floor);
	ck_assert_int_eq(c.state, CONN_JOINING);

	f.seq = 10;
	fake_answer_snapshot(&f, fake_nth(&f, PROTO_OP_SNAPSHOT, 0));
	f.seq = 11;
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 3000);
	ck_assert(c.have_floor);
	ck_assert_uint_eq(c.floor.epoch, 5);
	ck_assert_uint_eq(c.floor.n_tenants, 2);
	ck_assert_int_ge(floor_tenant_find(&c.floor, "t1"), 0);
	ck_assert_int_ge(floor_tenant_find(&c.floor, "t2"), 0);
	ck_assert_uint_eq(c.floor.n_agents, 3);
	/* 9 and 10 were ignored, 11 applied from the buffer. */
	ck_assert_str_eq(pool_of(&c, "a1"), "shared");
	ck_assert_str_eq(pool_of(&c, "a2"), "ded-t2");
	ck_assert_uint_eq(c.floor.seq, 11);
	ck_assert_uint_eq(c.n_buf, 0);
	ck_assert_uint_eq(c.n_resyncs, 0);

	/* Live events from here on, in order. */
	fake_event(&f, ev_moved("a1", "shared", "ded-t2"), true);    /* 12 */
	fake_event(&f, ev_moved("b1", "ded-t2", "shared"), true);    /* 13 */
	PUMP_UNTIL(&f, &c, c.floor.seq == 13, 3000);
	ck_assert_str_eq(pool_of(&c, "a1"), "ded-t2");
	ck_assert_str_eq(pool_of(&c, "b1"), "shared");
	ck_assert_int_eq(c.state, CONN_LIVE);
	ck_assert_uint_eq(c.n_resyncs, 0);
	ck_assert_int_eq(fake_count(&f, PROTO_OP_SNAPSHOT), 1);
	ck_assert_int_ge(s.events, 3);
	ck_assert_int_ge(s.states, 1);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

START_TEST(test_gap_resyncs)
{
	struct fake f;
	struct conn c;
	struct seen s;

	join(&f, &c, &s);
	f.answer_snapshots = false;
	f.hb = false;   /* a heartbeat would reveal the gap too; see it via the event */

	fake_event(&f, ev_moved("a1", "shared", "ded-t2"), false);   /* 11: lost */
	fake_event(&f, ev_moved("a2", "shared", "ded-t2"), true);    /* 12 */
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == 2, 3000);
	ck_assert_int_eq(c.state, CONN_RESYNC);
	ck_assert_str_eq(c.why, "missed events 11-12");
	ck_assert_uint_eq(c.n_resyncs, 1);
	/* The replica is not patched around the hole. */
	ck_assert_uint_eq(c.floor.seq, 10);
	ck_assert_str_eq(pool_of(&c, "a1"), "shared");
	ck_assert_str_eq(pool_of(&c, "a2"), "shared");

	fake_answer_snapshot(&f, fake_nth(&f, PROTO_OP_SNAPSHOT, 1));
	f.hb = true;
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 3000);
	ck_assert_uint_eq(c.floor.seq, 12);
	ck_assert_str_eq(pool_of(&c, "a1"), "ded-t2");
	ck_assert_str_eq(pool_of(&c, "a2"), "ded-t2");
	pump(&f, &c, 400);
	ck_assert_int_eq(c.state, CONN_LIVE);
	ck_assert_uint_eq(c.n_resyncs, 1);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

START_TEST(test_heartbeat_reveals_gap)
{
	struct fake f;
	struct conn c;
	struct seen s;

	join(&f, &c, &s);
	f.answer_snapshots = false;
	/* Nothing but heartbeats after the loss: their seq says 11. */
	fake_event(&f, ev_moved("a1", "shared", "ded-t2"), false);
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == 2, 3000);
	ck_assert_int_eq(c.state, CONN_RESYNC);
	ck_assert_str_eq(c.why, "missed events 11-11");
	f.answer_snapshots = true;
	fake_answer_snapshot(&f, fake_nth(&f, PROTO_OP_SNAPSHOT, 1));
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 3000);
	ck_assert_str_eq(pool_of(&c, "a1"), "ded-t2");
	conn_close(&c);
	fake_close(&f);
}
END_TEST

START_TEST(test_new_epoch_resyncs)
{
	struct fake f;
	struct conn c;
	struct seen s;

	join(&f, &c, &s);
	f.answer_snapshots = false;
	f.hb = false;

	/* The server restarted: a new history, seq from 1, and a floor that
	 * differs from what the replica holds. */
	f.epoch = 6;
	f.seq = 0;
	{
		struct proto_event ev = ev_moved("b1", "ded-t2", "shared");
		ck_assert_int_eq(floor_apply(&f.floor, &ev, false), FLOOR_APPLIED);
	}
	fake_event(&f, ev_moved("a1", "shared", "ded-t2"), true);    /* 6/1 */
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == 2, 3000);
	ck_assert_int_eq(c.state, CONN_RESYNC);
	ck_assert_str_eq(c.why, "server restarted (epoch 6)");
	ck_assert_uint_eq(c.floor.epoch, 5);
	ck_assert_str_eq(pool_of(&c, "a1"), "shared");

	fake_answer_snapshot(&f, fake_nth(&f, PROTO_OP_SNAPSHOT, 1));
	f.hb = true;
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 3000);
	ck_assert_uint_eq(c.floor.epoch, 6);
	ck_assert_uint_eq(c.floor.seq, 1);
	ck_assert_str_eq(pool_of(&c, "a1"), "ded-t2");
	ck_assert_str_eq(pool_of(&c, "b1"), "shared");
	/* The next event of the new epoch follows on. */
	fake_event(&f, ev_moved("a2", "shared", "ded-t2"), true);
	PUMP_UNTIL(&f, &c, c.floor.seq == 2, 3000);
	ck_assert_str_eq(pool_of(&c, "a2"), "ded-t2");
	ck_assert_uint_eq(c.n_resyncs, 1);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

START_TEST(test_lazy_pirate_same_id)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_request rq = move_request("a1", "ded-t2");
	const struct reqchan_req *r;
	const struct got *g1, *g2;
	int64_t sent;

	join(&f, &c, &s);
	sent = conn_mono_ms();
	ck_assert_int_eq(conn_send(&c, &rq, 42), 0);
	ck_assert(rq.id[0] != '\0');
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_MOVE) == 1, 2000);
	g1 = fake_nth(&f, PROTO_OP_MOVE, 0);
	ck_assert_str_eq(g1->id, rq.id);
	r = conn_req_of(&c, 42);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->tries, 1);

	/* The first copy is "lost": no answer.  The retry comes after the
	 * timeout, under the same id, so the server can answer it from its
	 * record instead of moving twice. */
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_MOVE) == 2, CONN_REQUEST_TIMEOUT_MS + 1500);
	g2 = fake_nth(&f, PROTO_OP_MOVE, 1);
	ck_assert_str_eq(g2->id, g1->id);
	ck_assert_int_ge(g2->at - sent, CONN_REQUEST_TIMEOUT_MS - 20);
	r = conn_req_of(&c, 42);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->tries, 2);
	ck_assert_int_eq(s.replies, 0);

	/* Answer the retry, twice over: the caller hears once. */
	fake_answer_ok(&f, g2, 77);
	fake_answer_ok(&f, g2, 78);
	fake_answer_ok(&f, g1, 79);     /* to the closed socket: goes nowhere */
	PUMP_UNTIL(&f, &c, s.replies == 1, 2000);
	ck_assert_uint_eq(s.tag, 42);
	ck_assert(s.ok);
	ck_assert_uint_eq(s.seq, 77);
	ck_assert_ptr_null(conn_req_of(&c, 42));
	/* Settled: past another timeout, nothing more goes out. */
	pump(&f, &c, CONN_REQUEST_TIMEOUT_MS + 300);
	ck_assert_int_eq(s.replies, 1);
	ck_assert_int_eq(fake_count(&f, PROTO_OP_MOVE), 2);
	ck_assert_int_eq(c.state, CONN_LIVE);
	proto_request_free(&rq);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

START_TEST(test_no_answer_gives_up)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_request rq = move_request("a2", "ded-t2");
	int64_t sent;

	join(&f, &c, &s);
	sent = conn_mono_ms();
	ck_assert_int_eq(conn_send(&c, &rq, 43), 0);
	PUMP_UNTIL(&f, &c, s.replies == 1, CONN_REQUEST_TRIES * CONN_REQUEST_TIMEOUT_MS + 2000);
	ck_assert_int_ge(conn_mono_ms() - sent, CONN_REQUEST_TRIES * CONN_REQUEST_TIMEOUT_MS - 20);
	ck_assert_uint_eq(s.tag, 43);
	ck_assert(!s.ok);
	ck_assert_int_eq(s.err, PROTO_RE_UNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(s.msg, "nothing more will be sent"));
	ck_assert(!s.answered);   /* the connection's verdict, not the server's */
	ck_assert_int_eq(fake_count(&f, PROTO_OP_MOVE), CONN_REQUEST_TRIES);
	for (int i = 0; i < CONN_REQUEST_TRIES; i++)
		ck_assert_str_eq(fake_nth(&f, PROTO_OP_MOVE, i)->id, rq.id);
	ck_assert_ptr_null(conn_req_of(&c, 43));

	/* Given up means given up: no late copy that could move agents
	 * after the manager was told it failed. */
	pump(&f, &c, 3000);
	ck_assert_int_eq(fake_count(&f, PROTO_OP_MOVE), CONN_REQUEST_TRIES);
	ck_assert_int_eq(s.replies, 1);
	/* The feed was fine all along. */
	ck_assert_int_eq(c.state, CONN_LIVE);
	proto_request_free(&rq);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

START_TEST(test_stale_offline_live)
{
	struct fake f;
	struct conn c;
	struct seen s;
	int64_t quiet;
	int snaps, pings;

	join(&f, &c, &s);
	pump(&f, &c, 400);
	/* The server goes away: no heartbeats, no answers. */
	f.hb = false;
	f.answer_snapshots = false;
	f.answer_pings = false;
	quiet = conn_mono_ms();
	snaps = fake_count(&f, PROTO_OP_SNAPSHOT);
	PUMP_UNTIL(&f, &c, c.state == CONN_STALE, CONN_STALE_MS + 1500);
	ck_assert_int_ge(conn_mono_ms() - quiet, CONN_STALE_MS - HB_EVERY_MS - 50);
	ck_assert_str_eq(c.why, "no heartbeat for 3 s");
	/* Last known floor stays for the screen. */
	ck_assert(c.have_floor);
	ck_assert_uint_eq(c.floor.n_tenants, 2);
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == snaps + 1, 1000);

	/* The snapshot is tried CONN_REQUEST_TRIES times, then OFFLINE. */
	PUMP_UNTIL(&f, &c, c.state == CONN_OFFLINE, CONN_REQUEST_TRIES * CONN_REQUEST_TIMEOUT_MS + 1500);
	ck_assert_int_eq(fake_count(&f, PROTO_OP_SNAPSHOT), snaps + CONN_REQUEST_TRIES);
	ck_assert_str_eq(fake_nth(&f, PROTO_OP_SNAPSHOT, snaps)->id,
	                 fake_nth(&f, PROTO_OP_SNAPSHOT, snaps + CONN_REQUEST_TRIES - 1)->id);
	ck_assert(c.have_floor);

	/* Offline, a ping goes out with backoff; while it is in flight the
	 * connection asks for no wake-up before its deadline (a zero here
	 * would spin the dashboard's loop). */
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_PING) >= 1, CONN_BACKOFF_MIN_MS * 2 + 1000);
	ck_assert_int_eq(c.state, CONN_OFFLINE);
	/* ... in particular once next_ping has passed with the ping still
	 * unanswered. */
	PUMP_UNTIL(&f, &c, conn_mono_ms() > c.next_ping + 20, CONN_BACKOFF_MAX_MS);
	ck_assert_int_gt(conn_timeout(&c, conn_mono_ms()), 0);

	/* Back: it answers pings, then the snapshot; but until the feed
	 * itself speaks the status does not say LIVE (a dead feed must never
	 * look live), and staleness counts from the snapshot. */
	pings = fake_count(&f, PROTO_OP_PING);
	ck_assert_int_ge(pings, 1);
	f.answer_pings = true;
	f.answer_snapshots = true;
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == snaps + CONN_REQUEST_TRIES + 1 &&
	           !c.snapshot_out, CONN_BACKOFF_MAX_MS + 2000);
	ck_assert_int_ge(fake_count(&f, PROTO_OP_PING), 1);
	ck_assert_int_eq(c.state, CONN_RESYNC);
	ck_assert_str_eq(c.why, "snapshot in, waiting for the feed");
	f.hb = true;
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 2000);
	pump(&f, &c, 500);
	ck_assert_int_eq(c.state, CONN_LIVE);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* A server that refuses snapshots is not asked again at once (that was
 * thousands of requests a second): the connection backs off and pings. */
START_TEST(test_refused_snapshot_backs_off)
{
	struct fake f;
	struct conn c;
	struct seen s;

	fake_open(&f);
	f.refuse_snapshots = true;
	f.hb = true;
	memset(&s, 0, sizeof s);
	conn_start(&c, &f, &s);
	pump(&f, &c, 2000);
	ck_assert_int_le(fake_count(&f, PROTO_OP_SNAPSHOT), 3);
	ck_assert_int_eq(c.state, CONN_OFFLINE);
	ck_assert_ptr_nonnull(strstr(c.why, "refused"));
	ck_assert(!c.have_floor);
	conn_close(&c);
	fake_close(&f);
}
END_TEST


/* ------------------------------------------------------------ hostile publishers */

static void
fake_hb_at(struct fake *f, uint64_t epoch, uint64_t seq)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_HB;
	ev.epoch = epoch;
	ev.seq = seq;
	ev.ts = 1700000000000LL;
	fake_send_event(f, &ev);
}

/* One floor.reset takes one snapshot.  It used to be buffered with the
 * resync it caused and replayed after the snapshot, asking for another:
 * a loop of thousands of snapshots that never reached LIVE. */
START_TEST(test_reset_once)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_event ev;
	int snaps;

	join(&f, &c, &s);
	snaps = fake_count(&f, PROTO_OP_SNAPSHOT);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_FLOOR_RESET;
	ev.epoch = f.epoch;
	ev.seq = ++f.seq;
	ev.ts = 1700000000000LL;
	fake_send_event(&f, &ev);
	PUMP_UNTIL(&f, &c, fake_count(&f, PROTO_OP_SNAPSHOT) == snaps + 1, 3000);
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 3000);
	pump(&f, &c, 2500);
	ck_assert_int_eq(fake_count(&f, PROTO_OP_SNAPSHOT), snaps + 1);
	ck_assert_int_eq(c.state, CONN_LIVE);
	ck_assert_uint_eq(c.floor.seq, f.seq);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* A frame over the SUB's size limit makes libzmq drop the connection for
 * good; the feed reopens and the dashboard is LIVE on later events. */
START_TEST(test_oversize_frame_recovers)
{
	static uint8_t big[FEED_FRAME_MAX + 4096];
	struct fake f;
	struct conn c;
	struct seen s;

	join(&f, &c, &s);
	memset(big, 0xc1, sizeof big);
	ck_assert_int_eq(zmq_send(f.pub, PROTO_TOPIC, strlen(PROTO_TOPIC), ZMQ_SNDMORE), 3);
	ck_assert_int_eq(zmq_send(f.pub, big, sizeof big, 0), (int)sizeof big);
	PUMP_UNTIL(&f, &c, c.feed.n_reopens >= 1, 3000);
	ck_assert_uint_ge(c.feed.n_dropped, 1);
	/* What the server says next still arrives, and LIVE comes back
	 * (before, the feed stayed dead: STALE and a snapshot every 3 s). */
	pump(&f, &c, 300);
	fake_event(&f, ev_moved("a1", "shared", "ded-t2"), true);
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE && c.floor.seq == f.seq, 2500);
	ck_assert_str_eq(pool_of(&c, "a1"), "ded-t2");
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* PROTOCOL.md §1: a reply is [body] or, REQ-style, ["", body]; any other
 * shape is dropped (and the request retried), never half-read. */
START_TEST(test_reply_framing)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_request rq;

	join(&f, &c, &s);
	f.envelope = 1;
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_PING;
	ck_assert_int_eq(conn_send(&c, &rq, 7), 0);
	PUMP_UNTIL(&f, &c, s.replies == 1, 2000);
	ck_assert(s.ok);
	ck_assert(s.answered);
	ck_assert_uint_eq(s.seq, f.seq);

	f.envelope = 2;
	ck_assert_int_eq(conn_send(&c, &rq, 8), 0);
	pump(&f, &c, CONN_REQUEST_TIMEOUT_MS - 300);
	ck_assert_int_eq(s.replies, 1);
	ck_assert_uint_ge(c.rq.n_bad_frames, 1);
	f.envelope = 0;
	PUMP_UNTIL(&f, &c, s.replies == 2, CONN_REQUEST_TIMEOUT_MS + 1500);
	ck_assert_uint_eq(s.tag, 8);
	ck_assert(s.ok);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* A caller that asks again the moment history is refused (the Shifts
 * view did: 7,790 a second) is held back with backoff. */
START_TEST(test_refused_history_backs_off)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_request rq;
	int64_t until;
	int last = -1;
	char waiting[256];

	join(&f, &c, &s);
	f.refuse_history = true;
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = 8;
	until = conn_mono_ms() + 3000;
	while (conn_mono_ms() < until) {
		if (s.replies != last) {
			last = s.replies;
			ck_assert_int_eq(conn_send(&c, &rq, 9), 0);
		}
		step(&f, &c, 20);
	}
	ck_assert_int_ge(fake_count(&f, PROTO_OP_HISTORY), 2);
	ck_assert_int_le(fake_count(&f, PROTO_OP_HISTORY), 4);
	ck_assert(!s.ok);
	conn_waiting(&c, conn_mono_ms(), waiting, sizeof waiting);
	ck_assert_msg(strstr(waiting, "history refused, asking again in") != NULL, "%s", waiting);
	/* Moves are never held: a person asked. */
	f.refuse_history = false;
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* An epoch that flaps on every heartbeat costs a few snapshots, paced
 * by backoff, not one per message. */
START_TEST(test_epoch_flap_paced)
{
	struct fake f;
	struct conn c;
	struct seen s;
	int64_t until;
	int snaps, n = 0;

	join(&f, &c, &s);
	f.hb = false;
	snaps = fake_count(&f, PROTO_OP_SNAPSHOT);
	until = conn_mono_ms() + 4000;
	while (conn_mono_ms() < until) {
		fake_hb_at(&f, n++ % 2 ? 6 : 5, f.seq);
		step(&f, &c, 20);
	}
	ck_assert_int_ge(fake_count(&f, PROTO_OP_SNAPSHOT), snaps + 2);
	ck_assert_int_le(fake_count(&f, PROTO_OP_SNAPSHOT), snaps + 8);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* Snapshots from another epoch than the feed: never LIVE, a few
 * snapshots a second at most, and the status says what it waits for. */
START_TEST(test_snapshot_other_epoch_paced)
{
	struct fake f;
	struct conn c;
	struct seen s;
	int64_t until;
	char waiting[256];

	fake_open(&f);
	f.answer_snapshots = true;
	f.answer_pings = true;
	f.snap_epoch = 99;
	conn_start(&c, &f, &s);
	until = conn_mono_ms() + 4000;
	while (conn_mono_ms() < until) {
		fake_hb(&f);
		step(&f, &c, 20);
		ck_assert_int_ne(c.state, CONN_LIVE);
	}
	ck_assert_int_ge(fake_count(&f, PROTO_OP_SNAPSHOT), 2);
	ck_assert_int_le(fake_count(&f, PROTO_OP_SNAPSHOT), 8);
	conn_waiting(&c, conn_mono_ms(), waiting, sizeof waiting);
	ck_assert_msg(strstr(waiting, "snapshot") != NULL, "%s", waiting);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* A snapshot 1,000 seqs ahead of its feed: every event the feed brings
 * is thrown away, so the status must not say LIVE. */
START_TEST(test_snapshot_ahead_not_live)
{
	struct fake f;
	struct conn c;
	struct seen s;
	int64_t until;
	bool said_behind = false;

	fake_open(&f);
	f.hb = true;
	f.answer_snapshots = true;
	f.answer_pings = true;
	f.snap_seq_ahead = 1000;
	conn_start(&c, &f, &s);
	PUMP_UNTIL(&f, &c, c.have_floor, 3000);
	until = conn_mono_ms() + 3000;
	while (conn_mono_ms() < until) {
		step(&f, &c, 20);
		ck_assert_int_ne(c.state, CONN_LIVE);
		said_behind = said_behind || strstr(c.why, "behind") != NULL;
	}
	ck_assert_int_eq(c.state, CONN_RESYNC);
	ck_assert_msg(said_behind, "%s", c.why);
	ck_assert_int_le(fake_count(&f, PROTO_OP_SNAPSHOT), 6);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* A heartbeat whose seq went back: the feed is behind the replica. */
START_TEST(test_hb_backwards_not_live)
{
	struct fake f;
	struct conn c;
	struct seen s;
	int64_t until;
	bool said_behind = false;

	join(&f, &c, &s);
	ck_assert_int_eq(c.state, CONN_LIVE);
	f.hb = false;
	fake_hb_at(&f, f.epoch, f.seq - 3);
	PUMP_UNTIL(&f, &c, c.state != CONN_LIVE, 1000);
	until = conn_mono_ms() + 1500;
	while (conn_mono_ms() < until) {
		fake_hb_at(&f, f.epoch, f.seq - 3);
		step(&f, &c, 100);
		ck_assert_int_ne(c.state, CONN_LIVE);
		said_behind = said_behind || strstr(c.why, "behind") != NULL;
	}
	ck_assert(said_behind);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* The feed dies, the request side answers: STALE stays, since the last
 * feed message, instead of flickering to RESYNC after every snapshot. */
START_TEST(test_stale_stays)
{
	struct fake f;
	struct conn c;
	struct seen s;
	int64_t until, since;
	int snaps;

	join(&f, &c, &s);
	f.hb = false;
	PUMP_UNTIL(&f, &c, c.state == CONN_STALE, CONN_STALE_MS + 1500);
	since = c.since_real;
	ck_assert_int_le(since, c.last_msg_real);
	snaps = fake_count(&f, PROTO_OP_SNAPSHOT);
	until = conn_mono_ms() + 6000;
	while (conn_mono_ms() < until) {
		step(&f, &c, 20);
		ck_assert_int_eq(c.state, CONN_STALE);
		ck_assert_int_eq(c.since_real, since);
	}
	ck_assert_int_le(fake_count(&f, PROTO_OP_SNAPSHOT), snaps + 3);
	/* The feed speaks: out of STALE. */
	f.hb = true;
	PUMP_UNTIL(&f, &c, c.state == CONN_LIVE, 3000);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* For the move controller: was the ack's seq an agent.moved on the feed? */
START_TEST(test_seen_moved)
{
	struct fake f;
	struct conn c;
	struct seen s;
	struct proto_event st;
	uint64_t e;

	join(&f, &c, &s);
	e = f.epoch;
	fake_event(&f, ev_moved("a1", "shared", "ded-t2"), true);    /* 11 */
	memset(&st, 0, sizeof st);
	st.type = PROTO_EV_AGENT_STATE;
	st.ts = 1700000000000LL;
	st.state = PROTO_AS_BREAK;
	proto_strlcpy(st.agent, "a2", PROTO_ID_MAX);
	fake_event(&f, st, true);                                     /* 12 */
	PUMP_UNTIL(&f, &c, c.floor.seq == 12, 3000);
	ck_assert_int_eq(conn_seen(&c, e, 11), CONN_SEEN_MOVED);
	ck_assert_int_eq(conn_seen(&c, e, 12), CONN_SEEN_OTHER);
	ck_assert_int_eq(conn_seen(&c, e, 13), CONN_SEEN_NOT_YET);
	ck_assert_int_eq(conn_seen(&c, e, 10), CONN_SEEN_UNKNOWN);      /* folded into the snapshot */
	ck_assert_int_eq(conn_seen(&c, e + 1, 11), CONN_SEEN_UNKNOWN);
	conn_close(&c);
	fake_close(&f);
}
END_TEST

/* ------------------------------------------------------------ client_call */

struct served {
	struct fake *f;
	volatile int stop;
};

static void *
serve_thread(void *arg)
{
	struct served *sv = arg;

	while (!sv->stop) {
		zmq_pollitem_t it = { sv->f->router, 0, ZMQ_POLLIN, 0 };

		zmq_poll(&it, 1, 20);
		fake_serve(sv->f);
	}
	return NULL;
}

START_TEST(test_call)
{
	struct fake f;
	struct served sv = { &f, 0 };
	struct proto_request rq;
	struct proto_reply rp;
	pthread_t th;
	char err[512];
	int64_t t0;

	fake_open(&f);
	f.answer_pings = true;
	f.answer_snapshots = true;
	f.refuse_history = true;
	f.envelope = 1;      /* REQ-style: the framing rule takes it */
	ck_assert_int_eq(pthread_create(&th, NULL, serve_thread, &sv), 0);

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_SNAPSHOT;
	ck_assert_int_eq(client_call(f.requests_ep, &rq, &rp, 3000, 2, err, sizeof err), CLIENT_CALL_OK);
	ck_assert_ptr_nonnull(rp.snapshot);
	ck_assert_uint_eq(rp.snapshot->n_agents, 3);
	proto_reply_free(&rp);

	rq.op = PROTO_OP_HISTORY;
	ck_assert_int_eq(client_call(f.requests_ep, &rq, &rp, 3000, 2, err, sizeof err), CLIENT_CALL_REFUSED);
	ck_assert_str_eq(err, "history refused: busy (unavailable)");
	ck_assert(!rp.ok);
	proto_reply_free(&rp);

	/* Nobody answers moves here: the whole budget, two sends, one id. */
	rq = move_request("a1", "ded-t2");
	t0 = conn_mono_ms();
	ck_assert_int_eq(client_call(f.requests_ep, &rq, &rp, 600, 2, err, sizeof err), CLIENT_CALL_NO_ANSWER);
	ck_assert_int_ge(conn_mono_ms() - t0, 580);
	ck_assert_int_lt(conn_mono_ms() - t0, 1500);
	sv.stop = 1;
	pthread_join(th, NULL);
	ck_assert_int_eq(fake_count(&f, PROTO_OP_MOVE), 2);
	ck_assert_str_eq(fake_nth(&f, PROTO_OP_MOVE, 0)->id, fake_nth(&f, PROTO_OP_MOVE, 1)->id);
	{
		char want[256];

		snprintf(want, sizeof want, "no answer from %s after 0.6 s (is pooltopd running?)", f.requests_ep);
		ck_assert_str_eq(err, want);
	}
	proto_request_free(&rq);

	rq.op = PROTO_OP_PING;
	ck_assert_int_eq(client_call("nonsense", &rq, &rp, 600, 2, err, sizeof err), CLIENT_CALL_ENDPOINT);
	ck_assert_ptr_nonnull(strstr(err, "cannot use endpoint 'nonsense'"));
	fake_close(&f);
}
END_TEST

START_TEST(test_endpoint_options)
{
	struct endpoints e;
	char err[300];

	endpoint_defaults(&e);
	ck_assert_str_eq(e.events, "tcp://127.0.0.1:7701");
	ck_assert_str_eq(e.requests, "tcp://127.0.0.1:7702");
	ck_assert_int_eq(endpoint_option(&e, "server", "floor.example", err, sizeof err), 0);
	ck_assert_str_eq(e.events, "tcp://floor.example:7701");
	ck_assert_str_eq(e.requests, "tcp://floor.example:7702");
	ck_assert_int_eq(endpoint_option(&e, "requests", "ipc:///tmp/x", err, sizeof err), 0);
	ck_assert_str_eq(e.requests, "ipc:///tmp/x");
	ck_assert_int_eq(endpoint_option(&e, "server", "a/b", err, sizeof err), -1);
	ck_assert_str_eq(err, "--server wants a host name or address, got 'a/b'");
	ck_assert_int_eq(endpoint_option(&e, "events", "localhost", err, sizeof err), -1);
	ck_assert_str_eq(err, "--events wants an endpoint like tcp://HOST:PORT, got 'localhost'");
	ck_assert_int_eq(endpoint_option(&e, "theme", "x", err, sizeof err), 1);
	ck_assert_str_eq(endpoint_host("tcp://h:7701"), "h:7701");
}
END_TEST

static Suite *
conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tj = tcase_create("join");
	TCase *tr = tcase_create("requests");
	TCase *th = tcase_create("hostile");

	tcase_set_timeout(tj, 30);
	tcase_set_timeout(tr, 30);
	tcase_add_test(tj, test_join_buffers_then_applies);
	tcase_add_test(tj, test_gap_resyncs);
	tcase_add_test(tj, test_refused_snapshot_backs_off);
	tcase_add_test(tj, test_heartbeat_reveals_gap);
	tcase_add_test(tj, test_new_epoch_resyncs);
	tcase_add_test(tj, test_stale_offline_live);
	tcase_add_test(tr, test_lazy_pirate_same_id);
	tcase_add_test(tr, test_no_answer_gives_up);
	tcase_add_test(tr, test_reply_framing);
	tcase_add_test(tr, test_refused_history_backs_off);
	tcase_add_test(tr, test_call);
	tcase_add_test(tr, test_endpoint_options);
	tcase_set_timeout(th, 30);
	tcase_add_test(th, test_reset_once);
	tcase_add_test(th, test_oversize_frame_recovers);
	tcase_add_test(th, test_epoch_flap_paced);
	tcase_add_test(th, test_snapshot_other_epoch_paced);
	tcase_add_test(th, test_snapshot_ahead_not_live);
	tcase_add_test(th, test_hb_backwards_not_live);
	tcase_add_test(th, test_stale_stays);
	tcase_add_test(th, test_seen_moved);
	suite_add_tcase(s, tj);
	suite_add_tcase(s, tr);
	suite_add_tcase(s, th);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
