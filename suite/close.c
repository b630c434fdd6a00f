/* The four-way close, state by state (document section "关闭连接流程").
 * Every state is read from the kernel: sock_diag for a closed descriptor's
 * connection (and CLOSED as its absence), TCP_INFO for an open one.  The
 * client is in host c, the server in host s; a FIN is made to go
 * unacknowledged by scenarios/close-server-fin-lost.scn. */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addresses.h"
#include "case_host.h"
#include "check.h"
#include "net.h"
#include "net_fault.h"
#include "stream_pair.h"
#include "wait.h"
#include "diag.h"

/* A veth answers in microseconds: 2 s is a deadline, not a guess. */
#define WAIT_MS 2000
/* Linux's TIME_WAIT lasts TCP_TIMEWAIT_LEN = 60 s = 2MSL (MSL 30 s). */
#define TWO_MSL_MS 60000
/* The timer is read within a second of entering TIME_WAIT; more than this
 * left means it was (re)started at 2MSL just now. */
#define TWO_MSL_READ_SLACK_MS 5000
/* sock_diag's idiag_timer of a socket in TIME_WAIT */
#define SOCK_DIAG_TIME_WAIT_TIMER 3
/* The drop rule of close-server-fin-lost.scn. */
#define FIN_DROP_FAULT "fin-drop"

enum closer { CLIENT_FIRST, SERVER_FIRST };

static const struct family_case {
	const char *name;
	const char *listen_at;		/* the server's address in host s */
} family_cases[] = {
	{ "ipv4", SERVER_V4 ":0" },
	{ "ipv6", SERVER_V6 ":0" },
};

static const struct order_case {
	const char *name;
	const char *listen_at;
	enum closer first;
} order_cases[] = {
	{ "ipv4-client-first", SERVER_V4 ":0", CLIENT_FIRST },
	{ "ipv6-client-first", SERVER_V6 ":0", CLIENT_FIRST },
	/* the document's HTTP/1.0 case: the server replies, then closes first */
	{ "ipv4-server-first", SERVER_V4 ":0", SERVER_FIRST },
	{ "ipv6-server-first", SERVER_V6 ":0", SERVER_FIRST },
};

/* One end of the connection, as sock_diag and TCP_INFO find it. */
struct end {
	const char *who;
	const char *side;		/* "client", "server": the ladder's column */
	struct nc_host *host;
	int fd;				/* -1 once closed */
	const struct nc_sockaddr *local, *peer;
};

struct connection {
	struct nc_stream_pair pair;
	struct end client, server;
};

static void connection_open(const struct nc_case_ctx *ctx, const char *listen_at,
			    struct connection *conn)
{
	struct nc_host *c = nc_ctx_host(ctx, "c"), *s = nc_ctx_host(ctx, "s");
	struct nc_sockaddr at;

	NC_ASSERT_OK(nc_sockaddr_parse(listen_at, &at));
	NC_ASSERT_OK(nc_stream_pair_open(s, c, &at, &conn->pair));
	conn->client = (struct end){ "the client", "client", c, conn->pair.client,
				     &conn->pair.client_addr, &conn->pair.server_addr };
	conn->server = (struct end){ "the server", "server", s, conn->pair.server,
				     &conn->pair.server_addr, &conn->pair.client_addr };
}

static void end_close(struct end *end)
{
	NC_ASSERT_SYS(close(end->fd));
	end->fd = -1;
}

/* end's connection as sock_diag shows it once it is in want, or else at the
 * deadline (TCP_CLOSE: gone from sock_diag); *seen gets the socket. */
static int diag_state(const struct end *end, int want, struct nc_tcp_diag *seen)
{
	struct nc_tcp_diag diag;
	int err;

	memset(&diag, 0, sizeof(diag));
	err = nc_diag_wait_state(end->host, end->local, end->peer, want, WAIT_MS, &diag);
	if (err == -ETIMEDOUT)
		err = nc_diag_find(end->host, end->local, end->peer, &diag);
	if (err == -EOPNOTSUPP)		/* a closed socket's state has no other reader */
		nc_skip("sock_diag of %s: this system has none", end->who);
	if (err < 0 && err != -ENOENT)
		nc_fatal("sock_diag of %s: %s", end->who, nc_errno_name(-err));
	if (seen)
		*seen = diag;
	return err == -ENOENT ? TCP_CLOSE : diag.state;
}

/* The state of an end whose descriptor is still open (TCP_INFO), once it
 * is in want, or else at the deadline. */
static int own_state(const struct end *end, int want)
{
	nc_wait_tcp_state(end->fd, want, WAIT_MS);
	return nc_tcp_state(end->fd);
}

/* The FIN was sent: the drop rule on the other host counted it. */
static void expect_fin_dropped(const struct nc_case_ctx *ctx)
{
	uint64_t packets = 0;
	int err = nc_fault_wait_packets(ctx->net, FIN_DROP_FAULT, 1, WAIT_MS, &packets);

	if (err != -ETIMEDOUT)
		NC_ASSERT_OK(err);
	nc_observe("fins_dropped", "%llu", (unsigned long long)packets);
	NC_EXPECT_TRUE(packets > 0, "no FIN reached the client's drop rule");
}

/* The second closer reads to EOF (the FIN is in: CLOSE_WAIT), then closes. */
static void close_after_eof(struct end *end)
{
	char buf[256];
	long got;

	NC_ASSERT_OK(nc_wait_tcp_state(end->fd, TCP_CLOSE_WAIT, WAIT_MS));
	while ((got = read(end->fd, buf, sizeof(buf))) > 0)
		;
	NC_EXPECT_INT(NC_KEY(read_after_the_FIN, "read() after the FIN"), got, 0);
	end_close(end);
}

/* The whole four-way close, the first closer's FIN first. */
static void close_both(struct connection *conn, enum closer first,
		       struct end **active, struct end **passive)
{
	static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";

	*active = first == CLIENT_FIRST ? &conn->client : &conn->server;
	*passive = first == CLIENT_FIRST ? &conn->server : &conn->client;
	if (first == SERVER_FIRST)	/* HTTP/1.0: the reply, then the server's close */
		NC_EXPECT_INT(NC_KEY(write_reply, "write(reply)"),
			      write(conn->server.fd, reply, sizeof(reply) - 1),
			      sizeof(reply) - 1);
	end_close(*active);
	close_after_eof(*passive);
}

/* --- FIN_WAIT_1: the active closer's FIN is not yet acknowledged --- */

static void fin_wait_1_until_acked(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct connection conn;
	struct nc_tcp_diag diag;

	connection_open(ctx, c->listen_at, &conn);
	end_close(&conn.server);
	expect_fin_dropped(ctx);
	NC_EXPECT_STATE(NC_STATE(server), diag_state(&conn.server, TCP_FIN_WAIT1, &diag),
			TCP_FIN_WAIT1);
	nc_observe("timer", "%d (1: retransmit)", diag.timer);
	nc_observe("retransmits", "%u", diag.retransmits);
	NC_EXPECT_STATE(NC_STATE(client), own_state(&conn.client, TCP_ESTABLISHED),
			TCP_ESTABLISHED);
}

NC_CHECK(close, active_fin_wait_1) = {
	.summary = "close() sends a FIN and, while it is unacknowledged (dropped at the peer), the closer is in FIN_WAIT_1",
	.clauses = NC_CLAUSES("close-1", "close-9"),
	.scenario = "close-server-fin-lost",
	NC_CASES(family_cases),
	.run = fin_wait_1_until_acked,
	.deadline_ms = 5000,
	.covers = "state:fin-wait-1 form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* --- FIN_WAIT_2: the FIN is acknowledged, the peer has not closed --- */

static void fin_wait_2_until_peer_closes(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct connection conn;
	struct nc_tcp_diag diag;

	connection_open(ctx, c->listen_at, &conn);
	end_close(&conn.client);
	NC_EXPECT_STATE(NC_STATE(client), diag_state(&conn.client, TCP_FIN_WAIT2, &diag),
			TCP_FIN_WAIT2);
	/* an orphan in FIN_WAIT_2 lives on a timer of tcp_fin_timeout */
	nc_observe("timer", "%d, %u ms left", diag.timer, diag.timer_ms);
	NC_EXPECT_STATE(NC_STATE(server), own_state(&conn.server, TCP_CLOSE_WAIT), TCP_CLOSE_WAIT);
}

NC_CHECK(close, active_fin_wait_2) = {
	.summary = "once its FIN is acknowledged and until the peer closes, the active closer is in FIN_WAIT_2 (the peer in CLOSE_WAIT)",
	.clauses = NC_CLAUSES("close-1", "close-4"),
	.scenario = "close-clean",
	NC_CASES(family_cases),
	.run = fin_wait_2_until_peer_closes,
	.deadline_ms = 5000,
	.covers = "state:fin-wait-2 form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* --- CLOSE_WAIT: the passive side has the FIN, reads EOF, can still send --- */

enum first_fin { BY_CLOSE, BY_SHUTDOWN };

static const struct close_wait_case {
	const char *name;
	const char *listen_at;
	enum first_fin how;		/* shutdown(SHUT_WR): the closer still reads */
} close_wait_cases[] = {
	{ "ipv4-close",    SERVER_V4 ":0", BY_CLOSE },
	{ "ipv6-close",    SERVER_V6 ":0", BY_CLOSE },
	{ "ipv4-shutdown", SERVER_V4 ":0", BY_SHUTDOWN },
	{ "ipv6-shutdown", SERVER_V6 ":0", BY_SHUTDOWN },
};

static void close_wait_reads_eof(const struct nc_case_ctx *ctx)
{
	const struct close_wait_case *c = ctx->data;
	static const char late[] = "sent in CLOSE_WAIT";
	struct connection conn;
	char buf[64];
	long got;

	connection_open(ctx, c->listen_at, &conn);
	if (c->how == BY_CLOSE)
		end_close(&conn.client);
	else
		NC_ASSERT_SYS(shutdown(conn.client.fd, SHUT_WR));
	NC_EXPECT_STATE(NC_STATE(server), own_state(&conn.server, TCP_CLOSE_WAIT), TCP_CLOSE_WAIT);
	NC_EXPECT_INT(NC_KEY(read_in_CLOSE_WAIT, "read() in CLOSE_WAIT"),
		      read(conn.server.fd, buf, sizeof(buf)), 0);
	NC_EXPECT_INT(NC_KEY(read_again_in_CLOSE_WAIT, "read() again in CLOSE_WAIT"),
		      read(conn.server.fd, buf, sizeof(buf)), 0);

	/* the FIN closed one direction only: the passive side can still send */
	NC_EXPECT_INT(NC_KEY(write_in_CLOSE_WAIT, "write() in CLOSE_WAIT"),
		      write(conn.server.fd, late, sizeof(late)),
		      sizeof(late));
	if (c->how == BY_CLOSE)
		return;		/* nobody is left to read it */
	NC_EXPECT_STATE(NC_STATE(client), own_state(&conn.client, TCP_FIN_WAIT2), TCP_FIN_WAIT2);
	if (nc_wait_fd(conn.client.fd, POLLIN, WAIT_MS) < 0)
		nc_fatal("what the passive side sent never reached the closer");
	got = read(conn.client.fd, buf, sizeof(buf));
	NC_EXPECT_INT("closer_read", got, sizeof(late));
	NC_EXPECT_TRUE(memcmp(buf, late, sizeof(late)) == 0,
		       "the active closer read other bytes than those sent in CLOSE_WAIT");
}

NC_CHECK(close, passive_close_wait) = {
	.summary = "after the peer's FIN the passive side is in CLOSE_WAIT, read() returns 0, and it can still send (a half-closed peer receives it)",
	.clauses = NC_CLAUSES("close-2", "close-4"),
	.scenario = "close-clean",
	NC_CASES(close_wait_cases),
	.run = close_wait_reads_eof,
	.deadline_ms = 5000,
	.covers = "mode:blocking state:close-wait form:v4,v6",
	.capture = true,
};

/* --- LAST_ACK: the passive side closed, its FIN is not acknowledged --- */

static void last_ack_until_acked(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct connection conn;

	connection_open(ctx, c->listen_at, &conn);
	end_close(&conn.client);
	/* the client's FIN acknowledged first (a delayed ACK): a FIN+ACK would
	 * be dropped whole and leave the client in FIN_WAIT_1 until its RTO */
	NC_EXPECT_STATE(NC_STATE(client), diag_state(&conn.client, TCP_FIN_WAIT2, NULL),
			TCP_FIN_WAIT2);
	close_after_eof(&conn.server);
	expect_fin_dropped(ctx);
	NC_EXPECT_STATE(NC_STATE(server), diag_state(&conn.server, TCP_LAST_ACK, NULL),
			TCP_LAST_ACK);
	NC_EXPECT_STATE(NC_STATE_AS(client, after_the_server_close,
				    "state(client, after the server's close)"),
			diag_state(&conn.client, TCP_FIN_WAIT2, NULL), TCP_FIN_WAIT2);
}

NC_CHECK(close, passive_last_ack) = {
	.summary = "the passive side reads EOF and closes: its FIN is sent and, while unacknowledged (dropped at the peer), it is in LAST_ACK",
	.clauses = NC_CLAUSES("close-5", "close-9"),
	.scenario = "close-server-fin-lost",
	NC_CASES(family_cases),
	.run = last_ack_until_acked,
	.deadline_ms = 5000,
	.covers = "state:last-ack form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* --- TIME_WAIT and CLOSED: the whole exchange done --- */

/* Whoever closes first, client or server, ends in TIME_WAIT. */
static void first_closer_time_wait(const struct nc_case_ctx *ctx)
{
	const struct order_case *c = ctx->data;
	struct end *active, *passive;
	struct connection conn;

	connection_open(ctx, c->listen_at, &conn);
	close_both(&conn, c->first, &active, &passive);
	nc_observe("active_closer", "%s", active->who);
	NC_EXPECT_STATE(nc_state_key(active->side),
			diag_state(active, TCP_TIME_WAIT, NULL), TCP_TIME_WAIT);
}

NC_CHECK(close, active_time_wait) = {
	.summary = "after the peer's FIN the active closer, client or server (HTTP/1.0), is in TIME_WAIT",
	.clauses = NC_CLAUSES("close-6", "close-11"),
	.scenario = "close-clean",
	NC_CASES(order_cases),
	.run = first_closer_time_wait,
	.deadline_ms = 5000,
	.covers = "state:time-wait form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* The passive side's connection is gone once its FIN is acknowledged. */
static void second_closer_closed(const struct nc_case_ctx *ctx)
{
	const struct order_case *c = ctx->data;
	struct end *active, *passive;
	struct connection conn;

	connection_open(ctx, c->listen_at, &conn);
	close_both(&conn, c->first, &active, &passive);
	NC_EXPECT_STATE(nc_state_key(passive->side), diag_state(passive, TCP_CLOSE, NULL),
			TCP_CLOSE);
	NC_EXPECT_STATE(nc_state_key(active->side),
			diag_state(active, TCP_TIME_WAIT, NULL), TCP_TIME_WAIT);
}

NC_CHECK(close, passive_closed) = {
	.summary = "once its FIN is acknowledged the passive closer, server or client, is CLOSED (gone from sock_diag)",
	.clauses = NC_CLAUSES("close-7", "close-11"),
	.scenario = "close-clean",
	NC_CASES(order_cases),
	.run = second_closer_closed,
	.deadline_ms = 5000,
	.covers = "state:closed form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};

/* close-8 is judged from the timer, not waited out: the socket in TIME_WAIT
 * carries the TIME_WAIT timer (sock_diag kind 3), whose expiry removes it,
 * with 2MSL = 60 s (Linux's TCP_TIMEWAIT_LEN, MSL 30 s) left on entry. */
static void time_wait_lasts_2msl(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct end *active, *passive;
	struct connection conn;
	struct nc_tcp_diag diag;

	connection_open(ctx, c->listen_at, &conn);
	close_both(&conn, CLIENT_FIRST, &active, &passive);
	NC_EXPECT_STATE(NC_STATE(client), diag_state(active, TCP_TIME_WAIT, &diag), TCP_TIME_WAIT);
	NC_EXPECT_INT("timer", diag.timer, SOCK_DIAG_TIME_WAIT_TIMER);
	/* 2MSL, less the time since entry */
	NC_EXPECT_RANGE("timewait_remaining_ms", diag.timer_ms,
			TWO_MSL_MS - TWO_MSL_READ_SLACK_MS + 1, TWO_MSL_MS);
}

NC_CHECK(close, time_wait_lasts_2msl) = {
	.summary = "TIME_WAIT ends on its own timer, set to 2MSL (60 s on Linux) on entry: read from sock_diag, not waited out",
	.clauses = NC_CLAUSES("close-8"),
	.scenario = "close-clean",
	NC_CASES(family_cases),
	.run = time_wait_lasts_2msl,
	.deadline_ms = 5000,
	.covers = "state:time-wait form:v4,v6",
	.needs = "sock_diag",
	.capture = true,
};
