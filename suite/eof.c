/* EOF and close(): the EOF comes after the queued data, close() drops one
 * reference, and a process's exit closes its descriptors (document sections
 * "关闭连接流程" and "close()").  States are read from TCP_INFO. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "net.h"
#include "stream_pair.h"
#include "wait.h"
#include "tcp_state.h"

/* Loopback answers in microseconds: 2 s is a deadline, not a guess. */
#define WAIT_MS 2000

static const struct family_case {
	const char *name;
	const char *loopback;
} family_cases[] = {
	{ "ipv4", "127.0.0.1:0" },
	{ "ipv6", "[::1]:0" },
};

static void pair_open(const char *loopback, struct nc_stream_pair *pair)
{
	struct nc_sockaddr listen_at;

	NC_ASSERT_OK(nc_sockaddr_parse(loopback, &listen_at));
	NC_ASSERT_OK(nc_stream_pair_open(NULL, NULL, &listen_at, pair));
}

/* Waits until fd is readable, then reads once: the byte count, or -errno. */
static long read_when_ready(int fd, void *buf, size_t size)
{
	int ready = nc_wait_fd(fd, POLLIN, WAIT_MS);
	long got;

	if (ready < 0)
		return ready;
	got = read(fd, buf, size);
	return got < 0 ? -errno : got;
}

/* A read's result as the document writes it: "0", "-1 ECONNRESET". */
static const char *read_result(long got, char *buf, size_t size)
{
	if (got < 0)
		snprintf(buf, size, "-1 %s", nc_errno_name((int)-got));
	else
		snprintf(buf, size, "%ld", got);
	return buf;
}

/* --- The EOF is queued after the data --- */

static const struct eof_case {
	const char *name;
	const char *loopback;
	bool nonblocking;		/* both ends O_NONBLOCK */
} eof_cases[] = {
	{ "ipv4",             "127.0.0.1:0", false },
	{ "ipv6",             "[::1]:0",     false },
	{ "ipv4-nonblocking", "127.0.0.1:0", true },
	{ "ipv6-nonblocking", "[::1]:0",     true },
};

#define QUEUED_BYTES 32768	/* well inside loopback's socket buffers */

/* The peer writes QUEUED_BYTES and closes; the reader waits until the FIN is
 * in (CLOSE_WAIT) with all the data still unread, then reads: every byte
 * first, in order, then 0, and 0 again. */
static void eof_after_queued_data(const struct nc_case_ctx *ctx)
{
	const struct eof_case *c = ctx->data;
	static unsigned char sent[QUEUED_BYTES], got[QUEUED_BYTES + 1];
	struct nc_stream_pair pair;
	size_t total = 0, i;
	int queued = -1;
	long n;

	for (i = 0; i < sizeof(sent); i++)
		sent[i] = (unsigned char)(i % 251);
	pair_open(c->loopback, &pair);
	if (c->nonblocking) {
		NC_ASSERT_SYS(fcntl(pair.client, F_SETFL, O_NONBLOCK));
		NC_ASSERT_SYS(fcntl(pair.server, F_SETFL, O_NONBLOCK));
		/* no FIN yet, nothing queued: no data, and no EOF either */
		NC_EXPECT_ERRNO(read(pair.server, got, sizeof(got)), EAGAIN, NULL);
	}
	NC_EXPECT_INT(NC_KEY(write, "write()"),
		      write(pair.client, sent, sizeof(sent)), sizeof(sent));
	NC_ASSERT_SYS(close(pair.client));
	NC_ASSERT_OK(nc_wait_tcp_state(pair.server, TCP_CLOSE_WAIT, WAIT_MS));
	NC_ASSERT_SYS(ioctl(pair.server, SIOCINQ, &queued));
	NC_EXPECT_INT("queued_at_fin", queued, QUEUED_BYTES);

	while ((n = read(pair.server, got + total, sizeof(got) - total)) > 0)
		total += (size_t)n;
	NC_EXPECT_INT("bytes_before_eof", total, QUEUED_BYTES);
	NC_EXPECT_INT(NC_KEY(read_at_EOF, "read() at EOF"), n, 0);
	NC_EXPECT_TRUE(memcmp(got, sent, sizeof(sent)) == 0, "the data read differs from the data sent");
	NC_EXPECT_INT(NC_KEY(read_again_after_EOF, "read() again after EOF"),
		      read(pair.server, got, sizeof(got)), 0);
	NC_EXPECT_INT(NC_KEY(read_a_third_time_after_EOF, "read() a third time after EOF"),
		      read(pair.server, got, sizeof(got)), 0);
}

NC_CHECK(close, eof_after_queued_data) = {
	.summary = "the peer sends N bytes and closes: read() returns all N bytes, then 0 (EOF), and keeps returning 0; the same with both ends non-blocking (EOF is 0, not EAGAIN)",
	.clauses = NC_CLAUSES("close-3", "close-2", "close-9"),
	NC_CASES(eof_cases),
	.covers = "mode:blocking,nonblocking sequence:after-eof state:close-wait form:v4,v6",
	.run = eof_after_queued_data,
	.deadline_ms = 5000,
	.capture = true,
};

/* --- close() drops one reference --- */

enum copy_kind { DUP_COPY, FORK_COPY };
/* Which reference close() drops first: the reference count is the kernel's,
 * whichever descriptor, in whichever process, goes first. */
enum first_closed { ORIGINAL_FIRST, COPY_FIRST };

static const struct refcount_case {
	const char *name;
	const char *loopback;
	enum copy_kind copy;
	enum first_closed first;
} refcount_cases[] = {
	{ "ipv4-dup",  "127.0.0.1:0", DUP_COPY,  ORIGINAL_FIRST },
	{ "ipv6-dup",  "[::1]:0",     DUP_COPY,  ORIGINAL_FIRST },
	{ "ipv4-fork", "127.0.0.1:0", FORK_COPY, ORIGINAL_FIRST },
	{ "ipv6-fork", "[::1]:0",     FORK_COPY, ORIGINAL_FIRST },
	/* the child closes its inherited copy while the parent holds on */
	{ "ipv4-fork-child-first", "127.0.0.1:0", FORK_COPY, COPY_FIRST },
	{ "ipv6-fork-child-first", "[::1]:0",     FORK_COPY, COPY_FIRST },
}, accepted_refcount_cases[] = {	/* the copies are of the accepted socket */
	{ "ipv4-dup",  "127.0.0.1:0", DUP_COPY,  ORIGINAL_FIRST },
	{ "ipv6-fork", "[::1]:0",     FORK_COPY, ORIGINAL_FIRST },
	{ "ipv4-fork-child-first", "127.0.0.1:0", FORK_COPY, COPY_FIRST },
};

/* The second reference to the client socket: a dup() in this process, or
 * the copy a fork()ed child inherited and uses on command. */
struct second_copy {
	enum copy_kind kind;
	int fd;			/* DUP_COPY */
	pid_t child;		/* FORK_COPY: the child holding it, */
	int command_fd;		/* 'w' write a byte, 'c' close: one byte each */
	int done_fd;		/* the child's answer to each */
};

/* The child holding the inherited copy. */
static void __attribute__((noreturn)) copy_holder(int sock, int command_fd, int done_fd)
{
	char command;

	while (read(command_fd, &command, 1) == 1) {
		if (command == 'w' && write(sock, "m", 1) != 1)
			_exit(1);
		if (command == 'c' && close(sock) < 0)
			_exit(1);
		if (write(done_fd, &command, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void copy_make(struct second_copy *copy, enum copy_kind kind, int sock)
{
	int command[2], done[2];

	copy->kind = kind;
	if (kind == DUP_COPY) {
		copy->fd = NC_ASSERT_FD(dup(sock));
		return;
	}
	NC_ASSERT_SYS(pipe(command));
	NC_ASSERT_SYS(pipe(done));
	copy->child = (pid_t)NC_ASSERT_SYS(fork());
	if (copy->child == 0) {
		close(command[1]);
		close(done[0]);
		copy_holder(sock, command[0], done[1]);
	}
	close(command[0]);
	close(done[1]);
	copy->command_fd = command[1];
	copy->done_fd = done[0];
}

/* command on a descriptor of this process: 'w' write a byte, 'c' close. */
static void fd_do(int fd, char command)
{
	if (command == 'w')
		NC_ASSERT_SYS(write(fd, "m", 1));
	else
		NC_ASSERT_SYS(close(fd));
}

static void copy_do(struct second_copy *copy, char command)
{
	char answer = 0;

	if (copy->kind == DUP_COPY) {
		fd_do(copy->fd, command);
		return;
	}
	NC_ASSERT_SYS(write(copy->command_fd, &command, 1));
	if (nc_wait_fd(copy->done_fd, POLLIN, WAIT_MS) < 0 || read(copy->done_fd, &answer, 1) != 1 ||
	    answer != command)
		nc_fatal("the child holding the copy did not do '%c'", command);
}

/* command ('w' or 'c', as copy_do()) through the copy or the original. */
static void reference_do(struct second_copy *copy, int original, bool the_copy, char command)
{
	if (the_copy)
		copy_do(copy, command);
	else
		fd_do(original, command);
}

/* Closing one of two references sends no FIN: a byte written through the
 * other afterwards reaches the peer (after a FIN nothing could follow) and
 * both ends stay ESTABLISHED.  Closing the last one sends the FIN. */
static void drops_one_reference(const struct refcount_case *c, bool accepted)
{
	struct second_copy copy = { 0 };
	struct nc_stream_pair pair;
	char buf[8] = "", text[32];
	bool copy_first = c->first == COPY_FIRST;
	int peer_state;
	long got;

	pair_open(c->loopback, &pair);
	if (accepted) {		/* the accepted end closes, the client is its peer */
		int accepted = pair.server;

		pair.server = pair.client;
		pair.client = accepted;
	}
	copy_make(&copy, c->copy, pair.client);
	reference_do(&copy, pair.client, copy_first, 'c');
	/* a FIN would be there by now: loopback delivers it within close() */
	peer_state = nc_tcp_state(pair.server);
	NC_EXPECT_STATE(NC_KEY(state_peer_one_closed,
			       "state(peer, right after one of two references is closed)"),
			peer_state, TCP_ESTABLISHED);
	if (peer_state != TCP_ESTABLISHED)
		return;		/* a write through the other would raise SIGPIPE */
	reference_do(&copy, pair.client, !copy_first, 'w');
	/* the byte written through the other reference */
	got = read_when_ready(pair.server, buf, sizeof(buf) - 1);
	NC_EXPECT_STR("read_after_first_close", read_result(got, text, sizeof(text)), "1");
	NC_EXPECT_STR("bytes_after_first_close", buf, "m");
	NC_EXPECT_STATE(NC_STATE_AS(server, after_the_first_close,
				    "state(server, after the first close)"),
			nc_tcp_state(pair.server),
			TCP_ESTABLISHED);

	reference_do(&copy, pair.client, !copy_first, 'c');
	got = read_when_ready(pair.server, buf, sizeof(buf) - 1);
	NC_EXPECT_STR("read_after_last_close", read_result(got, text, sizeof(text)), "0");
	NC_EXPECT_STATE(NC_STATE(server), nc_tcp_state(pair.server), TCP_CLOSE_WAIT);
}

static void close_drops_one_reference(const struct nc_case_ctx *ctx)
{
	drops_one_reference(ctx->data, false);
}

static void close_accepted_drops_one_reference(const struct nc_case_ctx *ctx)
{
	drops_one_reference(ctx->data, true);
}

NC_CHECK(closefn, last_reference_closes) = {
	.summary = "with a dup()ed or fork()-inherited copy open, close() sends no FIN, also when the fork()ed child closes its copy first; closing the last copy does",
	.clauses = NC_CLAUSES("closefn-1", "closefn-2"),
	NC_CASES(refcount_cases),
	.run = close_drops_one_reference,
	.deadline_ms = 5000,
	.covers = "form:v4,v6,client",
};

NC_CHECK(closefn, accepted_last_reference_closes) = {
	.summary = "the same for the socket accept() returned: with a copy of it open, close() sends no FIN; closing the last copy does",
	.clauses = NC_CLAUSES("closefn-1", "closefn-2"),
	NC_CASES(accepted_refcount_cases),
	.run = close_accepted_drops_one_reference,
	.deadline_ms = 5000,
	.covers = "form:v4,v6,accepted",
};

static const struct close_error_case {
	const char *name;
	const char *loopback;
	bool twice;			/* the connected socket closed before */
} close_error_cases[] = {
	{ "closed-twice-ipv4", "127.0.0.1:0", true },
	{ "never-open",        NULL,          false },
};

/* close() of a descriptor that is not open fails with -1 EBADF: the second
 * close() of a connected socket, or a descriptor never opened. */
static void close_fails_with_ebadf(const struct nc_case_ctx *ctx)
{
	const struct close_error_case *c = ctx->data;
	struct nc_stream_pair pair;
	int fd;

	if (c->twice) {
		pair_open(c->loopback, &pair);
		fd = pair.client;
		NC_EXPECT_INT(NC_KEY(first_close, "first close()"), close(fd), 0);
	} else {
		fd = NC_ASSERT_FD(dup(2));
		NC_ASSERT_SYS(close(fd));	/* the lowest free descriptor, free */
	}
	NC_EXPECT_ERRNO(close(fd), EBADF, NULL);
}

NC_CHECK(closefn, errors) = {
	.summary = "beyond the document (it names no close() error): close() of a descriptor already closed, or never opened, returns -1 with errno EBADF",
	.clauses = NC_CLAUSES("closefn-1"),
	NC_CASES(close_error_cases),
	.run = close_fails_with_ebadf,
	.deadline_ms = 5000,
	.covers = "sequence:after-close form:v4",
};

/* --- A process's end closes its descriptors --- */

enum process_end { EXIT_CALL, MAIN_RETURN, KILLED };

static const struct exit_case {
	const char *name;
	const char *loopback;
	enum process_end end;
} exit_cases[] = {
	{ "ipv4-exit",        "127.0.0.1:0", EXIT_CALL },
	{ "ipv6-exit",        "[::1]:0",     EXIT_CALL },
	{ "ipv4-main-return", "127.0.0.1:0", MAIN_RETURN },
	{ "ipv6-main-return", "[::1]:0",     MAIN_RETURN },
	{ "ipv4-sigkill",     "127.0.0.1:0", KILLED },
	{ "ipv6-sigkill",     "[::1]:0",     KILLED },
};

/* /bin/true returns from main(); the socket, without FD_CLOEXEC, goes
 * through execve() and is closed by the kernel when true ends. */
static void __attribute__((noreturn)) return_from_main(int sock)
{
	int flags = fcntl(sock, F_GETFD);

	if (flags < 0 || fcntl(sock, F_SETFD, flags & ~FD_CLOEXEC) < 0)
		_exit(2);
	execl("/bin/true", "true", (char *)NULL);
	_exit(3);
}

/* The client socket's only reference is held by a child process that
 * ends; the kernel closes it and the peer reads EOF. */
static void process_end_sends_fin(const struct nc_case_ctx *ctx)
{
	const struct exit_case *c = ctx->data;
	struct nc_stream_pair pair;
	char buf[8], text[32];
	int status, go[2];
	pid_t child;
	long got;
	char go_byte;

	pair_open(c->loopback, &pair);
	NC_ASSERT_SYS(pipe(go));
	fflush(NULL);		/* exit() in the child must not flush our buffers twice */
	child = (pid_t)NC_ASSERT_SYS(fork());
	if (child == 0) {
		/* end only once the parent has dropped its reference, so that
		 * the last reference is the one the process's end closes */
		if (read(go[0], &go_byte, 1) != 1)
			_exit(4);
		if (c->end == EXIT_CALL)
			exit(0);
		if (c->end == MAIN_RETURN)
			return_from_main(pair.client);
		for (;;)
			pause();	/* until SIGKILL */
	}
	NC_ASSERT_SYS(close(pair.client));	/* the child's is now the only reference */
	NC_ASSERT_SYS(write(go[1], "g", 1));
	if (c->end == KILLED)
		NC_ASSERT_SYS(kill(child, SIGKILL));
	NC_ASSERT_SYS(waitpid(child, &status, 0));
	if (WIFSIGNALED(status))
		nc_observe("child_end", "killed by %s", nc_signal_name(WTERMSIG(status)));
	else
		nc_observe("child_end", "exit status %d", WEXITSTATUS(status));
	NC_EXPECT_TRUE(c->end == KILLED ? WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
					: WIFEXITED(status) && WEXITSTATUS(status) == 0,
		       "the child did not end as the case says (status 0x%x)", (unsigned)status);

	got = read_when_ready(pair.server, buf, sizeof(buf));
	NC_EXPECT_STR("peer_read", read_result(got, text, sizeof(text)), "0");
	NC_EXPECT_STATE(NC_STATE(server), nc_tcp_state(pair.server), TCP_CLOSE_WAIT);
}

NC_CHECK(close, process_end_sends_fin) = {
	.summary = "a process that calls exit(), returns from main() or is killed with SIGKILL has its sockets closed: the peer reads EOF",
	.clauses = NC_CLAUSES("close-10", "close-9"),
	NC_CASES(exit_cases),
	.run = process_end_sends_fin,
	.deadline_ms = 5000,
	.covers = "form:v4,v6",
	.capture = true,
};

/* --- Closing with unread data --- */

/* close-9 says closing sends a FIN, so the peer should read EOF.  Linux
 * (RFC 2525 2.17) sends RST instead when unread data is in the receive
 * queue; the peer's read() then fails with ECONNRESET. */
static void close_with_unread_data(const struct nc_case_ctx *ctx)
{
	const struct family_case *c = ctx->data;
	struct nc_stream_pair pair;
	char buf[8], text[32];
	long got;

	pair_open(c->loopback, &pair);
	NC_ASSERT_SYS(write(pair.server, "unread", 6));
	if (nc_wait_fd(pair.client, POLLIN, WAIT_MS) < 0)
		nc_fatal("the data never reached the client");
	NC_ASSERT_SYS(close(pair.client));	/* with 6 bytes unread */

	/* 0: EOF, after the FIN close-9 says close() sends */
	got = read_when_ready(pair.server, buf, sizeof(buf));
	NC_EXPECT_STR("peer_read", read_result(got, text, sizeof(text)), "0");
	nc_observe(NC_STATE(server), "%s", nc_tcp_state_name(nc_tcp_state(pair.server)));
}

NC_CHECK(close, unread_data) = {
	.summary = "closing a socket with unread received data: the document says a FIN is sent (peer reads EOF)",
	.clauses = NC_CLAUSES("close-9"),
	NC_CASES(family_cases),
	.run = close_with_unread_data,
	.deadline_ms = 5000,
	.covers = "form:v4,v6",
	.capture = true,
};
