/*
 * acd_ami: a client of Asterisk's Manager Interface (TCP, "Key: Value"
 * lines, a blank line ends a message).  It connects, logs in
 * (Action: Login with Username and Secret: never logged), hands every
 * message after that to a callback, sends actions with an ActionID, and
 * reconnects after any failure with exponential backoff and jitter.
 * Nothing blocks: acd_ami_step() does what is due and returns.
 */
#ifndef POOLTOP_ACD_AMI_H
#define POOLTOP_ACD_AMI_H

#include <stdbool.h>
#include <stdint.h>

#define ACD_AMI_HEADERS_MAX 128
#define ACD_AMI_MSG_MAX 65536     /* a longer message drops the connection */
#define ACD_AMI_BACKOFF_MIN_MS 500
#define ACD_AMI_BACKOFF_MAX_MS 30000

struct acd_ami_msg {
	uint32_t n;
	const char *key[ACD_AMI_HEADERS_MAX];
	const char *val[ACD_AMI_HEADERS_MAX];
};

/* A header's value (keys compare without case), or NULL. */
const char *acd_ami_get(const struct acd_ami_msg *m, const char *key);

struct acd_ami_cfg {
	char host[256];
	char port[16];
	char user[128];
	char secret[256];
};

/* up: logged in (true) or the connection went away (false, with why). */
typedef void (*acd_ami_state_fn)(void *ctx, bool up, const char *why);
typedef void (*acd_ami_msg_fn)(void *ctx, const struct acd_ami_msg *m);

struct acd_ami;

struct acd_ami *acd_ami_new(const struct acd_ami_cfg *cfg, acd_ami_state_fn on_state,
                            acd_ami_msg_fn on_msg, void *ctx, uint64_t seed);
void acd_ami_free(struct acd_ami *a);

/* Connect, read, write, reconnect as due at monotonic time now (ms). */
void acd_ami_step(struct acd_ami *a, int64_t now);
bool acd_ami_ready(const struct acd_ami *a);

/* Send an action once logged in: kv is key, value, ..., NULL.  Returns its
 * ActionID ("pt-N" on the wire, N returned), 0 when not logged in. */
uint64_t acd_ami_action(struct acd_ami *a, const char *action, const char *const *kv);

/* The ActionID number of a message from us, 0 when none or not ours. */
uint64_t acd_ami_action_id(const struct acd_ami_msg *m);

struct acd_ami_stats {
	uint64_t connects;
	uint64_t failures;
	uint64_t messages;
	uint64_t actions;
};
void acd_ami_get_stats(const struct acd_ami *a, struct acd_ami_stats *st);

#endif
