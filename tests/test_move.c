/*
 * move: the terminal-free half of keyboard moves — what a `:move` line
 * means on a given floor, the undo stack, and when a move in flight
 * counts as done (the ok reply AND every agent's agent.moved event).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "pooltop/modal.h"
#include "pooltop/move.h"

#include "testlib.h"

/* ---------------------------------------------------------------- fixture */

static int
add_pool(struct floor *f, const char *id, enum proto_pool_kind kind, const char *tenant)
{
	char serves[3][PROTO_ID_MAX + 1] = { "ded", "shr", "hyb" };
	struct proto_pool p;

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = kind;
	proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	if (kind == PROTO_POOL_SHARED) {
		p.n_serves = 3;
		p.serves = serves;
	}
	return floor_add_pool(f, &p);
}

/*
 * Pools: shared (0), ded-ded (1), ded-hyb (2).  Agents: d1 d2 d3 in
 * ded-ded (0-2), h1 in ded-hyb (3), s1 s2 in shared (4-5).
 */
static void
fixture(struct floor *f)
{
	floor_init(f);
	f->epoch = 3;
	testlib_tenant(f, "ded", PROTO_MODEL_DEDICATED);
	testlib_tenant(f, "shr", PROTO_MODEL_SHARED);
	testlib_tenant(f, "hyb", PROTO_MODEL_HYBRID);
	ck_assert_int_eq(add_pool(f, "shared", PROTO_POOL_SHARED, ""), 0);
	ck_assert_int_eq(add_pool(f, "ded-ded", PROTO_POOL_DEDICATED, "ded"), 1);
	ck_assert_int_eq(add_pool(f, "ded-hyb", PROTO_POOL_DEDICATED, "hyb"), 2);
	ck_assert_int_eq(testlib_agent(f, "d1", "ded-ded"), 0);
	ck_assert_int_eq(testlib_agent(f, "d2", "ded-ded"), 1);
	ck_assert_int_eq(testlib_agent(f, "d3", "ded-ded"), 2);
	ck_assert_int_eq(testlib_agent(f, "h1", "ded-hyb"), 3);
	ck_assert_int_eq(testlib_agent(f, "s1", "shared"), 4);
	ck_assert_int_eq(testlib_agent(f, "s2", "shared"), 5);
}

/* Split a line into words in place, as the command line would. */
static int
split(char *buf, char **w, int max)
{
	int n = 0;

	for (char *t = strtok(buf, " "); t && n < max; t = strtok(NULL, " "))
		w[n++] = t;
	return n;
}

static int
parse(const struct floor *f, const char *line, const uint32_t *tagged, uint32_t n_tagged,
      struct move_spec *out, char *err, size_t errlen)
{
	char buf[4096];
	char *w[200];
	int n;

	snprintf(buf, sizeof buf, "%s", line);
	n = split(buf, w, 200);
	err[0] = '\0';
	return move_parse(f, w, n, tagged, n_tagged, out, err, errlen);
}

static struct move_spec
spec_of(const char *to, const char *reason, uint32_t n, const char *const *agents,
        const char *const *from)
{
	struct move_spec s;

	memset(&s, 0, sizeof s);
	s.n = n;
	for (uint32_t i = 0; i < n; i++) {
		proto_strlcpy(s.agents[i], agents[i], PROTO_ID_MAX);
		proto_strlcpy(s.from[i], from[i], PROTO_ID_MAX);
	}
	proto_strlcpy(s.to, to, PROTO_ID_MAX);
	proto_strlcpy(s.reason, reason, PROTO_TEXT_MAX);
	return s;
}

static struct proto_event
moved(uint64_t seq, const char *agent, const char *from, const char *to, const char *req)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	ev.epoch = 3;
	ev.seq = seq;
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	proto_strlcpy(ev.from, from, PROTO_ID_MAX);
	proto_strlcpy(ev.to, to, PROTO_ID_MAX);
	proto_strlcpy(ev.by, "mgr", PROTO_ID_MAX);
	proto_strlcpy(ev.req, req, PROTO_REQID_MAX);
	return ev;
}

/* ------------------------------------------------------------ parsing */

/* What a landed undo does to the stack, for tests of the reversal: the
 * reverse specs of the newest entry, which then goes. */
static uint32_t
pop_undo(struct move_book *b, struct move_spec *out, uint32_t max)
{
	uint32_t n = move_book_peek_undo(b, out, max);

	if (b->n_undo > 0)
		b->n_undo--;
	return n;
}

START_TEST(test_parse_agents_pool_reason)
{
	struct floor f;
	struct move_spec s;
	char err[160];

	fixture(&f);
	ck_assert_int_eq(parse(&f, "d1 h1 shared lunch cover for shr", NULL, 0, &s, err, sizeof err), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.agents[0], "d1");
	ck_assert_str_eq(s.agents[1], "h1");
	/* Each agent's pool as it is now: what undo will send them back to. */
	ck_assert_str_eq(s.from[0], "ded-ded");
	ck_assert_str_eq(s.from[1], "ded-hyb");
	ck_assert_str_eq(s.to, "shared");
	ck_assert_str_eq(s.reason, "lunch cover for shr");
	ck_assert(!s.force);

	/* No reason at all is allowed (the confirmation says "none given"). */
	ck_assert_int_eq(parse(&f, "s1 ded-ded", NULL, 0, &s, err, sizeof err), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.agents[0], "s1");
	ck_assert_str_eq(s.from[0], "shared");
	ck_assert_str_eq(s.to, "ded-ded");
	ck_assert_str_eq(s.reason, "");

	/* After the pool, agent ids are just words of the reason. */
	ck_assert_int_eq(parse(&f, "d1 shared swap with d2", NULL, 0, &s, err, sizeof err), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.reason, "swap with d2");

	/* Named agents win over tagged ones. */
	{
		uint32_t tagged[] = { 4, 5 };
		ck_assert_int_eq(parse(&f, "d3 ded-hyb x", tagged, 2, &s, err, sizeof err), 0);
		ck_assert_uint_eq(s.n, 1);
		ck_assert_str_eq(s.agents[0], "d3");
	}
	floor_free(&f);
}
END_TEST

START_TEST(test_parse_tagged)
{
	struct floor f;
	struct move_spec s;
	char err[160];
	uint32_t tagged[] = { 4, 1 };   /* s1, d2 */

	fixture(&f);
	ck_assert_int_eq(parse(&f, "ded-hyb peak on hyb", tagged, 2, &s, err, sizeof err), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.agents[0], "s1");
	ck_assert_str_eq(s.from[0], "shared");
	ck_assert_str_eq(s.agents[1], "d2");
	ck_assert_str_eq(s.from[1], "ded-ded");
	ck_assert_str_eq(s.to, "ded-hyb");
	ck_assert_str_eq(s.reason, "peak on hyb");

	/* Nothing named and nothing tagged. */
	ck_assert_int_eq(parse(&f, "shared why", NULL, 0, &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "no agents named and none tagged");
	floor_free(&f);
}
END_TEST

START_TEST(test_parse_errors)
{
	struct floor f;
	struct move_spec s;
	char err[160];

	fixture(&f);
	ck_assert_int_eq(parse(&f, "d1 atlantis", NULL, 0, &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "'atlantis' is neither an agent nor a pool on this floor");
	/* A typo in an agent id is caught the same way: it is where the pool
	 * would be. */
	ck_assert_int_eq(parse(&f, "d1 d9 shared", NULL, 0, &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "'d9' is neither an agent nor a pool on this floor");

	/* Agents and no pool; nothing at all. */
	ck_assert_int_eq(parse(&f, "d1 d2", NULL, 0, &s, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "usage: :move AGENT... POOL"));
	ck_assert_int_eq(move_parse(&f, NULL, 0, NULL, 0, &s, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "usage"));

	/* The error fits a short buffer without overrunning it. */
	{
		char small[12];
		memset(small, 'Z', sizeof small);
		ck_assert_int_eq(parse(&f, "d1 atlantis", NULL, 0, &s, small, 8), -1);
		ck_assert_uint_eq(strlen(small), 7);
		ck_assert_int_eq(small[8], 'Z');
	}
	floor_free(&f);
}
END_TEST

START_TEST(test_parse_too_many)
{
	struct floor f;
	struct move_spec s;
	char err[160], line[2048] = "", id[16];
	uint32_t tagged[MOVE_AGENTS_MAX + 6];

	fixture(&f);
	for (int i = 0; i < MOVE_AGENTS_MAX + 6; i++) {
		snprintf(id, sizeof id, "x%02d", i);
		ck_assert_int_ge(testlib_agent(&f, id, "shared"), 0);
	}
	/* Exactly the limit is fine. */
	for (int i = 0; i < MOVE_AGENTS_MAX; i++)
		snprintf(line + strlen(line), sizeof line - strlen(line), "x%02d ", i);
	{
		char ok[2048];
		snprintf(ok, sizeof ok, "%sded-ded", line);
		ck_assert_int_eq(parse(&f, ok, NULL, 0, &s, err, sizeof err), 0);
		ck_assert_uint_eq(s.n, MOVE_AGENTS_MAX);
		ck_assert_str_eq(s.agents[MOVE_AGENTS_MAX - 1], "x63");
	}
	/* One more is refused, not truncated to 64. */
	snprintf(line + strlen(line), sizeof line - strlen(line), "x%02d ded-ded", MOVE_AGENTS_MAX);
	ck_assert_int_eq(parse(&f, line, NULL, 0, &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "at most 64 agents move at once");

	/* Straight from indexes (the picker's path) too. */
	for (uint32_t i = 0; i < MOVE_AGENTS_MAX + 1; i++)
		tagged[i] = i;
	ck_assert_int_eq(move_spec_build(&f, tagged, MOVE_AGENTS_MAX + 1, 1, "", &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "at most 64 agents move at once");
	floor_free(&f);
}
END_TEST

START_TEST(test_spec_build)
{
	struct floor f;
	struct move_spec s;
	char err[160];
	uint32_t ag[] = { 5, 0, 3 };   /* s2, d1, h1 */

	fixture(&f);
	ck_assert_int_eq(move_spec_build(&f, ag, 3, 1, "rebalance", &s, err, sizeof err), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_str_eq(s.agents[0], "s2");
	ck_assert_str_eq(s.from[0], "shared");
	ck_assert_str_eq(s.agents[1], "d1");
	ck_assert_str_eq(s.from[1], "ded-ded");
	ck_assert_str_eq(s.agents[2], "h1");
	ck_assert_str_eq(s.from[2], "ded-hyb");
	ck_assert_str_eq(s.to, "ded-ded");
	ck_assert_str_eq(s.reason, "rebalance");

	/* The from pools are the floor's at build time, not later. */
	{
		struct proto_event ev = moved(1, "s2", "shared", "ded-hyb", "r0");
		ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
		ck_assert_int_eq(move_spec_build(&f, ag, 1, 0, NULL, &s, err, sizeof err), 0);
		ck_assert_str_eq(s.from[0], "ded-hyb");
		ck_assert_str_eq(s.reason, "");
	}

	ck_assert_int_eq(move_spec_build(&f, ag, 0, 1, "x", &s, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no agents to move"));
	ck_assert_int_eq(move_spec_build(&f, ag, 1, 3, "x", &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "no such pool");
	{
		uint32_t ghost[] = { 0, 6 };
		ck_assert_int_eq(move_spec_build(&f, ghost, 2, 1, "x", &s, err, sizeof err), -1);
		ck_assert_str_eq(err, "no such agent");
	}
	floor_free(&f);
}
END_TEST

/* ------------------------------------------------------------ undo */

START_TEST(test_undo_reverses_by_pool)
{
	static const char *const ag[] = { "d1", "s1", "d2", "h1", "s2" };
	static const char *const from[] = { "ded-ded", "shared", "ded-ded", "ded-hyb", "shared" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("ded-hyb", "peak", 5, ag, from);
	struct move_spec out[8];

	ck_assert_uint_eq(move_book_peek_undo(b, out, 8), 0);
	ck_assert_uint_eq(pop_undo(b, out, 8), 0);

	move_book_push_undo(b, &m);
	ck_assert_uint_eq(b->n_undo, 1);
	/* h1 was already in ded-hyb: it has nowhere to go back to.  The rest
	 * go home in one request per pool, in order of first appearance. */
	ck_assert_uint_eq(move_book_peek_undo(b, out, 8), 2);
	ck_assert_uint_eq(b->n_undo, 1);        /* peek keeps it */
	ck_assert_str_eq(out[0].to, "ded-ded");
	ck_assert_uint_eq(out[0].n, 2);
	ck_assert_str_eq(out[0].agents[0], "d1");
	ck_assert_str_eq(out[0].agents[1], "d2");
	ck_assert_str_eq(out[0].from[0], "ded-hyb");
	ck_assert_str_eq(out[0].from[1], "ded-hyb");
	ck_assert_str_eq(out[0].reason, "undo: peak");
	ck_assert(!out[0].force);
	ck_assert_str_eq(out[1].to, "shared");
	ck_assert_uint_eq(out[1].n, 2);
	ck_assert_str_eq(out[1].agents[0], "s1");
	ck_assert_str_eq(out[1].agents[1], "s2");
	ck_assert_str_eq(out[1].from[0], "ded-hyb");
	ck_assert_str_eq(out[1].reason, "undo: peak");

	/* Fewer slots than pools: what fits, never an overrun. */
	memset(out, 0x5a, sizeof out);
	ck_assert_uint_eq(move_book_peek_undo(b, out, 1), 1);
	ck_assert_str_eq(out[0].to, "ded-ded");
	ck_assert_uint_eq(out[0].n, 2);
	ck_assert_int_eq((unsigned char)out[1].to[0], 0x5a);

	ck_assert_uint_eq(pop_undo(b, out, 8), 2);
	ck_assert_uint_eq(b->n_undo, 0);
	ck_assert_uint_eq(pop_undo(b, out, 8), 0);
	free(b);
}
END_TEST

START_TEST(test_undo_stack_order_and_capacity)
{
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec out[4];
	char reason[32];

	for (int i = 0; i < MOVE_UNDO_MAX + 3; i++) {
		static const char *const ag[] = { "d1" };
		static const char *const from[] = { "ded-ded" };
		struct move_spec m;

		snprintf(reason, sizeof reason, "m%d", i);
		m = spec_of("shared", reason, 1, ag, from);
		move_book_push_undo(b, &m);
		ck_assert_uint_eq(b->n_undo, i < MOVE_UNDO_MAX ? (uint32_t)i + 1 : MOVE_UNDO_MAX);
	}
	/* Newest first; the three oldest were evicted. */
	for (int i = MOVE_UNDO_MAX + 2; i >= 3; i--) {
		snprintf(reason, sizeof reason, "undo: m%d", i);
		ck_assert_uint_eq(pop_undo(b, out, 4), 1);
		ck_assert_str_eq(out[0].reason, reason);
		ck_assert_str_eq(out[0].to, "ded-ded");
	}
	ck_assert_uint_eq(b->n_undo, 0);
	ck_assert_uint_eq(pop_undo(b, out, 4), 0);
	free(b);
}
END_TEST

START_TEST(test_undo_long_reason_truncated)
{
	static const char *const ag[] = { "d1" };
	static const char *const from[] = { "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m, out[1];
	char longr[PROTO_TEXT_MAX + 1];

	memset(longr, 'r', PROTO_TEXT_MAX);
	longr[PROTO_TEXT_MAX] = '\0';
	m = spec_of("shared", longr, 1, ag, from);
	move_book_push_undo(b, &m);
	ck_assert_uint_eq(pop_undo(b, out, 1), 1);
	ck_assert_int_eq(strncmp(out[0].reason, "undo: rrr", 9), 0);
	ck_assert_uint_le(strlen(out[0].reason), PROTO_TEXT_MAX);
	free(b);
}
END_TEST

/* ------------------------------------------------------------ pending */

START_TEST(test_pending_reply_then_events)
{
	static const char *const ag[] = { "d1", "d2" };
	static const char *const from[] = { "ded-ded", "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "queue", 2, ag, from);
	struct move_pending *p = move_book_send(b, &m, false, 1000);
	struct proto_event e1 = moved(10, "d1", "ded-ded", "shared", "req-1");
	struct proto_event e2 = moved(11, "d2", "ded-ded", "shared", "req-1");

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_eq(move_book_find_tag(b, p->tag), p);
	ck_assert_int_eq(p->status, MOVE_SENT);
	proto_strlcpy(p->req, "req-1", PROTO_REQID_MAX);
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert(move_book_is_pending(b, "d2"));
	ck_assert(!move_book_is_pending(b, "d3"));

	/* The reply alone is not the confirmation. */
	ck_assert(!move_book_reply(b, p, true, 1010));
	ck_assert_int_eq(p->status, MOVE_ACKED);
	ck_assert(p->used);
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert_uint_eq(b->n_undo, 0);

	/* One event of two: d1 is through, d2 still pending. */
	ck_assert_ptr_null(move_book_event(b, &e1, 1020));
	ck_assert(!move_book_is_pending(b, "d1"));
	ck_assert(move_book_is_pending(b, "d2"));
	ck_assert(p->used);

	ck_assert_ptr_eq(move_book_event(b, &e2, 1037), p);
	ck_assert(!p->used);
	ck_assert(!move_book_is_pending(b, "d2"));
	ck_assert_ptr_null(move_book_find_tag(b, p->tag));
	ck_assert_int_eq(b->last_latency_ms, 37);
	/* Done, and so undoable. */
	ck_assert_uint_eq(b->n_undo, 1);
	ck_assert_str_eq(b->undo[0].spec.agents[1], "d2");
	free(b);
}
END_TEST

/* The reply's seq settles a move even when no event names an agent: one
 * already there gets none, and a resync folds events into a snapshot.
 * Such a move changed nothing, so there is nothing to undo. */
START_TEST(test_pending_settled_by_seq)
{
	static const char *const ag[] = { "d1" };
	static const char *const from[] = { "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "x", 1, ag, from);
	struct move_pending *p = move_book_send(b, &m, false, 0), last;

	proto_strlcpy(p->req, "r-seq", PROTO_REQID_MAX);
	move_book_ack(p, 5, 100);
	ck_assert(!move_book_reply(b, p, true, 1));
	ck_assert_uint_eq(move_book_settle(b, 5, 99, 2, &last), 0);
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert_uint_eq(move_book_settle(b, 5, 100, 3, &last), 1);
	ck_assert(!move_book_is_pending(b, "d1"));
	ck_assert_str_eq(last.spec.to, "shared");
	ck_assert_uint_eq(b->n_undo, 0);

	/* Another epoch: the server restarted; its snapshot is the truth. */
	p = move_book_send(b, &m, false, 10);
	move_book_ack(p, 5, 500);
	move_book_reply(b, p, true, 11);
	ck_assert_uint_eq(move_book_settle(b, 6, 3, 12, NULL), 1);
	ck_assert(!move_book_is_pending(b, "d1"));

	/* Not yet acknowledged: the seq of the replica says nothing. */
	p = move_book_send(b, &m, false, 20);
	ck_assert_uint_eq(move_book_settle(b, 9, 1000000, 21, NULL), 0);
	ck_assert(move_book_is_pending(b, "d1"));
	free(b);
}
END_TEST

/* No answer at all: the move may still land; its events complete it,
 * and without them it is forgotten after MOVE_UNKNOWN_MS. */
START_TEST(test_pending_unknown)
{
	static const char *const ag[] = { "d1" };
	static const char *const from[] = { "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "x", 1, ag, from);
	struct move_pending *p = move_book_send(b, &m, false, 0);
	struct proto_event ev = moved(7, "d1", "ded-ded", "shared", "r-u");

	proto_strlcpy(p->req, "r-u", PROTO_REQID_MAX);
	move_book_unknown(p, 1000);
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert_uint_eq(move_book_settle(b, 1, 50, 1000 + MOVE_UNKNOWN_MS - 1, NULL), 0);
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert_ptr_eq(move_book_event(b, &ev, 2000), p);
	ck_assert(!move_book_is_pending(b, "d1"));
	ck_assert_uint_eq(b->n_undo, 1);        /* it did move */

	p = move_book_send(b, &m, false, 3000);
	move_book_unknown(p, 3000);
	ck_assert_uint_eq(move_book_settle(b, 1, 50, 3000 + MOVE_UNKNOWN_MS, NULL), 0);
	ck_assert(!move_book_is_pending(b, "d1"));
	free(b);
}
END_TEST

/* An undo is retired only when it lands: refused, it stays available. */
START_TEST(test_undo_kept_until_it_lands)
{
	static const char *const ag[] = { "d1" };
	static const char *const from[] = { "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "x", 1, ag, from), back[2];
	struct move_pending *p = move_book_send(b, &m, false, 0);
	struct proto_event ev = moved(7, "d1", "ded-ded", "shared", "r-1");
	struct proto_event evb = moved(9, "d1", "shared", "ded-ded", "r-2");

	proto_strlcpy(p->req, "r-1", PROTO_REQID_MAX);
	move_book_reply(b, p, true, 1);
	ck_assert_ptr_eq(move_book_event(b, &ev, 2), p);
	ck_assert_uint_eq(b->n_undo, 1);
	ck_assert_uint_eq(move_book_peek_undo(b, back, 2), 1);

	/* Refused (say, contract_min): still there to undo. */
	p = move_book_send(b, &back[0], true, 10);
	move_book_reply(b, p, false, 11);
	ck_assert_uint_eq(b->n_undo, 1);

	/* Sent again, and it lands: retired. */
	p = move_book_send(b, &back[0], true, 20);
	proto_strlcpy(p->req, "r-2", PROTO_REQID_MAX);
	move_book_reply(b, p, true, 21);
	ck_assert_ptr_eq(move_book_event(b, &evb, 22), p);
	ck_assert_uint_eq(b->n_undo, 0);
	free(b);
}
END_TEST

START_TEST(test_pending_events_then_reply)
{
	static const char *const ag[] = { "s1", "s2" };
	static const char *const from[] = { "shared", "shared" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("ded-hyb", "", 2, ag, from);
	struct move_pending *p = move_book_send(b, &m, false, 500);
	struct proto_event e1 = moved(4, "s1", "shared", "ded-hyb", "q-9");
	struct proto_event e2 = moved(5, "s2", "shared", "ded-hyb", "q-9");

	proto_strlcpy(p->req, "q-9", PROTO_REQID_MAX);
	/* The feed beat the reply: events are noted, nothing completes. */
	ck_assert_ptr_null(move_book_event(b, &e2, 510));
	ck_assert_ptr_null(move_book_event(b, &e1, 511));
	ck_assert(p->used);
	ck_assert_int_eq(p->status, MOVE_SENT);
	ck_assert_uint_eq(b->n_undo, 0);
	ck_assert(!move_book_is_pending(b, "s1"));

	ck_assert(move_book_reply(b, p, true, 520));
	ck_assert(!p->used);
	ck_assert_int_eq(b->last_latency_ms, 20);
	ck_assert_uint_eq(b->n_undo, 1);
	free(b);
}
END_TEST

START_TEST(test_pending_error_and_other_req)
{
	static const char *const ag[] = { "d1" };
	static const char *const from[] = { "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "", 1, ag, from);
	struct move_pending *p = move_book_send(b, &m, false, 0), *q;
	struct proto_event other = moved(7, "d1", "ded-ded", "shared", "someone-else");
	struct proto_event mine = moved(8, "d1", "shared", "ded-ded", "mine");
	struct proto_event state;

	proto_strlcpy(p->req, "mine", PROTO_REQID_MAX);
	ck_assert(!move_book_reply(b, p, true, 5));

	/* Another dashboard moved the same agent: not our confirmation. */
	ck_assert_ptr_null(move_book_event(b, &other, 6));
	ck_assert(p->used);
	ck_assert(move_book_is_pending(b, "d1"));
	/* Nor is any other kind of event naming the agent and the req. */
	state = mine;
	state.type = PROTO_EV_AGENT_STATE;
	ck_assert_ptr_null(move_book_event(b, &state, 7));
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert_ptr_eq(move_book_event(b, &mine, 9), p);
	ck_assert_uint_eq(b->n_undo, 1);

	/* An error reply drops the move: not pending, not undoable, and its
	 * late events (there should be none) change nothing. */
	q = move_book_send(b, &m, false, 100);
	proto_strlcpy(q->req, "refused", PROTO_REQID_MAX);
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert(!move_book_reply(b, q, false, 110));
	ck_assert(!q->used);
	ck_assert(!move_book_is_pending(b, "d1"));
	ck_assert_ptr_null(move_book_find_tag(b, q->tag));
	ck_assert_uint_eq(b->n_undo, 1);
	{
		struct proto_event late = moved(12, "d1", "ded-ded", "shared", "refused");
		ck_assert_ptr_null(move_book_event(b, &late, 120));
		ck_assert_uint_eq(b->n_undo, 1);
	}

	/* A move sent but not yet given its request id matches no event,
	 * not even one with an empty req. */
	q = move_book_send(b, &m, false, 200);
	{
		struct proto_event anon = moved(13, "d1", "ded-ded", "shared", "");
		ck_assert_ptr_null(move_book_event(b, &anon, 201));
		ck_assert(move_book_is_pending(b, "d1"));
	}
	free(b);
}
END_TEST

START_TEST(test_pending_undo_not_pushed)
{
	static const char *const ag[] = { "d1" };
	static const char *const from[] = { "ded-ded" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "x", 1, ag, from), back[2];
	struct move_pending *p = move_book_send(b, &m, false, 0);
	struct proto_event ev = moved(1, "d1", "ded-ded", "shared", "r-a");

	proto_strlcpy(p->req, "r-a", PROTO_REQID_MAX);
	move_book_reply(b, p, true, 1);
	ck_assert_ptr_eq(move_book_event(b, &ev, 2), p);
	ck_assert_uint_eq(b->n_undo, 1);

	/* u: pop, send the reverse; its completion must not become a new
	 * undo entry, or u would ping-pong forever. */
	ck_assert_uint_eq(pop_undo(b, back, 2), 1);
	ck_assert_uint_eq(b->n_undo, 0);
	p = move_book_send(b, &back[0], true, 10);
	ck_assert(p->is_undo);
	proto_strlcpy(p->req, "r-b", PROTO_REQID_MAX);
	ev = moved(2, "d1", "shared", "ded-ded", "r-b");
	ck_assert_ptr_eq(move_book_event(b, &ev, 11), NULL);
	ck_assert(move_book_reply(b, p, true, 14));
	ck_assert_uint_eq(b->n_undo, 0);
	ck_assert_int_eq(b->last_latency_ms, 4);
	free(b);
}
END_TEST

START_TEST(test_pending_nothing_to_move_and_full)
{
	static const char *const ag[] = { "s1", "d1" };
	static const char *const home[] = { "shared", "shared" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "", 1, ag, home);
	struct move_pending *p = move_book_send(b, &m, false, 0);
	uint64_t tags[MOVE_PENDING_MAX];

	/* Already there: the server sends no event, so the reply completes it. */
	ck_assert(!move_book_is_pending(b, "s1"));
	ck_assert(move_book_reply(b, p, true, 3));
	ck_assert(!p->used);

	/* One of two already there: only the other one waits. */
	m = spec_of("shared", "", 2, ag, (const char *const[]){ "shared", "ded-ded" });
	p = move_book_send(b, &m, false, 0);
	ck_assert(!move_book_is_pending(b, "s1"));
	ck_assert(move_book_is_pending(b, "d1"));
	ck_assert(!move_book_reply(b, p, true, 1));
	ck_assert(p->used);
	p->used = false;

	/* The book is bounded, tags are distinct, and a freed slot is reused. */
	for (int i = 0; i < MOVE_PENDING_MAX; i++) {
		p = move_book_send(b, &m, false, i);
		ck_assert_ptr_nonnull(p);
		tags[i] = p->tag;
		for (int k = 0; k < i; k++)
			ck_assert(tags[k] != tags[i]);
	}
	ck_assert_ptr_null(move_book_send(b, &m, false, 99));
	p = move_book_find_tag(b, tags[5]);
	ck_assert_ptr_nonnull(p);
	ck_assert(!move_book_reply(b, p, false, 100));
	ck_assert_ptr_nonnull(move_book_send(b, &m, false, 101));
	free(b);
}
END_TEST

/* ------------------------------------------------------------ guards */

/* A move to where the agents already are is refused before y, and the
 * picker does not offer their own pool. */
START_TEST(test_move_to_own_pool_refused)
{
	struct floor f;
	struct move_spec s;
	struct modal m;
	struct list *l;
	char err[160];
	uint32_t d12[] = { 0, 1 }, mixed[] = { 0, 3 };

	fixture(&f);
	ck_assert_int_eq(move_spec_build(&f, d12, 1, 1, "", &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "d1 is already in ded-ded: nothing to move");
	ck_assert_int_eq(parse(&f, "d1 d2 ded-ded", NULL, 0, &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "all 2 agents are already in ded-ded: nothing to move");
	/* One of them elsewhere: a real move. */
	ck_assert_int_eq(move_spec_build(&f, mixed, 2, 1, "", &s, err, sizeof err), 0);

	memset(&m, 0, sizeof m);
	modal_open_pick(&m, d12, 2);
	l = modal_pools(&m, &f);
	ck_assert_uint_eq(l->n, 2);
	for (uint32_t i = 0; i < l->n; i++)
		ck_assert_uint_ne(modal_pick_pool(&m, l->rows[i]), 1);     /* not ded-ded */
	/* Agents from two pools: every pool is a move for someone. */
	modal_open_pick(&m, mixed, 2);
	l = modal_pools(&m, &f);
	ck_assert_uint_eq(l->n, 3);
	modal_free(&m);
	floor_free(&f);
}
END_TEST

/* Each undo is guarded by the pool this dashboard moved the agents to. */
START_TEST(test_undo_is_guarded)
{
	static const char *const ag[] = { "d1", "s1" };
	static const char *const from[] = { "ded-ded", "shared" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("ded-hyb", "peak", 2, ag, from), out[4];

	move_book_push_undo(b, &m);
	ck_assert_uint_eq(move_book_peek_undo(b, out, 4), 2);
	ck_assert_str_eq(out[0].guard, "ded-hyb");
	ck_assert_str_eq(out[1].guard, "ded-hyb");
	ck_assert_uint_eq(out[0].undo_entry, 1);
	/* A move the manager makes is not guarded. */
	ck_assert_str_eq(m.guard, "");
	free(b);
}
END_TEST

/* u while an undo travels goes one step further back, and each undo
 * retires its own entry when it lands. */
START_TEST(test_undo_goes_back_steps)
{
	static const char *const a1[] = { "d1" };
	static const char *const a2[] = { "s1" };
	static const char *const f1[] = { "ded-ded" };
	static const char *const f2[] = { "shared" };
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m1 = spec_of("ded-hyb", "one", 1, a1, f1);
	struct move_spec m2 = spec_of("ded-ded", "two", 1, a2, f2), back[2], back2[2];
	struct move_pending *p2, *p1;
	struct proto_event e2 = moved(20, "s1", "ded-ded", "shared", "u-2");
	struct proto_event e1 = moved(21, "d1", "ded-hyb", "ded-ded", "u-1");

	move_book_push_undo(b, &m1);
	move_book_push_undo(b, &m2);
	ck_assert_uint_eq(move_book_peek_undo(b, back, 2), 1);
	ck_assert_str_eq(back[0].reason, "undo: two");
	p2 = move_book_send(b, &back[0], true, 1);
	proto_strlcpy(p2->req, "u-2", PROTO_REQID_MAX);
	/* The newest undo is in flight: u offers the one before. */
	ck_assert_uint_eq(move_book_peek_undo(b, back2, 2), 1);
	ck_assert_str_eq(back2[0].reason, "undo: one");
	ck_assert_str_eq(back2[0].agents[0], "d1");
	ck_assert_str_eq(back2[0].guard, "ded-hyb");
	p1 = move_book_send(b, &back2[0], true, 2);
	proto_strlcpy(p1->req, "u-1", PROTO_REQID_MAX);
	ck_assert_uint_eq(move_book_peek_undo(b, back, 2), 0);

	/* The older lands first: its entry goes, the newer one stays. */
	move_book_reply(b, p1, true, 3);
	ck_assert_ptr_eq(move_book_event(b, &e1, 4), p1);
	ck_assert_uint_eq(b->n_undo, 1);
	ck_assert_str_eq(b->undo[0].spec.reason, "two");
	move_book_reply(b, p2, true, 5);
	ck_assert_ptr_eq(move_book_event(b, &e2, 6), p2);
	ck_assert_uint_eq(b->n_undo, 0);
	free(b);
}
END_TEST

/* Someone else moves an agent this dashboard moved: undo leaves it out,
 * and an entry with nobody left goes; this dashboard's own chain of
 * moves of one agent, and moves still in flight, are left alone. */
START_TEST(test_undo_pruned_by_other_moves)
{
	static const char *const ag[] = { "d1", "d2" };
	static const char *const from[] = { "ded-ded", "ded-ded" };
	static const char *const a3[] = { "d3" };
	static const char *const f3[] = { "ded-ded" };
	struct floor f;
	struct move_book *b = calloc(1, sizeof *b);
	struct move_spec m = spec_of("shared", "cover", 2, ag, from), out[4];
	struct move_spec m3 = spec_of("shared", "d3 out", 1, a3, f3);
	struct move_spec m3b = spec_of("ded-hyb", "d3 on", 1, a3, (const char *const[]){ "shared" });
	struct move_dropped d;
	struct proto_event ev;

	fixture(&f);
	/* This dashboard moved d1, d2 to shared, and d3 to shared then ded-hyb. */
	ev = moved(1, "d1", "ded-ded", "shared", "me-1");
	ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
	ev = moved(2, "d2", "ded-ded", "shared", "me-1");
	ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
	ev = moved(3, "d3", "ded-ded", "shared", "me-2");
	ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
	ev = moved(4, "d3", "shared", "ded-hyb", "me-3");
	ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
	move_book_push_undo(b, &m);
	move_book_push_undo(b, &m3);
	move_book_push_undo(b, &m3b);
	ck_assert_uint_eq(move_book_prune(b, &f, &d), 0);
	ck_assert_uint_eq(b->n_undo, 3);

	/* bea moves d1 on to ded-hyb. */
	ev = moved(5, "d1", "shared", "ded-hyb", "bea-1");
	ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
	ck_assert_uint_eq(move_book_prune(b, &f, &d), 1);
	ck_assert_str_eq(d.agent, "d1");
	ck_assert_str_eq(d.was, "shared");
	ck_assert_str_eq(d.now, "ded-hyb");
	ck_assert(!d.entry_gone);
	ck_assert_uint_eq(b->n_undo, 3);
	ck_assert_uint_eq(b->undo[0].spec.n, 1);
	ck_assert_str_eq(b->undo[0].spec.agents[0], "d2");

	/* A move of d2 in flight from this dashboard: not someone else's. */
	{
		static const char *const a2[] = { "d2" };
		struct move_spec back = spec_of("ded-ded", "", 1, a2, (const char *const[]){ "shared" });
		struct move_pending *p = move_book_send(b, &back, false, 10);

		ev = moved(6, "d2", "shared", "ded-ded", "me-4");
		ck_assert_int_eq(floor_apply(&f, &ev, true), FLOOR_APPLIED);
		ck_assert_uint_eq(move_book_prune(b, &f, NULL), 0);
		p->used = false;
	}
	/* ... but once it is not in flight, d2 is not where the entry put it,
	 * and the entry, now empty, goes; the others shift down. */
	ck_assert_uint_eq(move_book_prune(b, &f, &d), 1);
	ck_assert_str_eq(d.agent, "d2");
	ck_assert(d.entry_gone);
	ck_assert_uint_eq(b->n_undo, 2);
	ck_assert_str_eq(b->undo[0].spec.reason, "d3 out");
	ck_assert_uint_eq(move_book_peek_undo(b, out, 4), 1);
	ck_assert_str_eq(out[0].reason, "undo: d3 on");

	/* A refused (conflict) undo drops its entry outright. */
	ck_assert(move_book_drop_undo(b, 2));
	ck_assert_uint_eq(b->n_undo, 1);
	ck_assert(!move_book_drop_undo(b, 2));
	ck_assert(!move_book_drop_undo(b, 0));
	free(b);
	floor_free(&f);
}
END_TEST

static Suite *
move_suite(void)
{
	Suite *s = suite_create("move");
	TCase *tp = tcase_create("parse");
	TCase *tu = tcase_create("undo");
	TCase *tb = tcase_create("pending");

	tcase_add_test(tp, test_parse_agents_pool_reason);
	tcase_add_test(tp, test_parse_tagged);
	tcase_add_test(tp, test_parse_errors);
	tcase_add_test(tp, test_parse_too_many);
	tcase_add_test(tp, test_spec_build);
	tcase_add_test(tu, test_undo_reverses_by_pool);
	tcase_add_test(tu, test_undo_stack_order_and_capacity);
	tcase_add_test(tu, test_undo_long_reason_truncated);
	tcase_add_test(tb, test_pending_reply_then_events);
	tcase_add_test(tb, test_pending_settled_by_seq);
	tcase_add_test(tb, test_pending_unknown);
	tcase_add_test(tb, test_undo_kept_until_it_lands);
	tcase_add_test(tb, test_pending_events_then_reply);
	tcase_add_test(tb, test_pending_error_and_other_req);
	tcase_add_test(tb, test_pending_undo_not_pushed);
	tcase_add_test(tb, test_pending_nothing_to_move_and_full);
	tcase_add_test(tu, test_move_to_own_pool_refused);
	tcase_add_test(tu, test_undo_is_guarded);
	tcase_add_test(tu, test_undo_goes_back_steps);
	tcase_add_test(tu, test_undo_pruned_by_other_moves);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, tu);
	suite_add_tcase(s, tb);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(move_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
