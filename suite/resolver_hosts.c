/* /etc/hosts across address families: a name the hosts file has as IPv4
 * only, asked for AF_INET, AF_INET6 and AF_UNSPEC: the result, and whether
 * DNS is asked.  The document says only that getaddrinfo() resolves names;
 * nsswitch.conf(5) ("hosts: files dns", the world's) is the reference: the
 * files are asked first, and a name they have no address of the family for
 * is NOTFOUND there, so DNS is asked next.  Each C library's way is pinned
 * where it differs. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"

#define FILES_HOST "198.51.100.1:80 stream/tcp, 198.51.100.2:80 stream/tcp"

static const struct hosts_family_case {
	const char *name;
	const char *host;
	int family;
	int want_eai;
	const char *want;		/* the addresses, when found */
	bool want_dns;			/* whether DNS is asked */
} hosts_family_cases[] = {
	/* files: 198.51.100.70; DNS: 198.51.100.71 and 2001:db8::70 */
	{ "split-inet", "split.example.test", AF_INET, 0, "198.51.100.70:80 stream/tcp", false },
	{ "split-inet6", "split.example.test", AF_INET6, 0, "[2001:db8::70]:80 stream/tcp", true },
	{ "split-unspec", "split.example.test", AF_UNSPEC, 0, "198.51.100.70:80 stream/tcp", false },
	/* files: 198.51.100.1 and .2; DNS: nothing (NXDOMAIN) */
	{ "files-only-inet6", "files-host.example.test", AF_INET6, EAI_NONAME, NULL, true },
	{ "files-only-unspec", "files-host.example.test", AF_UNSPEC, 0, FILES_HOST, false },
};

static void hosts_then_dns(const struct nc_case_ctx *ctx)
{
	const struct hosts_family_case *c = ctx->data;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	char got[512];
	int code;

	world_enter(ctx, &world_loopback, &resolver);
	code = world_resolve(c->host, c->family, got, sizeof(got));
	world_dns_seen(&resolver, false, &stats);
	NC_EXPECT_EAI("eai", code, c->want_eai);
	if (c->want)
		NC_EXPECT_STR("addresses", got, c->want);
	NC_EXPECT_STR("dns_asked", stats.udp_queries + stats.tcp_queries ? "yes" : "no",
		      c->want_dns ? "yes" : "no");
}

NC_CHECK(resolv_hosts, across_families) = {
	.beyond = "the document says only that getaddrinfo() resolves names; nsswitch.conf(5) \"hosts: files dns\": a name the files have no address of the family for is asked of DNS",
	.summary = "a name /etc/hosts has as IPv4 only, asked for AF_INET, AF_INET6, AF_UNSPEC: the files' address, or DNS's when the files have none of the family",
	.clauses = NC_CLAUSES("getaddrinfo-1"),
	NC_CASES(hosts_family_cases),
	.run = hosts_then_dns,
	.deadline_ms = 5000,
};
