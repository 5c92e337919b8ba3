/*
 * netallow: parse `--allow` and hand it to libzmq as accept filters
 * (pooltop/netallow.h).
 */
#include <arpa/inet.h>
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
	char text[64], addr[sizeof al->net[0].addr], w[PARSE_WHY_MAX];
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
	snprintf(al->net[al->n].addr, sizeof al->net[al->n].addr, "%s", addr);
	al->net[al->n].bits = slash ? (unsigned)bits : v6 ? 128u : 32u;
	al->net[al->n++].v6 = v6;
	return 0;
}

int
netallow_parse(struct netallow *al, const char *list, char *why, size_t len)
{
	const char *p = list;

	al->n = 0;
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

int
netallow_apply(const struct netallow *al, void *sock)
{
	bool v6 = false;
	int one = 1;

	for (uint32_t i = 0; i < al->n; i++)
		v6 = v6 || al->net[i].v6;
	if (v6 && zmq_setsockopt(sock, ZMQ_IPV6, &one, sizeof one) != 0)
		return -1;
	for (uint32_t i = 0; i < al->n; i++) {
		const struct netallow_net *nt = &al->net[i];
		char f[80];

		/* An IPv6 socket sees IPv4 peers as ::ffff:a.b.c.d, and libzmq
		 * would read a.b.c.d/B as that address with the mask of B bits
		 * from the start (matching every IPv4 peer): say it whole,
		 * ::ffff:a.b.c.d/(96+B). */
		if (v6 && !nt->v6)
			snprintf(f, sizeof f, "::ffff:%s/%u", nt->addr, 96 + nt->bits);
		else
			snprintf(f, sizeof f, "%s/%u", nt->addr, nt->bits);
		if (zmq_setsockopt(sock, ZMQ_TCP_ACCEPT_FILTER, f, strlen(f)) != 0)
			return -1;
	}
	return 0;
}
