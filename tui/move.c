/*
 * Moves as the dashboard tracks them.  A move is "pending" from the
 * moment it is sent until an agent.moved event for each of its agents
 * has come through the feed (the reply says the server committed it; the
 * events are what the replica, and so the screen, is made of).
 */
#include <stdio.h>
#include <string.h>

#include "pooltop/move.h"

static int
move_fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
	snprintf(err, errlen, fmt, arg);
	return -1;
}

int
move_spec_build(const struct floor *f, const uint32_t *agents, uint32_t n, uint32_t to,
                const char *reason, struct move_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (n == 0)
		return move_fail(err, errlen, "%s", "no agents to move: tag some with space, or put the cursor on one");
	if (n > MOVE_AGENTS_MAX)
		return move_fail(err, errlen, "%s", "at most 64 agents move at once");
	if (to >= f->n_pools)
		return move_fail(err, errlen, "%s", "no such pool");
	for (uint32_t i = 0; i < n; i++) {
		if (agents[i] >= f->n_agents)
			return move_fail(err, errlen, "%s", "no such agent");
		proto_strlcpy(out->agents[i], f->agents[agents[i]].def.id, PROTO_ID_MAX);
		proto_strlcpy(out->from[i], f->agents[agents[i]].def.pool, PROTO_ID_MAX);
	}
	/* Refused before y: a move that moves nobody is not "done". */
	for (uint32_t i = 0; i < n && f->agents[agents[i]].pool == (int)to; i++) {
		if (i + 1 < n)
			continue;
		if (n == 1)
			snprintf(err, errlen, "%s is already in %s: nothing to move", out->agents[0],
			         f->pools[to].def.id);
		else
			snprintf(err, errlen, "all %u agents are already in %s: nothing to move", n,
			         f->pools[to].def.id);
		return -1;
	}
	out->n = n;
	proto_strlcpy(out->to, f->pools[to].def.id, PROTO_ID_MAX);
	proto_strlcpy(out->reason, reason ? reason : "", PROTO_TEXT_MAX);
	return 0;
}

int
move_parse(const struct floor *f, char **words, int n, const uint32_t *tagged, uint32_t n_tagged,
           struct move_spec *out, char *err, size_t errlen)
{
	uint32_t agents[MOVE_AGENTS_MAX], k = 0;
	char reason[PROTO_TEXT_MAX + 1] = "";
	int i = 0, pool;

	while (i < n) {
		int a = floor_agent_find(f, words[i]);
		if (a < 0)
			break;
		if (k == MOVE_AGENTS_MAX)
			return move_fail(err, errlen, "%s", "at most 64 agents move at once");
		agents[k++] = (uint32_t)a;
		i++;
	}
	if (i == n)
		return move_fail(err, errlen, "%s", "usage: :move AGENT... POOL [reason]");
	pool = floor_pool_find(f, words[i]);
	if (pool < 0)
		return move_fail(err, errlen, "'%s' is neither an agent nor a pool on this floor", words[i]);
	if (k == 0) {
		/* ":move POOL reason" moves the tagged agents. */
		for (uint32_t t = 0; t < n_tagged && k < MOVE_AGENTS_MAX; t++)
			agents[k++] = tagged[t];
		if (k == 0)
			return move_fail(err, errlen, "%s", "no agents named and none tagged");
	}
	for (int w = i + 1; w < n; w++) {
		size_t len = strlen(reason);
		snprintf(reason + len, sizeof reason - len, "%s%s", len ? " " : "", words[w]);
	}
	return move_spec_build(f, agents, k, (uint32_t)pool, reason, out, err, errlen);
}

/* ------------------------------------------------------------ pending */

struct move_pending *
move_book_send(struct move_book *b, const struct move_spec *spec, bool is_undo, int64_t now_ms)
{
	for (int i = 0; i < MOVE_PENDING_MAX; i++) {
		struct move_pending *p = &b->pending[i];

		if (p->used)
			continue;
		memset(p, 0, sizeof *p);
		p->used = true;
		p->tag = ++b->next_tag;
		p->status = MOVE_SENT;
		p->spec = *spec;
		p->is_undo = is_undo;
		p->undo_of = spec->undo_entry ? spec->undo_entry : b->n_undo;
		p->sent_ms = now_ms;
		/* An agent already where it is going gets no event. */
		for (uint32_t a = 0; a < spec->n; a++)
			p->seen[a] = strcmp(spec->from[a], spec->to) == 0;
		return p;
	}
	return NULL;
}

struct move_pending *
move_book_find_tag(struct move_book *b, uint64_t tag)
{
	for (int i = 0; i < MOVE_PENDING_MAX; i++)
		if (b->pending[i].used && b->pending[i].tag == tag)
			return &b->pending[i];
	return NULL;
}

/* Is the agent in a move of this dashboard still in the book (only those
 * of its agents whose event has not come, with unseen_only)? */
static bool
move_book_holds(const struct move_book *b, const char *agent, bool unseen_only)
{
	for (int i = 0; i < MOVE_PENDING_MAX; i++) {
		const struct move_pending *p = &b->pending[i];
		if (!p->used)
			continue;
		for (uint32_t a = 0; a < p->spec.n; a++)
			if (!(unseen_only && p->seen[a]) && strcmp(p->spec.agents[a], agent) == 0)
				return true;
	}
	return false;
}

bool
move_book_is_pending(const struct move_book *b, const char *agent)
{
	return move_book_holds(b, agent, true);
}

static bool
move_book_complete(const struct move_pending *p)
{
	for (uint32_t a = 0; a < p->spec.n; a++)
		if (!p->seen[a])
			return false;
	return true;
}

/* Done: remember what really moved for undo, or, for an undo, retire
 * the entry it undid (only now: a refused undo stays available). */
static void
move_book_finish(struct move_book *b, struct move_pending *p, int64_t now_ms)
{
	struct move_spec done = p->spec;

	b->last_latency_ms = now_ms - p->sent_ms;
	done.n = 0;
	for (uint32_t a = 0; a < p->spec.n; a++) {
		if (!p->moved[a])
			continue;
		proto_strlcpy(done.agents[done.n], p->spec.agents[a], PROTO_ID_MAX);
		proto_strlcpy(done.from[done.n], p->spec.from[a], PROTO_ID_MAX);
		done.n++;
	}
	if (p->is_undo) {
		/* Its own entry, wherever it is now: an older undo may land
		 * before a newer one. */
		move_book_drop_undo(b, p->undo_of);
	} else if (done.n > 0) {
		move_book_push_undo(b, &done);
	}
	p->used = false;
}

void
move_book_ack(struct move_pending *p, uint64_t epoch, uint64_t seq)
{
	p->epoch = epoch;
	p->seq = seq;
}

void
move_book_unknown(struct move_pending *p, int64_t now_ms)
{
	p->status = MOVE_UNKNOWN;
	p->unknown_ms = now_ms;
}

uint32_t
move_book_settle(struct move_book *b, uint64_t epoch, uint64_t seq, int64_t now_ms,
                 struct move_pending *last)
{
	uint32_t n = 0;

	for (int i = 0; i < MOVE_PENDING_MAX; i++) {
		struct move_pending *p = &b->pending[i];

		if (!p->used)
			continue;
		if (p->status == MOVE_UNKNOWN && now_ms - p->unknown_ms >= MOVE_UNKNOWN_MS) {
			p->used = false;
			continue;
		}
		if (p->status != MOVE_ACKED || p->epoch == 0)
			continue;
		if (epoch != p->epoch || seq >= p->seq) {
			if (last)
				*last = *p;
			move_book_finish(b, p, now_ms);
			n++;
		}
	}
	return n;
}

bool
move_book_reply(struct move_book *b, struct move_pending *p, bool ok, int64_t now_ms)
{
	if (!ok) {
		p->used = false;
		return false;
	}
	p->status = MOVE_ACKED;
	if (move_book_complete(p)) {
		move_book_finish(b, p, now_ms);
		return true;
	}
	return false;
}

struct move_pending *
move_book_event(struct move_book *b, const struct proto_event *ev, int64_t now_ms)
{
	if (ev->type != PROTO_EV_AGENT_MOVED)
		return NULL;
	for (int i = 0; i < MOVE_PENDING_MAX; i++) {
		struct move_pending *p = &b->pending[i];

		if (!p->used || p->req[0] == '\0' || strcmp(p->req, ev->req) != 0)
			continue;
		for (uint32_t a = 0; a < p->spec.n; a++)
			if (strcmp(p->spec.agents[a], ev->agent) == 0)
				p->seen[a] = p->moved[a] = true;
		/* Events may beat the reply; it completes once both are in.
		 * An unanswered move whose events all came has happened. */
		if ((p->status == MOVE_ACKED || p->status == MOVE_UNKNOWN) && move_book_complete(p)) {
			move_book_finish(b, p, now_ms);
			return p;
		}
		return NULL;
	}
	return NULL;
}

/* ------------------------------------------------------------ undo */

static void
move_book_remove_entry(struct move_book *b, uint32_t e)
{
	memmove(&b->undo[e], &b->undo[e + 1], (b->n_undo - e - 1) * sizeof b->undo[0]);
	b->n_undo--;
	/* Undos in flight name their entry by position. */
	for (int i = 0; i < MOVE_PENDING_MAX; i++) {
		struct move_pending *p = &b->pending[i];

		if (!p->used || !p->is_undo)
			continue;
		if (p->undo_of == e + 1)
			p->undo_of = 0;
		else if (p->undo_of > e + 1)
			p->undo_of--;
	}
}

void
move_book_push_undo(struct move_book *b, const struct move_spec *done)
{
	if (b->n_undo == MOVE_UNDO_MAX)
		move_book_remove_entry(b, 0);   /* the oldest; undos in flight keep theirs */
	b->undo[b->n_undo++].spec = *done;
}

/* Is the undo of entry (index + 1) on its way to the server? */
static bool
move_book_undo_in_flight(const struct move_book *b, uint32_t entry)
{
	for (int i = 0; i < MOVE_PENDING_MAX; i++)
		if (b->pending[i].used && b->pending[i].is_undo && b->pending[i].undo_of == entry)
			return true;
	return false;
}

uint32_t
move_book_peek_undo(const struct move_book *b, struct move_spec *out, uint32_t max)
{
	const struct move_spec *m;
	uint32_t n = 0, e = b->n_undo;

	while (e > 0 && move_book_undo_in_flight(b, e))
		e--;
	if (e == 0)
		return 0;
	m = &b->undo[e - 1].spec;
	/* One reverse move per pool the agents came from. */
	for (uint32_t a = 0; a < m->n; a++) {
		uint32_t k;

		if (strcmp(m->from[a], m->to) == 0)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(out[k].to, m->from[a]) == 0)
				break;
		if (k == n) {
			if (n == max)
				continue;
			memset(&out[n], 0, sizeof out[n]);
			proto_strlcpy(out[n].to, m->from[a], PROTO_ID_MAX);
			/* Only from where this dashboard put them: never over
			 * someone else's later move. */
			proto_strlcpy(out[n].guard, m->to, PROTO_ID_MAX);
			out[n].undo_entry = e;
			snprintf(out[n].reason, sizeof out[n].reason, "undo: ");
			/* Cut on a character boundary, not a byte. */
			proto_strlcpy(out[n].reason + 6, m->reason, PROTO_TEXT_MAX - 6);
			n++;
		}
		proto_strlcpy(out[k].agents[out[k].n], m->agents[a], PROTO_ID_MAX);
		proto_strlcpy(out[k].from[out[k].n], m->to, PROTO_ID_MAX);
		out[k].n++;
	}
	return n;
}


/* ------------------------------------------------------------ prune */

/* Where the agent should be for entry e's undo to apply: where a newer
 * entry of this dashboard took it from, or else where it is now. */
static const char *
move_book_expected(const struct move_book *b, const struct floor *f, uint32_t e, const char *agent)
{
	int ai;

	for (uint32_t k = e + 1; k < b->n_undo; k++) {
		const struct move_spec *m = &b->undo[k].spec;
		for (uint32_t a = 0; a < m->n; a++)
			if (strcmp(m->agents[a], agent) == 0)
				return m->from[a];
	}
	ai = floor_agent_find(f, agent);
	return ai < 0 ? "" : f->agents[ai].def.pool;
}

uint32_t
move_book_prune(struct move_book *b, const struct floor *f, struct move_dropped *first)
{
	uint32_t dropped = 0;

	/* Newest first: an older entry's expectation reads the newer ones as
	 * they stand after pruning. */
	for (uint32_t e = b->n_undo; e-- > 0;) {
		struct move_spec *m = &b->undo[e].spec;
		uint32_t keep = 0, before = dropped;

		for (uint32_t a = 0; a < m->n; a++) {
			const char *now = move_book_expected(b, f, e, m->agents[a]);

			if (strcmp(now, m->to) == 0 || move_book_holds(b, m->agents[a], false)) {
				if (keep != a) {
					memcpy(m->agents[keep], m->agents[a], sizeof m->agents[0]);
					memcpy(m->from[keep], m->from[a], sizeof m->from[0]);
				}
				keep++;
				continue;
			}
			if (dropped++ == 0 && first) {
				memset(first, 0, sizeof *first);
				proto_strlcpy(first->agent, m->agents[a], PROTO_ID_MAX);
				proto_strlcpy(first->was, m->to, PROTO_ID_MAX);
				proto_strlcpy(first->now, now, PROTO_ID_MAX);
			}
		}
		m->n = keep;
		if (keep == 0 && dropped > before) {
			if (first && before == 0)
				first->entry_gone = true;
			move_book_remove_entry(b, e);
		}
	}
	return dropped;
}

bool
move_book_drop_undo(struct move_book *b, uint32_t entry)
{
	if (entry == 0 || entry > b->n_undo)
		return false;
	move_book_remove_entry(b, entry - 1);
	return true;
}
