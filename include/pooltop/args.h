/*
 * args: what every command line shares.  A usage error is one line on
 * stderr, "PROG: what is wrong", and exit status 2, whichever program
 * (pooltopd, pooltop, pooltop report, pooltop erlang) it comes from.
 */
#ifndef POOLTOP_ARGS_H
#define POOLTOP_ARGS_H

#define ARGS_USAGE 2  /* the exit status of a usage error */

/* Prints "PROG: MESSAGE" and returns `status`. */
int args_error(int status, const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for a usage error: returns ARGS_USAGE. */
#define args_fail(prog, ...) args_error(ARGS_USAGE, (prog), __VA_ARGS__)
/* "PROG: --NAME WHY, got 'VALUE'" for the long option NAME (why from
 * pooltop/parse.h); ARGS_USAGE. */
int args_bad_value(const char *prog, const char *name, const char *value, const char *why);
/* getopt_long returned ':' or '?' (with ":" leading its optstring and
 * opterr 0): says which option was wrong and how; ARGS_USAGE. */
int args_getopt_fail(const char *prog, int c, char **argv);
/* getopt keeps its position in globals: a command that may run twice in
 * one process (the tests) starts each scan afresh. */
void args_getopt_reset(void);

#endif
