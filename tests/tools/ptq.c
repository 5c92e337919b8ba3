/*
 * ptq: one request to pooltopd, its answer as plain lines, for shell
 * tests that must check the server's truth rather than a screen.
 *
 *   ptq REQUESTS_EP ping             -> "EPOCH SEQ"
 *   ptq REQUESTS_EP snapshot-agents  -> "ID POOL STATE" per agent
 *   ptq REQUESTS_EP audit            -> "AGENT FROM TO BY REASON" per record
 *   ptq REQUESTS_EP source           -> "NAME VALUE" per ACD source counter
 *   ptq REQUESTS_EP move AGENT POOL REASON [ID] -> "SEQ" (waits up to 15 s)
 *
 * Exit 0 on an ok reply, 1 on a refusal, a bad reply or no answer in
 * 3 s, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/proto.h"

#define PTQ_TIMEOUT_MS 3000

static int
ptq_usage(void)
{
	fprintf(stderr, "usage: ptq REQUESTS_EP ping|source|snapshot-agents|audit\n");
	return 2;
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
	} else {
		const struct proto_snapshot *s = rp->snapshot;
		for (uint32_t i = 0; s && i < s->n_agents; i++)
			printf("%s %s %s\n", s->agents[i].id, s->agents[i].pool,
			       proto_agent_state_name(s->agents[i].state));
	}
}

/* Send rq, wait for its reply; 0, or 1 with a message on stderr. */
static int
ptq_call(void *sock, struct proto_request *rq, struct proto_reply *rp)
{
	zmq_pollitem_t it = { sock, 0, ZMQ_POLLIN, 0 };
	struct proto_buf b;
	zmq_msg_t m;
	int rc;

	proto_buf_init(&b);
	if (proto_encode_request(&b, rq) != 0 || zmq_send(sock, b.data, b.len, 0) < 0) {
		proto_buf_free(&b);
		fprintf(stderr, "ptq: cannot send: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	proto_buf_free(&b);
	/* a move on a PBX waits for the PBX (which has 10 s to answer) */
	if (zmq_poll(&it, 1, rq->op == PROTO_OP_MOVE ? 15000 : PTQ_TIMEOUT_MS) <= 0) {
		fprintf(stderr, "ptq: no answer in time\n");
		return 1;
	}
	zmq_msg_init(&m);
	zmq_msg_recv(&m, sock, 0);
	rc = proto_decode_reply(zmq_msg_data(&m), zmq_msg_size(&m), rq->op, rp);
	zmq_msg_close(&m);
	if (rc != PROTO_OK) {
		fprintf(stderr, "ptq: the reply did not decode: %s\n", proto_strerror(rc));
		return 1;
	}
	if (strcmp(rp->id, rq->id) != 0) {
		fprintf(stderr, "ptq: a reply to '%s', not to '%s'\n", rp->id, rq->id);
		return 1;
	}
	if (!rp->ok) {
		fprintf(stderr, "ptq: refused (%s): %s\n", proto_reply_err_name(rp->err), rp->msg);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct proto_request rq;
	struct proto_reply rp;
	void *ctx, *sock;
	int linger = 0, rc;

	static char agent[1][PROTO_ID_MAX + 1];

	if (argc < 3)
		return ptq_usage();
	memset(&rq, 0, sizeof rq);
	memset(&rp, 0, sizeof rp);
	snprintf(rq.id, sizeof rq.id, "ptq-%d", (int)getpid());
	if (strcmp(argv[2], "move") == 0) {
		if (argc != 6 && argc != 7)
			return ptq_usage();
		rq.op = PROTO_OP_MOVE;
		proto_strlcpy(agent[0], argv[3], PROTO_ID_MAX);
		rq.agents = agent;
		rq.n_agents = 1;
		proto_strlcpy(rq.to, argv[4], PROTO_ID_MAX);
		proto_strlcpy(rq.reason, argv[5], PROTO_TEXT_MAX);
		proto_strlcpy(rq.by, "ptq", PROTO_ID_MAX);
		if (argc == 7)
			proto_strlcpy(rq.id, argv[6], PROTO_REQID_MAX);
	} else if (argc != 3) {
		return ptq_usage();
	} else if (strcmp(argv[2], "ping") == 0 || strcmp(argv[2], "source") == 0)
		rq.op = PROTO_OP_PING;
	else if (strcmp(argv[2], "snapshot-agents") == 0)
		rq.op = PROTO_OP_SNAPSHOT;
	else if (strcmp(argv[2], "audit") == 0)
		rq.op = PROTO_OP_AUDIT;
	else
		return ptq_usage();

	ctx = zmq_ctx_new();
	sock = zmq_socket(ctx, ZMQ_DEALER);
	/* Linger 0: a server that never answered must not hold up the exit. */
	zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
	if (zmq_connect(sock, argv[1]) != 0) {
		fprintf(stderr, "ptq: cannot connect to %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
		rc = 1;
	} else {
		rc = ptq_call(sock, &rq, &rp);
		if (rc == 0)
			ptq_print(&rp, argv[2]);
	}
	proto_reply_free(&rp);
	zmq_close(sock);
	zmq_ctx_term(ctx);
	return rc;
}
