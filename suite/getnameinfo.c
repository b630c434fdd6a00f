/* getnameinfo(): a socket address to host and service names, from files and
 * DNS PTR records, under each NI_* flag; its EAI_* codes; concurrent calls
 * (document section "getaddrinfo() 和 getnameinfo()"). */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"
#include "sockaddr.h"

/* The room a case gives the host or serv result. */
enum room {
	ROOM_PLENTY,			/* .hostlen/.servlen, or NI_MAXHOST/NI_MAXSERV */
	ROOM_EXACT,			/* the wanted text and its NUL, not a byte more */
	ROOM_ONE_SHORT,			/* one byte short of that: EAI_OVERFLOW */
	ROOM_NONE,			/* a buffer with length 0: not asked for, not written */
	ROOM_NULL,			/* NULL and length 0: not asked for */
};

static const struct gni_case {
	const char *name;
	const char *addr;		/* "198.51.100.1:80", "[2001:db8::1]:80" */
	int flags;
	int want_eai;			/* 0: success */
	const char *want_host, *want_serv;
	socklen_t hostlen, servlen;	/* 0: NI_MAXHOST, NI_MAXSERV */
	enum room host_room, serv_room;	/* sized after want_host, want_serv */
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
	/* An IPv4-mapped IPv6 address is named as its IPv4 address is. */
	{ .name = "mapped-dns", .addr = "[::ffff:198.51.100.10]:80",
	  .want_host = "www.example.test", .want_serv = "http" },
	/* addrlen: more than the family's (a struct sockaddr_storage) is room enough */
	{ .name = "ipv4-storage-len", .addr = "198.51.100.1:80", .no_dns = true,
	  .addrlen = sizeof(struct sockaddr_storage),
	  .want_host = "files-host.example.test", .want_serv = "http" },
	{ .name = "ipv6-storage-len", .addr = "[2001:db8::1]:4242", .no_dns = true,
	  .addrlen = sizeof(struct sockaddr_storage),
	  .want_host = "files-host6.example.test", .want_serv = "nc-stream" },
}, ports_cases[] = {
	/* The edges of the port range and of the privileged ports, with and
	 * without a service (nc-low 1023, nc-high 1024, nc-top 65535). */
	{ .name = "port-0", .addr = "198.51.100.7:0", .flags = NI_NUMERICHOST, .no_dns = true,
	  .want_host = "198.51.100.7", .want_serv = "0" },
	{ .name = "port-1023", .addr = "198.51.100.7:1023", .flags = NI_NUMERICHOST,
	  .no_dns = true, .want_host = "198.51.100.7", .want_serv = "nc-low" },
	{ .name = "port-1024", .addr = "[2001:db8::7]:1024", .flags = NI_NUMERICHOST,
	  .no_dns = true, .want_host = "2001:db8::7", .want_serv = "nc-high" },
	{ .name = "port-65535", .addr = "198.51.100.7:65535", .flags = NI_NUMERICHOST,
	  .no_dns = true, .want_host = "198.51.100.7", .want_serv = "nc-top" },
	{ .name = "port-65535-numeric", .addr = "198.51.100.7:65535",
	  .flags = NI_NUMERICHOST | NI_NUMERICSERV, .no_dns = true,
	  .want_host = "198.51.100.7", .want_serv = "65535" },
	{ .name = "port-40000-no-service", .addr = "[2001:db8::7]:40000",
	  .flags = NI_NUMERICHOST, .no_dns = true,
	  .want_host = "2001:db8::7", .want_serv = "40000" },
}, numerichost_cases[] = {
	{ .name = "ipv4", .addr = "198.51.100.10:80", .flags = NI_NUMERICHOST, .no_dns = true,
	  .want_host = "198.51.100.10", .want_serv = "http" },
	{ .name = "ipv6", .addr = "[2001:db8::1]:80", .flags = NI_NUMERICHOST, .no_dns = true,
	  .want_host = "2001:db8::1", .want_serv = "http" },
	{ .name = "mapped", .addr = "[::ffff:198.51.100.10]:80", .flags = NI_NUMERICHOST,
	  .no_dns = true, .want_host = "::ffff:198.51.100.10", .want_serv = "http" },
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
	/* NI_DGRAM holds beside the other flags, in either family */
	{ .name = "512-dgram-numerichost", .addr = "198.51.100.1:512",
	  .flags = NI_DGRAM | NI_NUMERICHOST, .no_dns = true,
	  .want_host = "198.51.100.1", .want_serv = "biff" },
	{ .name = "512-dgram-ipv6-namereqd", .addr = "[2001:db8::1]:512",
	  .flags = NI_DGRAM | NI_NAMEREQD, .no_dns = true,
	  .want_host = "files-host6.example.test", .want_serv = "biff" },
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
}, edge_cases[] = {
	/* Each buffer exactly big enough, one byte short, and of length 0. */
	{ .name = "host-exact", .addr = "198.51.100.1:80", .no_dns = true, .host_room = ROOM_EXACT,
	  .want_host = "files-host.example.test", .want_serv = "http" },
	{ .name = "host-one-short", .addr = "198.51.100.1:80", .no_dns = true,
	  .host_room = ROOM_ONE_SHORT, .want_eai = EAI_OVERFLOW,
	  .want_host = "files-host.example.test", .want_serv = "http" },
	{ .name = "host-none", .addr = "198.51.100.1:80", .no_dns = true, .host_room = ROOM_NONE,
	  .want_serv = "http" },
	{ .name = "ipv6-host-exact", .addr = "[2001:db8::1]:80", .no_dns = true,
	  .host_room = ROOM_EXACT, .want_host = "files-host6.example.test", .want_serv = "http" },
	{ .name = "numeric-host-exact", .addr = "198.51.100.10:80", .flags = NI_NUMERICHOST,
	  .no_dns = true, .host_room = ROOM_EXACT, .want_host = "198.51.100.10", .want_serv = "http" },
	{ .name = "numeric-host-one-short", .addr = "[2001:db8::10]:80", .flags = NI_NUMERICHOST,
	  .no_dns = true, .host_room = ROOM_ONE_SHORT, .want_eai = EAI_OVERFLOW,
	  .want_host = "2001:db8::10", .want_serv = "http" },
	{ .name = "serv-exact", .addr = "198.51.100.1:4242", .no_dns = true, .serv_room = ROOM_EXACT,
	  .want_host = "files-host.example.test", .want_serv = "nc-stream" },
	{ .name = "serv-one-short", .addr = "198.51.100.1:4242", .no_dns = true,
	  .serv_room = ROOM_ONE_SHORT, .want_eai = EAI_OVERFLOW,
	  .want_host = "files-host.example.test", .want_serv = "nc-stream" },
	{ .name = "serv-none", .addr = "198.51.100.1:4242", .no_dns = true, .serv_room = ROOM_NONE,
	  .want_host = "files-host.example.test" },
	/* Not asked for at all: NULL */
	{ .name = "host-null", .addr = "198.51.100.1:4242", .no_dns = true, .host_room = ROOM_NULL,
	  .want_serv = "nc-stream" },
	{ .name = "serv-null", .addr = "[2001:db8::1]:4242", .no_dns = true,
	  .serv_room = ROOM_NULL, .want_host = "files-host6.example.test" },
	{ .name = "numeric-serv-exact", .addr = "198.51.100.1:4999", .flags = NI_NUMERICSERV,
	  .no_dns = true, .serv_room = ROOM_EXACT,
	  .want_host = "files-host.example.test", .want_serv = "4999" },
	{ .name = "numeric-serv-one-short", .addr = "198.51.100.1:65535",
	  .flags = NI_NUMERICSERV, .no_dns = true, .serv_room = ROOM_ONE_SHORT,
	  .want_eai = EAI_OVERFLOW, .want_host = "files-host.example.test", .want_serv = "65535" },
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


/* The length a case gives a buffer of size bytes for want. */
static socklen_t room(enum room room, const char *want, socklen_t given, size_t size)
{
	switch (room) {
	case ROOM_PLENTY: return given ? given : (socklen_t)size;
	case ROOM_EXACT: return (socklen_t)strlen(want) + 1;
	case ROOM_ONE_SHORT: return (socklen_t)strlen(want);
	case ROOM_NONE: case ROOM_NULL: return 0;
	}
	return 0;
}

#define UNWRITTEN '#'

/* What getnameinfo() left of buf beyond its len bytes: nothing written. */
static void expect_unwritten_beyond(const char *key, const char *buf, socklen_t len)
{
	NC_EXPECT_TRUE(buf[len] == UNWRITTEN, "%s: byte %u written, beyond the length %u given",
		       key, (unsigned)len, (unsigned)len);
}

static void getnameinfo_gives(const struct nc_case_ctx *ctx)
{
	const struct gni_case *c = ctx->data;
	char host[NI_MAXHOST + 1], serv[NI_MAXSERV + 1];
	socklen_t hostlen = room(c->host_room, c->want_host, c->hostlen, NI_MAXHOST);
	socklen_t servlen = room(c->serv_room, c->want_serv, c->servlen, NI_MAXSERV);
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_sockaddr addr;
	struct nc_stopwatch watch;
	int code;

	world_enter(ctx, &world_loopback, &resolver);
	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	if (c->family)
		addr.sa.sa_family = (sa_family_t)c->family;
	memset(host, UNWRITTEN, sizeof(host));
	memset(serv, UNWRITTEN, sizeof(serv));
	nc_stopwatch_start(&watch);
	code = getnameinfo(&addr.sa, c->addrlen ? c->addrlen : addr.len,
			   c->host_room == ROOM_NULL ? NULL : host, hostlen,
			   c->serv_room == ROOM_NULL ? NULL : serv, servlen, c->flags);
	nc_stopwatch_stop(&watch);
	nc_dns_server_stats(&resolver.dns, &stats);
	NC_EXPECT_EAI("eai", code, c->want_eai);
	/* a name from DNS is a PTR query, answered (or failing) at once */
	world_expect_dns_queries(&stats, !c->no_dns);
	NC_EXPECT_AT_ONCE("elapsed_ms", &watch, ANSWERED_MS, WORLD_TIMEOUT_MS);
	expect_unwritten_beyond("host", host, hostlen);
	expect_unwritten_beyond("serv", serv, servlen);
	if (code != 0 || c->want_eai != 0)
		return;
	if (c->host_room < ROOM_NONE)
		NC_EXPECT_STR("host", host, c->want_host);
	if (c->serv_room < ROOM_NONE)
		NC_EXPECT_STR("serv", serv, c->want_serv);
}

#define GNI_CHECK(name_, clauses_, table, what, ...)			\
	NC_CHECK(getnameinfo, name_) = {				\
		.summary = what,					\
		.clauses = clauses_,					\
		NC_CASES(table),					\
		.run = getnameinfo_gives,				\
		.deadline_ms = 5000,					\
		__VA_ARGS__						\
	}

GNI_CHECK(names, NC_CLAUSES("getnameinfo-1", "getnameinfo-2", "gai-1"), names_cases,
	  "getnameinfo() returns 0 with the host name (hosts file or DNS PTR) and service name of an IPv4, IPv6 or IPv4-mapped address, or their numeric forms",
	  .covers = "form:v4,v6,mapped boundary:addrlen-exact,addrlen-storage");
GNI_CHECK(ports, NC_CLAUSES("getnameinfo-2", "gai-1"), ports_cases,
	  "getnameinfo() names ports 0, 1023, 1024 and 65535 by their service, or by their number when they have none",
	  .covers = "boundary:0,1023,1024,65535 form:name,number");
GNI_CHECK(buffer_edges, NC_CLAUSES("getnameinfo-1", "getnameinfo-2", "gai-eai-overflow", "gai-1"),
	  edge_cases,
	  "getnameinfo() fills a host or serv buffer exactly big enough, fails with EAI_OVERFLOW one byte short, leaves one of length 0 alone, and never writes past the length given",
	  .covers = "boundary:exact,one-short,zero,null form:v4,v6,name,number");
GNI_CHECK(ni_numerichost, NC_CLAUSES("getnameinfo-ni-numerichost"), numerichost_cases,
	  "with NI_NUMERICHOST getnameinfo() returns the numeric address and asks no one",
	  .covers = "form:v4,v6,mapped");
GNI_CHECK(ni_numericserv, NC_CLAUSES("getnameinfo-ni-numericserv"), numericserv_cases,
	  "with NI_NUMERICSERV getnameinfo() returns the port number instead of the service name",
	  .covers = "form:v4,v6");
GNI_CHECK(ni_namereqd, NC_CLAUSES("getnameinfo-ni-namereqd", "gai-eai-noname"), namereqd_cases,
	  "with NI_NAMEREQD getnameinfo() returns the name when there is a PTR record, EAI_NONAME when there is none",
	  .covers = "form:v4,v6,ptr,no-ptr");
GNI_CHECK(ni_nofqdn, NC_CLAUSES("getnameinfo-ni-nofqdn"), nofqdn_cases,
	  "with NI_NOFQDN getnameinfo() returns only the node name of a host in the local domain, the full name of others",
	  .covers = "form:files,dns,other-domain");
GNI_CHECK(ni_dgram, NC_CLAUSES("getnameinfo-ni-dgram"), dgram_cases,
	  "with NI_DGRAM getnameinfo() names the udp service of the port (512: biff), without it the tcp one (exec)",
	  .covers = "form:tcp,udp,v4,v6,with-other-flags");
GNI_CHECK(eai_overflow, NC_CLAUSES("gai-eai-overflow", "gai-1"), overflow_cases,
	  "getnameinfo() fails with EAI_OVERFLOW when the host or serv buffer is too small for the result",
	  .covers = "boundary:short form:host,serv,name,number");
GNI_CHECK(eai_family, NC_CLAUSES("gai-eai-family", "gai-1"), family_cases,
	  "getnameinfo() fails with EAI_FAMILY for an unknown family or an address length too short for it",
	  .covers = "boundary:addrlen-short form:v4,v6,unknown-family");
GNI_CHECK(eai_again, NC_CLAUSES("gai-eai-again", "gai-1"), again_cases,
	  "getnameinfo() with NI_NAMEREQD fails with EAI_AGAIN when the PTR query gets SERVFAIL",
	  .covers = "form:servfail",
	  .longest_timer_ms = WORLD_TIMEOUT_MS);
GNI_CHECK(eai_fail, NC_CLAUSES("gai-eai-fail", "gai-1"), fail_cases,
	  "getnameinfo() with NI_NAMEREQD fails with EAI_FAIL when the PTR query gets FORMERR (non-recoverable)",
	  .covers = "form:formerr",
	  .longest_timer_ms = WORLD_TIMEOUT_MS);
GNI_CHECK(eai_badflags, NC_CLAUSES("gai-eai-badflags", "gai-1"), badflags_cases,
	  "getnameinfo() fails with EAI_BADFLAGS for an unknown flag",
	  .covers = "form:unknown-flag");

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
	.covers = "form:v4,v6,files,dns",
};
