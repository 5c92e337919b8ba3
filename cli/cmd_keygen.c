/* pooltop keygen PATH: a CURVE key pair, secret half readable by its owner only. */
#include <stdio.h>
#include <string.h>

#include "pooltop/args.h"
#include "pooltop/cmd_keygen.h"
#include "pooltop/keyfile.h"

static const char cmd_keygen_usage[] =
"usage: pooltop keygen PATH\n"
"\n"
"Write a CURVE key pair: PATH holds the secret key (mode 0600), PATH.pub the\n"
"public key, each one Z85 line.  Neither file may exist yet.  Give PATH.pub to\n"
"whoever runs pooltopd (for its keystore), or, for a server key, to every\n"
"client (--server-public).  Defaults the clients look for:\n"
"${XDG_CONFIG_HOME:-~/.config}/pooltop/client.key and server.pub.\n";

#define CMD_KEYGEN_PROG "pooltop keygen"

int
cmd_keygen_main(int argc, char **argv)
{
	char err[512];

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(cmd_keygen_usage, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-' || argv[1][0] == '\0')
		return args_fail(CMD_KEYGEN_PROG, "wants one PATH for the secret key (PATH.pub gets the "
		                 "public one); see pooltop keygen --help");
	if (keyfile_generate(argv[1], err, sizeof err) < 0)
		return args_error(1, CMD_KEYGEN_PROG, "%s", err);
	printf("secret key: %s (mode 0600; keep it there)\npublic key: %s.pub\n", argv[1], argv[1]);
	return 0;
}
