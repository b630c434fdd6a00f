/* bind(): assigning the local address, the wildcard, the ports at the
 * range's ends, and the errors but an address in use (bind_in_use.c)
 * (document section "bind()"). */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case_host.h"
#include "check.h"
#include "clock.h"
#include "endpoint.h"
#include "net.h"
#include "privilege.h"
#include "sockaddr.h"
#include "sysctl.h"

static const struct assign_case {
	const char *name;
	const char *local;		/* what bind() assigns */
	const char *foreign;		/* not an address of this host */
} assign_cases[] = {
	{ "ipv4", "127.0.0.1:4242", "192.0.2.1:4242" },
	{ "ipv6", "[::1]:4242",     "[2001:db8::1]:4242" },
	/* a PF_INET6 socket given an IPv4 address in its mapped form */
	{ "mapped", "[::ffff:127.0.0.1]:4242", "[::ffff:192.0.2.1]:4242" },
};

/* bind() returns 0 and the socket then has that address; a failing bind()
 * (an address the host does not have) returns -1 with errno set. */
static void bind_assigns_address(const struct nc_case_ctx *ctx)
{
	const struct assign_case *c = ctx->data;
	struct nc_sockaddr local, foreign, bound;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->local, &local));
	NC_ASSERT_OK(nc_sockaddr_parse(c->foreign, &foreign));
	fd = NC_ASSERT_FD(socket(local.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_INT(NC_KEY(bind_return, "bind() return"), bind(fd, &local.sa, local.len), 0);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
	NC_EXPECT_ADDR("getsockname", &bound, &local);

	fd = NC_ASSERT_FD(socket(foreign.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(bind(fd, &foreign.sa, foreign.len), EADDRNOTAVAIL, &foreign);
}

NC_CHECK(bind, assigns_address) = {
	.summary = "bind() gives the socket the local address and port asked for and returns 0; -1 with errno (EADDRNOTAVAIL) for an address not of this host",
	.clauses = NC_CLAUSES("bind-1", "bind-4"),
	NC_CASES(assign_cases),
	.covers = "form:v4,v6,mapped field:sin_zero,sin6_flowinfo,sin6_scope_id,len",
	.run = bind_assigns_address,
	.deadline_ms = 5000,
};

/* Local addresses of the check's namespace a wildcard listener must serve:
 * all of 127.0.0.0/8 is on lo, and a v6 wildcard also takes v4-mapped peers. */
static const struct wildcard_case {
	const char *name;
	const char *wildcard;
	const char *targets[4];		/* NULL-terminated */
} wildcard_cases[] = {
	{ "ipv4", "0.0.0.0:4243", { "127.0.0.1:4243", "127.0.0.2:4243", "127.255.0.9:4243" } },
	{ "ipv6", "[::]:4243",    { "[::1]:4243", "[::ffff:127.0.0.1]:4243", "[::ffff:127.0.0.2]:4243" } },
};

/* A listener bound to INADDR_ANY / in6addr_any accepts connections to every
 * local address; getsockname() shows the wildcard on the listener and the
 * concrete address on each accepted socket. */
static void bind_wildcard_serves_every_address(const struct nc_case_ctx *ctx)
{
	const struct wildcard_case *c = ctx->data;
	struct nc_sockaddr wildcard, bound;
	int listen_fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->wildcard, &wildcard));
	NC_ASSERT_OK(listen_fd = nc_listener(c->wildcard, 8, 0, &bound));
	NC_EXPECT_ADDR(NC_KEY(getsockname_of_the_listener, "getsockname of the listener"),
		       &bound, &wildcard);
	for (const char *const *target = c->targets; *target; target++) {
		struct nc_sockaddr peer, accepted_local;
		int client, server;

		NC_ASSERT_OK(nc_sockaddr_parse(*target, &peer));
		NC_ASSERT_OK(nc_connection(listen_fd, &peer, &client, &server));
		NC_ASSERT_OK(nc_sockaddr_local(server, &accepted_local));
		NC_EXPECT_ADDR(NC_KEY(getsockname_of_the_accepted_socket,
				      "getsockname of the accepted socket"),
			       &accepted_local, &peer);
		close(client);
		close(server);
	}
}

NC_CHECK(bind, wildcard) = {
	.summary = "a listener bound to INADDR_ANY / IN6ADDR_ANY accepts connections to every local address; getsockname() is the wildcard before, the concrete address on the accepted socket",
	.clauses = NC_CLAUSES("bind-2", "bind-3"),
	NC_CASES(wildcard_cases),
	.run = bind_wildcard_serves_every_address,
	.deadline_ms = 5000,
	.covers = "boundary:wildcard form:v4,v6,mapped",
};

enum unprivileged_by { DROP_CAP_NET_BIND_SERVICE, BECOME_NOBODY };

static const struct privileged_case {
	const char *name;
	const char *protected_addr;	/* port below 1024 */
	const char *open_addr;		/* the same host: its ports of open_ports */
	enum unprivileged_by how;
} privileged_cases[] = {
	{ "ipv4-no-cap",  "127.0.0.1:80", "127.0.0.1:0", DROP_CAP_NET_BIND_SERVICE },
	{ "ipv4-nobody",  "127.0.0.1:80", "127.0.0.1:0", BECOME_NOBODY },
	{ "ipv6-no-cap",  "[::1]:80",     "[::1]:0",     DROP_CAP_NET_BIND_SERVICE },
	{ "ipv6-nobody",  "[::1]:80",     "[::1]:0",     BECOME_NOBODY },
	/* the edge itself: 1023 is the last protected port */
	{ "ipv4-edge-no-cap", "127.0.0.1:1023", "127.0.0.1:0", DROP_CAP_NET_BIND_SERVICE },
	{ "ipv6-edge-nobody", "[::1]:1023",     "[::1]:0",     BECOME_NOBODY },
};

/* The ports an unprivileged caller binds: protection ends at 1023 and
 * nowhere else, and port 0 (an ephemeral port) is no protected port. */
static const struct open_port {
	int port;
	const char *id, *label;
} open_ports[] = {
	{ 1024,  "bind_to_port_1024",  "bind() to port 1024 (the first unprotected one)" },
	{ 65535, "bind_to_port_65535", "bind() to port 65535 (the last one)" },
	{ 0,     "bind_to_port_0",     "bind() to port 0 (the kernel picks an ephemeral port)" },
};

#define NOBODY 65534

/* Without CAP_NET_BIND_SERVICE (dropped, or as an ordinary uid) a port below
 * ip_unprivileged_port_start (set to 1024 here: the host's may differ) gives
 * EACCES, while ports 1024, 65535 and 0 bind. */
static void bind_privileged_port_refused(const struct nc_case_ctx *ctx)
{
	const struct privileged_case *c = ctx->data;
	const int bind_service = CAP_NET_BIND_SERVICE;
	struct nc_sockaddr protected_addr, open_addr;
	struct timespec start;
	int fd, err;

	NC_ASSERT_OK(nc_sockaddr_parse(c->protected_addr, &protected_addr));
	NC_ASSERT_OK(nc_sockaddr_parse(c->open_addr, &open_addr));
	NC_ASSERT_OK(nc_sysctl_write_here("net.ipv4.ip_unprivileged_port_start", "1024"));
	if (c->how == DROP_CAP_NET_BIND_SERVICE) {
		NC_ASSERT_OK(nc_drop_caps(&bind_service, 1));
		nc_observe("caller", "root without CAP_NET_BIND_SERVICE");
	} else {
		err = nc_become_user(NOBODY, NOBODY);
		if (err == -EINVAL || err == -EPERM)
			nc_skip("uid %d is not mapped in this sandbox (unprivileged run)", NOBODY);
		NC_ASSERT_OK(err);
		nc_observe("caller", "uid %d", NOBODY);
	}
	NC_EXPECT_INT("CAP_NET_BIND_SERVICE", nc_has_cap(CAP_NET_BIND_SERVICE), 0);

	fd = NC_ASSERT_FD(socket(protected_addr.sa.sa_family, SOCK_STREAM, 0));
	nc_clock_start(&start);
	NC_EXPECT_ERRNO(bind(fd, &protected_addr.sa, protected_addr.len), EACCES, &protected_addr);
	nc_observe("elapsed_ms", "%ld", nc_elapsed_ms(&start));
	for (size_t i = 0; i < sizeof(open_ports) / sizeof(open_ports[0]); i++) {
		const struct open_port *p = &open_ports[i];

		nc_sockaddr_set_port(&open_addr, p->port);
		fd = NC_ASSERT_FD(socket(open_addr.sa.sa_family, SOCK_STREAM, 0));
		/* "bind() to port 65535 (the last one) = EACCES, expected 0" */
		NC_EXPECT_STR(((struct nc_key){ p->id, p->label, NULL }),
			      bind(fd, &open_addr.sa, open_addr.len) == 0 ? "0" : nc_errno_name(errno),
			      "0");
	}
}

NC_CHECK(bind, privileged_port) = {
	.summary = "an unprivileged caller (no CAP_NET_BIND_SERVICE, or uid 65534) gets EACCES binding port 80 or 1023, while ports 1024, 65535 and 0 (ephemeral) bind",
	.clauses = NC_CLAUSES("bind-5", "bind-4"),
	NC_CASES(privileged_cases),
	.covers = "boundary:port-80,port-1023,port-1024,port-65535,port-0 form:v4,v6",
	.run = bind_privileged_port_refused,
	.deadline_ms = 5000,
	.needs = "sysctl:net.ipv4.ip_unprivileged_port_start",
};

static const struct port_edge_case {
	const char *name;
	const char *addr;
	int low, high;			/* the port getsockname() must show; 0 0: ephemeral */
} port_edge_cases[] = {
	{ "ipv4-port-0",     "127.0.0.1:0",     0,     0 },
	{ "ipv6-port-0",     "[::1]:0",         0,     0 },
	{ "ipv4-port-1",     "127.0.0.1:1",     1,     1 },
	{ "ipv4-port-65535", "127.0.0.1:65535", 65535, 65535 },
	{ "ipv6-port-65535", "[::1]:65535",     65535, 65535 },
};

/* The ports at the ends of the range, bound by root: 0 asks the kernel for
 * an ephemeral port (one of ip_local_port_range), 1 and 65535 are taken as
 * given. */
static void bind_port_edges(const struct nc_case_ctx *ctx)
{
	const struct port_edge_case *c = ctx->data;
	struct nc_sockaddr addr, bound;
	int fd, low = c->low, high = c->high;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	if (!c->low)
		NC_ASSERT_OK(nc_local_port_range(&low, &high));
	fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_INT(NC_KEY(bind_return, "bind() return"), bind(fd, &addr.sa, addr.len), 0);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
	NC_EXPECT_RANGE("port", nc_sockaddr_port(&bound), low, high);
}

NC_CHECK(bind, port_edges) = {
	.summary = "bind() to port 0 assigns an ephemeral port of ip_local_port_range; ports 1 and 65535 bind as given",
	.clauses = NC_CLAUSES("bind-1", "bind-4"),
	NC_CASES(port_edge_cases),
	.run = bind_port_edges,
	.deadline_ms = 5000,
	.covers = "boundary:port-0,port-1,port-65535 form:v4,v6",
};

/* Two sockets bound to port 0 in one process: each is given a port of its
 * own (an allocator that handed the first's port out again would make the
 * second bind() fail EADDRINUSE). */
static const struct port_zero_again_case {
	const char *name;
	const char *addr;
} port_zero_again_cases[] = {
	{ "ipv4", "127.0.0.1:0" },
	{ "ipv6", "[::1]:0" },
};

static void bind_port_zero_again(const struct nc_case_ctx *ctx)
{
	const struct port_zero_again_case *c = ctx->data;
	struct nc_sockaddr addr, first, second;
	int first_fd, second_fd, ret;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	first_fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(bind(first_fd, &addr.sa, addr.len));
	NC_ASSERT_OK(nc_sockaddr_local(first_fd, &first));
	second_fd = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	errno = 0;
	ret = bind(second_fd, &addr.sa, addr.len);
	NC_EXPECT_TRUE(ret == 0, "a second bind(%s) = -1 %s; the first got port %d", c->addr,
		       nc_errno_name(errno), nc_sockaddr_port(&first));
	NC_ASSERT_OK(nc_sockaddr_local(second_fd, &second));
	NC_EXPECT_TRUE(nc_sockaddr_port(&second) != nc_sockaddr_port(&first),
		       "both port-0 binds got port %d", nc_sockaddr_port(&first));
}

NC_CHECK(bind, port_zero_again) = {
	.summary = "a second socket bound to port 0 in the same process is given another ephemeral port",
	.clauses = NC_CLAUSES("bind-1", "bind-4"),
	NC_CASES(port_zero_again_cases),
	.run = bind_port_zero_again,
	.deadline_ms = 5000,
	.covers = "boundary:port-0 sequence:after-success form:v4,v6",
};

/* What the socket does after its first call. */
enum next_call { BIND_AFTER_FAILED_BIND, LISTEN_AFTER_FAILED_BIND, BIND_AFTER_BIND };

static const struct again_case {
	const char *name;
	const char *held;		/* a port another socket holds */
	const char *free_addr;		/* a port nobody holds */
	enum next_call next;
} again_cases[] = {
	{ "bind-after-failed-bind-ipv4",   "127.0.0.1:4246", "127.0.0.1:4247", BIND_AFTER_FAILED_BIND },
	{ "bind-after-failed-bind-ipv6",   "[::1]:4246",     "[::1]:4247",     BIND_AFTER_FAILED_BIND },
	{ "listen-after-failed-bind-ipv4", "127.0.0.1:4246", NULL,             LISTEN_AFTER_FAILED_BIND },
	{ "listen-after-failed-bind-ipv6", "[::1]:4246",     NULL,             LISTEN_AFTER_FAILED_BIND },
	{ "bind-after-bind-ipv4",          NULL,             "127.0.0.1:4247", BIND_AFTER_BIND },
	{ "bind-after-bind-ipv6",          NULL,             "[::1]:4247",     BIND_AFTER_BIND },
};

/* A failed bind() leaves the socket as it was, unbound: a next bind() to a
 * free port returns 0, listen() binds an ephemeral port and listens.  A
 * bound socket is bound once: a second bind() fails with EINVAL and the
 * first address stays. */
static void bind_then_again(const struct nc_case_ctx *ctx)
{
	const struct again_case *c = ctx->data;
	struct nc_sockaddr held = { .len = 0 }, free_addr = { .len = 0 }, bound;
	int holder, fd = -1, accepting;

	if (c->held) {
		NC_ASSERT_OK(nc_sockaddr_parse(c->held, &held));
		holder = NC_ASSERT_FD(socket(held.sa.sa_family, SOCK_STREAM, 0));
		NC_ASSERT_SYS(bind(holder, &held.sa, held.len));
		fd = NC_ASSERT_FD(socket(held.sa.sa_family, SOCK_STREAM, 0));
		NC_EXPECT_ERRNO(bind(fd, &held.sa, held.len), EADDRINUSE, &held);
	}
	if (c->free_addr)
		NC_ASSERT_OK(nc_sockaddr_parse(c->free_addr, &free_addr));
	switch (c->next) {
	case BIND_AFTER_FAILED_BIND:
		NC_EXPECT_INT(NC_KEY(bind_to_a_free_port_after_the_failed_bind,
				     "bind() to a free port after the failed bind()"),
			      bind(fd, &free_addr.sa, free_addr.len), 0);
		NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
		NC_EXPECT_ADDR("getsockname", &bound, &free_addr);
		break;
	case LISTEN_AFTER_FAILED_BIND:
		NC_EXPECT_INT(NC_KEY(listen_after_the_failed_bind,
				     "listen() after the failed bind()"),
			      listen(fd, 4), 0);
		NC_ASSERT_OK(nc_getsockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting));
		NC_EXPECT_INT("SO_ACCEPTCONN", accepting, 1);
		NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
		NC_EXPECT_TRUE(nc_sockaddr_port(&bound) != nc_sockaddr_port(&held) &&
			       nc_sockaddr_port(&bound) > 0,
			       "listen() after the failed bind() listens on port %d",
			       nc_sockaddr_port(&bound));
		break;
	case BIND_AFTER_BIND:
		fd = NC_ASSERT_FD(socket(free_addr.sa.sa_family, SOCK_STREAM, 0));
		NC_EXPECT_INT(NC_KEY(first_bind, "first bind()"),
			      bind(fd, &free_addr.sa, free_addr.len), 0);
		held = free_addr;
		nc_sockaddr_set_port(&held, nc_sockaddr_port(&free_addr) + 1);
		NC_EXPECT_ERRNO(bind(fd, &held.sa, held.len), EINVAL, &held);
		NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
		NC_EXPECT_ADDR(NC_KEY(getsockname_after_the_second_bind,
				      "getsockname after the second bind()"),
			       &bound, &free_addr);
		break;
	}
}

NC_CHECK(bind, then_again) = {
	.summary = "after bind() failed with EADDRINUSE the socket binds another port, or listen()s on an ephemeral one; a bound socket's second bind() fails with -1 EINVAL and keeps the first address",
	.clauses = NC_CLAUSES("bind-4", "bind-1", "listen-2"),
	NC_CASES(again_cases),
	.run = bind_then_again,
	.deadline_ms = 5000,
	.covers = "sequence:after-failure,after-success form:v4,v6",
};

static const struct bad_address_case {
	const char *name;
	int domain;			/* the socket's */
	const char *addr;
	socklen_t len;			/* the addrlen given */
	int want_errno;
} bad_address_cases[] = {
	{ "ipv4-addrlen-one-short", PF_INET,  "127.0.0.1:4248", sizeof(struct sockaddr_in) - 1,  EINVAL },
	{ "ipv4-addrlen-0",         PF_INET,  "127.0.0.1:4248", 0,                               EINVAL },
	{ "ipv6-addrlen-one-short", PF_INET6, "[::1]:4248",     24 - 1,                          EINVAL },
	{ "ipv4-address-on-ipv6",   PF_INET6, "127.0.0.1:4248", sizeof(struct sockaddr_in),      EINVAL },
	{ "ipv6-address-on-ipv4",   PF_INET,  "[::1]:4248",     sizeof(struct sockaddr_in6),     EAFNOSUPPORT },
};

/* bind() refuses an address that is not one: too short for its family, or
 * of the other family, with -1 and errno, and leaves the socket unbound. */
static void bind_refuses_bad_address(const struct nc_case_ctx *ctx)
{
	const struct bad_address_case *c = ctx->data;
	struct nc_sockaddr addr, bound;
	int fd;

	NC_ASSERT_OK(nc_sockaddr_parse(c->addr, &addr));
	fd = NC_ASSERT_FD(socket(c->domain, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(bind(fd, &addr.sa, c->len), c->want_errno, &addr);
	NC_ASSERT_OK(nc_sockaddr_local(fd, &bound));
	NC_EXPECT_INT(NC_KEY(port_after_the_refused_bind, "port after the refused bind()"),
		      nc_sockaddr_port(&bound), 0);
}

NC_CHECK(bind, bad_address) = {
	.summary = "bind() with an addrlen too short for the family (one byte short, 0) or an address of the other family returns -1 with errno (EINVAL, EAFNOSUPPORT) and binds nothing",
	.clauses = NC_CLAUSES("bind-4", "bind-1"),
	NC_CASES(bad_address_cases),
	.run = bind_refuses_bad_address,
	.deadline_ms = 5000,
	.covers = "boundary:addrlen-one-short,addrlen-0 form:v4,v6",
};
