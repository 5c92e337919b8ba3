/*
 * testlib: assertions several suites share.
 */
#ifndef POOLTOP_TESTLIB_H
#define POOLTOP_TESTLIB_H

#include "pooltop/proto.h"

/* Every field of two stats rows, intervals up to n_intervals; cost equal
 * to the bit (or both NaN). */
void testlib_row_eq(const struct proto_stats_row *a, const struct proto_stats_row *b);


/* ------------------------------------------------------------ floors */

struct floor;
/* A tenant named by its id, target 80 % in 20 s; asserts it was added. */
void testlib_tenant(struct floor *f, const char *id, enum proto_model m);
/* An idle agent named by its id in `pool`: its floor index, or -1. */
int testlib_agent(struct floor *f, const char *id, const char *pool);
/* The same, its home (roster) pool `home` ("" unknown). */
int testlib_agent_at(struct floor *f, const char *id, const char *pool, const char *home);

/* ------------------------------------------------------------ pooltopd */

#include <stdint.h>
#include <sys/types.h>

/* Where the binaries are: $POOLTOP_BIN, else the tree's bin/. */
const char *testlib_bindir(void);
int64_t testlib_mono_ms(void);
/* A loopback TCP port nobody listens on (bind to 0, read it, close). */
int testlib_free_port(void);

/* A real pooltopd on free loopback ports with a private state dir. */
struct testlib_srv {
	pid_t pid;
	char events[64];
	char requests[64];
	char state[256];
	char log[300];      /* its stderr */
};

/* Pick ports, make the state dir; nothing runs yet. */
void testlib_srv_prepare(struct testlib_srv *s);
/* Start pooltopd with its endpoints and state plus `args` (NULL-ended). */
void testlib_srv_spawn(struct testlib_srv *s, const char *const *args);
void testlib_srv_kill(struct testlib_srv *s, int sig);
/* SIGTERM if running, then remove the state dir and log. */
void testlib_srv_stop(struct testlib_srv *s);

#endif
