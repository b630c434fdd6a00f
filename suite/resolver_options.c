/* resolv.conf's options as users set them: "timeout:N attempts:M" against
 * silent nameservers (the time to EAI_AGAIN / TRY_AGAIN, and the queries
 * sent), and glibc's "single-request" and "single-request-reopen" against a
 * server that answers A and drops AAAA.  The document names no option and
 * no timing: resolv.conf(5) is the reference, each C library's way pinned
 * where it differs (scenarios/dns-nameservers.scn). */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "addresses.h"
#include "net_fault.h"
#include "resolver_world.h"


/* Host dead's two addresses: every query to them is dropped. */
#define NS_DEAD { "198.18.1.2", NC_DNS_NOT_SERVED, 0 }
#define NS_SECOND_DEAD { "198.18.1.3", NC_DNS_NOT_SERVED, 0 }

enum lookup { BY_GETADDRINFO, BY_GETHOSTBYNAME };

static const struct timeout_case {
	const char *name;
	const char *options;
	struct nc_nameserver servers[NC_MAX_NAMESERVERS + 1];
	enum lookup lookup;
	/* resolv.conf(5): each of `attempts` rounds asks every server and waits
	 * `timeout` for each: timeout x attempts x servers in all */
	long want_ms;
	unsigned want_queries;		/* attempts x servers */
} timeout_cases[] = {
	{ "t1-a1", "timeout:1 attempts:1", { NS_DEAD }, BY_GETADDRINFO, 1000, 1 },
	{ "t2-a1", "timeout:2 attempts:1", { NS_DEAD }, BY_GETADDRINFO, 2000, 1 },
	{ "t1-a2", "timeout:1 attempts:2", { NS_DEAD }, BY_GETADDRINFO, 2000, 2 },
	{ "t1-a1-two-servers", "timeout:1 attempts:1", { NS_DEAD, NS_SECOND_DEAD },
	  BY_GETADDRINFO, 2000, 2 },
	{ "t1-a2-gethostbyname", "timeout:1 attempts:2", { NS_DEAD }, BY_GETHOSTBYNAME, 2000, 2 },
};

static void gives_up_after_options(const struct nc_case_ctx *ctx)
{
	const struct timeout_case *c = ctx->data;
	struct nc_resolver_env env = world_ns;
	struct nc_resolver resolver;
	struct nc_stopwatch watch;
	uint64_t queries = 0;
	char got[256];

	env.nameservers = c->servers;
	env.options = c->options;
	world_enter(ctx, &env, &resolver);
	/* the trailing dot: no search list, one name asked; IPv4 only: one type */
	nc_stopwatch_start(&watch);
	if (c->lookup == BY_GETHOSTBYNAME) {
		struct hostent *h = gethostbyname("www.example.test.");

		nc_stopwatch_stop(&watch);
		NC_EXPECT_STR("result", h ? "found" : "NULL", "NULL");
		NC_EXPECT_STR("h_errno", world_h_errno_name(h ? 0 : h_errno), "TRY_AGAIN");
	} else {
		int code = world_resolve("www.example.test.", AF_INET, got, sizeof(got));

		nc_stopwatch_stop(&watch);
		NC_EXPECT_EAI("eai", code, EAI_AGAIN);
	}
	NC_ASSERT_OK(nc_fault_packets(ctx->net, "dead-udp", &queries));
	NC_EXPECT_INT("queries", queries, c->want_queries);
	NC_EXPECT_ELAPSED("elapsed_ms", &watch, c->want_ms - TIMER_SLACK_MS,
			  c->want_ms + LATE_SLACK_MS);
}

NC_CHECK(resolv_options, timeout_attempts) = {
	.beyond = "the document names no resolver option and no timing; resolv.conf(5): `timeout` per query and server, `attempts` rounds over the servers",
	.summary = "every nameserver silent: the lookup fails with EAI_AGAIN / TRY_AGAIN after timeout x attempts x servers seconds and attempts x servers queries",
	.clauses = NC_CLAUSES("gai-eai-again"),
	.scenario = "dns-nameservers",
	NC_CASES(timeout_cases),
	.run = gives_up_after_options,
	.deadline_ms = 12000,
	.longest_timer_ms = 2000,	/* the longest case's want_ms */
};

/* --- single-request, single-request-reopen --- */

#define HALF_IPV4 "198.51.100.30:80 stream/tcp"

static const struct single_request_case {
	const char *name;
	const char *options;
	bool reopen;
} single_request_cases[] = {
	{ "single-request", "single-request timeout:1 attempts:1", false },
	{ "single-request-reopen", "single-request-reopen timeout:1 attempts:1", true },
};

/* The first logged query of qtype, or NULL. */
static const struct nc_dns_query *first_query(const struct nc_dns_stats *stats, uint16_t qtype)
{
	for (uint32_t i = 0; i < stats->logged && i < NC_DNS_LOG_MAX; i++)
		if (stats->log[i].qtype == qtype)
			return &stats->log[i];
	return NULL;
}

static void asks_one_after_the_other(const struct nc_case_ctx *ctx)
{
	static const struct nc_nameserver one_server[] = {
		{ NAMESERVER_V4, NC_DNS_ANSWERS, 0 }, { 0 }
	};
	const struct single_request_case *c = ctx->data;
	struct nc_resolver_env env = world_ns;
	const struct nc_dns_query *a, *aaaa;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_stopwatch watch;
	char got[256];
	int code;

	env.nameservers = one_server;
	env.options = c->options;
	world_enter(ctx, &env, &resolver);
	nc_stopwatch_start(&watch);
	code = world_resolve("half.example.test.", AF_UNSPEC, got, sizeof(got));
	nc_stopwatch_stop(&watch);
	world_dns_seen(&resolver, false, &stats);
	a = first_query(&stats, NC_DNS_TYPE_A);
	aaaa = first_query(&stats, NC_DNS_TYPE_AAAA);

	NC_EXPECT_EAI("eai", code, 0);
	NC_EXPECT_STR("addresses", got, HALF_IPV4);
	/* the A answered, the AAAA lost once: two queries, one timeout */
	NC_EXPECT_INT("dns_queries", stats.logged, 2);
	NC_EXPECT_ELAPSED("elapsed_ms", &watch, 1000 - TIMER_SLACK_MS, 1000 + LATE_SLACK_MS);
	NC_EXPECT_STR("first_asked", !a ? "no A" : !aaaa ? "no AAAA" : a < aaaa ? "A" : "AAAA",
		      "A");
	/* reopen: the AAAA query from a new socket, after the A's answer */
	if (c->reopen && a && aaaa)
		NC_EXPECT_STR("aaaa_socket", aaaa->sport != a->sport ? "new" : "the A's", "new");
}

NC_CHECK(resolv_options, single_request) = {
	.beyond = "the document names no resolver option; resolv.conf(5): single-request asks A and AAAA one after the other, single-request-reopen from a new socket for the second",
	.summary = "options single-request(-reopen), the AAAA query dropped: AF_UNSPEC gives the IPv4 address after one timeout, the A asked first",
	.clauses = NC_CLAUSES("getaddrinfo-1"),
	.scenario = "dns-nameservers",
	NC_CASES(single_request_cases),
	.run = asks_one_after_the_other,
	.deadline_ms = 8000,
	/* its "timeout:1", which glibc waits twice (expectations/glibc.txt) */
	.longest_timer_ms = 2000,
};
