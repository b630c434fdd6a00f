/* The edges of an address length a caller gives (accept()'s *addrlen,
 * getsockname()'s and getpeername()'s *address_len) on loopback: exactly
 * enough, one byte short, nothing.  Rows of a table whose struct begins
 * { name, listen_at, length }.  And the byte an address buffer is filled
 * with before the call. */
#ifndef NC_ADDRLEN_EDGES_H
#define NC_ADDRLEN_EDGES_H

#include <netinet/in.h>

/* Fills an address buffer before a call: a byte the call should have
 * written and did not stays this, never a clean zero that passes for
 * sin_zero, sin6_flowinfo or sin6_scope_id; a byte past the length given
 * that it wrote shows too. */
#define GUARD_BYTE 0xa5

#define ADDRLEN_EDGE_ROWS							\
	{ "ipv4-exact",     "127.0.0.1:0", sizeof(struct sockaddr_in) },	\
	{ "ipv4-one-short", "127.0.0.1:0", sizeof(struct sockaddr_in) - 1 },	\
	{ "ipv4-zero",      "127.0.0.1:0", 0 },					\
	{ "ipv6-exact",     "[::1]:0",     sizeof(struct sockaddr_in6) },	\
	{ "ipv6-one-short", "[::1]:0",     sizeof(struct sockaddr_in6) - 1 },	\
	{ "ipv6-zero",      "[::1]:0",     0 }

#endif
