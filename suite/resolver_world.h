/* The world every resolver check sees (suite/resolver_world.c): its
 * /etc/hosts, /etc/services and the zone of its DNS server, in the
 * documentation ranges only.  Names that exist nowhere else prove that the
 * machine's own files and DNS are never read.
 *
 * The resolver checks (hostent.c, servent.c, getaddrinfo.c, getnameinfo.c,
 * gai_strerror.c) include only the C library, check.h and resolver.h, so
 * that they build unchanged with musl-gcc into netconform-musl (musl/).
 */
#ifndef NC_RESOLVER_WORLD_H
#define NC_RESOLVER_WORLD_H

#include <netdb.h>
#include <stdbool.h>
#include <time.h>

#include "check.h"
#include "clock.h"
#include "resolver.h"

/* What a lost query costs in the world's resolv.conf (timeout:1
 * attempts:1): the .longest_timer_ms of the checks that lose one, and of
 * those where musl waits it out as well while glibc answers at once (a
 * SERVFAIL, a FORMERR, a refused or unreachable server). */
#define WORLD_TIMEOUT_MS 1000
/* An answer, or an error answered (SERVFAIL, an ICMP), takes no timer:
 * well under the timeout. */
#define ANSWERED_MS 500
#define TIMER_SLACK_MS 100	/* a resolver's timer fires this much early at most */
#define LATE_SLACK_MS 800	/* and this much late, on a busy machine */
/* What one lost query takes: the timeout, less a timer's early slack, more
 * a busy machine's lateness. */
#define LOST_QUERY_MIN_MS (WORLD_TIMEOUT_MS - TIMER_SLACK_MS)
#define LOST_QUERY_MAX_MS (WORLD_TIMEOUT_MS + LATE_SLACK_MS)

/* The DNS server on 127.0.0.1 of the check's own namespace. */
extern const struct nc_resolver_env world_loopback;
/* The files alone, no DNS server (nothing to start for nothing): for
 * the lookups that read nothing but a file, as getservbyname() and
 * getservbyport() read /etc/services. */
extern const struct nc_resolver_env world_files;
/* The DNS server in host "ns" (198.18.0.2) of scenarios/dns*.scn. */
extern const struct nc_resolver_env world_ns;

/* Builds env for the check; a failure ends it. */
void world_enter(const struct nc_case_ctx *ctx, const struct nc_resolver_env *env,
		 struct nc_resolver *resolver);

/* The queries the DNS server saw, key "dns_queries": none when the answer
 * must come from the files or the query never reaches the server; else at
 * least one, so the answer (or error) came from the server.  How many more
 * is the C library's own way (A and AAAA, the search list, retries, musl
 * asking again with a bigger buffer), which no document states: observed. */
void world_expect_dns_queries(const struct nc_dns_stats *stats, bool asked);

/* getaddrinfo(host, "80") for SOCK_STREAM of family: its code, and in got
 * world_addrinfo_str() of the result ("" on failure). */
int world_resolve(const char *host, int family, char *got, size_t size);

/* How many queries the DNS server's listener (nameserver line) server got. */
unsigned world_queries_to(const struct nc_dns_stats *stats, int server);

/* The queries the DNS server saw, in order: "A www.example.test., AAAA
 * www.example.test. tcp", each with "@SERVER" (its nameserver line) when
 * with_server. */
const char *world_queries_str(const struct nc_dns_stats *stats, bool with_server, char *buf,
			      size_t size);

/* The DNS server's stats once the lookups are done, its queries observed
 * as "queries" (world_queries_str()). */
void world_dns_seen(const struct nc_resolver *resolver, bool with_server,
		    struct nc_dns_stats *stats);

/* "HOST_NOT_FOUND", ... for h_errno values. */
const char *world_h_errno_name(int value);

/* "a.b.c.d" / "v6" of a raw address of family; "?" when it is neither. */
const char *world_addr_str(int family, const void *addr, char *buf, size_t size);

/* A NULL-terminated list ("h_aliases") as "a b c", "" when empty,
 * "(NULL list)" when there is no list (a NULL pointer). */
const char *world_list_str(char *const *list, char *buf, size_t size);

/* An addrinfo list as sorted, comma-separated "addr:port socktype/protocol"
 * items, e.g. "198.51.100.10:80 stream/tcp, [2001:db8::10]:80 stream/tcp";
 * an item whose ai_family or ai_addrlen is not its address's, or whose
 * sin_zero, sin6_flowinfo or (global) sin6_scope_id is not zero, says so. */
const char *world_addrinfo_str(const struct addrinfo *list, char *buf, size_t size);

/* Reentrancy: WORLD_THREADS threads ask at once, WORLD_ROUNDS times each,
 * the questions of jobs dealt round-robin; answer(question) must give each
 * job's want every time.  Failures name the thread and its first wrong answer. */
#define WORLD_THREADS 8
#define WORLD_ROUNDS 40

struct world_job {
	const char *question;
	const char *want;
};

void world_expect_concurrent(const struct world_job *jobs, size_t n_jobs,
			     void (*answer)(const char *question, char *got, size_t size));

#endif
