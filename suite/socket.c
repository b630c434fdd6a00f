/* socket(): domain, type and protocol (document section "socket()"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "privilege.h"

static const struct socket_case {
	const char *name;
	int domain;
	int type;
	int protocol;		/* what protocol 0 must mean */
	int flags;		/* SOCK_NONBLOCK, SOCK_CLOEXEC or'ed into type */
} created_cases[] = {
	{ "inet-stream",  PF_INET,  SOCK_STREAM, IPPROTO_TCP, 0 },
	{ "inet-dgram",   PF_INET,  SOCK_DGRAM,  IPPROTO_UDP, 0 },
	{ "inet6-stream", PF_INET6, SOCK_STREAM, IPPROTO_TCP, 0 },
	{ "inet6-dgram",  PF_INET6, SOCK_DGRAM,  IPPROTO_UDP, 0 },
	{ "local-stream", PF_LOCAL, SOCK_STREAM, 0,           0 },
	{ "local-dgram",  PF_LOCAL, SOCK_DGRAM,  0,           0 },
	/* the type's flags: the socket is of the type, in the mode asked */
	{ "inet-stream-nonblock",  PF_INET,  SOCK_STREAM, IPPROTO_TCP, SOCK_NONBLOCK },
	{ "inet6-dgram-nonblock",  PF_INET6, SOCK_DGRAM,  IPPROTO_UDP, SOCK_NONBLOCK },
	{ "inet6-stream-cloexec",  PF_INET6, SOCK_STREAM, IPPROTO_TCP, SOCK_CLOEXEC },
	{ "local-stream-both",     PF_LOCAL, SOCK_STREAM, 0, SOCK_NONBLOCK | SOCK_CLOEXEC },
};

/* Every domain and every type the document lists, protocol 0: "the first
 * two arguments already determine the protocol". */
static const struct zero_case {
	const char *name;
	int domain;
	int type;
	int protocol;		/* what protocol 0 must mean; -1: the document names none */
} zero_cases[] = {
	{ "inet-stream",  PF_INET,  SOCK_STREAM, IPPROTO_TCP },
	{ "inet-dgram",   PF_INET,  SOCK_DGRAM,  IPPROTO_UDP },
	{ "inet-raw",     PF_INET,  SOCK_RAW,    -1 },
	{ "inet6-stream", PF_INET6, SOCK_STREAM, IPPROTO_TCP },
	{ "inet6-dgram",  PF_INET6, SOCK_DGRAM,  IPPROTO_UDP },
	{ "inet6-raw",    PF_INET6, SOCK_RAW,    -1 },
	{ "local-stream", PF_LOCAL, SOCK_STREAM, 0 },
	{ "local-dgram",  PF_LOCAL, SOCK_DGRAM,  0 },
	{ "local-raw",    PF_LOCAL, SOCK_RAW,    -1 },
};

static int sockopt(int fd, int name)
{
	int value = -1;
	socklen_t len = sizeof(value);

	NC_ASSERT_SYS(getsockopt(fd, SOL_SOCKET, name, &value, &len));
	return value;
}

/* The socket is of the domain and type asked for, with the protocol the
 * type implies. */
static void socket_is_what_was_asked(const struct nc_case_ctx *ctx)
{
	const struct socket_case *c = ctx->data;
	int fd = NC_ASSERT_FD(socket(c->domain, c->type | c->flags, 0));

	NC_EXPECT_INT("SO_DOMAIN", sockopt(fd, SO_DOMAIN), c->domain);
	NC_EXPECT_INT("SO_TYPE", sockopt(fd, SO_TYPE), c->type);
	NC_EXPECT_INT("SO_PROTOCOL", sockopt(fd, SO_PROTOCOL), c->protocol);
	NC_EXPECT_INT("O_NONBLOCK", (NC_ASSERT_SYS(fcntl(fd, F_GETFL)) & O_NONBLOCK) != 0,
		      (c->flags & SOCK_NONBLOCK) != 0);
	NC_EXPECT_INT("FD_CLOEXEC", (NC_ASSERT_SYS(fcntl(fd, F_GETFD)) & FD_CLOEXEC) != 0,
		      (c->flags & SOCK_CLOEXEC) != 0);
	nc_observe("fd", "%d", fd);
}

NC_CHECK(socket, created) = {
	.summary = "socket(domain, type, 0) succeeds for PF_INET, PF_INET6 and PF_LOCAL with SOCK_STREAM and SOCK_DGRAM, blocking, or non-blocking and close-on-exec as the type's SOCK_NONBLOCK and SOCK_CLOEXEC ask",
	.covers = "mode:blocking,nonblocking form:v4,v6,local field:SO_DOMAIN,SO_TYPE,SO_PROTOCOL",
	.clauses = NC_CLAUSES("socket-1", "socket-2", "socket-3"),
	NC_CASES(created_cases),
	.run = socket_is_what_was_asked,
};

/* Protocol 0 is enough: socket() succeeds with the domain and type asked
 * for, and the protocol the type implies (TCP for SOCK_STREAM, UDP for
 * SOCK_DGRAM), the same as asking for it explicitly. */
static void protocol_zero_is_implied(const struct nc_case_ctx *ctx)
{
	const struct zero_case *c = ctx->data;
	int implicit, explicit, err;
	char result[48] = "a descriptor";

	errno = 0;
	implicit = socket(c->domain, c->type, 0);
	err = errno;
	if (implicit < 0)
		snprintf(result, sizeof(result), "-1 %s", nc_errno_name(err));
	NC_EXPECT_STR(NC_KEY(socket, "socket()"), result, "a descriptor");
	if (implicit < 0)
		return;
	NC_EXPECT_INT("SO_DOMAIN", sockopt(implicit, SO_DOMAIN), c->domain);
	NC_EXPECT_INT("SO_TYPE", sockopt(implicit, SO_TYPE), c->type);
	if (c->protocol < 0) {
		nc_observe("SO_PROTOCOL", "%d", sockopt(implicit, SO_PROTOCOL));
		return;
	}
	NC_EXPECT_INT("SO_PROTOCOL", sockopt(implicit, SO_PROTOCOL), c->protocol);
	if (c->protocol == 0)
		return;
	explicit = NC_ASSERT_FD(socket(c->domain, c->type, c->protocol));
	NC_EXPECT_INT(NC_KEY(SO_PROTOCOL_of_the_explicit_protocol,
			     "SO_PROTOCOL of the explicit protocol"),
		      sockopt(explicit, SO_PROTOCOL),
		      c->protocol);
}

NC_CHECK(socket, protocol_zero) = {
	.summary = "protocol 0 is enough for every domain (PF_INET, PF_INET6, PF_LOCAL) and type (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW): TCP for SOCK_STREAM and UDP for SOCK_DGRAM, as the explicit protocol gives",
	.clauses = NC_CLAUSES("socket-5", "socket-1", "socket-2", "socket-3", "socket-4"),
	NC_CASES(zero_cases),
	.run = protocol_zero_is_implied,
	.covers = "form:v4,v6,local field:SO_PROTOCOL,SO_TYPE",
};

static const struct refused_case {
	const char *name;
	int domain;
	int type;
	int protocol;
	int want_errno;
} refused_cases[] = {
	{ "stream-udp",     PF_INET,  SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT },
	{ "dgram-tcp",      PF_INET,  SOCK_DGRAM,  IPPROTO_TCP, EPROTONOSUPPORT },
	{ "inet6-stream-udp", PF_INET6, SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT },
	{ "unknown-domain", 4242,     SOCK_STREAM, 0,           EAFNOSUPPORT },
};

static void socket_refuses(const struct nc_case_ctx *ctx)
{
	const struct refused_case *c = ctx->data;

	NC_EXPECT_ERRNO(socket(c->domain, c->type, c->protocol), c->want_errno, NULL);
}

NC_CHECK(socket, refused) = {
	.summary = "a protocol that does not match the type fails with EPROTONOSUPPORT, an unknown domain with EAFNOSUPPORT",
	.clauses = NC_CLAUSES("socket-5", "socket-1"),
	NC_CASES(refused_cases),
	.run = socket_refuses,
	.covers = "form:v4,v6",
};

static const struct raw_case {
	const char *name;
	int domain;
	int protocol;
} raw_cases[] = {
	{ "inet",  PF_INET,  IPPROTO_ICMP },
	{ "inet6", PF_INET6, IPPROTO_ICMPV6 },
};

/* SOCK_RAW is the raw socket: with CAP_NET_RAW it is made, without it
 * (dropped inside the check) socket() fails with EPERM. */
static void raw_needs_cap_net_raw(const struct nc_case_ctx *ctx)
{
	const struct raw_case *c = ctx->data;
	const int net_raw = CAP_NET_RAW;
	int fd = NC_ASSERT_FD(socket(c->domain, SOCK_RAW, c->protocol));

	NC_EXPECT_INT("SO_TYPE", sockopt(fd, SO_TYPE), SOCK_RAW);
	NC_ASSERT_OK(nc_drop_caps(&net_raw, 1));
	NC_EXPECT_ERRNO(socket(c->domain, SOCK_RAW, c->protocol), EPERM, NULL);
}

NC_CHECK(socket, raw_needs_cap_net_raw) = {
	.summary = "SOCK_RAW gives a raw socket with CAP_NET_RAW, and EPERM once CAP_NET_RAW is dropped",
	.clauses = NC_CLAUSES("socket-4"),
	NC_CASES(raw_cases),
	.run = raw_needs_cap_net_raw,
	.covers = "form:v4,v6",
};
