/* connect(): how the attempt ends (document section "connect()"). */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case_host.h"
#include "check.h"
#include "endpoint.h"
#include "host.h"
#include "net.h"
#include "net_fault.h"
#include "sockaddr.h"
#include "wait.h"

/* --- connect-5: RST --- */

static const struct connect_case {
	const char *name;
	const char *peer;		/* "addr:port" inside the check's sandbox */
	int want_errno;
} loopback_refused_cases[] = {
	{ "ipv4", "127.0.0.1:9", ECONNREFUSED },
	{ "ipv6", "[::1]:9",     ECONNREFUSED },
}, rejected_cases[] = {
	{ "ipv4", "198.18.0.2:9",    ECONNREFUSED },
	{ "ipv6", "[2001:db8::2]:9", ECONNREFUSED },
};

/* "马上返回": an answer (RST, a route) ends connect() with no timer
 * involved; the bound leaves room for a busy machine, none for a retry. */
#define AT_ONCE_MS 200

static void connect_fails_with(const struct nc_case_ctx *ctx)
{
	const struct connect_case *c = ctx->data;
	struct nc_sockaddr peer;
	struct timespec start;
	int fd;

	if (ctx->net)
		NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	nc_clock_start(&start);
	NC_EXPECT_ERRNO(connect(fd, &peer.sa, peer.len), c->want_errno, &peer);
	NC_EXPECT_MAX("elapsed_ms", nc_elapsed_ms(&start), AT_ONCE_MS);
	/* no close(): fd dies with the forked child */
}

NC_CHECK(connect, refused_loopback) = {
	.summary = "connect() to a port with no listener on loopback fails at once with ECONNREFUSED (RST)",
	.clauses = NC_CLAUSES("connect-5"),
	NC_CASES(loopback_refused_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
};

NC_CHECK(connect, refused_reject) = {
	.summary = "connect() whose SYN a REJECT --reject-with tcp-reset answers fails at once with ECONNREFUSED",
	.clauses = NC_CLAUSES("connect-5", "connect-3"),
	.scenario = "connect-refused",
	NC_CASES(rejected_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
};

/* --- connect-4 and connect-6: SYNs unanswered, or answered by ICMP --- */

enum syn_bound { BY_SYSCTL, BY_TCP_SYNCNT };

static const struct unanswered_case {
	const char *name;
	const char *peer;
	enum syn_bound bound;		/* what limits the SYN retransmissions to 1 */
	int want_errno;
} blackhole_cases[] = {
	{ "ipv4-tcp_syn_retries", "198.18.0.2:9",    BY_SYSCTL,     ETIMEDOUT },
	{ "ipv4-TCP_SYNCNT",      "198.18.0.2:9",    BY_TCP_SYNCNT, ETIMEDOUT },
	{ "ipv6-tcp_syn_retries", "[2001:db8::2]:9", BY_SYSCTL,     ETIMEDOUT },
	{ "ipv6-TCP_SYNCNT",      "[2001:db8::2]:9", BY_TCP_SYNCNT, ETIMEDOUT },
}, host_unreach_cases[] = {
	{ "ipv4", "198.18.0.2:9",    BY_SYSCTL, EHOSTUNREACH },
	{ "ipv6", "[2001:db8::2]:9", BY_SYSCTL, EHOSTUNREACH },
}, net_unreach_cases[] = {
	{ "ipv4", "198.18.0.2:9",    BY_SYSCTL, ENETUNREACH },
	{ "ipv6", "[2001:db8::2]:9", BY_SYSCTL, ENETUNREACH },
};

/* The scenario's fault on s that meets the SYNs. */
#define SYN_FAULT "port-9"
/* One retransmission: connect() gives up 1 + 2 s after the first SYN. */
#define SYN_RETRIES "1"
#define SYNS_AT_LEAST 2
#define ATTEMPT_TIMEOUT_MS 3000
/* Timers fire a little early or late: what "at the timeout" tolerates. */
#define TIMER_SLACK_MS 100

/* Runs connect() with the SYN retransmissions bounded to one and reports how
 * it ended: errno, elapsed_ms, and the SYNs the server-side rule met. */
static void connect_with_syns_unanswered(const struct nc_case_ctx *ctx, int *errno_out,
					 long *elapsed_out, uint64_t *syns_out)
{
	const struct unanswered_case *c = ctx->data;
	struct nc_host *client = nc_ctx_host(ctx, "c");
	struct nc_sockaddr peer;
	struct timespec start;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	/* The socket option must bound the attempt alone: lift the sysctl. */
	NC_ASSERT_OK(nc_sysctl_set(client, "net.ipv4.tcp_syn_retries",
				   c->bound == BY_SYSCTL ? SYN_RETRIES : "6"));
	NC_ASSERT_OK(nc_host_enter(client));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	if (c->bound == BY_TCP_SYNCNT)
		NC_ASSERT_OK(nc_setsockopt_int(fd, IPPROTO_TCP, TCP_SYNCNT, 1));
	nc_clock_start(&start);
	NC_EXPECT_ERRNO(connect(fd, &peer.sa, peer.len), c->want_errno, &peer);
	*errno_out = errno;
	*elapsed_out = nc_elapsed_ms(&start);
	NC_ASSERT_OK(nc_fault_packets(ctx->net, SYN_FAULT, syns_out));
	nc_observe("elapsed_ms", "%ld", *elapsed_out);
	nc_observe("syns", "%llu", (unsigned long long)*syns_out);
}

/* No answer to any SYN (connect-4), or an ICMP destination unreachable,
 * which the document calls a soft error (connect-6): either way the SYN is
 * sent again, and connect() fails only when the attempt times out (1 + 2 s
 * with one retransmission), with ETIMEDOUT or the saved error. */
static void connect_fails_at_timeout(const struct nc_case_ctx *ctx)
{
	uint64_t syns;
	long elapsed;
	int err;

	connect_with_syns_unanswered(ctx, &err, &elapsed, &syns);
	NC_EXPECT_MIN("syns", syns, SYNS_AT_LEAST);
	NC_EXPECT_MIN("elapsed_ms", elapsed, ATTEMPT_TIMEOUT_MS - TIMER_SLACK_MS);
}

NC_CHECK(connect, timeout) = {
	.summary = "connect() whose SYNs are all dropped fails with ETIMEDOUT after the retransmissions (bounded by tcp_syn_retries or TCP_SYNCNT)",
	.clauses = NC_CLAUSES("connect-4", "connect-3"),
	.scenario = "connect-blackhole",
	NC_CASES(blackhole_cases),
	.run = connect_fails_at_timeout,
	.deadline_ms = 8000,
};

NC_CHECK(connect, icmp_host_unreach) = {
	.summary = "an ICMP host-unreachable answer to the SYN is a soft error: SYNs go on, connect() fails with EHOSTUNREACH when it times out",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-icmp-host-unreach",
	NC_CASES(host_unreach_cases),
	.run = connect_fails_at_timeout,
	.deadline_ms = 8000,
};

NC_CHECK(connect, icmp_net_unreach) = {
	.summary = "an ICMP net-unreachable answer to the SYN is a soft error: SYNs go on, connect() fails with ENETUNREACH when it times out",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-icmp-net-unreach",
	NC_CASES(net_unreach_cases),
	.run = connect_fails_at_timeout,
	.deadline_ms = 8000,
};

/* --- routes of the client: no SYN leaves at all --- */

static const struct connect_case no_route_cases[] = {
	{ "ipv4", "203.0.113.9:9",    ENETUNREACH },
	{ "ipv6", "[2001:db8:113::9]:9", ENETUNREACH },
}, unreachable_route_cases[] = {
	{ "ipv4", "203.0.113.9:9",    EHOSTUNREACH },
	{ "ipv6", "[2001:db8:113::9]:9", EHOSTUNREACH },
}, prohibit_route_cases[] = {
	{ "ipv4", "203.0.113.9:9",    EACCES },
	{ "ipv6", "[2001:db8:113::9]:9", EACCES },
};

NC_CHECK(connect, no_route) = {
	.summary = "connect() to a destination the client has no route to fails at once with ENETUNREACH",
	.clauses = NC_CLAUSES("connect-3"),
	.scenario = "connect-no-route",
	NC_CASES(no_route_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
};

NC_CHECK(connect, unreachable_route) = {
	.summary = "connect() to a destination under an `unreachable` route fails at once with EHOSTUNREACH",
	.clauses = NC_CLAUSES("connect-3"),
	.scenario = "connect-unreachable-route",
	NC_CASES(unreachable_route_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
};

NC_CHECK(connect, prohibit_route) = {
	.summary = "connect() to a destination under a `prohibit` route fails at once with EACCES",
	.clauses = NC_CLAUSES("connect-3"),
	.scenario = "connect-prohibit-route",
	NC_CASES(prohibit_route_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
};

/* --- connect-3: blocking until the handshake completes --- */

static const struct delayed_case {
	const char *name;
	const char *peer;
	long rtt_ms;			/* the scenario's netem delay, one way */
} delayed_cases[] = {
	{ "ipv4", "198.18.0.2:80",    100 },
	{ "ipv6", "[2001:db8::2]:80", 100 },
};

/* netem delays c's packets: a blocking connect() returns no earlier than one
 * round trip, and returns with the connection ESTABLISHED. */
static void connect_blocks_until_established(const struct nc_case_ctx *ctx)
{
	const struct delayed_case *c = ctx->data;
	struct nc_sockaddr peer;
	struct timespec start;
	long elapsed;
	int listen_fd, fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	nc_clock_start(&start);
	NC_EXPECT_INT("connect() return", connect(fd, &peer.sa, peer.len), 0);
	elapsed = nc_elapsed_ms(&start);
	NC_EXPECT_MIN("elapsed_ms", elapsed, c->rtt_ms);
	NC_EXPECT_STATE("state", nc_tcp_state(fd), TCP_ESTABLISHED);
	(void)listen_fd;
}

NC_CHECK(connect, blocks_until_established) = {
	.summary = "with netem delaying the path by 100 ms, a blocking connect() returns after at least one round trip, ESTABLISHED",
	.clauses = NC_CLAUSES("connect-3", "handshake-3"),
	.scenario = "connect-netem-delay",
	NC_CASES(delayed_cases),
	.run = connect_blocks_until_established,
	.deadline_ms = 5000,
};

/* --- connect-1 and connect-2: which address, from which address --- */

static const struct addressed_case {
	const char *name;
	const char *target;		/* the listener connect() names */
	const char *decoy;		/* same host, another address or port */
	socklen_t short_len;		/* an addrlen too short for the family */
} addressed_cases[] = {
	{ "ipv4", "127.0.0.2:4260", "127.0.0.1:4260", sizeof(struct sockaddr_in) - 1 },
	/* Linux takes 24 bytes (RFC 2133's sockaddr_in6, without scope id) */
	{ "ipv6", "[::1]:4260",     "[::1]:4261",     24 - 1 },
};

/* The connection is made to exactly the address and port in addr, whose
 * size addrlen gives (a short addrlen is EINVAL). */
static void connect_reaches_named_address(const struct nc_case_ctx *ctx)
{
	const struct addressed_case *c = ctx->data;
	struct nc_sockaddr target, peer, accepted_local;
	int listen_fd, decoy_fd, client, server;

	NC_ASSERT_OK(nc_sockaddr_parse(c->target, &target));
	NC_ASSERT_OK(listen_fd = nc_listener(c->target, 8, 0, NULL));
	NC_ASSERT_OK(decoy_fd = nc_listener(c->decoy, 8, 0, NULL));
	NC_ASSERT_OK(nc_connection(listen_fd, &target, &client, &server));
	NC_ASSERT_OK(nc_sockaddr_peer(client, &peer));
	NC_ASSERT_OK(nc_sockaddr_local(server, &accepted_local));
	NC_EXPECT_ADDR("getpeername of the client", &peer, &target);
	NC_EXPECT_ADDR("getsockname of the accepted socket", &accepted_local, &target);
	NC_EXPECT_INT("poll(decoy listener, POLLIN)", nc_wait_fd(decoy_fd, POLLIN, 0), -ETIMEDOUT);

	client = NC_ASSERT_FD(socket(target.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(connect(client, &target.sa, c->short_len), EINVAL, &target);
}

NC_CHECK(connect, named_address) = {
	.summary = "connect() reaches the listener at exactly the address and port of addr (not a neighbour's); an addrlen shorter than the family's address is EINVAL",
	.clauses = NC_CLAUSES("connect-1"),
	NC_CASES(addressed_cases),
	.run = connect_reaches_named_address,
	.deadline_ms = 5000,
};

static const struct ephemeral_case {
	const char *name;
	const char *peer;		/* s, across the link */
	const char *want_source;	/* c's address on that link, port 0 */
} ephemeral_cases[] = {
	{ "ipv4", "198.18.0.2:80",    "198.18.0.1" },
	{ "ipv6", "[2001:db8::2]:80", "[2001:db8::1]" },
};

/* A narrow range, so that a port inside it is not a coincidence. */
#define PORT_LOW 40000
#define PORT_HIGH 40009
#define PORT_RANGE "40000 40009"

/* Without bind(), connect() gives the socket the address of the outgoing
 * interface and an ephemeral port from net.ipv4.ip_local_port_range. */
static void connect_picks_source(const struct nc_case_ctx *ctx)
{
	const struct ephemeral_case *c = ctx->data;
	struct nc_host *client_host = nc_ctx_host(ctx, "c");
	struct nc_sockaddr peer, want_source, before, source;
	int listen_fd, fd, port;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_sockaddr_parse(c->want_source, &want_source));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_sysctl_set(client_host, "net.ipv4.ip_local_port_range", PORT_RANGE));
	NC_ASSERT_OK(nc_host_enter(client_host));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &before));
	nc_observe("getsockname before connect()", "%s",
		   nc_sockaddr_str(&before, (char[NC_SOCKADDR_STRLEN]){ 0 }, NC_SOCKADDR_STRLEN));
	NC_ASSERT_SYS(connect(fd, &peer.sa, peer.len));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &source));
	port = nc_sockaddr_port(&source);
	nc_sockaddr_set_port(&source, 0);
	NC_EXPECT_ADDR("source address", &source, &want_source);
	NC_EXPECT_RANGE("source port", port, PORT_LOW, PORT_HIGH);
	(void)listen_fd;
}

NC_CHECK(connect, picks_source) = {
	.summary = "without bind(), connect() takes the outgoing interface's address and an ephemeral port inside ip_local_port_range",
	.clauses = NC_CLAUSES("connect-2"),
	.scenario = "two-hosts",
	NC_CASES(ephemeral_cases),
	.run = connect_picks_source,
	.deadline_ms = 5000,
};

/* --- connect-7 and connect-8: after a failed connect() --- */

static const struct retry_case {
	const char *name;
	const char *dead;		/* refuses: no listener */
	const char *live;
} retry_cases[] = {
	{ "ipv4", "127.0.0.1:9", "127.0.0.1:4262" },
	{ "ipv6", "[::1]:9",     "[::1]:4262" },
};

/* The document: a socket whose connect() failed is unusable, connect() may
 * not be called on it again.  Tried: a second connect() on it to a live
 * listener. */
static void connect_again_after_failure(const struct nc_case_ctx *ctx)
{
	const struct retry_case *c = ctx->data;
	struct nc_sockaddr dead, live;
	int listen_fd, fd, ret, err;

	NC_ASSERT_OK(nc_sockaddr_parse(c->dead, &dead));
	NC_ASSERT_OK(nc_sockaddr_parse(c->live, &live));
	NC_ASSERT_OK(listen_fd = nc_listener(c->live, 8, 0, NULL));
	fd = NC_ASSERT_FD(socket(dead.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(connect(fd, &dead.sa, dead.len), ECONNREFUSED, &dead);

	errno = 0;
	ret = connect(fd, &live.sa, live.len);
	err = errno;
	nc_observe("errno of the second connect()", "%s", ret ? nc_errno_name(err) : "none");
	nc_observe("state", "%s", nc_tcp_state_name(nc_tcp_state(fd)));
	NC_EXPECT_INT("second connect() (the socket is unusable)", ret, -1);
	(void)listen_fd;
}

NC_CHECK(connect, again_after_failure) = {
	.summary = "a socket whose connect() failed (ECONNREFUSED) is unusable: a second connect() on it to a live listener fails",
	.clauses = NC_CLAUSES("connect-7"),
	NC_CASES(retry_cases),
	.run = connect_again_after_failure,
	.deadline_ms = 5000,
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
	NC_EXPECT_INT("index of the address connected to", connected_index, c->first_live);
	NC_EXPECT_INT("failed attempts before it", failures, c->first_live);
	if (connected_index >= 0)
		NC_EXPECT_STATE("state", nc_tcp_state(fd), TCP_ESTABLISHED);
}

NC_CHECK(connect, address_list) = {
	.summary = "trying addresses in turn (socket(), connect(), close() on failure) reaches the first live one after the dead ones",
	.clauses = NC_CLAUSES("connect-8"),
	NC_CASES(address_list_cases),
	.run = connect_address_list,
	.deadline_ms = 5000,
};
