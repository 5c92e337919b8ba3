/*
 * netallow: the networks pooltopd accepts TCP connections from
 * (`pooltopd --allow 10.1.0.0/16,192.168.5.7`).
 *
 * Why: a refused CURVE handshake costs the server ~250 us of libzmq's and
 * libsodium's work before the ZAP handler is even asked (docs/BENCH.md,
 * "A flood of bad handshakes"), so a flood from anywhere slows everyone.
 * A connection from outside these networks is closed by libzmq as it is
 * accepted (ZMQ_TCP_ACCEPT_FILTER), before any byte of the handshake: a
 * flood from elsewhere costs an accept() and a close().  It is a filter
 * on where a connection comes from, never a substitute for the keys.
 */
#ifndef POOLTOP_NETALLOW_H
#define POOLTOP_NETALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETALLOW_MAX 32            /* networks in one --allow */

struct netallow_net {
	char addr[46];                 /* INET6_ADDRSTRLEN: as given, checked */
	unsigned bits;                 /* prefix length (32 or 128 when none given) */
	bool v6;
};

struct netallow {
	uint32_t n;                    /* 0: every address is accepted */
	struct netallow_net net[NETALLOW_MAX];
};

/* Parse "NET[,NET...]", each an IPv4 or IPv6 address with an optional
 * /BITS.  0, or -1 with why naming the bad piece. */
int netallow_parse(struct netallow *al, const char *list, char *why, size_t len);
/* Set the filters on a ZeroMQ socket; before its bind.  0 or -1 (errno).
 * With an IPv6 network the socket is made IPv6 (libzmq reads IPv6
 * filters only then), and each IPv4 network is given in its
 * IPv4-mapped form, as a dual-stack listener sees IPv4 peers. */
int netallow_apply(const struct netallow *al, void *sock);

#endif
