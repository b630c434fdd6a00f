/* A truncated UDP answer that carries part of the records (TC set, the first
 * of four A records), while TCP carries all four: the document's "the
 * complete information" (hostent-2) is the four addresses, which only the
 * query over TCP gives. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"

enum lookup { BY_GETADDRINFO, BY_GETHOSTBYNAME };

static const struct partial_case {
	const char *name;
	enum lookup lookup;
	const char *want;		/* all four addresses */
} partial_cases[] = {
	{ "getaddrinfo", BY_GETADDRINFO,
	  "198.51.100.40:80 stream/tcp, 198.51.100.41:80 stream/tcp, "
	  "198.51.100.42:80 stream/tcp, 198.51.100.43:80 stream/tcp" },
	{ "gethostbyname", BY_GETHOSTBYNAME,
	  "198.51.100.40 198.51.100.41 198.51.100.42 198.51.100.43" },
};

/* The lookup's addresses in got; its EAI code, or h_errno. */
static int addresses_of(enum lookup lookup, const char *host, char *got, size_t size)
{
	struct hostent *h;
	char text[64];
	size_t used = 0;

	if (lookup == BY_GETADDRINFO)
		return world_resolve(host, AF_INET, got, size);
	got[0] = '\0';
	h = gethostbyname(host);
	for (size_t i = 0; h && h->h_addr_list[i] && used < size; i++)
		used += (size_t)snprintf(got + used, size - used, "%s%s", i ? " " : "",
					 world_addr_str(AF_INET, h->h_addr_list[i], text,
							sizeof(text)));
	return h ? 0 : h_errno;
}

static void truncated_then_complete(const struct nc_case_ctx *ctx)
{
	const struct partial_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	char got[512];
	int err;

	world_enter(ctx, &world_loopback, &resolver);
	err = addresses_of(c->lookup, "many.example.test.", got, sizeof(got));
	world_dns_seen(&resolver, false, &stats);
	nc_observe("truncated_answers", "%u", stats.truncated);
	if (c->lookup == BY_GETHOSTBYNAME)
		NC_EXPECT_STR("h_errno", world_h_errno_name(err), "0");
	else
		NC_EXPECT_EAI("eai", err, 0);
	NC_EXPECT_STR("addresses", got, c->want);
	NC_EXPECT_MIN("dns_tcp_queries", stats.tcp_queries, 1);
}

NC_CHECK(resolv_truncation, partial) = {
	.summary = "a truncated UDP answer carrying 1 of 4 records: the lookup asks again over TCP and gives all 4 addresses, the complete information",
	.clauses = NC_CLAUSES("hostent-2", "getaddrinfo-1"),
	NC_CASES(partial_cases),
	.run = truncated_then_complete,
	.deadline_ms = 5000,
};
