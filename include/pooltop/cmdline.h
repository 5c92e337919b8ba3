/*
 * cmdline: the ':' command line — split into words and run.
 */
#ifndef POOLTOP_CMDLINE_H
#define POOLTOP_CMDLINE_H

#include "pooltop/app.h"

#define CMDLINE_WORDS_MAX 64

/* Split on blanks, honouring "double quotes"; returns the word count or
 * -1 (unterminated quote, too many words).  Words point into buf. */
int cmdline_split(char *buf, char **words, int max);
/* Run a command typed after ':'. */
void cmdline_run(struct app *a, const char *line);

#endif
