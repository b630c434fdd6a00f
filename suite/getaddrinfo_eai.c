/* getaddrinfo()'s EAI_* codes, each provoked for real: DNS answers and
 * silences, flags, families, services and socket types it cannot take, no
 * heap and no descriptor left (document section "getaddrinfo() 和
 * getnameinfo()", its table of codes), one check per code so each names
 * its clause. */
#include <netdb.h>

#include "getaddrinfo_gives.h"
#include "resolver_world.h"

static const struct gai_case again_cases[] = {
	/* answered with an error: no timer runs */
	{ .name = "servfail", .host = "servfail.example.test", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .asks_dns = true, .max_ms = ANSWERED_MS },
	{ .name = "refused", .host = "refused.example.test", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .asks_dns = true, .max_ms = ANSWERED_MS },
};

NC_CHECK(getaddrinfo, eai_again) = {
	.summary = "getaddrinfo() fails with EAI_AGAIN when the DNS server answers SERVFAIL or REFUSED",
	.clauses = NC_CLAUSES("gai-eai-again", "gai-1"),
	.covers = "form:servfail,refused",
	NC_CASES(again_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
};

static const struct gai_case again_timeout_cases[] = {
	/* timeout:1 attempts:1: the A and AAAA queries are lost together; the
	 * trailing dot keeps the search list (and its second timeout) out. */
	{ .name = "dropped", .host = "www.example.test.", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .min_ms = LOST_QUERY_MIN_MS, .max_ms = LOST_QUERY_MAX_MS },
};

NC_CHECK(getaddrinfo, eai_again_timeout) = {
	.summary = "getaddrinfo() fails with EAI_AGAIN after the resolver's one-second timeout when the DNS server's port is dropped",
	.clauses = NC_CLAUSES("gai-eai-again", "gai-1"),
	.scenario = "dns-drop",
	.covers = "form:dropped",
	NC_CASES(again_timeout_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
};

static const struct gai_case again_unreachable_cases[] = {
	{ .name = "port-unreachable", .host = "www.example.test.", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .max_ms = ANSWERED_MS },
};

NC_CHECK(getaddrinfo, eai_again_unreachable) = {
	.summary = "getaddrinfo() fails with EAI_AGAIN at once when the DNS server's port answers ICMP port unreachable",
	.clauses = NC_CLAUSES("gai-eai-again", "gai-1"),
	.scenario = "dns-reject",
	.covers = "form:port-unreachable",
	NC_CASES(again_unreachable_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
};

static const struct gai_case badflags_cases[] = {
	{ .name = "unknown-flag", .host = "198.51.100.7", .socktype = SOCK_STREAM,
	  .flags = 0x40000000, .want_eai = EAI_BADFLAGS, .no_dns = true },
	/* AI_CANONNAME asks for the name of no host. */
	{ .name = "canonname-without-host", .service = "80", .socktype = SOCK_STREAM,
	  .flags = AI_CANONNAME, .want_eai = EAI_BADFLAGS, .no_dns = true },
};

NC_CHECK(getaddrinfo, eai_badflags) = {
	.summary = "getaddrinfo() fails with EAI_BADFLAGS for an unknown flag and for AI_CANONNAME without a host name",
	.clauses = NC_CLAUSES("gai-eai-badflags", "gai-1"),
	.covers = "form:unknown-flag,canonname-without-host",
	NC_CASES(badflags_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
};

static const struct gai_case fail_cases[] = {
	/* The server answers FORMERR: nothing will make it work (NO_RECOVERY). */
	{ .name = "formerr", .host = "formerr.example.test", .family = AF_INET,
	  .socktype = SOCK_STREAM, .want_eai = EAI_FAIL, .asks_dns = true, .max_ms = ANSWERED_MS },
};

NC_CHECK(getaddrinfo, eai_fail) = {
	.summary = "getaddrinfo() fails with EAI_FAIL when the DNS server answers FORMERR (a non-recoverable error)",
	.clauses = NC_CLAUSES("gai-eai-fail", "gai-1"),
	.covers = "form:formerr",
	NC_CASES(fail_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
};

static const struct gai_case family_cases[] = {
	{ .name = "unknown-family", .host = "198.51.100.7", .family = 4242,
	  .socktype = SOCK_STREAM, .want_eai = EAI_FAMILY, .no_dns = true },
	{ .name = "local", .host = "198.51.100.7", .family = AF_UNIX,
	  .socktype = SOCK_STREAM, .want_eai = EAI_FAMILY, .no_dns = true },
};

NC_CHECK(getaddrinfo, eai_family) = {
	.summary = "getaddrinfo() fails with EAI_FAMILY for an unknown ai_family and for AF_UNIX",
	.clauses = NC_CLAUSES("gai-eai-family", "gai-1"),
	.covers = "form:unknown-family,local",
	NC_CASES(family_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
};

static const struct gai_case memory_cases[] = {
	{ .name = "rlimit-as", .host = "198.51.100.7", .family = AF_INET,
	  .socktype = SOCK_STREAM, .flags = AI_NUMERICHOST,
	  .want_eai = EAI_MEMORY, .no_dns = true },
};

NC_CHECK(getaddrinfo, eai_memory) = {
	.summary = "getaddrinfo() fails with EAI_MEMORY when malloc() fails (address space limited by RLIMIT_AS)",
	.clauses = NC_CLAUSES("gai-eai-memory", "gai-1"),
	.covers = "form:rlimit-as",
	NC_CASES(memory_cases),
	.run = getaddrinfo_without_memory_gives,
	.deadline_ms = 6000,
};

static const struct gai_case noname_cases[] = {
	{ .name = "nxdomain", .host = "nx.example.test", .socktype = SOCK_STREAM,
	  .want_eai = EAI_NONAME, .asks_dns = true, .max_ms = ANSWERED_MS },
	{ .name = "forced-nxdomain", .host = "gone.example.test", .socktype = SOCK_STREAM,
	  .want_eai = EAI_NONAME, .asks_dns = true, .max_ms = ANSWERED_MS },
	/* The name exists, without any address record. */
	{ .name = "nodata", .host = "nodata.example.test", .family = AF_INET,
	  .socktype = SOCK_STREAM, .want_eai = EAI_NONAME, .asks_dns = true, .max_ms = ANSWERED_MS },
	{ .name = "no-host-no-service", .socktype = SOCK_STREAM,
	  .want_eai = EAI_NONAME, .no_dns = true },
	{ .name = "numerichost-name", .host = "www.example.test", .socktype = SOCK_STREAM,
	  .flags = AI_NUMERICHOST, .want_eai = EAI_NONAME, .no_dns = true },
	/* Asked in the other family: no address of it, and none of the
	 * family not asked for (nor mapped: no AI_V4MAPPED).  The trailing dot
	 * keeps the search list (and its NXDOMAIN) out. */
	{ .name = "ipv6-only-as-inet", .host = "v6only.example.test.", .family = AF_INET,
	  .socktype = SOCK_STREAM, .want_eai = EAI_NONAME, .asks_dns = true, .max_ms = ANSWERED_MS },
	{ .name = "ipv4-only-as-inet6", .host = "v4only.example.test.", .family = AF_INET6,
	  .socktype = SOCK_STREAM, .want_eai = EAI_NONAME, .asks_dns = true, .max_ms = ANSWERED_MS },
	/* a numeric IPv4 host asked for IPv6 (no AI_V4MAPPED) */
	{ .name = "numeric-ipv4-as-inet6", .host = "198.51.100.7", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .want_eai = EAI_NONAME, .no_dns = true },
	{ .name = "numericserv-name", .host = "198.51.100.7", .service = "http",
	  .socktype = SOCK_STREAM, .flags = AI_NUMERICSERV, .want_eai = EAI_NONAME,
	  .no_dns = true },
};

NC_CHECK(getaddrinfo, eai_noname) = {
	.summary = "getaddrinfo() fails with EAI_NONAME for NXDOMAIN, a name without addresses, no host and no service, and a name or service name with AI_NUMERICHOST or AI_NUMERICSERV",
	.clauses = NC_CLAUSES("gai-eai-noname", "gai-1"),
	.covers = "form:nxdomain,nodata,other-family,no-host-no-service,numerichost,numericserv",
	NC_CASES(noname_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
};

static const struct gai_case service_cases[] = {
	{ .name = "unknown", .host = "198.51.100.7", .service = "no-such-service",
	  .socktype = SOCK_STREAM, .want_eai = EAI_SERVICE, .no_dns = true },
	/* nc-dgram is a udp service only. */
	{ .name = "other-socktype", .host = "198.51.100.7", .service = "nc-dgram",
	  .socktype = SOCK_STREAM, .want_eai = EAI_SERVICE, .no_dns = true },
	/* ssh is in every machine's /etc/services, never in the check's. */
	{ .name = "elsewhere", .host = "198.51.100.7", .service = "ssh",
	  .socktype = SOCK_STREAM, .want_eai = EAI_SERVICE, .no_dns = true },
	/* one past the last port */
	{ .name = "port-65536", .host = "198.51.100.7", .service = "65536",
	  .socktype = SOCK_STREAM, .want_eai = EAI_SERVICE, .no_dns = true },
};

NC_CHECK(getaddrinfo, eai_service) = {
	.summary = "getaddrinfo() fails with EAI_SERVICE for a service unknown for the socket type",
	.clauses = NC_CLAUSES("gai-eai-service", "gai-1"),
	.covers = "form:unknown,other-socktype,elsewhere boundary:65536",
	NC_CASES(service_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
};

static const struct gai_case socktype_cases[] = {
	{ .name = "unknown", .host = "198.51.100.7", .service = "80", .socktype = 4242,
	  .want_eai = EAI_SOCKTYPE, .no_dns = true },
	{ .name = "dgram-tcp", .host = "198.51.100.7", .service = "80", .socktype = SOCK_DGRAM,
	  .protocol = IPPROTO_TCP, .want_eai = EAI_SOCKTYPE, .no_dns = true },
};

NC_CHECK(getaddrinfo, eai_socktype) = {
	.summary = "getaddrinfo() fails with EAI_SOCKTYPE for an unknown ai_socktype or one that does not fit ai_protocol",
	.clauses = NC_CLAUSES("gai-eai-socktype", "gai-1"),
	.covers = "form:unknown,dgram-tcp",
	NC_CASES(socktype_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
};

static const struct gai_case system_cases[] = {
	/* No descriptor left: the hosts file and the DNS socket cannot be opened. */
	{ .name = "emfile", .host = "www.example.test", .family = AF_INET,
	  .socktype = SOCK_STREAM, .want_eai = EAI_SYSTEM },
};

NC_CHECK(getaddrinfo, eai_system) = {
	.summary = "getaddrinfo() fails with EAI_SYSTEM and errno EMFILE when no descriptor is left for the hosts file and the DNS socket",
	.clauses = NC_CLAUSES("gai-eai-system", "gai-1"),
	.covers = "form:emfile",
	NC_CASES(system_cases),
	.run = getaddrinfo_without_fds_gives,
	.deadline_ms = 6000,
};
