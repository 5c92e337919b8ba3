/* The AMI client: connection state machine, message framing, login. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#include "pooltop/acd_ami.h"
#include "pooltop/rng.h"

enum acd_ami_state { AS_WAIT, AS_CONNECTING, AS_GREETING, AS_LOGIN, AS_READY };

struct acd_ami {
	struct acd_ami_cfg cfg;
	acd_ami_state_fn on_state;
	acd_ami_msg_fn on_msg;
	void *ctx;
	enum acd_ami_state st;
	int fd;
	int64_t next_try;          /* AS_WAIT: when to connect */
	int64_t backoff;
	struct rng rng;
	uint64_t next_id;
	uint64_t login_id;
	char *rx;                  /* ACD_AMI_MSG_MAX + 1 */
	size_t rx_len;
	char *tx;
	size_t tx_len, tx_cap;
	struct acd_ami_stats stats;
};

const char *
acd_ami_get(const struct acd_ami_msg *m, const char *key)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (strcasecmp(m->key[i], key) == 0)
			return m->val[i];
	return NULL;
}

uint64_t
acd_ami_action_id(const struct acd_ami_msg *m)
{
	const char *id = acd_ami_get(m, "ActionID");
	char *end;
	unsigned long long v;

	if (id == NULL || strncmp(id, "pt-", 3) != 0)
		return 0;
	v = strtoull(id + 3, &end, 10);
	return *end == '\0' ? v : 0;
}

struct acd_ami *
acd_ami_new(const struct acd_ami_cfg *cfg, acd_ami_state_fn on_state, acd_ami_msg_fn on_msg,
            void *ctx, uint64_t seed)
{
	struct acd_ami *a = calloc(1, sizeof *a);

	if (a == NULL)
		return NULL;
	a->cfg = *cfg;
	a->on_state = on_state;
	a->on_msg = on_msg;
	a->ctx = ctx;
	a->fd = -1;
	a->st = AS_WAIT;
	a->backoff = ACD_AMI_BACKOFF_MIN_MS;
	rng_seed(&a->rng, seed);
	a->rx = malloc(ACD_AMI_MSG_MAX + 1);
	if (a->rx == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
acd_ami_free(struct acd_ami *a)
{
	if (a == NULL)
		return;
	if (a->fd >= 0)
		close(a->fd);
	/* the secret does not outlive us in freed memory */
	memset(a->cfg.secret, 0, sizeof a->cfg.secret);
	free(a->rx);
	free(a->tx);
	free(a);
}

bool
acd_ami_ready(const struct acd_ami *a)
{
	return a->st == AS_READY;
}

void
acd_ami_get_stats(const struct acd_ami *a, struct acd_ami_stats *st)
{
	*st = a->stats;
}

/* Drop the connection; try again after the backoff, jittered to 50-150 %
 * so that many pooltopds do not knock on a restarted PBX at once. */
static void
acd_ami_drop(struct acd_ami *a, int64_t now, const char *why)
{
	bool was_up = a->st == AS_READY;

	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	a->rx_len = a->tx_len = 0;
	a->stats.failures++;
	a->next_try = now + rng_jitter(&a->rng, a->backoff);
	a->backoff = a->backoff * 2 > ACD_AMI_BACKOFF_MAX_MS ? ACD_AMI_BACKOFF_MAX_MS : a->backoff * 2;
	a->st = AS_WAIT;
	a->on_state(a->ctx, false, why);
	(void)was_up;
}

static int
acd_ami_queue(struct acd_ami *a, const char *s, size_t n)
{
	if (a->tx_len + n > a->tx_cap) {
		size_t cap = a->tx_cap ? a->tx_cap : 4096;
		char *p;
		while (cap < a->tx_len + n)
			cap *= 2;
		if (cap > 4 * ACD_AMI_MSG_MAX || (p = realloc(a->tx, cap)) == NULL)
			return -1;
		a->tx = p;
		a->tx_cap = cap;
	}
	memcpy(a->tx + a->tx_len, s, n);
	a->tx_len += n;
	return 0;
}

/* One action; values with CR or LF are refused (they would forge headers). */
static uint64_t
acd_ami_send(struct acd_ami *a, const char *action, const char *const *kv)
{
	char line[1024];
	uint64_t id = ++a->next_id;
	int n;

	n = snprintf(line, sizeof line, "Action: %s\r\nActionID: pt-%llu\r\n", action,
	             (unsigned long long)id);
	if (n < 0 || (size_t)n >= sizeof line || acd_ami_queue(a, line, (size_t)n) < 0)
		return 0;
	for (; kv && kv[0] && kv[1]; kv += 2) {
		if (strpbrk(kv[0], "\r\n") || strpbrk(kv[1], "\r\n"))
			return 0;
		n = snprintf(line, sizeof line, "%s: %s\r\n", kv[0], kv[1]);
		if (n < 0 || (size_t)n >= sizeof line || acd_ami_queue(a, line, (size_t)n) < 0)
			return 0;
	}
	if (acd_ami_queue(a, "\r\n", 2) < 0)
		return 0;
	a->stats.actions++;
	return id;
}

uint64_t
acd_ami_action(struct acd_ami *a, const char *action, const char *const *kv)
{
	if (a->st != AS_READY)
		return 0;
	return acd_ami_send(a, action, kv);
}

static void
acd_ami_connect(struct acd_ami *a, int64_t now)
{
	struct addrinfo hints, *res = NULL;
	int fd, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_NUMERICSERV;
	/* a name lookup may block briefly: AMI hosts are usually numeric or
	 * in /etc/hosts, and this happens only on (re)connect */
	if (getaddrinfo(a->cfg.host, a->cfg.port, &hints, &res) != 0 || res == NULL) {
		acd_ami_drop(a, now, "cannot resolve the AMI host");
		return;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		freeaddrinfo(res);
		acd_ami_drop(a, now, strerror(errno));
		return;
	}
	rc = connect(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	a->fd = fd;
	if (rc < 0 && errno != EINPROGRESS) {
		acd_ami_drop(a, now, strerror(errno));
		return;
	}
	a->st = AS_CONNECTING;
	a->stats.connects++;
}

/* Split buf into a message's headers, in place. */
static void
acd_ami_parse(char *buf, struct acd_ami_msg *m)
{
	char *save = NULL;

	m->n = 0;
	for (char *ln = strtok_r(buf, "\r\n", &save); ln; ln = strtok_r(NULL, "\r\n", &save)) {
		char *colon = strchr(ln, ':');
		if (colon == NULL || m->n == ACD_AMI_HEADERS_MAX)
			continue;
		*colon = '\0';
		colon++;
		while (*colon == ' ')
			colon++;
		m->key[m->n] = ln;
		m->val[m->n++] = colon;
	}
}

static void
acd_ami_on_message(struct acd_ami *a, int64_t now, struct acd_ami_msg *m)
{
	a->stats.messages++;
	if (a->st == AS_LOGIN) {
		const char *resp = acd_ami_get(m, "Response");
		if (resp == NULL || acd_ami_action_id(m) != a->login_id)
			return;
		if (strcasecmp(resp, "Success") != 0) {
			const char *msg = acd_ami_get(m, "Message");
			char why[300];
			snprintf(why, sizeof why, "login refused: %s", msg ? msg : resp);
			/* a refused login is not worth hammering either */
			acd_ami_drop(a, now, why);
			return;
		}
		a->st = AS_READY;
		a->backoff = ACD_AMI_BACKOFF_MIN_MS;
		a->on_state(a->ctx, true, "logged in");
		return;
	}
	if (a->st == AS_READY)
		a->on_msg(a->ctx, m);
}

/* Messages end at a blank line; the greeting is one line of its own. */
static void
acd_ami_consume(struct acd_ami *a, int64_t now)
{
	for (;;) {
		char *end, *nl;
		size_t used;

		a->rx[a->rx_len] = '\0';
		if (a->st == AS_GREETING) {
			if ((nl = memchr(a->rx, '\n', a->rx_len)) == NULL)
				return;
			if (strncmp(a->rx, "Asterisk Call Manager/", 22) != 0) {
				acd_ami_drop(a, now, "not an Asterisk Manager greeting");
				return;
			}
			used = (size_t)(nl - a->rx) + 1;
			memmove(a->rx, a->rx + used, a->rx_len - used);
			a->rx_len -= used;
			{
				const char *kv[] = { "Username", a->cfg.user, "Secret", a->cfg.secret,
				                     "Events", "agent", NULL };
				a->login_id = acd_ami_send(a, "Login", kv);
			}
			a->st = AS_LOGIN;
			continue;
		}
		end = strstr(a->rx, "\r\n\r\n");
		used = 4;
		if (end == NULL || ((nl = strstr(a->rx, "\n\n")) != NULL && nl < end)) {
			end = strstr(a->rx, "\n\n");
			used = 2;
		}
		if (end == NULL)
			return;
		*end = '\0';
		used += (size_t)(end - a->rx);
		{
			struct acd_ami_msg m;
			char *copy = a->rx;
			acd_ami_parse(copy, &m);
			if (m.n > 0)
				acd_ami_on_message(a, now, &m);
		}
		if (a->fd < 0)
			return;   /* dropped while handling it */
		memmove(a->rx, a->rx + used, a->rx_len - used);
		a->rx_len -= used;
	}
}

static void
acd_ami_io(struct acd_ami *a, int64_t now)
{
	ssize_t n;

	if (a->st == AS_CONNECTING) {
		struct pollfd pf = { a->fd, POLLOUT, 0 };
		int err = 0;
		socklen_t len = sizeof err;
		if (poll(&pf, 1, 0) <= 0)
			return;   /* still connecting */
		if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err != 0) {
			acd_ami_drop(a, now, strerror(err));
			return;
		}
		a->st = AS_GREETING;
	}
	while (a->tx_len > 0) {
		n = send(a->fd, a->tx, a->tx_len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN)
				break;
			acd_ami_drop(a, now, strerror(errno));
			return;
		}
		memmove(a->tx, a->tx + n, a->tx_len - (size_t)n);
		a->tx_len -= (size_t)n;
	}
	for (;;) {
		if (a->rx_len == ACD_AMI_MSG_MAX) {
			acd_ami_drop(a, now, "a message longer than 64 KiB");
			return;
		}
		n = recv(a->fd, a->rx + a->rx_len, ACD_AMI_MSG_MAX - a->rx_len, 0);
		if (n == 0) {
			acd_ami_drop(a, now, "the PBX closed the connection");
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN)
				break;
			acd_ami_drop(a, now, strerror(errno));
			return;
		}
		a->rx_len += (size_t)n;
		acd_ami_consume(a, now);
		if (a->fd < 0)
			return;
	}
	/* what the callbacks queued goes out now, not after the next poll */
	while (a->tx_len > 0 && a->fd >= 0) {
		n = send(a->fd, a->tx, a->tx_len, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		memmove(a->tx, a->tx + n, a->tx_len - (size_t)n);
		a->tx_len -= (size_t)n;
	}
}

void
acd_ami_step(struct acd_ami *a, int64_t now)
{
	if (a->st == AS_WAIT) {
		if (now < a->next_try)
			return;
		acd_ami_connect(a, now);
		if (a->fd < 0)
			return;
	}
	acd_ami_io(a, now);
}
