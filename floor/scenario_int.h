/*
 * scenario_int: how the pieces of the scenario reader meet.  Not for
 * other rooms; pooltop/scenario.h is the module's face.
 *
 *   scenario_read.c    the text, via inih, into sections and entries that
 *                      know their line numbers (pass 1)
 *   scenario_value.c   the vocabulary of pass 2: the first error with its
 *                      line, looking up keys, numbers (pooltop/parse.h),
 *                      clock times, lists, ids and display names
 *   scenario_demand.c  [floor], [shift] and [tenant]: when the floor works
 *                      and what work arrives — meaning and checks
 *   scenario_staff.c   [pool] and [agent]: who does it — meaning,
 *                      generated agents and the routing cross-checks
 *   scenario_names.c   the names generated agents get
 *   scenario.c         the driver: passes in order, load, free, look-ups
 *
 * Only the first error is reported: a scenario is fixed one line at a
 * time and later messages are often consequences of the first.
 */
#ifndef POOLTOP_SCENARIO_INT_H
#define POOLTOP_SCENARIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/scenario.h"
#include "pooltop/strindex.h"

#define SCENARIO_KEY_MAX 64
#define SCENARIO_DAY_MIN 1440u

enum scenario_kind {
	SCENARIO_SEC_FLOOR,
	SCENARIO_SEC_SHIFT,
	SCENARIO_SEC_TENANT,
	SCENARIO_SEC_POOL,
	SCENARIO_SEC_AGENT,
	SCENARIO_SEC__COUNT
};

/* A [kind id] section and where its entries are. */
struct scenario_sec {
	enum scenario_kind kind;
	char id[PROTO_ID_MAX + 1];
	int line;
	uint32_t first;      /* its entries are ents[first .. first+n) */
	uint32_t n;
	uint32_t index;      /* into the scenario array of its kind */
};

/* key = value, continuation lines already joined. */
struct scenario_ent {
	uint32_t sec;
	int line;
	char key[SCENARIO_KEY_MAX];
	char *value;
};

struct scenario_ctx {
	const char *name;    /* the file, for messages */
	char *err;
	size_t errlen;
	bool failed;

	/* pass 1 (scenario_read.c): the reader's view of the text */
	const char *pos;
	int lineno;
	bool indented;       /* the current line starts with white space */
	bool sec_has_key;    /* inih's prev_name is set (continuations possible) */
	char prev_key[SCENARIO_KEY_MAX]; /* ... and what it is */

	struct scenario_sec *secs;
	uint32_t n_secs, cap_secs;
	struct scenario_ent *ents;
	uint32_t n_ents, cap_ents;

	/* pass 2 */
	struct scenario *sc;
	int *agent_line;         /* where each agent came from, for duplicates */
	unsigned flags;          /* SCENARIO_F_* */
};

/* What pass 2 keeps while it builds pools and agents. */
struct scenario_build {
	struct strindex tenants;        /* tenant id -> index */
	struct strindex pools;          /* pool id -> index */
	int *dedicated_of;              /* tenant -> its dedicated pool's section line, 0 = none */
	uint32_t *dedicated_pool;       /* tenant -> that pool */
	bool *shared_served;            /* tenant -> some shared pool serves it */
	uint32_t *listed_in;            /* tenant -> 1 + the last pool whose serves named it */
	uint32_t next_agent;            /* agents filled so far */
	uint32_t next_generated;        /* generated ids handed out */
	int id_width;
};

/* scenario_read.c: pass 1 over text; false on the first error. */
bool scenario_read(struct scenario_ctx *cx, const char *text);

/* scenario_value.c */
void scenario_fail(struct scenario_ctx *cx, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *scenario_what(const struct scenario_sec *s, char *buf, size_t len);
const char *scenario_kind_name(enum scenario_kind k);
bool scenario_space(char c);
char *scenario_trim(char *s);
void scenario_copy(char *dst, const char *src, size_t cap);
const char *scenario_id_problem(const char *s);
const char *scenario_name_problem(const char *s);
const struct scenario_ent *scenario_get(const struct scenario_ctx *cx,
                                        const struct scenario_sec *s, const char *key);
const struct scenario_ent *scenario_need(struct scenario_ctx *cx,
                                         const struct scenario_sec *s, const char *key);
void scenario_check_keys(struct scenario_ctx *cx);
/* A number of `key` in [lo, hi] (lo excluded when `above`), by the rules
 * of pooltop/parse.h; false after scenario_fail. */
bool scenario_num_text(struct scenario_ctx *cx, int line, const char *what, const char *key,
                       const char *text, double lo, double hi, bool above, double *out);
bool scenario_uint_text(struct scenario_ctx *cx, int line, const char *what, const char *key,
                        const char *text, uint32_t lo, uint32_t hi, uint32_t *out);
/* Optional keys: *out is left alone when the key is absent. */
bool scenario_opt_num(struct scenario_ctx *cx, const struct scenario_sec *s, const char *key,
                      double lo, double hi, bool above, double *out);
bool scenario_opt_uint(struct scenario_ctx *cx, const struct scenario_sec *s, const char *key,
                       uint32_t lo, uint32_t hi, uint32_t *out);
bool scenario_hhmm(const char *s, bool end, uint32_t *minutes);
void scenario_fmt_hhmm(char out[PROTO_HHMM_MAX + 1], uint32_t minutes);
uint32_t scenario_span(uint32_t a, uint32_t b);
/* The items of a comma-separated list value (blank items skipped), in a
 * copy of their own; false after scenario_fail. */
struct scenario_items {
	char **at;
	uint32_t n;
	char *buf;
};
bool scenario_items(struct scenario_ctx *cx, const char *value, struct scenario_items *it);
void scenario_items_free(struct scenario_items *it);
bool scenario_pair(char *item, char **name, char **num);
int scenario_shift_index(const struct scenario *sc, const char *name);
/* An Asterisk mapping list (queues, aliases) into *out as written (NULL
 * when absent); false after scenario_fail. */
bool scenario_acd_text(struct scenario_ctx *cx, const struct scenario_sec *s,
                       const char *key, char **out);

/* scenario_demand.c */
void scenario_do_floor(struct scenario_ctx *cx, const struct scenario_sec *s);
void scenario_do_shift(struct scenario_ctx *cx, struct scenario_sec *s);
void scenario_check_shifts(struct scenario_ctx *cx);
void scenario_do_tenant(struct scenario_ctx *cx, struct scenario_sec *s);

/* scenario_staff.c */
void scenario_do_pool(struct scenario_ctx *cx, struct scenario_build *b,
                      const struct scenario_sec *s, uint32_t n_agents);
void scenario_do_agent(struct scenario_ctx *cx, struct scenario_build *b,
                       const struct scenario_sec *s);
void scenario_check_routes(struct scenario_ctx *cx, const struct scenario_build *b);

/* scenario_names.c: the display name of generated agent k of a pool. */
void scenario_names_pick(char out[PROTO_NAME_MAX + 1], const char *pool, uint32_t k);

#endif
