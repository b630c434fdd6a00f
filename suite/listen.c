/* listen(): the passive socket and its errors (document section
 * "listen()"); its backlog is listen_backlog.c. */
#include <errno.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "endpoint.h"
#include "sockaddr.h"

static const struct passive_case {
	const char *name;
	const char *addr;
} passive_cases[] = {
	{ "ipv4", "127.0.0.1:4250" },
	{ "ipv6", "[::1]:4250" },
};

/* socket() makes an active socket: bound but not listening it refuses
 * connections (ECONNREFUSED).  listen() returns 0, makes it passive
 * (SO_ACCEPTCONN) and connections to it are then accepted. */
static void listen_turns_passive(const struct nc_case_ctx *ctx)
{
	const struct passive_case *c = ctx->data;
	struct nc_sockaddr addr;
	int fd, client, server, accepting;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(fd, &addr.sa, addr.len));
	NC_ASSERT_OK(nc_getsockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting));
	NC_EXPECT_INT(NC_KEY(SO_ACCEPTCONN_before_listen, "SO_ACCEPTCONN before listen()"),
		      accepting, 0);
	nc_observe(NC_STATE_AS(server, before_listen, "state(server, before listen())"),
		   "%s", nc_tcp_state_name(nc_tcp_state(fd)));
	client = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(connect(client, &addr.sa, addr.len), ECONNREFUSED, &addr);

	NC_EXPECT_INT(NC_KEY(listen_return, "listen() return"), listen(fd, 8), 0);
	NC_ASSERT_OK(nc_getsockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting));
	NC_EXPECT_INT(NC_KEY(SO_ACCEPTCONN_after_listen, "SO_ACCEPTCONN after listen()"),
		      accepting, 1);
	NC_EXPECT_STATE(NC_STATE_AS(server, after_listen, "state(server, after listen())"),
			nc_tcp_state(fd), TCP_LISTEN);
	NC_ASSERT_OK(nc_connection(fd, &addr, &client, &server));
	nc_observe("accepted", "fd %d", server);
}

NC_CHECK(listen, turns_passive) = {
	.summary = "a socket from socket() is active (connect to it: ECONNREFUSED); listen() returns 0 and makes it passive, accepting connections",
	.clauses = NC_CLAUSES("listen-1", "listen-2", "listen-5"),
	NC_CASES(passive_cases),
	.run = listen_turns_passive,
	.deadline_ms = 5000,
	.covers = "form:v4,v6",
};

enum listen_target { UDP_SOCKET, CONNECTED_SOCKET };

static const struct listen_error_case {
	const char *name;
	enum listen_target target;
	int want_errno;
} listen_error_cases[] = {
	{ "udp",       UDP_SOCKET,       EOPNOTSUPP },
	{ "connected", CONNECTED_SOCKET, EINVAL },
};

/* listen() fails with -1 and errno: on a datagram socket, on a connected one. */
static void listen_fails_with_errno(const struct nc_case_ctx *ctx)
{
	const struct listen_error_case *c = ctx->data;
	struct nc_sockaddr addr;
	int fd, listen_fd, server;

	if (c->target == UDP_SOCKET) {
		fd = NC_ASSERT_FD(socket(AF_INET, SOCK_DGRAM, 0));
	} else {
		NC_ASSERT_OK(listen_fd = nc_listener("127.0.0.1:0", 8, 0, &addr));
		NC_ASSERT_OK(nc_connection(listen_fd, &addr, &fd, &server));
	}
	NC_EXPECT_ERRNO(listen(fd, 8), c->want_errno, NULL);
}

NC_CHECK(listen, errors) = {
	.summary = "listen() returns -1 with errno: EOPNOTSUPP on a UDP socket, EINVAL on a connected TCP socket",
	.clauses = NC_CLAUSES("listen-5"),
	NC_CASES(listen_error_cases),
	.run = listen_fails_with_errno,
	.deadline_ms = 5000,
	.covers = "sequence:after-success form:v4",
};
