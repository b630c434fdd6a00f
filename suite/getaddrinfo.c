/* getaddrinfo() and freeaddrinfo(): names and services to addresses, from
 * files and DNS, under every hint; each EAI_* code provoked for real; the
 * heap it allocates; agreement with gethostbyname()/getservbyname(); and
 * concurrent calls (document section "getaddrinfo() 和 getnameinfo()"). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heap.h"
#include "resolver_world.h"

/* What a case does to the process before the call. */
enum gai_limit {
	NO_LIMIT,
	FD_LIMIT,	/* no descriptor left: the resolver's socket() fails */
	MEMORY_LIMIT,	/* no heap left (RLIMIT_AS): the result cannot be allocated */
};

/* resolv.conf's "timeout:1 attempts:1": a lost query costs a second. */
#define TIMEOUT_MS 1000
#define TIMER_SLACK_MS 100
/* An answered error takes no timer: well under the timeout. */
#define ANSWERED_MS 500

static const struct gai_case {
	const char *name;
	const char *host, *service;
	int family, socktype, protocol, flags;
	bool no_hints;			/* hints NULL (the fields above unused) */
	enum gai_limit limit;
	int want_eai;			/* 0: success */
	const char *want;		/* world_addrinfo_str() of the result */
	const char *want_canon;		/* ai_canonname, with AI_CANONNAME */
	bool no_dns;			/* the DNS server must see no query */
	bool asks_dns;			/* the DNS server must see a query (how many: observed) */
	long min_ms, max_ms;		/* bounds of the call's duration (max 0: none) */
} resolve_cases[] = {
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
}, again_cases[] = {
	/* answered with an error: no timer runs */
	{ .name = "servfail", .host = "servfail.example.test", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .asks_dns = true, .max_ms = ANSWERED_MS },
	{ .name = "refused", .host = "refused.example.test", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .asks_dns = true, .max_ms = ANSWERED_MS },
}, again_timeout_cases[] = {
	/* timeout:1 attempts:1: the A and AAAA queries are lost together; the
	 * trailing dot keeps the search list (and its second timeout) out. */
	{ .name = "dropped", .host = "www.example.test.", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .min_ms = TIMEOUT_MS - TIMER_SLACK_MS, .max_ms = TIMEOUT_MS + 800 },
}, again_unreachable_cases[] = {
	{ .name = "port-unreachable", .host = "www.example.test.", .socktype = SOCK_STREAM,
	  .want_eai = EAI_AGAIN, .max_ms = ANSWERED_MS },
}, partial_cases[] = {
	/* half.example.test.: A answered, AAAA dropped (the trailing dot keeps
	 * the search list out).  Both asked together: the A answer is returned
	 * once the AAAA query has timed out. */
	{ .name = "unspec", .host = "half.example.test.", .service = "80",
	  .family = AF_UNSPEC, .socktype = SOCK_STREAM, .asks_dns = true,
	  .want = "198.51.100.30:80 stream/tcp",
	  .min_ms = TIMEOUT_MS - TIMER_SLACK_MS, .max_ms = TIMEOUT_MS + 800 },
	{ .name = "inet", .host = "half.example.test.", .service = "80",
	  .family = AF_INET, .socktype = SOCK_STREAM, .asks_dns = true,
	  .want = "198.51.100.30:80 stream/tcp", .max_ms = ANSWERED_MS },
	{ .name = "inet6", .host = "half.example.test.", .service = "80",
	  .family = AF_INET6, .socktype = SOCK_STREAM, .asks_dns = true,
	  .want_eai = EAI_AGAIN,
	  .min_ms = TIMEOUT_MS - TIMER_SLACK_MS, .max_ms = TIMEOUT_MS + 800 },
}, badflags_cases[] = {
	{ .name = "unknown-flag", .host = "198.51.100.7", .socktype = SOCK_STREAM,
	  .flags = 0x40000000, .want_eai = EAI_BADFLAGS, .no_dns = true },
	/* AI_CANONNAME asks for the name of no host. */
	{ .name = "canonname-without-host", .service = "80", .socktype = SOCK_STREAM,
	  .flags = AI_CANONNAME, .want_eai = EAI_BADFLAGS, .no_dns = true },
}, fail_cases[] = {
	/* The server answers FORMERR: nothing will make it work (NO_RECOVERY). */
	{ .name = "formerr", .host = "formerr.example.test", .family = AF_INET,
	  .socktype = SOCK_STREAM, .want_eai = EAI_FAIL, .asks_dns = true, .max_ms = ANSWERED_MS },
}, family_cases[] = {
	{ .name = "unknown-family", .host = "198.51.100.7", .family = 4242,
	  .socktype = SOCK_STREAM, .want_eai = EAI_FAMILY, .no_dns = true },
	{ .name = "local", .host = "198.51.100.7", .family = AF_UNIX,
	  .socktype = SOCK_STREAM, .want_eai = EAI_FAMILY, .no_dns = true },
}, memory_cases[] = {
	{ .name = "rlimit-as", .host = "198.51.100.7", .family = AF_INET,
	  .socktype = SOCK_STREAM, .flags = AI_NUMERICHOST, .limit = MEMORY_LIMIT,
	  .want_eai = EAI_MEMORY, .no_dns = true },
}, noname_cases[] = {
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
}, service_cases[] = {
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
}, socktype_cases[] = {
	{ .name = "unknown", .host = "198.51.100.7", .service = "80", .socktype = 4242,
	  .want_eai = EAI_SOCKTYPE, .no_dns = true },
	{ .name = "dgram-tcp", .host = "198.51.100.7", .service = "80", .socktype = SOCK_DGRAM,
	  .protocol = IPPROTO_TCP, .want_eai = EAI_SOCKTYPE, .no_dns = true },
}, system_cases[] = {
	/* No descriptor left: the hosts file and the DNS socket cannot be opened. */
	{ .name = "emfile", .host = "www.example.test", .family = AF_INET,
	  .socktype = SOCK_STREAM, .limit = FD_LIMIT, .want_eai = EAI_SYSTEM },
};

static void touch_stack(void)
{
	volatile char pages[256 * 1024];

	for (size_t i = 0; i < sizeof(pages); i += 4096)
		pages[i] = 1;
}

/* In a child: the address space limited to what is mapped now, the heap
 * eaten up, then the call.  Returns its code, or -1 when the child died. */
static int getaddrinfo_without_memory(const struct gai_case *c, const struct addrinfo *hints)
{
	int pipe_fds[2], code = -1, status;
	pid_t pid;

	if (pipe(pipe_fds) < 0)
		nc_fatal("pipe: %s", nc_errno_name(errno));
	pid = fork();
	if (pid < 0)
		nc_fatal("fork: %s", nc_errno_name(errno));
	if (pid == 0) {
		struct addrinfo *res = NULL;
		struct rlimit as = { 0 };
		unsigned long pages = 0;
		FILE *statm = fopen("/proc/self/statm", "r");

		if (!statm || fscanf(statm, "%lu", &pages) != 1)
			_exit(100);
		fclose(statm);
		touch_stack();		/* stack growth would count against the limit */
		as.rlim_cur = as.rlim_max = pages * (unsigned long)sysconf(_SC_PAGESIZE) + (64 << 10);
		if (setrlimit(RLIMIT_AS, &as) < 0)
			_exit(101);
		for (size_t size = 4096; size >= 16; size /= 4)
			while (malloc(size))
				;
		code = getaddrinfo(c->host, c->service, hints, &res);
		_exit(write(pipe_fds[1], &code, sizeof(code)) == sizeof(code) ? 0 : 102);
	}
	close(pipe_fds[1]);
	if (read(pipe_fds[0], &code, sizeof(code)) != sizeof(code))
		code = -1;
	waitpid(pid, &status, 0);
	close(pipe_fds[0]);
	return code;
}

/* Lowers the soft RLIMIT_NOFILE to the lowest free descriptor, calls, and
 * raises it again.  *err gets the call's errno. */
static int getaddrinfo_without_fds(const struct gai_case *c, const struct addrinfo *hints,
				   struct addrinfo **res, int *err)
{
	struct rlimit saved, limited;
	int lowest_free = NC_ASSERT_FD(dup(2)), code;

	close(lowest_free);
	NC_ASSERT_SYS(getrlimit(RLIMIT_NOFILE, &saved));
	limited = saved;
	limited.rlim_cur = (rlim_t)lowest_free;
	NC_ASSERT_SYS(setrlimit(RLIMIT_NOFILE, &limited));
	errno = 0;
	code = getaddrinfo(c->host, c->service, hints, res);
	*err = errno;
	NC_ASSERT_SYS(setrlimit(RLIMIT_NOFILE, &saved));
	return code;
}

static void getaddrinfo_gives(const struct nc_case_ctx *ctx)
{
	const struct gai_case *c = ctx->data;
	struct addrinfo hints = {
		.ai_family = c->family, .ai_socktype = c->socktype,
		.ai_protocol = c->protocol, .ai_flags = c->flags,
	};
	struct addrinfo *res = NULL;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct timespec start;
	char got[1024];
	int code, err = 0;
	long elapsed;

	if (c->limit == MEMORY_LIMIT) {
#if defined(__SANITIZE_ADDRESS__)
		nc_skip("EAI_MEMORY needs malloc() to fail under RLIMIT_AS; AddressSanitizer reserves terabytes of shadow memory, so the limit cannot be set");
#endif
	}
	world_enter(ctx, ctx->net ? &world_ns : &world_loopback, &resolver);
	if (c->limit == FD_LIMIT) {
		/* nsswitch.conf and resolv.conf are read now, with descriptors. */
		struct addrinfo *warm = NULL;

		if (getaddrinfo("localhost", NULL, &hints, &warm) == 0)
			freeaddrinfo(warm);
	}
	nc_clock_start(&start);
	if (c->limit == MEMORY_LIMIT)
		code = getaddrinfo_without_memory(c, &hints);
	else if (c->limit == FD_LIMIT)
		code = getaddrinfo_without_fds(c, &hints, &res, &err);
	else
		code = getaddrinfo(c->host, c->service, c->no_hints ? NULL : &hints, &res);
	elapsed = nc_elapsed_ms(&start);
	nc_dns_server_stats(&resolver.dns, &stats);

	if (code == -1 && c->limit == MEMORY_LIMIT)	/* -1 is also EAI_BADFLAGS */
		nc_fatal("the child calling getaddrinfo() under RLIMIT_AS died");
	NC_EXPECT_EAI("eai", code, c->want_eai);
	if (c->want_eai == EAI_SYSTEM && code == EAI_SYSTEM)
		NC_EXPECT_STR("errno", nc_errno_name(err), "EMFILE");
	if (c->no_dns || c->asks_dns)
		world_expect_dns_queries(&stats, c->asks_dns);
	else
		nc_observe("dns_queries", "%u", stats.udp_queries + stats.tcp_queries);
	if (c->max_ms)
		NC_EXPECT_RANGE("elapsed_ms", elapsed, c->min_ms, c->max_ms);
	else
		nc_observe("elapsed_ms", "%ld", elapsed);
	if (code == 0 && c->want_eai != 0)	/* found when it should not be: what */
		nc_observe("addresses", "%s", world_addrinfo_str(res, got, sizeof(got)));
	if (code == 0 && c->want_eai != 0)
		freeaddrinfo(res);
	if (code != 0 || c->want_eai != 0)
		return;
	NC_EXPECT_STR("addresses", world_addrinfo_str(res, got, sizeof(got)), c->want);
	/* Asked for, the canonical name; not asked for, whatever the C library
	 * leaves there (glibc NULL, musl the name): no document says. */
	if (c->flags & AI_CANONNAME)
		NC_EXPECT_STR("ai_canonname", res->ai_canonname, c->want_canon);
	else
		nc_observe("ai_canonname", "%s", res->ai_canonname ? res->ai_canonname : "(null)");
	freeaddrinfo(res);
}

/* A check whose cases getaddrinfo_gives() runs: its name, its table of
 * cases, its deadline, then what it claims (.summary, .clauses, ...). */
#define GIVES_CHECK(name, table, deadline, ...)				\
	NC_CHECK(getaddrinfo, name) = {					\
		__VA_ARGS__,						\
		NC_CASES(table),					\
		.run = getaddrinfo_gives,				\
		.deadline_ms = deadline,				\
	}

GIVES_CHECK(resolves, resolve_cases, 5000,
	.summary = "getaddrinfo() returns 0 and the host's addresses with the service's port, from the hosts and services files and from DNS (CNAME, TC then TCP); hosts and services by name, alias and number; sin_zero, sin6_flowinfo and sin6_scope_id zero",
	.clauses = NC_CLAUSES("getaddrinfo-1", "getaddrinfo-2", "gai-1"),
	.covers = "form:v4,v6,mapped,official,alias,number,tcp,udp,any,no-hints boundary:0,1023,1024,65535 field:ai_family,ai_socktype,ai_protocol,ai_addrlen,sin_zero,sin6_flowinfo,sin6_scope_id");

GIVES_CHECK(hints, hint_cases, 5000,
	.beyond = "the document tables no AI_* flag nor hints field (only NI_* flags and EAI_* codes)",
	.summary = "getaddrinfo() honours ai_family, ai_socktype, ai_protocol and AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_V4MAPPED",
	.clauses = NC_CLAUSES("getaddrinfo-1", "getaddrinfo-2", "gai-1"),
	.covers = "form:v4,v6,mapped,passive,canonname,numerichost,numericserv,v4mapped");

GIVES_CHECK(ai_addrconfig, addrconfig_cases, 5000,
	.beyond = "the document tables no AI_* flag: AI_ADDRCONFIG is glibc's and POSIX's",
	.summary = "with AI_ADDRCONFIG on a host without IPv6 address getaddrinfo() returns no IPv6 address, and EAI_NONAME for AF_INET6",
	.clauses = NC_CLAUSES("getaddrinfo-1", "gai-1", "gai-eai-noname"),
	.scenario = "dns-v4only",
	.covers = "form:unspec,inet6");

/* One check per code of the document's table, so each names its clause. */
#define EAI_CHECK(code, clause, table, scn, covers_, what)		\
	GIVES_CHECK(code, table, 6000,					\
		.summary = what,					\
		.clauses = NC_CLAUSES(clause, "gai-1"),			\
		.scenario = scn,					\
		.covers = covers_)

EAI_CHECK(eai_again, "gai-eai-again", again_cases, NULL,
	  "form:servfail,refused",
	  "getaddrinfo() fails with EAI_AGAIN when the DNS server answers SERVFAIL or REFUSED");
EAI_CHECK(eai_again_timeout, "gai-eai-again", again_timeout_cases, "dns-drop",
	  "form:dropped",
	  "getaddrinfo() fails with EAI_AGAIN after the resolver's one-second timeout when the DNS server's port is dropped");
EAI_CHECK(eai_again_unreachable, "gai-eai-again", again_unreachable_cases, "dns-reject",
	  "form:port-unreachable",
	  "getaddrinfo() fails with EAI_AGAIN at once when the DNS server's port answers ICMP port unreachable");

GIVES_CHECK(partial_answer, partial_cases, 6000,
	.summary = "the DNS server answers A and drops AAAA: AF_UNSPEC gives the IPv4 address after the AAAA query's timeout, AF_INET at once, AF_INET6 EAI_AGAIN at the timeout",
	.clauses = NC_CLAUSES("getaddrinfo-1", "gai-1", "gai-eai-again"),
	.covers = "form:unspec,inet,inet6");

EAI_CHECK(eai_badflags, "gai-eai-badflags", badflags_cases, NULL,
	  "form:unknown-flag,canonname-without-host",
	  "getaddrinfo() fails with EAI_BADFLAGS for an unknown flag and for AI_CANONNAME without a host name");
EAI_CHECK(eai_fail, "gai-eai-fail", fail_cases, NULL,
	  "form:formerr",
	  "getaddrinfo() fails with EAI_FAIL when the DNS server answers FORMERR (a non-recoverable error)");
EAI_CHECK(eai_family, "gai-eai-family", family_cases, NULL,
	  "form:unknown-family,local",
	  "getaddrinfo() fails with EAI_FAMILY for an unknown ai_family and for AF_UNIX");
EAI_CHECK(eai_memory, "gai-eai-memory", memory_cases, NULL,
	  "form:rlimit-as",
	  "getaddrinfo() fails with EAI_MEMORY when malloc() fails (address space limited by RLIMIT_AS)");
EAI_CHECK(eai_noname, "gai-eai-noname", noname_cases, NULL,
	  "form:nxdomain,nodata,other-family,no-host-no-service,numerichost,numericserv",
	  "getaddrinfo() fails with EAI_NONAME for NXDOMAIN, a name without addresses, no host and no service, and a name or service name with AI_NUMERICHOST or AI_NUMERICSERV");
EAI_CHECK(eai_service, "gai-eai-service", service_cases, NULL,
	  "form:unknown,other-socktype,elsewhere boundary:65536",
	  "getaddrinfo() fails with EAI_SERVICE for a service unknown for the socket type");
EAI_CHECK(eai_socktype, "gai-eai-socktype", socktype_cases, NULL,
	  "form:unknown,dgram-tcp",
	  "getaddrinfo() fails with EAI_SOCKTYPE for an unknown ai_socktype or one that does not fit ai_protocol");
EAI_CHECK(eai_system, "gai-eai-system", system_cases, NULL,
	  "form:emfile",
	  "getaddrinfo() fails with EAI_SYSTEM and errno EMFILE when no descriptor is left for the hosts file and the DNS socket");

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
		NC_EXPECT_INT("sin_port (network order) against getservbyname()'s s_port",
			      port, s_port);
	}
	/* Both keep the DNS answer's order; neither sorts IPv4 addresses here. */
	NC_EXPECT_STR("addresses (gethostbyname() against getaddrinfo())", by_gai,
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

/* Results are held many at a time, so what each takes stands out; the
 * allowance is for state a resolver keeps between calls. */
#define HELD_RESULTS 64
#define FREE_ROUNDS 200
#define HEAP_NOISE_BYTES 2048

static const struct heap_case {
	const char *name;
	const char *host;
} heap_cases[] = {
	{ "files", "files-host.example.test" },
	{ "dns", "www.example.test" },
};

static void freeaddrinfo_releases_all(const struct nc_case_ctx *ctx)
{
	const struct heap_case *c = ctx->data;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_CANONNAME };
	struct addrinfo *held[HELD_RESULTS];
	struct nc_resolver resolver;
	long before, holding, released, after;
	size_t n_results = 0;
	int code;

	world_enter(ctx, &world_loopback, &resolver);
	/* The first call loads nsswitch.conf and resolv.conf, once. */
	code = getaddrinfo(c->host, "http", &hints, &held[0]);
	if (code != 0)
		nc_fatal("getaddrinfo(%s) = %s", c->host, nc_eai_name(code));
	freeaddrinfo(held[0]);

	before = nc_heap_in_use();
	for (int i = 0; i < HELD_RESULTS; i++) {
		code = getaddrinfo(c->host, "http", &hints, &held[i]);
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

		code = getaddrinfo(c->host, "http", &hints, &res);
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
	.summary = "getaddrinfo()'s result list is on the heap, and freeaddrinfo() releases all of it: no heap growth over 200 rounds",
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
