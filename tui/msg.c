/* The feedback line's text, how long it stays, and the session's log. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pooltop/conn.h"
#include "pooltop/msg.h"

void
msg_show(struct msg *m, bool error, const char *fmt, ...)
{
	struct msg_entry *e = &m->log[m->log_head];
	struct timespec ts;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
	m->error = error;
	m->until = conn_mono_ms() + MSG_SHOW_MS;
	m->n++;
	clock_gettime(CLOCK_REALTIME, &ts);
	e->wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	e->error = error;
	memcpy(e->text, m->text, sizeof e->text);
	m->log_head = (m->log_head + 1) % MSG_LOG_MAX;
	if (m->log_n < MSG_LOG_MAX)
		m->log_n++;
}

const char *
msg_text(const struct msg *m, int64_t now)
{
	return m->text[0] && now < m->until ? m->text : NULL;
}

void
msg_clear(struct msg *m)
{
	if (m->until != 0) {
		m->until = 0;
		m->n++;
	}
}

const struct msg_entry *
msg_log_get(const struct msg *m, uint32_t i)
{
	if (i >= m->log_n)
		return NULL;
	return &m->log[(m->log_head + MSG_LOG_MAX - 1 - i) % MSG_LOG_MAX];
}
