/*
 * cmd_erlang: `pooltop erlang`, the staffing calculator.
 *
 * Either finds the agents a service-level target needs (--sl) or
 * evaluates a given staffing (--agents).  A manager types these figures
 * by hand, so every input is checked and a bad one is named in a single
 * line on stderr (exit 2) instead of being half-parsed into a plausible
 * but wrong answer.
 *
 * Zero contacts is a valid forecast (a quiet night interval): the load
 * is 0 erlangs, no agent is required, nobody waits.
 */
#include "pooltop/cmd_erlang.h"
#include "pooltop/erlang.h"
#include "pooltop/erlang_a.h"
#include "pooltop/fmt.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD_ERLANG_PROG "pooltop erlang"
/* The search for N is O(N); a million agents is far beyond any floor and
 * still answers in milliseconds. */
#define CMD_ERLANG_MAX_AGENTS 1000000u
/* Longer than any figure a person types; also keeps every accepted
 * number far inside double range, so the load cannot overflow. */
#define CMD_ERLANG_MAX_NUMLEN 20

enum cmd_erlang_status { CMD_ERLANG_OK = 0, CMD_ERLANG_NONE = 1, CMD_ERLANG_USAGE = 2 };

enum cmd_erlang_opt {
	OPT_CALLS = 256, OPT_INTERVAL, OPT_AHT, OPT_TARGET, OPT_SL, OPT_AGENTS,
	OPT_MAX_OCC, OPT_SHRINKAGE, OPT_FORMAT, OPT_HELP, OPT_PATIENCE
};

struct cmd_erlang_args {
	double calls, interval_s, aht_s, target_s;
	double sl_pct, max_occ_pct, shrink_pct;
	double patience_s;       /* Erlang A when have_patience */
	uint32_t agents;
	int have_calls, have_interval, have_aht, have_target, have_sl, have_agents, have_max_occ;
	int have_patience;
	int json;
};

struct cmd_erlang_result {
	double load;
	uint32_t agents, scheduled;
	double p_wait, service_level, asa_s, occupancy;
	double p_abandon;
};

static const struct option cmd_erlang_longopts[] = {
	{ "calls", required_argument, NULL, OPT_CALLS },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "aht", required_argument, NULL, OPT_AHT },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "sl", required_argument, NULL, OPT_SL },
	{ "agents", required_argument, NULL, OPT_AGENTS },
	{ "max-occupancy", required_argument, NULL, OPT_MAX_OCC },
	{ "shrinkage", required_argument, NULL, OPT_SHRINKAGE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "patience", required_argument, NULL, OPT_PATIENCE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static void cmd_erlang_usage(FILE *f)
{
	fputs("usage: pooltop erlang --calls N --interval SEC --aht SEC --target SEC\n"
	      "                      (--sl PCT | --agents N) [--max-occupancy PCT]\n"
	      "                      [--shrinkage PCT] [--patience SEC] [--format text|json]\n"
	      "\n"
	      "Erlang C staffing for one interval: N contacts offered in SEC seconds,\n"
	      "each taking --aht seconds of agent time (talk + wrap).  With --patience,\n"
	      "Erlang A: callers hang up after SEC seconds on average.\n"
	      "\n"
	      "  --calls N            contacts offered in the interval (0 or more)\n"
	      "  --interval SEC       length of the interval, e.g. 1800\n"
	      "  --aht SEC            average handle time, e.g. 180\n"
	      "  --target SEC         service-level threshold: answered within SEC\n"
	      "  --sl PCT             find the fewest agents answering PCT% within --target\n"
	      "  --agents N           evaluate a staffing of N agents instead\n"
	      "  --max-occupancy PCT  with --sl: also keep occupancy at or below PCT%\n"
	      "  --shrinkage PCT      share of paid time off the phones (breaks, training);\n"
	      "                       scheduled = ceil(agents / (1 - PCT/100))\n"
	      "  --patience SEC       mean patience: Erlang A (callers who hang up), adds\n"
	      "                       P(abandon); --agents may then be at or below the load\n"
	      "  --format text|json   output format (default text)\n"
	      "  --help               show this help\n"
	      "\n"
	      "Exit status: 0 done, 1 no staffing meets the target, 2 bad usage.\n", f);
}

#ifdef __GNUC__
__attribute__((format(printf, 1, 2)))
#endif
static int cmd_erlang_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(CMD_ERLANG_PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return CMD_ERLANG_USAGE;
}

/*
 * Plain decimals only: strtod alone would also take " 12", "nan", "inf",
 * "0x1p4" and "1e3", none of which a manager means; and a trailing '%'
 * is allowed on percentages because people write "80%".  Returns 0, or
 * prints why not and returns CMD_ERLANG_USAGE.
 */
static int cmd_erlang_number(const char *opt, const char *s, int pct, double *out)
{
	size_t len = strlen(s);
	size_t i = 0, digits = 0, dots = 0;
	int neg = 0;

	if (pct && len > 0 && s[len - 1] == '%')
		len--;
	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.')
			dots++;
		else
			break;
	}
	if (len == 0 || i != len || digits == 0 || dots > 1)
		return cmd_erlang_fail("--%s: '%s' is not a number", opt, s);
	if (len > CMD_ERLANG_MAX_NUMLEN)
		return cmd_erlang_fail("--%s: '%s' has too many digits", opt, s);
	if (neg)
		return cmd_erlang_fail("--%s: must not be negative (got '%s')", opt, s);

	char buf[CMD_ERLANG_MAX_NUMLEN + 1];

	memcpy(buf, s, len);
	buf[len] = '\0';
	/* The caller has switched this thread to the C numeric locale, so
	 * '.' is the decimal point whatever LANG says. */
	*out = strtod(buf, NULL);
	return 0;
}

static int cmd_erlang_count(const char *opt, const char *s, uint32_t *out)
{
	double v;
	int rc = cmd_erlang_number(opt, s, 0, &v);

	if (rc)
		return rc;
	if (v != floor(v))
		return cmd_erlang_fail("--%s: '%s' is not a whole number", opt, s);
	if (v < 1)
		return cmd_erlang_fail("--%s: need at least one agent (got '%s')", opt, s);
	if (v > CMD_ERLANG_MAX_AGENTS)
		return cmd_erlang_fail("--%s: at most %u agents (got '%s')", opt, CMD_ERLANG_MAX_AGENTS, s);
	*out = (uint32_t)v;
	return 0;
}

/* Checks one option value and stores it; nonzero stops the parse. */
static int cmd_erlang_take(struct cmd_erlang_args *args, int opt, const char *name, const char *v)
{
	int rc = 0;

	switch (opt) {
	case OPT_CALLS:
		rc = cmd_erlang_number(name, v, 0, &args->calls);
		args->have_calls = 1;
		break;
	case OPT_INTERVAL:
		rc = cmd_erlang_number(name, v, 0, &args->interval_s);
		if (!rc && args->interval_s <= 0)
			rc = cmd_erlang_fail("--%s: must be more than 0 seconds (got '%s')", name, v);
		args->have_interval = 1;
		break;
	case OPT_AHT:
		rc = cmd_erlang_number(name, v, 0, &args->aht_s);
		if (!rc && args->aht_s <= 0)
			rc = cmd_erlang_fail("--%s: must be more than 0 seconds (got '%s')", name, v);
		args->have_aht = 1;
		break;
	case OPT_TARGET:
		rc = cmd_erlang_number(name, v, 0, &args->target_s);
		args->have_target = 1;
		break;
	case OPT_SL:
		rc = cmd_erlang_number(name, v, 1, &args->sl_pct);
		/* 100% is out of reach: some contact always meets a full floor. */
		if (!rc && (args->sl_pct <= 0 || args->sl_pct >= 100))
			rc = cmd_erlang_fail("--%s: must be above 0 and below 100 percent (got '%s')", name, v);
		args->have_sl = 1;
		break;
	case OPT_AGENTS:
		rc = cmd_erlang_count(name, v, &args->agents);
		args->have_agents = 1;
		break;
	case OPT_MAX_OCC:
		rc = cmd_erlang_number(name, v, 1, &args->max_occ_pct);
		if (!rc && (args->max_occ_pct <= 0 || args->max_occ_pct > 100))
			rc = cmd_erlang_fail("--%s: must be above 0 and at most 100 percent (got '%s')", name, v);
		args->have_max_occ = 1;
		break;
	case OPT_SHRINKAGE:
		rc = cmd_erlang_number(name, v, 1, &args->shrink_pct);
		if (!rc && args->shrink_pct >= 100)
			rc = cmd_erlang_fail("--%s: must be below 100 percent (got '%s')", name, v);
		break;
	case OPT_PATIENCE:
		rc = cmd_erlang_number(name, v, 0, &args->patience_s);
		if (!rc && args->patience_s <= 0)
			rc = cmd_erlang_fail("--%s: must be more than 0 seconds (got '%s')", name, v);
		args->have_patience = 1;
		break;
	case OPT_FORMAT:
		if (strcmp(v, "json") == 0)
			args->json = 1;
		else if (strcmp(v, "text") == 0)
			args->json = 0;
		else
			rc = cmd_erlang_fail("--%s: '%s' is not text or json", name, v);
		break;
	default:
		break;
	}
	return rc;
}

/* Returns -1 when --help was shown, else an exit status. */
static int cmd_erlang_parse(int argc, char **argv, struct cmd_erlang_args *args)
{
	/* getopt keeps its position in globals: start afresh on every call
	 * (glibc needs 0 to also forget a half-scanned argument). */
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
	for (;;) {
		int idx = -1;
		int opt = getopt_long(argc, argv, "+:h", cmd_erlang_longopts, &idx);

		if (opt == -1)
			break;
		if (opt == 'h' || opt == OPT_HELP) {
			cmd_erlang_usage(stdout);
			return -1;
		}
		if (opt == ':')
			return cmd_erlang_fail("option '%s' needs a value", argv[optind - 1]);
		if (opt == '?') {
			/* An unknown short option leaves its letter in optopt; a
			 * long one that takes no value but got one leaves its val;
			 * an unknown or ambiguous long one leaves 0.  Long ones
			 * sit, as typed, at argv[optind - 1]. */
			if (optopt >= OPT_CALLS)
				return cmd_erlang_fail("option '%s' takes no value", argv[optind - 1]);
			if (optopt > 0 && optopt < 128) {
				char o[3] = { '-', (char)optopt, '\0' };

				return cmd_erlang_fail("unknown option '%s' (see --help)", o);
			}
			return cmd_erlang_fail("unknown or ambiguous option '%s' (see --help)", argv[optind - 1]);
		}
		int rc = cmd_erlang_take(args, opt, cmd_erlang_longopts[idx].name, optarg);

		if (rc)
			return rc;
	}
	if (optind < argc)
		return cmd_erlang_fail("unexpected argument '%s'", argv[optind]);
	if (!args->have_calls)
		return cmd_erlang_fail("missing --calls (contacts offered in the interval)");
	if (!args->have_interval)
		return cmd_erlang_fail("missing --interval (length of the interval in seconds)");
	if (!args->have_aht)
		return cmd_erlang_fail("missing --aht (average handle time in seconds)");
	if (!args->have_target)
		return cmd_erlang_fail("missing --target (answered within how many seconds)");
	if (args->have_sl && args->have_agents)
		return cmd_erlang_fail("give either --sl or --agents, not both");
	if (!args->have_sl && !args->have_agents)
		return cmd_erlang_fail("missing --sl PCT (find the staffing) or --agents N (evaluate it)");
	if (args->have_max_occ && !args->have_sl)
		return cmd_erlang_fail("--max-occupancy applies only with --sl");
	return CMD_ERLANG_OK;
}

static void cmd_erlang_evaluate(const struct cmd_erlang_args *args, struct cmd_erlang_result *r)
{
	if (args->have_patience) {
		struct erlang_a ea;

		erlang_a_eval(r->agents, r->load, args->aht_s, args->patience_s, args->target_s, &ea);
		r->p_wait = ea.p_wait;
		r->p_abandon = ea.p_abandon;
		r->service_level = ea.sl;
		/* nobody is answered only when there is no load: no wait */
		r->asa_s = r->load > 0 ? ea.asa_s : 0;
		r->occupancy = ea.occupancy;
		return;
	}
	r->p_wait = erlang_c(r->agents, r->load);
	r->service_level = erlang_sl(r->agents, r->load, args->aht_s, args->target_s);
	r->asa_s = erlang_asa(r->agents, r->load, args->aht_s);
	r->occupancy = erlang_occupancy(r->agents, r->load);
}

static int cmd_erlang_compute(const struct cmd_erlang_args *args, struct cmd_erlang_result *r)
{
	r->load = erlang_load(args->calls, args->aht_s, args->interval_s);
	if (args->have_agents) {
		if (!args->have_patience && (double)args->agents <= r->load)
			return cmd_erlang_fail("--agents: %u agents cannot carry %.2f erlangs: the queue would grow without bound",
			                       args->agents, r->load);
		r->agents = args->agents;
	} else if (r->load <= 0) {
		r->agents = 0;
	} else {
		struct erlang_target tg = {
			.sl = args->sl_pct / 100.0,
			.t_s = args->target_s,
			.max_occupancy = args->have_max_occ ? args->max_occ_pct / 100.0 : 0,
		};

		r->agents = args->have_patience
			? erlang_a_agents(r->load, args->aht_s, args->patience_s, &tg, CMD_ERLANG_MAX_AGENTS)
			: erlang_agents(r->load, args->aht_s, &tg, CMD_ERLANG_MAX_AGENTS);
		if (r->agents == 0) {
			fprintf(stderr, CMD_ERLANG_PROG ": no staffing up to %u agents meets the target at %.2f erlangs\n",
			        CMD_ERLANG_MAX_AGENTS, r->load);
			return CMD_ERLANG_NONE;
		}
	}
	r->scheduled = erlang_scheduled(r->agents, args->shrink_pct / 100.0);
	if (r->agents > 0 && r->scheduled == 0)
		return cmd_erlang_fail("--shrinkage: too high to keep %u agents on the phones", r->agents);
	cmd_erlang_evaluate(args, r);
	if (!isfinite(r->load) || !isfinite(r->p_wait) || !isfinite(r->service_level) ||
	    !isfinite(r->asa_s) || !isfinite(r->occupancy)) {
		/* Unreachable once n > load is checked; never print NaN. */
		fputs(CMD_ERLANG_PROG ": internal error: result is not a finite number\n", stderr);
		return CMD_ERLANG_NONE;
	}
	return CMD_ERLANG_OK;
}

static void cmd_erlang_print_json(const struct cmd_erlang_args *args, const struct cmd_erlang_result *r)
{
	printf("{\"load_erlangs\": %.6f, \"agents\": %u, \"scheduled\": %u, \"p_wait\": %.6f, "
	       "\"service_level\": %.6f, \"asa_s\": %.6f, \"occupancy\": %.6f",
	       r->load, r->agents, r->scheduled, r->p_wait, r->service_level, r->asa_s, r->occupancy);
	if (args->have_patience)
		printf(", \"p_abandon\": %.6f", r->p_abandon);
	printf("}\n");
}

#define CMD_ERLANG_LABEL 30

/* Pads to the value column, with at least two spaces even when an odd
 * shrinkage figure makes the label long. */
static void cmd_erlang_label(const char *label)
{
	int len = (int)strlen(label);

	printf("%s%*s", label, len + 2 > CMD_ERLANG_LABEL ? 2 : CMD_ERLANG_LABEL - len, "");
}

static void cmd_erlang_print_text(const struct cmd_erlang_args *args, const struct cmd_erlang_result *r)
{
	char label[64];

	cmd_erlang_label("Offered load");
	printf("%.2f erlangs\n", r->load);
	cmd_erlang_label(args->have_agents ? "Agents" : "Agents required");
	if (r->agents == 0)
		printf("0 (no contacts offered)\n");
	else
		printf("%u\n", r->agents);
	snprintf(label, sizeof label, "Scheduled (%.4g%% shrinkage)", args->shrink_pct);
	cmd_erlang_label(label);
	printf("%u\n", r->scheduled);
	cmd_erlang_label("P(wait)");
	printf("%.1f%%\n", r->p_wait * 100);
	if (args->have_patience) {
		cmd_erlang_label("P(abandon)");
		printf("%.1f%% (mean patience %.10g s)\n", r->p_abandon * 100, args->patience_s);
	}
	cmd_erlang_label("Service level");
	printf("%.1f%% within %.10g s", r->service_level * 100, args->target_s);
	if (args->have_sl)
		printf(" (target %.10g%%)", args->sl_pct);
	putchar('\n');
	cmd_erlang_label("ASA");
	printf("%.1f s\n", r->asa_s);
	cmd_erlang_label("Occupancy");
	printf("%.1f%%", r->occupancy * 100);
	if (args->have_max_occ)
		printf(" (max %.10g%%)", args->max_occ_pct);
	putchar('\n');
}

static int cmd_erlang_run(int argc, char **argv)
{
	struct cmd_erlang_args args;
	struct cmd_erlang_result r;

	memset(&args, 0, sizeof args);
	memset(&r, 0, sizeof r);
	int rc = cmd_erlang_parse(argc, argv, &args);

	if (rc == -1)
		return fflush(stdout) == 0 ? CMD_ERLANG_OK : CMD_ERLANG_NONE;
	if (rc)
		return rc;
	rc = cmd_erlang_compute(&args, &r);
	if (rc)
		return rc;
	if (args.json)
		cmd_erlang_print_json(&args, &r);
	else
		cmd_erlang_print_text(&args, &r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, CMD_ERLANG_PROG ": cannot write the result: %s\n", strerror(errno));
		return CMD_ERLANG_NONE;
	}
	return CMD_ERLANG_OK;
}

int cmd_erlang_main(int argc, char **argv)
{
	/* Parsing and printing both: "26.67", whatever LANG says. */
	struct fmt_c_numeric loc;
	int rc;

	fmt_c_numeric_enter(&loc);
	rc = cmd_erlang_run(argc, argv);
	fmt_c_numeric_leave(&loc);
	return rc;
}
