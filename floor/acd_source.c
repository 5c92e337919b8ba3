/*
 * Reading queue_log.  A block buffer (ACD_SOURCE_BLOCK) is refilled with
 * read(2); lines are cut in place.  A line longer than the buffer is
 * returned in pieces no longer than ACD_QLOG_LINE_MAX + 1 so the parser
 * rejects it as too long instead of the reader growing without bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pooltop/acd_qlog.h"
#include "pooltop/acd_source.h"

#define ACD_SOURCE_BLOCK (1u << 20)

struct acd_source {
	char *path;
	bool follow;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off;             /* bytes read from fd */
	char *buf;             /* ACD_SOURCE_BLOCK + 1 */
	size_t start, end;     /* unread bytes are buf[start..end) */
	bool eof;              /* read() said 0 last time */
	bool skip;             /* inside an over-long line: drop to its end */
	uint64_t lineno;
	uint64_t bytes;
};

static int
acd_source_reopen(struct acd_source *s)
{
	struct stat st;
	int fd = open(s->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->off = 0;
	s->start = s->end = 0;
	s->eof = false;
	s->skip = false;
	return 0;
}

struct acd_source *
acd_source_open(const char *path, bool follow)
{
	struct acd_source *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->fd = -1;
	s->follow = follow;
	s->path = strdup(path);
	s->buf = malloc(ACD_SOURCE_BLOCK + 1);
	if (s->path == NULL || s->buf == NULL || acd_source_reopen(s) < 0) {
		int e = errno;
		acd_source_close(s);
		errno = e;
		return NULL;
	}
	return s;
}

void
acd_source_close(struct acd_source *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s->path);
	free(s);
}

/* Move the unread tail to the front and read more after it. */
static ssize_t
acd_source_fill(struct acd_source *s)
{
	ssize_t n;

	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	do
		n = read(s->fd, s->buf + s->end, ACD_SOURCE_BLOCK - s->end);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		s->end += (size_t)n;
		s->off += n;
		s->bytes += (uint64_t)n;
	}
	s->eof = n == 0;
	return n;
}

int
acd_source_next(struct acd_source *s, char **line, size_t *len, uint64_t *lineno)
{
	for (;;) {
		char *p = s->buf + s->start;
		size_t avail = s->end - s->start;
		char *nl = memchr(p, '\n', avail);

		if (nl != NULL) {
			size_t n = (size_t)(nl - p);
			s->start += n + 1;
			if (s->skip) {
				s->skip = false;
				continue;
			}
			*nl = '\0';
			*line = p;
			*len = n;
			*lineno = ++s->lineno;
			return 1;
		}
		if (avail > ACD_QLOG_LINE_MAX) {
			/* too long to be a line: hand out a piece the parser
			 * refuses, and drop the rest up to the newline */
			if (s->skip) {
				s->start = s->end;
				continue;
			}
			s->skip = true;
			p[ACD_QLOG_LINE_MAX + 1] = '\0';
			*line = p;
			*len = ACD_QLOG_LINE_MAX + 1;
			*lineno = ++s->lineno;
			s->start = s->end;
			return 1;
		}
		ssize_t r = acd_source_fill(s);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		/* the end of the file for now */
		if (avail > 0 && !s->follow) {
			p = s->buf + s->start;
			p[avail] = '\0';
			s->start = s->end;
			if (s->skip) {
				s->skip = false;
				return 0;
			}
			*line = p;
			*len = avail;
			*lineno = ++s->lineno;
			return 1;
		}
		return 0;
	}
}

int
acd_source_check(struct acd_source *s, const char **what)
{
	struct stat st;

	if (stat(s->path, &st) < 0)
		return 0;   /* rotated away, new one not there yet: keep waiting */
	if (st.st_dev != s->dev || st.st_ino != s->ino) {
		/* rotated: what was left in the old file has been read (next()
		 * returned 0); a partial last line there is lost with it */
		if (acd_source_reopen(s) < 0)
			return 0;
		*what = "rotated: reading the new file from its start";
		return 1;
	}
	if (st.st_size < s->off) {
		if (lseek(s->fd, 0, SEEK_SET) < 0)
			return 0;
		s->off = 0;
		s->start = s->end = 0;
		s->skip = false;
		*what = "truncated: reading it again from its start";
		return 1;
	}
	return 0;
}

uint64_t
acd_source_bytes(const struct acd_source *s)
{
	return s->bytes;
}
