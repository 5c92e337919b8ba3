/*
 * pooltopd's loop: advance the floor clock, let the simulator catch up to
 * it (every event goes through server_publish: seq, floor_apply, store,
 * PUB), answer requests, send heartbeats.  One thread; zmq_poll waits for
 * the next simulated event, the next heartbeat, a request or a signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/auth.h"
#include "pooltop/server.h"

#define SERVER_BATCH 20000       /* sim events between polls at --speed max */
#define SERVER_REQ_FRAMES_MAX 4  /* identity, delimiter, body, one spare */
#define SERVER_REQ_SLICE_MS 50   /* wall ms of requests before the loop goes round */
#define SERVER_HB_MS 1000        /* wall ms between heartbeats */
/* Closed-shift rows kept while the store refuses them. */
#define SERVER_HISTORY_PENDING_MAX PROTO_ROWS_MAX

static int64_t
server_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
server_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
server_log(const struct server *sv, const char *fmt, ...)
{
	va_list ap;
	char when[32] = "--:--:--";
	time_t t;
	struct tm tm;

	if (sv->sim != NULL) {
		t = (time_t)(sim_now(sv->sim) / 1000);
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	}
	fprintf(stderr, "pooltopd[%s]: ", when);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int64_t
server_floor_now(const struct server *sv)
{
	return sim_now(sv->sim);
}

/* Closed shifts leave the floor for the store as soon as they close, so
 * history survives a restart and the floor does not grow.  Rows the store
 * refuses stay on the floor and go with the next close (one transaction,
 * and INSERT OR REPLACE, so a retry never duplicates); a store that never
 * recovers costs at most SERVER_HISTORY_PENDING_MAX rows of memory. */
static void
server_persist_history(struct server *sv)
{
	struct floor *f = &sv->floor;

	if (f->n_history == 0)
		return;
	if (store_history_add(sv->store, f->history, f->n_history) < 0) {
		server_log(sv, "cannot record closed shift, %u tenant rows kept to retry at the next "
		           "close: %s", f->n_history, store_errmsg(sv->store));
		if (f->n_history > SERVER_HISTORY_PENDING_MAX) {
			server_log(sv, "dropping the oldest %u unrecorded history rows",
			           f->n_history - SERVER_HISTORY_PENDING_MAX);
			floor_history_trim(f, SERVER_HISTORY_PENDING_MAX);
		}
		return;
	}
	if (!sv->opt.quiet)
		server_log(sv, "shift closed: %u tenant rows recorded", f->n_history);
	floor_history_trim(f, 0);
}

static void
server_send(struct server *sv, const struct proto_event *ev)
{
	proto_buf_reset(&sv->out);
	if (proto_encode_event(&sv->out, ev) < 0) {
		server_log(sv, "out of memory encoding an event");
		return;
	}
	/* PUB never blocks: past the high-water mark it drops, and the
	 * subscriber sees the gap in seq. */
	zmq_send(sv->pub, PROTO_TOPIC, strlen(PROTO_TOPIC), ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(sv->pub, sv->out.data, sv->out.len, ZMQ_DONTWAIT);
	sv->n_published++;
}

void
server_publish(struct server *sv, struct proto_event *ev)
{
	ev->epoch = sv->epoch;
	ev->seq = ++sv->seq;
	if (floor_apply(&sv->floor, ev, false) != FLOOR_APPLIED)
		server_log(sv, "model refused its own %s event (seq %llu)",
		           proto_event_type_name(ev->type), (unsigned long long)ev->seq);
	if (ev->type == PROTO_EV_SHIFT_STARTED)
		server_persist_history(sv);
	server_send(sv, ev);
	feeds_publish(&sv->feeds, sv->router, &sv->floor, ev);
}

static void
server_on_sim(void *ctx, struct proto_event *ev)
{
	server_publish(ctx, ev);
}

static void
server_heartbeat(struct server *sv)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_HB;
	ev.epoch = sv->epoch;
	ev.seq = sv->seq;
	ev.ts = server_floor_now(sv);
	server_send(sv, &ev);
	feeds_heartbeat(&sv->feeds, sv->router, ev.ts);
}

/* ------------------------------------------------------------ setup */

struct server_assignment {
	uint32_t agent;
	uint32_t pool;
};

struct server_assign_ctx {
	struct server *sv;
	uint32_t *pool_of;           /* per scenario agent */
	uint32_t n;
};

static int
server_on_assignment(const char *agent, const char *pool, void *arg)
{
	struct server_assign_ctx *ac = arg;
	const struct scenario *sc = &ac->sv->sc;
	int p = scenario_pool_find(sc, pool);

	for (uint32_t a = 0; a < sc->n_agents; a++) {
		if (strcmp(sc->agents[a].id, agent) != 0)
			continue;
		if (p < 0) {
			server_log(ac->sv, "state: agent %s was moved to pool %s, which this scenario lacks; "
			           "keeping its scenario pool", agent, pool);
			return 0;
		}
		ac->pool_of[a] = (uint32_t)p;
		ac->n++;
		return 0;
	}
	server_log(ac->sv, "state: agent %s is not in this scenario; its move is ignored", agent);
	return 0;
}

/* The floor starts as the scenario says, with persisted moves applied:
 * every agent offline until the simulator puts the shift on duty. */
static int
server_build_floor(struct server *sv, const uint32_t *pool_of, int64_t now)
{
	const struct scenario *sc = &sv->sc;
	struct floor *f = &sv->floor;

	floor_init(f);
	f->epoch = sv->epoch;
	f->ts = now;
	for (uint32_t i = 0; i < sc->n_shifts; i++)
		if (floor_add_shift(f, &sc->shifts[i].def) < 0)
			return -1;
	for (uint32_t i = 0; i < sc->n_tenants; i++)
		if (floor_add_tenant(f, &sc->tenants[i].def) < 0)
			return -1;
	for (uint32_t i = 0; i < sc->n_pools; i++)
		if (floor_add_pool(f, &sc->pools[i].def) < 0)
			return -1;
	for (uint32_t i = 0; i < sc->n_agents; i++) {
		struct proto_agent a;

		memset(&a, 0, sizeof a);
		proto_strlcpy(a.id, sc->agents[i].id, PROTO_ID_MAX);
		proto_strlcpy(a.name, sc->agents[i].name, PROTO_NAME_MAX);
		proto_strlcpy(a.pool, sc->pools[pool_of[i]].def.id, PROTO_ID_MAX);
		a.state = PROTO_AS_OFFLINE;
		a.since_ts = now;
		a.acc_ts = now;
		if (floor_add_agent(f, &a) < 0)
			return -1;
	}
	return 0;
}

static int
server_bind(struct server *sv, void *sock, const char *ep, const char *what)
{
	if (zmq_bind(sock, ep) == 0)
		return 0;
	server_log(sv, "cannot bind %s endpoint %s: %s", what, ep, zmq_strerror(zmq_errno()));
	return -1;
}

static int
server_open_zmq(struct server *sv)
{
	int linger = 0, hwm = sv->opt.sndhwm, one = 1;
	int64_t maxmsg = 1024 * 1024;

	sv->zctx = zmq_ctx_new();
	if (sv->zctx == NULL)
		return -1;
	sv->pub = zmq_socket(sv->zctx, ZMQ_PUB);
	sv->router = zmq_socket(sv->zctx, ZMQ_ROUTER);
	if (sv->pub == NULL || sv->router == NULL)
		return -1;
	zmq_setsockopt(sv->pub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(sv->pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
	zmq_setsockopt(sv->router, ZMQ_LINGER, &linger, sizeof linger);
	/* A peer that sends more than this is disconnected by libzmq before
	 * anything is buffered; frames between the request limit and this
	 * get a bad_request. */
	zmq_setsockopt(sv->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	/* Mandatory: a stream to a peer that has gone is closed, not kept
	 * (feeds.c). */
	zmq_setsockopt(sv->router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
	if (auth_open(sv) < 0)
		return -1;
	if (server_bind(sv, sv->pub, sv->opt.events_ep, "events") < 0)
		return -1;
	if (server_bind(sv, sv->router, sv->opt.requests_ep, "requests") < 0)
		return -1;
	return 0;
}

static int
server_open_signals(struct server *sv)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);     /* reload the keystore */
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	sv->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);
	return sv->sigfd < 0 ? -1 : 0;
}

static const char *
server_state_dir(char *buf, size_t len)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (x != NULL && *x == '/')
		snprintf(buf, len, "%s/pooltop", x);
	else
		snprintf(buf, len, "%s/.local/state/pooltop", home ? home : ".");
	return buf;
}

static int32_t
server_tz_offset(int64_t at_ms)
{
	time_t t = (time_t)(at_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	return (int32_t)tm.tm_gmtoff;
}

/*
 * The store's counter alone restarts at 1 with a fresh state directory,
 * and a client that saw the old run would take the new run's events for
 * ones it already applied.  Wall-clock seconds (real time, not the floor
 * clock, which --start can set back) make it unique across runs; the low
 * 16 bits of the counter keep two starts within one second apart.
 * Seconds, not ms: the result stays below 2^53, so readers that hold
 * numbers as doubles (JSON, JavaScript) still compare epochs exactly.
 */
static uint64_t
server_epoch(int64_t wall_ms, uint64_t counter)
{
	uint64_t sec = wall_ms > 0 ? (uint64_t)(wall_ms / 1000) : 0;

	return (sec << 16) | (counter & 0xffff);
}

int
server_open(struct server *sv, const struct server_opts *o)
{
	char err[512], dir[1024], speed[32];
	struct server_assign_ctx ac;
	const char *state;
	uint64_t counter;
	int64_t now;

	memset(sv, 0, sizeof *sv);
	sv->opt = *o;
	sv->sigfd = -1;
	proto_buf_init(&sv->out);
	floor_init(&sv->floor);
	state = o->state_dir ? o->state_dir : server_state_dir(dir, sizeof dir);

	if (scenario_load(o->scenario, &sv->sc, err, sizeof err) < 0) {
		fprintf(stderr, "pooltopd: %s\n", err);
		return -1;
	}
	if (store_open(&sv->store, state, err, sizeof err) < 0) {
		fprintf(stderr, "pooltopd: %s\n", err);
		return -1;
	}
	if (store_next_epoch(sv->store, &counter) < 0) {
		fprintf(stderr, "pooltopd: state: %s\n", store_errmsg(sv->store));
		return -1;
	}
	sv->epoch = server_epoch(server_real_ms(), counter);

	now = o->start_ts >= 0 ? o->start_ts : server_real_ms();
	ac.sv = sv;
	ac.n = 0;
	ac.pool_of = calloc(sv->sc.n_agents ? sv->sc.n_agents : 1, sizeof *ac.pool_of);
	if (ac.pool_of == NULL)
		return -1;
	for (uint32_t a = 0; a < sv->sc.n_agents; a++)
		ac.pool_of[a] = sv->sc.agents[a].pool;
	store_assignments_each(sv->store, server_on_assignment, &ac);

	if (server_build_floor(sv, ac.pool_of, now) < 0) {
		fprintf(stderr, "pooltopd: cannot build the floor from %s\n", o->scenario);
		free(ac.pool_of);
		return -1;
	}
	sv->sim = sim_new(&sv->sc, o->seed, now, server_tz_offset(now), server_on_sim, sv);
	if (sv->sim == NULL) {
		free(ac.pool_of);
		return -1;
	}
	for (uint32_t a = 0; a < sv->sc.n_agents; a++)
		sim_move(sv->sim, a, ac.pool_of[a]);
	free(ac.pool_of);

	if (server_open_zmq(sv) < 0 || server_open_signals(sv) < 0)
		return -1;

	if (o->speed > 0)
		snprintf(speed, sizeof speed, "%.6g", o->speed);
	else
		snprintf(speed, sizeof speed, "max");
	server_log(sv, "pooltopd %s: scenario %s (%u tenants, %u pools, %u agents), seed %llu, "
	           "speed %s, epoch %llu, %u persisted moves, state %s",
	           POOLTOP_VERSION, o->scenario, sv->sc.n_tenants, sv->sc.n_pools, sv->sc.n_agents,
	           (unsigned long long)o->seed, speed, (unsigned long long)sv->epoch, ac.n, state);
	server_log(sv, "events on %s, requests on %s", o->events_ep, o->requests_ep);

	sv->wall_start = server_mono_ms();
	sv->floor_start = now;
	sv->floor_end = o->duration_ms > 0 ? now + o->duration_ms : INT64_MAX;
	sv->next_hb = sv->wall_start;
	sim_start(sv->sim);
	return 0;
}

/* ------------------------------------------------------------ requests */

static void
server_on_request(struct server *sv)
{
	zmq_msg_t frames[SERVER_REQ_FRAMES_MAX];
	int n = 0, more;
	size_t more_len = sizeof more;

	do {
		if (n < SERVER_REQ_FRAMES_MAX) {
			zmq_msg_init(&frames[n]);
			if (zmq_msg_recv(&frames[n], sv->router, ZMQ_DONTWAIT) < 0) {
				zmq_msg_close(&frames[n]);
				break;
			}
			n++;
		} else {
			zmq_msg_t junk;
			zmq_msg_init(&junk);
			zmq_msg_recv(&junk, sv->router, ZMQ_DONTWAIT);
			zmq_msg_close(&junk);
		}
		more = 0;
		zmq_getsockopt(sv->router, ZMQ_RCVMORE, &more, &more_len);
	} while (more);

	/* identity [+ empty delimiter] + body: anything else is not a
	 * request we can answer, so it is counted and dropped. */
	if (n == 2 || (n == 3 && zmq_msg_size(&frames[1]) == 0)) {
		zmq_msg_t *body = &frames[n - 1];
		struct proto_buf reply;
		struct request_who who;
		char owner[AUTH_OWNER_MAX];

		proto_buf_init(&reply);
		sv->n_requests++;
		if (auth_who(sv, &frames[0], body, &who, owner, &reply))
			request_handle_as(sv, &who, zmq_msg_data(body), zmq_msg_size(body), &reply);
		/* The peer may have gone, or its queue be full: then no reply. */
		if (zmq_send(sv->router, zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]),
		             ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
			n = -n;
		else if (n == 3)
			zmq_send(sv->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
		if (n > 0)
			zmq_send(sv->router, reply.data, reply.len, ZMQ_DONTWAIT);
		n = n < 0 ? -n : n;
		proto_buf_free(&reply);
	} else if (n > 0) {
		sv->n_bad_requests++;
	}
	for (int i = 0; i < n; i++)
		zmq_msg_close(&frames[i]);
}

/* ------------------------------------------------------------ loop */

static void
server_on_signal(struct server *sv)
{
	struct signalfd_siginfo si;

	while (read(sv->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			auth_reload(sv);
			continue;
		}
		server_log(sv, "%s: shutting down", strsignal((int)si.ssi_signo));
		sv->stop = true;
	}
}

/* Let the simulation catch up with the floor clock; returns how long
 * (wall ms) until there is more to do. */
static long
server_advance(struct server *sv, int64_t wall)
{
	int64_t target, next;

	if (sv->opt.speed <= 0) {
		target = sv->floor_end;
		sim_run_until(sv->sim, target, SERVER_BATCH);
		if (sim_next_ts(sv->sim) > sv->floor_end)
			sim_run_until(sv->sim, sv->floor_end, 0);
		return 0;
	}
	target = sv->floor_start + (int64_t)((double)(wall - sv->wall_start) * sv->opt.speed);
	if (target > sv->floor_end)
		target = sv->floor_end;
	/* Bounded so a very high speed still answers requests promptly. */
	if (sim_run_until(sv->sim, target, SERVER_BATCH) == SERVER_BATCH)
		return 0;
	next = sim_next_ts(sv->sim);
	if (next == INT64_MAX)
		return 1000;
	return (long)((double)(next - target) / sv->opt.speed) + 1;
}

static void
server_heartbeat_due(struct server *sv, int64_t wall)
{
	if (wall >= sv->next_hb) {
		server_heartbeat(sv);
		sv->next_hb = wall + SERVER_HB_MS;
	}
}

/*
 * Requests waiting on the ROUTER, for at most SERVER_REQ_SLICE_MS of wall
 * time: a flood of them can neither stall the floor nor silence the
 * heartbeat (3 s without one and every client resyncs).  Each request sees
 * the floor as of now: at --speed 600 the clock as of the last poll could
 * be ten floor minutes behind.
 */
static void
server_on_requests(struct server *sv)
{
	int64_t until = server_mono_ms() + SERVER_REQ_SLICE_MS;

	for (;;) {
		int64_t wall;
		int ev = 0;
		size_t len = sizeof ev;

		if (sv->opt.speed > 0)
			server_advance(sv, server_mono_ms());
		server_on_request(sv);
		wall = server_mono_ms();
		server_heartbeat_due(sv, wall);
		if (wall >= until || sim_now(sv->sim) >= sv->floor_end)
			break;
		zmq_getsockopt(sv->router, ZMQ_EVENTS, &ev, &len);
		if (!(ev & ZMQ_POLLIN))
			break;
	}
}

int
server_run(struct server *sv)
{
	while (!sv->stop) {
		int64_t wall = server_mono_ms();
		long timeout = server_advance(sv, wall);
		zmq_pollitem_t items[3] = {
			{ sv->router, 0, ZMQ_POLLIN, 0 },
			{ NULL, sv->sigfd, ZMQ_POLLIN, 0 },
			{ sv->zap ? zap_socket(sv->zap) : NULL, -1, ZMQ_POLLIN, 0 },
		};

		if (sim_now(sv->sim) >= sv->floor_end) {
			server_log(sv, "--duration reached");
			break;
		}
		wall = server_mono_ms();
		server_heartbeat_due(sv, wall);
		if (timeout > sv->next_hb - wall)
			timeout = (long)(sv->next_hb - wall);
		if (timeout < 0)
			timeout = 0;
		if (zmq_poll(items, sv->zap ? 3 : 2, timeout) < 0) {
			if (zmq_errno() == EINTR)
				continue;
			server_log(sv, "zmq_poll: %s", zmq_strerror(zmq_errno()));
			return -1;
		}
		if (items[1].revents & ZMQ_POLLIN)
			server_on_signal(sv);
		/* Handshakes in bounded batches, so a flood of them leaves
		 * room for requests and the feed on every turn. */
		if (items[2].revents & ZMQ_POLLIN)
			zap_handle(sv->zap, &sv->keys, server_mono_ms(), AUTH_ZAP_BATCH);
		if (sv->zap)
			zap_flush_log(sv->zap, server_mono_ms());
		if (items[0].revents & ZMQ_POLLIN)
			server_on_requests(sv);
	}
	return 0;
}

void
server_close(struct server *sv)
{
	struct sim_stats st;

	if (sv->sim != NULL) {
		sim_get_stats(sv->sim, &st);
		server_log(sv, "stopped: %llu events published, %llu contacts, %llu requests "
		           "(%llu malformed)", (unsigned long long)sv->n_published,
		           (unsigned long long)st.contacts, (unsigned long long)sv->n_requests,
		           (unsigned long long)sv->n_bad_requests);
	}
	if (sv->pub) {
		/* A second for subscribers to get what is queued (the last
		 * events of a --duration run); then go regardless. */
		int linger = 1000;
		zmq_setsockopt(sv->pub, ZMQ_LINGER, &linger, sizeof linger);
		zmq_close(sv->pub);
	}
	if (sv->router)
		zmq_close(sv->router);
	auth_close(sv);
	if (sv->zctx)
		zmq_ctx_term(sv->zctx);
	if (sv->sigfd >= 0)
		close(sv->sigfd);
	sim_free(sv->sim);
	store_close(sv->store);
	floor_free(&sv->floor);
	scenario_free(&sv->sc);
	proto_buf_free(&sv->out);
	sv->sim = NULL;
}
