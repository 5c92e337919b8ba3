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

#include "pooltop/args.h"
#include "pooltop/auth.h"
#include "pooltop/parse.h"
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
"  --start TIME      start the floor clock at TIME today, local time: 9:30,\n"
"                    14:00, 06:00:30 (default: now)\n"
"  --duration D      stop after D of floor time: 90 (seconds), 90s, 45m, 24h, 2d\n"
"  --seed N          random seed (default: random, logged)\n"
"  --events EP       PUB endpoint (default " SERVER_EVENTS_EP ")\n"
"  --requests EP     ROUTER endpoint (default " SERVER_REQUESTS_EP ")\n"
"  --state DIR       durable state (default ${XDG_STATE_HOME:-~/.local/state}/pooltop)\n"
"  --hwm N           messages queued per subscriber that is slow to read,\n"
"                    1 to " SERVER_STR(SERVER_SNDHWM_MAX) " (default " SERVER_STR(SERVER_SNDHWM) ")\n"
"  --quiet           log only start, stop and errors\n"
"  --source sim|asterisk  where the traffic comes from (default sim: the\n"
"                    simulator); asterisk reads Asterisk's queue_log\n"
"  --queue-log PATH  the queue_log file (--source asterisk)\n"
"  --replay          read the whole file with the floor clock on the log's\n"
"                    time, at --speed (max: flat out), then keep serving\n"
"                    (the default)\n"
"  --follow          tail the file as Asterisk writes it; survives rotation\n"
"                    and truncation\n"
"  --ami HOST:PORT   Asterisk Manager Interface: live member state, and moves\n"
"                    carried out on the PBX (QueueAdd/QueueRemove)\n"
"  --ami-user NAME   the AMI user (manager.conf)\n"
"  --ami-secret-file FILE  its secret, first line of FILE (never on the\n"
"                    command line, never logged)\n"
"  --server-key PATH the server's CURVE secret key (pooltop keygen PATH);\n"
"                    with --keystore\n"
"  --keystore FILE   keys that may connect: PUBLIC_KEY NAME ROLE SCOPE per\n"
"                    line; both sockets become CURVE servers (SIGHUP reloads)\n"
"  --insecure        allow binding beyond loopback without keys (anyone who\n"
"                    can connect reads everything and moves agents)\n"
"  --allow NETS      accept TCP connections only from these addresses or\n"
"                    networks (10.1.0.0/16,192.168.5.7,fd00::/8); others are\n"
"                    closed before any handshake (default: any address)\n"
"  -h, --help        this help\n"
"  -V, --version     the version\n";

#define SERVER_ARGS_PROG "pooltopd"
#define SERVER_ARGS_DURATION_MAX_S 1e12  /* ~31,700 years: any real run */

/* --start: that clock time today, local time, in ms since the epoch. */
static int64_t
server_args_today_at(uint32_t secs)
{
	struct timespec now;
	struct tm tm;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &now);
	t = now.tv_sec;
	localtime_r(&t, &tm);
	tm.tm_hour = (int)(secs / 3600);
	tm.tm_min = (int)(secs / 60 % 60);
	tm.tm_sec = (int)(secs % 60);
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* The value of option c (long name `name`) by the rules of
 * pooltop/parse.h; 0, or the usage error's exit status. */
static int
server_args_value(int c, const char *name, const char *v, struct server_opts *o)
{
	static const struct parse_range dur = { 0, SERVER_ARGS_DURATION_MAX_S, true, false };
	char why[PARSE_WHY_MAX];
	uint64_t u;
	uint32_t secs;
	double d;
	int rc = PARSE_OK;

	switch (c) {
	case 'x':
		rc = parse_speed(v, &o->speed, why, sizeof why);
		break;
	case 't':
		rc = parse_clock(v, PARSE_CLOCK_SECONDS, &secs, why, sizeof why);
		if (rc == PARSE_OK)
			o->start_ts = server_args_today_at(secs);
		break;
	case 'd':
		rc = parse_duration(v, 1, &dur, &d, why, sizeof why);
		if (rc == PARSE_OK)
			o->duration_ms = (int64_t)llround(d * 1000);
		break;
	case 'r':
		rc = parse_whole(v, 0, UINT64_MAX, &o->seed, why, sizeof why);
		break;
	case 'w':
		/* 0 would be libzmq's "no limit": one subscriber that
		 * stops reading could take all memory. */
		rc = parse_whole(v, 1, SERVER_SNDHWM_MAX, &u, why, sizeof why);
		if (rc == PARSE_OK)
			o->sndhwm = (int)u;
		break;
	default:
		break;
	}
	return rc == PARSE_OK ? 0 : args_bad_value(SERVER_ARGS_PROG, name, v, why);
}

/* Keys come as a pair of options, and without them nothing listens
 * beyond this machine unless the operator says so in as many words. */
static int
server_args_security(const struct server_opts *o)
{
	const char *far;

	if ((o->keystore == NULL) != (o->server_key == NULL))
		return args_fail(SERVER_ARGS_PROG, "%s", o->keystore ? "--keystore needs --server-key PATH "
		                 "(make one with: pooltop keygen PATH)" : "--server-key needs --keystore FILE");
	if (o->keystore != NULL || o->insecure)
		return 0;
	far = !auth_endpoint_local(o->events_ep) ? o->events_ep :
	      !auth_endpoint_local(o->requests_ep) ? o->requests_ep : NULL;
	if (far == NULL)
		return 0;
	return args_fail(SERVER_ARGS_PROG, "refusing to listen on %s without keys: anyone who can reach "
	                 "it could read every tenant's data and move agents.\n"
	                 "Give --server-key PATH --keystore FILE (see 'Running it across a network' in "
	                 "the README), bind a loopback address, or add --insecure to accept the risk.", far);
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
		{ "source", required_argument, NULL, 'A' },
		{ "queue-log", required_argument, NULL, 'L' },
		{ "replay", no_argument, NULL, 'R' },
		{ "follow", no_argument, NULL, 'F' },
		{ "ami", required_argument, NULL, 'M' },
		{ "ami-user", required_argument, NULL, 'U' },
		{ "ami-secret-file", required_argument, NULL, 'K' },
		{ "server-key", required_argument, NULL, 'P' },
		{ "keystore", required_argument, NULL, 'k' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "allow", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct timespec ts;
	static const char *const sources[] = { "sim", "asterisk", NULL };
	char why[PARSE_WHY_MAX];
	int c, idx = 0, rc, mode = 0, k;

	memset(o, 0, sizeof *o);
	o->scenario = server_args_scenario();
	o->speed = 1;
	o->start_ts = -1;
	o->events_ep = SERVER_EVENTS_EP;
	o->requests_ep = SERVER_REQUESTS_EP;
	o->sndhwm = SERVER_SNDHWM;
	clock_gettime(CLOCK_REALTIME, &ts);
	o->seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();

	args_getopt_reset();
	while ((c = getopt_long(argc, argv, ":hV", longopts, &idx)) != -1) {
		switch (c) {
		case 's':
			o->scenario = optarg;
			break;
		case 'x':
		case 't':
		case 'd':
		case 'r':
		case 'w':
			/* long options only: idx names the one getopt found */
			if ((rc = server_args_value(c, longopts[idx].name, optarg, o)) != 0)
				return rc;
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
		case 'Q':
			o->quiet = true;
			break;
		case 'A':
			if ((k = parse_choice(optarg, sources, why, sizeof why)) < 0)
				return args_bad_value(SERVER_ARGS_PROG, "source", optarg, why);
			o->asterisk = k == 1;
			break;
		case 'L':
			o->queue_log = optarg;
			break;
		case 'M':
			if (strchr(optarg, ':') == NULL)
				return args_fail(SERVER_ARGS_PROG, "--ami wants HOST:PORT, got '%s'", optarg);
			o->ami = optarg;
			break;
		case 'U':
			o->ami_user = optarg;
			break;
		case 'K':
			o->ami_secret_file = optarg;
			break;
		case 'R':
		case 'F':
			if (mode && mode != c)
				return args_fail(SERVER_ARGS_PROG, "--replay and --follow exclude each other");
			mode = c;
			o->follow = c == 'F';
			break;
		case 'P':
			o->server_key = optarg;
			break;
		case 'k':
			o->keystore = optarg;
			break;
		case 'I':
			o->insecure = true;
			break;
		case 'W':
			if (netallow_parse(&o->allow, optarg, why, sizeof why) < 0)
				return args_fail(SERVER_ARGS_PROG, "%s", why);
			break;
		case 'h':
			fputs(server_usage, stdout);
			return 1;
		case 'V':
			printf("pooltopd %s (protocol v%d)\n", POOLTOP_VERSION, PROTO_VERSION);
			return 1;
		default:
			return args_getopt_fail(SERVER_ARGS_PROG, c, argv);
		}
	}
	if (optind < argc)
		return args_fail(SERVER_ARGS_PROG, "unexpected argument '%s'", argv[optind]);
	if (o->asterisk && o->queue_log == NULL)
		return args_fail(SERVER_ARGS_PROG, "--source asterisk needs --queue-log PATH");
	if (!o->asterisk && (o->queue_log || mode))
		return args_fail(SERVER_ARGS_PROG, "--queue-log, --replay and --follow go with --source "
		                 "asterisk");
	if ((o->ami || o->ami_user || o->ami_secret_file) &&
	    (!o->asterisk || !o->ami || !o->ami_user || !o->ami_secret_file))
		return args_fail(SERVER_ARGS_PROG, "--ami needs --source asterisk, --ami-user and "
		                 "--ami-secret-file");
	if (o->follow && o->speed != 1)
		return args_fail(SERVER_ARGS_PROG, "--follow runs on the wall clock: leave out --speed");
	return server_args_security(o);
}
