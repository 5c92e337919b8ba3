/*
 * pooltopd --ami: Asterisk's Manager Interface next to the queue_log.
 * The AMI gives live member state (QueueMemberAdded/Removed/Pause/Status,
 * and a full QueueStatus after every login, reconnects included) and
 * carries out moves: a pooltop move becomes QueueAdd for the queues of
 * the target pool the agent lacks and QueueRemove for those it must
 * leave.  The move is made (persisted, agent.moved published, request
 * answered) only when the PBX has said Success to every one of them: it
 * then goes back to the server's move path (server_io_resume), which
 * answers it once it is durable, waiting for a locked database like any
 * move; the first Error fails it with the PBX's words.  Contacts still come from the
 * queue_log alone (QueueCaller and Agent events are counted, not mapped),
 * so nothing is counted twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pooltop/acd_ami.h"
#include "pooltop/acd_map.h"
#include "pooltop/server.h"

#define SERVER_AMI_STEP_MS 20        /* poll the AMI socket this often */
#define SERVER_AMI_MOVES_MAX 64      /* moves waiting for the PBX at once */
#define SERVER_AMI_ACTIONS_MAX 256   /* actions one move may need */
#define SERVER_AMI_TIMEOUT_MS 10000  /* the PBX must answer within this */
/* A confirmed move is let go when it is answered; this is the backstop
 * (the database wait is SERVER_MOVE_WAIT_MS). */
#define SERVER_AMI_CONFIRMED_MS (SERVER_MOVE_WAIT_MS + 5000)

struct server_ami_move {
	bool used;
	char id[PROTO_REQID_MAX + 1];
	uint8_t *body;               /* the request, handled again once agreed */
	size_t len;
	bool confirmed;              /* the PBX did it: the move path has it */
	uint8_t ident[SERVER_PEER_ID_MAX];
	size_t ident_len;
	bool delim;
	char key_name[PROTO_ID_MAX + 1];   /* whose move: the key (or "") */
	char key_z85[KEYFILE_Z85_LEN + 1];
	uint32_t n_agents;
	uint32_t *agents;            /* held in the map meanwhile */
	uint64_t actions[SERVER_AMI_ACTIONS_MAX];
	uint32_t n_actions, n_ok;
	/* QueueRemoves go out only once every QueueAdd succeeded: a refused
	 * move leaves the agent in its queues, never in none */
	uint32_t n_removes;
	char (*removes)[2][96];      /* queue, interface */
	int64_t deadline;            /* monotonic ms */
};

struct server_ami {
	struct acd_ami *ami;
	struct acd_map *map;
	struct server *sv;
	char where[160];
	uint64_t status_id;
	bool rebuilding;
	uint32_t rebuilt_members;
	uint64_t events, rebuilds, moves_ok, moves_failed;
	struct server_ami_move moves[SERVER_AMI_MOVES_MAX];
	/* building a plan */
	struct server_ami_move *plan;
	bool plan_full;
};

/* ------------------------------------------------------------ replies */

static void
server_ami_release(struct server_ami *x, struct server_ami_move *mv)
{
	for (uint32_t i = 0; i < mv->n_agents; i++)
		acd_map_hold(x->map, mv->agents[i], false);
	free(mv->agents);
	free(mv->body);
	free(mv->removes);
	memset(mv, 0, sizeof *mv);
}

static void
server_ami_fail(struct server_ami *x, struct server_ami_move *mv, const char *fmt, const char *what)
{
	struct proto_reply rp;
	struct proto_buf b;

	memset(&rp, 0, sizeof rp);
	rp.op = PROTO_OP_MOVE;
	rp.ok = false;
	rp.err = PROTO_RE_UNAVAILABLE;
	proto_strlcpy(rp.id, mv->id, PROTO_REQID_MAX);
	snprintf(rp.msg, sizeof rp.msg, fmt, what);
	proto_buf_init(&b);
	if (proto_encode_reply(&b, &rp) == 0)
		server_io_reply(x->sv, mv->ident, mv->ident_len, mv->delim, &b);
	proto_buf_free(&b);
	server_log(x->sv, "move %s failed: %s", mv->id, rp.msg);
	x->moves_failed++;
	server_ami_release(x, mv);
}

/* Every action succeeded: the request goes back to the move path, for
 * real this time.  The agents stay held until the move is answered
 * (server_ami_move_done): membership events that came first must not
 * move them on their own before their agent.moved is out. */
static void
server_ami_commit(struct server_ami *x, struct server_ami_move *mv)
{
	uint8_t ident[SERVER_PEER_ID_MAX];
	size_t ident_len = mv->ident_len, len = mv->len;
	bool delim = mv->delim;
	char key_name[PROTO_ID_MAX + 1], key_z85[KEYFILE_Z85_LEN + 1];
	uint8_t *body = malloc(len ? len : 1);

	if (body == NULL) {
		server_ami_fail(x, mv, "%s", "the PBX made the move but the server ran out of memory "
		                "before recording it; check the agent's queues");
		return;
	}
	/* the move path lets mv go when it answers: it works on copies */
	memcpy(body, mv->body, len);
	memcpy(ident, mv->ident, ident_len);
	proto_strlcpy(key_name, mv->key_name, PROTO_ID_MAX);
	proto_strlcpy(key_z85, mv->key_z85, KEYFILE_Z85_LEN);
	mv->confirmed = true;
	mv->deadline = server_mono_ms() + SERVER_AMI_CONFIRMED_MS;
	x->moves_ok++;
	server_io_resume(x->sv, ident, ident_len, delim, body, len, key_name, key_z85);
	free(body);
}

void
server_ami_move_done(struct server_ami *x, const char *id)
{
	for (int i = 0; i < SERVER_AMI_MOVES_MAX; i++)
		if (x->moves[i].used && x->moves[i].confirmed && strcmp(x->moves[i].id, id) == 0)
			server_ami_release(x, &x->moves[i]);
}

static int
server_ami_send_removes(struct server_ami *x, struct server_ami_move *mv)
{
	for (uint32_t i = 0; i < mv->n_removes; i++) {
		const char *kv[] = { "Queue", mv->removes[i][0], "Interface", mv->removes[i][1], NULL };
		uint64_t id = acd_ami_action(x->ami, "QueueRemove", kv);
		if (id == 0)
			return -1;
		mv->actions[mv->n_actions++] = id;
	}
	mv->n_removes = 0;
	return 0;
}

static void
server_ami_response(struct server_ami *x, uint64_t id, const struct acd_ami_msg *m)
{
	const char *resp = acd_ami_get(m, "Response");
	bool ok = resp != NULL && strcasecmp(resp, "Success") == 0;

	for (int i = 0; i < SERVER_AMI_MOVES_MAX; i++) {
		struct server_ami_move *mv = &x->moves[i];
		if (!mv->used || mv->confirmed)
			continue;
		for (uint32_t k = 0; k < mv->n_actions; k++) {
			if (mv->actions[k] != id)
				continue;
			if (!ok) {
				const char *msg = acd_ami_get(m, "Message");
				server_ami_fail(x, mv, "the PBX refused the move: %s", msg ? msg : "Error");
				return;
			}
			mv->actions[k] = 0;
			if (++mv->n_ok < mv->n_actions)
				return;
			if (mv->n_removes > 0 && server_ami_send_removes(x, mv) < 0)
				server_ami_fail(x, mv, "%s", "the PBX connection failed half way through the "
				                "move; check the agent's queues");
			else if (mv->n_ok == mv->n_actions)
				server_ami_commit(x, mv);
			return;
		}
	}
}

/* ------------------------------------------------------------ AMI in */

static bool
server_ami_flag(const char *v)
{
	return v != NULL && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
	                     strcasecmp(v, "yes") == 0);
}

static const char *
server_ami_or(const char *a, const char *b)
{
	return a != NULL ? a : b != NULL ? b : "";
}

static void
server_ami_on_msg(void *ctx, const struct acd_ami_msg *m)
{
	struct server_ami *x = ctx;
	const char *ev = acd_ami_get(m, "Event"), *resp = acd_ami_get(m, "Response");
	uint64_t id = acd_ami_action_id(m);

	if (resp != NULL) {
		if (id != 0 && id == x->status_id) {
			if (strcasecmp(resp, "Success") == 0) {
				acd_map_rebuild_begin(x->map);
				x->rebuilding = true;
				x->rebuilt_members = 0;
			} else {
				server_log(x->sv, "AMI: QueueStatus refused: %s",
				           server_ami_or(acd_ami_get(m, "Message"), resp));
			}
		} else if (id != 0) {
			server_ami_response(x, id, m);
		}
		return;
	}
	if (ev == NULL)
		return;
	x->events++;
	if (strcasecmp(ev, "QueueMember") == 0 && x->rebuilding) {
		acd_map_rebuild_member(x->map, server_ami_or(acd_ami_get(m, "Name"), acd_ami_get(m, "MemberName")),
		                       server_ami_or(acd_ami_get(m, "Location"), acd_ami_get(m, "Interface")),
		                       server_ami_or(acd_ami_get(m, "Queue"), NULL),
		                       server_ami_flag(acd_ami_get(m, "Paused")),
		                       acd_ami_get(m, "PausedReason"));
		x->rebuilt_members++;
	} else if (strcasecmp(ev, "QueueStatusComplete") == 0 && x->rebuilding) {
		acd_map_rebuild_end(x->map);
		x->rebuilding = false;
		x->rebuilds++;
		server_log(x->sv, "AMI: state rebuilt from QueueStatus (%u memberships)",
		           x->rebuilt_members);
	} else if (strcasecmp(ev, "QueueMemberAdded") == 0 || strcasecmp(ev, "QueueMemberRemoved") == 0) {
		acd_map_ami_member(x->map, server_ami_or(acd_ami_get(m, "MemberName"), acd_ami_get(m, "Interface")),
		                   server_ami_or(acd_ami_get(m, "Interface"), NULL),
		                   server_ami_or(acd_ami_get(m, "Queue"), NULL),
		                   strcasecmp(ev, "QueueMemberAdded") == 0,
		                   server_ami_flag(acd_ami_get(m, "Paused")), acd_ami_get(m, "PausedReason"));
	} else if (strcasecmp(ev, "QueueMemberPause") == 0 ||
	           (strcasecmp(ev, "QueueMemberStatus") == 0 && acd_ami_get(m, "Paused") != NULL)) {
		acd_map_ami_pause(x->map, server_ami_or(acd_ami_get(m, "MemberName"), acd_ami_get(m, "Interface")),
		                  server_ami_flag(acd_ami_get(m, "Paused")),
		                  server_ami_or(acd_ami_get(m, "PausedReason"), acd_ami_get(m, "Reason")));
	}
	/* QueueCallerJoin/Leave/Abandon, AgentCalled/Connect/Complete/...:
	 * counted in `events`; the queue_log has the contacts */
}

static void
server_ami_on_state(void *ctx, bool up, const char *why)
{
	struct server_ami *x = ctx;

	if (up) {
		server_log(x->sv, "AMI: logged in to %s", x->where);
		x->status_id = acd_ami_action(x->ami, "QueueStatus", NULL);
		return;
	}
	x->rebuilding = false;
	server_log(x->sv, "AMI %s: %s; trying again with backoff", x->where, why);
	for (int i = 0; i < SERVER_AMI_MOVES_MAX; i++)
		if (x->moves[i].used && !x->moves[i].confirmed)
			server_ami_fail(x, &x->moves[i], "the PBX connection was lost before it confirmed "
			                "the move (%s); it may be half done: check the agent's queues", why);
}

/* ------------------------------------------------------------ moves */

static void
server_ami_plan_one(void *ctx, const char *queue, const char *iface, bool add)
{
	struct server_ami *x = ctx;
	struct server_ami_move *mv = x->plan;
	const char *kv[] = { "Queue", queue, "Interface", iface, NULL };
	uint64_t id;

	if (mv->n_actions + mv->n_removes >= SERVER_AMI_ACTIONS_MAX) {
		x->plan_full = true;
		return;
	}
	if (!add) {
		if (mv->removes == NULL &&
		    (mv->removes = calloc(SERVER_AMI_ACTIONS_MAX, sizeof *mv->removes)) == NULL) {
			x->plan_full = true;
			return;
		}
		snprintf(mv->removes[mv->n_removes][0], sizeof mv->removes[0][0], "%s", queue);
		snprintf(mv->removes[mv->n_removes][1], sizeof mv->removes[0][1], "%s", iface);
		mv->n_removes++;
		return;
	}
	id = acd_ami_action(x->ami, "QueueAdd", kv);
	if (id == 0) {
		x->plan_full = true;
		return;
	}
	mv->actions[mv->n_actions++] = id;
}

static int
server_ami_refuse(struct proto_reply *rp, const char *fmt, const char *what)
{
	rp->ok = false;
	rp->err = PROTO_RE_UNAVAILABLE;
	snprintf(rp->msg, sizeof rp->msg, fmt, what);
	return -1;
}

int
server_ami_move(struct server *sv, struct server_ami *x, const struct proto_request *rq,
                const uint32_t *agents, uint32_t n, uint32_t to, struct proto_reply *rp)
{
	struct server_ami_move *mv = NULL;

	for (int i = 0; i < SERVER_AMI_MOVES_MAX; i++) {
		if (x->moves[i].used && x->moves[i].confirmed && strcmp(x->moves[i].id, rq->id) == 0)
			return 0;   /* the PBX agreed: make it */
		if (x->moves[i].used && strcmp(x->moves[i].id, rq->id) == 0) {
			/* a retry while the PBX works: it gets the reply instead */
			mv = &x->moves[i];
			if (sv->req.ident_len <= sizeof mv->ident) {
				memcpy(mv->ident, sv->req.ident, sv->req.ident_len);
				mv->ident_len = sv->req.ident_len;
				mv->delim = sv->req.delim;
			}
			return 1;
		}
	}
	if (!acd_ami_ready(x->ami))
		return server_ami_refuse(rp, "the PBX is not connected (AMI %.100s), so the move was not "
		                         "made; try again later", x->where);
	for (int i = 0; i < SERVER_AMI_MOVES_MAX && mv == NULL; i++)
		if (!x->moves[i].used)
			mv = &x->moves[i];
	if (mv == NULL || sv->req.ident_len > sizeof mv->ident || sv->req.body == NULL)
		return server_ami_refuse(rp, "%s", "too many moves are waiting for the PBX; try again later");
	memset(mv, 0, sizeof *mv);
	mv->body = malloc(sv->req.len ? sv->req.len : 1);
	mv->agents = calloc(n, sizeof *mv->agents);
	if (mv->body == NULL || mv->agents == NULL) {
		free(mv->body);
		free(mv->agents);
		return server_ami_refuse(rp, "%s", "the server is out of memory");
	}
	mv->used = true;
	proto_strlcpy(mv->id, rq->id, PROTO_REQID_MAX);
	memcpy(mv->body, sv->req.body, sv->req.len);
	mv->len = sv->req.len;
	memcpy(mv->ident, sv->req.ident, sv->req.ident_len);
	mv->ident_len = sv->req.ident_len;
	mv->delim = sv->req.delim;
	proto_strlcpy(mv->key_name, sv->req.key_name ? sv->req.key_name : "", PROTO_ID_MAX);
	proto_strlcpy(mv->key_z85, sv->req.key_z85 ? sv->req.key_z85 : "", KEYFILE_Z85_LEN);
	mv->deadline = server_mono_ms() + SERVER_AMI_TIMEOUT_MS;
	x->plan = mv;
	x->plan_full = false;
	for (uint32_t i = 0; i < n; i++) {
		if (acd_map_move_plan(x->map, agents[i], to, server_ami_plan_one, x) < 0) {
			const char *id = sv->floor.agents[agents[i]].def.id;
			char msg[PROTO_TEXT_MAX + 1];
			snprintf(msg, sizeof msg, "the PBX interface of agent %s is not known yet (no "
			         "queue membership seen), so it cannot be moved on the PBX", id);
			free(mv->body);
			free(mv->agents);
			memset(mv, 0, sizeof *mv);
			return server_ami_refuse(rp, "%s", msg);
		}
		acd_map_hold(x->map, agents[i], true);
		mv->agents[mv->n_agents++] = agents[i];
	}
	if (x->plan_full) {
		server_ami_release(x, mv);
		return server_ami_refuse(rp, "%s", "the move needs more PBX actions than one request may "
		                         "send; move fewer agents at a time");
	}
	if (mv->n_actions == 0 && mv->n_removes > 0 && server_ami_send_removes(x, mv) < 0) {
		server_ami_release(x, mv);
		return server_ami_refuse(rp, "%s", "the PBX connection failed; the move was not made");
	}
	if (mv->n_actions == 0) {
		server_ami_release(x, mv);
		return 0;   /* the PBX already has it so */
	}
	server_log(sv, "move %s: asked the PBX (%u actions)", rq->id, mv->n_actions + mv->n_removes);
	return 1;
}

/* ------------------------------------------------------------ life */

static int
server_ami_secret(const char *path, char *out, size_t len)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		fprintf(stderr, "pooltopd: warning: %s can be read by others (chmod 600 it)\n", path);
	n = read(fd, out, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return out[0] ? 0 : -1;
}

struct server_ami *
server_ami_open(struct server *sv, struct acd_map *map)
{
	struct server_ami *x = calloc(1, sizeof *x);
	struct acd_ami_cfg cfg;
	const char *colon = strrchr(sv->opt.ami, ':');
	size_t hl;

	if (x == NULL)
		return NULL;
	memset(&cfg, 0, sizeof cfg);
	hl = (size_t)(colon - sv->opt.ami);
	if (sv->opt.ami[0] == '[' && hl >= 2 && sv->opt.ami[hl - 1] == ']')
		snprintf(cfg.host, sizeof cfg.host, "%.*s", (int)(hl - 2), sv->opt.ami + 1);
	else
		snprintf(cfg.host, sizeof cfg.host, "%.*s", (int)hl, sv->opt.ami);
	snprintf(cfg.port, sizeof cfg.port, "%s", colon + 1);
	snprintf(cfg.user, sizeof cfg.user, "%s", sv->opt.ami_user);
	if (server_ami_secret(sv->opt.ami_secret_file, cfg.secret, sizeof cfg.secret) < 0) {
		server_log(sv, "AMI: cannot read a secret from %s", sv->opt.ami_secret_file);
		free(x);
		return NULL;
	}
	x->sv = sv;
	x->map = map;
	snprintf(x->where, sizeof x->where, "%.100s as %.50s", sv->opt.ami, sv->opt.ami_user);
	x->ami = acd_ami_new(&cfg, server_ami_on_state, server_ami_on_msg, x,
	                     (uint64_t)server_mono_ms() ^ (uint64_t)getpid());
	memset(cfg.secret, 0, sizeof cfg.secret);
	if (x->ami == NULL) {
		free(x);
		return NULL;
	}
	server_log(sv, "AMI: connecting to %s", x->where);
	return x;
}

long
server_ami_step(struct server_ami *x)
{
	int64_t now = server_mono_ms();

	acd_ami_step(x->ami, now);
	for (int i = 0; i < SERVER_AMI_MOVES_MAX; i++) {
		if (!x->moves[i].used || now < x->moves[i].deadline)
			continue;
		if (x->moves[i].confirmed)
			server_ami_release(x, &x->moves[i]);   /* answered by the move path */
		else
			server_ami_fail(x, &x->moves[i], "%s", "the PBX did not confirm the move in 10 s; "
			                "it may be half done: check the agent's queues");
	}
	return SERVER_AMI_STEP_MS;
}

uint32_t
server_ami_status(const struct server_ami *x, struct proto_count *out, uint32_t room)
{
	struct acd_ami_stats st;
	uint32_t n = 0;

	acd_ami_get_stats(x->ami, &st);
#define SERVER_AMI_COUNT(k, v) \
	do { if (n < room) { snprintf(out[n].name, sizeof out[n].name, "%s", k); out[n++].value = (v); } } while (0)
	SERVER_AMI_COUNT("ami.up", acd_ami_ready(x->ami));
	SERVER_AMI_COUNT("ami.connects", st.connects);
	SERVER_AMI_COUNT("ami.failures", st.failures);
	SERVER_AMI_COUNT("ami.events", x->events);
	SERVER_AMI_COUNT("ami.rebuilds", x->rebuilds);
	SERVER_AMI_COUNT("ami.actions", st.actions);
	SERVER_AMI_COUNT("ami.moves_ok", x->moves_ok);
	SERVER_AMI_COUNT("ami.moves_failed", x->moves_failed);
#undef SERVER_AMI_COUNT
	return n;
}

void
server_ami_close(struct server_ami *x)
{
	if (x == NULL)
		return;
	for (int i = 0; i < SERVER_AMI_MOVES_MAX; i++) {
		if (x->moves[i].used && x->moves[i].confirmed)
			server_ami_release(x, &x->moves[i]);   /* the move path has it */
		else if (x->moves[i].used)
			server_ami_fail(x, &x->moves[i], "%s", "the server is stopping");
	}
	acd_ami_free(x->ami);
	free(x);
}
