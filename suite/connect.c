/* connect(): how the attempt ends (document section "connect()"). */
#include <errno.h>
#include <sys/socket.h>
#include <time.h>

#include "check.h"
#include "sockaddr.h"

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static const struct connect_case {
	const char *name;
	const char *peer;		/* "addr:port" inside the check's sandbox */
	int want_errno;
} loopback_refused_cases[] = {
	{ "ipv4", "127.0.0.1:9", ECONNREFUSED },
	{ "ipv6", "[::1]:9",     ECONNREFUSED },
};

static void connect_fails_with(const struct nc_case_ctx *ctx)
{
	const struct connect_case *c = ctx->data;
	struct nc_sockaddr peer;
	struct timespec start;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	clock_gettime(CLOCK_MONOTONIC, &start);
	NC_EXPECT_ERRNO(connect(fd, &peer.sa, peer.len), c->want_errno, &peer);
	nc_observe("elapsed_ms", "%ld", elapsed_ms(&start));
	/* no close(): fd dies with the forked child */
}

NC_CHECK(connect_refused_loopback) = {
	.id = "connect.refused_loopback",
	.summary = "connect() to a port with no listener on loopback fails at once with ECONNREFUSED (RST)",
	.clauses = NC_CLAUSES("connect-5"),
	NC_CASES(loopback_refused_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
};
