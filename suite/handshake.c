/* The three-way handshake, watched step by step (document section
 * "建立连接流程"): the client's state while its SYN goes unanswered, and the
 * asymmetry while the client's final ACK is lost. */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "endpoint.h"
#include "net.h"
#include "sockaddr.h"
#include "wait.h"

#define DEADLINE_MS 2000
/* How long the listener is watched staying unreadable. */
#define QUIET_MS 300

static struct nc_host *host_of(const struct nc_case_ctx *ctx, const char *name)
{
	struct nc_host *host = nc_net_host(ctx->net, name);

	if (!host)
		nc_fatal("scenario %s has no host \"%s\"", ctx->check->scenario, name);
	return host;
}

/* Waits until fault rule_id on host has met at least one packet. */
static int wait_fault_met(struct nc_host *host, int rule_id, unsigned deadline_ms,
			  uint64_t *packets)
{
	struct timespec start;
	int err;

	nc_clock_start(&start);
	while ((err = nc_fault_packets(host, rule_id, packets)) == 0 && *packets == 0) {
		if (nc_elapsed_ms(&start) >= (long)deadline_ms)
			return -ETIMEDOUT;
		poll(NULL, 0, 5);
	}
	return err;
}

static const struct peer_case {
	const char *name;
	const char *peer;
} blackhole_cases[] = {
	{ "ipv4", "198.18.0.2:9" },
	{ "ipv6", "[2001:db8::2]:9" },
}, final_ack_cases[] = {
	{ "ipv4", "198.18.0.2:80" },
	{ "ipv6", "[2001:db8::2]:80" },
};

/* The server drops the SYNs (fault 1 of connect-blackhole): once the SYN
 * has reached it, the client is in SYN_SENT. */
#define BLACKHOLE_FAULT 1

static void handshake_syn_sent(const struct nc_case_ctx *ctx)
{
	const struct peer_case *c = ctx->data;
	struct nc_sockaddr peer, local;
	struct nc_tcp_diag diag;
	uint64_t syns;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(host_of(ctx, "c")));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_connect_start(fd, &peer));
	NC_ASSERT_OK(wait_fault_met(host_of(ctx, "s"), BLACKHOLE_FAULT, DEADLINE_MS, &syns));
	nc_observe("syns", "%llu", (unsigned long long)syns);
	nc_observe("state", "%s", nc_tcp_state_name(nc_tcp_state(fd)));
	NC_EXPECT_INT("TCP state (TCP_INFO) with the SYN unanswered", nc_tcp_state(fd),
		      TCP_SYN_SENT);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &local));
	NC_ASSERT_OK(nc_diag_find(host_of(ctx, "c"), &local, &peer, &diag));
	NC_EXPECT_INT("TCP state (sock_diag)", diag.state, TCP_SYN_SENT);
}

NC_CHECK(handshake_syn_sent) = {
	.id = "handshake.syn_sent",
	.summary = "while its SYN goes unanswered (dropped at the server) the client of a non-blocking connect() is in SYN_SENT",
	.clauses = NC_CLAUSES("handshake-1"),
	.scenario = "connect-blackhole",
	NC_CASES(blackhole_cases),
	.run = handshake_syn_sent,
	.deadline_ms = 5000,
};

/* handshake-drop-final-ack's fault 1 drops the ACK-only segments at s. */
#define FINAL_ACK_FAULT 1

/* With the final ACK dropped: the client's connect() has returned and it is
 * ESTABLISHED, the server holds SYN_RECV and its accept() does not return.
 * Once the ACK passes (the client's first data carries it), accept() returns
 * and the server side is ESTABLISHED. */
static void handshake_final_ack(const struct nc_case_ctx *ctx)
{
	const struct peer_case *c = ctx->data;
	struct nc_host *client_host = host_of(ctx, "c"), *server_host = host_of(ctx, "s");
	struct nc_sockaddr peer, client_addr;
	struct nc_tcp_diag diag;
	uint64_t acks;
	int listen_fd, fd, server;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(server_host));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(client_host));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_connect_start(fd, &peer));

	/* SYN -> SYN-ACK -> client ESTABLISHED (handshake-3) */
	NC_EXPECT_INT("connect() result (SO_ERROR)", nc_connect_finish(fd, DEADLINE_MS), 0);
	nc_observe("client state", "%s", nc_tcp_state_name(nc_tcp_state(fd)));
	NC_EXPECT_INT("client TCP state after connect()", nc_tcp_state(fd), TCP_ESTABLISHED);

	/* ... while the server, its ACK lost, is in SYN_RECV (handshake-2) */
	NC_ASSERT_OK(wait_fault_met(server_host, FINAL_ACK_FAULT, DEADLINE_MS, &acks));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &client_addr));
	NC_ASSERT_OK(nc_diag_find(server_host, &peer, &client_addr, &diag));
	nc_observe("server state", "%s (sock_diag)", nc_tcp_state_name(diag.state));
	NC_EXPECT_INT("server TCP state with the final ACK dropped (sock_diag)", diag.state,
		      TCP_SYN_RECV);
	NC_EXPECT_INT("poll(listener, POLLIN) with the final ACK dropped",
		      nc_wait_fd(listen_fd, POLLIN, QUIET_MS), -ETIMEDOUT);
	nc_observe("final ACKs dropped", "%llu", (unsigned long long)acks);

	/* the ACK passes: accept() returns, server ESTABLISHED (handshake-4) */
	NC_ASSERT_OK(nc_fault_del(server_host, FINAL_ACK_FAULT));
	NC_ASSERT_SYS(write(fd, "x", 1));
	NC_ASSERT_OK(nc_wait_fd(listen_fd, POLLIN, DEADLINE_MS));
	server = NC_ASSERT_FD(accept(listen_fd, NULL, NULL));
	nc_observe("server state after accept()", "%s", nc_tcp_state_name(nc_tcp_state(server)));
	NC_EXPECT_INT("server TCP state after accept()", nc_tcp_state(server), TCP_ESTABLISHED);
}

NC_CHECK(handshake_final_ack) = {
	.id = "handshake.final_ack",
	.summary = "with the client's final ACK dropped the client is ESTABLISHED (connect() returned) while the server holds SYN_RECV and accept() waits; once the ACK passes accept() returns, ESTABLISHED",
	.clauses = NC_CLAUSES("handshake-2", "handshake-3", "handshake-4"),
	.scenario = "handshake-drop-final-ack",
	NC_CASES(final_ack_cases),
	.run = handshake_final_ack,
	.deadline_ms = 5000,
};
