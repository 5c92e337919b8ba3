/* The Events view's ring of the newest events, as received. */
#include <stdlib.h>

#include "pooltop/app.h"

void
app_log_push(struct app_log *log, const struct proto_event *ev)
{
	if (log->ev == NULL) {
		log->ev = calloc(APP_LOG_MAX, sizeof *log->ev);
		if (log->ev == NULL)
			return;
	}
	log->ev[log->head] = *ev;
	log->head = (log->head + 1) % APP_LOG_MAX;
	if (log->count < APP_LOG_MAX)
		log->count++;
	log->pushed++;
	if (log->paused && log->missed < APP_LOG_MAX)
		log->missed++;
}

const struct proto_event *
app_log_get(const struct app_log *log, uint32_t i)
{
	if (log->ev == NULL || i >= log->count)
		return NULL;
	return &log->ev[(log->head + APP_LOG_MAX - 1 - i) % APP_LOG_MAX];
}

void
app_log_free(struct app_log *log)
{
	free(log->ev);
	log->ev = NULL;
	log->count = log->head = 0;
}
