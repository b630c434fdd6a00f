/* getaddrinfo() and freeaddrinfo(): names and services to addresses, from
 * files and DNS, under every hint; the heap it allocates; agreement with
 * gethostbyname()/getservbyname(); and concurrent calls (document section
 * "getaddrinfo() 和 getnameinfo()").  Its EAI_* codes: getaddrinfo_eai.c. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "getaddrinfo_gives.h"
#include "heap.h"
#include "resolver_world.h"

static const struct gai_case resolve_cases[] = {
	{ .name = "files-ipv4", .host = "files-host.example.test", .service = "http",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.1:80 stream/tcp, 198.51.100.2:80 stream/tcp" },
	{ .name = "files-ipv6", .host = "files-host6", .service = "nc-stream",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "[2001:db8::1]:4242 stream/tcp" },
	{ .name = "dns-ipv4", .host = "www.example.test", .service = "nc-stream",
	  .family = AF_INET, .socktype = SOCK_STREAM,
	  .want = "198.51.100.10:4242 stream/tcp, 198.51.100.11:4242 stream/tcp" },
	{ .name = "dns-ipv6", .host = "www.example.test", .service = "http",
	  .family = AF_INET6, .socktype = SOCK_STREAM,
	  .want = "[2001:db8::10]:80 stream/tcp" },
	{ .name = "dns-unspec", .host = "www.example.test", .service = "http",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM,
	  .want = "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp, "
		  "[2001:db8::10]:80 stream/tcp" },
	{ .name = "dns-cname", .host = "alias.example.test", .service = "http",
	  .family = AF_INET, .socktype = SOCK_STREAM,
	  .want = "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp" },
	{ .name = "dns-truncated", .host = "big.example.test", .service = "http",
	  .family = AF_INET, .socktype = SOCK_STREAM,
	  .want = "198.51.100.20:80 stream/tcp" },
	{ .name = "udp-service", .host = "www.example.test", .service = "nc-dgram",
	  .family = AF_INET, .socktype = SOCK_DGRAM,
	  .want = "198.51.100.10:4243 dgram/udp, 198.51.100.11:4243 dgram/udp" },
	/* A host by its alias (only its first line names fh-alias). */
	{ .name = "files-alias", .host = "fh-alias", .service = "http",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.1:80 stream/tcp" },
	/* Services by alias, and by a name whose port differs per protocol
	 * (nc-split: 4245 over tcp, 4246 over udp). */
	{ .name = "service-alias", .host = "files-host.example.test", .service = "www",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.1:80 stream/tcp, 198.51.100.2:80 stream/tcp" },
	{ .name = "split-stream", .host = "198.51.100.7", .service = "nc-split",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.7:4245 stream/tcp" },
	{ .name = "split-dgram", .host = "198.51.100.7", .service = "nc-split",
	  .family = AF_INET, .socktype = SOCK_DGRAM, .no_dns = true,
	  .want = "198.51.100.7:4246 dgram/udp" },
	{ .name = "split-alias-udp", .host = "198.51.100.7", .service = "nc-sp",
	  .family = AF_INET, .protocol = IPPROTO_UDP, .no_dns = true,
	  .want = "198.51.100.7:4246 dgram/udp" },
	{ .name = "split-any", .host = "2001:db8::7", .service = "nc-split",
	  .family = AF_INET6, .no_dns = true,
	  .want = "[2001:db8::7]:4245 stream/tcp, [2001:db8::7]:4246 dgram/udp" },
	/* An IPv4-mapped IPv6 address stays one (AF_INET6), asked either way. */
	{ .name = "mapped-unspec", .host = "::ffff:198.51.100.1", .service = "http",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "[::ffff:198.51.100.1]:80 stream/tcp" },
	{ .name = "mapped-inet6", .host = "::ffff:198.51.100.1", .service = "http",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "[::ffff:198.51.100.1]:80 stream/tcp" },
	/* No service: port 0.  Numbers: the edges of the port range and of the
	 * privileged ports. */
	{ .name = "no-service", .host = "files-host.example.test",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.1:0 stream/tcp, 198.51.100.2:0 stream/tcp" },
	{ .name = "port-0", .host = "198.51.100.7", .service = "0",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.7:0 stream/tcp" },
	{ .name = "port-1023", .host = "198.51.100.7", .service = "1023",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.7:1023 stream/tcp" },
	{ .name = "port-1024", .host = "2001:db8::7", .service = "1024",
	  .family = AF_INET6, .socktype = SOCK_DGRAM, .no_dns = true,
	  .want = "[2001:db8::7]:1024 dgram/udp" },
	{ .name = "port-65535", .host = "198.51.100.7", .service = "65535",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.7:65535 stream/tcp" },
	/* hints NULL: any family, any socket type */
	{ .name = "no-hints", .host = "2001:db8::7", .service = "nc-split", .no_hints = true,
	  .no_dns = true,
	  .want = "[2001:db8::7]:4245 stream/tcp, [2001:db8::7]:4246 dgram/udp" },
	{ .name = "port-65535-by-name", .host = "198.51.100.7", .service = "nc-top",
	  .family = AF_INET, .socktype = SOCK_STREAM, .no_dns = true,
	  .want = "198.51.100.7:65535 stream/tcp" },
}, hint_cases[] = {
	{ .name = "family-inet6", .host = "www.example.test", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .want = "[2001:db8::10]:80 stream/tcp" },
	/* ai_socktype 0: every socket type (SOCK_RAW with protocol 0 too). */
	{ .name = "socktype-any", .host = "198.51.100.7", .service = "80",
	  .family = AF_INET, .no_dns = true,
	  .want = "198.51.100.7:80 dgram/udp, 198.51.100.7:80 raw/0, 198.51.100.7:80 stream/tcp" },
	{ .name = "protocol-udp", .host = "198.51.100.7", .service = "80",
	  .family = AF_INET, .protocol = IPPROTO_UDP, .no_dns = true,
	  .want = "198.51.100.7:80 dgram/udp" },
	{ .name = "passive-ipv4", .service = "80", .family = AF_INET,
	  .socktype = SOCK_STREAM, .flags = AI_PASSIVE, .no_dns = true,
	  .want = "0.0.0.0:80 stream/tcp" },
	{ .name = "passive-ipv6", .service = "80", .family = AF_INET6,
	  .socktype = SOCK_STREAM, .flags = AI_PASSIVE, .no_dns = true,
	  .want = "[::]:80 stream/tcp" },
	{ .name = "not-passive-ipv4", .service = "80", .family = AF_INET,
	  .socktype = SOCK_STREAM, .no_dns = true, .want = "127.0.0.1:80 stream/tcp" },
	{ .name = "not-passive-ipv6", .service = "80", .family = AF_INET6,
	  .socktype = SOCK_STREAM, .no_dns = true, .want = "[::1]:80 stream/tcp" },
	{ .name = "canonname-cname", .host = "alias.example.test", .service = "80",
	  .family = AF_INET, .socktype = SOCK_STREAM, .flags = AI_CANONNAME,
	  .want = "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp",
	  .want_canon = "www.example.test" },
	{ .name = "canonname-files", .host = "fh-alias", .service = "80",
	  .family = AF_INET, .socktype = SOCK_STREAM, .flags = AI_CANONNAME, .no_dns = true,
	  .want = "198.51.100.1:80 stream/tcp",	/* only its first line names fh-alias */
	  .want_canon = "files-host.example.test" },
	{ .name = "numerichost", .host = "2001:db8::7", .service = "80",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM, .flags = AI_NUMERICHOST, .no_dns = true,
	  .want = "[2001:db8::7]:80 stream/tcp" },
	{ .name = "numericserv", .host = "files-host6", .service = "4242",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .flags = AI_NUMERICSERV, .no_dns = true,
	  .want = "[2001:db8::1]:4242 stream/tcp" },
	{ .name = "v4mapped", .host = "v4only.example.test", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .flags = AI_V4MAPPED,
	  .want = "[::ffff:198.51.100.4]:80 stream/tcp" },
	/* Mapped only when there is no IPv6 address. */
	{ .name = "v4mapped-has-ipv6", .host = "www.example.test", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .flags = AI_V4MAPPED,
	  .want = "[2001:db8::10]:80 stream/tcp" },
}, addrconfig_cases[] = {
	/* Host c has IPv4 only: AI_ADDRCONFIG leaves the AAAA out. */
	{ .name = "unspec", .host = "www.example.test", .service = "80",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM, .flags = AI_ADDRCONFIG,
	  .want = "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp" },
	{ .name = "inet6", .host = "www.example.test", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .flags = AI_ADDRCONFIG,
	  .want_eai = EAI_NONAME },
	{ .name = "without", .host = "www.example.test", .service = "80",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM,
	  .want = "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp, "
		  "[2001:db8::10]:80 stream/tcp" },
}, partial_cases[] = {
	/* half.example.test.: A answered, AAAA dropped (the trailing dot keeps
	 * the search list out).  Both asked together: the A answer is returned
	 * once the AAAA query has timed out. */
	{ .name = "unspec", .host = "half.example.test.", .service = "80",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM, .asks_dns = true,
	  .want = "198.51.100.30:80 stream/tcp", .aaaa_queries = 1,
	  .min_ms = LOST_QUERY_MIN_MS, .max_ms = LOST_QUERY_MAX_MS },
	{ .name = "inet", .host = "half.example.test.", .service = "80",
	  .family = AF_INET, .socktype = SOCK_STREAM, .asks_dns = true,
	  .want = "198.51.100.30:80 stream/tcp", .max_ms = ANSWERED_MS },
	{ .name = "inet6", .host = "half.example.test.", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .asks_dns = true,
	  .want_eai = EAI_AGAIN,
	  .min_ms = LOST_QUERY_MIN_MS, .max_ms = LOST_QUERY_MAX_MS },
};

NC_CHECK(getaddrinfo, resolves) = {
	.summary = "getaddrinfo() returns 0 and the host's addresses with the service's port, from the hosts and services files and from DNS (CNAME, TC then TCP); hosts and services by name, alias and number; sin_zero, sin6_flowinfo and sin6_scope_id zero",
	.clauses = NC_CLAUSES("getaddrinfo-1", "getaddrinfo-2", "gai-1"),
	.covers = "form:v4,v6,mapped,official,alias,number,tcp,udp,any,no-hints boundary:0,1023,1024,65535 field:ai_family,ai_socktype,ai_protocol,ai_addrlen,sin_zero,sin6_flowinfo,sin6_scope_id",
	NC_CASES(resolve_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 5000,
};

NC_CHECK(getaddrinfo, hints) = {
	.beyond = "the document tables no AI_* flag nor hints field (only NI_* flags and EAI_* codes)",
	.summary = "getaddrinfo() honours ai_family, ai_socktype, ai_protocol and AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_V4MAPPED",
	.clauses = NC_CLAUSES("getaddrinfo-1", "getaddrinfo-2", "gai-1"),
	.covers = "form:v4,v6,mapped,passive,canonname,numerichost,numericserv,v4mapped",
	NC_CASES(hint_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 5000,
};

NC_CHECK(getaddrinfo, ai_addrconfig) = {
	.beyond = "the document tables no AI_* flag: AI_ADDRCONFIG is glibc's and POSIX's",
	.summary = "with AI_ADDRCONFIG on a host without IPv6 address getaddrinfo() returns no IPv6 address, and EAI_NONAME for AF_INET6",
	.clauses = NC_CLAUSES("getaddrinfo-1", "gai-1", "gai-eai-noname"),
	.scenario = "dns-v4only",
	.covers = "form:unspec,inet6",
	NC_CASES(addrconfig_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 5000,
};

NC_CHECK(getaddrinfo, partial_answer) = {
	.summary = "the DNS server answers A and drops AAAA: AF_UNSPEC gives the IPv4 address after the AAAA query's timeout, AF_INET at once, AF_INET6 EAI_AGAIN at the timeout",
	.clauses = NC_CLAUSES("getaddrinfo-1", "gai-1", "gai-eai-again"),
	.covers = "form:unspec,inet,inet6",
	NC_CASES(partial_cases),
	.run = getaddrinfo_gives,
	.deadline_ms = 6000,
	/* glibc asks A and AAAA again one after the other: three queries
	 * lost (expectations/glibc.txt) */
	.longest_timer_ms = 3 * WORLD_TIMEOUT_MS,
};

/* --- The same answer as gethostbyname() and getservbyname() --- */

static const struct consistent_case {
	const char *name;
	const char *host, *service, *proto;
} consistent_cases[] = {
	{ "files", "files-host.example.test", "http", "tcp" },
	{ "dns", "www.example.test", "nc-stream", "tcp" },
	{ "dns-cname", "alias.example.test", "nc-dgram", "udp" },
};

static void getaddrinfo_agrees(const struct nc_case_ctx *ctx)
{
	const struct consistent_case *c = ctx->data;
	struct addrinfo hints = { .ai_family = AF_INET };
	struct addrinfo *res = NULL;
	struct nc_resolver resolver;
	struct hostent *h;
	struct servent *s;
	char by_gai[512] = "", by_hostent[512] = "", text[64];
	int port, code, s_port;
	size_t used = 0;

	world_enter(ctx, &world_loopback, &resolver);
	hints.ai_socktype = strcmp(c->proto, "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM;
	h = gethostbyname(c->host);
	s = getservbyname(c->service, c->proto);
	if (!h || !s)
		nc_fatal("gethostbyname(%s) = %p, getservbyname(%s) = %p", c->host, (void *)h,
			 c->service, (void *)s);
	s_port = s->s_port;
	for (size_t i = 0; h->h_addr_list[i] && used < sizeof(by_hostent); i++)
		used += (size_t)snprintf(by_hostent + used, sizeof(by_hostent) - used, "%s%s",
					 i ? " " : "", world_addr_str(AF_INET, h->h_addr_list[i],
								      text, sizeof(text)));
	code = getaddrinfo(c->host, c->service, &hints, &res);
	if (code != 0)
		nc_fatal("getaddrinfo(%s, %s) = %s", c->host, c->service, nc_eai_name(code));
	used = 0;
	for (const struct addrinfo *ai = res; ai && used < sizeof(by_gai); ai = ai->ai_next) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;

		used += (size_t)snprintf(by_gai + used, sizeof(by_gai) - used, "%s%s",
					 used ? " " : "", world_addr_str(AF_INET, &sin->sin_addr,
									 text, sizeof(text)));
		port = sin->sin_port;
		NC_EXPECT_INT(NC_KEY(sin_port_vs_s_port,
				     "sin_port (network order) against getservbyname()'s s_port"),
			      port, s_port);
	}
	/* Both keep the DNS answer's order; neither sorts IPv4 addresses here. */
	NC_EXPECT_STR(NC_KEY(addresses_gethostbyname_against_getaddrinfo,
			     "addresses (gethostbyname() against getaddrinfo())"),
		      by_gai,
			 by_hostent);
	freeaddrinfo(res);
}

NC_CHECK(getaddrinfo, consistent) = {
	.summary = "getaddrinfo() finds the addresses gethostbyname() finds and the port getservbyname() finds, for files and DNS names",
	.clauses = NC_CLAUSES("getaddrinfo-1", "getaddrinfo-2"),
	NC_CASES(consistent_cases),
	.run = getaddrinfo_agrees,
	.deadline_ms = 5000,
	.covers = "form:files,dns,cname,tcp,udp",
};

/* --- The result is on the heap, and freeaddrinfo() gives all of it back --- */

/* The heap is this program's, counted by its replaced allocator (heap.h):
 * only differences between two reads inside the body mean anything.
 * Results are held many at a time, so what each takes stands out; the
 * allowance is for state a resolver keeps between calls.  100 rounds: the
 * smallest block a leak can lose (24 usable bytes) adds up past it, and a
 * DNS round trip each stays affordable on a loaded machine. */
#define HELD_RESULTS 32
#define FREE_ROUNDS 100
#define HEAP_NOISE_BYTES 2048

static const struct heap_case {
	const char *name;
	const char *host;
} heap_cases[] = {
	{ "files", "files-host.example.test" },
	{ "dns", "www.example.test" },
};

/* getaddrinfo(host, "http"); a failure stops watch, which runs over every
 * lookup of the check: it records whether the wait for a CPU may explain
 * it (a lookup timed out for the load). */
static int timed_getaddrinfo(struct nc_stopwatch *watch, const char *host,
			     const struct addrinfo *hints, struct addrinfo **res)
{
	int code = getaddrinfo(host, "http", hints, res);

	if (code != 0)
		nc_stopwatch_stop(watch);
	return code;
}

static void freeaddrinfo_releases_all(const struct nc_case_ctx *ctx)
{
	const struct heap_case *c = ctx->data;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_CANONNAME };
	struct addrinfo *held[HELD_RESULTS];
	struct nc_resolver resolver;
	struct nc_stopwatch watch;
	long before, holding, released, after;
	size_t n_results = 0;
	int code;

	world_enter(ctx, &world_loopback, &resolver);
	nc_stopwatch_start(&watch);
	/* The first call loads nsswitch.conf and resolv.conf, once. */
	code = timed_getaddrinfo(&watch, c->host, &hints, &held[0]);
	if (code != 0)
		nc_fatal("getaddrinfo(%s) = %s", c->host, nc_eai_name(code));
	freeaddrinfo(held[0]);

	before = nc_heap_in_use();
	for (int i = 0; i < HELD_RESULTS; i++) {
		code = timed_getaddrinfo(&watch, c->host, &hints, &held[i]);
		if (code != 0)
			nc_fatal("getaddrinfo(%s) = %s", c->host, nc_eai_name(code));
	}
	holding = nc_heap_in_use();
	for (const struct addrinfo *ai = held[0]; ai; ai = ai->ai_next)
		n_results++;
	for (int i = 0; i < HELD_RESULTS; i++)
		freeaddrinfo(held[i]);
	released = nc_heap_in_use();
	for (int round = 0; round < FREE_ROUNDS; round++) {
		struct addrinfo *res = NULL;

		code = timed_getaddrinfo(&watch, c->host, &hints, &res);
		if (code != 0)
			nc_fatal("round %d: getaddrinfo = %s", round, nc_eai_name(code));
		freeaddrinfo(res);
	}
	after = nc_heap_in_use();
	nc_observe("addrinfos_per_result", "%zu", n_results);
	/* on the heap: at least its addrinfos each */
	NC_EXPECT_MIN("heap_bytes_per_result", (holding - before) / HELD_RESULTS,
		      n_results * sizeof(struct addrinfo));
	/* 0, but for the allocator's noise */
	NC_EXPECT_MAX("heap_bytes_after_freeaddrinfo", released - before, HEAP_NOISE_BYTES - 1);
	NC_EXPECT_MAX("heap_growth_over_rounds", after - released, HEAP_NOISE_BYTES - 1);
}

NC_CHECK(getaddrinfo, freeaddrinfo) = {
	.summary = "getaddrinfo()'s result list is on the heap, and freeaddrinfo() releases all of it: no heap growth over 100 rounds",
	.clauses = NC_CLAUSES("getaddrinfo-3"),
	NC_CASES(heap_cases),
	.run = freeaddrinfo_releases_all,
	.deadline_ms = 8000,
	.covers = "sequence:held,repeated form:files,dns",
};

/* --- Concurrent calls each get their own answer --- */

static const struct world_job resolve_jobs[] = {
	{ "files-host.example.test", "198.51.100.1:80 stream/tcp, 198.51.100.2:80 stream/tcp" },
	{ "other-host", "198.51.100.3:80 stream/tcp" },
	{ "www.example.test", "198.51.100.10:80 stream/tcp, 198.51.100.11:80 stream/tcp" },
	{ "v4only.example.test", "198.51.100.4:80 stream/tcp" },
};

static void resolve(const char *host, char *got, size_t size)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	int code = getaddrinfo(host, "http", &hints, &res);

	if (code == 0) {
		world_addrinfo_str(res, got, size);
		freeaddrinfo(res);
	} else {
		snprintf(got, size, "%s", nc_eai_name(code));
	}
}

static void getaddrinfo_is_reentrant(const struct nc_case_ctx *ctx)
{
	struct nc_resolver resolver;

	world_enter(ctx, &world_loopback, &resolver);
	world_expect_concurrent(resolve_jobs, sizeof(resolve_jobs) / sizeof(resolve_jobs[0]),
				resolve);
}

NC_CHECK(getaddrinfo, reentrant) = {
	.summary = "getaddrinfo() is reentrant: 8 threads resolving different names at once each get their own right answer, 40 times",
	.clauses = NC_CLAUSES("getaddrinfo-4"),
	.run = getaddrinfo_is_reentrant,
	.deadline_ms = 8000,
	.covers = "form:files,dns",
};
