/*
 * The move controller.  A change to the floor goes out as a request and
 * comes back as events; until then its agents read "pending".  The reply
 * alone is never called a confirmation: a server may acknowledge a move
 * whose agent.moved this dashboard never sees (a resync folds it into a
 * snapshot, or nothing needed moving), and the manager is told which.
 */
#include <stdlib.h>
#include <string.h>

#include "pooltop/movectl.h"

bool
movectl_refuse_readonly(struct app *a)
{
	if (!a->opt.readonly)
		return false;
	msg_show(&a->msg, true, "read-only dashboard (--readonly): moves are disabled, nothing was sent");
	return true;
}

enum movectl_outcome
movectl_outcome(const struct move_pending *p, uint32_t *seen, uint32_t *due)
{
	*seen = *due = 0;
	for (uint32_t i = 0; i < p->spec.n; i++) {
		if (strcmp(p->spec.from[i], p->spec.to) == 0)
			continue;
		(*due)++;
		*seen += p->moved[i];
	}
	if (*due == 0)
		return MOVECTL_NOTHING;
	return *seen == *due ? MOVECTL_CONFIRMED : MOVECTL_UNSEEN;
}

/* A move is done: say what is known about it. */
static void
movectl_done(struct app *a, const struct move_pending *p)
{
	const struct move_spec *s = &p->spec;
	uint32_t seen, due;

	switch (movectl_outcome(p, &seen, &due)) {
	case MOVECTL_CONFIRMED:
		msg_show(&a->msg, false, "moved %u agent%s to %s (confirmed in %lld ms)", due,
		         due == 1 ? "" : "s", s->to, (long long)a->moves.last_latency_ms);
		break;
	case MOVECTL_NOTHING:
		msg_show(&a->msg, false, "nothing moved: %s %s already in %s", s->n == 1 ? "the agent" : "the agents",
		         s->n == 1 ? "is" : "are", s->to);
		break;
	case MOVECTL_UNSEEN:
		msg_show(&a->msg, true, "acknowledged by the server, but the feed showed %u of %u agent.moved "
		         "to %s: check the Agents and Audit views", seen, due, s->to);
		break;
	}
	/* Our own move just settled: the manager is looking for it. */
	a->paint_now = true;
}

static void
movectl_on_reply(struct app *a, uint64_t tag, const struct proto_reply *rp, bool answered)
{
	struct move_pending *p = move_book_find_tag(&a->moves, tag);
	struct move_spec spec;
	bool is_undo;

	if (p == NULL)
		return;
	spec = p->spec;
	is_undo = p->is_undo;
	a->dirty = true;
	if (!answered) {
		move_book_unknown(p, conn_mono_ms());
		msg_show(&a->msg, true, "no answer from the server: the move to %s may or may not happen; "
		         "nothing more is sent, and the Audit view will show it if it does", spec.to);
		return;
	}
	if (rp->ok) {
		struct move_pending copy;

		/* A replayed reply names its own epoch; an old server's none. */
		move_book_ack(p, rp->epoch ? rp->epoch : a->conn.floor.epoch, rp->seq);
		copy = *p;
		if (move_book_reply(&a->moves, p, true, conn_mono_ms())) {
			copy.status = MOVE_ACKED;
			movectl_done(a, &copy);
			return;
		}
		msg_show(&a->msg, false, "acknowledged: %u agent%s to %s; awaiting agent.moved in the feed",
		         spec.n, spec.n == 1 ? "" : "s", spec.to);
		movectl_settle(a);
		return;
	}
	move_book_reply(&a->moves, p, false, conn_mono_ms());
	a->paint_now = true;
	/* A guarded undo refused: someone else moved those agents since,
	 * and going back would overwrite their move. */
	if (rp->err == PROTO_RE_CONFLICT && is_undo && spec.guard[0]) {
		bool dropped = move_book_drop_undo(&a->moves, spec.undo_entry);
		msg_show(&a->msg, true, "undo refused: %s%s", rp->msg,
		         dropped ? "; that move is dropped from the undo list" : "");
		return;
	}
	if (rp->err == PROTO_RE_CONTRACT_MIN && !spec.force && !modal_open(&a->modal)) {
		modal_open_force(&a->modal, &spec, is_undo, rp->msg);
		return;
	}
	msg_show(&a->msg, true, "refused (%s): %s", proto_reply_err_name(rp->err), rp->msg);
}

static void
movectl_send_one(struct app *a, const struct move_spec *spec, bool is_undo)
{
	struct move_pending *p = move_book_send(&a->moves, spec, is_undo, conn_mono_ms());
	struct proto_request rq;

	if (p == NULL) {
		msg_show(&a->msg, true, "too many moves in flight; wait for the server");
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_MOVE;
	rq.n_agents = spec->n;
	rq.agents = calloc(spec->n ? spec->n : 1, sizeof *rq.agents);
	if (rq.agents == NULL) {
		p->used = false;
		return;
	}
	for (uint32_t i = 0; i < spec->n; i++)
		proto_strlcpy(rq.agents[i], spec->agents[i], PROTO_ID_MAX);
	proto_strlcpy(rq.to, spec->to, PROTO_ID_MAX);
	proto_strlcpy(rq.reason, spec->reason, PROTO_TEXT_MAX);
	proto_strlcpy(rq.by, a->opt.user, PROTO_ID_MAX);
	rq.force = spec->force;
	proto_strlcpy(rq.from, spec->guard, PROTO_ID_MAX);
	if (request_send(a, &rq, movectl_on_reply, p->tag) < 0) {
		p->used = false;
		msg_show(&a->msg, true, "the move could not be sent (too many requests in flight)");
	} else {
		proto_strlcpy(p->req, rq.id, PROTO_REQID_MAX);
		msg_show(&a->msg, false, "sent: %u agent%s to %s, waiting for the server", spec->n,
		         spec->n == 1 ? "" : "s", spec->to);
	}
	free(rq.agents);
}

void
movectl_send(struct app *a, const struct move_spec *specs, uint32_t n, bool is_undo)
{
	/* An undo's entry is retired when the undo lands (move_book), so a
	 * cancelled or refused undo stays available. */
	for (uint32_t i = 0; i < n; i++)
		movectl_send_one(a, &specs[i], is_undo);
}

bool
movectl_prune(struct app *a, const struct proto_event *ev)
{
	struct move_dropped d;
	uint32_t n = move_book_prune(&a->moves, &a->conn.floor, &d);
	char more[48] = "";

	if (n == 0)
		return false;
	if (n > 1)
		snprintf(more, sizeof more, " (and %u more)", n - 1);
	/* Short enough for one line of an 80-column screen. */
	if (ev != NULL && strcmp(ev->agent, d.agent) == 0)
		msg_show(&a->msg, true, "%s moved %s on from %s to %s: undo leaves it out%s%s", ev->by,
		         d.agent, d.was, d.now, more, d.entry_gone ? " (move dropped from undo)" : "");
	else
		msg_show(&a->msg, true, "%s is in %s now, not %s: undo leaves it out%s%s", d.agent,
		         d.now[0] ? d.now : "no pool", d.was, more,
		         d.entry_gone ? " (move dropped from undo)" : "");
	a->dirty = true;
	return true;
}

void
movectl_on_event(struct app *a, const struct proto_event *ev)
{
	struct move_pending *p = move_book_event(&a->moves, ev, conn_mono_ms());

	if (p != NULL)
		movectl_done(a, p);
	else if (ev->type == PROTO_EV_AGENT_MOVED)
		movectl_prune(a, ev);
}

void
movectl_settle(struct app *a)
{
	struct move_pending last;

	if (!a->conn.have_floor)
		return;
	if (move_book_settle(&a->moves, a->conn.floor.epoch, a->conn.floor.seq, conn_mono_ms(), &last) > 0)
		movectl_done(a, &last);
}
