/*
 * scope: what a key whose scope is a list of tenants may see of the floor,
 * applied by the server to everything it sends that key.  Confidentiality,
 * not a display filter: nothing leaves pooltopd naming a tenant, or an
 * agent or pool of a tenant, outside the scope.
 *
 *  - tenants: those in scope;
 *  - pools: dedicated pools of those tenants, and shared pools serving at
 *    least one of them (their `serves` cut down to the visible tenants);
 *  - agents: those in visible pools.  Agents of a dedicated pool keep
 *    their id and name when every tenant their pool serves is in scope;
 *    agents of a shared pool that also serves others appear only as anonymous
 *    entries ("~" and the agent's position on the floor, name "shared"),
 *    handled 0, so a scoped viewer can count them but not tell who they
 *    are, and what they do for other tenants shows as busy with no tenant.
 *
 * A key with scope `*` (or no key: a server without a keystore) sees
 * everything and goes through none of this.
 */
#ifndef POOLTOP_SCOPE_H
#define POOLTOP_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/keystore.h"
#include "pooltop/proto.h"

#define SCOPE_ANON_PREFIX "~"
#define SCOPE_ANON_NAME "shared"

struct scope {
	uint32_t n_tenants, n_pools;
	bool *tenant;                /* visible, per floor tenant */
	bool *pool;                  /* visible, per floor pool */
	bool *named;                 /* its agents are shown by name (dedicated) */
};

/* What a scoped stream does with one event. */
enum scope_verdict {
	SCOPE_DROP,                  /* nothing of it may be shown */
	SCOPE_PASS,                  /* send *out (maybe rewritten) */
	SCOPE_RESET,                 /* send a floor.reset: the client takes a new snapshot */
};

/* 0, or -1 out of memory.  The floor's tenants and pools must not change
 * while s is used (they do not in pooltopd: a new scenario is a new run). */
int scope_build(struct scope *s, const struct floor *f, const struct keystore_key *k);
void scope_free(struct scope *s);

bool scope_pool_visible(const struct scope *s, const struct floor *f, const char *pool_id);
bool scope_agent_visible(const struct scope *s, const struct floor *f, int agent);

/* Cut a full snapshot of f (floor order, as floor_to_snapshot makes it)
 * down to the scope, in place. */
void scope_snapshot(const struct scope *s, const struct floor *f, struct proto_snapshot *snap);
/* An event already applied to f, as the scope may see it. */
enum scope_verdict scope_event(const struct scope *s, const struct floor *f,
                               const struct proto_event *ev, struct proto_event *out);
/* Keep the rows of visible tenants (history), or of moves between visible
 * pools with anonymous agents renamed (audit), compacted; the new count. */
uint32_t scope_history(const struct scope *s, const struct floor *f,
                       struct proto_stats_row *rows, uint32_t n);
/* The same, moving each row's sl_intervals with it (sl NULL: none). */
uint32_t scope_history_sl(const struct scope *s, const struct floor *f,
                          struct proto_stats_row *rows, struct proto_sl_row *sl, uint32_t n);
uint32_t scope_audit(const struct scope *s, const struct floor *f,
                     struct proto_audit_row *rows, uint32_t n);
/* May a manager of this scope move agents between these pools?  Every pool
 * an agent leaves and the target must have all their tenants in scope.
 * 0, or -1 with msg (naming only what the scope may see). */
int scope_move_check(const struct scope *s, const struct floor *f, const uint32_t *agents,
                     uint32_t n_agents, int to, char *msg, size_t msglen);

#endif
