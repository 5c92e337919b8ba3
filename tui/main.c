/* pooltop: the dashboard, and its batch subcommands. */
#include <stdio.h>
#include <string.h>

#include "pooltop/app.h"
#include "pooltop/cmd_erlang.h"
#include "pooltop/cmd_keygen.h"
#include "pooltop/cmd_report.h"
#include "pooltop/proto.h"

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "erlang") == 0)
		return cmd_erlang_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "keygen") == 0)
		return cmd_keygen_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return cmd_report_main(argc - 1, argv + 1);
	return app_main(argc, argv);
}
