/* getaddrinfo() asked a case's question (suite/getaddrinfo_gives.h): as it
 * is, with no descriptor left, or with no heap left. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "getaddrinfo_gives.h"
#include "resolver_world.h"
#include "sanitizer.h"

static void touch_stack(void)
{
	volatile char pages[256 * 1024];

	for (size_t i = 0; i < sizeof(pages); i += 4096)
		pages[i] = 1;
}

/* How a case's question is asked: the call timed by watch, its result in
 * *res, its errno in *err; returns its code. */
typedef int ask_fn(const struct gai_case *c, const struct addrinfo *hints, struct addrinfo **res,
		   int *err, struct nc_stopwatch *watch);

static int ask_as_is(const struct gai_case *c, const struct addrinfo *hints,
		     struct addrinfo **res, int *err, struct nc_stopwatch *watch)
{
	int code;

	nc_stopwatch_start(watch);
	code = getaddrinfo(c->host, c->service, c->no_hints ? NULL : hints, res);
	nc_stopwatch_stop(watch);
	*err = 0;
	return code;
}

/* In a child: the address space limited to what is mapped now, the heap
 * eaten up, then the call.  Returns its code (no result: it stays in the
 * child). */
static int ask_without_memory(const struct gai_case *c, const struct addrinfo *hints,
			      struct addrinfo **res, int *err, struct nc_stopwatch *watch)
{
	int pipe_fds[2], code = -1, status;
	pid_t pid;

	*res = NULL;
	*err = 0;
	nc_stopwatch_start(watch);
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
	nc_stopwatch_stop(watch);
	if (code == -1)		/* -1 is also EAI_BADFLAGS */
		nc_fatal("the child calling getaddrinfo() under RLIMIT_AS died");
	return code;
}

/* Lowers the soft RLIMIT_NOFILE to the lowest free descriptor, calls, and
 * raises it again.  *err gets the call's errno. */
static int ask_without_fds(const struct gai_case *c, const struct addrinfo *hints,
			   struct addrinfo **res, int *err, struct nc_stopwatch *watch)
{
	struct rlimit saved, limited;
	struct addrinfo *warm = NULL;
	int lowest_free, code;

	/* nsswitch.conf and resolv.conf are read now, with descriptors. */
	if (getaddrinfo("localhost", NULL, hints, &warm) == 0)
		freeaddrinfo(warm);
	nc_stopwatch_start(watch);
	lowest_free = NC_ASSERT_FD(dup(2));
	close(lowest_free);
	NC_ASSERT_SYS(getrlimit(RLIMIT_NOFILE, &saved));
	limited = saved;
	limited.rlim_cur = (rlim_t)lowest_free;
	NC_ASSERT_SYS(setrlimit(RLIMIT_NOFILE, &limited));
	errno = 0;
	code = getaddrinfo(c->host, c->service, hints, res);
	*err = errno;
	NC_ASSERT_SYS(setrlimit(RLIMIT_NOFILE, &saved));
	nc_stopwatch_stop(watch);
	return code;
}

static void gives(const struct nc_case_ctx *ctx, ask_fn *ask)
{
	const struct gai_case *c = ctx->data;
	struct addrinfo hints = {
		.ai_family = c->family, .ai_socktype = c->socktype,
		.ai_protocol = c->protocol, .ai_flags = c->flags,
	};
	struct addrinfo *res = NULL;
	struct nc_resolver resolver;
	struct nc_dns_stats stats;
	struct nc_stopwatch watch;
	char got[1024];
	int code, err;

	world_enter(ctx, ctx->net ? &world_ns : &world_loopback, &resolver);
	code = ask(c, &hints, &res, &err, &watch);
	nc_dns_server_stats(&resolver.dns, &stats);

	NC_EXPECT_EAI("eai", code, c->want_eai);
	if (c->want_eai == EAI_SYSTEM && code == EAI_SYSTEM)
		NC_EXPECT_STR("errno", nc_errno_name(err), "EMFILE");
	if (c->no_dns || c->asks_dns)
		world_expect_dns_queries(&stats, c->asks_dns);
	else
		nc_observe("dns_queries", "%u", stats.udp_queries + stats.tcp_queries);
	if (c->aaaa_queries) {
		unsigned aaaa = 0;

		for (uint32_t i = 0; i < stats.logged && i < NC_DNS_LOG_MAX; i++)
			aaaa += stats.log[i].qtype == NC_DNS_TYPE_AAAA;
		NC_EXPECT_INT(NC_KEY(AAAA_queries, "AAAA queries (attempts:1)"),
			      aaaa, c->aaaa_queries);
	}
	if (c->max_ms && c->min_ms == 0)	/* at once: before the resolver's timeout */
		NC_EXPECT_AT_ONCE("elapsed_ms", &watch, c->max_ms, WORLD_TIMEOUT_MS);
	else if (c->max_ms)
		NC_EXPECT_ELAPSED("elapsed_ms", &watch, c->min_ms, c->max_ms);
	else
		nc_observe("elapsed_ms", "%ld", watch.ms);
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

void getaddrinfo_gives(const struct nc_case_ctx *ctx)
{
	gives(ctx, ask_as_is);
}

void getaddrinfo_without_fds_gives(const struct nc_case_ctx *ctx)
{
	gives(ctx, ask_without_fds);
}

void getaddrinfo_without_memory_gives(const struct nc_case_ctx *ctx)
{
#ifdef NC_ASAN
	nc_skip("EAI_MEMORY needs malloc() to fail under RLIMIT_AS; AddressSanitizer reserves terabytes of shadow memory, so the limit cannot be set");
#endif
	gives(ctx, ask_without_memory);
}
