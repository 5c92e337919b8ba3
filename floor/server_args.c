/* pooltopd's command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pooltop/auth.h"
#include "pooltop/server.h"

static const char server_usage[] =
"usage: pooltopd [options]\n"
"\n"
"The pooltop floor server: simulates a contact-center floor, publishes every\n"
"change on a ZeroMQ PUB socket and answers requests (snapshot, move, history,\n"
"audit) on a ROUTER socket.  See pooltopd(8) and proto/PROTOCOL.md.\n"
"\n"
"  --scenario FILE   floor definition (default: scenarios/demo.ini, or the\n"
"                    installed copy)\n"
"  --speed X|max     floor clock speed: 60 runs an hour per minute; max runs\n"
"                    flat out (default 1)\n"
"  --start HH:MM     start the floor clock at HH:MM today, local time\n"
"                    (default: now)\n"
"  --duration D      stop after D of floor time: 90s, 45m, 24h, 2d\n"
"  --seed N          random seed (default: random, logged)\n"
"  --events EP       PUB endpoint (default " SERVER_EVENTS_EP ")\n"
"  --requests EP     ROUTER endpoint (default " SERVER_REQUESTS_EP ")\n"
"  --state DIR       durable state (default ${XDG_STATE_HOME:-~/.local/state}/pooltop)\n"
"  --hwm N           PUB high-water mark in messages (default 100000)\n"
"  --quiet           log only start, stop and errors\n"
"  --server-key PATH the server's CURVE secret key (pooltop keygen PATH);\n"
"                    with --keystore\n"
"  --keystore FILE   keys that may connect: PUBLIC_KEY NAME ROLE SCOPE per\n"
"                    line; both sockets become CURVE servers (SIGHUP reloads)\n"
"  --insecure        allow binding beyond loopback without keys (anyone who\n"
"                    can connect reads everything and moves agents)\n"
"  -h, --help        this help\n"
"  -V, --version     the version\n";

static int
server_args_bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "pooltopd: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pooltopd --help'.\n");
	return 2;
}

static int
server_args_speed(const char *s, double *out)
{
	char *end;
	double v;

	if (strcmp(s, "max") == 0) {
		*out = 0;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 1e6)
		return -1;
	*out = v;
	return 0;
}

/* "90", "90s", "45m", "24h", "2d": floor time in ms. */
static int
server_args_duration(const char *s, int64_t *out)
{
	char *end;
	double v, unit = 1000;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v <= 0)
		return -1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		unit = 60e3, end++;
	else if (*end == 'h')
		unit = 3600e3, end++;
	else if (*end == 'd')
		unit = 86400e3, end++;
	if (*end || v * unit > 1e15)
		return -1;
	*out = (int64_t)(v * unit);
	return 0;
}

static int
server_args_start(const char *s, int64_t *out)
{
	unsigned h, m;
	char tail;
	struct timespec now;
	struct tm tm;
	time_t t;

	if (sscanf(s, "%2u:%2u%c", &h, &m, &tail) != 2 || h > 23 || m > 59 || strlen(s) != 5)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	t = now.tv_sec;
	localtime_r(&t, &tm);
	tm.tm_hour = (int)h;
	tm.tm_min = (int)m;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm) * 1000;
	return 0;
}

static int
server_args_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '-' || *s == '\0')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Keys come as a pair of options, and without them nothing listens
 * beyond this machine unless the operator says so in as many words. */
static int
server_args_security(const struct server_opts *o)
{
	const char *far;

	if ((o->keystore == NULL) != (o->server_key == NULL))
		return server_args_bad("%s", o->keystore ? "--keystore needs --server-key PATH (make one "
		                       "with: pooltop keygen PATH)" : "--server-key needs --keystore FILE");
	if (o->keystore != NULL || o->insecure)
		return 0;
	far = !auth_endpoint_local(o->events_ep) ? o->events_ep :
	      !auth_endpoint_local(o->requests_ep) ? o->requests_ep : NULL;
	if (far == NULL)
		return 0;
	fprintf(stderr, "pooltopd: refusing to listen on %s without keys: anyone who can reach it "
	        "could read every tenant's data and move agents.\n"
	        "Give --server-key PATH --keystore FILE (see 'Running it across a network' in the "
	        "README), bind a loopback address, or add --insecure to accept the risk.\n", far);
	return 2;
}

static const char *
server_args_scenario(void)
{
	struct stat st;

	if (stat("scenarios/demo.ini", &st) == 0)
		return "scenarios/demo.ini";
	return POOLTOP_DATADIR "/scenarios/demo.ini";
}

int
server_parse_args(int argc, char **argv, struct server_opts *o)
{
	static const struct option longopts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "speed", required_argument, NULL, 'x' },
		{ "start", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'r' },
		{ "events", required_argument, NULL, 'e' },
		{ "requests", required_argument, NULL, 'q' },
		{ "state", required_argument, NULL, 'S' },
		{ "hwm", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "server-key", required_argument, NULL, 'K' },
		{ "keystore", required_argument, NULL, 'k' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct timespec ts;
	uint64_t u;
	int c;

	memset(o, 0, sizeof *o);
	o->scenario = server_args_scenario();
	o->speed = 1;
	o->start_ts = -1;
	o->events_ep = SERVER_EVENTS_EP;
	o->requests_ep = SERVER_REQUESTS_EP;
	o->sndhwm = SERVER_SNDHWM;
	clock_gettime(CLOCK_REALTIME, &ts);
	o->seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->scenario = optarg;
			break;
		case 'x':
			if (server_args_speed(optarg, &o->speed) < 0)
				return server_args_bad("--speed wants a positive number or 'max', got '%s'", optarg);
			break;
		case 't':
			if (server_args_start(optarg, &o->start_ts) < 0)
				return server_args_bad("--start wants HH:MM (00:00 to 23:59), got '%s'", optarg);
			break;
		case 'd':
			if (server_args_duration(optarg, &o->duration_ms) < 0)
				return server_args_bad("--duration wants a positive time like 90s, 45m, 24h or 2d, got '%s'", optarg);
			break;
		case 'r':
			if (server_args_uint(optarg, UINT64_MAX, &o->seed) < 0)
				return server_args_bad("--seed wants a non-negative integer, got '%s'", optarg);
			break;
		case 'e':
			o->events_ep = optarg;
			break;
		case 'q':
			o->requests_ep = optarg;
			break;
		case 'S':
			o->state_dir = optarg;
			break;
		case 'w':
			if (server_args_uint(optarg, INT_MAX, &u) < 0)
				return server_args_bad("--hwm wants a non-negative integer, got '%s'", optarg);
			o->sndhwm = (int)u;
			break;
		case 'Q':
			o->quiet = true;
			break;
		case 'K':
			o->server_key = optarg;
			break;
		case 'k':
			o->keystore = optarg;
			break;
		case 'I':
			o->insecure = true;
			break;
		case 'h':
			fputs(server_usage, stdout);
			return 1;
		case 'V':
			printf("pooltopd %s (protocol v%d)\n", POOLTOP_VERSION, PROTO_VERSION);
			return 1;
		case ':':
			return server_args_bad("option '%s' needs a value", argv[optind - 1]);
		default:
			return server_args_bad("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return server_args_bad("unexpected argument '%s'", argv[optind]);
	return server_args_security(o);
}
