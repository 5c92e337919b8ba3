/*
 * gen_corpus: writes the seed corpus of tests/fuzz/corpus: one valid frame
 * of every event type, request op and reply kind, made by the real
 * encoder, plus a few malformed frames the decoders must refuse.  Seeds
 * give the fuzzer the shape of real traffic to mutate from.
 *
 *   gcc -std=c11 -Iinclude -D_POSIX_C_SOURCE=200809L tests/fuzz/gen_corpus.c \
 *       proto/mpread.c proto/proto.c \
 *       proto/encode.c proto/decode.c -lmsgpackc \
 *       -o /tmp/gen_corpus && /tmp/gen_corpus tests/fuzz/corpus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/proto.h"

static int
gen_write(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.bin", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static int
gen_buf(const char *dir, const char *name, struct proto_buf *b)
{
	int rc = gen_write(dir, name, b->data, b->len);

	proto_buf_reset(b);
	return rc;
}

static void
gen_event(enum proto_event_type t, struct proto_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->type = t;
	ev->epoch = 1732406400;
	ev->seq = 1041;
	ev->ts = 1732431600123LL;
	strcpy(ev->tenant, "acme");
	strcpy(ev->agent, "a017");
	ev->contact = 90211;
	ev->channel = PROTO_CH_CHAT;
	ev->wait_ms = 14250;
	ev->talk_ms = 182000;
	ev->wrap_ms = 31000;
	ev->state = PROTO_AS_BUSY;
	strcpy(ev->from, "shared");
	strcpy(ev->to, "ded-acme");
	strcpy(ev->by, "kim");
	strcpy(ev->req, "pt-4f1c-0007");
	strcpy(ev->reason, "Acme queue over 40 s, Zo\xc3\xab covers");
	strcpy(ev->shift, "Late");
	ev->start_ts = 1732456800000LL;
	ev->end_ts = 1732485600000LL;
}

static int
gen_events(const char *dir, struct proto_buf *b)
{
	int rc = 0;

	for (int t = 0; t < PROTO_EV__COUNT; t++) {
		struct proto_event ev;
		char name[64];

		gen_event((enum proto_event_type)t, &ev);
		if (t == PROTO_EV_HB)
			ev.seq = 1040;
		if (proto_encode_event(b, &ev) != PROTO_OK)
			return -1;
		snprintf(name, sizeof name, "ev-%s", proto_event_type_name((enum proto_event_type)t));
		rc |= gen_buf(dir, name, b);
	}
	return rc;
}

static int
gen_requests(const char *dir, struct proto_buf *b)
{
	static char agents[3][PROTO_ID_MAX + 1] = { "a017", "a018", "a102" };
	struct proto_request rq;
	int rc = 0;

	for (int op = 0; op < PROTO_OP__COUNT; op++) {
		char name[64];

		memset(&rq, 0, sizeof rq);
		rq.op = (enum proto_op)op;
		snprintf(rq.id, sizeof rq.id, "pt-4f1c-%04d", op + 1);
		if (op == PROTO_OP_MOVE) {
			rq.n_agents = 3;
			rq.agents = agents;
			strcpy(rq.to, "ded-acme");
			strcpy(rq.reason, "lunch peak");
			strcpy(rq.by, "kim");
			rq.force = true;
		} else if (op == PROTO_OP_HISTORY) {
			rq.shifts = 3;
			strcpy(rq.tenant, "acme");
		} else if (op == PROTO_OP_AUDIT) {
			rq.limit = 50;
		}
		if (proto_encode_request(b, &rq) != PROTO_OK)
			return -1;
		snprintf(name, sizeof name, "rq-%s", proto_op_name((enum proto_op)op));
		rc |= gen_buf(dir, name, b);
	}
	return rc;
}

static void
gen_row(struct proto_stats_row *r, const char *tenant)
{
	memset(r, 0, sizeof *r);
	strcpy(r->tenant, tenant);
	strcpy(r->shift, "Early");
	r->start_ts = 1732428000000LL;
	r->end_ts = 1732456800000LL;
	r->offered = 412;
	r->answered = 380;
	r->answered_in_sl = 301;
	r->abandoned = 32;
	r->abandoned_short = 9;
	r->wait_ms = 6120000;
	r->talk_ms = 69000000;
	r->wrap_ms = 11400000;
	r->dedicated_staffed_ms = 115200000;
	r->shared_handle_ms = 2200000;
	r->cost = 812.5;
	r->handled = 377;
	r->n_intervals = 4;
	for (uint32_t i = 0; i < r->n_intervals; i++)
		r->intervals[i] = 10 + i * 3;
}

static int
gen_snapshot(const char *dir, struct proto_buf *b)
{
	static char serves[2][PROTO_ID_MAX + 1] = { "acme", "globex" };
	struct proto_shift_def shifts[3] = {
		{ "Early", "06:00", "14:00" }, { "Late", "14:00", "22:00" }, { "Night", "22:00", "06:00" },
	};
	struct proto_tenant tenants[2];
	struct proto_pool pools[2];
	struct proto_agent agents[2];
	struct proto_queued waiting[2] = {
		{ 90212, 1732431590000LL, PROTO_CH_VOICE }, { 90215, 1732431599000LL, PROTO_CH_EMAIL },
	};
	struct proto_queue queues[2];
	struct proto_stats_row stats[2];
	struct proto_snapshot s;
	struct proto_reply rp;

	memset(tenants, 0, sizeof tenants);
	strcpy(tenants[0].id, "acme");
	strcpy(tenants[0].name, "Acme Insurance");
	tenants[0].model = PROTO_MODEL_HYBRID;
	tenants[0].sl_pct = 80;
	tenants[0].sl_sec = 20;
	tenants[0].dedicated_rate = 31.5;
	tenants[0].shared_rate = 44;
	tenants[0].min_dedicated = 3;
	tenants[0].overflow_sec = 30;
	strcpy(tenants[0].open, "08:00");
	strcpy(tenants[0].close, "18:00");
	strcpy(tenants[1].id, "globex");
	strcpy(tenants[1].name, "Globex M\xc3\xbcnchen");
	tenants[1].model = PROTO_MODEL_SHARED;
	tenants[1].sl_pct = 70;
	tenants[1].sl_sec = 30;
	tenants[1].shared_rate = 44;

	memset(pools, 0, sizeof pools);
	strcpy(pools[0].id, "shared");
	pools[0].kind = PROTO_POOL_SHARED;
	pools[0].n_serves = 2;
	pools[0].serves = serves;
	strcpy(pools[1].id, "ded-acme");
	pools[1].kind = PROTO_POOL_DEDICATED;
	strcpy(pools[1].tenant, "acme");
	pools[1].n_serves = 1;
	pools[1].serves = serves;

	memset(agents, 0, sizeof agents);
	strcpy(agents[0].id, "a017");
	strcpy(agents[0].name, "Zo\xc3\xab Martin");
	strcpy(agents[0].pool, "ded-acme");
	agents[0].state = PROTO_AS_BUSY;
	strcpy(agents[0].tenant, "acme");
	agents[0].since_ts = 1732431500000LL;
	agents[0].handled = 14;
	agents[0].contact = 90211;
	strcpy(agents[0].handling_pool, "shared");
	agents[0].acc_ts = 1732428000000LL;
	strcpy(agents[1].id, "a018");
	strcpy(agents[1].name, "Raj Patel");
	strcpy(agents[1].pool, "shared");
	agents[1].state = PROTO_AS_IDLE;
	agents[1].since_ts = 1732431580000LL;
	agents[1].handled = 9;

	memset(queues, 0, sizeof queues);
	strcpy(queues[0].tenant, "acme");
	queues[0].waiting = 2;
	queues[0].oldest_ts = waiting[0].ts;
	queues[0].n_contacts = 2;
	queues[0].contacts = waiting;
	strcpy(queues[1].tenant, "globex");

	gen_row(&stats[0], "acme");
	gen_row(&stats[1], "globex");

	memset(&s, 0, sizeof s);
	s.epoch = 1732406400;
	s.seq = 1041;
	s.ts = 1732431600123LL;
	strcpy(s.shift_name, "Early");
	s.shift_start_ts = 1732428000000LL;
	s.shift_end_ts = 1732456800000LL;
	s.n_shifts = 3;
	s.shifts = shifts;
	s.n_tenants = 2;
	s.tenants = tenants;
	s.n_pools = 2;
	s.pools = pools;
	s.n_agents = 2;
	s.agents = agents;
	s.n_queues = 2;
	s.queues = queues;
	s.n_stats = 2;
	s.stats = stats;

	memset(&rp, 0, sizeof rp);
	strcpy(rp.id, "pt-4f1c-0002");
	rp.ok = true;
	rp.op = PROTO_OP_SNAPSHOT;
	rp.snapshot = &s;
	if (proto_encode_reply(b, &rp) != PROTO_OK)
		return -1;
	return gen_buf(dir, "rp-snapshot", b);
}

static int
gen_replies(const char *dir, struct proto_buf *b)
{
	struct proto_stats_row rows[2];
	struct proto_audit_row moves[1];
	struct proto_reply rp;
	int rc = 0;

	memset(&rp, 0, sizeof rp);
	strcpy(rp.id, "pt-4f1c-0001");
	rp.ok = true;
	rp.op = PROTO_OP_PING;
	rp.epoch = 1732406400;
	rp.seq = 1041;
	rc |= proto_encode_reply(b, &rp) | gen_buf(dir, "rp-ping", b);

	rp.op = PROTO_OP_MOVE;
	strcpy(rp.id, "pt-4f1c-0003");
	rc |= proto_encode_reply(b, &rp) | gen_buf(dir, "rp-move", b);

	rp.ok = false;
	rp.err = PROTO_RE_CONTRACT_MIN;
	strcpy(rp.msg, "acme would drop to 2 dedicated agents, below its contract minimum of 3");
	rc |= proto_encode_reply(b, &rp) | gen_buf(dir, "rp-move-error", b);

	/* what a server older than the audit op says to it */
	rp.err = PROTO_RE_UNKNOWN_OP;
	strcpy(rp.msg, "unknown op");
	rc |= proto_encode_reply(b, &rp) | gen_buf(dir, "rp-audit-unknown-op", b);

	memset(&rp, 0, sizeof rp);
	strcpy(rp.id, "pt-4f1c-0004");
	rp.ok = true;
	rp.op = PROTO_OP_HISTORY;
	gen_row(&rows[0], "acme");
	gen_row(&rows[1], "globex");
	rp.n_rows = 2;
	rp.rows = rows;
	rc |= proto_encode_reply(b, &rp) | gen_buf(dir, "rp-history", b);

	memset(&rp, 0, sizeof rp);
	strcpy(rp.id, "pt-4f1c-0005");
	rp.ok = true;
	rp.op = PROTO_OP_AUDIT;
	memset(moves, 0, sizeof moves);
	moves[0].ts = 1732431600123LL;
	strcpy(moves[0].by, "kim");
	strcpy(moves[0].req, "pt-4f1c-0003");
	strcpy(moves[0].agent, "a017");
	strcpy(moves[0].from, "shared");
	strcpy(moves[0].to, "ded-acme");
	strcpy(moves[0].reason, "lunch peak");
	moves[0].forced = true;
	moves[0].seq = 1041;
	moves[0].epoch = 1732406400;
	rp.n_audit = 1;
	rp.audit = moves;
	rc |= proto_encode_reply(b, &rp) | gen_buf(dir, "rp-audit", b);
	return rc | gen_snapshot(dir, b);
}

/* Frames every decoder must refuse, each for one reason. */
static int
gen_malformed(const char *dir, struct proto_buf *b)
{
	static const uint8_t invalid[] = { 0xc1 };
	static const uint8_t huge_array[] = { 0xdd, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t huge_map[] = { 0xdf, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t v2[] = { 0x83, 0xa1, 'v', 0x02, 0xa2, 'i', 'd', 0xa1, 'x',
	                              0xa2, 'o', 'p', 0xa4, 'p', 'i', 'n', 'g' };
	static const uint8_t unknown_op[] = { 0x83, 0xa1, 'v', 0x01, 0xa2, 'o', 'p', 0xa3, 'f', 'l', 'y',
	                                      0xa2, 'i', 'd', 0xa1, 'x' };
	uint8_t bomb[64] = { 0x86, 0xa1, 'v', 0x01, 0xa4, 't', 'y', 'p', 'e', 0xa2, 'h', 'b',
	                     0xa5, 'e', 'p', 'o', 'c', 'h', 0x01, 0xa3, 's', 'e', 'q', 0x01,
	                     0xa2, 't', 's', 0x01, 0xa1, 'x' };
	uint8_t trail[PROTO_EVENT_BYTES_MAX + 1];
	size_t n = 30;
	struct proto_event ev;
	int rc = 0;

	while (n < sizeof bomb - 1)
		bomb[n++] = 0x91;
	bomb[n++] = 0xc0;
	rc |= gen_write(dir, "bad-invalid", invalid, sizeof invalid);
	rc |= gen_write(dir, "bad-huge-array", huge_array, sizeof huge_array);
	rc |= gen_write(dir, "bad-huge-map", huge_map, sizeof huge_map);
	rc |= gen_write(dir, "bad-v2", v2, sizeof v2);
	rc |= gen_write(dir, "bad-unknown-op", unknown_op, sizeof unknown_op);
	rc |= gen_write(dir, "bad-depth-bomb", bomb, n);

	gen_event(PROTO_EV_AGENT_MOVED, &ev);
	if (proto_encode_event(b, &ev) != PROTO_OK)
		return -1;
	rc |= gen_write(dir, "bad-truncated", b->data, b->len - 3);
	memcpy(trail, b->data, b->len);
	trail[b->len] = 0xc0;
	rc |= gen_write(dir, "bad-trailing", trail, b->len + 1);
	proto_buf_reset(b);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus";
	struct proto_buf b;
	int rc;

	proto_buf_init(&b);
	rc = gen_events(dir, &b);
	rc |= gen_requests(dir, &b);
	rc |= gen_replies(dir, &b);
	rc |= gen_malformed(dir, &b);
	proto_buf_free(&b);
	return rc ? EXIT_FAILURE : EXIT_SUCCESS;
}
