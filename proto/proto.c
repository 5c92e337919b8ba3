/*
 * proto: wire names of the enums, error strings, the byte buffer the
 * encoders append to, and the bounded string copy used to fill the
 * fixed-size fields of messages.
 */
#include <stdlib.h>
#include <string.h>

#include "pooltop/proto.h"

static const char *const proto_channel_names[PROTO_CH__COUNT] = {
	"voice", "chat", "email",
};

static const char *const proto_agent_state_names[PROTO_AS__COUNT] = {
	"offline", "idle", "busy", "wrap", "break",
};

static const char *const proto_model_names[PROTO_MODEL__COUNT] = {
	"shared", "dedicated", "hybrid",
};

static const char *const proto_pool_kind_names[PROTO_POOL__COUNT] = {
	"shared", "dedicated",
};

static const char *const proto_event_type_names[PROTO_EV__COUNT] = {
	"hb", "contact.queued", "contact.answered", "contact.abandoned",
	"contact.ended", "contact.wrapped", "agent.state", "agent.moved",
	"shift.started", "floor.reset",
};

static const char *const proto_op_names[PROTO_OP__COUNT] = {
	"ping", "snapshot", "move", "history", "audit",
};

/* "none" is for people reading logs; it is never sent (ok=true replies
 * carry no `err`), so parsing does not accept it. */
static const char *const proto_reply_err_names[PROTO_RE__COUNT] = {
	"none", "bad_request", "unknown_op", "not_found", "forbidden",
	"conflict", "contract_min", "unavailable", "untrained",
};

/* Out-of-range values come from corrupted memory or a newer peer; "?" is
 * printable and never parses back. */
static const char *
proto_name(const char *const *names, int count, int i)
{
	return i >= 0 && i < count ? names[i] : "?";
}

static int
proto_parse(const char *const *names, int first, int count, const char *s)
{
	if (s == NULL)
		return -1;
	for (int i = first; i < count; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
proto_channel_name(enum proto_channel c)
{
	return proto_name(proto_channel_names, PROTO_CH__COUNT, (int)c);
}

const char *
proto_agent_state_name(enum proto_agent_state s)
{
	return proto_name(proto_agent_state_names, PROTO_AS__COUNT, (int)s);
}

const char *
proto_model_name(enum proto_model m)
{
	return proto_name(proto_model_names, PROTO_MODEL__COUNT, (int)m);
}

const char *
proto_pool_kind_name(enum proto_pool_kind k)
{
	return proto_name(proto_pool_kind_names, PROTO_POOL__COUNT, (int)k);
}

const char *
proto_event_type_name(enum proto_event_type t)
{
	return proto_name(proto_event_type_names, PROTO_EV__COUNT, (int)t);
}

const char *
proto_op_name(enum proto_op op)
{
	return proto_name(proto_op_names, PROTO_OP__COUNT, (int)op);
}

const char *
proto_reply_err_name(enum proto_reply_err e)
{
	return proto_name(proto_reply_err_names, PROTO_RE__COUNT, (int)e);
}

int
proto_channel_parse(const char *s)
{
	return proto_parse(proto_channel_names, 0, PROTO_CH__COUNT, s);
}

int
proto_agent_state_parse(const char *s)
{
	return proto_parse(proto_agent_state_names, 0, PROTO_AS__COUNT, s);
}

int
proto_model_parse(const char *s)
{
	return proto_parse(proto_model_names, 0, PROTO_MODEL__COUNT, s);
}

int
proto_pool_kind_parse(const char *s)
{
	return proto_parse(proto_pool_kind_names, 0, PROTO_POOL__COUNT, s);
}

int
proto_event_type_parse(const char *s)
{
	return proto_parse(proto_event_type_names, 0, PROTO_EV__COUNT, s);
}

int
proto_op_parse(const char *s)
{
	return proto_parse(proto_op_names, 0, PROTO_OP__COUNT, s);
}

int
proto_reply_err_parse(const char *s)
{
	return proto_parse(proto_reply_err_names, PROTO_RE_NONE + 1, PROTO_RE__COUNT, s);
}

const char *
proto_strerror(int err)
{
	switch (err) {
	case PROTO_OK: return "ok";
	case PROTO_E_TRUNCATED: return "the message ends inside a value";
	case PROTO_E_TYPE: return "a field has the wrong type";
	case PROTO_E_LIMIT: return "a string, array or nesting exceeds its limit";
	case PROTO_E_MISSING: return "a required field is missing";
	case PROTO_E_TRAILING: return "bytes follow the message";
	case PROTO_E_VALUE: return "a field has an impossible value";
	case PROTO_E_NOMEM: return "out of memory";
	case PROTO_E_INVALID: return "not msgpack";
	default: return "unknown error";
	}
}

void
proto_buf_init(struct proto_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
proto_buf_reset(struct proto_buf *b)
{
	b->len = 0;
}

void
proto_buf_free(struct proto_buf *b)
{
	free(b->data);
	proto_buf_init(b);
}

/*
 * Truncation must not split a multi-byte character: a name cut inside a
 * sequence would be invalid UTF-8 on every terminal that shows it.
 */
void
proto_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strnlen(src, cap + 1);
	if (n > cap) {
		n = cap;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memmove(dst, src, n);
	dst[n] = '\0';
}

int
proto_sl_set(struct proto_sl_row *row, const struct proto_sl_interval *iv, uint32_t n)
{
	free(row->iv);
	row->iv = NULL;
	row->n = 0;
	if (n == 0)
		return 0;
	if (n > PROTO_INTERVALS_MAX || (row->iv = malloc(n * sizeof *row->iv)) == NULL)
		return -1;
	memcpy(row->iv, iv, n * sizeof *row->iv);
	row->n = n;
	return 0;
}

void
proto_sl_rows_free(struct proto_sl_row *sl, uint32_t n)
{
	for (uint32_t i = 0; sl != NULL && i < n; i++)
		free(sl[i].iv);
	free(sl);
}
