/* The resolver checks' world (suite/resolver_world.h). */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addresses.h"
#include "resolver_world.h"
#include "sockaddr.h"

/* "localhost" carries the domain, so NI_NOFQDN knows which names are local
 * (glibc takes the local domain from the name of "localhost"). */
static const char world_hosts[] =
	"127.0.0.1	localhost.example.test localhost\n"
	"::1		localhost.example.test localhost\n"
	"198.51.100.1	files-host.example.test files-host fh-alias\n"
	"198.51.100.2	files-host.example.test\n"
	"2001:db8::1	files-host6.example.test files-host6\n"
	"198.51.100.3	other-host.example.test other-host\n"
	/* what 198.51.100 reads as when a short len is padded with 0 */
	"198.51.100.0	zero-octet.example.test\n"
	"203.0.113.7	far.example.org far\n"
	/* IPv4 here, IPv6 (and another IPv4) in DNS: which source answers */
	"198.51.100.70	split.example.test\n";

/* 4242 = 0x1092: its network byte order differs from the host's on every
 * little-endian machine, so an s_port in host order is seen. */
static const char world_services[] =
	"echo		7/tcp\n"
	"echo		7/udp\n"
	"http		80/tcp		www\n"
	"exec		512/tcp\n"
	"biff		512/udp		comsat\n"
	"nc-stream	4242/tcp	nc-s nc-stream-alias\n"
	"nc-dgram	4243/udp	nc-d\n"
	"nc-both		4244/tcp\n"
	"nc-both		4244/udp\n"
	/* one name, another port per protocol: the proto asked picks the port */
	"nc-split	4245/tcp	nc-sp\n"
	"nc-split	4246/udp	nc-sp\n"
	/* the edges of the port range and of the privileged ports */
	"nc-low		1023/tcp\n"
	"nc-high		1024/tcp\n"
	"nc-top		65535/tcp	nc-last\n";

static const char *const world_records[] = {
	"www.example.test.	60 IN A		198.51.100.10",
	"www.example.test.	60 IN A		198.51.100.11",
	"www.example.test.	60 IN AAAA	2001:db8::10",
	"alias.example.test.	60 IN CNAME	www.example.test.",
	"v4only.example.test.	60 IN A		198.51.100.4",
	"v6only.example.test.	60 IN AAAA	2001:db8::6",
	"big.example.test.	60 IN A		198.51.100.20",
	"nodata.example.test.	60 IN TXT	\"a name without addresses\"",
	"half.example.test.	60 IN A		198.51.100.30",
	"half.example.test.	60 IN AAAA	2001:db8::30",
	"10.100.51.198.in-addr.arpa. 60 IN PTR www.example.test.",
	"0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 60 IN PTR www.example.test.",
	/* UDP carries the first of the four, with TC; TCP all four */
	"many.example.test.	60 IN A		198.51.100.40",
	"many.example.test.	60 IN A		198.51.100.41",
	"many.example.test.	60 IN A		198.51.100.42",
	"many.example.test.	60 IN A		198.51.100.43",
	"split.example.test.	60 IN A		198.51.100.71",
	"split.example.test.	60 IN AAAA	2001:db8::70",
	/* found only through the search list ("host.b" + "example.test") */
	"host.b.example.test.	60 IN A		198.51.100.61", NULL
};

static const struct nc_dns_rule world_rules[] = {
	{ "servfail.example.test.", NC_DNS_SERVFAIL },
	{ "refused.example.test.", NC_DNS_REFUSED },
	{ "formerr.example.test.", NC_DNS_FORMERR },
	{ "gone.example.test.", NC_DNS_NXDOMAIN },
	{ "empty.example.test.", NC_DNS_NODATA },
	{ "98.100.51.198.in-addr.arpa.", NC_DNS_SERVFAIL },
	{ "97.100.51.198.in-addr.arpa.", NC_DNS_FORMERR },
	{ NULL, 0 }
};

/* Too big for UDP, as far as the client knows: it must retry over TCP. */
static const char *const world_truncated[] = { "big.example.test.", NULL };
static const char *const world_truncated_partial[] = { "many.example.test.", NULL };

/* A server that answers A and never AAAA, for half.example.test. only. */
static const struct nc_dns_drop world_dropped[] = {
	{ "half.example.test.", NC_DNS_TYPE_AAAA },
	{ NULL, 0 }
};

static const struct nc_dns_zone world_zone = {
	.records = world_records,
	.rules = world_rules,
	.truncated = world_truncated,
	.dropped = world_dropped,
	.truncated_partial = world_truncated_partial,
};

const struct nc_resolver_env world_loopback = {
	.hosts = world_hosts,
	.services = world_services,
	.zone = &world_zone,
	.nameserver = "127.0.0.1",
	.options = "timeout:1 attempts:1",	/* a lost query costs a second */
	.search = "example.test",
};

/* resolv.conf names 127.0.0.1, where nothing answers: a query that went
 * out would be refused at once. */
static const struct nc_nameserver unserved[] = {
	{ "127.0.0.1", NC_DNS_NOT_SERVED, 0 },
	{ NULL, NC_DNS_NOT_SERVED, 0 },
};

const struct nc_resolver_env world_files = {
	.hosts = world_hosts,
	.services = world_services,
	.nameservers = unserved,
	.options = "timeout:1 attempts:1",
	.search = "example.test",
};

const struct nc_resolver_env world_ns = {
	.hosts = world_hosts,
	.services = world_services,
	.zone = &world_zone,
	.nameserver = NAMESERVER_V4,
	.options = "timeout:1 attempts:1",
	.search = "example.test",
};

void world_enter(const struct nc_case_ctx *ctx, const struct nc_resolver_env *env,
		 struct nc_resolver *resolver)
{
	NC_ASSERT_OK(nc_resolver_setup(ctx, env, resolver));
}

void world_expect_dns_queries(const struct nc_dns_stats *stats, bool asked)
{
	unsigned queries = stats->udp_queries + stats->tcp_queries;

	if (asked)
		NC_EXPECT_MIN("dns_queries", queries, 1);
	else
		NC_EXPECT_INT("dns_queries", queries, 0);
}

int world_resolve(const char *host, int family, char *got, size_t size)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	int code = getaddrinfo(host, "80", &hints, &res);

	got[0] = '\0';
	if (code == 0) {
		world_addrinfo_str(res, got, size);
		freeaddrinfo(res);
	}
	return code;
}

unsigned world_queries_to(const struct nc_dns_stats *stats, int server)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < stats->logged && i < NC_DNS_LOG_MAX; i++)
		n += stats->log[i].server == server;
	return n;
}

static const char *qtype_name(uint16_t qtype)
{
	static __thread char other[16];

	switch (qtype) {
	case NC_DNS_TYPE_A: return "A";
	case NC_DNS_TYPE_AAAA: return "AAAA";
	case 12: return "PTR";
	}
	snprintf(other, sizeof(other), "TYPE%u", qtype);
	return other;
}

const char *world_queries_str(const struct nc_dns_stats *stats, bool with_server, char *buf,
			      size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < stats->logged && i < NC_DNS_LOG_MAX && used < size; i++) {
		const struct nc_dns_query *q = &stats->log[i];
		int n = with_server ?
			snprintf(buf + used, size - used, "%s%s %s%s@%u", i ? ", " : "",
				 qtype_name(q->qtype), q->qname, q->tcp ? " tcp" : "", q->server) :
			snprintf(buf + used, size - used, "%s%s %s%s", i ? ", " : "",
				 qtype_name(q->qtype), q->qname, q->tcp ? " tcp" : "");

		used += n > 0 ? (size_t)n : 0;
	}
	return buf;
}

void world_dns_seen(const struct nc_resolver *resolver, bool with_server,
		    struct nc_dns_stats *stats)
{
	char queries[1024];

	nc_dns_server_stats(&resolver->dns, stats);
	nc_observe("queries", "%s", world_queries_str(stats, with_server, queries, sizeof(queries)));
}

const char *world_h_errno_name(int value)
{
	static __thread char unknown[24];

	switch (value) {
	case 0: return "0";
	case HOST_NOT_FOUND: return "HOST_NOT_FOUND";
	case TRY_AGAIN: return "TRY_AGAIN";
	case NO_RECOVERY: return "NO_RECOVERY";
	case NO_DATA: return "NO_DATA";
#ifdef NETDB_INTERNAL	/* glibc's; musl has none */
	case NETDB_INTERNAL: return "NETDB_INTERNAL";
#endif
	}
	snprintf(unknown, sizeof(unknown), "h_errno %d", value);
	return unknown;
}

const char *world_addr_str(int family, const void *addr, char *buf, size_t size)
{
	if ((family != AF_INET && family != AF_INET6) || !inet_ntop(family, addr, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

const char *world_list_str(char *const *list, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (!list)	/* no list at all, not an empty one */
		snprintf(buf, size, "(NULL list)");
	for (; list && *list && used < size; list++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " " : "", *list);
	return buf;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *socktype_name(int socktype)
{
	switch (socktype) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	}
	return "?";
}

static const char *protocol_name(int protocol)
{
	switch (protocol) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case 0: return "0";
	}
	return "?";
}

/* What is wrong with ai's fields beyond its address, port, socket type and
 * protocol: ai_family and ai_addrlen are those of the address ai_addr holds,
 * and its hidden fields are zero (sin_zero; sin6_flowinfo, and sin6_scope_id
 * of an address that is not link-local).  "" when nothing is. */
static const char *addrinfo_field_faults(const struct addrinfo *ai, char *buf, size_t size)
{
	socklen_t want_len = ai->ai_family == AF_INET ? sizeof(struct sockaddr_in) :
			     ai->ai_family == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
	static const char zero[8];

	buf[0] = '\0';
	if (!ai->ai_addr || ai->ai_addr->sa_family != ai->ai_family || ai->ai_addrlen != want_len) {
		snprintf(buf, size, " (ai_family or ai_addrlen wrong)");
	} else if (ai->ai_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ai->ai_addr;

		if (memcmp(in->sin_zero, zero, sizeof(in->sin_zero)) != 0)
			snprintf(buf, size, " (sin_zero not zero)");
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ai->ai_addr;

		if (in6->sin6_flowinfo || (in6->sin6_scope_id &&
					   !IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)))
			snprintf(buf, size, " (sin6_flowinfo %u, sin6_scope_id %u)",
				 ntohl(in6->sin6_flowinfo), in6->sin6_scope_id);
	}
	return buf;
}

const char *world_addrinfo_str(const struct addrinfo *list, char *buf, size_t size)
{
	char items[32][NC_SOCKADDR_STRLEN + 80], *sorted[32];
	size_t n = 0, used = 0;

	for (const struct addrinfo *ai = list; ai && n < 32; ai = ai->ai_next, n++) {
		struct nc_sockaddr addr = { .len = ai->ai_addrlen };
		char where[NC_SOCKADDR_STRLEN], faults[64];

		memcpy(&addr.ss, ai->ai_addr, ai->ai_addrlen < sizeof(addr.ss) ?
		       ai->ai_addrlen : sizeof(addr.ss));
		snprintf(items[n], sizeof(items[n]), "%s %s/%s%s",
			 nc_sockaddr_str(&addr, where, sizeof(where)),
			 socktype_name(ai->ai_socktype), protocol_name(ai->ai_protocol),
			 addrinfo_field_faults(ai, faults, sizeof(faults)));
		sorted[n] = items[n];
	}
	qsort(sorted, n, sizeof(sorted[0]), compare_strings);
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", sorted[i]);
	return buf;
}

struct world_thread {
	const struct world_job *job;
	void (*answer)(const char *question, char *got, size_t size);
	int wrong;
	char first_wrong[1024];
};

static void *answer_repeatedly(void *arg)
{
	struct world_thread *thread = arg;

	for (int round = 0; round < WORLD_ROUNDS; round++) {
		char got[768];

		thread->answer(thread->job->question, got, sizeof(got));
		if (strcmp(got, thread->job->want) != 0 && thread->wrong++ == 0)
			snprintf(thread->first_wrong, sizeof(thread->first_wrong), "%s: %s",
				 thread->job->question, got);
	}
	return NULL;
}

void world_expect_concurrent(const struct world_job *jobs, size_t n_jobs,
			     void (*answer)(const char *question, char *got, size_t size))
{
	struct world_thread threads[WORLD_THREADS];
	pthread_t ids[WORLD_THREADS];
	struct nc_stopwatch watch;	/* its wait makes a wrong answer from a lookup that timed out for the load an overload, not a finding (timing.h) */
	int wrong = 0;

	nc_stopwatch_start(&watch);
	for (int i = 0; i < WORLD_THREADS; i++) {
		threads[i] = (struct world_thread){ .job = &jobs[i % n_jobs], .answer = answer };
		if (pthread_create(&ids[i], NULL, answer_repeatedly, &threads[i]) != 0)
			nc_fatal("pthread_create failed");
	}
	for (int i = 0; i < WORLD_THREADS; i++)
		pthread_join(ids[i], NULL);
	nc_stopwatch_stop(&watch);
	for (int i = 0; i < WORLD_THREADS; i++) {
		wrong += threads[i].wrong;
		if (threads[i].wrong)
			nc_fail("thread %d: %d wrong answers, first %s", i, threads[i].wrong,
				threads[i].first_wrong);
	}
	nc_observe("calls", "%d", WORLD_THREADS * WORLD_ROUNDS);
	NC_EXPECT_INT("wrong_answers", wrong, 0);
}
