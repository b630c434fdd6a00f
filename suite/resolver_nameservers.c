/* Several nameservers in resolv.conf, as users have them: the first one
 * silent (its queries dropped), refusing (ICMP port unreachable), answering
 * SERVFAIL or only after the resolver's timeout, the second good; and
 * "options rotate".  The document knows no name server at all: what
 * resolv.conf(5) says of them is the reference, and each C library's way
 * is pinned where it differs (scenarios/dns-nameservers.scn). */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "addresses.h"
#include "net_fault.h"
#include "resolver_world.h"

/* The late server's answer: after the first's timeout, and after the
 * latest the second's answer may take (a resolver that waits for it is
 * outside the bound). */
#define LATE_MS (2 * WORLD_TIMEOUT_MS)

/* A name of one address: glibc sorts two or more (RFC 3484) after the
 * answer, reading the interfaces' addresses over netlink, whose dump waits
 * for the RTNL lock; other sandboxes coming and going held it 600 ms and
 * more on a busy machine (load 90), a delay of the kernel, not of the
 * nameservers, that would be counted in the lookup's time. */
#define ASKED_NAME "v4only.example.test."
#define ASKED_ADDRESSES "198.51.100.4:80 stream/tcp"

/* Host ns's addresses (the DNS server), host dead's, host refusing's. */
#define NS_GOOD { NAMESERVER_V4, NC_DNS_ANSWERS, 0 }
#define NS_SECOND_GOOD { "198.18.0.3", NC_DNS_ANSWERS, 0 }
#define NS_SERVFAIL { "198.18.0.3", NC_DNS_SERVFAILS, 0 }
#define NS_LATE { "198.18.0.3", NC_DNS_LATE, LATE_MS }
#define NS_DEAD { "198.18.1.2", NC_DNS_NOT_SERVED, 0 }
#define NS_REFUSING { "198.18.2.2", NC_DNS_NOT_SERVED, 0 }

static const struct first_fails_case {
	const char *name;
	struct nc_nameserver servers[NC_MAX_NAMESERVERS + 1];
	const char *first_fault;	/* counts the first's queries; NULL: the log does */
	/* the first never answers in time: the second is asked at its
	 * timeout; else its failure is an answer, and the second is asked
	 * at once */
	bool times_out;
	/* "attempts:1": the first is asked once; 0: observed only, where a
	 * C library's retry races the second's answer (musl asks a server
	 * that answered SERVFAIL again at once: 1 or 2 queries) */
	unsigned want_first_queries;
} first_fails_cases[] = {
	{ "dead", { NS_DEAD, NS_GOOD }, "dead-udp", true, 1 },
	{ "refusing", { NS_REFUSING, NS_GOOD }, "refused-udp", false, 1 },
	{ "servfail", { NS_SERVFAIL, NS_GOOD }, NULL, false, 0 },
	{ "late", { NS_LATE, NS_GOOD }, NULL, true, 1 },
};

/* The queries the first nameserver got: its fault's counter when nothing
 * of ours answers there, else the server's log. */
static unsigned first_server_queries(const struct nc_case_ctx *ctx, const char *fault,
				     const struct nc_dns_stats *stats)
{
	uint64_t packets = 0;

	if (!fault)
		return world_queries_to(stats, 0);
	NC_ASSERT_OK(nc_fault_packets(ctx->net, fault, &packets));
	return (unsigned)packets;
}

/* When the second nameserver got its first query, in ms since lookup_ms
 * (nc_now_ms(), the clock of the server's log); -1: never. */
static long second_asked_ms(const struct nc_dns_stats *stats, long long lookup_ms)
{
	for (uint32_t i = 0; i < stats->logged && i < NC_DNS_LOG_MAX; i++)
		if (stats->log[i].server == 1) {
			long long at = stats->started_ms + stats->log[i].at_ms;

			return at > lookup_ms ? (long)(at - lookup_ms) : 0;
		}
	return -1;
}

static void second_server_answers(const struct nc_case_ctx *ctx)
{
	const struct first_fails_case *c = ctx->data;
	struct nc_resolver_env env = world_ns;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_stopwatch watch;
	unsigned first_queries;
	long long lookup_ms;
	long asked_ms;
	char got[512];
	int code;

	env.nameservers = c->servers;
	world_enter(ctx, &env, &resolver);
	nc_stopwatch_start(&watch);
	lookup_ms = nc_now_ms();
	code = world_resolve(ASKED_NAME, AF_INET, got, sizeof(got));
	nc_stopwatch_stop(&watch);

	world_dns_seen(&resolver, true, &stats);
	asked_ms = second_asked_ms(&stats, lookup_ms);
	NC_EXPECT_EAI("eai", code, 0);
	NC_EXPECT_STR("addresses", got, ASKED_ADDRESSES);
	/* the facts first: the first asked once, then the second, whose
	 * answer is the one given */
	first_queries = first_server_queries(ctx, c->first_fault, &stats);
	if (c->want_first_queries)
		NC_EXPECT_INT("first_server_queries", first_queries, c->want_first_queries);
	else
		nc_observe("first_server_queries", "%u", first_queries);
	NC_EXPECT_INT("second_server_queries", world_queries_to(&stats, 1), 1);
	/* the second asked at the first's timeout, not before (the server's
	 * log: a load delays the query, never hastens it), and answering
	 * before a second timeout */
	if (c->times_out) {
		NC_EXPECT_MIN("second_asked_ms", asked_ms, LOST_QUERY_MIN_MS);
		NC_EXPECT_ELAPSED("elapsed_ms", &watch, LOST_QUERY_MIN_MS, LOST_QUERY_MAX_MS);
	} else {
		nc_observe("second_asked_ms", "%ld", asked_ms);
		NC_EXPECT_AT_ONCE("elapsed_ms", &watch, ANSWERED_MS, WORLD_TIMEOUT_MS);
	}
}

NC_CHECK(nameservers, first_fails) = {
	.beyond = "the document knows no name server; resolv.conf(5): a server that does not answer in `timeout` seconds gives way to the next",
	.summary = "the first nameserver dropping, refusing, answering SERVFAIL or after the timeout, the second good: getaddrinfo() gives the name's addresses after one query to each, at the first one's timeout (dropping, late) or at once (refusing, SERVFAIL)",
	.clauses = NC_CLAUSES("getaddrinfo-1", "gai-1"),
	.scenario = "dns-nameservers",
	NC_CASES(first_fails_cases),
	.run = second_server_answers,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
};

/* --- options rotate --- */

/* One lookup each, a name each, so that the log tells which server each
 * lookup asked first (musl asks every server: the first asked counts). */
static const char *const rotate_names[] = {
	"www.example.test.", "v4only.example.test.", "alias.example.test.", "half.example.test.",
};
#define LOOKUPS (sizeof(rotate_names) / sizeof(rotate_names[0]))

static const struct rotate_case {
	const char *name;
	const char *options;
	unsigned want_first, want_second;	/* the lookups each server is asked first for */
} rotate_cases[] = {
	/* round robin: each lookup starts at the next server */
	{ "rotate", "rotate timeout:1 attempts:1", LOOKUPS / 2, LOOKUPS / 2 },
	/* every lookup starts at the first, which answers */
	{ "in-order", "timeout:1 attempts:1", LOOKUPS, 0 },
};

/* How many of the names the log shows asked of server first. */
static unsigned first_asked_of(const struct nc_dns_stats *stats, int server)
{
	unsigned n = 0;

	for (size_t name = 0; name < LOOKUPS; name++)
		for (uint32_t i = 0; i < stats->logged && i < NC_DNS_LOG_MAX; i++)
			if (strcmp(stats->log[i].qname, rotate_names[name]) == 0) {
				n += stats->log[i].server == server;
				break;
			}
	return n;
}

static void servers_take_turns(const struct nc_case_ctx *ctx)
{
	static const struct nc_nameserver two_good[] = { NS_GOOD, NS_SECOND_GOOD, { 0 } };
	const struct rotate_case *c = ctx->data;
	struct nc_resolver_env env = world_ns;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	char got[512];
	int failed = 0;

	env.nameservers = two_good;
	env.options = c->options;
	world_enter(ctx, &env, &resolver);
	for (size_t i = 0; i < LOOKUPS; i++)
		failed += world_resolve(rotate_names[i], AF_INET, got, sizeof(got)) != 0;
	world_dns_seen(&resolver, true, &stats);
	NC_EXPECT_INT("failed_lookups", failed, 0);
	NC_EXPECT_INT("first_server_lookups", first_asked_of(&stats, 0), c->want_first);
	NC_EXPECT_INT("second_server_lookups", first_asked_of(&stats, 1), c->want_second);
}

NC_CHECK(nameservers, rotate) = {
	.beyond = "the document knows no name server; resolv.conf(5): rotate selects the name servers round-robin, without it the first listed is tried first every time",
	.summary = "4 lookups, two good nameservers: with options rotate each is asked first for 2 of them, without it the first for all 4",
	.clauses = NC_CLAUSES("getaddrinfo-1"),
	.scenario = "dns-nameservers",
	NC_CASES(rotate_cases),
	.run = servers_take_turns,
	.deadline_ms = 6000,
};
