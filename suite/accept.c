/* accept(): taking completed connections off the queue (document section
 * "accept()"). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "addrlen_edges.h"
#include "check.h"
#include "clock.h"
#include "endpoint.h"
#include "poll_until.h"
#include "sockaddr.h"
#include "wait.h"

#define DEADLINE_MS 2000
/* How long an empty queue is watched staying empty. */
#define EMPTY_MS 200
/* How late a busy machine may wake a sleeper whose timer has fired. */
#define LATE_MS 300
/* Nothing to wait for (an error, a queued connection): the call returns
 * with no timer involved; the bound leaves room for a busy machine. */
#define AT_ONCE_MS 100

static const struct family_case {
	const char *name;
	const char *listen_at;
} family_cases[] = {
	{ "ipv4", "127.0.0.1:0" },
	{ "ipv6", "[::1]:0" },
};

static void set_accept_timeout(int listen_fd, unsigned ms)
{
	struct timeval timeout = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	NC_ASSERT_SYS(setsockopt(listen_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)));
}

struct late_client {
	int sleeper_stat;		/* /proc stat of the thread blocked in accept() */
	int sleeper_syscall;		/* /proc syscall of that thread */
	int listen_fd;
	struct nc_sockaddr peer;
	unsigned queued;		/* the listener's queue when the client started */
	long long connect_us;		/* nc_now_us() just before connect() */
	int fd;
	int err;
};

static int read_proc(int fd, char *buf, size_t size)
{
	int n = (int)pread(fd, buf, size - 1, 0);

	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/* Whether the thread whose /proc/.../stat and syscall are open sleeps
 * (state S) inside accept(listen_fd): the syscall file names the call and
 * its first argument.  The files are opened by that thread itself: /proc
 * here belongs to another pid namespace, where its tid differs. */
static int sleeper_in_accept(void *arg)
{
	struct late_client *late = arg;
	char stat[512], syscall_text[256], *state;
	long nr;
	unsigned long fd;

	if (read_proc(late->sleeper_stat, stat, sizeof(stat)) < 0 ||
	    read_proc(late->sleeper_syscall, syscall_text, sizeof(syscall_text)) < 0)
		return -EIO;
	state = strrchr(stat, ')');	/* the name may contain anything */
	if (!state || state[1] != ' ' || state[2] != 'S')
		return 0;
	if (sscanf(syscall_text, "%ld %lx", &nr, &fd) != 2)
		return 0;		/* "running" */
	return (nr == SYS_accept || nr == SYS_accept4) && fd == (unsigned long)late->listen_fd;
}

/* Connects once the accepting thread is asleep in accept() with the queue
 * empty. */
static void *connect_when_asleep(void *arg)
{
	struct late_client *late = arg;
	unsigned backlog;

	late->err = nc_poll_until(sleeper_in_accept, late, DEADLINE_MS, NC_BACKOFF_KERNEL_WORK);
	if (late->err == 0)
		late->err = nc_listener_queue(late->listen_fd, &late->queued, &backlog);
	if (late->err < 0)
		return NULL;
	late->fd = socket(late->peer.sa.sa_family, SOCK_STREAM, 0);
	late->connect_us = nc_now_us();
	if (late->fd < 0 || connect(late->fd, &late->peer.sa, late->peer.len) < 0)
		late->err = -errno;
	return NULL;
}

/* accept() bounded by SO_RCVTIMEO alone would hang where the option is
 * ignored (gVisor): a client connects at RESCUE_MS, so that the check ends
 * as a failure at its own deadline, not as a timeout. */
#define RESCUE_MS (EMPTY_MS + LATE_MS + 500)

struct rescuer {
	int returned[2];		/* a pipe: written once accept() returned */
	struct nc_sockaddr listener;
	int fd;				/* the rescuing client, -1 if none was needed */
	pthread_t thread;
};

static void *rescue_at_deadline(void *arg)
{
	struct rescuer *r = arg;

	if (nc_wait_fd(r->returned[0], POLLIN, RESCUE_MS) == -ETIMEDOUT) {
		r->fd = socket(r->listener.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (r->fd >= 0)
			connect(r->fd, &r->listener.sa, r->listener.len);
	}
	return NULL;
}

/* With the queue empty the listener is not readable and accept() sleeps
 * (bounded here by SO_RCVTIMEO: EAGAIN after it); a connection arriving while
 * it sleeps wakes it with the new descriptor. */
static void accept_blocks_while_empty(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct late_client late = { .fd = -1 };
	struct rescuer rescuer = { .fd = -1 };
	struct nc_sockaddr accepted_peer = { .len = sizeof(accepted_peer.ss) }, client_addr;
	long long returned_us;
	struct nc_stopwatch watch;
	struct timespec start;
	pthread_t connector;
	int listen_fd, fd;

	NC_ASSERT_OK(listen_fd = nc_listener(c->listen_at, 8, 0, &late.peer));
	NC_EXPECT_INT(NC_KEY(poll_listener_empty, "poll(listener, POLLIN) with the queue empty"),
		      nc_wait_fd(listen_fd, POLLIN, EMPTY_MS), -ETIMEDOUT);

	set_accept_timeout(listen_fd, EMPTY_MS);
	rescuer.listener = late.peer;
	NC_ASSERT_SYS(pipe2(rescuer.returned, O_CLOEXEC));
	NC_ASSERT_SYS(pthread_create(&rescuer.thread, NULL, rescue_at_deadline, &rescuer) ? -1 : 0);
	nc_stopwatch_start(&watch);
	NC_EXPECT_ERRNO(accept(listen_fd, NULL, NULL), EAGAIN, &late.peer);
	nc_stopwatch_stop(&watch);
	NC_ASSERT_SYS(write(rescuer.returned[1], "x", 1));
	pthread_join(rescuer.thread, NULL);
	/* its SO_RCVTIMEO, give or take a timer's slack */
	NC_EXPECT_ELAPSED("slept_ms", &watch, EMPTY_MS - 10, EMPTY_MS + LATE_MS);
	if (rescuer.fd >= 0) {
		nc_observe(NC_KEY(accept_woken, "accept() woken"),
			   "by a client connecting at %d ms: SO_RCVTIMEO ignored", RESCUE_MS);
		return;
	}

	set_accept_timeout(listen_fd, DEADLINE_MS);
	late.listen_fd = listen_fd;
	late.sleeper_stat = NC_ASSERT_FD(open("/proc/thread-self/stat", O_RDONLY | O_CLOEXEC));
	late.sleeper_syscall = NC_ASSERT_FD(open("/proc/thread-self/syscall",
						 O_RDONLY | O_CLOEXEC));
	NC_ASSERT_SYS(pthread_create(&connector, NULL, connect_when_asleep, &late) ? -1 : 0);
	nc_clock_start(&start);
	fd = (int)accept(listen_fd, &accepted_peer.sa, &accepted_peer.len);
	returned_us = nc_now_us();
	nc_observe("elapsed_ms", "%ld", nc_elapsed_ms(&start));
	pthread_join(connector, NULL);
	NC_ASSERT_OK(late.err);
	NC_EXPECT_INT(NC_KEY(queue_while_accept_asleep,
			     "queue when the client connected (accept() asleep)"),
		      late.queued, 0);
	NC_EXPECT_TRUE(fd >= 0, "accept() while a client connects = -1 %s", nc_errno_name(errno));
	NC_EXPECT_TRUE(returned_us > late.connect_us,
		       "accept() returned %lld us before the client called connect()",
		       late.connect_us - returned_us);
	NC_ASSERT_OK(nc_sockaddr_local(late.fd, &client_addr));
	NC_EXPECT_ADDR(NC_KEY(peer_accept_returned, "peer accept() returned"),
		       &accepted_peer, &client_addr);
}

NC_CHECK(accept, blocks_while_empty) = {
	.summary = "with no pending connection the listener is not readable and accept() sleeps; a client connecting while it provably sleeps in accept() (/proc syscall, queue 0) wakes it with that client's connection",
	.clauses = NC_CLAUSES("accept-2", "accept-6"),
	NC_CASES(family_cases),
	.run = accept_blocks_while_empty,
	.deadline_ms = 5000,
	.covers = "mode:blocking form:v4,v6",
};

#define QUEUED 3


/* accept() returns a new descriptor, not the listener's, connected to the
 * peer that called connect(), taking the connections in the order they
 * completed; the listener stays and accepts again. */
static void accept_returns_new_connected_socket(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct nc_sockaddr addr, client_addr[QUEUED], peer;
	int listen_fd, clients[QUEUED], accepting, client, server;

	NC_ASSERT_OK(listen_fd = nc_listener(c->listen_at, 8, 0, &addr));
	for (int i = 0; i < QUEUED; i++) {
		clients[i] = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
		NC_ASSERT_SYS(connect(clients[i], &addr.sa, addr.len));
		NC_ASSERT_OK(nc_sockaddr_local(clients[i], &client_addr[i]));
		NC_ASSERT_SYS(write(clients[i], &"abc"[i], 1));
	}
	NC_ASSERT_SYS(nc_wait_fd(listen_fd, POLLIN, DEADLINE_MS));
	for (int i = 0; i < QUEUED; i++) {
		struct nc_stopwatch watch;
		char byte = 0;
		int fd;

		nc_stopwatch_start(&watch);
		fd = NC_ASSERT_FD(accept(listen_fd, NULL, NULL));
		nc_stopwatch_stop(&watch);
		/* a completed connection is waiting: nothing to sleep for */
		NC_EXPECT_ELAPSED_MAX("elapsed_ms", &watch, AT_ONCE_MS);

		NC_EXPECT_TRUE(fd != listen_fd, "accept() returned the listener's descriptor");
		NC_ASSERT_OK(nc_getsockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting));
		NC_EXPECT_INT(NC_KEY(SO_ACCEPTCONN_of_the_accepted_socket,
				     "SO_ACCEPTCONN of the accepted socket"),
			      accepting, 0);
		NC_ASSERT_OK(nc_sockaddr_peer(fd, &peer));
		NC_EXPECT_ADDR(NC_KEY(getpeername_accepted_in_completion_order,
				      "getpeername(accepted), in completion order"),
			       &peer,
			       &client_addr[i]);
		NC_EXPECT_INT(NC_KEY(read_on_the_accepted_socket, "read() on the accepted socket"),
			      read(fd, &byte, 1), 1);
		NC_EXPECT_INT(NC_KEY(byte_the_client_wrote, "byte the client wrote"),
			      byte, "abc"[i]);
		close(fd);
	}
	NC_ASSERT_OK(nc_getsockopt_int(listen_fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting));
	NC_EXPECT_INT(NC_KEY(SO_ACCEPTCONN_of_the_listener_after_accept,
			     "SO_ACCEPTCONN of the listener after accept()"),
		      accepting, 1);
	NC_ASSERT_OK(nc_connection(listen_fd, &addr, &client, &server));
	nc_observe(NC_KEY(accepted_after, "accepted after"),
		   "%d connections: fd %d", QUEUED, server);
}

NC_CHECK(accept, new_connected_socket) = {
	.summary = "accept() returns a new descriptor connected to the client, in completion order; the listener stays passive and accepts again",
	.clauses = NC_CLAUSES("accept-7", "accept-1", "accept-3"),
	NC_CASES(family_cases),
	.run = accept_returns_new_connected_socket,
	.deadline_ms = 5000,
	.covers = "mode:blocking sequence:after-success form:v4,v6",
};

static const struct addrlen_case {
	const char *name;
	const char *listen_at;
	socklen_t buffer_size;		/* *addrlen before the call */
} addrlen_cases[] = {
	{ "ipv4-full",  "127.0.0.1:0", sizeof(struct sockaddr_storage) },
	{ "ipv4-short", "127.0.0.1:0", 8 },
	{ "ipv6-full",  "[::1]:0",     sizeof(struct sockaddr_storage) },
	{ "ipv6-short", "[::1]:0",     16 },
	ADDRLEN_EDGE_ROWS,	/* exactly enough, one byte short, nothing */
};

/* addrlen is value-result: in, the buffer's size; out, per the document, the
 * number of bytes copied, which for a short buffer is the buffer's size. */
static void accept_addrlen_value_result(const struct nc_case_ctx *ctx)
{
	const struct addrlen_case *c = ctx->data;
	struct nc_sockaddr addr, client_addr;
	unsigned char buffer[sizeof(struct sockaddr_storage) + 8];
	socklen_t addrlen = c->buffer_size, copied;
	int listen_fd, client, fd;
	bool canary_intact = true;

	NC_ASSERT_OK(listen_fd = nc_listener(c->listen_at, 8, 0, &addr));
	client = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(connect(client, &addr.sa, addr.len));
	NC_ASSERT_OK(nc_sockaddr_local(client, &client_addr));

	memset(buffer, GUARD_BYTE, sizeof(buffer));
	fd = accept(listen_fd, (struct sockaddr *)buffer, &addrlen);
	NC_EXPECT_TRUE(fd >= 0, "accept() with *addrlen %u = -1 %s", (unsigned)c->buffer_size,
		       nc_errno_name(errno));
	if (fd < 0)
		return;
	copied = c->buffer_size < client_addr.len ? c->buffer_size : client_addr.len;
	for (size_t i = copied; i < sizeof(buffer); i++)
		canary_intact &= buffer[i] == GUARD_BYTE;
	nc_observe(NC_KEY(addrlen_before, "addrlen before"), "%u", (unsigned)c->buffer_size);
	nc_observe(NC_KEY(address_size, "address size"), "%u", (unsigned)client_addr.len);
	NC_EXPECT_TRUE(memcmp(buffer, &client_addr.ss, copied) == 0,
		       "the first %u bytes of addr are not the client's address", (unsigned)copied);
	NC_EXPECT_TRUE(canary_intact, "accept() wrote past the %u bytes of the buffer",
		       (unsigned)c->buffer_size);
	NC_EXPECT_INT("addrlen", addrlen, copied);
	(void)fd;
}

NC_CHECK(accept, addrlen_value_result) = {
	.summary = "accept()'s addrlen goes in as the buffer size and comes back as the bytes copied: the address size for a full buffer, the buffer size for a short (truncating) one",
	.clauses = NC_CLAUSES("accept-4"),
	NC_CASES(addrlen_cases),
	.covers = "boundary:len-full,len-exact,len-one-short,len-half,len-0 form:v4,v6",
	.run = accept_addrlen_value_result,
	.deadline_ms = 5000,
};

enum null_form { ADDR_NULL_ADDRLEN_NULL, ADDR_NULL_ADDRLEN_ZERO };

static const struct null_case {
	const char *name;
	const char *listen_at;
	enum null_form form;
} null_cases[] = {
	{ "ipv4-null-null", "127.0.0.1:0", ADDR_NULL_ADDRLEN_NULL },
	{ "ipv4-null-zero", "127.0.0.1:0", ADDR_NULL_ADDRLEN_ZERO },
	{ "ipv6-null-null", "[::1]:0",     ADDR_NULL_ADDRLEN_NULL },
	{ "ipv6-null-zero", "[::1]:0",     ADDR_NULL_ADDRLEN_ZERO },
};

/* A caller not interested in the peer passes addr NULL and addrlen NULL (or
 * pointing to 0): accept() still returns the connected socket. */
static void accept_without_address(const struct nc_case_ctx *ctx)
{
	const struct null_case *c = ctx->data;
	struct nc_sockaddr addr;
	socklen_t zero = 0;
	int listen_fd, client, fd;

	NC_ASSERT_OK(listen_fd = nc_listener(c->listen_at, 8, 0, &addr));
	client = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(connect(client, &addr.sa, addr.len));
	errno = 0;
	fd = accept(listen_fd, NULL, c->form == ADDR_NULL_ADDRLEN_NULL ? NULL : &zero);
	nc_observe(NC_KEY(accept, "accept()"), "%d %s", fd, fd < 0 ? nc_errno_name(errno) : "");
	NC_EXPECT_TRUE(fd >= 0, "accept(fd, NULL, %s) = -1 %s",
		       c->form == ADDR_NULL_ADDRLEN_NULL ? "NULL" : "&0", nc_errno_name(errno));
	if (c->form == ADDR_NULL_ADDRLEN_ZERO)
		nc_observe("addrlen", "%u", (unsigned)zero);
}

NC_CHECK(accept, without_address) = {
	.summary = "accept(fd, NULL, NULL) and accept(fd, NULL, &0) return the connected socket",
	.clauses = NC_CLAUSES("accept-5"),
	NC_CASES(null_cases),
	.run = accept_without_address,
	.deadline_ms = 5000,
	.covers = "form:v4,v6",
};

enum accept_target { EMPTY_NONBLOCKING, NOT_LISTENING, CLOSED_DESCRIPTOR };

static const struct accept_error_case {
	const char *name;
	const char *listen_at;
	enum accept_target target;
	int want_errno;
} accept_error_cases[] = {
	/* O_NONBLOCK: the document's sleep is for "the default blocking mode" */
	{ "nonblocking-empty-ipv4", "127.0.0.1:0", EMPTY_NONBLOCKING, EAGAIN },
	{ "nonblocking-empty-ipv6", "[::1]:0",     EMPTY_NONBLOCKING, EAGAIN },
	{ "not-listening",          "127.0.0.1:0", NOT_LISTENING,     EINVAL },
	{ "closed-descriptor",      "127.0.0.1:0", CLOSED_DESCRIPTOR, EBADF },
};


/* accept() fails at once with -1 and errno: an empty queue on a
 * non-blocking listener (EAGAIN, which is EWOULDBLOCK on Linux), a socket
 * that is not listening, a closed descriptor. */
static void accept_fails_with(const struct nc_case_ctx *ctx)
{
	const struct accept_error_case *c = ctx->data;
	struct nc_stopwatch watch;
	int fd;

	if (c->target == NOT_LISTENING) {
		fd = NC_ASSERT_FD(socket(AF_INET, SOCK_STREAM, 0));
	} else {
		NC_ASSERT_OK(fd = nc_listener(c->listen_at, 8, 0, NULL));
		if (c->target == EMPTY_NONBLOCKING)
			NC_ASSERT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
		else
			NC_ASSERT_SYS(close(fd));
	}
	nc_stopwatch_start(&watch);
	NC_EXPECT_ERRNO(accept(fd, NULL, NULL), c->want_errno, NULL);
	nc_stopwatch_stop(&watch);
	NC_EXPECT_ELAPSED_MAX("elapsed_ms", &watch, AT_ONCE_MS);
}

NC_CHECK(accept, errors) = {
	.summary = "beyond the document (it names no accept() error): accept() fails at once with EAGAIN (EWOULDBLOCK) on a non-blocking listener with an empty queue, EINVAL on a socket not listening, EBADF on a closed descriptor",
	.clauses = NC_CLAUSES("accept-2", "accept-3"),
	NC_CASES(accept_error_cases),
	.run = accept_fails_with,
	.deadline_ms = 5000,
	.covers = "mode:nonblocking form:v4,v6",
};

/* How the connection is taken: accept(), or accept4() with its flags. */
static const struct flags_case {
	const char *name;
	const char *listen_at;
	bool listener_nonblocking;
	bool use_accept4;
	int flags;		/* accept4()'s */
} flags_cases[] = {
	{ "accept-blocking-listener",    "127.0.0.1:0", false, false, 0 },
	{ "accept-nonblocking-listener", "127.0.0.1:0", true,  false, 0 },
	{ "accept4-nonblock",            "127.0.0.1:0", false, true,  SOCK_NONBLOCK },
	{ "accept4-cloexec",             "127.0.0.1:0", false, true,  SOCK_CLOEXEC },
	{ "accept4-both-ipv6",           "[::1]:0",     true,  true,  SOCK_NONBLOCK | SOCK_CLOEXEC },
};

static bool has_flag(int fd, int get, int flag)
{
	int flags = fcntl(fd, get);

	return flags >= 0 && (flags & flag);
}

/* The new socket's O_NONBLOCK and FD_CLOEXEC are what accept4() asked for
 * (none for accept(): Linux copies nothing from the listener); the listener
 * keeps its own. */
static void accept_flags_on_new_socket(const struct nc_case_ctx *ctx)
{
	const struct flags_case *c = ctx->data;
	struct nc_sockaddr addr;
	int listen_fd, client, fd, listener_cloexec;

	NC_ASSERT_OK(listen_fd = nc_listener(c->listen_at, 8, 0, &addr));
	if (c->listener_nonblocking)
		NC_ASSERT_SYS(fcntl(listen_fd, F_SETFL, O_NONBLOCK));
	listener_cloexec = has_flag(listen_fd, F_GETFD, FD_CLOEXEC);
	client = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(connect(client, &addr.sa, addr.len));
	NC_ASSERT_SYS(nc_wait_fd(listen_fd, POLLIN, DEADLINE_MS));
	fd = c->use_accept4 ? accept4(listen_fd, NULL, NULL, c->flags) : accept(listen_fd, NULL, NULL);
	NC_EXPECT_TRUE(fd >= 0, "%s = -1 %s", c->use_accept4 ? "accept4()" : "accept()",
		       nc_errno_name(errno));
	if (fd < 0)
		return;
	NC_EXPECT_INT(NC_KEY(O_NONBLOCK_of_the_new_socket, "O_NONBLOCK of the new socket"),
		      has_flag(fd, F_GETFL, O_NONBLOCK),
		      (c->flags & SOCK_NONBLOCK) != 0);
	NC_EXPECT_INT(NC_KEY(FD_CLOEXEC_of_the_new_socket, "FD_CLOEXEC of the new socket"),
		      has_flag(fd, F_GETFD, FD_CLOEXEC),
		      (c->flags & SOCK_CLOEXEC) != 0);
	NC_EXPECT_INT(NC_KEY(O_NONBLOCK_of_the_listener, "O_NONBLOCK of the listener"),
		      has_flag(listen_fd, F_GETFL, O_NONBLOCK),
		      c->listener_nonblocking);
	NC_EXPECT_INT(NC_KEY(FD_CLOEXEC_of_the_listener, "FD_CLOEXEC of the listener"),
		      has_flag(listen_fd, F_GETFD, FD_CLOEXEC),
		      listener_cloexec);
}

NC_CHECK(accept, flags_on_new_socket) = {
	.summary = "the socket accept() creates is blocking, whatever the listener; accept4()'s SOCK_NONBLOCK and SOCK_CLOEXEC act on that new socket and leave the listener's flags as they were",
	.clauses = NC_CLAUSES("accept-7"),
	NC_CASES(flags_cases),
	.run = accept_flags_on_new_socket,
	.deadline_ms = 5000,
	.covers = "mode:blocking,nonblocking form:v4,v6",
};

/* On a non-blocking listener: EAGAIN while the queue is empty, the
 * connection at once when one is queued (the EAGAIN before left no trace),
 * then EAGAIN again. */
static void accept_nonblocking_queue(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct nc_sockaddr addr;
	struct nc_stopwatch watch;
	int listen_fd, client, fd, accept_errno;

	NC_ASSERT_OK(listen_fd = nc_listener(c->listen_at, 8, 0, &addr));
	NC_ASSERT_SYS(fcntl(listen_fd, F_SETFL, O_NONBLOCK));
	NC_EXPECT_ERRNO(accept(listen_fd, NULL, NULL), EAGAIN, &addr);
	client = NC_ASSERT_FD(socket(addr.sa.sa_family, SOCK_STREAM, 0));
	NC_ASSERT_SYS(connect(client, &addr.sa, addr.len));
	NC_ASSERT_SYS(nc_wait_fd(listen_fd, POLLIN, DEADLINE_MS));
	nc_stopwatch_start(&watch);
	fd = accept(listen_fd, NULL, NULL);
	accept_errno = errno;	/* before the stopwatch reads /proc */
	nc_stopwatch_stop(&watch);
	NC_EXPECT_TRUE(fd >= 0, "accept() with a connection queued, after an EAGAIN = -1 %s",
		       nc_errno_name(accept_errno));
	NC_EXPECT_ELAPSED_MAX("elapsed_ms", &watch, AT_ONCE_MS);
	NC_EXPECT_ERRNO(accept(listen_fd, NULL, NULL), EAGAIN, &addr);
}

NC_CHECK(accept, nonblocking_queue) = {
	.summary = "a non-blocking listener: accept() fails with EAGAIN on the empty queue, returns the connection at once once one is queued, then EAGAIN again; the listener serves on after its failures",
	.clauses = NC_CLAUSES("accept-2", "accept-3"),
	NC_CASES(family_cases),
	.run = accept_nonblocking_queue,
	.deadline_ms = 5000,
	.covers = "mode:nonblocking sequence:after-failure,after-success form:v4,v6",
};
