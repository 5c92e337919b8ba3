/*
 * The queue_log line parser.  Column rules (docs/ASTERISK.md):
 * EPOCH is decimal seconds since the Unix epoch (a ".fraction" some
 * tools append is kept to the ms); CALLID, QUEUE and AGENT may be empty
 * or NONE; VERB must be present; DATA fields follow, as many as the verb
 * wrote (old versions wrote fewer).  Anything else is malformed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/acd_qlog.h"
#include "pooltop/floor.h"

static const char *const acd_verb_names[ACD_V__COUNT] = {
	[ACD_V_ENTERQUEUE] = "ENTERQUEUE",
	[ACD_V_CONNECT] = "CONNECT",
	[ACD_V_COMPLETECALLER] = "COMPLETECALLER",
	[ACD_V_COMPLETEAGENT] = "COMPLETEAGENT",
	[ACD_V_BLINDTRANSFER] = "BLINDTRANSFER",
	[ACD_V_ATTENDEDTRANSFER] = "ATTENDEDTRANSFER",
	[ACD_V_TRANSFER] = "TRANSFER",
	[ACD_V_ABANDON] = "ABANDON",
	[ACD_V_EXITWITHTIMEOUT] = "EXITWITHTIMEOUT",
	[ACD_V_EXITEMPTY] = "EXITEMPTY",
	[ACD_V_EXITWITHKEY] = "EXITWITHKEY",
	[ACD_V_WITHDRAW] = "WITHDRAW",
	[ACD_V_RINGNOANSWER] = "RINGNOANSWER",
	[ACD_V_RINGCANCELED] = "RINGCANCELED",
	[ACD_V_AGENTDUMP] = "AGENTDUMP",
	[ACD_V_SYSCOMPAT] = "SYSCOMPAT",
	[ACD_V_ADDMEMBER] = "ADDMEMBER",
	[ACD_V_REMOVEMEMBER] = "REMOVEMEMBER",
	[ACD_V_PAUSE] = "PAUSE",
	[ACD_V_UNPAUSE] = "UNPAUSE",
	[ACD_V_PAUSEALL] = "PAUSEALL",
	[ACD_V_UNPAUSEALL] = "UNPAUSEALL",
	[ACD_V_PENALTY] = "PENALTY",
	[ACD_V_RINGINUSE] = "RINGINUSE",
	[ACD_V_AGENTLOGIN] = "AGENTLOGIN",
	[ACD_V_AGENTLOGOFF] = "AGENTLOGOFF",
	[ACD_V_AGENTCALLBACKLOGIN] = "AGENTCALLBACKLOGIN",
	[ACD_V_AGENTCALLBACKLOGOFF] = "AGENTCALLBACKLOGOFF",
	[ACD_V_QUEUESTART] = "QUEUESTART",
	[ACD_V_CONFIGRELOAD] = "CONFIGRELOAD",
	[ACD_V_OUTCALL] = "OUTCALL",
	[ACD_V_DID] = "DID",
	[ACD_V_INFO] = "INFO",
	[ACD_V_OTHER] = "(other)",
};

const char *
acd_verb_name(enum acd_verb v)
{
	return (unsigned)v < ACD_V__COUNT ? acd_verb_names[v] : "?";
}

/* The busy verbs first: the scan stops early on most lines. */
static enum acd_verb
acd_qlog_verb(const char *s)
{
	for (int v = 0; v < ACD_V_OTHER; v++)
		if (s[0] == acd_verb_names[v][0] && strcmp(s, acd_verb_names[v]) == 0)
			return (enum acd_verb)v;
	return ACD_V_OTHER;
}

/* EPOCH[.fraction] -> ms; -1 unless a plausible timestamp. */
static int64_t
acd_qlog_epoch(const char *s)
{
	int64_t sec = 0, ms = 0, scale = 100;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		sec = sec * 10 + (*p - '0');
		if (sec > FLOOR_TS_MAX / 1000)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			ms += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0')
		return -1;
	return sec * 1000 + ms;
}

int
acd_qlog_parse(char *line, size_t len, struct acd_qlog_line *out, const char **why)
{
	char *col[5 + ACD_QLOG_DATA_MAX];
	uint32_t n = 0;
	char *p = line, *end = line + len;
	bool blank = true;

	for (size_t i = 0; i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
			blank = false;
			break;
		}
	}
	if (blank)
		return 1;
	if (len > ACD_QLOG_LINE_MAX) {
		*why = "line too long";
		return -1;
	}
	if (len > 0 && end[-1] == '\r')
		*--end = '\0';
	if (memchr(line, '\0', (size_t)(end - line)) != NULL) {
		*why = "NUL byte in the line";
		return -1;
	}
	col[n++] = p;
	for (; p < end; p++) {
		if (*p != '|')
			continue;
		*p = '\0';
		/* extra data beyond the kept ones stays joined to the last */
		if (n < 5 + ACD_QLOG_DATA_MAX)
			col[n++] = p + 1;
		else
			*p = '|';
	}
	*end = '\0';
	if (n < 5) {
		*why = "fewer than 5 columns (EPOCH|CALLID|QUEUE|AGENT|VERB)";
		return -1;
	}
	out->ts_ms = acd_qlog_epoch(col[0]);
	if (out->ts_ms <= 0) {
		*why = "the first column is not an epoch timestamp";
		return -1;
	}
	if (col[4][0] == '\0') {
		*why = "empty verb";
		return -1;
	}
	out->callid = col[1];
	out->queue = col[2];
	out->agent = col[3];
	out->verb_text = col[4];
	out->verb = acd_qlog_verb(col[4]);
	out->n_data = n - 5;
	for (uint32_t i = 0; i < out->n_data; i++)
		out->data[i] = col[5 + i];
	return 0;
}

int64_t
acd_qlog_num(const struct acd_qlog_line *l, uint32_t i)
{
	const char *s;
	int64_t v = 0;

	if (i >= l->n_data)
		return -1;
	s = l->data[i];
	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 1000000000000LL)
			return -1;
	}
	return v;
}
