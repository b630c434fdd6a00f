/* connect(): how the attempt ends (document section "connect()"). */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addresses.h"
#include "case_host.h"
#include "check.h"
#include "clock.h"
#include "endpoint.h"
#include "host.h"
#include "icmp_arrival.h"
#include "net.h"
#include "net_fault.h"
#include "sockaddr.h"
#include "strnum.h"
#include "wait.h"

/* --- connect-5: RST --- */

static const struct connect_case {
	const char *name;
	const char *peer;		/* "addr:port" inside the check's sandbox */
	int want_errno;
	const char *answer;		/* the server's fault that answers the SYN, or NULL */
} loopback_refused_cases[] = {
	{ "ipv4", "127.0.0.1:9", ECONNREFUSED, NULL },
	{ "ipv6", "[::1]:9",     ECONNREFUSED, NULL },
}, rejected_cases[] = {
	{ "ipv4", SERVER_V4 ":9", ECONNREFUSED, "port-9" },
	{ "ipv6", SERVER_V6 ":9", ECONNREFUSED, "port-9" },
};

/* "马上返回": an answer (RST, a route) ends connect() with no timer
 * involved; the bound leaves room for a busy machine, none for a retry. */
#define AT_ONCE_MS 200
/* The first SYN's retransmission comes one initial RTO (1 s) later: what
 * "at once" rules out. */
#define INITIAL_RTO_MS 1000

static void connect_fails_with(const struct nc_case_ctx *ctx)
{
	const struct connect_case *c = ctx->data;
	struct nc_sockaddr peer;
	struct nc_stopwatch watch;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	if (c->answer) {
		/* A live listener behind the rule: the refusal is the rule's. */
		NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
		NC_ASSERT_OK(nc_listener(c->peer, 8, 0, NULL));
	}
	if (ctx->net)
		NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	nc_stopwatch_start(&watch);
	NC_EXPECT_ERRNO(connect(fd, &peer.sa, peer.len), c->want_errno, &peer);
	nc_stopwatch_stop(&watch);
	NC_EXPECT_AT_ONCE("elapsed_ms", &watch, AT_ONCE_MS, INITIAL_RTO_MS);
	if (c->answer) {
		uint64_t answered;

		/* one SYN, answered once: no retransmission before the error */
		NC_ASSERT_OK(nc_fault_packets(ctx->net, c->answer, &answered));
		NC_EXPECT_INT(NC_KEY(SYNs_the_rule_answered, "SYNs the rule answered"),
			      answered, 1);
	}
	/* no close(): fd dies with the forked child */
}

NC_CHECK(connect, refused_loopback) = {
	.summary = "connect() to a port with no listener on loopback fails at once with ECONNREFUSED (RST)",
	.clauses = NC_CLAUSES("connect-5"),
	NC_CASES(loopback_refused_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, refused_reject) = {
	.summary = "connect() whose one SYN a REJECT --reject-with tcp-reset answers (a listener behind it) fails at once with ECONNREFUSED",
	.clauses = NC_CLAUSES("connect-5", "connect-3"),
	.scenario = "connect-refused",
	NC_CASES(rejected_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

/* --- connect-4 and connect-6: SYNs unanswered, or answered by ICMP --- */

/* BY_EITHER: the sysctl, or TCP_SYNCNT where the sysctl cannot be written
 * (gVisor): either sends the same SYNs. */
enum syn_bound { BY_SYSCTL, BY_TCP_SYNCNT, BY_EITHER };

static const struct unanswered_case {
	const char *name;
	const char *peer;
	enum syn_bound bound;		/* what limits the SYN retransmissions to 1 */
	int want_errno;
} blackhole_cases[] = {
	{ "ipv4-tcp_syn_retries", SERVER_V4 ":9", BY_SYSCTL,     ETIMEDOUT },
	{ "ipv4-TCP_SYNCNT",      SERVER_V4 ":9", BY_TCP_SYNCNT, ETIMEDOUT },
	{ "ipv6-tcp_syn_retries", SERVER_V6 ":9", BY_SYSCTL,     ETIMEDOUT },
	{ "ipv6-TCP_SYNCNT",      SERVER_V6 ":9", BY_TCP_SYNCNT, ETIMEDOUT },
}, host_unreach_cases[] = {
	{ "ipv4", SERVER_V4 ":9", BY_EITHER, EHOSTUNREACH },
	{ "ipv6", SERVER_V6 ":9", BY_EITHER, EHOSTUNREACH },
}, net_unreach_cases[] = {
	{ "ipv4", SERVER_V4 ":9", BY_EITHER, ENETUNREACH },
	{ "ipv6", SERVER_V6 ":9", BY_EITHER, ENETUNREACH },
};

/* The scenario's fault on s that meets the SYNs. */
#define SYN_FAULT "port-9"
/* One retransmission: connect() gives up 1 + 2 s after the first SYN. */
#define SYN_RETRIES "1"
#define ATTEMPT_TIMEOUT_MS 3000
/* Timers fire a little early or late: what "at the timeout" tolerates. */
#define TIMER_SLACK_MS 100
/* ... and how late a busy machine may be when the timer has fired. */
#define TIMER_LATE_MS 600

/* Bounds fd's attempt to one retransmission by TCP_SYNCNT unless the
 * client's tcp_syn_retries already does (the scenario's sysctl, where this
 * system lets it be written). */
static int bound_unless_sysctl(struct nc_host *client, int fd)
{
	char retries[16];

	if (nc_sysctl_get(client, "net.ipv4.tcp_syn_retries", retries, sizeof(retries)) == 0 &&
	    strcmp(retries, SYN_RETRIES) == 0)
		return 0;
	nc_observe(NC_KEY(SYN_retransmissions_bounded_by, "SYN retransmissions bounded by"),
		   "TCP_SYNCNT");
	return nc_setsockopt_int(fd, IPPROTO_TCP, TCP_SYNCNT, 1);
}

/* The client's tcp_syn_retries for a case bounded by bound.  With
 * TCP_SYNCNT the option must bound the attempt alone: the sysctl is lifted.
 * Where it cannot be written, only the case of the sysctl itself needs it. */
static int set_syn_retries(struct nc_host *client, enum syn_bound bound)
{
	int err = nc_sysctl_set(client, "net.ipv4.tcp_syn_retries",
				bound == BY_TCP_SYNCNT ? "6" : SYN_RETRIES);

	return err == -EOPNOTSUPP && bound != BY_SYSCTL ? 0 : err;
}

/* The SYNs an attempt bounded to one retransmission (3 s) sends: at 0 and
 * 1 s, and at 2 s where the first retransmissions keep the initial 1 s
 * interval (net.ipv4.tcp_syn_linear_timeouts, Linux 6.5: 4 of them). */
static int syns_in_attempt(struct nc_host *client)
{
	char text[16];
	long linear;

	if (nc_sysctl_get(client, "net.ipv4.tcp_syn_linear_timeouts", text, sizeof(text)) < 0 ||
	    nc_parse_long(text, 0, 127, &linear) < 0)
		linear = 0;
	return linear >= 2 ? 3 : 2;
}

/* One blocking connect(): how it ended, its time, and how its ICMP found
 * the socket (icmp_arrival.h). */
struct connect_attempt {
	long ret;
	int err;			/* connect()'s errno */
	struct nc_stopwatch watch;
	enum icmp_arrival arrival;
};

static void attempt_connect(int fd, const struct nc_sockaddr *peer, struct connect_attempt *a)
{
	struct icmp_counts before, after;

	icmp_count(&before, peer->sa.sa_family);
	nc_stopwatch_start(&a->watch);
	errno = 0;
	a->ret = connect(fd, &peer->sa, peer->len);
	a->err = errno;
	nc_stopwatch_stop_unrecorded(&a->watch);
	icmp_count(&after, peer->sa.sa_family);
	a->arrival = icmp_arrival(&before, &after);
}

/* Runs connect() with the SYN retransmissions bounded to one and reports how
 * it ended: its errno (asserted), its time, and the SYNs the server-side rule
 * met. */
static void connect_with_syns_unanswered(const struct nc_case_ctx *ctx,
					 struct connect_attempt *a, uint64_t *syns_out)
{
	const struct unanswered_case *c = ctx->data;
	struct nc_host *client = nc_ctx_host(ctx, "c");
	/* an ICMP answers the SYN (connect-6), or nothing does (connect-4) */
	enum icmp_arrival wanted = c->want_errno == ETIMEDOUT ? ICMP_UNSEEN : ICMP_INSIDE;
	uint64_t syns_before, syns_after;
	struct nc_sockaddr peer;
	int made = 0;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	/* A live listener behind the rule: without it, no SYN would be answered
	 * the way it is. */
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(set_syn_retries(client, c->bound));
	NC_ASSERT_OK(nc_host_enter(client));
	do {
		int fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));

		if (c->bound == BY_TCP_SYNCNT)
			NC_ASSERT_OK(nc_setsockopt_int(fd, IPPROTO_TCP, TCP_SYNCNT, 1));
		if (c->bound == BY_EITHER)
			NC_ASSERT_OK(bound_unless_sysctl(client, fd));
		NC_ASSERT_OK(nc_fault_packets(ctx->net, SYN_FAULT, &syns_before));
		attempt_connect(fd, &peer, a);
		made++;
		close(fd);
		NC_ASSERT_OK(nc_fault_packets(ctx->net, SYN_FAULT, &syns_after));
	} while (icmp_attempt_again(a->arrival, wanted, made));
	icmp_record_attempts(a->arrival, wanted, made);
	nc_stopwatch_record(&a->watch);
	NC_EXPECT_ERRNO_KEPT("connect", a->ret, a->err, c->want_errno, &peer);
	*syns_out = syns_after - syns_before;
	nc_observe("elapsed_ms", "%ld", a->watch.ms);
	nc_observe("syns", "%llu", (unsigned long long)*syns_out);
}

/* No answer to any SYN (connect-4), or an ICMP destination unreachable,
 * which the document calls a soft error (connect-6): either way the SYN is
 * sent again, and connect() fails only when the attempt times out (1 + 2 s
 * with one retransmission), with ETIMEDOUT or the saved error. */
/* The attempt ran to its timeout: every SYN it had room for, and the time. */
static void expect_whole_attempt(struct nc_host *client, uint64_t syns,
				 const struct nc_stopwatch *watch)
{
	NC_EXPECT_INT("syns", syns, syns_in_attempt(client));
	NC_EXPECT_ELAPSED("elapsed_ms", watch, ATTEMPT_TIMEOUT_MS - TIMER_SLACK_MS,
			  ATTEMPT_TIMEOUT_MS + TIMER_LATE_MS);
}

static void connect_fails_at_timeout(const struct nc_case_ctx *ctx)
{
	struct connect_attempt attempt;
	uint64_t syns;

	connect_with_syns_unanswered(ctx, &attempt, &syns);
	expect_whole_attempt(nc_ctx_host(ctx, "c"), syns, &attempt.watch);
}

NC_CHECK(connect, timeout) = {
	.summary = "connect() whose SYNs are all dropped fails with ETIMEDOUT after the retransmissions (bounded by tcp_syn_retries or TCP_SYNCNT)",
	.clauses = NC_CLAUSES("connect-4", "connect-3"),
	.scenario = "connect-blackhole",
	NC_CASES(blackhole_cases),
	.run = connect_fails_at_timeout,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_TIMEOUT_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, icmp_host_unreach) = {
	.summary = "an ICMP host-unreachable answer to the SYN is a soft error: SYNs go on, connect() fails with EHOSTUNREACH when it times out",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-icmp-host-unreach",
	NC_CASES(host_unreach_cases),
	.run = connect_fails_at_timeout,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_TIMEOUT_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, icmp_net_unreach) = {
	.summary = "an ICMP net-unreachable answer to the SYN is a soft error: SYNs go on, connect() fails with ENETUNREACH when it times out",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-icmp-net-unreach",
	NC_CASES(net_unreach_cases),
	.run = connect_fails_at_timeout,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_TIMEOUT_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

/* --- connect-6 as the document tells it: one ICMP from a router, then silence --- */

/* How long a lifter waits for its fault's first packet. */
#define LIFT_DEADLINE_MS 2000

/* Lifts a scenario's fault from a thread of its own once the fault has met
 * its first packet, while the call under test blocks in the check's thread. */
struct lifter {
	struct nc_net *net;
	const char *fault;
	uint64_t met;			/* its counter when it was lifted: 1 */
	long long lifted_us;		/* nc_now_us() once it is out of force */
	int err;
	pthread_t thread;
};

static void *lift_after_first_packet(void *arg)
{
	struct lifter *lifter = arg;

	lifter->err = nc_fault_wait_packets(lifter->net, lifter->fault, 1, LIFT_DEADLINE_MS,
					    &lifter->met);
	if (lifter->err == 0)
		lifter->err = nc_fault_del(lifter->net, lifter->fault);
	lifter->lifted_us = nc_now_us();
	return NULL;
}

static void lifter_start(struct lifter *lifter)
{
	NC_ASSERT_SYS(pthread_create(&lifter->thread, NULL, lift_after_first_packet, lifter) ?
		      -1 : 0);
}

static void lifter_join(struct lifter *lifter)
{
	pthread_join(lifter->thread, NULL);
	if (lifter->err < 0)
		nc_fatal("fault %s never met a packet, or could not be lifted: %s", lifter->fault,
			 nc_errno_name(-lifter->err));
}

static const struct router_case {
	const char *name;
	const char *peer;
	const char *answer;		/* the router's rule answering the first SYN */
	int want_errno;			/* the saved ICMP error, at the timeout */
} router_once_cases[] = {
	{ "host-unreach-ipv4", "198.18.2.2:9",       "reject icmp-host-unreachable", EHOSTUNREACH },
	{ "host-unreach-ipv6", "[2001:db8:2::2]:9",  "reject icmp-host-unreachable", EHOSTUNREACH },
	{ "net-unreach-ipv4",  "198.18.2.2:9",       "reject icmp-net-unreachable",  ENETUNREACH },
	{ "net-unreach-ipv6",  "[2001:db8:2::2]:9",  "reject icmp-net-unreachable",  ENETUNREACH },
}, router_other_code_cases[] = {
	/* Destination unreachable, but neither "host" nor "net": the document
	 * knows only those two errors, and a router's ICMP is about the host. */
	{ "port-unreach-ipv4",     "198.18.2.2:9",      "reject icmp-port-unreachable",  EHOSTUNREACH },
	{ "admin-prohibited-ipv6", "[2001:db8:2::2]:9", "reject icmp-admin-prohibited", EHOSTUNREACH },
};

/* One connect() whose first SYN the router answers, then silence: the
 * SYNs the router answered (1) and every SYN the attempt sent. */
static void router_attempt(const struct nc_case_ctx *ctx, const struct nc_sockaddr *peer,
			   struct connect_attempt *a, uint64_t *answered, uint64_t *syns)
{
	const struct router_case *c = ctx->data;
	struct lifter lifter = { .net = ctx->net, .fault = "answer" };
	uint64_t silenced_before, silenced;
	char rule[80];
	int fd;

	snprintf(rule, sizeof(rule), "forward tcp dport %u %s", nc_sockaddr_port(peer), c->answer);
	NC_ASSERT_OK(nc_fault_add(nc_ctx_host(ctx, "r"), "answer", rule));
	NC_ASSERT_OK(nc_fault_packets(ctx->net, "silence", &silenced_before));
	fd = NC_ASSERT_FD(socket(peer->sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(bound_unless_sysctl(nc_ctx_host(ctx, "c"), fd));
	lifter_start(&lifter);
	attempt_connect(fd, peer, a);
	lifter_join(&lifter);
	close(fd);
	NC_ASSERT_OK(nc_fault_packets(ctx->net, "silence", &silenced));
	*answered = lifter.met;
	*syns = lifter.met + silenced - silenced_before;
}

/* The router answers the first SYN with ICMP and drops the rest: the kernel
 * keeps the error, goes on sending SYNs, and connect() fails with it only
 * when the attempt times out.  wanted: how the ICMP finds the socket. */
static void connect_after_router_icmp(const struct nc_case_ctx *ctx, enum icmp_arrival wanted)
{
	const struct router_case *c = ctx->data;
	struct nc_host *client = nc_ctx_host(ctx, "c");
	struct connect_attempt a;
	struct nc_sockaddr peer;
	uint64_t answered, syns;
	int made = 0;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(client));
	do {
		router_attempt(ctx, &peer, &a, &answered, &syns);
		made++;
	} while (icmp_attempt_again(a.arrival, wanted, made));
	icmp_record_attempts(a.arrival, wanted, made);
	nc_stopwatch_record(&a.watch);
	NC_EXPECT_ERRNO_KEPT("connect", a.ret, a.err, c->want_errno, &peer);
	NC_EXPECT_INT(NC_KEY(SYNs_the_router_answered_with_ICMP,
			     "SYNs the router answered with ICMP"),
		      answered, 1);
	expect_whole_attempt(client, syns, &a.watch);
}

/* A router next to the client: its ICMP comes inside connect(). */
static void connect_after_router_icmp_once(const struct nc_case_ctx *ctx)
{
	connect_after_router_icmp(ctx, ICMP_INSIDE);
}

/* A router some way off (20 ms): its ICMP comes while connect() sleeps. */
static void connect_after_far_router_icmp(const struct nc_case_ctx *ctx)
{
	connect_after_router_icmp(ctx, ICMP_LATE);
}

NC_CHECK(connect, icmp_router_once) = {
	.summary = "a router answers the first SYN with ICMP host/net unreachable, then silence: SYNs go on, connect() fails with EHOSTUNREACH/ENETUNREACH at the 3 s timeout",
	.clauses = NC_CLAUSES("connect-6", "connect-3"),
	.scenario = "connect-router-icmp-once",
	NC_CASES(router_once_cases),
	.run = connect_after_router_icmp_once,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_TIMEOUT_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, icmp_router_other_codes) = {
	.summary = "a router answers the first SYN with ICMP port unreachable or administratively prohibited, then silence: connect() fails at the timeout with EHOSTUNREACH, the document's error for a destination unreachable",
	.clauses = NC_CLAUSES("connect-6"),
	.scenario = "connect-router-icmp-once",
	NC_CASES(router_other_code_cases),
	.run = connect_after_router_icmp_once,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_TIMEOUT_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, icmp_router_far) = {
	.summary = "a router 20 ms away (netem) answers the first SYN with ICMP host/net unreachable, then silence: the ICMP comes while connect() waits; SYNs go on, connect() fails with EHOSTUNREACH/ENETUNREACH at the 3 s timeout",
	.clauses = NC_CLAUSES("connect-6", "connect-3"),
	.scenario = "connect-router-icmp-far",
	NC_CASES(router_once_cases),
	.run = connect_after_far_router_icmp,
	.deadline_ms = 8000,
	.longest_timer_ms = ATTEMPT_TIMEOUT_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

/* --- routes of the client: no SYN leaves at all --- */

static const struct connect_case no_route_cases[] = {
	{ "ipv4", "203.0.113.9:9",    ENETUNREACH, NULL },
	{ "ipv6", "[2001:db8:113::9]:9", ENETUNREACH, NULL },
}, unreachable_route_cases[] = {
	{ "ipv4", "203.0.113.9:9",    EHOSTUNREACH, NULL },
	{ "ipv6", "[2001:db8:113::9]:9", EHOSTUNREACH, NULL },
}, prohibit_route_cases[] = {
	{ "ipv4", "203.0.113.9:9",    EACCES, NULL },
	{ "ipv6", "[2001:db8:113::9]:9", EACCES, NULL },
};

NC_CHECK(connect, no_route) = {
	.summary = "connect() to a destination the client has no route to fails at once with ENETUNREACH",
	.clauses = NC_CLAUSES("connect-3"),
	.scenario = "connect-no-route",
	NC_CASES(no_route_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, unreachable_route) = {
	.summary = "connect() to a destination under an `unreachable` route fails at once with EHOSTUNREACH",
	.clauses = NC_CLAUSES("connect-3"),
	.scenario = "connect-unreachable-route",
	NC_CASES(unreachable_route_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

NC_CHECK(connect, prohibit_route) = {
	.summary = "connect() to a destination under a `prohibit` route fails at once with EACCES",
	.clauses = NC_CLAUSES("connect-3"),
	.scenario = "connect-prohibit-route",
	NC_CASES(prohibit_route_cases),
	.run = connect_fails_with,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

/* --- connect-3: blocking until the handshake completes --- */

static const struct delayed_case {
	const char *name;
	const char *peer;
	long rtt_ms;			/* the scenario's netem delay, one way */
} delayed_cases[] = {
	{ "ipv4", SERVER_V4 ":80", 100 },
	{ "ipv6", SERVER_V6 ":80", 100 },
};

/* netem delays c's packets: a blocking connect() returns no earlier than one
 * round trip, and returns with the connection ESTABLISHED. */
static void connect_blocks_until_established(const struct nc_case_ctx *ctx)
{
	const struct delayed_case *c = ctx->data;
	struct nc_sockaddr peer;
	struct nc_stopwatch watch;
	int listen_fd, fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	nc_stopwatch_start(&watch);
	NC_EXPECT_INT(NC_KEY(connect_return, "connect() return"),
		      connect(fd, &peer.sa, peer.len), 0);
	nc_stopwatch_stop(&watch);
	NC_EXPECT_ELAPSED("elapsed_ms", &watch, c->rtt_ms, c->rtt_ms + TIMER_LATE_MS);
	NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_ESTABLISHED);
	(void)listen_fd;
}

NC_CHECK(connect, blocks_until_established) = {
	.summary = "with netem delaying the path by 100 ms, a blocking connect() returns after at least one round trip, ESTABLISHED",
	.clauses = NC_CLAUSES("connect-3", "handshake-3"),
	.scenario = "connect-netem-delay",
	NC_CASES(delayed_cases),
	.run = connect_blocks_until_established,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};

static const struct peer_case {
	const char *name;
	const char *peer;
} first_syn_lost_cases[] = {
	{ "ipv4", SERVER_V4 ":80" },
	{ "ipv6", SERVER_V6 ":80" },
};

/* The server drops the first SYN; another thread lifts the rule once its
 * counter reads 1.  A blocking connect() is then still waiting: it returns
 * only after the rule is gone, on the retransmitted SYN's answer, ESTABLISHED. */
static void connect_blocks_until_retransmitted(const struct nc_case_ctx *ctx)
{
	const struct peer_case *c = ctx->data;
	struct lifter lifter = { .net = ctx->net, .fault = "first-syn" };
	struct nc_sockaddr peer;
	long long returned_us;
	struct nc_stopwatch watch;
	int listen_fd, fd, ret;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	lifter_start(&lifter);
	nc_stopwatch_start(&watch);
	ret = connect(fd, &peer.sa, peer.len);
	returned_us = nc_now_us();
	nc_stopwatch_stop(&watch);
	lifter_join(&lifter);
	NC_EXPECT_INT(NC_KEY(connect_return, "connect() return"), ret, 0);
	NC_EXPECT_INT(NC_KEY(SYNs_dropped_before_the_rule_was_lifted,
			     "SYNs dropped before the rule was lifted"),
		      lifter.met, 1);
	NC_EXPECT_TRUE(returned_us > lifter.lifted_us,
		       "connect() returned %lld us before the dropping rule was lifted",
		       lifter.lifted_us - returned_us);
	NC_EXPECT_ELAPSED("elapsed_ms", &watch, INITIAL_RTO_MS - TIMER_SLACK_MS,
			  INITIAL_RTO_MS + TIMER_LATE_MS);
	NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_ESTABLISHED);
	NC_EXPECT_INT(NC_KEY(poll_listener_queued,
			     "poll(listener, POLLIN): the connection is queued"),
		      nc_wait_fd(listen_fd, POLLIN, 0), POLLIN);
}

NC_CHECK(connect, blocks_until_retransmitted) = {
	.summary = "the server drops the first SYN: a blocking connect() returns only after the retransmission (1 s, after the rule was lifted), ESTABLISHED",
	.clauses = NC_CLAUSES("connect-3", "handshake-3"),
	.scenario = "connect-first-syn-lost",
	NC_CASES(first_syn_lost_cases),
	.run = connect_blocks_until_retransmitted,
	.deadline_ms = 5000,
	.longest_timer_ms = INITIAL_RTO_MS,
	.covers = "mode:blocking form:v4,v6",
	.capture = true,
};
