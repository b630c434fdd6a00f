/* getnameinfo(): a socket address to host and service names, from files and
 * DNS PTR records, under each NI_* flag; its EAI_* codes; concurrent calls
 * (document section "getaddrinfo() 和 getnameinfo()"). */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"
#include "sockaddr.h"

static const struct gni_case {
	const char *name;
	const char *addr;		/* "198.51.100.1:80", "[2001:db8::1]:80" */
	int flags;
	int want_eai;			/* 0: success */
	const char *want_host, *want_serv;
	socklen_t hostlen, servlen;	/* 0: NI_MAXHOST, NI_MAXSERV */
	socklen_t addrlen;		/* 0: the address's own */
	int family;			/* 0: the address's own */
	bool no_dns;			/* the DNS server must see no query */
} names_cases[] = {
	{ .name = "files-ipv4", .addr = "198.51.100.1:80", .no_dns = true,
	  .want_host = "files-host.example.test", .want_serv = "http" },
	{ .name = "files-ipv6", .addr = "[2001:db8::1]:4242", .no_dns = true,
	  .want_host = "files-host6.example.test", .want_serv = "nc-stream" },
	{ .name = "dns-ipv4", .addr = "198.51.100.10:4242",
	  .want_host = "www.example.test", .want_serv = "nc-stream" },
	{ .name = "dns-ipv6", .addr = "[2001:db8::10]:80",
	  .want_host = "www.example.test", .want_serv = "http" },
	/* No PTR, no service: the numeric forms. */
	{ .name = "no-names", .addr = "198.51.100.99:4999",
	  .want_host = "198.51.100.99", .want_serv = "4999" },
}, numerichost_cases[] = {
	{ .name = "ipv4", .addr = "198.51.100.10:80", .flags = NI_NUMERICHOST, .no_dns = true,
	  .want_host = "198.51.100.10", .want_serv = "http" },
	{ .name = "ipv6", .addr = "[2001:db8::1]:80", .flags = NI_NUMERICHOST, .no_dns = true,
	  .want_host = "2001:db8::1", .want_serv = "http" },
}, numericserv_cases[] = {
	{ .name = "ipv4", .addr = "198.51.100.1:80", .flags = NI_NUMERICSERV, .no_dns = true,
	  .want_host = "files-host.example.test", .want_serv = "80" },
	{ .name = "ipv6", .addr = "[2001:db8::1]:4242", .flags = NI_NUMERICSERV, .no_dns = true,
	  .want_host = "files-host6.example.test", .want_serv = "4242" },
}, namereqd_cases[] = {
	{ .name = "ptr", .addr = "198.51.100.10:80", .flags = NI_NAMEREQD,
	  .want_host = "www.example.test", .want_serv = "http" },
	{ .name = "no-ptr", .addr = "198.51.100.99:80", .flags = NI_NAMEREQD,
	  .want_eai = EAI_NONAME },
	{ .name = "no-ptr-ipv6", .addr = "[2001:db8::99]:80", .flags = NI_NAMEREQD,
	  .want_eai = EAI_NONAME },
}, nofqdn_cases[] = {
	/* The local domain is example.test (the name of localhost). */
	{ .name = "files", .addr = "198.51.100.1:80", .flags = NI_NOFQDN, .no_dns = true,
	  .want_host = "files-host", .want_serv = "http" },
	{ .name = "dns", .addr = "198.51.100.10:80", .flags = NI_NOFQDN,
	  .want_host = "www", .want_serv = "http" },
	{ .name = "other-domain", .addr = "203.0.113.7:80", .flags = NI_NOFQDN, .no_dns = true,
	  .want_host = "far.example.org", .want_serv = "http" },
	{ .name = "without", .addr = "198.51.100.1:80", .no_dns = true,
	  .want_host = "files-host.example.test", .want_serv = "http" },
}, dgram_cases[] = {
	/* Port 512 is exec over tcp, biff over udp. */
	{ .name = "512-dgram", .addr = "198.51.100.1:512", .flags = NI_DGRAM, .no_dns = true,
	  .want_host = "files-host.example.test", .want_serv = "biff" },
	{ .name = "512-stream", .addr = "198.51.100.1:512", .no_dns = true,
	  .want_host = "files-host.example.test", .want_serv = "exec" },
	{ .name = "udp-only-dgram", .addr = "198.51.100.1:4243", .flags = NI_DGRAM,
	  .no_dns = true, .want_host = "files-host.example.test", .want_serv = "nc-dgram" },
	{ .name = "udp-only-stream", .addr = "198.51.100.1:4243", .no_dns = true,
	  .want_host = "files-host.example.test", .want_serv = "4243" },
}, overflow_cases[] = {
	{ .name = "numeric-host", .addr = "198.51.100.10:80", .flags = NI_NUMERICHOST,
	  .hostlen = 8, .want_eai = EAI_OVERFLOW, .no_dns = true },
	{ .name = "host-name", .addr = "198.51.100.1:80", .hostlen = 8,
	  .want_eai = EAI_OVERFLOW, .no_dns = true },
	{ .name = "service-name", .addr = "198.51.100.1:80", .flags = NI_NUMERICHOST,
	  .servlen = 2, .want_eai = EAI_OVERFLOW, .no_dns = true },
	{ .name = "numeric-service", .addr = "198.51.100.1:4999",
	  .flags = NI_NUMERICHOST | NI_NUMERICSERV, .servlen = 4, .want_eai = EAI_OVERFLOW,
	  .no_dns = true },
}, family_cases[] = {
	{ .name = "unknown-family", .addr = "198.51.100.1:80", .family = 4242,
	  .want_eai = EAI_FAMILY, .no_dns = true },
	{ .name = "ipv4-short", .addr = "198.51.100.1:80",
	  .addrlen = sizeof(struct sockaddr_in) - 1, .want_eai = EAI_FAMILY, .no_dns = true },
	{ .name = "ipv6-short", .addr = "[2001:db8::1]:80",
	  .addrlen = sizeof(struct sockaddr_in), .want_eai = EAI_FAMILY, .no_dns = true },
}, again_cases[] = {
	/* The PTR query of 198.51.100.98 gets SERVFAIL. */
	{ .name = "servfail", .addr = "198.51.100.98:80", .flags = NI_NAMEREQD,
	  .want_eai = EAI_AGAIN },
}, fail_cases[] = {
	/* The PTR query of 198.51.100.97 gets FORMERR: non-recoverable. */
	{ .name = "formerr", .addr = "198.51.100.97:80", .flags = NI_NAMEREQD,
	  .want_eai = EAI_FAIL },
}, badflags_cases[] = {
	{ .name = "unknown-flag", .addr = "198.51.100.1:80", .flags = 0x40000000,
	  .want_eai = EAI_BADFLAGS, .no_dns = true },
};

/* The DNS server is on loopback: an answer, or an error answered, takes
 * no timer, well under the resolver's 1 s timeout. */
#define ANSWERED_MS 500
/* resolv.conf's "timeout:1 attempts:1": what "at once" rules out. */
#define TIMEOUT_MS 1000

static void getnameinfo_gives(const struct nc_case_ctx *ctx)
{
	const struct gni_case *c = ctx->data;
	char host[NI_MAXHOST] = "", serv[NI_MAXSERV] = "";
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_sockaddr addr;
	struct nc_stopwatch watch;
	int code;

	world_enter(ctx, &world_loopback, &resolver);
	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	if (c->family)
		addr.sa.sa_family = (sa_family_t)c->family;
	nc_stopwatch_start(&watch);
	code = getnameinfo(&addr.sa, c->addrlen ? c->addrlen : addr.len,
			   host, c->hostlen ? c->hostlen : sizeof(host),
			   serv, c->servlen ? c->servlen : sizeof(serv), c->flags);
	nc_stopwatch_stop(&watch);
	nc_dns_server_stats(&resolver.dns, &stats);
	NC_EXPECT_EAI("eai", code, c->want_eai);
	/* a name from DNS is a PTR query, answered (or failing) at once */
	world_expect_dns_queries(&stats, !c->no_dns);
	NC_EXPECT_AT_ONCE("elapsed_ms", &watch, ANSWERED_MS, TIMEOUT_MS);
	if (code != 0 || c->want_eai != 0)
		return;
	NC_EXPECT_STR("host", host, c->want_host);
	NC_EXPECT_STR("serv", serv, c->want_serv);
}

#define GNI_CHECK(name_, clauses_, table, what)				\
	NC_CHECK(getnameinfo, name_) = {				\
		.summary = what,					\
		.clauses = clauses_,					\
		NC_CASES(table),					\
		.run = getnameinfo_gives,				\
		.deadline_ms = 5000,					\
	}

GNI_CHECK(names, NC_CLAUSES("getnameinfo-1", "getnameinfo-2", "gai-1"), names_cases,
	  "getnameinfo() returns 0 with the host name (hosts file or DNS PTR) and service name of an IPv4 or IPv6 address, or their numeric forms");
GNI_CHECK(ni_numerichost, NC_CLAUSES("getnameinfo-ni-numerichost"), numerichost_cases,
	  "with NI_NUMERICHOST getnameinfo() returns the numeric address and asks no one");
GNI_CHECK(ni_numericserv, NC_CLAUSES("getnameinfo-ni-numericserv"), numericserv_cases,
	  "with NI_NUMERICSERV getnameinfo() returns the port number instead of the service name");
GNI_CHECK(ni_namereqd, NC_CLAUSES("getnameinfo-ni-namereqd", "gai-eai-noname"), namereqd_cases,
	  "with NI_NAMEREQD getnameinfo() returns the name when there is a PTR record, EAI_NONAME when there is none");
GNI_CHECK(ni_nofqdn, NC_CLAUSES("getnameinfo-ni-nofqdn"), nofqdn_cases,
	  "with NI_NOFQDN getnameinfo() returns only the node name of a host in the local domain, the full name of others");
GNI_CHECK(ni_dgram, NC_CLAUSES("getnameinfo-ni-dgram"), dgram_cases,
	  "with NI_DGRAM getnameinfo() names the udp service of the port (512: biff), without it the tcp one (exec)");
GNI_CHECK(eai_overflow, NC_CLAUSES("gai-eai-overflow", "gai-1"), overflow_cases,
	  "getnameinfo() fails with EAI_OVERFLOW when the host or serv buffer is too small for the result");
GNI_CHECK(eai_family, NC_CLAUSES("gai-eai-family", "gai-1"), family_cases,
	  "getnameinfo() fails with EAI_FAMILY for an unknown family or an address length too short for it");
GNI_CHECK(eai_again, NC_CLAUSES("gai-eai-again", "gai-1"), again_cases,
	  "getnameinfo() with NI_NAMEREQD fails with EAI_AGAIN when the PTR query gets SERVFAIL");
GNI_CHECK(eai_fail, NC_CLAUSES("gai-eai-fail", "gai-1"), fail_cases,
	  "getnameinfo() with NI_NAMEREQD fails with EAI_FAIL when the PTR query gets FORMERR (non-recoverable)");
GNI_CHECK(eai_badflags, NC_CLAUSES("gai-eai-badflags", "gai-1"), badflags_cases,
	  "getnameinfo() fails with EAI_BADFLAGS for an unknown flag");

/* --- Concurrent calls each get their own answer --- */

static const struct world_job name_jobs[] = {	/* address -> "host serv" */
	{ "198.51.100.1:80", "files-host.example.test http" },
	{ "198.51.100.3:4242", "other-host.example.test nc-stream" },
	{ "198.51.100.10:512", "www.example.test exec" },
	{ "[2001:db8::10]:7", "www.example.test echo" },
};

static void name(const char *address, char *got, size_t size)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	struct nc_sockaddr addr;
	int code;

	if (nc_sockaddr_parse(address, &addr) < 0) {
		snprintf(got, size, "bad address");
		return;
	}
	code = getnameinfo(&addr.sa, addr.len, host, sizeof(host), serv, sizeof(serv),
			   NI_NAMEREQD);
	if (code == 0)
		snprintf(got, size, "%s %s", host, serv);
	else
		snprintf(got, size, "%s", nc_eai_name(code));
}

static void getnameinfo_is_reentrant(const struct nc_case_ctx *ctx)
{
	struct nc_resolver resolver;

	world_enter(ctx, &world_loopback, &resolver);
	world_expect_concurrent(name_jobs, sizeof(name_jobs) / sizeof(name_jobs[0]), name);
}

NC_CHECK(getnameinfo, reentrant) = {
	.summary = "getnameinfo() is reentrant: 8 threads naming different addresses at once each get their own right host and service, 40 times",
	.clauses = NC_CLAUSES("getnameinfo-3"),
	.run = getnameinfo_is_reentrant,
	.deadline_ms = 8000,
};
