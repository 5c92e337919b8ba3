/*
 * netallow: parse `--allow` and hand it to libzmq as accept filters
 * (pooltop/netallow.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <zmq.h>

#include "pooltop/netallow.h"
#include "pooltop/parse.h"

/* One "ADDR[/BITS]" of len bytes at s: checked here so a typo is an error
 * that names it, not a silent filter that matches nobody. */
static int
netallow_one(struct netallow *al, const char *s, size_t n, char *why, size_t len)
{
	char text[NETALLOW_TEXT_MAX], addr[INET6_ADDRSTRLEN], w[PARSE_WHY_MAX];
	unsigned char buf[sizeof(struct in6_addr)];
	const char *slash;
	uint64_t bits = 0;
	size_t alen;
	int v6;

	if (n == 0 || n >= sizeof text) {
		snprintf(why, len, "--allow wants addresses or networks like 10.1.0.0/16, got '%.*s'",
		         (int)(n < 80 ? n : 80), s);
		return -1;
	}
	memcpy(text, s, n);
	text[n] = '\0';
	slash = strchr(text, '/');
	alen = slash ? (size_t)(slash - text) : n;
	if (alen >= sizeof addr) {
		snprintf(why, len, "--allow: '%s' is not an IPv4 or IPv6 address", text);
		return -1;
	}
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	v6 = strchr(addr, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, buf) != 1) {
		snprintf(why, len, "--allow: '%s' is not an IPv4 or IPv6 address", addr);
		return -1;
	}
	if (slash && parse_whole(slash + 1, 0, v6 ? 128 : 32, &bits, w, sizeof w) != PARSE_OK) {
		snprintf(why, len, "--allow: the prefix length in '%s' %s", text, w);
		return -1;
	}
	if (al->n == NETALLOW_MAX) {
		snprintf(why, len, "--allow takes at most %d networks", NETALLOW_MAX);
		return -1;
	}
	/* with its prefix always written, the form libzmq reads in either mode */
	snprintf(al->net[al->n], sizeof al->net[al->n], "%s/%u", addr,
	         slash ? (unsigned)bits : v6 ? 128u : 32u);
	al->v6[al->n++] = v6;
	al->any_v6 = al->any_v6 || v6;
	return 0;
}

int
netallow_parse(struct netallow *al, const char *list, char *why, size_t len)
{
	const char *p = list;

	al->n = 0;
	al->any_v6 = false;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n > 0 && *p == ' ')
			p++, n--;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (netallow_one(al, p, n, why, len) < 0)
			return -1;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

static int
netallow_set(void *sock, const char *net)
{
	return zmq_setsockopt(sock, ZMQ_TCP_ACCEPT_FILTER, net, strlen(net));
}

int
netallow_apply(const struct netallow *al, void *sock)
{
	int one = 1;

	if (al->any_v6 && zmq_setsockopt(sock, ZMQ_IPV6, &one, sizeof one) != 0)
		return -1;
	for (uint32_t i = 0; i < al->n; i++) {
		char mapped[NETALLOW_TEXT_MAX + 16], addr[16];
		unsigned bits = 32;

		if (!al->any_v6 || al->v6[i]) {
			if (netallow_set(sock, al->net[i]) != 0)
				return -1;
			continue;
		}
		/* An IPv6 socket sees IPv4 peers as ::ffff:a.b.c.d, and libzmq
		 * would read a.b.c.d/B as that address with the mask of B bits
		 * from the start (matching every IPv4 peer): say it whole,
		 * ::ffff:a.b.c.d/(96+B). */
		if (sscanf(al->net[i], "%15[0-9.]/%u", addr, &bits) != 2) {
			errno = EINVAL;
			return -1;
		}
		snprintf(mapped, sizeof mapped, "::ffff:%s/%u", addr, 96 + bits);
		if (netallow_set(sock, mapped) != 0)
			return -1;
	}
	return 0;
}
