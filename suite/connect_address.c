/* connect(): which address it reaches, and from which address (document
 * section "connect()"). */
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "addresses.h"
#include "case_host.h"
#include "check.h"
#include "endpoint.h"
#include "host.h"
#include "net.h"
#include "sockaddr.h"
#include "wait.h"

/* --- connect-1 and connect-2: which address, from which address --- */

static const struct addressed_case {
	const char *name;
	const char *target;		/* the listener connect() names */
	const char *decoy;		/* same host, another address or port */
	socklen_t short_len;		/* an addrlen too short for the family */
} addressed_cases[] = {
	{ "ipv4", "127.0.0.2:4260", "127.0.0.1:4260", sizeof(struct sockaddr_in) - 1 },
	/* Linux takes 24 bytes (RFC 2133's sockaddr_in6, without scope id) */
	{ "ipv6", "[::1]:4260",     "[::1]:4261",     24 - 1 },
	/* the highest port, and the first unprotected one */
	{ "ipv4-port-65535", "127.0.0.2:65535", "127.0.0.2:65534", sizeof(struct sockaddr_in) - 1 },
	{ "ipv6-port-1024",  "[::1]:1024",      "[::1]:1025",      24 - 1 },
};

/* The connection is made to exactly the address and port in addr, whose
 * size addrlen gives (a short addrlen is EINVAL). */
static void connect_reaches_named_address(const struct nc_case_ctx *ctx)
{
	const struct addressed_case *c = ctx->data;
	struct nc_sockaddr target, peer, accepted_local;
	int listen_fd, decoy_fd, client, server;

	NC_ASSERT_OK(nc_sockaddr_parse(c->target, &target));
	NC_ASSERT_OK(listen_fd = nc_listener(c->target, 8, 0, NULL));
	NC_ASSERT_OK(decoy_fd = nc_listener(c->decoy, 8, 0, NULL));
	NC_ASSERT_OK(nc_connection(listen_fd, &target, &client, &server));
	NC_ASSERT_OK(nc_sockaddr_peer(client, &peer));
	NC_ASSERT_OK(nc_sockaddr_local(server, &accepted_local));
	NC_EXPECT_ADDR(NC_KEY(getpeername_of_the_client, "getpeername of the client"),
		       &peer, &target);
	NC_EXPECT_ADDR(NC_KEY(getsockname_of_the_accepted_socket,
			      "getsockname of the accepted socket"),
		       &accepted_local, &target);
	NC_EXPECT_INT(NC_KEY(poll_decoy_listener_POLLIN, "poll(decoy listener, POLLIN)"),
		      nc_wait_fd(decoy_fd, POLLIN, 0), -ETIMEDOUT);

	client = NC_ASSERT_FD(socket(target.sa.sa_family, SOCK_STREAM, 0));
	NC_EXPECT_ERRNO(connect(client, &target.sa, c->short_len), EINVAL, &target);
}

NC_CHECK(connect, named_address) = {
	.summary = "connect() reaches the listener at exactly the address and port of addr (not a neighbour's); an addrlen shorter than the family's address is EINVAL",
	.clauses = NC_CLAUSES("connect-1"),
	NC_CASES(addressed_cases),
	.run = connect_reaches_named_address,
	.deadline_ms = 5000,
	.covers = "boundary:addrlen-full,addrlen-one-short,port-1024,port-65535 form:v4,v6 field:sin_zero,sin6_flowinfo,sin6_scope_id,len",
	.capture = true,
};

static const struct ephemeral_case {
	const char *name;
	const char *peer;		/* s, across the link */
	const char *want_source;	/* c's address on that link, port 0 */
} ephemeral_cases[] = {
	{ "ipv4", SERVER_V4 ":80", CLIENT_V4 },
	{ "ipv6", SERVER_V6 ":80", CLIENT_V6 },
};

/* A narrow range, so that a port inside it is not a coincidence. */
#define PORT_LOW 40000
#define PORT_HIGH 40009
#define PORT_RANGE "40000 40009"

/* Without bind(), connect() gives the socket the address of the outgoing
 * interface and an ephemeral port from net.ipv4.ip_local_port_range. */
static void connect_picks_source(const struct nc_case_ctx *ctx)
{
	const struct ephemeral_case *c = ctx->data;
	struct nc_host *client_host = nc_ctx_host(ctx, "c");
	struct nc_sockaddr peer, want_source, before, source;
	int listen_fd, fd, port;

	NC_ASSERT_OK(nc_sockaddr_parse(c->peer, &peer));
	NC_ASSERT_OK(nc_sockaddr_parse(c->want_source, &want_source));
	NC_ASSERT_OK(nc_host_enter(nc_ctx_host(ctx, "s")));
	NC_ASSERT_OK(listen_fd = nc_listener(c->peer, 8, 0, NULL));
	NC_ASSERT_OK(nc_sysctl_set(client_host, "net.ipv4.ip_local_port_range", PORT_RANGE));
	NC_ASSERT_OK(nc_host_enter(client_host));
	fd = NC_ASSERT_FD(socket(peer.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &before));
	nc_observe(NC_KEY(getsockname_before_connect, "getsockname before connect()"), "%s",
		   nc_sockaddr_str(&before, (char[NC_SOCKADDR_STRLEN]){ 0 }, NC_SOCKADDR_STRLEN));
	NC_ASSERT_SYS(connect(fd, &peer.sa, peer.len));
	NC_ASSERT_OK(nc_sockaddr_local(fd, &source));
	port = nc_sockaddr_port(&source);
	nc_sockaddr_set_port(&source, 0);
	NC_EXPECT_ADDR(NC_KEY(source_address, "source address"), &source, &want_source);
	NC_EXPECT_RANGE(NC_KEY(source_port, "source port"), port, PORT_LOW, PORT_HIGH);
	(void)listen_fd;
}

NC_CHECK(connect, picks_source) = {
	.summary = "without bind(), connect() takes the outgoing interface's address and an ephemeral port inside ip_local_port_range",
	.clauses = NC_CLAUSES("connect-2"),
	.scenario = "two-hosts",
	NC_CASES(ephemeral_cases),
	.run = connect_picks_source,
	.deadline_ms = 5000,
	.covers = "state:established form:v4,v6",
	.capture = true,
};
