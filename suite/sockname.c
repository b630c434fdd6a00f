/* getsockname() and getpeername(): the two ends' addresses, truncation and
 * errors (document section "地址信息 API").  One file: the two calls take
 * the same arguments and are checked against each other. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addrlen_edges.h"
#include "check.h"
#include "endpoint.h"
#include "sockaddr.h"
#include "stream_pair.h"

static const struct pair_case {
	const char *name;
	const char *listen_at;		/* NULL: the abstract PF_LOCAL name below */
} pair_cases[] = {
	{ "ipv4",  "127.0.0.1:0" },
	{ "ipv6",  "[::1]:0" },
	{ "local", NULL },
};

static void pair_open(const struct pair_case *c, struct nc_stream_pair *pair)
{
	struct nc_sockaddr listen_at;

	if (c->listen_at)
		NC_ASSERT_OK(nc_sockaddr_parse(c->listen_at, &listen_at));
	else
		nc_sockaddr_abstract("netconform-sockname", &listen_at);
	NC_ASSERT_OK(nc_stream_pair_open(NULL, NULL, &listen_at, pair));
}


/* Calls getsockname()/getpeername() with room for any address; the call,
 * its return, the length and the address are all checked by the caller. */
#define ASK(call, fd, out) ({						\
	memset((out), 0, sizeof(*(out)));				\
	(out)->len = sizeof((out)->ss);					\
	call((fd), &(out)->sa, &(out)->len);				\
})


/* The client's implicit address: an inet one has the loopback address of
 * the listener and a port the kernel chose; a PF_LOCAL client is unnamed. */
static void expect_implicit_client(const struct nc_stream_pair *pair,
				   const struct nc_sockaddr *client_local)
{
	sa_family_t family = pair->server_addr.sa.sa_family;

	NC_EXPECT_INT(NC_KEY(client_sa_family, "client's sa_family"),
		      client_local->sa.sa_family, family);
	if (family == AF_UNIX) {
		NC_EXPECT_INT(NC_KEY(client_address_length_unnamed,
				     "client's address length (unnamed)"),
			      client_local->len,
			      sizeof(sa_family_t));
		return;
	}
	NC_EXPECT_INT(NC_KEY(client_address_length, "client's address length"),
		      client_local->len, pair->server_addr.len);
	NC_EXPECT_TRUE(nc_sockaddr_port(client_local) > 0, "client's port is 0");
}

/* getsockname() on both ends of a connection: the accepted socket has the
 * listener's address, the client the one its implicit bind gave it, which is
 * what the server's getpeername() says. */
static void sockname_of_both_ends(const struct nc_case_ctx *ctx)
{
	struct nc_sockaddr client_local, server_local, server_peer;
	struct nc_stream_pair pair;

	pair_open(ctx->data, &pair);
	NC_EXPECT_INT(NC_KEY(getsockname_client_return, "getsockname(client) return"),
		      ASK(getsockname, pair.client, &client_local), 0);
	NC_EXPECT_INT(NC_KEY(getsockname_server_return, "getsockname(server) return"),
		      ASK(getsockname, pair.server, &server_local), 0);
	NC_ASSERT_OK(nc_sockaddr_peer(pair.server, &server_peer));
	nc_observe("addrlen", "%u", (unsigned)server_local.len);
	NC_EXPECT_ADDR(NC_KEY(getsockname_accepted_socket, "getsockname(accepted socket)"),
		       &server_local, &pair.server_addr);
	expect_implicit_client(&pair, &client_local);
	NC_EXPECT_ADDR(NC_KEY(getsockname_client_against_getpeername_server,
			      "getsockname(client) against getpeername(server)"),
		       &client_local,
		       &server_peer);
}

NC_CHECK(getsockname, connected) = {
	.summary = "getsockname() returns 0 and the local address and its length at both ends of a connection (IPv4, IPv6, PF_LOCAL)",
	.clauses = NC_CLAUSES("getsockname-1", "getsockname-3"),
	NC_CASES(pair_cases),
	.run = sockname_of_both_ends,
	.deadline_ms = 3000,
	.covers = "state:established form:v4,v6,local field:len",
};

/* getpeername() on both ends: each names the other's local address. */
static void peername_of_both_ends(const struct nc_case_ctx *ctx)
{
	struct nc_sockaddr client_peer, server_peer, client_local;
	struct nc_stream_pair pair;

	pair_open(ctx->data, &pair);
	NC_EXPECT_INT(NC_KEY(getpeername_client_return, "getpeername(client) return"),
		      ASK(getpeername, pair.client, &client_peer), 0);
	NC_EXPECT_INT(NC_KEY(getpeername_server_return, "getpeername(server) return"),
		      ASK(getpeername, pair.server, &server_peer), 0);
	NC_ASSERT_OK(nc_sockaddr_local(pair.client, &client_local));
	nc_observe("addrlen", "%u", (unsigned)client_peer.len);
	NC_EXPECT_ADDR(NC_KEY(getpeername_client, "getpeername(client)"),
		       &client_peer, &pair.server_addr);
	expect_implicit_client(&pair, &server_peer);
	NC_EXPECT_ADDR(NC_KEY(getpeername_server_against_getsockname_client,
			      "getpeername(server) against getsockname(client)"),
		       &server_peer,
		       &client_local);
}

NC_CHECK(getpeername, connected) = {
	.summary = "getpeername() returns 0 and the remote address and its length at both ends of a connection (IPv4, IPv6, PF_LOCAL)",
	.clauses = NC_CLAUSES("getpeername-1", "getpeername-2"),
	NC_CASES(pair_cases),
	.run = peername_of_both_ends,
	.deadline_ms = 3000,
	.covers = "state:established form:v4,v6,local field:len",
};

enum implicit_bind { BY_CONNECT, BY_LISTEN, BY_SENDTO };

static const struct ephemeral_case {
	const char *name;
	const char *loopback;		/* the address to reach */
	int type;
	enum implicit_bind how;
} ephemeral_cases[] = {
	{ "ipv4-connect", "127.0.0.1", SOCK_STREAM, BY_CONNECT },
	{ "ipv6-connect", "::1",       SOCK_STREAM, BY_CONNECT },
	{ "ipv4-listen",  "127.0.0.1", SOCK_STREAM, BY_LISTEN },
	{ "ipv4-sendto",  "127.0.0.1", SOCK_DGRAM,  BY_SENDTO },
	{ "ipv6-sendto",  "::1",       SOCK_DGRAM,  BY_SENDTO },
};

/* An unbound socket gets an ephemeral port from the kernel when it is first
 * used; getsockname() then reports it. */
static void ephemeral_port_reported(const struct nc_case_ctx *ctx)
{
	const struct ephemeral_case *c = ctx->data;
	struct nc_sockaddr target, local;
	int fd, low, high, port;

	NC_ASSERT_OK(nc_sockaddr_parse(c->loopback, &target));
	fd = NC_ASSERT_FD(socket(target.sa.sa_family, c->type, 0));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &local));
	NC_EXPECT_INT(NC_KEY(port_before_the_implicit_bind, "port before the implicit bind"),
		      nc_sockaddr_port(&local), 0);
	NC_EXPECT_INT(NC_KEY(addrlen_before_the_implicit_bind, "addrlen before the implicit bind"),
		      local.len, target.len);
	switch (c->how) {
	case BY_CONNECT: {
		int listen_fd = NC_ASSERT_FD(socket(target.sa.sa_family, SOCK_STREAM, 0));

		NC_ASSERT_SYS(bind(listen_fd, &target.sa, target.len));
		NC_ASSERT_SYS(listen(listen_fd, 1));
		NC_ASSERT_OK(nc_sockaddr_local(listen_fd, &target));
		NC_ASSERT_SYS(connect(fd, &target.sa, target.len));
		break;
	}
	case BY_LISTEN:
		NC_ASSERT_SYS(listen(fd, 1));
		break;
	case BY_SENDTO:
		nc_sockaddr_set_port(&target, 9);	/* discard: no reply needed */
		NC_ASSERT_SYS(sendto(fd, "x", 1, 0, &target.sa, target.len));
		break;
	}
	NC_EXPECT_INT(NC_KEY(getsockname_return, "getsockname() return"),
		      ASK(getsockname, fd, &local), 0);
	port = nc_sockaddr_port(&local);
	NC_ASSERT_OK(nc_local_port_range(&low, &high));
	NC_EXPECT_RANGE("port", port, low, high);
	NC_EXPECT_INT("addrlen", local.len, target.len);
}

NC_CHECK(getsockname, ephemeral_port) = {
	.summary = "after an implicit bind (connect(), listen(), sendto()) getsockname() reports the kernel-chosen ephemeral port",
	.clauses = NC_CLAUSES("getsockname-1"),
	NC_CASES(ephemeral_cases),
	.run = ephemeral_port_reported,
	.deadline_ms = 3000,
	.covers = "form:v4,v6",
};

static const struct wildcard_case {
	const char *name;
	const char *any;		/* the wildcard, port 0 */
} wildcard_cases[] = {
	{ "ipv4", "0.0.0.0:0" },
	{ "ipv6", "[::]:0" },
};

/* bind() to the wildcard: getsockname() gives back the wildcard, with the
 * port bind() chose. */
static void wildcard_reported(const struct nc_case_ctx *ctx)
{
	const struct wildcard_case *c = ctx->data;
	struct nc_sockaddr any, local;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->any, &any));
	fd = NC_ASSERT_FD(socket(any.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(fd, &any.sa, any.len));
	NC_EXPECT_INT(NC_KEY(getsockname_return, "getsockname() return"),
		      ASK(getsockname, fd, &local), 0);
	NC_EXPECT_TRUE(nc_sockaddr_port(&local) > 0, "bind(port 0) left port 0");
	nc_sockaddr_set_port(&local, 0);	/* the port is the kernel's: compare the rest */
	NC_EXPECT_ADDR(NC_KEY(getsockname_after_bind_wildcard,
			      "getsockname() after bind(wildcard)"),
		       &local, &any);
}

NC_CHECK(getsockname, wildcard) = {
	.summary = "after bind(INADDR_ANY / in6addr_any, port 0) getsockname() reports the wildcard address and the chosen port",
	.clauses = NC_CLAUSES("getsockname-1"),
	NC_CASES(wildcard_cases),
	.run = wildcard_reported,
	.deadline_ms = 3000,
	.covers = "form:v4,v6",
};

enum which_end { LOCAL_END, PEER_END };

static const struct truncated_case {
	const char *name;
	const char *listen_at;		/* NULL: abstract PF_LOCAL */
	socklen_t room;			/* *address_len given: at most the address's size */
} truncated_cases[] = {
	{ "ipv4",  "127.0.0.1:0", 6 },	/* family and port, half the address */
	{ "ipv6",  "[::1]:0",     12 },
	{ "local", NULL,          5 },	/* family, '\0' and two bytes of the name */
	ADDRLEN_EDGE_ROWS,	/* exactly enough, one byte short, nothing */
};

/* With *address_len smaller than the address, the call writes only that
 * many bytes of it (the guard past them stays untouched) and, as
 * getsockname-1 says, stores the address's (full) length in *address_len;
 * with exactly enough room it writes it whole, with none nothing. */
static void truncated_to_room(const struct truncated_case *c, enum which_end end)
{
	unsigned char buf[sizeof(struct sockaddr_storage) + 16];
	const struct pair_case pair_case = { c->name, c->listen_at };
	struct nc_stream_pair pair;
	struct nc_sockaddr full;
	socklen_t len = c->room;
	size_t i, first_bad = sizeof(buf);
	int ret;

	pair_open(&pair_case, &pair);
	/* the server end: its local and peer addresses are both named */
	if (end == LOCAL_END)
		NC_ASSERT_OK(nc_sockaddr_local(pair.server, &full));
	else
		NC_ASSERT_OK(nc_sockaddr_peer(pair.client, &full));
	memset(buf, GUARD_BYTE, sizeof(buf));
	if (end == LOCAL_END)
		ret = getsockname(pair.server, (struct sockaddr *)buf, &len);
	else
		ret = getpeername(pair.client, (struct sockaddr *)buf, &len);
	NC_EXPECT_INT("return", ret, 0);
	NC_EXPECT_INT("addrlen", len, full.len);
	NC_EXPECT_TRUE(memcmp(buf, &full.ss, c->room) == 0,
		       "the %u bytes written are not the address's first bytes", (unsigned)c->room);
	for (i = c->room; i < sizeof(buf); i++)
		if (buf[i] != GUARD_BYTE && first_bad == sizeof(buf))
			first_bad = i;
	NC_EXPECT_INT("bytes_written", first_bad == sizeof(buf) ? c->room : first_bad + 1, c->room);
}

static void sockname_truncated(const struct nc_case_ctx *ctx)
{
	truncated_to_room(ctx->data, LOCAL_END);
}

static void peername_truncated(const struct nc_case_ctx *ctx)
{
	truncated_to_room(ctx->data, PEER_END);
}

NC_CHECK(getsockname, truncated) = {
	.summary = "with *address_len smaller than the address (half, one byte short, 0) getsockname() writes only that many bytes and stores the full length; with exactly enough it writes it whole",
	.clauses = NC_CLAUSES("getsockname-2", "getsockname-1"),
	NC_CASES(truncated_cases),
	.run = sockname_truncated,
	.deadline_ms = 3000,
	.covers = "boundary:len-exact,len-one-short,len-half,len-0 form:v4,v6,local",
};

NC_CHECK(getpeername, truncated) = {
	.summary = "with *address_len smaller than the address (half, one byte short, 0) getpeername() writes only that many bytes and stores the full length, as getsockname(); with exactly enough it writes it whole",
	.clauses = NC_CLAUSES("getpeername-2"),
	NC_CASES(truncated_cases),
	.run = peername_truncated,
	.deadline_ms = 3000,
	.covers = "boundary:len-exact,len-one-short,len-half,len-0 form:v4,v6,local",
};

enum bad_fd { CLOSED_FD, PIPE_FD, UNCONNECTED_TCP, LISTENING_TCP, UNCONNECTED_UDP };

static const struct failure_case {
	const char *name;
	enum bad_fd what;
	int want_errno;
} sockname_failure_cases[] = {
	{ "closed-descriptor", CLOSED_FD, EBADF },
	{ "pipe",              PIPE_FD,   ENOTSOCK },
}, peername_failure_cases[] = {
	{ "closed-descriptor", CLOSED_FD,       EBADF },
	{ "pipe",              PIPE_FD,         ENOTSOCK },
	{ "unconnected-tcp",   UNCONNECTED_TCP, ENOTCONN },
	{ "listening-tcp",     LISTENING_TCP,   ENOTCONN },
	{ "unconnected-udp",   UNCONNECTED_UDP, ENOTCONN },
};

static int descriptor_for(enum bad_fd what)
{
	int fds[2], fd;

	switch (what) {
	case CLOSED_FD:
		fd = NC_ASSERT_FD(socket(AF_INET, SOCK_STREAM, 0));
		close(fd);		/* a descriptor that was a socket and is no more */
		return fd;
	case PIPE_FD:
		NC_ASSERT_SYS(pipe(fds));
		return fds[0];
	case UNCONNECTED_TCP:
		return NC_ASSERT_FD(socket(AF_INET, SOCK_STREAM, 0));
	case LISTENING_TCP:
		fd = NC_ASSERT_FD(socket(AF_INET, SOCK_STREAM, 0));
		NC_ASSERT_SYS(listen(fd, 1));
		return fd;
	case UNCONNECTED_UDP:
		return NC_ASSERT_FD(socket(AF_INET, SOCK_DGRAM, 0));
	}
	nc_fatal("no descriptor kind %d", what);
	return -1;
}

static void sockname_fails(const struct nc_case_ctx *ctx)
{
	const struct failure_case *c = ctx->data;
	struct nc_sockaddr addr = { .len = sizeof(addr.ss) };
	int fd = descriptor_for(c->what);

	NC_EXPECT_ERRNO(getsockname(fd, &addr.sa, &addr.len), c->want_errno, NULL);
}

static void peername_fails(const struct nc_case_ctx *ctx)
{
	const struct failure_case *c = ctx->data;
	struct nc_sockaddr addr = { .len = sizeof(addr.ss) };
	int fd = descriptor_for(c->what);

	NC_EXPECT_ERRNO(getpeername(fd, &addr.sa, &addr.len), c->want_errno, NULL);
}

NC_CHECK(getsockname, errors) = {
	.summary = "getsockname() returns -1 with errno: EBADF for a closed descriptor, ENOTSOCK for a pipe",
	.clauses = NC_CLAUSES("getsockname-3"),
	NC_CASES(sockname_failure_cases),
	.run = sockname_fails,
	.deadline_ms = 3000,
	.covers = "form:v4",
};

NC_CHECK(getpeername, errors) = {
	.summary = "getpeername() returns -1 with errno: ENOTCONN unconnected or listening, ENOTSOCK for a pipe, EBADF for a closed descriptor",
	.clauses = NC_CLAUSES("getpeername-2"),
	NC_CASES(peername_failure_cases),
	.run = peername_fails,
	.deadline_ms = 3000,
	.covers = "state:listen,unconnected form:v4",
};
