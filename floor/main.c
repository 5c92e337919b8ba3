/* pooltopd: the floor server. */
#include <stdio.h>

#include "pooltop/server.h"

int
main(int argc, char **argv)
{
	struct server_opts o;
	struct server sv;
	int rc;

	rc = server_parse_args(argc, argv, &o);
	if (rc == 1)
		return 0;
	if (rc != 0)
		return 2;
	if (server_open(&sv, &o) < 0) {
		server_close(&sv);
		return 1;
	}
	rc = server_run(&sv);
	server_close(&sv);
	return rc < 0 ? 1 : 0;
}
