/* listen()'s backlog: the queue of completed connections it bounds, the
 * incomplete ones it does not, the overflow, the clamp to somaxconn, the
 * default and the edge values (document section "listen()"). */
#include <errno.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addresses.h"
#include "case_host.h"
#include "check.h"
#include "diag.h"
#include "endpoint.h"
#include "host.h"
#include "net.h"
#include "net_counters.h"
#include "net_fault.h"
#include "sockaddr.h"
#include "wait.h"

#define DEADLINE_MS 2000
/* Loopback completes a handshake in microseconds: a client still pending
 * after this long had its SYN dropped. */
#define SETTLE_MS 200

#define BACKLOG 2
#define CLIENTS (BACKLOG + 3)

static const struct backlog_case {
	const char *name;
	const char *addr;
	const char *abort_on_overflow;	/* net.ipv4.tcp_abort_on_overflow */
} backlog_cases[] = {
	{ "ipv4",                   "127.0.0.1:4251", "0" },
	{ "ipv6",                   "[::1]:4251",     "0" },
	{ "ipv4-abort-on-overflow", "127.0.0.1:4251", "1" },
};

/* With backlog B and no accept(), B connections complete and wait in the
 * queue; the clients beyond it do not complete.  Each client is given time to
 * settle before the next, so the order is the order of connect(). */
static void listen_backlog_bounds_queue(const struct nc_case_ctx *ctx)
{
	struct nc_host *host = nc_ctx_host(ctx, "s");
	const struct backlog_case *c = ctx->data;
	struct nc_sockaddr addr;
	struct nc_tcp_diag listener;
	int listen_fd, completed = 0, syn_sent = 0, other = 0;
	unsigned queued, backlog;
	char outcome[CLIENTS * 16] = "";

	NC_ASSERT_OK(nc_host_enter(host));
	NC_ASSERT_OK(nc_sysctl_set(host, "net.ipv4.tcp_abort_on_overflow", c->abort_on_overflow));
	NC_ASSERT_OK(listen_fd = nc_listener(c->addr, BACKLOG, 0, &addr));
	for (int i = 0; i < CLIENTS; i++) {
		int fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
		int err;

		NC_ASSERT_OK(nc_connect_start(fd, &addr));
		err = nc_connect_finish(fd, SETTLE_MS);
		if (err == 0)
			completed++;
		else if (err == -ETIMEDOUT && nc_tcp_state(fd) == TCP_SYN_SENT)
			syn_sent++;
		else
			other++;
		snprintf(outcome + strlen(outcome), sizeof(outcome) - strlen(outcome), "%s%s",
			 i ? " " : "", err == 0 ? "ESTABLISHED" : err == -ETIMEDOUT ?
			 nc_tcp_state_name(nc_tcp_state(fd)) : nc_errno_name(-err));
	}
	NC_ASSERT_OK(nc_diag_find(host, &addr, NULL, &listener));
	NC_ASSERT_OK(nc_listener_queue(listen_fd, &queued, &backlog));
	NC_EXPECT_INT(NC_KEY(queue_by_TCP_INFO_against_sock_diag,
			     "queue by TCP_INFO, against sock_diag"),
		      queued, listener.rqueue);
	nc_observe("clients", "%s", outcome);
	nc_observe("syn_sent", "%d", syn_sent);
	NC_EXPECT_INT(NC_KEY(backlog_sock_diag_wqueue, "backlog (sock_diag wqueue)"),
		      listener.wqueue, BACKLOG);
	NC_EXPECT_INT(NC_KEY(clients_in_other_states,
			     "clients ending otherwise than ESTABLISHED or SYN_SENT"),
		      other, 0);
	/* connections waiting for accept() */
	NC_EXPECT_INT(NC_KEY(queue_rqueue, "queue (sock_diag rqueue)"), listener.rqueue, BACKLOG);
	NC_EXPECT_INT("completed", completed, BACKLOG);
}

NC_CHECK(listen, backlog_bounds_queue) = {
	.summary = "with backlog 2 and no accept(), 2 of 5 clients complete and wait in the accept queue (sock_diag); the rest stay in SYN_SENT, also with tcp_abort_on_overflow",
	.clauses = NC_CLAUSES("listen-3"),
	.scenario = "loopback-only",
	NC_CASES(backlog_cases),
	.run = listen_backlog_bounds_queue,
	.deadline_ms = 5000,
	.covers = "boundary:backlog-2 form:v4,v6",
	.needs = "sock_diag sysctl:net.ipv4.tcp_abort_on_overflow",
};

/* --- listen-3's other half: the incomplete queue --- */

static const struct server_case {
	const char *name;
	const char *addr;		/* the listener on s */
} incomplete_cases[] = {
	{ "ipv4", SERVER_V4 ":80" },
	{ "ipv6", SERVER_V6 ":80" },
};

/* Every final ACK to port 80 is dropped (handshake-drop-final-ack), so no
 * connection completes at the server: each client's connect() returns
 * (ESTABLISHED) while the server holds it in SYN_RECV.  The backlog bounds
 * the completed queue, not this one: all the clients are held. */
static void listen_incomplete_queue_not_bounded(const struct nc_case_ctx *ctx)
{
	const struct server_case *c = ctx->data;
	struct nc_host *server = nc_ctx_host(ctx, "s");
	struct nc_sockaddr addr;
	struct nc_tcp_diag listener;
	int established = 0, syn_recv;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	NC_ASSERT_OK(nc_host_enter(server));
	NC_ASSERT_OK(nc_listener(c->addr, BACKLOG, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	for (int i = 0; i < CLIENTS; i++) {
		int fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));

		NC_ASSERT_OK(nc_connect_start(fd, &addr));
		established += nc_connect_finish(fd, DEADLINE_MS) == 0;
	}
	NC_ASSERT_OK(syn_recv = nc_diag_count(server, TCP_SYN_RECV, nc_sockaddr_port(&addr)));
	NC_ASSERT_OK(nc_diag_find(server, &addr, NULL, &listener));
	NC_ASSERT_OK(nc_host_enter(server));
	nc_observe(NC_KEY(SyncookiesSent, "SYN cookies sent by the server (TcpExt SyncookiesSent)"),
		   "%ld", nc_tcpext("SyncookiesSent"));
	NC_EXPECT_INT(NC_KEY(clients_ESTABLISHED, "clients ESTABLISHED"), established, CLIENTS);
	NC_EXPECT_INT(NC_KEY(backlog_sock_diag_wqueue, "backlog (sock_diag wqueue)"),
		      listener.wqueue, BACKLOG);
	NC_EXPECT_INT(NC_KEY(completed_queue_sock_diag_rqueue,
			     "completed queue (sock_diag rqueue)"),
		      listener.rqueue, 0);
	NC_EXPECT_INT(NC_KEY(server_SYN_RECV, "server connections in SYN_RECV"), syn_recv, CLIENTS);
}

NC_CHECK(listen, incomplete_queue_not_bounded) = {
	.summary = "with every final ACK dropped, 5 clients to a backlog-2 listener are ESTABLISHED and the server holds all 5 in SYN_RECV: the backlog does not bound the incomplete queue",
	.clauses = NC_CLAUSES("listen-3", "handshake-2", "handshake-3"),
	.scenario = "handshake-drop-final-ack",
	NC_CASES(incomplete_cases),
	.run = listen_incomplete_queue_not_bounded,
	.deadline_ms = 5000,
	.covers = "boundary:backlog-2 form:v4,v6",
	.needs = "sock_diag",
};

static const struct overflow_case {
	const char *name;
	const char *addr;
	const char *late_client;
	const char *abort_on_overflow;
	int want_read_errno;		/* 0: the segment is dropped in silence */
} overflow_cases[] = {
	{ "ipv4-abort",   SERVER_V4 ":80", CLIENT_V4 ":40001", "1", ECONNRESET },
	{ "ipv6-abort",   SERVER_V6 ":80", CLIENT_V6 ":40001", "1", ECONNRESET },
	{ "ipv4-silence", SERVER_V4 ":80", CLIENT_V4 ":40001", "0", 0 },
};

/* How long a client is watched getting no answer. */
#define QUIET_MS 200

/* The late client's byte, which carries its ACK at last, then a read of
 * the answer: the server's reset reaches read(), or write() already when
 * the server's SYN-ACK retransmission was answered first (the fault gone
 * and the machine slow to write: heavy soak, musl). */
static ssize_t send_then_read(int late)
{
	char byte = 'x';

	if (write(late, &byte, 1) < 0)
		return -1;
	nc_observe(NC_KEY(poll_late_client_POLLIN, "poll(late client, POLLIN)"),
		   "%d", nc_wait_fd(late, POLLIN, DEADLINE_MS));
	return read(late, &byte, 1);
}

/* Fills the accept queue (connecting until a client's SYN goes unanswered),
 * then lets the late client's held-back handshake complete into it. */
static void listen_overflow_on_late_ack(const struct nc_case_ctx *ctx)
{
	const struct overflow_case *c = ctx->data;
	struct nc_host *server = nc_ctx_host(ctx, "s");
	struct nc_sockaddr addr, late_addr;
	struct nc_tcp_diag listener, late_end;
	int late, filled = 0, revents, outq;
	char byte = 'x';

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	NC_ASSERT_OK(nc_sockaddr_parse(c->late_client, &late_addr));
	NC_ASSERT_OK(nc_sysctl_set(server, "net.ipv4.tcp_abort_on_overflow", c->abort_on_overflow));
	NC_ASSERT_OK(nc_host_enter(server));
	NC_ASSERT_OK(nc_listener(c->addr, 1, 0, NULL));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "c")));
	late = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(late, &late_addr.sa, late_addr.len));
	NC_ASSERT_SYS(connect(late, &addr.sa, addr.len));
	for (;;) {
		int fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));

		NC_ASSERT_OK(nc_connect_start(fd, &addr));
		if (nc_connect_finish(fd, QUIET_MS) < 0)
			break;		/* the queue is full: this SYN was dropped */
		if (++filled > 8)
			nc_fatal("the accept queue of a backlog-1 listener took %d connections", filled);
	}
	NC_ASSERT_OK(nc_diag_find(server, &addr, NULL, &listener));
	nc_observe(NC_KEY(connections_queued, "connections queued"), "%u", listener.rqueue);
	NC_ASSERT_OK(nc_diag_find(server, &addr, &late_addr, &late_end));
	NC_EXPECT_STATE(NC_STATE_AS(server, late_client,
				    "state(server, the late client's connection)"),
			late_end.state,
			TCP_SYN_RECV);

	NC_ASSERT_OK(nc_fault_del(ctx->net, "late-ack"));
	if (c->want_read_errno) {
		NC_EXPECT_ERRNO(send_then_read(late), c->want_read_errno, &addr);
		return;
	}
	NC_ASSERT_SYS(write(late, &byte, 1));	/* its ACK, at last */
	revents = nc_wait_fd(late, POLLIN, QUIET_MS);
	nc_observe(NC_KEY(poll_late_client_POLLIN, "poll(late client, POLLIN)"), "%d", revents);
	NC_EXPECT_INT(NC_KEY(poll_late_client_POLLIN_no_answer,
			     "poll(late client, POLLIN): no answer"),
		      revents, -ETIMEDOUT);
	NC_EXPECT_STATE(NC_STATE_AS(client, the_late_one, "state(client, the late one)"),
			nc_tcp_state(late), TCP_ESTABLISHED);
	NC_ASSERT_SYS(ioctl(late, SIOCOUTQ, &outq));
	NC_EXPECT_INT(NC_KEY(late_client_unacknowledged_bytes,
			     "late client's unacknowledged bytes"),
		      outq, 1);
}

NC_CHECK(listen, abort_on_overflow) = {
	.beyond = "the document says nothing of a handshake completing into a full accept queue, nor of net.ipv4.tcp_abort_on_overflow",
	.summary = "a handshake completing into a full accept queue (beyond the document): with tcp_abort_on_overflow 1 the server answers RST and the client reads ECONNRESET; with 0 the ACK is dropped in silence",
	.clauses = NC_CLAUSES("listen-3"),
	.scenario = "listen-overflow-late-ack",
	NC_CASES(overflow_cases),
	.run = listen_overflow_on_late_ack,
	.deadline_ms = 5000,
	.covers = "boundary:backlog-1 form:v4,v6",
	.needs = "sock_diag sysctl:net.ipv4.tcp_abort_on_overflow",
};

static const struct clamp_case {
	const char *name;
	int backlog;
	int want_backlog;		/* with net.core.somaxconn = 16 */
} clamp_cases[] = {
	{ "above-somaxconn", 1000, 16 },
	{ "int-max",         INT_MAX, 16 },
	{ "below-somaxconn", 8,    8 },
};

/* A backlog above net.core.somaxconn is cut down to it (read back through
 * sock_diag's wqueue, the listener's backlog). */
static void listen_backlog_clamped(const struct nc_case_ctx *ctx)
{
	struct nc_host *host = nc_ctx_host(ctx, "s");
	const struct clamp_case *c = ctx->data;
	struct nc_sockaddr addr;
	struct nc_tcp_diag listener;
	char somaxconn[32];
	unsigned queued, backlog;
	int listen_fd;

	NC_ASSERT_OK(nc_host_enter(host));
	NC_ASSERT_OK(nc_sysctl_set(host, "net.core.somaxconn", "16"));
	NC_ASSERT_OK(nc_sysctl_get(host, "net.core.somaxconn", somaxconn, sizeof(somaxconn)));
	nc_observe("net.core.somaxconn", "%s", somaxconn);
	NC_ASSERT_OK(listen_fd = nc_listener("127.0.0.1:0", c->backlog, 0, &addr));
	NC_ASSERT_OK(nc_diag_find(host, &addr, NULL, &listener));
	NC_ASSERT_OK(nc_listener_queue(listen_fd, &queued, &backlog));
	NC_EXPECT_INT(NC_KEY(backlog_by_TCP_INFO_against_sock_diag,
			     "backlog by TCP_INFO, against sock_diag"),
		      backlog, listener.wqueue);
	nc_observe(NC_KEY(listen_backlog, "listen() backlog"), "%d", c->backlog);
	NC_EXPECT_INT(NC_KEY(backlog_sock_diag_wqueue, "backlog (sock_diag wqueue)"),
		      listener.wqueue, c->want_backlog);
}

NC_CHECK(listen, backlog_clamped) = {
	.beyond = "the document says nothing of net.core.somaxconn clamping a larger backlog",
	.summary = "with net.core.somaxconn 16, listen(fd, 1000) and listen(fd, INT_MAX) get backlog 16, listen(fd, 8) keeps 8",
	.clauses = NC_CLAUSES("listen-4", "listen-3"),
	.scenario = "loopback-only",
	NC_CASES(clamp_cases),
	.run = listen_backlog_clamped,
	.deadline_ms = 5000,
	.needs = "sock_diag sysctl:net.core.somaxconn",
};

#define DOCUMENT_DEFAULT_BACKLOG 128

/* The document's default of 128: the bound every backlog gets in a new
 * network namespace, measured as the backlog of listen(fd, INT_MAX) through
 * sock_diag.  net.core.somaxconn is that bound's setting: observed, where
 * the kernel shows it (6.1 hides net.core in a namespace owned by a user
 * namespace), as is the C library's SOMAXCONN. */
static void listen_default_backlog(const struct nc_case_ctx *ctx)
{
	struct nc_host *host = nc_ctx_host(ctx, "s");
	struct nc_sockaddr addr;
	struct nc_tcp_diag listener;
	char somaxconn[32];
	unsigned queued, backlog;
	int listen_fd;

	NC_ASSERT_OK(nc_host_enter(host));
	nc_observe(NC_KEY(SOMAXCONN_libc, "SOMAXCONN (libc)"), "%d", SOMAXCONN);
	if (nc_sysctl_get(host, "net.core.somaxconn", somaxconn, sizeof(somaxconn)) == 0)
		nc_observe("net.core.somaxconn", "%s", somaxconn);
	else
		nc_observe("net.core.somaxconn", "hidden in this network namespace");
	NC_ASSERT_OK(listen_fd = nc_listener("127.0.0.1:0", INT_MAX, 0, &addr));
	NC_ASSERT_OK(nc_diag_find(host, &addr, NULL, &listener));
	NC_ASSERT_OK(nc_listener_queue(listen_fd, &queued, &backlog));
	NC_EXPECT_INT(NC_KEY(backlog_by_TCP_INFO_against_sock_diag,
			     "backlog by TCP_INFO, against sock_diag"),
		      backlog, listener.wqueue);
	NC_EXPECT_INT(NC_KEY(backlog_of_INT_MAX, "backlog of listen(fd, INT_MAX)"),
		      listener.wqueue, DOCUMENT_DEFAULT_BACKLOG);
}

NC_CHECK(listen, default_backlog) = {
	.summary = "the default bound on the backlog (the backlog listen(fd, INT_MAX) gets in a new namespace, read through sock_diag; net.core.somaxconn observed) is 128",
	.clauses = NC_CLAUSES("listen-4"),
	.scenario = "loopback-only",
	.run = listen_default_backlog,
	.deadline_ms = 5000,
	.covers = "boundary:backlog-int-max",
	.needs = "sock_diag",
};

/* The backlog listen() records: read back through TCP_INFO (tcpi_sacked of
 * a listener), against the bound listen(fd, INT_MAX) gets (net.core.somaxconn,
 * which some kernels hide from a namespace). */
#define AT_MOST -1
#define NOT_BEFORE INT_MIN

static const struct backlog_edge_case {
	const char *name;
	const char *addr;		/* NULL: unbound, listen() picks a port */
	int earlier_backlog;		/* a listen() before, or NOT_BEFORE */
	int backlog;
	int want;			/* AT_MOST: the bound */
} backlog_edge_cases[] = {
	{ "backlog-0",          "127.0.0.1:0", NOT_BEFORE, 0,       0 },
	{ "backlog-1",          "127.0.0.1:0", NOT_BEFORE, 1,       1 },
	{ "backlog-negative",   "127.0.0.1:0", NOT_BEFORE, -1,      AT_MOST },
	{ "backlog-int-max",    "[::1]:0",     NOT_BEFORE, INT_MAX, AT_MOST },
	{ "listening-again",    "[::1]:0",     8,          2,       2 },
	{ "unbound",            NULL,          NOT_BEFORE, 4,       4 },
};

static unsigned backlog_of(int fd)
{
	unsigned queued, backlog;

	NC_ASSERT_OK(nc_listener_queue(fd, &queued, &backlog));
	return backlog;
}

/* listen() returns 0 and records the backlog given, 0 and 1 included; a
 * negative one is taken as the largest (it is unsigned to the kernel), as
 * INT_MAX; a second listen() sets the new one; an unbound socket gets an
 * ephemeral port and listens. */
static void listen_backlog_edges(const struct nc_case_ctx *ctx)
{
	const struct backlog_edge_case *c = ctx->data;
	struct nc_sockaddr addr, bound;
	int fd, bound_fd, accepting;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr ? c->addr : "127.0.0.1:0", &addr));
	fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	if (c->addr)
		NC_ASSERT_SYS(bind(fd, &addr.sa, addr.len));
	if (c->earlier_backlog != NOT_BEFORE)
		NC_EXPECT_INT(NC_KEY(first_listen_return, "first listen() return"),
			      listen(fd, c->earlier_backlog), 0);
	NC_EXPECT_INT(NC_KEY(listen_return, "listen() return"), listen(fd, c->backlog), 0);
	NC_ASSERT_OK(nc_getsockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting));
	NC_EXPECT_INT("SO_ACCEPTCONN", accepting, 1);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
	NC_EXPECT_TRUE(nc_sockaddr_port(&bound) > 0, "the listener has port 0");
	nc_observe(NC_KEY(listen_backlog, "listen() backlog"), "%d", c->backlog);
	if (c->want == AT_MOST) {
		bound_fd = NC_ASSERT_FD(socket(AF_INET, SOCK_STREAM, 0));
		NC_ASSERT_SYS(listen(bound_fd, INT_MAX));
		NC_EXPECT_INT(NC_KEY(backlog_TCP_INFO_against_listen_INT_MAX,
				     "backlog (TCP_INFO), against listen(INT_MAX)'s"),
			      backlog_of(fd),
			      backlog_of(bound_fd));
	} else {
		NC_EXPECT_INT(NC_KEY(backlog_TCP_INFO, "backlog (TCP_INFO)"),
			      backlog_of(fd), c->want);
	}
}

NC_CHECK(listen, backlog_edges) = {
	.summary = "listen() returns 0 and records its backlog at the edges: 0 and 1 as given, a negative one and INT_MAX as the bound; listening again sets the new backlog; an unbound socket listens on an ephemeral port",
	.clauses = NC_CLAUSES("listen-3", "listen-2", "listen-5"),
	NC_CASES(backlog_edge_cases),
	.run = listen_backlog_edges,
	.deadline_ms = 5000,
	.covers = "sequence:after-success boundary:backlog-0,backlog-1,backlog-negative,backlog-int-max form:v4,v6",
};
