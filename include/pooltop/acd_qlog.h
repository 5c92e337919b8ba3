/*
 * acd_qlog: one line of Asterisk's queue_log, split into its columns.
 *
 * The file form is EPOCH|CALLID|QUEUE|AGENT|VERB|DATA1|DATA2|... (see
 * docs/ASTERISK.md).  The parser works in place (it writes NULs over the
 * separators) and allocates nothing, so replaying a month of log costs one
 * pass over its bytes.
 */
#ifndef POOLTOP_ACD_QLOG_H
#define POOLTOP_ACD_QLOG_H

#include <stddef.h>
#include <stdint.h>

/* Data fields kept; ATTENDEDTRANSFER LINK has the most (7). */
#define ACD_QLOG_DATA_MAX 10
/* A longer line is malformed: stock Asterisk never writes one this long
 * (its own buffer is 1024 bytes plus the columns). */
#define ACD_QLOG_LINE_MAX 4096

enum acd_verb {
	ACD_V_ENTERQUEUE,
	ACD_V_CONNECT,
	ACD_V_COMPLETECALLER,
	ACD_V_COMPLETEAGENT,
	ACD_V_BLINDTRANSFER,
	ACD_V_ATTENDEDTRANSFER,
	ACD_V_TRANSFER,            /* before Asterisk 12 */
	ACD_V_ABANDON,
	ACD_V_EXITWITHTIMEOUT,
	ACD_V_EXITEMPTY,
	ACD_V_EXITWITHKEY,
	ACD_V_WITHDRAW,
	ACD_V_RINGNOANSWER,
	ACD_V_RINGCANCELED,
	ACD_V_AGENTDUMP,
	ACD_V_SYSCOMPAT,
	ACD_V_ADDMEMBER,
	ACD_V_REMOVEMEMBER,
	ACD_V_PAUSE,
	ACD_V_UNPAUSE,
	ACD_V_PAUSEALL,
	ACD_V_UNPAUSEALL,
	ACD_V_PENALTY,
	ACD_V_RINGINUSE,
	ACD_V_AGENTLOGIN,
	ACD_V_AGENTLOGOFF,
	ACD_V_AGENTCALLBACKLOGIN,
	ACD_V_AGENTCALLBACKLOGOFF,
	ACD_V_QUEUESTART,
	ACD_V_CONFIGRELOAD,
	ACD_V_OUTCALL,
	ACD_V_DID,
	ACD_V_INFO,
	ACD_V_OTHER,               /* any verb not above: counted, ignored */
	ACD_V__COUNT
};

struct acd_qlog_line {
	int64_t ts_ms;             /* EPOCH in ms (a fraction is kept if written) */
	const char *callid;        /* "" when empty */
	const char *queue;
	const char *agent;
	const char *verb_text;
	enum acd_verb verb;
	uint32_t n_data;
	const char *data[ACD_QLOG_DATA_MAX];
};

/* Parse line[0..len) (no newline) in place.  1: blank or only spaces,
 * nothing to do; 0: parsed; -1: malformed, *why says how. */
int acd_qlog_parse(char *line, size_t len, struct acd_qlog_line *out, const char **why);

const char *acd_verb_name(enum acd_verb v);

/* A data field as whole seconds (or ms); -1 when absent, empty or not a
 * plain non-negative integer. */
int64_t acd_qlog_num(const struct acd_qlog_line *l, uint32_t i);

#endif
