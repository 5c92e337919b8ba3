#include <check.h>
#include <math.h>

#include <string.h>

#include "pooltop/floor.h"
#include "testlib.h"

void
testlib_row_eq(const struct proto_stats_row *a, const struct proto_stats_row *b)
{
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_str_eq(a->shift, b->shift);
	ck_assert_int_eq(a->start_ts, b->start_ts);
	ck_assert_int_eq(a->end_ts, b->end_ts);
	ck_assert_uint_eq(a->offered, b->offered);
	ck_assert_uint_eq(a->answered, b->answered);
	ck_assert_uint_eq(a->answered_in_sl, b->answered_in_sl);
	ck_assert_uint_eq(a->abandoned, b->abandoned);
	ck_assert_uint_eq(a->abandoned_short, b->abandoned_short);
	ck_assert_uint_eq(a->wait_ms, b->wait_ms);
	ck_assert_uint_eq(a->talk_ms, b->talk_ms);
	ck_assert_uint_eq(a->wrap_ms, b->wrap_ms);
	ck_assert_uint_eq(a->dedicated_staffed_ms, b->dedicated_staffed_ms);
	ck_assert_uint_eq(a->shared_handle_ms, b->shared_handle_ms);
	ck_assert_msg(a->cost == b->cost || (isnan(a->cost) && isnan(b->cost)), "cost %g != %g",
	              a->cost, b->cost);
	ck_assert_uint_eq(a->handled, b->handled);
	ck_assert_uint_eq(a->n_intervals, b->n_intervals);
	for (uint32_t i = 0; i < a->n_intervals && i < PROTO_INTERVALS_MAX; i++)
		ck_assert_uint_eq(a->intervals[i], b->intervals[i]);
	ck_assert_int_eq(a->has_busy, b->has_busy);
	ck_assert_uint_eq(a->dedicated_busy_ms, b->dedicated_busy_ms);
	ck_assert_uint_eq(a->dedicated_break_ms, b->dedicated_break_ms);
}

/* ------------------------------------------------------------ floors */

void
testlib_tenant(struct floor *f, const char *id, enum proto_model m)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof t);
	proto_strlcpy(t.id, id, PROTO_ID_MAX);
	proto_strlcpy(t.name, id, PROTO_NAME_MAX);
	t.model = m;
	t.sl_pct = 80;
	t.sl_sec = 20;
	ck_assert_int_ge(floor_add_tenant(f, &t), 0);
}

int
testlib_agent(struct floor *f, const char *id, const char *pool)
{
	return testlib_agent_at(f, id, pool, "");
}

int
testlib_agent_at(struct floor *f, const char *id, const char *pool, const char *home)
{
	struct proto_agent a;

	memset(&a, 0, sizeof a);
	proto_strlcpy(a.id, id, PROTO_ID_MAX);
	proto_strlcpy(a.name, id, PROTO_NAME_MAX);
	proto_strlcpy(a.pool, pool, PROTO_ID_MAX);
	proto_strlcpy(a.home, home, PROTO_ID_MAX);
	a.state = PROTO_AS_IDLE;
	return floor_add_agent(f, &a);
}

/* ------------------------------------------------------------ pooltopd */

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

const char *
testlib_bindir(void)
{
	const char *b = getenv("POOLTOP_BIN");

	return b ? b : TEST_SRCDIR "/bin";
}

int64_t
testlib_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
testlib_free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

void
testlib_srv_prepare(struct testlib_srv *s)
{
	memset(s, 0, sizeof *s);
	s->pid = -1;
	snprintf(s->events, sizeof s->events, "tcp://127.0.0.1:%d", testlib_free_port());
	snprintf(s->requests, sizeof s->requests, "tcp://127.0.0.1:%d", testlib_free_port());
	snprintf(s->state, sizeof s->state, "/tmp/pooltop-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->state));
	snprintf(s->log, sizeof s->log, "%s.log", s->state);
}

void
testlib_srv_spawn(struct testlib_srv *s, const char *const *args)
{
	char path[512];

	snprintf(path, sizeof path, "%s/pooltopd", testlib_bindir());
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		const char *argv[40];
		int n = 0;

		dup2(fd, 2);
		dup2(fd, 1);
		argv[n++] = path;
		argv[n++] = "--events";
		argv[n++] = s->events;
		argv[n++] = "--requests";
		argv[n++] = s->requests;
		argv[n++] = "--state";
		argv[n++] = s->state;
		for (int i = 0; args && args[i] && n < 39; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv(path, (char *const *)argv);
		_exit(127);
	}
}

void
testlib_srv_kill(struct testlib_srv *s, int sig)
{
	int st;

	if (s->pid <= 0)
		return;
	kill(s->pid, sig);
	waitpid(s->pid, &st, 0);
	s->pid = -1;
}

void
testlib_srv_stop(struct testlib_srv *s)
{
	char cmd[700];

	testlib_srv_kill(s, SIGTERM);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", s->state, s->log);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup of %s failed\n", s->state);
}
