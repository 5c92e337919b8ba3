/*
 * cmd_erlang: the `pooltop erlang` staffing calculator, a batch
 * subcommand that never touches the terminal or the network.
 */
#ifndef POOLTOP_CMD_ERLANG_H
#define POOLTOP_CMD_ERLANG_H

/* argv[0] is "erlang".  Writes the result to stdout and any complaint to
 * stderr; returns the exit status: 0 done, 1 no staffing meets the
 * target (or output failed), 2 bad usage. */
int cmd_erlang_main(int argc, char **argv);

#endif
