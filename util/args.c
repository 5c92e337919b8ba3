/* args: usage errors and getopt's complaints, worded one way. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/args.h"

int
args_error(int status, const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return status;
}

int
args_bad_value(const char *prog, const char *name, const char *value, const char *why)
{
	return args_fail(prog, "--%s %s, got '%s'", name, why, value);
}

int
args_getopt_fail(const char *prog, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		return args_fail(prog, "option '%s' needs a value", arg);
	/* An unknown short option leaves its letter in optopt; a long one
	 * that takes no value but got one leaves its val; an unknown or
	 * ambiguous long one leaves 0.  Long ones sit, as typed, at
	 * argv[optind - 1]. */
	if (strncmp(arg, "--", 2) == 0 && optopt != 0)
		return args_fail(prog, "option '%s' takes no value", arg);
	if (strncmp(arg, "--", 2) == 0)
		return args_fail(prog, "unknown or ambiguous option '%s' (see %s --help)", arg, prog);
	return args_fail(prog, "unknown option '-%c' (see %s --help)", optopt, prog);
}

void
args_getopt_reset(void)
{
	/* glibc needs 0 to also forget a half-scanned argument. */
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
}
