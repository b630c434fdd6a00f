/* The three-way handshake, watched step by step (document section
 * "建立连接流程"): the sequence numbers the three segments carry, the
 * client's state while its SYN goes unanswered, and the asymmetry while the
 * client's final ACK is lost. */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addresses.h"
#include "capture.h"
#include "case_host.h"
#include "check.h"
#include "endpoint.h"
#include "net.h"
#include "net_fault.h"
#include "sockaddr.h"
#include "wait.h"
#include "diag.h"

#define DEADLINE_MS 2000
/* How long the listener is watched staying unreadable. */
#define QUIET_MS 300

static const struct peer_case {
	const char *name;
	const char *peer;
} blackhole_cases[] = {
	{ "ipv4", SERVER_V4 ":9" },
	{ "ipv6", SERVER_V6 ":9" },
}, server_cases[] = {
	{ "ipv4", SERVER_V4 ":80" },
	{ "ipv6", SERVER_V6 ":80" },
};

/* --- j, j+1, k, k+1: the numbers on the wire --- */

/* SYN, SYN-ACK, the final ACK and the rest the client sees: a handful. */
#define MAX_SEGMENTS 32

/* The first segment from -> to whose flags, of those in mask, are want. */
static const struct nc_tcp_segment *find_segment(const struct nc_tcp_segment *segs, int n,
						 const struct nc_sockaddr *from,
						 const struct nc_sockaddr *to,
						 uint8_t mask, uint8_t want)
{
	for (int i = 0; i < n; i++)
		if ((segs[i].flags & mask) == want && nc_sockaddr_equal(&segs[i].src, from) &&
		    nc_sockaddr_equal(&segs[i].dst, to))
			return &segs[i];
	return NULL;
}

#define CONTROL_FLAGS (NC_TCP_SYN | NC_TCP_ACK | NC_TCP_FIN | NC_TCP_RST)

/* A real connection, captured at the client: its SYN carries j (handshake-1),
 * the server's SYN-ACK carries k and acknowledges j+1 (handshake-2), the
 * client's final ACK carries j+1 and acknowledges k+1 (handshake-3). */
static void handshake_sequence_numbers(const struct nc_case_ctx *ctx)
{
	const struct peer_case *c = ctx->data;
	struct nc_host *client_host = nc_ctx_host(ctx, "c"), *server_host = nc_ctx_host(ctx, "s");
	struct nc_tcp_segment segs[MAX_SEGMENTS];
	const struct nc_tcp_segment *syn = NULL, *synack = NULL, *final_ack = NULL;
	struct nc_sockaddr peer, client_addr;
	struct nc_capture *capture;
	struct nc_tcp_diag diag;
	struct timespec start;
	int listen_fd, fd, n_segs;
	long left_ms;
	uint32_t j, k;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(server_host));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_capture_open(client_host, &capture));
	NC_ASSERT_OK(nc_host_enter(client_host));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_connect_start(fd, &peer));
	NC_EXPECT_INT(NC_KEY(connect_result_SO_ERROR, "connect() result (SO_ERROR)"),
		      nc_connect_finish(fd, DEADLINE_MS), 0);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &client_addr));
	/* the server ESTABLISHED: the final ACK has left the client and arrived */
	NC_ASSERT_OK(nc_diag_wait_state(server_host, &peer, &client_addr, TCP_ESTABLISHED,
					DEADLINE_MS, &diag));

	nc_clock_start(&start);
	for (;;) {
		NC_ASSERT_OK(n_segs = nc_capture_tcp(capture, segs, MAX_SEGMENTS));
		syn = find_segment(segs, n_segs, &client_addr, &peer, CONTROL_FLAGS, NC_TCP_SYN);
		synack = find_segment(segs, n_segs, &peer, &client_addr, CONTROL_FLAGS,
				      NC_TCP_SYN | NC_TCP_ACK);
		final_ack = find_segment(segs, n_segs, &client_addr, &peer, CONTROL_FLAGS,
					 NC_TCP_ACK);
		left_ms = DEADLINE_MS - nc_elapsed_ms(&start);
		if ((syn && synack && final_ack) || left_ms <= 0)
			break;
		/* a packet still on its way to the capture: wait for it */
		nc_capture_wait(capture, (unsigned)left_ms);
	}
	nc_observe(NC_KEY(segments_captured_at_c, "segments captured at c"), "%d", n_segs);
	if (!syn || !synack || !final_ack)
		nc_fatal("capture at c: SYN %s, SYN-ACK %s, final ACK %s",
			 syn ? "seen" : "missing", synack ? "seen" : "missing",
			 final_ack ? "seen" : "missing");

	j = syn->seq;
	k = synack->seq;
	nc_expect("syn.seq", "j (the client's ISN)");
	nc_observe("syn.seq", "%u", j);
	nc_expect("synack.seq", "k (the server's ISN)");
	nc_observe("synack.seq", "%u", k);
	NC_EXPECT_TRUE(syn->outgoing && !synack->outgoing && final_ack->outgoing,
		       "capture at c: SYN sent %d, SYN-ACK received %d, final ACK sent %d",
		       syn->outgoing, !synack->outgoing, final_ack->outgoing);
	/* j+1, j+1 and k+1 */
	NC_EXPECT_INT("synack.ack", synack->ack, (uint32_t)(j + 1));
	NC_EXPECT_INT("ack.seq", final_ack->seq, (uint32_t)(j + 1));
	NC_EXPECT_INT("ack.ack", final_ack->ack, (uint32_t)(k + 1));
	NC_EXPECT_INT("ack.len", final_ack->len, 0);
	nc_capture_close(capture);
}

NC_CHECK(handshake, sequence_numbers) = {
	.summary = "on the wire the client's SYN carries j, the server's SYN-ACK carries k and acknowledges j+1, the client's final ACK carries j+1 and acknowledges k+1",
	.clauses = NC_CLAUSES("handshake-1", "handshake-2", "handshake-3"),
	.scenario = "two-hosts",
	NC_CASES(server_cases),
	.run = handshake_sequence_numbers,
	.deadline_ms = 5000,
	.covers = "mode:nonblocking form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* The server drops the SYNs (connect-blackhole's fault port-9): once the
 * SYN has reached it, the client is in SYN_SENT. */
#define BLACKHOLE_FAULT "port-9"

static void handshake_syn_sent(const struct nc_case_ctx *ctx)
{
	const struct peer_case *c = ctx->data;
	struct nc_sockaddr peer, local;
	struct nc_tcp_diag diag;
	uint64_t syns;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_connect_start(fd, &peer));
	NC_ASSERT_OK(nc_fault_wait_packets(ctx->net, BLACKHOLE_FAULT, 1, DEADLINE_MS, &syns));
	nc_observe("syns", "%llu", (unsigned long long)syns);
	NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_SYN_SENT);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &local));
	NC_ASSERT_OK(nc_diag_find(nc_ctx_host(ctx, "c"), &local, &peer, &diag));
	NC_EXPECT_STATE(NC_STATE_AS(client, sock_diag, "state(client, sock_diag)"),
			diag.state, TCP_SYN_SENT);
}

NC_CHECK(handshake, syn_sent) = {
	.summary = "while its SYN goes unanswered (dropped at the server) the client of a non-blocking connect() is in SYN_SENT",
	.clauses = NC_CLAUSES("handshake-1"),
	.scenario = "connect-blackhole",
	NC_CASES(blackhole_cases),
	.run = handshake_syn_sent,
	.deadline_ms = 5000,
	.covers = "mode:nonblocking state:syn-sent form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* handshake-drop-final-ack's fault final-ack-drop drops the ACK-only
 * segments at s. */
#define FINAL_ACK_FAULT "final-ack-drop"

/* With the final ACK dropped: the client's connect() has returned and it is
 * ESTABLISHED, the server holds SYN_RECV and its accept() does not return.
 * Once the ACK passes (the client's first data carries it), accept() returns
 * and the server side is ESTABLISHED. */
static void handshake_final_ack(const struct nc_case_ctx *ctx)
{
	const struct peer_case *c = ctx->data;
	struct nc_host *client_host = nc_ctx_host(ctx, "c"), *server_host = nc_ctx_host(ctx, "s");
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
	NC_EXPECT_INT(NC_KEY(connect_result_SO_ERROR, "connect() result (SO_ERROR)"),
		      nc_connect_finish(fd, DEADLINE_MS), 0);
	NC_EXPECT_STATE(NC_STATE(client), nc_tcp_state(fd), TCP_ESTABLISHED);

	/* ... while the server, its ACK lost, is in SYN_RECV (handshake-2) */
	NC_ASSERT_OK(nc_fault_wait_packets(ctx->net, FINAL_ACK_FAULT, 1, DEADLINE_MS, &acks));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &client_addr));
	NC_ASSERT_OK(nc_diag_find(server_host, &peer, &client_addr, &diag));
	NC_EXPECT_STATE(NC_STATE_AS(server, sock_diag, "state(server, sock_diag)"),
			diag.state, TCP_SYN_RECV);
	NC_EXPECT_INT(NC_KEY(poll_listener_ack_dropped,
			     "poll(listener, POLLIN) with the final ACK dropped"),
		      nc_wait_fd(listen_fd, POLLIN, QUIET_MS), -ETIMEDOUT);
	nc_observe(NC_KEY(final_ACKs_dropped, "final ACKs dropped"),
		   "%llu", (unsigned long long)acks);

	/* the ACK passes: accept() returns, server ESTABLISHED (handshake-4) */
	NC_ASSERT_OK(nc_fault_del(ctx->net, FINAL_ACK_FAULT));
	NC_ASSERT_SYS(write(fd, "x", 1));
	NC_ASSERT_OK(nc_wait_fd(listen_fd, POLLIN, DEADLINE_MS));
	server = NC_ASSERT_FD(accept(listen_fd, NULL, NULL));
	NC_EXPECT_STATE(NC_STATE_AS(server, after_accept, "state(server, after accept())"),
			nc_tcp_state(server), TCP_ESTABLISHED);
}

NC_CHECK(handshake, final_ack) = {
	.summary = "with the client's final ACK dropped the client is ESTABLISHED (connect() returned) while the server holds SYN_RECV and accept() waits; once the ACK passes accept() returns, ESTABLISHED",
	.clauses = NC_CLAUSES("handshake-2", "handshake-3", "handshake-4"),
	.scenario = "handshake-drop-final-ack",
	NC_CASES(server_cases),
	.run = handshake_final_ack,
	.deadline_ms = 5000,
	.covers = "mode:nonblocking,blocking state:syn-recv,established form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};
