/*
 * acd_source: queue_log lines from a file, read in large blocks, for a
 * replay (to the end, then stop) or a follow (tail -F: wait for more,
 * reopen on rotation, start over on truncation).  Lines come out with
 * their numbers; a last line without its newline is held back while
 * following (the writer may be half way through it).
 */
#ifndef POOLTOP_ACD_SOURCE_H
#define POOLTOP_ACD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acd_source;

/* NULL with errno set when the file cannot be opened. */
struct acd_source *acd_source_open(const char *path, bool follow);
void acd_source_close(struct acd_source *s);

/*
 * The next line: 1 with *line (writable, NUL after it, no newline), *len
 * and *lineno; 0 when there is nothing more for now (replay: the end);
 * -1 on a read error (errno).  The line stays valid until the next call.
 */
int acd_source_next(struct acd_source *s, char **line, size_t *len, uint64_t *lineno);

/* Following: look for rotation or truncation when next() returned 0.
 * Returns 1 when the file was reopened or rewound (with a log-worthy
 * `what`), 0 when nothing changed. */
int acd_source_check(struct acd_source *s, const char **what);

uint64_t acd_source_bytes(const struct acd_source *s);

#endif
