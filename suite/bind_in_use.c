/* bind() to an address in use: one another socket holds, bound or
 * listening, in any form of it (bind-6), and one whose connection is in
 * TIME_WAIT, with SO_REUSEADDR on either side (bind-7)
 * (document section "bind()"). */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case_host.h"
#include "check.h"
#include "clock.h"
#include "diag.h"
#include "endpoint.h"
#include "net.h"
#include "sockaddr.h"
#include "wait.h"

#define DEADLINE_MS 2000

enum holder { HOLDER_BOUND, HOLDER_LISTENING };

static const struct in_use_case {
	const char *name;
	const char *addr;
	enum holder holder;		/* what the first socket does with the port */
	const char *second;		/* what the second binds: NULL, addr again */
} in_use_cases[] = {
	{ "ipv4-bound",     "127.0.0.1:4244", HOLDER_BOUND,     NULL },
	{ "ipv4-listening", "127.0.0.1:4244", HOLDER_LISTENING, NULL },
	{ "ipv6-bound",     "[::1]:4244",     HOLDER_BOUND,     NULL },
	{ "ipv6-listening", "[::1]:4244",     HOLDER_LISTENING, NULL },
	/* the same port in another form of the address */
	{ "wildcard-after-specific-ipv4", "127.0.0.1:4244", HOLDER_BOUND, "0.0.0.0:4244" },
	{ "wildcard-after-specific-ipv6", "[::1]:4244",     HOLDER_BOUND, "[::]:4244" },
	{ "ipv6-any-after-ipv4-any",      "0.0.0.0:4244",   HOLDER_BOUND, "[::]:4244" },
	{ "mapped-after-ipv4",            "127.0.0.1:4244", HOLDER_LISTENING,
	  "[::ffff:127.0.0.1]:4244" },
};

/* A second bind() to a port another socket holds fails with EADDRINUSE. */
static void bind_port_in_use(const struct nc_case_ctx *ctx)
{
	const struct in_use_case *c = ctx->data;
	struct nc_sockaddr addr;
	struct timespec start;
	int holder_fd, fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	holder_fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(holder_fd, &addr.sa, addr.len));
	if (c->holder == HOLDER_LISTENING)
		NC_ASSERT_SYS(listen(holder_fd, 8));

	if (c->second)
		NC_ASSERT_OK(nc_sockaddr_parse(c->second, &addr));
	fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	nc_clock_start(&start);
	NC_EXPECT_ERRNO(bind(fd, &addr.sa, addr.len), EADDRINUSE, &addr);
	nc_observe("elapsed_ms", "%ld", nc_elapsed_ms(&start));
}

NC_CHECK(bind, port_in_use) = {
	.summary = "bind() to an address and port another socket has bound (or listens on) fails with EADDRINUSE, also as the wildcard over a specific address, as :: over 0.0.0.0 (dual stack) and in the v4-mapped form",
	.clauses = NC_CLAUSES("bind-6", "bind-4"),
	NC_CASES(in_use_cases),
	.covers = "form:v4,v6,mapped",
	.run = bind_port_in_use,
	.deadline_ms = 5000,
};

static const struct time_wait_case {
	const char *name;
	const char *server;		/* the address left in TIME_WAIT */
	int old_reuseaddr;		/* SO_REUSEADDR on the socket now in TIME_WAIT */
	int new_reuseaddr;		/* SO_REUSEADDR on the socket binding again */
	int want_errno;			/* 0: bind() succeeds */
	const char *bind_to;		/* the address bound again; NULL: server */
} time_wait_cases[] = {
	{ "ipv4",                 "127.0.0.1:4245", 0, 0, EADDRINUSE, NULL },
	{ "ipv4-reuseaddr-new",   "127.0.0.1:4245", 0, 1, EADDRINUSE, NULL },
	{ "ipv4-reuseaddr-old",   "127.0.0.1:4245", 1, 0, EADDRINUSE, NULL },
	{ "ipv4-reuseaddr-both",  "127.0.0.1:4245", 1, 1, 0, NULL },
	/* the wildcard takes the port on every address, TIME_WAIT's too */
	{ "ipv4-wildcard",        "127.0.0.1:4245", 0, 0, EADDRINUSE, "0.0.0.0:4245" },
	{ "ipv6",                 "[::1]:4245",     0, 0, EADDRINUSE, NULL },
	{ "ipv6-reuseaddr-new",   "[::1]:4245",     0, 1, EADDRINUSE, NULL },
	{ "ipv6-reuseaddr-old",   "[::1]:4245",     1, 0, EADDRINUSE, NULL },
	{ "ipv6-reuseaddr-both",  "[::1]:4245",     1, 1, 0, NULL },
	{ "ipv6-wildcard",        "[::1]:4245",     0, 0, EADDRINUSE, "[::]:4245" },
};

/* Leaves server's address in TIME_WAIT: the accepted end closes first (the
 * active closer keeps TIME_WAIT), the client answers with its own close. */
static void leave_in_time_wait(const struct time_wait_case *c, struct nc_host *host,
			       struct nc_tcp_diag *tw)
{
	struct nc_sockaddr server_addr, client_addr;
	int listen_fd, client, server;
	char byte;

	NC_ASSERT_OK(listen_fd = nc_listener(c->server, 8, c->old_reuseaddr, &server_addr));
	NC_ASSERT_OK(nc_connection(listen_fd, &server_addr, &client, &server));
	NC_ASSERT_OK(nc_sockaddr_local(client, &client_addr));
	close(listen_fd);
	close(server);
	NC_ASSERT_OK(nc_wait_fd(client, POLLIN, DEADLINE_MS));
	NC_EXPECT_INT(NC_KEY(read_after_the_peer_FIN, "read() after the peer's FIN"),
		      read(client, &byte, 1), 0);
	close(client);
	NC_ASSERT_OK(nc_diag_wait_state(host, &server_addr, &client_addr, TCP_TIME_WAIT,
					DEADLINE_MS, tw));
}

/* bind() to an address whose connection is in TIME_WAIT fails with
 * EADDRINUSE; SO_REUSEADDR lifts that only when both the old socket and the
 * new one set it (socket(7)). */
static void bind_time_wait_address(const struct nc_case_ctx *ctx)
{
	const struct time_wait_case *c = ctx->data;
	struct nc_sockaddr server_addr, bind_addr;
	struct nc_host *host = nc_ctx_host(ctx, "s");
	struct nc_tcp_diag tw;
	struct timespec start;
	int fd, ret, err;

	NC_ASSERT_OK(nc_sockaddr_parse(c->server, &server_addr));
	NC_ASSERT_OK(nc_sockaddr_parse(c->bind_to ? c->bind_to : c->server, &bind_addr));
	NC_ASSERT_OK(nc_host_enter(host));
	leave_in_time_wait(c, host, &tw);
	NC_EXPECT_STATE(NC_STATE_AS(server, sock_diag, "state(server, sock_diag)"),
			tw.state, TCP_TIME_WAIT);
	nc_observe("timewait_remaining_ms", "%u", tw.timer_ms);
	NC_EXPECT_INT(NC_KEY(sockets_listening_on_the_port, "sockets listening on the port"),
		      nc_diag_count(host, TCP_LISTEN,
		      nc_sockaddr_port(&server_addr)), 0);

	fd = NC_ASSERT_FD(socket(bind_addr.sa.sa_family, SOCK_STREAM, 0));
	if (c->new_reuseaddr)
		NC_ASSERT_OK(nc_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	nc_clock_start(&start);
	if (c->want_errno) {
		NC_EXPECT_ERRNO(bind(fd, &bind_addr.sa, bind_addr.len), c->want_errno,
				&bind_addr);
	} else {
		errno = 0;
		ret = bind(fd, &bind_addr.sa, bind_addr.len);
		err = errno;
		NC_EXPECT_STR("errno", ret == 0 ? "none" : nc_errno_name(err), "none");
	}
	nc_observe("elapsed_ms", "%ld", nc_elapsed_ms(&start));
}

NC_CHECK(bind, time_wait) = {
	.summary = "bind() to an address whose connection is in TIME_WAIT (seen through sock_diag), or to the wildcard address on its port, fails with EADDRINUSE; with SO_REUSEADDR on both old and new socket it binds",
	.clauses = NC_CLAUSES("bind-7", "bind-6"),
	.scenario = "loopback-only",
	NC_CASES(time_wait_cases),
	.run = bind_time_wait_address,
	.deadline_ms = 5000,
	.covers = "form:v4,v6",
	.needs = "sock_diag",
};
