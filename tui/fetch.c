/* The history and audit requests, their replies, and the audit rows the
 * feed adds. */
#include <stdlib.h>
#include <string.h>

#include "pooltop/fetch.h"

/* Keep an audit row unless the list has it (by epoch and seq). */
static void
fetch_audit_add(struct app_audit *au, const struct proto_audit_row *r)
{
	for (uint32_t i = 0; i < au->n; i++)
		if (au->rows[i].epoch == r->epoch && au->rows[i].seq == r->seq)
			return;
	/* Bounded, for a dashboard left running for weeks: the oldest go
	 * (the server keeps them all). */
	if (au->n == APP_AUDIT_MAX) {
		memmove(au->rows, au->rows + 1, (au->n - 1) * sizeof *au->rows);
		au->n--;
	}
	if (au->n == au->cap) {
		uint32_t cap = au->cap ? au->cap * 2 : 64;
		struct proto_audit_row *rows = realloc(au->rows, cap * sizeof *rows);
		if (rows == NULL)
			return;
		au->rows = rows;
		au->cap = cap;
	}
	au->rows[au->n++] = *r;
	au->gen++;
}

void
fetch_audit_event(struct app *a, const struct proto_event *ev)
{
	struct proto_audit_row r;

	memset(&r, 0, sizeof r);
	r.ts = ev->ts;
	r.epoch = ev->epoch;
	r.seq = ev->seq;
	proto_strlcpy(r.by, ev->by, PROTO_ID_MAX);
	proto_strlcpy(r.req, ev->req, PROTO_REQID_MAX);
	proto_strlcpy(r.agent, ev->agent, PROTO_ID_MAX);
	proto_strlcpy(r.from, ev->from, PROTO_ID_MAX);
	proto_strlcpy(r.to, ev->to, PROTO_ID_MAX);
	proto_strlcpy(r.reason, ev->reason, PROTO_TEXT_MAX);
	r.forced = ev->forced;
	fetch_audit_add(&a->audit, &r);
}

static void
fetch_on_history(struct app *a, uint64_t arg, const struct proto_reply *rp, bool answered)
{
	(void)arg;
	a->hist.asked = false;
	if (!answered || !rp->ok) {
		a->hist.stale = true;
		return;
	}
	free(a->hist.rows);
	a->hist.rows = NULL;
	a->hist.n = 0;
	if (rp->n_rows > 0 && (a->hist.rows = calloc(rp->n_rows, sizeof *a->hist.rows)) != NULL) {
		memcpy(a->hist.rows, rp->rows, rp->n_rows * sizeof *rp->rows);
		a->hist.n = rp->n_rows;
	}
	a->hist.gen++;
	a->dirty = true;
}

void
fetch_history(struct app *a)
{
	struct proto_request rq;

	if (a->hist.asked || !a->conn.have_floor || a->conn.state != CONN_LIVE)
		return;
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_HISTORY;
	rq.shifts = 8;
	if (request_send(a, &rq, fetch_on_history, 0) == 0) {
		a->hist.asked = true;
		a->hist.stale = false;
	}
}

static void
fetch_on_audit(struct app *a, uint64_t arg, const struct proto_reply *rp, bool answered)
{
	(void)arg;
	if (!answered || !rp->ok) {
		a->audit.asked = false;
		return;
	}
	for (uint32_t i = 0; i < rp->n_audit; i++)
		fetch_audit_add(&a->audit, &rp->audit[i]);
	a->dirty = true;
}

void
fetch_audit(struct app *a)
{
	struct proto_request rq;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_AUDIT;
	rq.limit = 1000;
	if (request_send(a, &rq, fetch_on_audit, 0) == 0)
		a->audit.asked = true;
}

void
fetch_free(struct app *a)
{
	free(a->audit.rows);
	free(a->hist.rows);
	a->audit.rows = NULL;
	a->hist.rows = NULL;
}
