/* connect() after a failed connect(): the socket is unusable; the next
 * address gets a new one (document section "connect()"). */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addresses.h"
#include "case_host.h"
#include "check.h"
#include "endpoint.h"
#include "host.h"
#include "net.h"
#include "sockaddr.h"

/* --- connect-7 and connect-8: after a failed connect() --- */

static const struct retry_case {
	const char *name;
	const char *dead;		/* refuses: no listener */
	const char *live;
} retry_cases[] = {
	{ "ipv4", "127.0.0.1:9", "127.0.0.1:4262" },
	{ "ipv6", "[::1]:9",     "[::1]:4262" },
};

/* A second connect() on a socket whose connect() failed, to a live
 * listener: the document says the socket is unusable. */
static void expect_second_connect_fails(int fd, const struct nc_sockaddr *live)
{
	int ret, err;

	errno = 0;
	ret = connect(fd, &live->sa, live->len);
	err = errno;
	nc_observe(NC_KEY(errno_of_the_second_connect, "errno of the second connect()"),
		   "%s", ret ? nc_errno_name(err) : "none");
	nc_observe(NC_STATE(client), "%s", nc_tcp_state_name(nc_tcp_state(fd)));
	NC_EXPECT_INT(NC_KEY(second_connect, "second connect() (the socket is unusable)"), ret, -1);
}

/* The document: a socket whose connect() failed is unusable, connect() may
 * not be called on it again.  Tried: a second connect() on it to a live
 * listener. */
static void connect_again_after_failure(const struct nc_case_ctx *ctx)
{
	const struct retry_case *c = ctx->data;
	struct nc_sockaddr dead, live;
	int listen_fd, fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->dead, &dead));
	NC_ASSERT_OK(nc_sockaddr_parse(c->live, &live));
	NC_ASSERT_OK(listen_fd = nc_listener(c->live, 8, 0, NULL));
	fd = NC_ASSERT_FD(socket(dead.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(connect(fd, &dead.sa, dead.len), ECONNREFUSED, &dead);
	expect_second_connect_fails(fd, &live);
	(void)listen_fd;
}

NC_CHECK(connect, again_after_failure) = {
	.summary = "a socket whose connect() failed (ECONNREFUSED) is unusable: a second connect() on it to a live listener fails",
	.clauses = NC_CLAUSES("connect-7"),
	NC_CASES(retry_cases),
	.run = connect_again_after_failure,
	.deadline_ms = 5000,
	.covers = "sequence:after-failure form:v4,v6",
	.capture = true,
};

static const struct retry_case timed_out_cases[] = {
	{ "ipv4", SERVER_V4 ":9", SERVER_V4 ":80" },
	{ "ipv6", SERVER_V6 ":9", SERVER_V6 ":80" },
};

/* Ends the attempt 1 s after the first SYN (one retransmission): the
 * check is about the socket after ETIMEDOUT, not about the timer. */
#define USER_TIMEOUT_MS 1000

/* The same after ETIMEDOUT: every SYN to port 9 is dropped. */
static void connect_again_after_timeout(const struct nc_case_ctx *ctx)
{
	const struct retry_case *c = ctx->data;
	struct nc_sockaddr dead, live;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->dead, &dead));
	NC_ASSERT_OK(nc_sockaddr_parse(c->live, &live));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(nc_listener(c->live, 8, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	fd = NC_ASSERT_FD(socket(dead.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_setsockopt_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS));
	NC_EXPECT_ERRNO(connect(fd, &dead.sa, dead.len), ETIMEDOUT, &dead);
	expect_second_connect_fails(fd, &live);
}

NC_CHECK(connect, again_after_timeout) = {
	.summary = "a socket whose connect() failed with ETIMEDOUT is unusable: a second connect() on it to a live listener fails",
	.clauses = NC_CLAUSES("connect-7"),
	.scenario = "connect-blackhole",
	NC_CASES(timed_out_cases),
	.run = connect_again_after_timeout,
	.deadline_ms = 5000,
	.longest_timer_ms = USER_TIMEOUT_MS,
	.covers = "sequence:after-failure form:v4,v6",
	.capture = true,
};

struct candidate {
	const char *addr;
	bool live;			/* a listener waits there */
};

static const struct address_list_case {
	const char *name;
	struct candidate candidates[5];	/* tried in order, ended by addr NULL */
	int first_live;
} address_list_cases[] = {
	{ "dead-dead-live-live", { { "127.0.0.1:9", false }, { "[::1]:9", false },
				   { "127.0.0.3:4263", true }, { "[::1]:4263", true } }, 2 },
	{ "live-first",          { { "[::1]:4263", true }, { "127.0.0.1:9", false } }, 0 },
	/* a live address right after a failure: no error carried over */
	{ "dead-live",           { { "127.0.0.1:9", false }, { "127.0.0.3:4263", true } }, 1 },
	{ "dead-live-ipv6",      { { "[::1]:9", false }, { "[::1]:4263", true } }, 1 },
};

/* The document's recipe for a host with several addresses: for each, socket()
 * and connect(); on failure close() and go on with a new socket; stop at the
 * first success. */
static void connect_address_list(const struct nc_case_ctx *ctx)
{
	const struct address_list_case *c = ctx->data;
	int connected_index = -1, failures = 0, fd = -1;
	char trail[512] = "";

	for (const struct candidate *k = c->candidates; k->addr; k++)
		if (k->live)
			NC_ASSERT_OK(nc_listener(k->addr, 8, 0, NULL));
	for (int i = 0; c->candidates[i].addr; i++) {
		const char *addr = c->candidates[i].addr;
		struct nc_sockaddr peer;

		NC_ASSERT_OK(nc_sockaddr_parse(addr, &peer));
		fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
		errno = 0;
		if (connect(fd, &peer.sa, peer.len) == 0) {
			snprintf(trail + strlen(trail), sizeof(trail) - strlen(trail), "%s ok", addr);
			connected_index = i;
			break;
		}
		snprintf(trail + strlen(trail), sizeof(trail) - strlen(trail), "%s %s, ",
			 addr, nc_errno_name(errno));
		failures++;
		close(fd);
	}
	nc_observe("attempts", "%s", trail);
	NC_EXPECT_INT(NC_KEY(index_of_the_address_connected_to,
			     "index of the address connected to"),
		      connected_index, c->first_live);
	NC_EXPECT_INT(NC_KEY(failed_attempts_before_it, "failed attempts before it"),
		      failures, c->first_live);
	if (connected_index >= 0)
		NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_ESTABLISHED);
}

NC_CHECK(connect, address_list) = {
	.summary = "trying addresses in turn (socket(), connect(), close() on failure) reaches the first live one after the dead ones",
	.clauses = NC_CLAUSES("connect-8"),
	NC_CASES(address_list_cases),
	.run = connect_address_list,
	.deadline_ms = 5000,
	.covers = "sequence:after-failure form:v4,v6",
	.capture = true,
};
