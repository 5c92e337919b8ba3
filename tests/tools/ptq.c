/*
 * ptq: one request to pooltopd, its answer as plain lines, for shell
 * tests that must check the server's truth rather than a screen.
 *
 *   ptq REQUESTS_EP ping             -> "EPOCH SEQ"
 *   ptq REQUESTS_EP snapshot-agents  -> "ID POOL STATE HOME" per agent
 *   ptq REQUESTS_EP snapshot-tenants -> "ID MODEL SL_PCT SL_SEC MIN OPEN CLOSE" per tenant
 *   ptq REQUESTS_EP snapshot-pools   -> "ID KIND TENANT SERVES TRAINED" per pool
 *                                       (lists comma-joined, "-" for none)
 *   ptq REQUESTS_EP snapshot-queues  -> "TENANT VOICE CHAT EMAIL" waiting per channel
 *   ptq REQUESTS_EP snapshot-sl      -> "TENANT MARKS": each quarter hour of the
 *                                       shift so far, o met, x missed, - nothing
 *   ptq REQUESTS_EP audit            -> "AGENT FROM TO BY REASON" per record
 *   ptq REQUESTS_EP source           -> "NAME VALUE" per ACD source counter
 *   ptq REQUESTS_EP move AGENT POOL BY [FROM]  -> "SEQ" (another manager's move)
 *   ptq REQUESTS_EP move-why AGENT POOL REASON -> "SEQ" (waits up to 15 s: a PBX)
 *
 * Exit 0 on an ok reply, 1 on a refusal, a bad reply or no answer in
 * 3 s (15 s for a move), 2 on bad usage.  One send, no retry: a test asks once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/call.h"
#include "pooltop/proto.h"
#include "pooltop/stats.h"

#define PTQ_TIMEOUT_MS 3000
#define PTQ_MOVE_TIMEOUT_MS 15000

static int
ptq_usage(void)
{
	fprintf(stderr, "usage: ptq REQUESTS_EP ping|source|audit|snapshot-agents|snapshot-tenants|\n"
	                "                   snapshot-pools|snapshot-queues|snapshot-sl\n"
	                "       ptq REQUESTS_EP move AGENT POOL BY [FROM]\n"
	                "       ptq REQUESTS_EP move-why AGENT POOL REASON\n");
	return 2;
}

static const char *
ptq_or_dash(const char *s)
{
	return s[0] ? s : "-";
}

static void
ptq_print_list(char (*v)[PROTO_ID_MAX + 1], uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		printf("%s%s", i ? "," : " ", v[i]);
	if (n == 0)
		printf(" -");
}

/* Each quarter hour's service level against the target, by the formula
 * of PROTOCOL.md §10 (stats_compute) on that quarter hour's counters. */
static void
ptq_print_sl(const struct proto_snapshot *s)
{
	for (uint32_t i = 0; s->stats_sl != NULL && i < s->n_stats; i++) {
		double pct = 0;

		for (uint32_t t = 0; t < s->n_tenants; t++)
			if (strcmp(s->tenants[t].id, s->stats[i].tenant) == 0)
				pct = s->tenants[t].sl_pct;
		printf("%s ", s->stats[i].tenant);
		for (uint32_t k = 0; k < s->stats_sl[i].n && k < PROTO_INTERVALS_MAX; k++) {
			const struct proto_sl_interval *iv = &s->stats_sl[i].iv[k];
			struct proto_stats_row r;
			struct proto_tenant none;
			struct stats st;

			memset(&r, 0, sizeof r);
			memset(&none, 0, sizeof none);
			r.answered = iv->answered;
			r.answered_in_sl = iv->answered_in_sl;
			r.abandoned = iv->abandoned;
			r.abandoned_short = iv->abandoned_short;
			stats_compute(&r, &none, &st);
			switch (stats_sl_level(st.service_level, pct, 0.0)) {
			case STATS_OK:
				putchar('o');
				break;
			case STATS_NONE:
				putchar('-');
				break;
			default:
				putchar('x');
			}
		}
		putchar('\n');
	}
}

static void
ptq_print_snapshot(const struct proto_snapshot *s, const char *what)
{
	if (strcmp(what, "snapshot-tenants") == 0) {
		for (uint32_t i = 0; i < s->n_tenants; i++) {
			const struct proto_tenant *t = &s->tenants[i];
			printf("%s %s %.0f %u %u %s %s\n", t->id, proto_model_name(t->model), t->sl_pct, t->sl_sec,
			       t->min_dedicated, ptq_or_dash(t->open), ptq_or_dash(t->close));
		}
	} else if (strcmp(what, "snapshot-pools") == 0) {
		for (uint32_t i = 0; i < s->n_pools; i++) {
			const struct proto_pool *p = &s->pools[i];
			printf("%s %s %s", p->id, proto_pool_kind_name(p->kind), ptq_or_dash(p->tenant));
			ptq_print_list(p->serves, p->n_serves);
			ptq_print_list(p->trained, p->n_trained);
			putchar('\n');
		}
	} else if (strcmp(what, "snapshot-queues") == 0) {
		for (uint32_t i = 0; i < s->n_queues; i++) {
			uint32_t n[PROTO_CH__COUNT] = { 0 };

			for (uint32_t c = 0; c < s->queues[i].n_contacts; c++)
				if ((unsigned)s->queues[i].contacts[c].channel < PROTO_CH__COUNT)
					n[s->queues[i].contacts[c].channel]++;
			printf("%s %u %u %u\n", s->queues[i].tenant, n[PROTO_CH_VOICE], n[PROTO_CH_CHAT],
			       n[PROTO_CH_EMAIL]);
		}
	} else if (strcmp(what, "snapshot-sl") == 0) {
		ptq_print_sl(s);
	} else {
		for (uint32_t i = 0; i < s->n_agents; i++)
			printf("%s %s %s %s\n", s->agents[i].id, s->agents[i].pool,
			       proto_agent_state_name(s->agents[i].state), ptq_or_dash(s->agents[i].home));
	}
}

static void
ptq_print(const struct proto_reply *rp, const char *what)
{
	if (strcmp(what, "move") == 0) {
		printf("%llu\n", (unsigned long long)rp->seq);
	} else if (strcmp(what, "source") == 0) {
		for (uint32_t i = 0; i < rp->n_source; i++)
			printf("%s %llu\n", rp->source[i].name, (unsigned long long)rp->source[i].value);
	} else if (strcmp(what, "ping") == 0) {
		printf("%llu %llu\n", (unsigned long long)rp->epoch, (unsigned long long)rp->seq);
	} else if (strcmp(what, "audit") == 0) {
		for (uint32_t i = 0; i < rp->n_audit; i++) {
			const struct proto_audit_row *r = &rp->audit[i];
			printf("%s %s %s %s %s\n", r->agent, r->from, r->to, r->by, r->reason);
		}
	} else if (rp->snapshot != NULL) {
		ptq_print_snapshot(rp->snapshot, what);
	}
}

/* A move of one agent; -1 out of memory. */
static int
ptq_move(struct proto_request *rq, const char *agent, const char *to, const char *by,
         const char *reason, const char *from)
{
	rq->op = PROTO_OP_MOVE;
	rq->agents = calloc(1, sizeof *rq->agents);
	if (rq->agents == NULL)
		return -1;
	rq->n_agents = 1;
	proto_strlcpy(rq->agents[0], agent, PROTO_ID_MAX);
	proto_strlcpy(rq->to, to, PROTO_ID_MAX);
	proto_strlcpy(rq->by, by, PROTO_ID_MAX);
	proto_strlcpy(rq->reason, reason, PROTO_TEXT_MAX);
	proto_strlcpy(rq->from, from, PROTO_ID_MAX);
	return 0;
}

int
main(int argc, char **argv)
{
	struct proto_request rq;
	struct proto_reply rp;
	char err[512];
	enum client_call_rc rc;

	if (argc < 3)
		return ptq_usage();
	memset(&rq, 0, sizeof rq);
	memset(&rp, 0, sizeof rp);
	if (strcmp(argv[2], "move") == 0) {
		if (argc != 6 && argc != 7)
			return ptq_usage();
		if (ptq_move(&rq, argv[3], argv[4], argv[5], "ptq", argc == 7 ? argv[6] : "") < 0)
			return 1;
	} else if (strcmp(argv[2], "move-why") == 0) {
		if (argc != 6)
			return ptq_usage();
		if (ptq_move(&rq, argv[3], argv[4], "ptq", argv[5], "") < 0)
			return 1;
	} else if (argc != 3) {
		return ptq_usage();
	} else if (strcmp(argv[2], "ping") == 0 || strcmp(argv[2], "source") == 0)
		rq.op = PROTO_OP_PING;
	else if (strncmp(argv[2], "snapshot-", 9) == 0)
		rq.op = PROTO_OP_SNAPSHOT;
	else if (strcmp(argv[2], "audit") == 0)
		rq.op = PROTO_OP_AUDIT;
	else
		return ptq_usage();
	/* a move on a PBX waits for the PBX (which has 10 s to answer) */
	rc = client_call(argv[1], &rq, &rp, rq.op == PROTO_OP_MOVE ? PTQ_MOVE_TIMEOUT_MS : PTQ_TIMEOUT_MS,
	                 1, err, sizeof err);
	if (rc == CLIENT_CALL_OK)
		ptq_print(&rp, rq.op == PROTO_OP_MOVE ? "move" : argv[2]);
	else
		fprintf(stderr, "ptq: %s\n", err);
	proto_reply_free(&rp);
	proto_request_free(&rq);
	return rc == CLIENT_CALL_OK ? 0 : 1;
}
