/* The search list and ndots, as users have them: a single-label name, a
 * name with fewer dots than ndots, and names with as many: which queries go
 * out, in which order, and what the lookup gives.  The document names no
 * search list: resolv.conf(5) is the reference ("a name with at least ndots
 * dots is tried as it is first, then with each search domain; one with
 * fewer, the other way round"), each C library's way pinned where it
 * differs. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"

#define SEARCH "a.example.test example.test"
#define WWW_ADDRESSES "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp"

static const struct search_case {
	const char *name;
	const char *host;
	const char *options;
	const char *want_queries;	/* world_queries_str(), in order */
	int want_eai;
	const char *want;		/* the addresses, when found */
} search_cases[] = {
	{ "single-label", "www", "ndots:1 timeout:1 attempts:1",
	  "A www.a.example.test., A www.example.test.", 0, WWW_ADDRESSES },
	{ "fewer-dots-than-ndots", "www.example.test", "ndots:3 timeout:1 attempts:1",
	  "A www.example.test.a.example.test., A www.example.test.example.test., "
	  "A www.example.test.", 0, WWW_ADDRESSES },
	{ "ndots-dots-found-as-is", "www.example.test", "ndots:1 timeout:1 attempts:1",
	  "A www.example.test.", 0, WWW_ADDRESSES },
	/* as it is: NXDOMAIN; then the search list finds it */
	{ "ndots-dots-found-by-search", "host.b", "ndots:1 timeout:1 attempts:1",
	  "A host.b., A host.b.a.example.test., A host.b.example.test.", 0,
	  "198.51.100.61:80 stream/tcp" },
	/* a trailing dot: the name is absolute, no search domain is tried */
	{ "absolute", "host.b.", "ndots:1 timeout:1 attempts:1",
	  "A host.b.", EAI_NONAME, NULL },
};

static void searches_in_order(const struct nc_case_ctx *ctx)
{
	const struct search_case *c = ctx->data;
	struct nc_resolver_env env = world_loopback;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	char got[512], queries[1024];
	int code;

	env.options = c->options;
	env.search = SEARCH;
	world_enter(ctx, &env, &resolver);
	code = world_resolve(c->host, AF_INET, got, sizeof(got));
	nc_dns_server_stats(&resolver.dns, &stats);
	NC_EXPECT_STR("queries", world_queries_str(&stats, false, queries, sizeof(queries)),
		      c->want_queries);
	NC_EXPECT_EAI("eai", code, c->want_eai);
	if (c->want)
		NC_EXPECT_STR("addresses", got, c->want);
}

NC_CHECK(resolv_search, ndots) = {
	.beyond = "the document names no search list; resolv.conf(5): a name with at least ndots dots is asked as it is first, then with each search domain, one with fewer the other way round",
	.summary = "search \"" SEARCH "\": a single-label name, fewer dots than ndots, as many (found as is, found by the search list), absolute: the queries in order, and the result",
	.clauses = NC_CLAUSES("getaddrinfo-1"),
	NC_CASES(search_cases),
	.run = searches_in_order,
	.deadline_ms = 6000,
};
