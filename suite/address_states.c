/* The addresses getsockname(), getpeername() and accept() give, in every TCP
 * state the document names and in every form (document sections "地址信息
 * API" and "accept()"): IPv4, IPv6, and IPv4-mapped IPv6 on either end.
 * Every address is compared with one parsed from text, so every field
 * (sin_zero, sin6_flowinfo, sin6_scope_id) and the length are checked
 * against clean values, not against another call's answer; the buffer is
 * filled with guard bytes first, so a field the call leaves unwritten shows,
 * and so does a byte written past the address. */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addrlen_edges.h"
#include "check.h"
#include "sockaddr.h"
#include "wait.h"

#define WAIT_MS 2000

/* Where each end is: the client binds client_at and connects to connect_to;
 * the accepted socket's own address and its peer's, as the server sees them. */
static const struct address_form {
	const char *listen_at, *client_at, *connect_to, *server_local, *server_peer;
} v4 = { "127.0.0.1:4280", "127.0.0.1:4281", "127.0.0.1:4280",
	 "127.0.0.1:4280", "127.0.0.1:4281" },
  v6 = { "[::1]:4280", "[::1]:4281", "[::1]:4280", "[::1]:4280", "[::1]:4281" },
  /* a PF_INET6 client reaching an IPv4 listener through a mapped address */
  mapped_client = { "127.0.0.1:4280", "[::ffff:127.0.0.1]:4281", "[::ffff:127.0.0.1]:4280",
		    "127.0.0.1:4280", "127.0.0.1:4281" },
  /* an IPv4 client reaching a dual-stack PF_INET6 listener on in6addr_any */
  mapped_server = { "[::]:4280", "127.0.0.1:4281", "127.0.0.1:4280",
		    "[::ffff:127.0.0.1]:4280", "[::ffff:127.0.0.1]:4281" };

/* The client's state when the addresses are asked (the server's, if it has
 * one, in brackets). */
enum conn_state {
	SYN_SENT,	/* the listener's queue full: the SYN goes unanswered */
	ESTABLISHED,	/* (ESTABLISHED) */
	CLOSE_WAIT,	/* the server shut its side: (FIN_WAIT_2) */
	RESET,		/* the server aborted: CLOSE, no server end */
};

static const struct state_case {
	const char *name;
	const struct address_form *form;
	enum conn_state state;
} state_cases[] = {
	{ "syn-sent-ipv4",            &v4,            SYN_SENT },
	{ "syn-sent-ipv6",            &v6,            SYN_SENT },
	{ "syn-sent-mapped-client",   &mapped_client, SYN_SENT },
	{ "established-ipv4",         &v4,            ESTABLISHED },
	{ "established-ipv6",         &v6,            ESTABLISHED },
	{ "established-mapped-client", &mapped_client, ESTABLISHED },
	{ "established-mapped-server", &mapped_server, ESTABLISHED },
	{ "close-wait-ipv4",          &v4,            CLOSE_WAIT },
	{ "close-wait-ipv6",          &v6,            CLOSE_WAIT },
	{ "close-wait-mapped-client", &mapped_client, CLOSE_WAIT },
	{ "close-wait-mapped-server", &mapped_server, CLOSE_WAIT },
	{ "reset-ipv4",               &v4,            RESET },
	{ "reset-ipv6",               &v6,            RESET },
	{ "reset-mapped-client",      &mapped_client, RESET },
};

static struct nc_sockaddr parsed(const char *text)
{
	struct nc_sockaddr addr;

	NC_ASSERT_OK(nc_sockaddr_parse(text, &addr));
	return addr;
}

/* A client in the case's state, and the accepted socket (-1 if none). */
struct connection {
	int client, server;
};

static struct connection connect_in_state(const struct state_case *c)
{
	struct nc_sockaddr listen_at = parsed(c->form->listen_at);
	struct nc_sockaddr client_at = parsed(c->form->client_at);
	struct nc_sockaddr to = parsed(c->form->connect_to);
	struct connection conn = { .server = -1 };
	int listen_fd, filler;
	struct linger abort_now = { .l_onoff = 1, .l_linger = 0 };

	listen_fd = NC_ASSERT_FD(socket(listen_at.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(listen_fd, &listen_at.sa, listen_at.len));
	/* backlog 0 holds one connection: a filler fills it, the client's
	 * SYN is then dropped and it stays in SYN_SENT */
	NC_ASSERT_SYS(listen(listen_fd, c->state == SYN_SENT ? 0 : 4));
	conn.client = NC_ASSERT_FD(socket(client_at.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(conn.client, &client_at.sa, client_at.len));
	if (c->state == SYN_SENT) {
		filler = NC_ASSERT_FD(socket(to.sa.sa_family, SOCK_STREAM, 0));
		NC_ASSERT_SYS(connect(filler, &to.sa, to.len));
		NC_ASSERT_OK(nc_connect_start(conn.client, &to));
		NC_ASSERT_OK(nc_wait_tcp_state(conn.client, TCP_SYN_SENT, WAIT_MS));
		return conn;
	}
	NC_ASSERT_SYS(connect(conn.client, &to.sa, to.len));
	conn.server = NC_ASSERT_FD(accept(listen_fd, NULL, NULL));
	if (c->state == CLOSE_WAIT) {
		NC_ASSERT_SYS(shutdown(conn.server, SHUT_WR));
		NC_ASSERT_OK(nc_wait_tcp_state(conn.client, TCP_CLOSE_WAIT, WAIT_MS));
		NC_ASSERT_OK(nc_wait_tcp_state(conn.server, TCP_FIN_WAIT2, WAIT_MS));
	} else if (c->state == RESET) {
		NC_ASSERT_SYS(setsockopt(conn.server, SOL_SOCKET, SO_LINGER, &abort_now,
					 sizeof(abort_now)));
		NC_ASSERT_SYS(close(conn.server));
		conn.server = -1;
		NC_ASSERT_OK(nc_wait_tcp_state(conn.client, TCP_CLOSE, WAIT_MS));
	}
	return conn;
}

/* A buffer for an address, every byte GUARD_BYTE, its length the whole. */
static struct nc_sockaddr guarded(void)
{
	struct nc_sockaddr addr;

	memset(&addr, GUARD_BYTE, sizeof(addr));
	addr.len = sizeof(addr.ss);
	return addr;
}

/* The bytes of addr past its length that are no longer GUARD_BYTE. */
static unsigned written_past(const struct nc_sockaddr *addr)
{
	const unsigned char *bytes = (const unsigned char *)&addr->ss;
	unsigned written = 0;

	for (size_t i = addr->len; i < sizeof(addr->ss); i++)
		written += bytes[i] != GUARD_BYTE;
	return written;
}

/* call(fd) returns 0 and want, every field and the length, and writes
 * nothing past the address. */
#define EXPECT_NAME(call, fd, end, want_text) do {			\
	struct nc_sockaddr got_ = guarded(), want_ = parsed(want_text);	\
	NC_EXPECT_INT(NC_KEY(call##_##end##_return, #call "(" #end ") return"), \
		      call((fd), &got_.sa, &got_.len), 0);		\
	NC_EXPECT_ADDR(NC_KEY(call##_##end, #call "(" #end ")"), &got_, &want_); \
	NC_EXPECT_INT(NC_KEY(call##_##end##_written_past, #call "(" #end ") bytes written past the address"), \
		      written_past(&got_), 0);				\
} while (0)

/* getsockname() names the address each end is bound to in every state:
 * the client keeps the one it bound from SYN_SENT on, even once reset. */
static void sockname_in_state(const struct nc_case_ctx *ctx)
{
	const struct state_case *c = ctx->data;
	struct connection conn = connect_in_state(c);

	EXPECT_NAME(getsockname, conn.client, client, c->form->client_at);
	if (conn.server >= 0)
		EXPECT_NAME(getsockname, conn.server, server, c->form->server_local);
}

/* getpeername() names the peer while the connection has one, half-closed
 * included (CLOSE_WAIT, FIN_WAIT_2); before the handshake and after the
 * reset there is none: ENOTCONN, as for a socket never connected. */
static void peername_in_state(const struct nc_case_ctx *ctx)
{
	const struct state_case *c = ctx->data;
	struct connection conn = connect_in_state(c);
	struct nc_sockaddr addr = { .len = sizeof(addr.ss) };

	if (c->state == SYN_SENT || c->state == RESET)
		NC_EXPECT_ERRNO(getpeername(conn.client, &addr.sa, &addr.len), ENOTCONN, NULL);
	else
		EXPECT_NAME(getpeername, conn.client, client, c->form->connect_to);
	if (conn.server >= 0)
		EXPECT_NAME(getpeername, conn.server, server, c->form->server_peer);
}

NC_CHECK(getsockname, in_every_state) = {
	.summary = "getsockname() returns 0 and the bound address, every field exact, at both ends in SYN_SENT, ESTABLISHED, CLOSE_WAIT/FIN_WAIT_2 and after an RST; IPv4, IPv6 and v4-mapped on either end",
	.clauses = NC_CLAUSES("getsockname-1", "getsockname-3", "connect-2"),
	NC_CASES(state_cases),
	.run = sockname_in_state,
	.deadline_ms = 5000,
	.covers = "state:syn-sent,established,close-wait,fin-wait-2,reset form:v4,v6,mapped field:sin_zero,sin6_flowinfo,sin6_scope_id,len",
};

NC_CHECK(getpeername, in_every_state) = {
	.summary = "getpeername() returns the peer, every field exact, in ESTABLISHED, CLOSE_WAIT and FIN_WAIT_2, and fails with ENOTCONN in SYN_SENT and after an RST; IPv4, IPv6 and v4-mapped on either end",
	.clauses = NC_CLAUSES("getpeername-1", "getpeername-2"),
	NC_CASES(state_cases),
	.run = peername_in_state,
	.deadline_ms = 5000,
	.covers = "state:syn-sent,established,close-wait,fin-wait-2,reset form:v4,v6,mapped field:sin_zero,sin6_flowinfo,sin6_scope_id,len",
};

static const struct form_case {
	const char *name;
	const struct address_form *form;
} form_cases[] = {
	{ "ipv4",          &v4 },
	{ "ipv6",          &v6 },
	{ "mapped-client", &mapped_client },
	{ "mapped-server", &mapped_server },
};

/* accept() stores the client's address as the server sees it, every field
 * exact: a v4 client of a dual-stack listener as ::ffff:a.b.c.d. */
static void accept_peer_in_form(const struct nc_case_ctx *ctx)
{
	const struct form_case *c = ctx->data;
	struct nc_sockaddr listen_at = parsed(c->form->listen_at);
	struct nc_sockaddr client_at = parsed(c->form->client_at);
	struct nc_sockaddr to = parsed(c->form->connect_to), want = parsed(c->form->server_peer);
	struct nc_sockaddr got = guarded();
	int listen_fd, client;

	listen_fd = NC_ASSERT_FD(socket(listen_at.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(listen_fd, &listen_at.sa, listen_at.len));
	NC_ASSERT_SYS(listen(listen_fd, 4));
	client = NC_ASSERT_FD(socket(client_at.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(client, &client_at.sa, client_at.len));
	NC_ASSERT_SYS(connect(client, &to.sa, to.len));
	NC_EXPECT_TRUE(accept(listen_fd, &got.sa, &got.len) >= 0, "accept() = -1 %s",
		       nc_errno_name(errno));
	NC_EXPECT_ADDR(NC_KEY(peer_accept_stored, "peer accept() stored"), &got, &want);
	NC_EXPECT_INT(NC_KEY(peer_accept_written_past, "accept() bytes written past the address"),
		      written_past(&got), 0);
}

NC_CHECK(accept, peer_in_every_form) = {
	.summary = "accept() stores the peer's address and its length, every field exact (sin_zero, sin6_flowinfo, sin6_scope_id): IPv4, IPv6, a mapped client, and a v4 client of a dual-stack listener as ::ffff:a.b.c.d",
	.clauses = NC_CLAUSES("accept-4", "accept-7"),
	NC_CASES(form_cases),
	.run = accept_peer_in_form,
	.deadline_ms = 5000,
	.covers = "form:v4,v6,mapped field:sin_zero,sin6_flowinfo,sin6_scope_id,len",
};
