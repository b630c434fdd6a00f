/* Waits with deadlines (wait.h).  Each wait polls a fact, never sleeps a
 * guessed time: readiness with poll(), a TCP state with nc_poll_until(). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "poll_until.h"
#include "sched_delay.h"
#include "wait.h"

/* A wait that ran out while the check's threads waited for a CPU gets that
 * time again, up to this many times its own length: a quiet window ("no
 * connection within 300 ms") means 300 ms in which the check could run. */
#define MOST_EXTENSION 8

int nc_wait_fd(int fd, short events, unsigned deadline_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	long window = (long)nc_scaled_ms(deadline_ms), granted = 0, left;
	long long wait_start = nc_sched_wait_self_ns();
	struct timespec start;
	int n;

	nc_clock_start(&start);
	for (;;) {
		left = window - nc_elapsed_ms(&start);
		n = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (n > 0)
			return pfd.revents;
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n == 0) {
			long long waited = wait_start >= 0 ? nc_sched_wait_self_ns() - wait_start : 0;
			long delay = waited > 0 ? (long)(waited / 1000000) : 0;

			if (delay <= granted || granted >= MOST_EXTENSION * (long)nc_scaled_ms(deadline_ms))
				return -ETIMEDOUT;
			window += delay - granted;
			granted = delay;
		}
	}
}

int nc_connect_start(int fd, const struct nc_sockaddr *peer)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	if (connect(fd, &peer->sa, peer->len) == 0 || errno == EINPROGRESS)
		return 0;
	return -errno;
}

int nc_connect_finish(int fd, unsigned deadline_ms)
{
	int so_error = 0;
	socklen_t len = sizeof(so_error);
	int revents = nc_wait_fd(fd, POLLOUT, deadline_ms);

	if (revents < 0)
		return revents;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
		return -errno;
	return -so_error;
}

static int tcp_info_of(int fd, struct tcp_info *info)
{
	socklen_t len = sizeof(*info);

	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, &len) < 0 ? -errno : 0;
}

struct state_query {
	int fd, state;
};

static int in_state(void *arg)
{
	struct state_query *q = arg;
	struct tcp_info info;
	int err = tcp_info_of(q->fd, &info);

	return err < 0 ? err : info.tcpi_state == q->state;
}

int nc_wait_tcp_state(int fd, int state, unsigned deadline_ms)
{
	struct state_query q = { fd, state };

	return nc_poll_until(in_state, &q, deadline_ms, NC_BACKOFF_KERNEL_WORK);
}

int nc_listener_queue(int listen_fd, unsigned *queued, unsigned *backlog)
{
	struct tcp_info info;
	int err = tcp_info_of(listen_fd, &info);

	if (err < 0)
		return err;
	/* For a listener, TCP_INFO reuses these two fields for its queue. */
	*queued = info.tcpi_unacked;
	*backlog = info.tcpi_sacked;
	return 0;
}
