/*
 * Requests to pooltopd: ping, snapshot, move, history, audit.  Nothing a
 * client sends changes state unless it is a valid move; every refusal is
 * a typed error with a sentence a person can act on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/server.h"
#include "pooltop/staffing.h"

/* As far back as the store keeps. */
#define REQUEST_HISTORY_SHIFTS_MAX STORE_HISTORY_SHIFTS_KEEP

static void
request_fail(struct proto_reply *rp, enum proto_reply_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
request_fail(struct proto_reply *rp, enum proto_reply_err err, const char *fmt, ...)
{
	va_list ap;

	rp->ok = false;
	rp->err = err;
	va_start(ap, fmt);
	vsnprintf(rp->msg, sizeof rp->msg, fmt, ap);
	va_end(ap);
}

static uint64_t
request_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* What the request asks for, so a reused id with a different body is
 * told apart from a retry. */
static uint64_t
request_digest(const struct proto_request *rq, const char *by)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned char force = rq->force;

	for (uint32_t i = 0; i < rq->n_agents; i++)
		h = request_fnv(h, rq->agents[i], strlen(rq->agents[i]) + 1);
	h = request_fnv(h, rq->to, strlen(rq->to) + 1);
	h = request_fnv(h, rq->reason, strlen(rq->reason) + 1);
	h = request_fnv(h, by, strlen(by) + 1);
	h = request_fnv(h, &force, 1);
	/* Only when given, so ids recorded before `from` existed still match. */
	if (rq->from[0])
		h = request_fnv(h, rq->from, strlen(rq->from) + 1);
	/* a loan (addition): a move without one digests as before */
	return rq->until ? request_fnv(h, &rq->until, sizeof rq->until) : h;
}

static bool
request_scoped(const struct request_who *who)
{
	return who != NULL && who->key != NULL && !who->key->all;
}

/* The epoch and seq a sender's view is numbered in: its stream's, if it
 * has one; the PUB feed's for a full view; for a scoped key without a
 * stream, seq 0 (the floor's own seq would tell it how busy other
 * tenants are). */
static void
request_position(struct server *sv, const struct request_who *who, uint64_t *epoch,
                 uint64_t *seq)
{
	struct feed *fd = who && who->rid ? feeds_find(server_feeds(sv), who->rid, who->rid_len) : NULL;

	*epoch = server_epoch_seq(sv, seq);
	if (fd != NULL) {
		*epoch = fd->epoch;
		*seq = fd->seq;
	} else if (request_scoped(who)) {
		*seq = 0;
	}
}

static void
request_ping(struct server *sv, const struct request_who *who, const struct proto_request *rq,
             struct proto_reply *rp)
{
	uint64_t seq;

	if (rq->feed && (who == NULL || who->rid == NULL ||
	                 feeds_open(server_feeds(sv), who->rid, who->rid_len, server_floor(sv), who->key,
	                            server_epoch_seq(sv, &seq)) == NULL)) {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "cannot open an event stream for this connection");
		return;
	}
	request_position(sv, who, &rp->epoch, &rp->seq);
	server_acd_status(sv, rp);
}

/* Big replies wait in libzmq until their peer reads them: past the
 * server's budget for those, a big one is refused rather than queued. */
static bool
request_replies_full(const struct server *sv, struct proto_reply *rp)
{
	uint64_t held = server_replies_held(sv);

	if (held < SERVER_REPLY_BUDGET)
		return false;
	request_fail(rp, PROTO_RE_UNAVAILABLE, "the server already holds %llu MB of replies that "
	             "clients have not read; try again in a moment",
	             (unsigned long long)(held >> 20));
	return true;
}

static void
request_snapshot(struct server *sv, const struct request_who *who, struct proto_reply *rp)
{
	struct proto_snapshot *s;
	struct scope sc;

	if (request_replies_full(sv, rp))
		return;
	s = calloc(1, sizeof *s);

	if (s == NULL || floor_to_snapshot(server_floor(sv), s) < 0) {
		free(s);
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		return;
	}
	if (request_scoped(who)) {
		if (scope_build(&sc, server_floor(sv), who->key) < 0) {
			proto_snapshot_free(s);
			free(s);
			request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
			return;
		}
		scope_snapshot(&sc, server_floor(sv), s);
		scope_free(&sc);
	}
	request_position(sv, who, &s->epoch, &s->seq);
	s->ts = server_floor_now(sv);
	rp->snapshot = s;
}

/* History and audit rows a scoped key may see; on no memory, none. */
static void
request_scope_rows(struct server *sv, const struct request_who *who, struct proto_reply *rp)
{
	struct scope sc;

	if (!request_scoped(who) || !rp->ok)
		return;
	if (scope_build(&sc, server_floor(sv), who->key) < 0) {
		proto_sl_rows_free(rp->rows_sl, rp->n_rows);
		rp->rows_sl = NULL;
		rp->n_rows = 0;
		rp->n_audit = 0;
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		return;
	}
	rp->n_rows = scope_history_sl(&sc, server_floor(sv), rp->rows, rp->rows_sl, rp->n_rows);
	rp->n_audit = scope_audit(&sc, server_floor(sv), rp->audit, rp->n_audit);
	scope_free(&sc);
}

static void
request_history(struct server *sv, const struct request_who *who, const struct proto_request *rq,
                struct proto_reply *rp)
{
	const struct floor *f = server_floor(sv);
	uint32_t per_shift;

	if (request_replies_full(sv, rp))
		return;
	/* Out of scope and absent read the same, so nobody learns which
	 * tenants the floor has by asking. */
	if (request_scoped(who) && rq->tenant[0] && !keystore_in_scope(who->key, rq->tenant)) {
		server_forbidden(sv);
		request_fail(rp, PROTO_RE_FORBIDDEN, "the tenant asked for is outside your key's scope");
		return;
	}
	if (rq->shifts > REQUEST_HISTORY_SHIFTS_MAX) {
		request_fail(rp, PROTO_RE_BAD_REQUEST, "history goes back at most %d shifts, not %u",
		             REQUEST_HISTORY_SHIFTS_MAX, rq->shifts);
		return;
	}
	if (rq->tenant[0] && floor_tenant_find(f, rq->tenant) < 0) {
		request_fail(rp, PROTO_RE_NOT_FOUND, "there is no tenant '%s'", rq->tenant);
		return;
	}
	/* A reply over the row limit would be refused by every receiver, so
	 * say so now rather than send what nobody can read. */
	per_shift = rq->tenant[0] ? 1 : (f->n_tenants ? f->n_tenants : 1);
	if ((uint64_t)rq->shifts * per_shift > PROTO_ROWS_MAX) {
		request_fail(rp, PROTO_RE_BAD_REQUEST,
		             "a history reply holds at most %d rows: %u shifts of %u tenants is too many; "
		             "ask for at most %u shifts, or for one tenant",
		             PROTO_ROWS_MAX, rq->shifts, per_shift, PROTO_ROWS_MAX / per_shift);
		return;
	}
	if (store_history_query_sl(server_store(sv), rq->shifts, rq->tenant[0] ? rq->tenant : NULL,
	                           &rp->rows, &rp->rows_sl, &rp->n_rows) < 0) {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "history cannot be read: %s",
		             store_errmsg(server_store(sv)));
		return;
	}
	/* Closed shifts may hold rows of tenants the floor no longer has. */
	if (rp->n_rows > PROTO_ROWS_MAX) {
		request_fail(rp, PROTO_RE_BAD_REQUEST,
		             "a history reply holds at most %d rows and %u shifts have %u; "
		             "ask for fewer shifts, or for one tenant", PROTO_ROWS_MAX, rq->shifts,
		             rp->n_rows);
		free(rp->rows);
		proto_sl_rows_free(rp->rows_sl, rp->n_rows);
		rp->rows = NULL;
		rp->rows_sl = NULL;
		rp->n_rows = 0;
	}
	request_scope_rows(sv, who, rp);
}

static void
request_audit(struct server *sv, const struct request_who *who, const struct proto_request *rq,
              struct proto_reply *rp)
{
	struct store *st = server_store(sv);

	if (request_replies_full(sv, rp))
		return;
	if (store_audit_query(st, rq->limit, &rp->audit, &rp->n_audit) < 0)
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the audit record cannot be read: %s",
		             store_errmsg(st));
	request_scope_rows(sv, who, rp);
}

/* ------------------------------------------------------------ move */

struct request_move {
	uint32_t n;
	uint32_t *agents;   /* floor indexes of agents that change pool */
	int64_t *until;     /* each one's loan end, 0 none (going home: none) */
	int to;
};

static uint32_t
request_on_duty(const struct floor *f, uint32_t pool)
{
	uint32_t n = 0;

	for (uint32_t a = 0; a < f->n_agents; a++)
		if (f->agents[a].pool == (int)pool && f->agents[a].def.state != PROTO_AS_OFFLINE)
			n++;
	return n;
}

/* A move may not take a tenant below its contracted dedicated staffing
 * inside business hours, unless forced: agents on duty are what counts. */
static int
request_check_contract(const struct server *sv, const struct request_move *mv,
                       struct proto_reply *rp)
{
	const struct floor *f = server_floor(sv);

	for (uint32_t p = 0; p < f->n_pools; p++) {
		int t = f->pools[p].tenant;
		uint32_t before, leaving = 0, min;

		if (t < 0 || (int)p == mv->to || !server_tenant_open(sv, (uint32_t)t))
			continue;
		min = f->tenants[t].def.min_dedicated;
		for (uint32_t i = 0; i < mv->n; i++) {
			const struct floor_agent *ag = &f->agents[mv->agents[i]];
			if (ag->pool == (int)p && ag->def.state != PROTO_AS_OFFLINE)
				leaving++;
		}
		if (leaving == 0)
			continue;
		before = request_on_duty(f, p);
		if (before - leaving < min) {
			request_fail(rp, PROTO_RE_CONTRACT_MIN,
			             "moving %u agent%s leaves %s with %u dedicated agent%s on duty, below its "
			             "contract minimum of %u in business hours; send force with a reason to override",
			             leaving, leaving == 1 ? "" : "s", f->tenants[t].def.name, before - leaving,
			             before - leaving == 1 ? "" : "s", min);
			return -1;
		}
	}
	return 0;
}

/* A move may not put an agent into a pool serving a tenant its HOME pool
 * is not trained for (issue 12: the old advice sent one client's agents
 * into another's regulated line), unless forced, like the contract. */
static int
request_check_trained(const struct server *sv, const struct request_move *mv,
                      struct proto_reply *rp)
{
	const struct floor *f = server_floor(sv);
	struct staffing_skills sk;
	int rc = 0;

	if (staffing_skills_from_floor(&sk, f) < 0) {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < mv->n && rc == 0; i++) {
		uint32_t home = floor_agent_home(f, mv->agents[i]);
		int t = staffing_skills_missing(&sk, f, home, (uint32_t)mv->to);

		if (t < 0)
			continue;
		request_fail(rp, PROTO_RE_UNTRAINED,
		             "agent %s (home pool %s) is not trained for tenant %s (%s), whom pool %s "
		             "serves; send force with a reason to override",
		             f->agents[mv->agents[i]].def.id, f->pools[home].def.id,
		             f->tenants[t].def.id, f->tenants[t].def.name, f->pools[mv->to].def.id);
		rc = -1;
	}
	staffing_skills_free(&sk);
	return rc;
}

/* `from` was given and the agent is elsewhere: someone moved it since the
 * client looked.  The sentence says where it is and who put it there, so
 * a manager can see whose move this one would have overwritten. */
static void
request_move_conflict(const struct server *sv, const struct proto_request *rq,
                      const struct floor_agent *ag, bool scoped, struct proto_reply *rp)
{
	struct proto_audit_row last;
	int found;

	/* A scoped key learns nothing of where the agent went: that pool and
	 * who moved it there may be another tenant's. */
	if (scoped) {
		request_fail(rp, PROTO_RE_CONFLICT, "agent %s is no longer in %s; nothing was moved",
		             ag->def.id, rq->from);
		return;
	}
	found = store_audit_last(server_store(sv), ag->def.id, &last);

	if (found > 0 && strcmp(last.to, ag->def.pool) == 0)
		request_fail(rp, PROTO_RE_CONFLICT,
		             "agent %s is in %s now, not in %s: %s moved it there (request %s); nothing was moved",
		             ag->def.id, ag->def.pool, rq->from, last.by, last.req);
	else
		request_fail(rp, PROTO_RE_CONFLICT,
		             "agent %s is in %s now, not in %s, and no move of it is on record; nothing was moved",
		             ag->def.id, ag->def.pool, rq->from);
}

/* A scoped key is told "not in your scope" whether or not the id exists,
 * so it cannot probe for other tenants' pools and agents. */
static int
request_move_resolve(const struct server *sv, const struct proto_request *rq,
                     struct request_move *mv, bool scoped, struct proto_reply *rp)
{
	const struct floor *f = server_floor(sv);
	enum proto_reply_err nf = scoped ? PROTO_RE_FORBIDDEN : PROTO_RE_NOT_FOUND;
	const char *where = scoped ? " in your key's scope" : "";

	mv->to = floor_pool_find(f, rq->to);
	if (mv->to < 0) {
		request_fail(rp, nf, "there is no pool '%s'%s", rq->to, where);
		return -1;
	}
	if (rq->from[0] && floor_pool_find(f, rq->from) < 0) {
		request_fail(rp, PROTO_RE_NOT_FOUND, "there is no pool '%s'", rq->from);
		return -1;
	}
	mv->agents = calloc(rq->n_agents, sizeof *mv->agents);
	mv->until = calloc(rq->n_agents, sizeof *mv->until);
	if (mv->agents == NULL || mv->until == NULL) {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < rq->n_agents; i++) {
		int a = floor_agent_find(f, rq->agents[i]);
		bool dup = false;

		if (a < 0) {
			request_fail(rp, nf, "there is no agent '%s'%s", rq->agents[i], where);
			return -1;
		}
		if (rq->from[0] && strcmp(f->agents[a].def.pool, rq->from) != 0) {
			request_move_conflict(sv, rq, &f->agents[a], scoped, rp);
			return -1;
		}
		for (uint32_t j = 0; j < mv->n; j++)
			dup = dup || mv->agents[j] == (uint32_t)a;
		/* Already there, or named twice: nothing to do for it. */
		if (!dup && f->agents[a].pool != mv->to) {
			/* a loan back home is no loan */
			mv->until[mv->n] = floor_agent_home(f, (uint32_t)a) == (uint32_t)mv->to ? 0 : rq->until;
			mv->agents[mv->n++] = (uint32_t)a;
		}
	}
	return 0;
}

/* Publish the reserved agent.moved events, then place the agents. */
static void
request_move_apply(struct server *sv, const struct proto_request *rq, const struct request_move *mv,
                   struct server_seqs *seqs, const char *by)
{
	const struct floor *f = server_floor(sv);
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	proto_strlcpy(ev.to, f->pools[mv->to].def.id, PROTO_ID_MAX);
	proto_strlcpy(ev.by, by, PROTO_ID_MAX);
	proto_strlcpy(ev.req, rq->id, PROTO_REQID_MAX);
	proto_strlcpy(ev.reason, rq->reason, PROTO_TEXT_MAX);
	ev.forced = rq->force;
	for (uint32_t i = 0; i < mv->n; i++) {
		const struct floor_agent *ag = &f->agents[mv->agents[i]];
		ev.until = mv->until[i];
		proto_strlcpy(ev.agent, ag->def.id, PROTO_ID_MAX);
		proto_strlcpy(ev.from, ag->def.pool, PROTO_ID_MAX);
		ev.ts = server_floor_now(sv);
		server_publish_reserved(sv, seqs, &ev);
	}
	/* Only now: a moved idle agent may pick up a contact at once, and
	 * those events must follow the moves whose seq the reply promised. */
	for (uint32_t i = 0; i < mv->n; i++)
		server_place_agent(sv, mv->agents[i], (uint32_t)mv->to);
}

/* Validate, check the contract, persist (reply included), publish. The
 * reply is encoded before the commit so that exactly those bytes are what
 * a retry with the same id gets back; the seqs it names are reserved from
 * the server, and the events published with exactly those. */
/* A store call failed: with a lock held elsewhere and leave to wait,
 * the move waits (REQUEST_BUSY, nothing answered, nothing changed);
 * otherwise it is refused and not made. */
static enum request_result
request_move_failed(struct server *sv, const struct proto_request *rq, enum request_mode mode,
                    struct proto_reply *rp, struct proto_buf *out, const char *what)
{
	struct store *st = server_store(sv);

	proto_buf_reset(out);
	if (store_busy(st) && mode == REQUEST_MAY_WAIT)
		return REQUEST_BUSY;
	if (store_busy(st)) {
		server_log(sv, "move %s not made: the state database stayed locked by another process "
		           "(%s)", rq->id, store_errmsg(st));
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the state database is locked by another process, "
		             "so the move was not made; retry with the same id");
	} else {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "%s: %s", what, store_errmsg(st));
	}
	return REQUEST_ANSWERED;
}

/* Roles and scope: a viewer moves nothing; a scoped manager moves only
 * between pools whose tenants are all in its scope. */
static int
request_move_allowed(struct server *sv, const struct request_who *who, const struct request_move *mv,
                     struct proto_reply *rp)
{
	struct scope sc;
	char msg[PROTO_TEXT_MAX + 1];
	int rc;

	if (!request_scoped(who) || who->key->role == KEYSTORE_ADMIN)
		return 0;
	if (scope_build(&sc, server_floor(sv), who->key) < 0) {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		return -1;
	}
	rc = scope_move_check(&sc, server_floor(sv), mv->agents, mv->n, mv->to, msg, sizeof msg);
	scope_free(&sc);
	if (rc < 0) {
		server_forbidden(sv);
		request_fail(rp, PROTO_RE_FORBIDDEN, "%s", msg);
		return -1;
	}
	return 0;
}

/* Move ids are remembered per sender (its key, or the client instance id
 * it sends), so nobody can claim or replay another client's ids.  A
 * request with neither keeps the one namespace ids always had. */
static const char *
request_store_id(const struct request_who *who, const struct proto_request *rq, char *buf,
                 size_t len)
{
	if (who != NULL && who->owner != NULL && who->owner[0] != '\0')
		snprintf(buf, len, "%s\x1f%s", who->owner, rq->id);
	else if (rq->client[0] != '\0')
		snprintf(buf, len, "c:%s\x1f%s", rq->client, rq->id);
	else
		return rq->id;
	return buf;
}

/* The reply's epoch and seq: a sender with a stream counts in the
 * stream's numbers (a full stream carries every event, so its seq after
 * the move is exact); a scoped key is told where its stream stood before
 * the move, never the floor's seq. */
static void
request_move_position(struct server *sv, const struct request_who *who, uint32_t n,
                      struct proto_reply *rp)
{
	struct feed *fd = who && who->rid ? feeds_find(server_feeds(sv), who->rid, who->rid_len) : NULL;

	if (fd != NULL && fd->full) {
		rp->epoch = fd->epoch;
		rp->seq = fd->seq + n;
	} else if (request_scoped(who)) {
		request_position(sv, who, &rp->epoch, &rp->seq);
	}
}

static enum request_result
request_move_try(struct server *sv, const struct request_who *who, const struct proto_request *rq,
                 enum request_mode mode, struct proto_reply *rp, struct proto_buf *out)
{
	enum request_result res = REQUEST_ANSWERED;
	struct request_move mv = { 0, NULL, NULL, -1 };
	struct proto_audit_row *rows = NULL;
	const struct floor *f = server_floor(sv);
	struct store *st = server_store(sv);
	const bool keyed = who != NULL && who->key != NULL;
	/* The key's name, never what the request says. */
	const char *by = keyed ? who->key->name : rq->by[0] ? rq->by : "unknown";
	uint64_t digest = request_digest(rq, keyed ? who->key->name : rq->by), old;
	char sidbuf[2 * PROTO_REQID_MAX + 16];
	const char *sid = request_store_id(who, rq, sidbuf, sizeof sidbuf);
	struct server_seqs seqs;
	int found;

	if (keyed && who->key->role == KEYSTORE_VIEWER) {
		server_forbidden(sv);
		request_fail(rp, PROTO_RE_FORBIDDEN, "key '%s' is a viewer's: it may watch the floor "
		             "but not move agents", who->key->name);
		return res;
	}
	if (rq->force && rq->reason[0] == '\0') {
		request_fail(rp, PROTO_RE_BAD_REQUEST, "a forced move needs a reason");
		return res;
	}
	if (rq->until != 0 && (!floor_ts_valid(rq->until) || rq->until <= server_floor_now(sv))) {
		request_fail(rp, PROTO_RE_BAD_REQUEST, "a loan's until must be a floor time after now "
		             "(ms since the epoch)");
		return res;
	}
	/* Earlier moves wait for the database: this one goes behind them. */
	if (mode == REQUEST_QUEUE)
		return REQUEST_BUSY;
	found = store_reply_find(st, sid, &old, out);
	if (found < 0)
		return request_move_failed(sv, rq, mode, rp, out, "the move record cannot be read");
	if (found && old == digest)
		return res;	/* a retry: the very reply it had, and no second move */
	proto_buf_reset(out);
	if (found) {
		request_fail(rp, PROTO_RE_CONFLICT,
		             "request id '%s' was already used for a different move; use a new id", rq->id);
		return res;
	}
	if (request_move_resolve(sv, rq, &mv, request_scoped(who), rp) < 0)
		goto done;
	if (request_move_allowed(sv, who, &mv, rp) < 0)
		goto done;
	if (!rq->force && request_check_contract(sv, &mv, rp) < 0)
		goto done;
	if (!rq->force && request_check_trained(sv, &mv, rp) < 0)
		goto done;
	/* On an Asterisk floor with AMI the PBX carries the move out first:
	 * it is answered (here, once the PBX confirmed) when it is durable. */
	if (mv.n > 0) {
		int pbx = server_acd_move_pbx(sv, rq, mv.agents, mv.n, (uint32_t)mv.to, rp);
		if (pbx > 0)
			res = REQUEST_DEFERRED;
		if (pbx != 0)
			goto done;
	}

	rows = calloc(mv.n ? mv.n : 1, sizeof *rows);
	if (rows == NULL) {
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		goto done;
	}
	seqs = server_reserve_seq(sv, mv.n);
	for (uint32_t i = 0; i < mv.n; i++) {
		const struct floor_agent *ag = &f->agents[mv.agents[i]];
		rows[i].ts = server_floor_now(sv);
		proto_strlcpy(rows[i].by, by, PROTO_ID_MAX);
		proto_strlcpy(rows[i].req, rq->id, PROTO_REQID_MAX);
		proto_strlcpy(rows[i].agent, ag->def.id, PROTO_ID_MAX);
		proto_strlcpy(rows[i].from, ag->def.pool, PROTO_ID_MAX);
		proto_strlcpy(rows[i].to, rq->to, PROTO_ID_MAX);
		proto_strlcpy(rows[i].reason, rq->reason, PROTO_TEXT_MAX);
		rows[i].forced = rq->force;
		rows[i].seq = seqs.first + i;
		rows[i].epoch = seqs.epoch;
	}
	rp->seq = seqs.last;
	rp->epoch = seqs.epoch;
	request_move_position(sv, who, mv.n, rp);
	if (proto_encode_reply(out, rp) < 0) {
		proto_buf_reset(out);
		request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		goto done;
	}
	/* A move with nothing to do changes nothing durable: its reply is
	 * kept in memory for retries, so junk moves cannot grow the
	 * database. */
	if (mv.n == 0) {
		if (store_reply_keep(st, sid, digest, out->data, out->len) < 0) {
			proto_buf_reset(out);
			request_fail(rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		}
		goto done;
	}
	if (store_move_commit_loans(st, sid, digest, rows, mv.until, mv.n, out->data, out->len) < 0) {
		/* the reply encoded for the commit promised seqs that are not
		 * published: it is dropped with the rest */
		rp->seq = 0;
		rp->epoch = 0;
		res = request_move_failed(sv, rq, mode, rp, out,
		                          "the move could not be recorded, so it was not made");
		goto done;
	}
	request_move_apply(sv, rq, &mv, &seqs, by);
	server_info(sv, "move %s by %s: %u agent%s to %s%s (%s)", rq->id, by, mv.n,
	            mv.n == 1 ? "" : "s", rq->to, rq->force ? ", forced" : "", rq->reason);
done:
	free(rows);
	free(mv.agents);
	free(mv.until);
	return res;
}

/* A move answered now (made, replayed or refused) is over for the PBX
 * side too; one that waits for the database or the PBX is not. */
static enum request_result
request_move(struct server *sv, const struct request_who *who, const struct proto_request *rq,
             enum request_mode mode, struct proto_reply *rp, struct proto_buf *out)
{
	enum request_result res = request_move_try(sv, who, rq, mode, rp, out);

	if (res == REQUEST_ANSWERED)
		server_acd_move_done(sv, rq->id);
	return res;
}

/* ------------------------------------------------------------ dispatch */

enum request_result
request_handle(struct server *sv, const uint8_t *body, size_t len, struct proto_buf *out)
{
	return request_try(sv, NULL, body, len, out, REQUEST_NOW);
}

void
request_refuse(const uint8_t *body, size_t len, struct proto_buf *out, enum proto_reply_err err,
               const char *msg)
{
	struct proto_reply rp;

	memset(&rp, 0, sizeof rp);
	if (proto_peek_id(body, len, rp.id) != PROTO_OK)
		rp.id[0] = '\0';
	request_fail(&rp, err, "%s", msg);
	proto_buf_reset(out);
	proto_encode_reply(out, &rp);
}

int
request_op(const uint8_t *body, size_t len)
{
	struct proto_request rq;
	int op = -1;

	memset(&rq, 0, sizeof rq);
	if (len <= PROTO_REQUEST_BYTES_MAX && proto_decode_request(body, len, &rq) == PROTO_OK)
		op = (int)rq.op;
	proto_request_free(&rq);
	return op;
}

enum request_result
request_try(struct server *sv, const struct request_who *who, const uint8_t *body, size_t len,
            struct proto_buf *out, enum request_mode mode)
{
	enum request_result res = REQUEST_ANSWERED;
	struct proto_request rq;
	struct proto_reply rp;
	int rc;

	memset(&rq, 0, sizeof rq);
	memset(&rp, 0, sizeof rp);
	rp.ok = true;
	proto_buf_reset(out);

	if (len > PROTO_REQUEST_BYTES_MAX) {
		request_fail(&rp, PROTO_RE_BAD_REQUEST, "a request may be at most %d bytes; this one is %zu",
		             PROTO_REQUEST_BYTES_MAX, len);
		goto reply;
	}
	rc = proto_decode_request(body, len, &rq);
	proto_strlcpy(rp.id, rq.id, PROTO_REQID_MAX);
	if (rc == PROTO_E_VALUE && rq.op == PROTO_OP__COUNT) {
		request_fail(&rp, PROTO_RE_UNKNOWN_OP, "unknown op; this server knows ping, snapshot, "
		             "move, history and audit");
		goto reply;
	}
	if (rc != PROTO_OK) {
		res = REQUEST_MALFORMED;
		request_fail(&rp, PROTO_RE_BAD_REQUEST, "the request could not be read: %s",
		             proto_strerror(rc));
		goto reply;
	}
	rp.op = rq.op;
	switch (rq.op) {
	case PROTO_OP_PING:
		request_ping(sv, who, &rq, &rp);
		break;
	case PROTO_OP_SNAPSHOT:
		request_snapshot(sv, who, &rp);
		break;
	case PROTO_OP_MOVE:
		res = request_move(sv, who, &rq, mode, &rp, out);
		if (res == REQUEST_BUSY || res == REQUEST_DEFERRED || out->len > 0)
			goto done;	/* waits, or committed (or replayed) reply bytes */
		break;
	case PROTO_OP_HISTORY:
		request_history(sv, who, &rq, &rp);
		break;
	case PROTO_OP_AUDIT:
		request_audit(sv, who, &rq, &rp);
		break;
	default:
		request_fail(&rp, PROTO_RE_UNKNOWN_OP, "unknown op");
		break;
	}
reply:
	if (proto_encode_reply(out, &rp) < 0) {
		proto_buf_reset(out);
		memset(&rp, 0, sizeof rp);
		proto_strlcpy(rp.id, rq.id, PROTO_REQID_MAX);
		request_fail(&rp, PROTO_RE_UNAVAILABLE, "the server is out of memory");
		proto_encode_reply(out, &rp);
	}
done:
	proto_reply_free(&rp);
	proto_request_free(&rq);
	return res;
}
