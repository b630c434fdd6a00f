/* A DNS server for one check: a thread serving UDP and TCP on one address
 * with the answers the check configured (A, AAAA, PTR, CNAME records; forced
 * NXDOMAIN, SERVFAIL, REFUSED, FORMERR, NODATA; truncated UDP answers).  Its
 * sockets are bound before nc_dns_server_start() returns, so a query sent
 * after it is answered; the thread ends with the check.
 *
 * This header needs only the C library: the checks that include it (through
 * lib/world/resolver.h) are meant to build with musl too.  ldns stays in the .c.
 */
#ifndef NC_DNS_SERVER_H
#define NC_DNS_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sockaddr.h"

/* Response codes (RFC 1035 4.1.1); NC_DNS_NODATA is NOERROR with no answer. */
enum nc_dns_rcode {
	NC_DNS_NOERROR = 0,
	NC_DNS_FORMERR = 1,
	NC_DNS_SERVFAIL = 2,
	NC_DNS_NXDOMAIN = 3,
	NC_DNS_NOTIMP = 4,
	NC_DNS_REFUSED = 5,
	NC_DNS_NODATA = 0x100,
};

/* A forced answer: every query for name gets rcode, whatever the records. */
struct nc_dns_rule {
	const char *name;		/* "servfail.example.test." */
	int rcode;			/* enum nc_dns_rcode */
};

/* A query left unanswered: name's records of type qtype are never sent. */
struct nc_dns_drop {
	const char *name;		/* "half.example.test." */
	uint16_t qtype;			/* NC_DNS_TYPE_* */
};
enum { NC_DNS_TYPE_A = 1, NC_DNS_TYPE_AAAA = 28 };

struct nc_dns_zone {
	/* Master-file lines: "www.example.test. 60 IN A 198.51.100.10";
	 * NULL-terminated. */
	const char *const *records;
	/* NULL-terminated by a NULL name; may be NULL. */
	const struct nc_dns_rule *rules;
	/* Names whose UDP answer is truncated (TC bit, no records), so the
	 * client must ask again over TCP; NULL-terminated, may be NULL. */
	const char *const *truncated;
	/* Queries the server drops, by name and type (it answers A and drops
	 * AAAA, say); ended by a NULL name, may be NULL. */
	const struct nc_dns_drop *dropped;
	/* Names whose UDP answer has TC set and carries only the first of the
	 * records TCP gives in full; NULL-terminated, may be NULL. */
	const char *const *truncated_partial;
};

/* One query as the server saw it, in the order queries came. */
struct nc_dns_query {
	uint8_t server;			/* the listener's id (its resolv.conf line) */
	uint8_t tcp;			/* 1: over TCP */
	uint16_t qtype;			/* NC_DNS_TYPE_*, ...; 0: unparsable */
	uint16_t sport;			/* the client's source port */
	uint32_t at_ms;			/* since the server started */
	char qname[88];			/* "www.example.test." */
};
#define NC_DNS_LOG_MAX 64

/* What the server saw, in memory shared with the check. */
struct nc_dns_stats {
	uint32_t udp_queries;
	uint32_t tcp_queries;
	uint32_t truncated;		/* UDP answers sent with TC */
	uint32_t malformed;		/* queries ldns could not parse */
	uint32_t dropped;		/* queries left unanswered by a drop */
	uint32_t logged;		/* queries in log (the first NC_DNS_LOG_MAX kept) */
	int64_t started_ms;		/* nc_now_ms() at the start: log's at_ms from it */
	struct nc_dns_query log[NC_DNS_LOG_MAX];
};

/* How an address of the server answers. */
enum nc_dns_manner {
	NC_DNS_ANSWERS,			/* from the zone */
	NC_DNS_SERVFAILS,		/* SERVFAIL to every query */
	NC_DNS_LATE,			/* from the zone, delay_ms late (UDP) */
	NC_DNS_NOT_SERVED,		/* nothing of the server's there (resolver.h) */
};

struct nc_dns_listener {
	struct nc_sockaddr addr;	/* port 0: 53 */
	int id;				/* logged as nc_dns_query.server */
	enum nc_dns_manner manner;
	unsigned delay_ms;		/* NC_DNS_LATE */
};
#define NC_DNS_MAX_LISTENERS 8

/* A thread of the check's process: a fork of it was 3 ms of CPU a check
 * (page tables copied, pages copied on write, its exit). */
struct nc_dns_server {
	pthread_t thread;
	/* its sockets, buffers, zone and counters; NULL: none running */
	struct nc_dns_serving *serving;
	struct nc_sockaddr addr;	/* where it listens (the port filled in) */
};

/* Binds UDP and TCP on each listener's address in the calling thread's
 * network namespace and starts the server's thread (out->addr: the
 * first's).  -EINVAL when a record does not parse or n is 0 or too many. */
int nc_dns_servers_start(const struct nc_dns_zone *zone,
			 const struct nc_dns_listener *listeners, size_t n,
			 struct nc_dns_server *out);

/* One address (port 0: 53), answering from the zone. */
static inline int nc_dns_server_start(const struct nc_dns_zone *zone,
				      const struct nc_sockaddr *listen,
				      struct nc_dns_server *out)
{
	struct nc_dns_listener one = { .addr = *listen, .manner = NC_DNS_ANSWERS };

	return nc_dns_servers_start(zone, &one, 1, out);
}
/* Stops its thread and frees what it held.  A check need not: the server
 * ends with the check's process. */
int nc_dns_server_stop(struct nc_dns_server *server);

/* Reads the shared counters (a copy: they keep moving). */
void nc_dns_server_stats(const struct nc_dns_server *server, struct nc_dns_stats *out);

#endif
