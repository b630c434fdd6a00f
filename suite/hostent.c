/* gethostbyname() and gethostbyaddr(): the struct hostent from the hosts
 * file and from DNS, h_errno when there is none, and its static storage
 * (document section "gethostbyname() 和 gethostbyaddr()"). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"

/* h_addrtype, h_length and every address of h_addr_list, compared byte by
 * byte with inet_pton()'s network byte order.  Addresses of another length
 * than the family's are read as long as h_length says, and only shown. */
static void expect_addresses(const struct hostent *h, int family, const char *want_addrs)
{
	char want_copy[256], got[512] = "", text[INET6_ADDRSTRLEN];
	size_t used = 0, i = 0;
	int want_len = family == AF_INET ? 4 : 16;
	int shown = h->h_length == 4 ? AF_INET : h->h_length == 16 ? AF_INET6 : 0;

	NC_EXPECT_INT("h_addrtype", h->h_addrtype, family);
	NC_EXPECT_INT("h_length", h->h_length, want_len);
	if (h->h_length != want_len) {
		for (size_t k = 0; h->h_addr_list[k] && used < sizeof(got); k++)
			used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s",
						 k ? " " : "", world_addr_str(shown,
						 h->h_addr_list[k], text, sizeof(text)));
		nc_observe("h_addr_list", "%s", got);
		return;
	}
	snprintf(want_copy, sizeof(want_copy), "%s", want_addrs);
	for (char *save, *want = strtok_r(want_copy, " ", &save); want;
	     want = strtok_r(NULL, " ", &save), i++) {
		unsigned char raw[16];

		if (inet_pton(family, want, raw) != 1)
			nc_fatal("the case's address %s is not an address", want);
		if (!h->h_addr_list[i]) {
			nc_fail("h_addr_list[%zu] = NULL, expected %s", i, want);
			break;
		}
		NC_EXPECT_TRUE(memcmp(h->h_addr_list[i], raw, (size_t)want_len) == 0,
			       "h_addr_list[%zu] = %s, expected %s in network byte order", i,
			       world_addr_str(family, h->h_addr_list[i], text, sizeof(text)), want);
	}
	for (size_t k = 0; h->h_addr_list[k] && used < sizeof(got); k++)
		used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s", k ? " " : "",
					 world_addr_str(family, h->h_addr_list[k], text,
							sizeof(text)));
	NC_EXPECT_STR("h_addr_list", got, want_addrs);
}

static void expect_names(const struct hostent *h, const char *want_name,
			 const char *want_aliases)
{
	char aliases[512];

	NC_EXPECT_STR("h_name", h->h_name, want_name);
	NC_EXPECT_STR("h_aliases", world_list_str(h->h_aliases, aliases, sizeof(aliases)),
			 want_aliases);
}

static const struct by_name_case {
	const char *name;
	const char *host;		/* asked */
	const char *want_name;
	const char *want_aliases;	/* space-separated */
	const char *want_addrs;		/* in order */
	bool via_tcp;			/* the UDP answer is truncated */
	bool asks_dns;			/* from DNS, not from the hosts file */
} by_name_cases[] = {
	{ "files", "files-host.example.test", "files-host.example.test",
	  "files-host fh-alias", "198.51.100.1 198.51.100.2", false, false },
	/* Only the first line of files-host names the alias. */
	{ "files-alias", "fh-alias", "files-host.example.test",
	  "files-host fh-alias", "198.51.100.1", false, false },
	/* names match whatever their case */
	{ "files-case", "Files-Host.Example.TEST", "files-host.example.test",
	  "files-host fh-alias", "198.51.100.1 198.51.100.2", false, false },
	/* a dotted address names itself */
	{ "numeric", "198.51.100.7", "198.51.100.7", "", "198.51.100.7", false, false },
	{ "dns", "www.example.test", "www.example.test", "", "198.51.100.10 198.51.100.11",
	  false, true },
	{ "dns-cname", "alias.example.test", "www.example.test", "alias.example.test",
	  "198.51.100.10 198.51.100.11", false, true },
	{ "dns-truncated", "big.example.test", "big.example.test", "", "198.51.100.20", true, true },
	/* The server answers A and drops AAAA: gethostbyname() asks only A
	 * (asked for AAAA too, it would wait out the timeout). */
	{ "dns-aaaa-dropped", "half.example.test.", "half.example.test", "", "198.51.100.30",
	  false, true },
};


static void by_name_gives_hostent(const struct nc_case_ctx *ctx)
{
	const struct by_name_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_stopwatch watch;
	struct hostent *h;

	world_enter(ctx, &world_loopback, &resolver);
	nc_stopwatch_start(&watch);
	h = gethostbyname(c->host);
	nc_stopwatch_stop(&watch);
	/* a NULL is a finding with its h_errno (a key a deviation can pin) */
	NC_EXPECT_STR("h_errno", h ? "0" : world_h_errno_name(h_errno), "0");
	if (h) {
		expect_names(h, c->want_name, c->want_aliases);
		expect_addresses(h, AF_INET, c->want_addrs);
	}
	nc_dns_server_stats(&resolver.dns, &stats);
	nc_observe("dns_tcp_queries", "%u", stats.tcp_queries);
	world_expect_dns_queries(&stats, c->asks_dns);
	NC_EXPECT_AT_ONCE("elapsed_ms", &watch, ANSWERED_MS, WORLD_TIMEOUT_MS);
	if (c->via_tcp)
		NC_EXPECT_THAT(NC_KEY(tcp_fallback, "stats.truncated > 0 && stats.tcp_queries > 0"),
			       stats.truncated > 0 && stats.tcp_queries > 0,
			       "truncated UDP answers %u, TCP queries %u: no retry over TCP",
			       stats.truncated, stats.tcp_queries);
}

NC_CHECK(hostent, by_name) = {
	.summary = "gethostbyname() fills h_name, h_aliases, h_addrtype, h_length and h_addr_list (network byte order) at once from the hosts file and from DNS (CNAME, TC then TCP, a server that drops AAAA)",
	.clauses = NC_CLAUSES("hostent-2", "hostent-5", "hostent-6", "hostent-7", "hostent-8",
			      "hostent-9"),
	NC_CASES(by_name_cases),
	.run = by_name_gives_hostent,
	.deadline_ms = 5000,
	.covers = "form:official,alias,absolute,case,numeric,files,dns,cname field:h_name,h_aliases,h_addrtype,h_length,h_addr_list",
};

static const struct by_addr_case {
	const char *name;
	int family;			/* gethostbyaddr()'s type */
	const char *addr;
	const char *want_name;
	const char *want_aliases;
} by_addr_cases[] = {
	{ "files-ipv4", AF_INET,  "198.51.100.1", "files-host.example.test", "files-host fh-alias" },
	{ "files-ipv6", AF_INET6, "2001:db8::1",  "files-host6.example.test", "files-host6" },
	{ "dns-ipv4",   AF_INET,  "198.51.100.10", "www.example.test", "" },
	{ "dns-ipv6",   AF_INET6, "2001:db8::10",  "www.example.test", "" },
	/* an IPv4-mapped IPv6 address: the host of its IPv4 address */
	{ "dns-mapped", AF_INET6, "::ffff:198.51.100.10", "www.example.test", "" },
};

static void by_addr_gives_hostent(const struct nc_case_ctx *ctx)
{
	const struct by_addr_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_stopwatch watch;
	unsigned char raw[16];
	struct hostent *h;

	world_enter(ctx, &world_loopback, &resolver);
	inet_pton(c->family, c->addr, raw);
	nc_stopwatch_start(&watch);	/* a lookup under load may time out */
	h = gethostbyaddr(raw, c->family == AF_INET ? 4 : 16, c->family);
	nc_stopwatch_stop(&watch);
	nc_observe("h_errno", "%s", h ? "0" : world_h_errno_name(h_errno));
	if (!h)
		nc_fatal("gethostbyaddr(%s) = NULL, h_errno %s", c->addr,
			 world_h_errno_name(h_errno));
	expect_names(h, c->want_name, c->want_aliases);
	expect_addresses(h, c->family, c->addr);
}

/* len is the length of the address at addr: one byte short of the type's
 * address, or 0, is no address of that type, and finds no host (the same
 * bytes with the right len find files-host, 198.51.100.1). */
static const struct by_addr_length_case {
	const char *name;
	int family;
	const char *addr;
	socklen_t len;
} by_addr_length_cases[] = {
	{ "ipv4-one-short", AF_INET,  "198.51.100.1", 3 },
	/* its first 3 bytes padded with a 0 would find zero-octet.example.test */
	{ "ipv4-one-short-padded", AF_INET, "198.51.100.0", 3 },
	{ "ipv4-zero",      AF_INET,  "198.51.100.1", 0 },
	{ "ipv6-one-short", AF_INET6, "2001:db8::1",  15 },
	{ "ipv6-as-ipv4",   AF_INET6, "2001:db8::1",  4 },
};

static void by_addr_takes_len(const struct nc_case_ctx *ctx)
{
	const struct by_addr_length_case *c = ctx->data;
	struct nc_resolver resolver;
	unsigned char raw[16];
	struct hostent *h;

	world_enter(ctx, &world_loopback, &resolver);
	if (inet_pton(c->family, c->addr, raw) != 1)
		nc_fatal("the case's address %s is not an address", c->addr);
	h_errno = 0;
	h = gethostbyaddr(raw, c->len, c->family);
	nc_observe("h_errno", "%s", world_h_errno_name(h_errno));
	NC_EXPECT_STR(NC_KEY(gethostbyaddr_bad_len,
			     "gethostbyaddr() with a len that is no address's"),
		      h ? h->h_name : "NULL",
		      "NULL");
}

NC_CHECK(hostent, by_addr_length) = {
	.summary = "gethostbyaddr() takes len as the length of the address: one byte short of an AF_INET or AF_INET6 address, or 0, finds no host",
	.clauses = NC_CLAUSES("hostent-3", "hostent-4"),
	NC_CASES(by_addr_length_cases),
	.run = by_addr_takes_len,
	.deadline_ms = 5000,
	.covers = "boundary:exact,one-short,zero form:v4,v6",
};

/* A host asked in the other family: gethostbyname() gives IPv4 addresses
 * only (h_addrtype AF_INET), and a host with IPv6 addresses only has none. */
static const struct other_family_case {
	const char *name;
	const char *host;
	bool asks_dns;
} other_family_cases[] = {
	{ "files", "files-host6.example.test", false },
	{ "dns", "v6only.example.test", true },
};

static void by_name_ipv4_only(const struct nc_case_ctx *ctx)
{
	const struct other_family_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct hostent *h;
	char text[INET6_ADDRSTRLEN];

	world_enter(ctx, &world_loopback, &resolver);
	h_errno = 0;
	h = gethostbyname(c->host);
	nc_observe("h_errno", "%s", h ? "0" : world_h_errno_name(h_errno));
	if (h) {
		nc_observe("h_addrtype", "%d", h->h_addrtype);
		nc_observe("h_length", "%d", h->h_length);
		if (h->h_addr_list[0])
			nc_observe(NC_KEY(h_addr_list_0, "h_addr_list[0]"), "%s",
				   world_addr_str(h->h_addrtype, h->h_addr_list[0], text,
						  sizeof(text)));
	}
	NC_EXPECT_STR(NC_KEY(ipv6_only_host, "gethostbyname() of a host with IPv6 addresses only"),
		      h ? h->h_name : "NULL",
		      "NULL");
	nc_dns_server_stats(&resolver.dns, &stats);
	if (c->asks_dns)
		world_expect_dns_queries(&stats, true);
}

NC_CHECK(hostent, other_family) = {
	.summary = "gethostbyname() of a host with IPv6 addresses only (hosts file, DNS AAAA) returns NULL: no IPv4 address, and no IPv6 one passed off as AF_INET",
	.clauses = NC_CLAUSES("hostent-2", "hostent-7", "hostent-8"),
	NC_CASES(other_family_cases),
	.run = by_name_ipv4_only,
	.deadline_ms = 5000,
	.covers = "form:other-family",
};

NC_CHECK(hostent, by_addr) = {
	.summary = "gethostbyaddr() of an AF_INET or AF_INET6 address gives the host's hostent, from the hosts file and from a DNS PTR record",
	.clauses = NC_CLAUSES("hostent-3", "hostent-4", "hostent-5", "hostent-6", "hostent-7",
			      "hostent-8", "hostent-9"),
	NC_CASES(by_addr_cases),
	.run = by_addr_gives_hostent,
	.deadline_ms = 5000,
	.covers = "form:v4,v6,mapped,files,dns field:h_name,h_aliases,h_addrtype,h_length,h_addr_list",
};

static const struct h_errno_case {
	const char *name;
	const char *host;
	int want_h_errno;
	bool answered;			/* the server sees the query (and answers) */
	long min_ms, max_ms;		/* how long the failure may take */
} answered_cases[] = {
	{ "nxdomain", "nx.example.test",       HOST_NOT_FOUND, true, 0, ANSWERED_MS },
	{ "servfail", "servfail.example.test", TRY_AGAIN,      true, 0, ANSWERED_MS },
	{ "formerr",  "formerr.example.test",  NO_RECOVERY,    true, 0, ANSWERED_MS },
	{ "nodata",   "nodata.example.test",   NO_DATA,        true, 0, ANSWERED_MS },
}, timeout_cases[] = {
	/* one lost query costs a second; the trailing dot keeps the search
	 * list out (a second query, a second second) */
	{ "dropped", "www.example.test.", TRY_AGAIN, false, LOST_QUERY_MIN_MS, LOST_QUERY_MAX_MS },
}, unreachable_cases[] = {
	{ "port-unreachable", "www.example.test.", TRY_AGAIN, false, 0, ANSWERED_MS },
};

static void by_name_fails_with(const struct nc_case_ctx *ctx)
{
	const struct h_errno_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_stopwatch watch;
	struct hostent *h;
	int got;

	world_enter(ctx, ctx->net ? &world_ns : &world_loopback, &resolver);
	nc_stopwatch_start(&watch);
	h_errno = 0;
	h = gethostbyname(c->host);
	got = h_errno;
	nc_stopwatch_stop(&watch);
	nc_dns_server_stats(&resolver.dns, &stats);
	/* a dropped or rejected query never reaches the server */
	world_expect_dns_queries(&stats, c->answered);
	/* NULL, and h_errno says why */
	NC_EXPECT_STR("h_errno", h ? "0 (found)" : world_h_errno_name(got),
		      world_h_errno_name(c->want_h_errno));
	if (c->min_ms == 0)	/* at once: before the resolver's timeout */
		NC_EXPECT_AT_ONCE("elapsed_ms", &watch, c->max_ms, WORLD_TIMEOUT_MS);
	else
		NC_EXPECT_ELAPSED("elapsed_ms", &watch, c->min_ms, c->max_ms);
}

NC_CHECK(hostent, h_errno) = {
	.beyond = "the document names no h_errno value (glibc's, as netdb.h defines them)",
	.summary = "gethostbyname() returns NULL with h_errno HOST_NOT_FOUND (NXDOMAIN), TRY_AGAIN (SERVFAIL), NO_RECOVERY (FORMERR), NO_DATA (no address record)",
	.clauses = NC_CLAUSES("hostent-2"),
	NC_CASES(answered_cases),
	.run = by_name_fails_with,
	.deadline_ms = 5000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
	.covers = "form:nxdomain,servfail,formerr,nodata",
};

NC_CHECK(hostent, h_errno_timeout) = {
	.beyond = "the document names no h_errno value, nor what an unanswered DNS server does",
	.summary = "gethostbyname() returns NULL with h_errno TRY_AGAIN after the resolver's timeout when the DNS server's port is dropped",
	.clauses = NC_CLAUSES("hostent-2"),
	.scenario = "dns-drop",
	NC_CASES(timeout_cases),
	.run = by_name_fails_with,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
	.covers = "form:dropped",
};

NC_CHECK(hostent, h_errno_unreachable) = {
	.beyond = "the document names no h_errno value, nor what an unreachable DNS server does",
	.summary = "gethostbyname() returns NULL with h_errno TRY_AGAIN at once when the DNS server's port answers ICMP port unreachable",
	.clauses = NC_CLAUSES("hostent-2"),
	.scenario = "dns-reject",
	NC_CASES(unreachable_cases),
	.run = by_name_fails_with,
	.deadline_ms = 5000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
	.covers = "form:port-unreachable",
};

static const struct by_addr_error_case {
	const char *name;
	int family;
	const char *addr;
	int want_h_errno;
} by_addr_error_cases[] = {
	/* no PTR record anywhere: NXDOMAIN */
	{ "no-name-ipv4",      AF_INET,  "198.51.100.99", HOST_NOT_FOUND },
	{ "no-name-ipv6",      AF_INET6, "2001:db8::99",  HOST_NOT_FOUND },
	/* 98.100.51.198.in-addr.arpa answers SERVFAIL */
	{ "servfail",          AF_INET,  "198.51.100.98", TRY_AGAIN },
};

/* gethostbyaddr() of an address that has no name returns NULL at once, and
 * h_errno says why. */
static void by_addr_fails_with(const struct nc_case_ctx *ctx)
{
	const struct by_addr_error_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_stopwatch watch;
	unsigned char raw[16];
	struct hostent *h;
	int got;

	world_enter(ctx, &world_loopback, &resolver);
	inet_pton(c->family, c->addr, raw);
	nc_stopwatch_start(&watch);
	h_errno = 0;
	h = gethostbyaddr(raw, c->family == AF_INET ? 4 : 16, c->family);
	got = h_errno;
	nc_stopwatch_stop(&watch);
	NC_EXPECT_AT_ONCE("elapsed_ms", &watch, ANSWERED_MS, WORLD_TIMEOUT_MS);
	nc_dns_server_stats(&resolver.dns, &stats);
	world_expect_dns_queries(&stats, true);
	NC_EXPECT_STR("h_errno", h ? "0 (found)" : world_h_errno_name(got),
		      world_h_errno_name(c->want_h_errno));
	if (h)
		nc_observe("h_name", "%s", h->h_name);
}

NC_CHECK(hostent, by_addr_fails) = {
	.summary = "gethostbyaddr() of an address without a name returns NULL at once, with h_errno (beyond the document) HOST_NOT_FOUND for NXDOMAIN, TRY_AGAIN for SERVFAIL",
	.clauses = NC_CLAUSES("hostent-3", "hostent-4"),
	NC_CASES(by_addr_error_cases),
	.run = by_addr_fails_with,
	.deadline_ms = 5000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
	.covers = "form:v4,v6",
};

static const struct static_case {
	const char *name;
	const char *first, *second;	/* a host name, or an IPv4 address */
	bool by_addr;
} static_cases[] = {
	{ "by_name", "files-host.example.test", "other-host.example.test", false },
	{ "by_addr", "198.51.100.1", "198.51.100.3", true },
};

static struct hostent *lookup(const struct static_case *c, const char *what)
{
	struct in_addr addr;

	if (!c->by_addr)
		return gethostbyname(what);
	inet_pton(AF_INET, what, &addr);
	return gethostbyaddr(&addr, sizeof(addr), AF_INET);
}

/* Not reentrant: the second call returns the same static hostent and
 * overwrites what the first returned. */
static void hostent_is_static(const struct nc_case_ctx *ctx)
{
	const struct static_case *c = ctx->data;
	struct nc_resolver resolver;
	struct hostent *first, *second;

	world_enter(ctx, &world_loopback, &resolver);
	first = lookup(c, c->first);
	if (!first)
		nc_fatal("first lookup of %s = NULL", c->first);
	NC_EXPECT_STR(NC_KEY(h_name_of_the_first_call, "h_name of the first call"),
		      first->h_name, "files-host.example.test");
	second = lookup(c, c->second);
	if (!second)
		nc_fatal("second lookup of %s = NULL", c->second);
	NC_EXPECT_STR("same_storage", first == second ? "yes" : "no", "yes");
	/* Read through the first pointer only while it is the storage of the
	 * second result: a C library that freed it for the second call (musl
	 * frees and allocates again) would have it read after free. */
	if (first == second)
		NC_EXPECT_STR(NC_KEY(h_name_first_after_second,
				     "h_name of the first result after the second call"),
			      first->h_name,
			      "other-host.example.test");
	/* overwritten whole: the first host had more aliases and addresses,
	 * none of which may be left in the second's lists */
	expect_names(second, "other-host.example.test", "other-host");
	expect_addresses(second, AF_INET, "198.51.100.3");
}

NC_CHECK(hostent, static_storage) = {
	.summary = "gethostbyname() and gethostbyaddr() are not reentrant: a second call returns the same static hostent, overwriting the first result whole (names, aliases, addresses)",
	.clauses = NC_CLAUSES("hostent-1"),
	NC_CASES(static_cases),
	.run = hostent_is_static,
	.deadline_ms = 5000,
	.covers = "sequence:after-success",
};
