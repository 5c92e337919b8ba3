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
#include "pooltop/args.h"
#include "pooltop/cmd_erlang.h"
#include "pooltop/erlang.h"
#include "pooltop/fmt.h"
#include "pooltop/parse.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD_ERLANG_PROG "pooltop erlang"
/* The search for N is O(N); a million agents is far beyond any floor and
 * still answers in milliseconds. */
#define CMD_ERLANG_MAX_AGENTS 1000000u

enum cmd_erlang_status { CMD_ERLANG_OK = 0, CMD_ERLANG_NONE = 1, CMD_ERLANG_USAGE = 2 };

enum cmd_erlang_opt {
	OPT_CALLS = 256, OPT_INTERVAL, OPT_AHT, OPT_TARGET, OPT_SL, OPT_AGENTS,
	OPT_MAX_OCC, OPT_SHRINKAGE, OPT_FORMAT, OPT_HELP
};

struct cmd_erlang_args {
	double calls, interval_s, aht_s, target_s;
	double sl_pct, max_occ_pct, shrink_pct;
	uint32_t agents;
	int have_calls, have_interval, have_aht, have_target, have_sl, have_agents, have_max_occ;
	int json;
};

struct cmd_erlang_result {
	double load;
	uint32_t agents, scheduled;
	double p_wait, service_level, asa_s, occupancy;
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
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static void cmd_erlang_usage(FILE *f)
{
	fputs("usage: pooltop erlang --calls N --interval TIME --aht TIME --target TIME\n"
	      "                      (--sl PCT | --agents N) [--max-occupancy PCT]\n"
	      "                      [--shrinkage PCT] [--format text|json]\n"
	      "\n"
	      "Erlang C staffing for one interval: N contacts offered in the interval,\n"
	      "each taking --aht of agent time (talk + wrap).  A TIME is seconds, or a\n"
	      "number with a unit: 30s, 30m, 1.5h, 1d.\n"
	      "\n"
	      "  --calls N            contacts offered in the interval (0 or more)\n"
	      "  --interval TIME      length of the interval, e.g. 1800 or 30m\n"
	      "  --aht TIME           average handle time, e.g. 180 or 3m\n"
	      "  --target TIME        service-level threshold: answered within TIME\n"
	      "  --sl PCT             find the fewest agents answering PCT% within --target\n"
	      "                       (above 0, below 100; 80 and 80% are the same)\n"
	      "  --agents N           evaluate a staffing of N agents instead\n"
	      "  --max-occupancy PCT  with --sl: also keep occupancy at or below PCT%\n"
	      "  --shrinkage PCT      share of paid time off the phones (breaks, training);\n"
	      "                       scheduled = ceil(agents / (1 - PCT/100))\n"
	      "  --format text|json   output format (default text)\n"
	      "  --help               show this help\n"
	      "\n"
	      "Exit status: 0 done, 1 no staffing meets the target, 2 bad usage.\n", f);
}

/* Bounds of each figure, as docs/ARGUMENTS.md and --help state them. */
static const struct parse_range cmd_erlang_nonneg = { 0, HUGE_VAL, false, false };
static const struct parse_range cmd_erlang_positive = { 0, HUGE_VAL, true, false };
/* 100% service level is out of reach: some contact always meets a full floor. */
static const struct parse_range cmd_erlang_sl = { 0, 100, true, true };
static const struct parse_range cmd_erlang_occ = { 0, 100, true, false };
static const struct parse_range cmd_erlang_shrink = { 0, 100, false, true };
static const char *const cmd_erlang_formats[] = { "text", "json", NULL };

/* Checks one option value and stores it; nonzero stops the parse. */
static int cmd_erlang_take(struct cmd_erlang_args *args, int opt, const char *name, const char *v)
{
	char why[PARSE_WHY_MAX];
	uint64_t n;
	int rc = PARSE_OK, k;

	switch (opt) {
	case OPT_CALLS:
		rc = parse_number(v, &cmd_erlang_nonneg, &args->calls, why, sizeof why);
		args->have_calls = 1;
		break;
	case OPT_INTERVAL:
		rc = parse_duration(v, 1, &cmd_erlang_positive, &args->interval_s, why, sizeof why);
		args->have_interval = 1;
		break;
	case OPT_AHT:
		rc = parse_duration(v, 1, &cmd_erlang_positive, &args->aht_s, why, sizeof why);
		args->have_aht = 1;
		break;
	case OPT_TARGET:
		rc = parse_duration(v, 1, &cmd_erlang_nonneg, &args->target_s, why, sizeof why);
		args->have_target = 1;
		break;
	case OPT_SL:
		rc = parse_percent(v, &cmd_erlang_sl, &args->sl_pct, why, sizeof why);
		args->have_sl = 1;
		break;
	case OPT_AGENTS:
		rc = parse_whole(v, 1, CMD_ERLANG_MAX_AGENTS, &n, why, sizeof why);
		args->agents = (uint32_t)n;
		args->have_agents = 1;
		break;
	case OPT_MAX_OCC:
		rc = parse_percent(v, &cmd_erlang_occ, &args->max_occ_pct, why, sizeof why);
		args->have_max_occ = 1;
		break;
	case OPT_SHRINKAGE:
		rc = parse_percent(v, &cmd_erlang_shrink, &args->shrink_pct, why, sizeof why);
		break;
	case OPT_FORMAT:
		k = parse_choice(v, cmd_erlang_formats, why, sizeof why);
		rc = k < 0 ? PARSE_FORM : PARSE_OK;
		args->json = k == 1;
		break;
	default:
		break;
	}
	return rc == PARSE_OK ? 0 : args_bad_value(CMD_ERLANG_PROG, name, v, why);
}

/* Returns -1 when --help was shown, else an exit status. */
static int cmd_erlang_parse(int argc, char **argv, struct cmd_erlang_args *args)
{
	args_getopt_reset();
	for (;;) {
		int idx = -1;
		int opt = getopt_long(argc, argv, "+:h", cmd_erlang_longopts, &idx);

		if (opt == -1)
			break;
		if (opt == 'h' || opt == OPT_HELP) {
			cmd_erlang_usage(stdout);
			return -1;
		}
		if (opt == ':' || opt == '?')
			return args_getopt_fail(CMD_ERLANG_PROG, opt, argv);
		int rc = cmd_erlang_take(args, opt, cmd_erlang_longopts[idx].name, optarg);

		if (rc)
			return rc;
	}
	if (optind < argc)
		return args_fail(CMD_ERLANG_PROG, "unexpected argument '%s'", argv[optind]);
	if (!args->have_calls)
		return args_fail(CMD_ERLANG_PROG, "missing --calls (contacts offered in the interval)");
	if (!args->have_interval)
		return args_fail(CMD_ERLANG_PROG, "missing --interval (length of the interval)");
	if (!args->have_aht)
		return args_fail(CMD_ERLANG_PROG, "missing --aht (average handle time)");
	if (!args->have_target)
		return args_fail(CMD_ERLANG_PROG, "missing --target (answered within how long)");
	if (args->have_sl && args->have_agents)
		return args_fail(CMD_ERLANG_PROG, "give either --sl or --agents, not both");
	if (!args->have_sl && !args->have_agents)
		return args_fail(CMD_ERLANG_PROG, "missing --sl PCT (find the staffing) or --agents N (evaluate it)");
	if (args->have_max_occ && !args->have_sl)
		return args_fail(CMD_ERLANG_PROG, "--max-occupancy applies only with --sl");
	return CMD_ERLANG_OK;
}

static void cmd_erlang_evaluate(const struct cmd_erlang_args *args, struct cmd_erlang_result *r)
{
	r->p_wait = erlang_c(r->agents, r->load);
	r->service_level = erlang_sl(r->agents, r->load, args->aht_s, args->target_s);
	r->asa_s = erlang_asa(r->agents, r->load, args->aht_s);
	r->occupancy = erlang_occupancy(r->agents, r->load);
}

static int cmd_erlang_compute(const struct cmd_erlang_args *args, struct cmd_erlang_result *r)
{
	r->load = erlang_load(args->calls, args->aht_s, args->interval_s);
	if (args->have_agents) {
		if ((double)args->agents <= r->load)
			return args_fail(CMD_ERLANG_PROG, "--agents: %u agents cannot carry %.2f erlangs: the queue would grow without bound",
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

		r->agents = erlang_agents(r->load, args->aht_s, &tg, CMD_ERLANG_MAX_AGENTS);
		if (r->agents == 0) {
			return args_error(CMD_ERLANG_NONE, CMD_ERLANG_PROG, "no staffing up to %u agents "
			                  "meets the target at %.2f erlangs", CMD_ERLANG_MAX_AGENTS, r->load);
		}
	}
	r->scheduled = erlang_scheduled(r->agents, args->shrink_pct / 100.0);
	if (r->agents > 0 && r->scheduled == 0)
		return args_fail(CMD_ERLANG_PROG, "--shrinkage: too high to keep %u agents on the phones", r->agents);
	cmd_erlang_evaluate(args, r);
	if (!isfinite(r->load) || !isfinite(r->p_wait) || !isfinite(r->service_level) ||
	    !isfinite(r->asa_s) || !isfinite(r->occupancy)) {
		/* Unreachable once n > load is checked; never print NaN. */
		return args_error(CMD_ERLANG_NONE, CMD_ERLANG_PROG, "internal error: result is not a "
		                  "finite number");
	}
	return CMD_ERLANG_OK;
}

static void cmd_erlang_print_json(const struct cmd_erlang_result *r)
{
	printf("{\"load_erlangs\": %.6f, \"agents\": %u, \"scheduled\": %u, \"p_wait\": %.6f, "
	       "\"service_level\": %.6f, \"asa_s\": %.6f, \"occupancy\": %.6f}\n",
	       r->load, r->agents, r->scheduled, r->p_wait, r->service_level, r->asa_s, r->occupancy);
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
		cmd_erlang_print_json(&r);
	else
		cmd_erlang_print_text(&args, &r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		return args_error(CMD_ERLANG_NONE, CMD_ERLANG_PROG, "cannot write the result: %s",
		                  strerror(errno));
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
