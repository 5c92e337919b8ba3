/*
 * pooltopd end to end: the real binary on free loopback ports, driven by
 * a C client through the whole contract — feed continuity, snapshot plus
 * feed equals the next snapshot, moves and their idempotency, refusals,
 * junk frames, kill -9 and restart with state kept, bad flags.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <zmq.h>

#include "pooltop/floor.h"
#include "pooltop/proto.h"
#include "pooltop/server.h"
#include "pooltop/store.h"

#include "testlib.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define srv testlib_srv

struct cli {
	void *ctx;
	void *sub;
	void *req;
	unsigned next;
};

static char itest_scenario[512];
static char quiet_scenario[512];

/* ------------------------------------------------------------ server */

/* The itest floor at 60x, seed 1, optionally from `start`. */
static void
srv_spawn(struct srv *s, const char *start)
{
	const char *args[] = { "--scenario", itest_scenario, "--speed", "60", "--seed", "1",
	                       start ? "--start" : NULL, start, NULL };

	testlib_srv_spawn(s, args);
}

static void
srv_start(struct srv *s, const char *start)
{
	testlib_srv_prepare(s);
	srv_spawn(s, start);
}

/* ------------------------------------------------------------ client */

static void
cli_open(struct cli *c, const struct srv *s)
{
	int linger = 0;

	memset(c, 0, sizeof *c);
	c->ctx = zmq_ctx_new();
	c->sub = zmq_socket(c->ctx, ZMQ_SUB);
	c->req = zmq_socket(c->ctx, ZMQ_DEALER);
	zmq_setsockopt(c->sub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(c->req, ZMQ_LINGER, &linger, sizeof linger);
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
}

/* Raw request bytes -> raw reply bytes; -1 on timeout. */
static int
cli_raw(struct cli *c, const void *body, size_t len, struct proto_buf *out, int timeout_ms)
{
	zmq_pollitem_t it = { c->req, 0, ZMQ_POLLIN, 0 };
	zmq_msg_t m;

	zmq_send(c->req, body, len, 0);
	if (zmq_poll(&it, 1, timeout_ms) <= 0)
		return -1;
	zmq_msg_init(&m);
	zmq_msg_recv(&m, c->req, 0);
	proto_buf_reset(out);
	out->len = 0;
	if (out->cap < zmq_msg_size(&m)) {
		out->data = realloc(out->data, zmq_msg_size(&m));
		out->cap = zmq_msg_size(&m);
	}
	memcpy(out->data, zmq_msg_data(&m), zmq_msg_size(&m));
	out->len = zmq_msg_size(&m);
	zmq_msg_close(&m);
	return 0;
}

static int
cli_call(struct cli *c, struct proto_request *rq, struct proto_reply *rp, struct proto_buf *raw)
{
	struct proto_buf b, own;
	int rc;

	if (rq->id[0] == '\0')
		snprintf(rq->id, sizeof rq->id, "t-%u-%d", ++c->next, (int)getpid());
	proto_buf_init(&b);
	proto_buf_init(&own);
	ck_assert_int_eq(proto_encode_request(&b, rq), 0);
	rc = cli_raw(c, b.data, b.len, raw ? raw : &own, 5000);
	proto_buf_free(&b);
	if (rc == 0) {
		const struct proto_buf *r = raw ? raw : &own;
		ck_assert_int_eq(proto_decode_reply(r->data, r->len, rq->op, rp), PROTO_OK);
		ck_assert_str_eq(rp->id, rq->id);
	}
	proto_buf_free(&own);
	return rc;
}

/* Wait until the server answers a ping. */
static void
cli_wait_up(struct cli *c)
{
	int64_t until = testlib_mono_ms() + 10000;

	while (testlib_mono_ms() < until) {
		struct proto_request rq;
		struct proto_reply rp;
		struct proto_buf b, out;
		int rc;

		memset(&rq, 0, sizeof rq);
		rq.op = PROTO_OP_PING;
		snprintf(rq.id, sizeof rq.id, "up-%u", ++c->next);
		proto_buf_init(&b);
		proto_buf_init(&out);
		proto_encode_request(&b, &rq);
		rc = cli_raw(c, b.data, b.len, &out, 300);
		if (rc == 0 && proto_decode_reply(out.data, out.len, PROTO_OP_PING, &rp) == PROTO_OK &&
		    strcmp(rp.id, rq.id) == 0) {
			proto_reply_free(&rp);
			proto_buf_free(&b);
			proto_buf_free(&out);
			return;
		}
		proto_buf_free(&b);
		proto_buf_free(&out);
		if (rc < 0) {
			/* A DEALER keeps unanswered requests queued: start afresh. */
			int linger = 0;
			zmq_close(c->req);
			c->req = zmq_socket(c->ctx, ZMQ_DEALER);
			zmq_setsockopt(c->req, ZMQ_LINGER, &linger, sizeof linger);
		}
		ck_assert_int_eq(zmq_connect(c->req, getenv("ITEST_REQ")), 0);
	}
	ck_abort_msg("pooltopd did not come up");
}

/* The next feed event within timeout_ms; 0 on success. */
static int
cli_event(struct cli *c, struct proto_event *ev, int timeout_ms)
{
	zmq_pollitem_t it = { c->sub, 0, ZMQ_POLLIN, 0 };
	zmq_msg_t t, b;
	int rc;

	if (zmq_poll(&it, 1, timeout_ms) <= 0)
		return -1;
	zmq_msg_init(&t);
	zmq_msg_init(&b);
	zmq_msg_recv(&t, c->sub, 0);
	zmq_msg_recv(&b, c->sub, 0);
	ck_assert_uint_eq(zmq_msg_size(&t), 3);
	ck_assert_int_eq(memcmp(zmq_msg_data(&t), "pt1", 3), 0);
	rc = proto_decode_event(zmq_msg_data(&b), zmq_msg_size(&b), ev);
	ck_assert_msg(rc == PROTO_OK, "feed frame did not decode: %s", proto_strerror(rc));
	zmq_msg_close(&t);
	zmq_msg_close(&b);
	return 0;
}

static void
srv_setup(struct srv *s, struct cli *c, const char *start)
{
	srv_start(s, start);
	setenv("ITEST_REQ", s->requests, 1);
	cli_open(c, s);
	cli_wait_up(c);
}

static struct proto_snapshot *
cli_snapshot(struct cli *c, struct proto_reply *rp)
{
	struct proto_request rq;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_SNAPSHOT;
	ck_assert_int_eq(cli_call(c, &rq, rp, NULL), 0);
	ck_assert(rp->ok);
	ck_assert_ptr_nonnull(rp->snapshot);
	return rp->snapshot;
}

static const struct proto_agent *
snap_agent(const struct proto_snapshot *s, const char *id)
{
	for (uint32_t i = 0; i < s->n_agents; i++)
		if (strcmp(s->agents[i].id, id) == 0)
			return &s->agents[i];
	return NULL;
}

/* ------------------------------------------------------------ tests */

START_TEST(test_feed_continuity)
{
	struct srv s;
	struct cli c;
	struct proto_event ev;
	uint64_t last = 0, epoch = 0, hb = 0, n = 0;
	int64_t until;

	srv_setup(&s, &c, NULL);
	until = testlib_mono_ms() + 2500;
	while (testlib_mono_ms() < until && cli_event(&c, &ev, 1000) == 0) {
		ck_assert_uint_eq(ev.epoch, epoch ? epoch : ev.epoch);
		epoch = ev.epoch;
		if (ev.type == PROTO_EV_HB) {
			/* A heartbeat carries the last seq, not a new one. */
			if (last)
				ck_assert_uint_eq(ev.seq, last);
			hb++;
			continue;
		}
		if (last)
			ck_assert_msg(ev.seq == last + 1, "gap: %llu after %llu",
			              (unsigned long long)ev.seq, (unsigned long long)last);
		last = ev.seq;
		n++;
	}
	ck_assert_uint_ge(hb, 1);
	ck_assert_uint_gt(n, 20);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

START_TEST(test_snapshot_plus_feed_is_next_snapshot)
{
	struct srv s;
	struct cli c;
	struct proto_reply r1, r2;
	struct proto_snapshot *a, *b, mine;
	struct floor f;
	struct proto_event ev;
	struct proto_event *buf = calloc(100000, sizeof *buf);
	uint32_t nbuf = 0;
	struct proto_buf e1, e2;
	struct proto_reply w1, w2;
	int64_t until;

	srv_setup(&s, &c, NULL);
	/* Subscribe first (done), let the subscription settle, buffer. */
	while (cli_event(&c, &ev, 200) == 0)
		;
	a = cli_snapshot(&c, &r1);
	floor_init(&f);
	ck_assert_int_eq(floor_from_snapshot(&f, a), 0);
	until = testlib_mono_ms() + 1500;
	while (testlib_mono_ms() < until && nbuf < 100000)
		if (cli_event(&c, &buf[nbuf], 100) == 0)
			nbuf++;
	b = cli_snapshot(&c, &r2);
	/* Everything up to b's seq must be in hand. */
	while (nbuf < 100000 && (nbuf == 0 || buf[nbuf - 1].seq < b->seq))
		ck_assert_int_eq(cli_event(&c, &buf[nbuf++], 3000), 0);
	for (uint32_t i = 0; i < nbuf; i++) {
		enum floor_apply_result res;
		if (buf[i].seq > b->seq)
			break;
		res = floor_apply(&f, &buf[i], true);
		ck_assert_msg(res == FLOOR_APPLIED || res == FLOOR_IGNORED, "apply seq %llu: %d",
		              (unsigned long long)buf[i].seq, res);
	}
	ck_assert_uint_eq(f.seq, b->seq);
	ck_assert_uint_gt(b->seq, a->seq + 10);
	memset(&mine, 0, sizeof mine);
	ck_assert_int_eq(floor_to_snapshot(&f, &mine), 0);
	mine.ts = b->ts;
	/* Byte for byte: the replica is the server's floor. */
	memset(&w1, 0, sizeof w1);
	memset(&w2, 0, sizeof w2);
	w1.ok = w2.ok = true;
	w1.op = w2.op = PROTO_OP_SNAPSHOT;
	w1.snapshot = &mine;
	w2.snapshot = b;
	proto_buf_init(&e1);
	proto_buf_init(&e2);
	ck_assert_int_eq(proto_encode_reply(&e1, &w1), 0);
	ck_assert_int_eq(proto_encode_reply(&e2, &w2), 0);
	ck_assert_uint_eq(e1.len, e2.len);
	ck_assert(memcmp(e1.data, e2.data, e1.len) == 0);
	proto_buf_free(&e1);
	proto_buf_free(&e2);
	proto_snapshot_free(&mine);
	floor_free(&f);
	proto_reply_free(&r1);
	proto_reply_free(&r2);
	free(buf);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

static struct proto_request
move_req(const char *id, const char *const *agents, uint32_t n, const char *to, const char *reason,
         bool force)
{
	struct proto_request rq;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_MOVE;
	snprintf(rq.id, sizeof rq.id, "%s", id);
	rq.n_agents = n;
	rq.agents = calloc(n, sizeof *rq.agents);
	for (uint32_t i = 0; i < n; i++)
		snprintf(rq.agents[i], sizeof rq.agents[i], "%s", agents[i]);
	snprintf(rq.to, sizeof rq.to, "%s", to);
	snprintf(rq.reason, sizeof rq.reason, "%s", reason);
	snprintf(rq.by, sizeof rq.by, "itest");
	rq.force = force;
	return rq;
}

/* The ids of the first n agents of a pool in a snapshot. */
static uint32_t
pool_agents(const struct proto_snapshot *s, const char *pool, const char **out, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < s->n_agents && k < n; i++)
		if (strcmp(s->agents[i].pool, pool) == 0)
			out[k++] = s->agents[i].id;
	return k;
}

START_TEST(test_move_idempotent_and_refusals)
{
	struct srv s;
	struct cli c;
	struct proto_reply rs, rp, rp2;
	struct proto_snapshot *snap;
	struct proto_request rq;
	struct proto_buf raw1, raw2;
	struct proto_event ev;
	const char *ded[5];
	char ids[5][PROTO_ID_MAX + 1];
	char mid[64];
	uint32_t moved_events = 0;
	uint64_t old_epoch;
	int64_t until;

	srv_setup(&s, &c, "10:00");
	while (cli_event(&c, &ev, 200) == 0)
		;
	snap = cli_snapshot(&c, &rs);
	ck_assert_uint_eq(pool_agents(snap, "ded-ded", ded, 5), 5);
	/* The snapshot is freed below; keep the ids. */
	for (int i = 0; i < 5; i++) {
		snprintf(ids[i], sizeof ids[i], "%s", ded[i]);
		ded[i] = ids[i];
	}

	/* Three of five leaves two, under the contract's three. */
	rq = move_req("m-contract", ded, 3, "shared", "lunch cover", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_CONTRACT_MIN);
	ck_assert_ptr_nonnull(strstr(rp.msg, "minimum of 3"));
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* Forcing wants a reason. */
	rq = move_req("m-force-noreason", ded, 3, "shared", "", true);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_BAD_REQUEST);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* Unknown agent and unknown pool: not_found, nothing moves. */
	{
		const char *ghost[] = { ded[0], "nobody" };
		rq = move_req("m-ghost", ghost, 2, "shared", "x", false);
		ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
		ck_assert_int_eq(rp.err, PROTO_RE_NOT_FOUND);
		ck_assert_ptr_nonnull(strstr(rp.msg, "nobody"));
		proto_reply_free(&rp);
		proto_request_free(&rq);
		rq = move_req("m-nopool", ded, 1, "atlantis", "x", false);
		ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
		ck_assert_int_eq(rp.err, PROTO_RE_NOT_FOUND);
		ck_assert_ptr_nonnull(strstr(rp.msg, "atlantis"));
		proto_reply_free(&rp);
		proto_request_free(&rq);
	}

	/* A good move, then the very same request again. */
	snprintf(mid, sizeof mid, "m-ok-%d", (int)getpid());
	rq = move_req(mid, ded, 2, "shared", "queue on shr", false);
	proto_buf_init(&raw1);
	proto_buf_init(&raw2);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, &raw1), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	ck_assert_int_eq(cli_call(&c, &rq, &rp2, &raw2), 0);
	ck_assert(rp2.ok);
	ck_assert_uint_eq(rp.seq, rp2.seq);
	ck_assert_uint_eq(raw1.len, raw2.len);
	ck_assert(memcmp(raw1.data, raw2.data, raw1.len) == 0);
	until = testlib_mono_ms() + 1500;
	while (testlib_mono_ms() < until && cli_event(&c, &ev, 200) == 0) {
		if (ev.type != PROTO_EV_AGENT_MOVED)
			continue;
		ck_assert_str_eq(ev.req, mid);
		ck_assert_str_eq(ev.by, "itest");
		ck_assert_str_eq(ev.reason, "queue on shr");
		ck_assert_str_eq(ev.from, "ded-ded");
		ck_assert_str_eq(ev.to, "shared");
		ck_assert_uint_le(ev.seq, rp.seq);
		moved_events++;
	}
	ck_assert_uint_eq(moved_events, 2);   /* not four */
	proto_reply_free(&rp);
	proto_reply_free(&rp2);

	/* The same id for something else is a conflict. */
	snprintf(rq.reason, sizeof rq.reason, "different");
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_int_eq(rp.err, PROTO_RE_CONFLICT);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	proto_reply_free(&rs);

	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, ded[0])->pool, "shared");
	ck_assert_str_eq(snap_agent(snap, ded[1])->pool, "shared");
	ck_assert_str_eq(snap_agent(snap, ded[2])->pool, "ded-ded");

	/* kill -9, restart on the same state: the move stands, the retry
	 * still answers from the record, and the epoch moved on. */
	old_epoch = snap->epoch;
	proto_reply_free(&rs);
	testlib_srv_kill(&s, SIGKILL);
	srv_spawn(&s, "10:00");
	cli_close(&c);
	cli_open(&c, &s);
	cli_wait_up(&c);
	snap = cli_snapshot(&c, &rs);
	ck_assert_uint_ne(snap->epoch, old_epoch);
	ck_assert_uint_gt(snap->epoch, old_epoch);
	ck_assert_str_eq(snap_agent(snap, ded[0])->pool, "shared");
	ck_assert_str_eq(snap_agent(snap, ded[1])->pool, "shared");
	proto_reply_free(&rs);
	rq = move_req(mid, ded, 2, "shared", "queue on shr", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, &raw2), 0);
	ck_assert(rp.ok);
	ck_assert(memcmp(raw1.data, raw2.data, raw1.len) == 0);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* The audit keeps who, why and which request. */
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_AUDIT;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(rp.ok);
	ck_assert_uint_eq(rp.n_audit, 2);
	ck_assert_str_eq(rp.audit[0].by, "itest");
	ck_assert_str_eq(rp.audit[0].reason, "queue on shr");
	ck_assert_str_eq(rp.audit[0].req, mid);
	ck_assert_str_eq(rp.audit[1].to, "shared");
	proto_reply_free(&rp);

	proto_buf_free(&raw1);
	proto_buf_free(&raw2);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

/* A move that names `from` is made only when every agent is still there:
 * otherwise it would undo someone else's later move.  The refusal names
 * the agent, where it is now and who put it there, and nothing moves. */
START_TEST(test_move_from_conflict)
{
	struct srv s;
	struct cli c;
	struct proto_reply rs, rp;
	struct proto_snapshot *snap;
	struct proto_request rq;
	struct proto_event ev;
	const char *ded[2];
	char ids[2][PROTO_ID_MAX + 1];

	srv_setup(&s, &c, "10:00");
	while (cli_event(&c, &ev, 200) == 0)
		;
	snap = cli_snapshot(&c, &rs);
	ck_assert_uint_eq(pool_agents(snap, "ded-ded", ded, 2), 2);
	for (int i = 0; i < 2; i++) {
		snprintf(ids[i], sizeof ids[i], "%s", ded[i]);
		ded[i] = ids[i];
	}
	proto_reply_free(&rs);

	/* A moves both to shared; B then moves the first on to ded-hyb. */
	rq = move_req("from-a", ded, 2, "shared", "cover", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	rq = move_req("from-b", ded, 1, "ded-hyb", "hyb peak", false);
	snprintf(rq.by, sizeof rq.by, "bea");
	snprintf(rq.from, sizeof rq.from, "shared");
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* A's undo, guarded: refused, naming the agent, its pool and bea. */
	rq = move_req("from-undo", ded, 2, "ded-ded", "undo: cover", false);
	snprintf(rq.from, sizeof rq.from, "shared");
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_CONFLICT);
	ck_assert_ptr_nonnull(strstr(rp.msg, ded[0]));
	ck_assert_ptr_nonnull(strstr(rp.msg, "ded-hyb"));
	ck_assert_ptr_nonnull(strstr(rp.msg, "bea"));
	ck_assert_ptr_nonnull(strstr(rp.msg, "from-b"));
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* An unknown `from` pool is not_found. */
	rq = move_req("from-ghost", ded, 1, "ded-ded", "x", false);
	snprintf(rq.from, sizeof rq.from, "atlantis");
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_int_eq(rp.err, PROTO_RE_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(rp.msg, "atlantis"));
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* Nothing moved: both still where A and B put them. */
	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, ded[0])->pool, "ded-hyb");
	ck_assert_str_eq(snap_agent(snap, ded[1])->pool, "shared");
	proto_reply_free(&rs);

	/* The one still where A put it can go back, guarded. */
	rq = move_req("from-undo-2", &ded[1], 1, "ded-ded", "undo: cover", false);
	snprintf(rq.from, sizeof rq.from, "shared");
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, ded[1])->pool, "ded-ded");
	proto_reply_free(&rs);

	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

/* Issue 12: a move into a pool serving a tenant the agent's HOME pool is
 * not trained for is refused with `untrained` unless forced with a
 * reason; training is by home, not by the pool the agent is in now; the
 * snapshot says who is trained for what and where each agent's home is. */
START_TEST(test_move_untrained)
{
	struct srv s;
	struct cli c;
	struct proto_reply rs, rp;
	struct proto_snapshot *snap;
	struct proto_request rq;
	const char *hyb[1], *shr[1];
	char hyb_id[PROTO_ID_MAX + 1], shr_id[PROTO_ID_MAX + 1];
	const struct proto_pool *dd = NULL;

	srv_setup(&s, &c, "10:00");
	snap = cli_snapshot(&c, &rs);
	ck_assert_uint_eq(pool_agents(snap, "ded-hyb", hyb, 1), 1);
	ck_assert_uint_eq(pool_agents(snap, "shared", shr, 1), 1);
	snprintf(hyb_id, sizeof hyb_id, "%s", hyb[0]);
	snprintf(shr_id, sizeof shr_id, "%s", shr[0]);
	hyb[0] = hyb_id;
	shr[0] = shr_id;
	ck_assert_str_eq(snap_agent(snap, hyb_id)->home, "ded-hyb");
	ck_assert_str_eq(snap_agent(snap, shr_id)->home, "shared");
	for (uint32_t i = 0; i < snap->n_pools; i++)
		if (strcmp(snap->pools[i].id, "ded-ded") == 0)
			dd = &snap->pools[i];
	ck_assert_ptr_nonnull(dd);
	ck_assert_uint_eq(dd->n_trained, 2);
	ck_assert_str_eq(dd->trained[0], "shr");
	ck_assert_str_eq(dd->trained[1], "hyb");
	proto_reply_free(&rs);

	/* ded-hyb's team knows hyb only: not ded's line. */
	rq = move_req("m-untrained", hyb, 1, "ded-ded", "cover", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_UNTRAINED);
	ck_assert_ptr_nonnull(strstr(rp.msg, hyb_id));
	ck_assert_ptr_nonnull(strstr(rp.msg, "tenant ded "));
	proto_reply_free(&rp);
	proto_request_free(&rq);
	/* Forced with a reason it goes. */
	rq = move_req("m-untrained-forced", hyb, 1, "ded-ded", "trained last week", true);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	/* A shared agent (trained for ded, shr, hyb) into ded-hyb, then on
	 * to ded-ded: allowed by its home, though ded-hyb's team is not. */
	rq = move_req("m-shr-hyb", shr, 1, "ded-hyb", "cover", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	rq = move_req("m-shr-ded", shr, 1, "ded-ded", "cover", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, hyb_id)->pool, "ded-ded");
	ck_assert_str_eq(snap_agent(snap, hyb_id)->home, "ded-hyb");
	ck_assert_str_eq(snap_agent(snap, shr_id)->pool, "ded-ded");
	proto_reply_free(&rs);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

/* Issue 12: a move with `until` is a loan: the agent goes home at that
 * floor time with an agent.moved saying so, the loan survives kill -9 and
 * a restart, and a later manual move ends a loan. */
START_TEST(test_loan_returns_across_restart)
{
	struct srv s;
	struct cli c;
	struct proto_reply rs, rp;
	struct proto_snapshot *snap;
	struct proto_request rq;
	struct proto_event ev;
	const char *ded[2];
	char ids[2][PROTO_ID_MAX + 1];
	int64_t until, wall_until;
	bool back = false;

	srv_setup(&s, &c, "10:00");
	snap = cli_snapshot(&c, &rs);
	ck_assert_uint_eq(pool_agents(snap, "ded-ded", ded, 2), 2);
	for (int i = 0; i < 2; i++) {
		snprintf(ids[i], sizeof ids[i], "%s", ded[i]);
		ded[i] = ids[i];
	}
	until = snap->ts + 3 * 60 * 1000;	/* 3 s of wall time at --speed 60 */
	proto_reply_free(&rs);

	/* a loan that ended already is refused */
	rq = move_req("m-loan-past", ded, 1, "shared", "cover", false);
	rq.until = until - 10 * 60 * 1000;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_BAD_REQUEST);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	rq = move_req("m-loan", ded, 1, "shared", "cover the peak", false);
	rq.until = until;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	/* a second loan, ended by a manual move */
	rq = move_req("m-loan-2", ded + 1, 1, "shared", "cover", false);
	rq.until = until + 60 * 60 * 1000;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	rq = move_req("m-manual", ded + 1, 1, "ded-hyb", "needed there", false);
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	proto_request_free(&rq);

	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, ded[0])->pool, "shared");
	ck_assert_int_eq(snap_agent(snap, ded[0])->loan_until, until);
	ck_assert_str_eq(snap_agent(snap, ded[1])->pool, "ded-hyb");
	ck_assert_int_eq(snap_agent(snap, ded[1])->loan_until, 0);
	proto_reply_free(&rs);

	/* kill -9 before it ends, restart on the same state */
	testlib_srv_kill(&s, SIGKILL);
	srv_spawn(&s, "10:00");
	cli_close(&c);
	cli_open(&c, &s);
	cli_wait_up(&c);
	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, ded[0])->pool, "shared");
	ck_assert_int_eq(snap_agent(snap, ded[0])->loan_until, until);
	ck_assert_str_eq(snap_agent(snap, ded[1])->pool, "ded-hyb");
	ck_assert_int_eq(snap_agent(snap, ded[1])->loan_until, 0);
	ck_assert_int_lt(snap->ts, until);
	proto_reply_free(&rs);

	/* the restarted server sends it home when the loan ends */
	wall_until = testlib_mono_ms() + 15000;
	while (!back && testlib_mono_ms() < wall_until && cli_event(&c, &ev, 500) >= -1) {
		if (ev.type != PROTO_EV_AGENT_MOVED || strcmp(ev.agent, ded[0]) != 0)
			continue;
		ck_assert_str_eq(ev.from, "shared");
		ck_assert_str_eq(ev.to, "ded-ded");
		ck_assert_ptr_nonnull(strstr(ev.reason, "loan ended"));
		ck_assert_int_ge(ev.ts, until);
		ck_assert_int_eq(ev.until, 0);
		back = true;
	}
	ck_assert_msg(back, "the loan did not return the agent");
	snap = cli_snapshot(&c, &rs);
	ck_assert_str_eq(snap_agent(snap, ded[0])->pool, "ded-ded");
	ck_assert_int_eq(snap_agent(snap, ded[0])->loan_until, 0);
	proto_reply_free(&rs);

	/* the audit names the return */
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_AUDIT;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(rp.ok);
	ck_assert_uint_eq(rp.n_audit, 4);
	ck_assert_str_eq(rp.audit[3].by, "pooltopd");
	ck_assert_str_eq(rp.audit[3].to, "ded-ded");
	proto_reply_free(&rp);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

START_TEST(test_junk_frames)
{
#define J(lit) (const uint8_t *)(lit), sizeof(lit) - 1
	static const struct {
		const char *what;
		const uint8_t *bytes;
		size_t len;
		enum proto_reply_err err;
	} junk[] = {
		{ "empty", J(""), PROTO_RE_BAD_REQUEST },
		{ "not msgpack", J("\xc1\xc1"), PROTO_RE_BAD_REQUEST },
		{ "array bomb", J("\xdd\xff\xff\xff\xff"), PROTO_RE_BAD_REQUEST },
		{ "map bomb", J("\xdf\xff\xff\xff\xff"), PROTO_RE_BAD_REQUEST },
		{ "string", J("\xa3" "abc"), PROTO_RE_BAD_REQUEST },
		/* {v:1, id:"j", op:"dance"} */
		{ "unknown op", J("\x83\xa1v\x01\xa2id\xa1j\xa2op\xa5" "dance"),
		  PROTO_RE_UNKNOWN_OP },
		/* {v:1, id:"j", op:"ping"} + a trailing byte */
		{ "trailing", J("\x83\xa1v\x01\xa2id\xa1j\xa2op\xa4ping\x00"),
		  PROTO_RE_BAD_REQUEST },
		/* {v:1, id:"j", op:"move"} without agents */
		{ "move without fields", J("\x83\xa1v\x01\xa2id\xa1j\xa2op\xa4move"),
		  PROTO_RE_BAD_REQUEST },
		/* {v:"1", id:"j", op:"ping"} */
		{ "v of wrong type", J("\x83\xa1v\xa1\x31\xa2id\xa1j\xa2op\xa4ping"),
		  PROTO_RE_BAD_REQUEST },
	};
	struct srv s;
	struct cli c;
	struct proto_buf out;
	struct proto_request rq;
	struct proto_reply rp, r1, r2;
	struct proto_snapshot *a;
	uint8_t *big;

	srv_setup(&s, &c, "10:00");
	proto_buf_init(&out);
	a = cli_snapshot(&c, &r1);
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		ck_assert_msg(cli_raw(&c, junk[i].bytes, junk[i].len, &out, 3000) == 0, "%s: no answer",
		              junk[i].what);
		ck_assert_msg(proto_decode_reply(out.data, out.len, PROTO_OP_PING, &rp) == PROTO_OK,
		              "%s: reply does not decode", junk[i].what);
		ck_assert_msg(!rp.ok && rp.err == junk[i].err, "%s: err %d", junk[i].what, rp.err);
		ck_assert_msg(rp.msg[0] != '\0', "%s: no sentence", junk[i].what);
		if (junk[i].err == PROTO_RE_UNKNOWN_OP)
			ck_assert_str_eq(rp.id, "j");
		proto_reply_free(&rp);
	}
	/* Over the request size limit. */
	big = calloc(1, PROTO_REQUEST_BYTES_MAX + 10);
	ck_assert_int_eq(cli_raw(&c, big, PROTO_REQUEST_BYTES_MAX + 10, &out, 3000), 0);
	ck_assert_int_eq(proto_decode_reply(out.data, out.len, PROTO_OP_PING, &rp), PROTO_OK);
	ck_assert_int_eq(rp.err, PROTO_RE_BAD_REQUEST);
	proto_reply_free(&rp);
	free(big);
	/* Still up, and nothing but the simulation changed: every agent is
	 * where it was. */
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_PING;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert(rp.ok);
	proto_reply_free(&rp);
	{
		struct proto_snapshot *b = cli_snapshot(&c, &r2);
		ck_assert_uint_eq(a->n_agents, b->n_agents);
		for (uint32_t i = 0; i < a->n_agents; i++)
			ck_assert_str_eq(a->agents[i].pool, b->agents[i].pool);
		proto_reply_free(&r2);
	}
	proto_reply_free(&r1);
	proto_buf_free(&out);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

START_TEST(test_history_survives_restart)
{
	struct srv s;
	struct cli c;
	struct proto_request rq;
	struct proto_reply rp;
	struct proto_event ev;
	bool crossed = false;
	int64_t until;

	/* 11:59 at --speed 60: shift B starts a second later. */
	srv_setup(&s, &c, "11:59");
	until = testlib_mono_ms() + 8000;
	while (!crossed && testlib_mono_ms() < until && cli_event(&c, &ev, 1000) == 0)
		crossed = ev.type == PROTO_EV_SHIFT_STARTED && strcmp(ev.shift, "B") == 0;
	ck_assert(crossed);
	usleep(300000);
	testlib_srv_kill(&s, SIGKILL);
	srv_spawn(&s, "13:00");
	cli_close(&c);
	cli_open(&c, &s);
	cli_wait_up(&c);
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = 1;
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	ck_assert_uint_eq(rp.n_rows, 3);           /* one per tenant */
	ck_assert_str_eq(rp.rows[0].shift, "A");
	for (uint32_t i = 0; i < rp.n_rows; i++)
		ck_assert_uint_ge(rp.rows[i].offered, rp.rows[i].answered);
	proto_reply_free(&rp);
	/* A tenant that does not exist. */
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = 1;
	snprintf(rq.tenant, sizeof rq.tenant, "nope");
	ck_assert_int_eq(cli_call(&c, &rq, &rp, NULL), 0);
	ck_assert_int_eq(rp.err, PROTO_RE_NOT_FOUND);
	proto_reply_free(&rp);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

static uint64_t
cli_epoch(struct cli *c)
{
	struct proto_request rq;
	struct proto_reply rp;
	uint64_t e;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_PING;
	ck_assert_int_eq(cli_call(c, &rq, &rp, NULL), 0);
	ck_assert(rp.ok);
	e = rp.epoch;
	proto_reply_free(&rp);
	return e;
}

/* Two runs, each on a fresh state directory (the store's counter is 1
 * both times): a client that watched the first must not take the
 * second's events for ones it already applied. */
START_TEST(test_epoch_unique_with_fresh_state)
{
	struct srv s;
	struct cli c;
	uint64_t first, second;

	srv_setup(&s, &c, NULL);
	first = cli_epoch(&c);
	cli_close(&c);
	testlib_srv_stop(&s);
	/* Epochs are unique per wall-clock second plus counter. */
	usleep(1100000);
	srv_setup(&s, &c, NULL);
	second = cli_epoch(&c);
	ck_assert_uint_ne(second, first);
	ck_assert_uint_gt(second, first);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

/* A reply tells the floor clock as of the moment it is made: on a quiet
 * floor at --speed 600 the server sleeps up to a second between
 * heartbeats, and a clock as of its last wake-up would be up to ten floor
 * minutes old.  A heartbeat (sent right after the clock catches up) is the
 * reference. */
START_TEST(test_reply_clock_is_current)
{
	static const int delays[] = { 350, 600, 850 };
	const double speed = 600;
	const char *args[] = { "--scenario", quiet_scenario, "--speed", "600", NULL };
	struct srv s;
	struct cli c;
	struct proto_event ev;
	int64_t hb_wall = 0, hb_ts = 0;

	testlib_srv_prepare(&s);
	testlib_srv_spawn(&s, args);
	setenv("ITEST_REQ", s.requests, 1);
	cli_open(&c, &s);
	cli_wait_up(&c);
	for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
		struct proto_reply rp;
		struct proto_snapshot *snap;
		int64_t sent, got, expect;

		/* a fresh heartbeat: drain what is queued, then wait for one */
		while (cli_event(&c, &ev, 0) == 0)
			;
		do
			ck_assert_int_eq(cli_event(&c, &ev, 2000), 0);
		while (ev.type != PROTO_EV_HB);
		hb_wall = testlib_mono_ms();
		hb_ts = ev.ts;
		usleep((useconds_t)delays[i] * 1000);
		sent = testlib_mono_ms();
		snap = cli_snapshot(&c, &rp);
		got = testlib_mono_ms();
		expect = hb_ts + (int64_t)((double)((sent + got) / 2 - hb_wall) * speed);
		ck_assert_msg(llabs(snap->ts - expect) <= (int64_t)(speed * 200),
		              "snapshot ts %lld is %lld floor ms off (%d ms after a heartbeat)",
		              (long long)snap->ts, (long long)(snap->ts - expect), delays[i]);
		proto_reply_free(&rp);
	}
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

/* A flood of costly requests (history replies of 20 000 rows, sent
 * without waiting for replies) must not silence the heartbeat: three
 * seconds without one and every client on the floor resyncs. */
/* Under ASan and UBSan each big reply costs a few times more: fewer of
 * them still make a flood of seconds, and a beat may come later. */
#ifdef POOLTOP_SANITIZED
#define HB_FLOOD_GAP_MS 3000
#define HB_FLOOD_N 30
#else
#define HB_FLOOD_GAP_MS 1500
#define HB_FLOOD_N 100
#endif

START_TEST(test_heartbeat_under_flood)
{
	enum { N = HB_FLOOD_N, TENANTS = 20, SHIFTS = 1000 };
	const char *args[] = { "--scenario", quiet_scenario, "--speed", "1", NULL };
	struct srv s;
	struct cli c;
	struct proto_event ev;
	struct proto_buf b;
	struct proto_request rq;
	struct store *st;
	struct proto_stats_row *rows = calloc(TENANTS, sizeof *rows);
	char err[256];
	int64_t last_hb, max_gap = 0, start;
	uint32_t replies = 0, hbs = 0;

	/* closed shifts of a bigger floor, as an earlier run left them */
	testlib_srv_prepare(&s);
	ck_assert_msg(store_open(&st, s.state, err, sizeof err) == 0, "%s", err);
	for (uint32_t sh = 0; sh < SHIFTS; sh++) {
		for (uint32_t t = 0; t < TENANTS; t++) {
			snprintf(rows[t].tenant, sizeof rows[t].tenant, "t%u", t);
			snprintf(rows[t].shift, sizeof rows[t].shift, "All");
			rows[t].start_ts = 1700000000000LL + (int64_t)sh * 86400000LL;
			rows[t].end_ts = rows[t].start_ts + 86400000LL;
			rows[t].offered = sh + t;
			rows[t].n_intervals = PROTO_INTERVALS_MAX;
			for (uint32_t k = 0; k < PROTO_INTERVALS_MAX; k++)
				rows[t].intervals[k] = k;
		}
		ck_assert_int_eq(store_history_add(st, rows, TENANTS), 0);
	}
	store_close(st);
	free(rows);

	testlib_srv_spawn(&s, args);
	setenv("ITEST_REQ", s.requests, 1);
	cli_open(&c, &s);
	cli_wait_up(&c);
	while (cli_event(&c, &ev, 0) == 0)
		;
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = SHIFTS;
	proto_buf_init(&b);
	for (int i = 0; i < N; i++) {
		snprintf(rq.id, sizeof rq.id, "flood-%d", i);
		proto_buf_reset(&b);
		ck_assert_int_eq(proto_encode_request(&b, &rq), 0);
		ck_assert_int_eq(zmq_send(c.req, b.data, b.len, 0), (int)b.len);
	}
	proto_buf_free(&b);
	start = last_hb = testlib_mono_ms();
	while (replies < N && testlib_mono_ms() - start < 60000) {
		zmq_pollitem_t it[2] = { { c.req, 0, ZMQ_POLLIN, 0 }, { c.sub, 0, ZMQ_POLLIN, 0 } };

		ck_assert_int_ge(zmq_poll(it, 2, 1000), 0);
		if (it[0].revents & ZMQ_POLLIN) {
			zmq_msg_t m;
			zmq_msg_init(&m);
			zmq_msg_recv(&m, c.req, 0);
			/* a refusal would be cheap and prove nothing */
			ck_assert_uint_gt(zmq_msg_size(&m), 1000000);
			zmq_msg_close(&m);
			replies++;
		}
		if ((it[1].revents & ZMQ_POLLIN) && cli_event(&c, &ev, 0) == 0 && ev.type == PROTO_EV_HB) {
			int64_t now = testlib_mono_ms();
			if (now - last_hb > max_gap)
				max_gap = now - last_hb;
			last_hb = now;
			hbs++;
		}
	}
	ck_assert_uint_eq(replies, N);
	/* the flood lasted long enough to need heartbeats */
	ck_assert_msg(hbs >= 2, "%u heartbeats in %lld ms", hbs, (long long)(last_hb - start));
	/* A server that answered the whole flood before its next heartbeat
	 * would go silent for all of it (seconds); one that interleaves goes
	 * at most one reply's work past a beat.  ASan and UBSan make that work
	 * a few times slower, so the sanitized build gets more room. */
	ck_assert_msg(max_gap <= HB_FLOOD_GAP_MS, "no heartbeat for %lld ms during a request flood",
	              (long long)max_gap);
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

static void
exec_sql(const char *dir, const char *sql)
{
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/pooltop.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void
publish_shift(struct server *sv, const char *name, int64_t start)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_SHIFT_STARTED;
	ev.ts = start;
	proto_strlcpy(ev.shift, name, PROTO_ID_MAX);
	ev.start_ts = start;
	ev.end_ts = start + 12 * 3600000LL;
	server_publish(sv, &ev);
}

/* A closed shift the store refuses is not lost: its rows stay on the
 * floor and are recorded with the next close. */
START_TEST(test_history_kept_when_store_fails)
{
	const int64_t t0 = 1700000000000LL, half = 12 * 3600000LL;
	struct server sv;
	struct proto_stats_row *rows;
	uint32_t n;
	char dir[] = "/tmp/pooltop-keep-XXXXXX", err[256], cmd[64];

	memset(&sv, 0, sizeof sv);
	sv.opt.quiet = true;
	proto_buf_init(&sv.out);
	floor_init(&sv.floor);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_msg(store_open(&sv.store, dir, err, sizeof err) == 0, "%s", err);
	for (uint32_t i = 0; i < 3; i++) {
		struct proto_tenant t;
		memset(&t, 0, sizeof t);
		snprintf(t.id, sizeof t.id, "t%u", i);
		ck_assert_int_ge(floor_add_tenant(&sv.floor, &t), 0);
	}
	publish_shift(&sv, "A", t0);
	/* The store refuses (as a full disk would) when B starts: A's rows stay. */
	exec_sql(dir, "CREATE TRIGGER refuse BEFORE INSERT ON history "
	              "BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
	publish_shift(&sv, "B", t0 + half);
	ck_assert_uint_eq(sv.floor.n_history, 3);
	ck_assert_int_eq(store_history_query(sv.store, 10, NULL, &rows, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(rows);
	/* It recovers: the next close records both shifts. */
	exec_sql(dir, "DROP TRIGGER refuse;");
	publish_shift(&sv, "A", t0 + 2 * half);
	ck_assert_uint_eq(sv.floor.n_history, 0);
	ck_assert_int_eq(store_history_query(sv.store, 10, NULL, &rows, &n), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(rows[0].shift, "A");
	ck_assert_int_eq(rows[0].start_ts, t0);
	ck_assert_str_eq(rows[3].shift, "B");
	ck_assert_int_eq(rows[3].start_ts, t0 + half);
	free(rows);
	store_close(sv.store);
	floor_free(&sv.floor);
	proto_buf_free(&sv.out);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* request_handle on a server that is only a floor and a store: the reply
 * to one history request. */
static void
history_call(struct server *sv, uint32_t shifts, const char *tenant, struct proto_reply *rp)
{
	struct proto_request rq;
	struct proto_buf in, out;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	snprintf(rq.id, sizeof rq.id, "h-%u", shifts);
	rq.shifts = shifts;
	snprintf(rq.tenant, sizeof rq.tenant, "%s", tenant);
	proto_buf_init(&in);
	proto_buf_init(&out);
	ck_assert_int_eq(proto_encode_request(&in, &rq), 0);
	request_handle(sv, in.data, in.len, &out);
	ck_assert_int_eq(proto_decode_reply(out.data, out.len, PROTO_OP_HISTORY, rp), PROTO_OK);
	proto_buf_free(&in);
	proto_buf_free(&out);
}

/* A history reply can never carry more rows than a receiver accepts: a
 * request that would is refused, and says what may be asked instead. */
START_TEST(test_history_rows_limit)
{
	struct server sv;
	struct proto_reply rp;
	char dir[] = "/tmp/pooltop-hist-XXXXXX", err[256], cmd[64];
	uint32_t n_tenants = 150;

	memset(&sv, 0, sizeof sv);
	sv.opt.quiet = true;
	floor_init(&sv.floor);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_msg(store_open(&sv.store, dir, err, sizeof err) == 0, "%s", err);
	for (uint32_t i = 0; i < n_tenants; i++) {
		struct proto_tenant t;
		memset(&t, 0, sizeof t);
		snprintf(t.id, sizeof t.id, "t%u", i);
		snprintf(t.name, sizeof t.name, "T %u", i);
		ck_assert_int_ge(floor_add_tenant(&sv.floor, &t), 0);
	}
	/* 667 shifts of 150 tenants: 100 050 rows */
	history_call(&sv, PROTO_ROWS_MAX / n_tenants + 1, "", &rp);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_BAD_REQUEST);
	ck_assert_msg(strstr(rp.msg, "100000") != NULL, "no maximum in: %s", rp.msg);
	ck_assert_msg(strstr(rp.msg, "666") != NULL, "no shift count to use in: %s", rp.msg);
	proto_reply_free(&rp);
	/* the most that fits is served */
	history_call(&sv, PROTO_ROWS_MAX / n_tenants, "", &rp);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	/* one tenant: a row per shift */
	history_call(&sv, 1000, "t7", &rp);
	ck_assert_msg(rp.ok, "%s", rp.msg);
	proto_reply_free(&rp);
	store_close(sv.store);
	floor_free(&sv.floor);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Run pooltopd with args; its exit status and stderr. */
static int
run_pooltopd(const char *args, char *err, size_t errlen)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof cmd, "%s/pooltopd %s 2>&1 >/dev/null", testlib_bindir(), args);
	p = popen(cmd, "r");
	n = fread(err, 1, errlen - 1, p);
	err[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_bad_command_lines)
{
	char err[2048], args[1024], bad[256];
	struct srv s;
	struct cli c;
	FILE *f;

	ck_assert_int_eq(run_pooltopd("--speed fast", err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "--speed"));
	ck_assert_int_eq(run_pooltopd("--start 25:00", err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "--start"));
	ck_assert_int_eq(run_pooltopd("--duration forever", err, sizeof err), 2);
	ck_assert_int_eq(run_pooltopd("--frobnicate", err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));
	ck_assert_int_eq(run_pooltopd("--help", err, sizeof err), 0);
	ck_assert_int_eq(run_pooltopd("--version", err, sizeof err), 0);
	ck_assert_int_eq(run_pooltopd("--scenario /nonexistent/x.ini", err, sizeof err), 1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.ini"));

	snprintf(bad, sizeof bad, "/tmp/pooltop-bad-%d.ini", (int)getpid());
	f = fopen(bad, "w");
	fputs("[floor]\nname = x\n\n[shift A]\nstart = 00:00\nend = 12:00\n\n[tenant t]\nmodel = sideways\n", f);
	fclose(f);
	snprintf(args, sizeof args, "--scenario %s --state /tmp", bad);
	ck_assert_int_eq(run_pooltopd(args, err, sizeof err), 1);
	ck_assert_msg(strstr(err, ":9:") != NULL, "no line number in: %s", err);
	unlink(bad);

	/* An endpoint already in use. */
	srv_setup(&s, &c, NULL);
	snprintf(args, sizeof args, "--scenario %s --events %s --requests tcp://127.0.0.1:%d --state %s",
	         itest_scenario, s.events, testlib_free_port(), s.state);
	ck_assert_int_eq(run_pooltopd(args, err, sizeof err), 1);
	ck_assert_ptr_nonnull(strstr(err, s.events));
	cli_close(&c);
	testlib_srv_stop(&s);
}
END_TEST

/* SIGINT and SIGTERM: a clean stop, status 0, said in the log. */
START_TEST(test_signals_stop_cleanly)
{
	static const int sigs[] = { SIGINT, SIGTERM };

	for (int i = 0; i < 2; i++) {
		struct srv s;
		struct cli c;
		char log[4096];
		FILE *f;
		size_t n;
		int st;

		srv_setup(&s, &c, NULL);
		kill(s.pid, sigs[i]);
		ck_assert_int_eq(waitpid(s.pid, &st, 0), s.pid);
		s.pid = -1;
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "signal %d: status %d", sigs[i], st);
		f = fopen(s.log, "r");
		ck_assert_ptr_nonnull(f);
		n = fread(log, 1, sizeof log - 1, f);
		log[n] = '\0';
		fclose(f);
		ck_assert_ptr_nonnull(strstr(log, "shutting down"));
		ck_assert_ptr_nonnull(strstr(log, "stopped:"));
		cli_close(&c);
		testlib_srv_stop(&s);
	}
}
END_TEST

/* The seqs a request's events carry are handed out by the server: the
 * reservation names them before they exist, the events get exactly
 * those, and a reservation that another event overtook publishes
 * nothing rather than a seq the reply did not promise. */
START_TEST(test_reserved_seqs)
{
	struct server sv;
	struct server_seqs r;
	struct proto_event ev;

	memset(&sv, 0, sizeof sv);
	sv.opt.quiet = true;
	sv.epoch = 7;
	proto_buf_init(&sv.out);
	floor_init(&sv.floor);
	testlib_tenant(&sv.floor, "t0", PROTO_MODEL_SHARED);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_CONTACT_QUEUED;
	ev.ts = 1700000000000LL;
	proto_strlcpy(ev.tenant, "t0", PROTO_ID_MAX);

	ev.contact = 1;
	server_publish(&sv, &ev);
	r = server_reserve_seq(&sv, 2);
	ck_assert_uint_eq(r.epoch, 7);
	ck_assert_uint_eq(r.first, 2);
	ck_assert_uint_eq(r.last, 3);
	ev.contact = 2;
	ck_assert_int_eq(server_publish_reserved(&sv, &r, &ev), 0);
	ck_assert_uint_eq(ev.seq, 2);
	ev.contact = 3;
	ck_assert_int_eq(server_publish_reserved(&sv, &r, &ev), 0);
	ck_assert_uint_eq(ev.seq, 3);
	/* used up */
	ev.contact = 4;
	ck_assert_int_eq(server_publish_reserved(&sv, &r, &ev), -1);
	ck_assert_uint_eq(sv.seq, 3);
	/* nothing to publish: last is the current seq */
	r = server_reserve_seq(&sv, 0);
	ck_assert_uint_eq(r.last, 3);
	/* overtaken by another event: refused, nothing published */
	r = server_reserve_seq(&sv, 1);
	ev.contact = 5;
	server_publish(&sv, &ev);
	ck_assert_uint_eq(sv.seq, 4);
	ev.contact = 6;
	ck_assert_int_eq(server_publish_reserved(&sv, &r, &ev), -1);
	ck_assert_uint_eq(sv.seq, 4);
	ck_assert_uint_eq(sv.floor.tenants[0].cur.offered, 4);
	floor_free(&sv.floor);
	proto_buf_free(&sv.out);
}
END_TEST

static Suite *
server_suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("e2e"), *th;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_feed_continuity);
	tcase_add_test(tc, test_snapshot_plus_feed_is_next_snapshot);
	tcase_add_test(tc, test_move_idempotent_and_refusals);
	tcase_add_test(tc, test_move_from_conflict);
	tcase_add_test(tc, test_move_untrained);
	tcase_add_test(tc, test_loan_returns_across_restart);
	tcase_add_test(tc, test_junk_frames);
	tcase_add_test(tc, test_reply_clock_is_current);
	tcase_add_test(tc, test_bad_command_lines);
	tcase_add_test(tc, test_signals_stop_cleanly);
	tcase_add_test(tc, test_reserved_seqs);
	suite_add_tcase(s, tc);
	/* The stored history: a case of its own, so that `make check` can run
	 * it beside the other (CK_RUN_CASE). */
	th = tcase_create("history");
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_history_survives_restart);
	tcase_add_test(th, test_epoch_unique_with_fresh_state);
	tcase_add_test(th, test_history_rows_limit);
	tcase_add_test(th, test_history_kept_when_store_fails);
	tcase_add_test(th, test_heartbeat_under_flood);
	suite_add_tcase(s, th);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	snprintf(itest_scenario, sizeof itest_scenario, "%s/tests/data/scenarios/itest.ini", TEST_SRCDIR);
	snprintf(quiet_scenario, sizeof quiet_scenario, "%s/tests/data/scenarios/quiet.ini", TEST_SRCDIR);
	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(server_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
