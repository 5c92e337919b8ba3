/* The feedback line's text and how long it stays. */
#include <stdarg.h>
#include <stdio.h>

#include "pooltop/conn.h"
#include "pooltop/msg.h"

void
msg_show(struct msg *m, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
	m->error = error;
	m->until = conn_mono_ms() + MSG_SHOW_MS;
	m->n++;
}

const char *
msg_text(const struct msg *m, int64_t now)
{
	return m->text[0] && now < m->until ? m->text : NULL;
}
