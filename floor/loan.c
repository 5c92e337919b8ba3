/*
 * loan: agents moved with `until` go back to their home pool at that
 * floor time (issue 12: advice followed without loans left half the floor
 * away from home at the end of the day).  The return is a move like any
 * other: committed to the store (audit row, assignment, the loan ended),
 * then published as agent.moved with a reason that says so, then placed
 * in the simulator.  Loans are in the store, so they survive a restart.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pooltop/server.h"

#define LOAN_RETRY_MIN_MS 500
#define LOAN_RETRY_MAX_MS 30000

static int
loan_restore_one(const char *agent, int64_t until, void *ctx)
{
	struct server *sv = ctx;
	int a = floor_agent_find(&sv->floor, agent);

	if (a < 0) {
		server_log(sv, "state: agent %s on loan is not in this scenario; its loan is ignored", agent);
		return 0;
	}
	if (floor_ts_valid(until))
		sv->floor.agents[a].def.loan_until = until;
	return 0;
}

int
loan_restore(struct server *sv)
{
	return store_loans_each(sv->store, loan_restore_one, sv);
}

/* Send agent a home: one committed, published move. */
static int
loan_return(struct server *sv, uint32_t a, int64_t until)
{
	const struct floor *f = &sv->floor;
	const struct floor_agent *ag = &f->agents[a];
	uint32_t home = floor_agent_home(f, a);
	struct proto_audit_row row;
	struct proto_event ev;
	struct server_seqs seqs;
	char when[16] = "?";
	time_t t = (time_t)(until / 1000);
	struct tm tm;
	int64_t none = 0;

	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%H:%M", &tm);
	memset(&row, 0, sizeof row);
	row.ts = server_floor_now(sv);
	proto_strlcpy(row.by, "pooltopd", PROTO_ID_MAX);
	snprintf(row.req, sizeof row.req, "loan-%s-%lld", ag->def.id, (long long)until);
	proto_strlcpy(row.agent, ag->def.id, PROTO_ID_MAX);
	proto_strlcpy(row.from, ag->def.pool, PROTO_ID_MAX);
	proto_strlcpy(row.to, f->pools[home].def.id, PROTO_ID_MAX);
	snprintf(row.reason, sizeof row.reason, "loan ended at %s: back to home pool %s", when,
	         f->pools[home].def.id);
	seqs = server_reserve_seq(sv, 1);
	row.seq = seqs.first;
	row.epoch = seqs.epoch;
	if (store_move_commit_loans(sv->store, row.req, 0, &row, &none, 1, NULL, 0) < 0) {
		server_log(sv, "loan of %s not ended yet, the state database refused it: %s", ag->def.id,
		           store_errmsg(sv->store));
		return -1;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	ev.ts = row.ts;
	proto_strlcpy(ev.agent, row.agent, PROTO_ID_MAX);
	proto_strlcpy(ev.from, row.from, PROTO_ID_MAX);
	proto_strlcpy(ev.to, row.to, PROTO_ID_MAX);
	proto_strlcpy(ev.by, row.by, PROTO_ID_MAX);
	proto_strlcpy(ev.req, row.req, PROTO_REQID_MAX);
	proto_strlcpy(ev.reason, row.reason, PROTO_TEXT_MAX);
	server_publish_reserved(sv, &seqs, &ev);
	server_place_agent(sv, a, home);
	server_info(sv, "loan of %s ended: back to %s", row.agent, row.to);
	return 0;
}

void
loan_tick(struct server *sv, int64_t wall)
{
	struct floor *f = &sv->floor;
	int64_t now = server_floor_now(sv);

	if (wall < sv->loan_retry)
		return;
	for (uint32_t a = 0; a < f->n_agents; a++) {
		int64_t until = f->agents[a].def.loan_until;

		if (until == 0 || until > now)
			continue;
		if (floor_agent_home(f, a) == (uint32_t)f->agents[a].pool) {
			f->agents[a].def.loan_until = 0;	/* home already (a restored loan) */
			continue;
		}
		if (loan_return(sv, a, until) < 0) {
			/* back off, with jitter, while the database refuses */
			sv->loan_backoff_ms = sv->loan_backoff_ms ? 2 * sv->loan_backoff_ms : LOAN_RETRY_MIN_MS;
			if (sv->loan_backoff_ms > LOAN_RETRY_MAX_MS)
				sv->loan_backoff_ms = LOAN_RETRY_MAX_MS;
			sv->loan_retry = wall + sv->loan_backoff_ms / 2 +
			                 (int64_t)(rng_uniform(&sv->jitter) * (double)(sv->loan_backoff_ms / 2));
			return;
		}
		sv->loan_backoff_ms = 0;
	}
}
