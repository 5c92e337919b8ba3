/*
 * cmd_keygen: `pooltop keygen PATH` writes a CURVE key pair for pooltop
 * or pooltopd (PATH secret, PATH.pub public); see keyfile.h.
 */
#ifndef POOLTOP_CMD_KEYGEN_H
#define POOLTOP_CMD_KEYGEN_H

/* argv[0] is "keygen".  Exit status: 0, 1 (could not write), 2 (usage). */
int cmd_keygen_main(int argc, char **argv);

#endif
