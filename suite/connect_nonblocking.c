/* connect() on a non-blocking socket (document section "connect()"): every
 * outcome the document names for a blocking connect() -- established, RST,
 * no answer, an ICMP error -- must reach a non-blocking caller too: connect()
 * fails at once with EINPROGRESS, poll() reports the socket writable when
 * the attempt ends (POLLERR as well when it failed), and SO_ERROR gives the
 * error once, then 0. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addresses.h"
#include "case_host.h"
#include "check.h"
#include "endpoint.h"
#include "icmp_arrival.h"
#include "net.h"
#include "sockaddr.h"
#include "timing.h"
#include "wait.h"

/* connect() itself, and an attempt on loopback: no timer, no answer
 * awaited but the kernel's own. */
#define AT_ONCE_MS 200
/* What "at once" rules out: a SYN retransmitted (the initial RTO). */
#define INITIAL_RTO_MS 1000
/* An attempt bounded to one SYN retransmission ends after 1 + 2 s. */
#define ATTEMPT_MS 3000
#define TIMER_SLACK_MS 100	/* a timer fires this much early at most */
#define TIMER_LATE_MS 600	/* and this much late, on a busy machine */
/* Longer than any attempt here, with room for a busy machine. */
#define SETTLE_MS 5000

static const struct nonblocking_case {
	const char *name;
	const char *listen_at;		/* a live listener here, or NULL */
	const char *peer;		/* what connect() is given */
	int want_errno;			/* SO_ERROR when it ends: 0 connected */
	bool at_timeout;		/* the attempt ends at its timeout, else at once */
	enum icmp_arrival icmp;		/* how its ICMP finds the socket; none: UNSEEN */
} loopback_cases[] = {
	{ "established-ipv4",   "127.0.0.1:4290", "127.0.0.1:4290",          0, false, ICMP_UNSEEN },
	{ "established-ipv6",   "[::1]:4290",     "[::1]:4290",              0, false, ICMP_UNSEEN },
	{ "established-mapped", "127.0.0.1:4290", "[::ffff:127.0.0.1]:4290", 0, false, ICMP_UNSEEN },
	{ "refused-ipv4",       NULL,             "127.0.0.1:9",             ECONNREFUSED, false, ICMP_UNSEEN },
	{ "refused-ipv6",       NULL,             "[::1]:9",                 ECONNREFUSED, false, ICMP_UNSEEN },
	{ "refused-mapped",     NULL,             "[::ffff:127.0.0.1]:9",    ECONNREFUSED, false, ICMP_UNSEEN },
}, blackhole_cases[] = {
	/* the scenario drops every SYN to port 9 and bounds the retries to 1 */
	{ "timeout-ipv4", SERVER_V4 ":9", SERVER_V4 ":9", ETIMEDOUT, true, ICMP_UNSEEN },
	{ "timeout-ipv6", SERVER_V6 ":9", SERVER_V6 ":9", ETIMEDOUT, true, ICMP_UNSEEN },
}, icmp_cases[] = {
	/* the server answers every SYN with ICMP host unreachable: a soft
	 * error, saved and given at the attempt's timeout (connect-6) */
	{ "host-unreach-ipv4", SERVER_V4 ":9", SERVER_V4 ":9", EHOSTUNREACH, true, ICMP_INSIDE },
	{ "host-unreach-ipv6", SERVER_V6 ":9", SERVER_V6 ":9", EHOSTUNREACH, true, ICMP_INSIDE },
}, icmp_far_cases[] = {
	/* the same server 20 ms away: its ICMP comes once connect() returned */
	{ "host-unreach-ipv4", SERVER_V4 ":9", SERVER_V4 ":9", EHOSTUNREACH, true, ICMP_LATE },
	{ "host-unreach-ipv6", SERVER_V6 ":9", SERVER_V6 ":9", EHOSTUNREACH, true, ICMP_LATE },
};

static int so_error(int fd)
{
	int value = -1;

	NC_ASSERT_OK(nc_getsockopt_int(fd, SOL_SOCKET, SO_ERROR, &value));
	return value;
}

static void connect_nonblocking(const struct nc_case_ctx *ctx)
{
	const struct nonblocking_case *c = ctx->data;
	struct nc_sockaddr peer, got_peer = { .len = sizeof(got_peer.ss) };
	struct nc_stopwatch connect_watch, attempt_watch;
	struct icmp_counts before, after;
	int fd = -1, revents, made = 0, err;
	enum icmp_arrival arrival;
	long ret;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	if (ctx->net)
		NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	if (c->listen_at)
		NC_ASSERT_OK(nc_listener(c->listen_at, 8, 0, NULL));
	if (ctx->net)
		NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	/* An attempt whose ICMP came otherwise than the case tests is made
	 * again (icmp_arrival.h), once it has ended: judged then, the counts
	 * say how its first ICMP found the socket. */
	do {
		if (made > 0)
			close(fd);
		fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
		/* the scenario's tcp_syn_retries 1 on the socket too: the same
		 * SYNs where the sysctl cannot be written (gVisor, NC_FORCE_MISSING) */
		if (ctx->net)
			NC_ASSERT_OK(nc_setsockopt_int(fd, IPPROTO_TCP, TCP_SYNCNT, 1));
		NC_ASSERT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
		icmp_count(&before, peer.sa.sa_family);
		/* both from connect(): the call's own time inside the attempt's */
		nc_stopwatch_start(&attempt_watch);
		connect_watch = attempt_watch;
		errno = 0;
		ret = connect(fd, &peer.sa, peer.len);
		err = errno;
		nc_stopwatch_stop_unrecorded(&connect_watch);
		revents = nc_wait_fd(fd, POLLOUT, SETTLE_MS);
		nc_stopwatch_stop_unrecorded(&attempt_watch);
		icmp_count(&after, peer.sa.sa_family);
		arrival = icmp_arrival(&before, &after);
		made++;
	} while (icmp_attempt_again(arrival, c->icmp, made));
	icmp_record_attempts(arrival, c->icmp, made);
	NC_EXPECT_ERRNO_KEPT("connect", ret, err, EINPROGRESS, &peer);
	NC_EXPECT_AT_ONCE("connect_elapsed_ms", &connect_watch, AT_ONCE_MS, INITIAL_RTO_MS);
	nc_stopwatch_record(&attempt_watch);
	NC_EXPECT_INT("POLLOUT", revents > 0 && (revents & POLLOUT), 1);
	if (c->at_timeout)
		NC_EXPECT_ELAPSED("elapsed_ms", &attempt_watch, ATTEMPT_MS - TIMER_SLACK_MS,
				  ATTEMPT_MS + TIMER_LATE_MS);
	else
		NC_EXPECT_AT_ONCE("elapsed_ms", &attempt_watch, AT_ONCE_MS, INITIAL_RTO_MS);
	NC_EXPECT_INT("POLLERR", revents > 0 && (revents & POLLERR), c->want_errno != 0);
	NC_EXPECT_STR("SO_ERROR", nc_errno_name(so_error(fd)), nc_errno_name(c->want_errno));
	NC_EXPECT_STR(NC_KEY(SO_ERROR_again, "SO_ERROR read again"),
		      nc_errno_name(so_error(fd)), nc_errno_name(0));
	if (c->want_errno) {
		NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_CLOSE);
		return;
	}
	NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_ESTABLISHED);
	NC_EXPECT_INT(NC_KEY(getpeername_return, "getpeername() return"),
		      getpeername(fd, &got_peer.sa, &got_peer.len), 0);
	NC_EXPECT_ADDR(NC_KEY(getpeername, "getpeername()"), &got_peer, &peer);
}

NC_CHECK(connect, nonblocking) = {
	.summary = "a non-blocking connect() fails at once with EINPROGRESS; poll() then reports it writable, and SO_ERROR is 0 (ESTABLISHED, to the address given, v4-mapped included) or ECONNREFUSED after an RST (with POLLERR), once: read again it is 0",
	.clauses = NC_CLAUSES("connect-3", "connect-5", "connect-1"),
	NC_CASES(loopback_cases),
	.run = connect_nonblocking,
	.deadline_ms = 5000,
	.covers = "mode:nonblocking form:v4,v6,mapped",
	.capture = true,
};

NC_CHECK(connect, nonblocking_timeout) = {
	.summary = "a non-blocking connect() whose SYNs go unanswered: EINPROGRESS at once, writable with POLLERR when the 3 s attempt times out, SO_ERROR ETIMEDOUT once",
	.clauses = NC_CLAUSES("connect-4", "connect-3"),
	.scenario = "connect-blackhole",
	NC_CASES(blackhole_cases),
	.run = connect_nonblocking,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_MS,
	.covers = "mode:nonblocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, nonblocking_icmp) = {
	.summary = "a non-blocking connect() answered by ICMP host unreachable: EINPROGRESS at once; the soft error saved, the socket writable with POLLERR and SO_ERROR EHOSTUNREACH (once) only when the 3 s attempt times out",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-icmp-host-unreach",
	NC_CASES(icmp_cases),
	.run = connect_nonblocking,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_MS,
	.covers = "mode:nonblocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, nonblocking_icmp_far) = {
	.summary = "a non-blocking connect() answered by ICMP host unreachable from 20 ms away (netem), the ICMP coming once connect() returned: EINPROGRESS at once; the soft error saved, the socket writable with POLLERR and SO_ERROR EHOSTUNREACH (once) only when the 3 s attempt times out",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-icmp-host-unreach-far",
	NC_CASES(icmp_far_cases),
	.run = connect_nonblocking,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_MS,
	.covers = "mode:nonblocking form:v4,v6",
	.capture = true,
};
