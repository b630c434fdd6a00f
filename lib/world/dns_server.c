/* The check's DNS server (lib/world/dns_server.h): its sockets and its event
 * loop.  The answers are lib/world/dns_answer.c's (ldns, never by hand). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "dns_answer.h"
#include "dns_server.h"
#include "mutant_scope.h"

/* TCP clients at a time; one more takes the place of the longest idle
 * (RFC 7766 6.2.3: a server may close idle connections), and waits in the
 * backlog only while all are mid-query. */
#define MAX_CONNS 16
#define TCP_MESSAGE_MS 1000	/* per connection: a query in and its answer out */

/* One TCP client: a 2-byte length-prefixed query coming in, or its answer
 * going out.  The deadline is per message, not per byte: a client that
 * trickles bytes is dropped all the same. */
struct conn {
	int fd;			/* -1: free */
	long long deadline_ms;
	long long idle_since_ms;	/* its last answer sent (or accepted) */
	uint8_t in[2 + 65535];
	size_t got;
	uint8_t *out;		/* the answer with its prefix, while being sent */
	size_t out_len, sent;
};

/* UDP and TCP in one event loop: no client holds up another. */
struct server {
	int udp_fd, tcp_fd;
	const struct nc_dns_answerer *zone;
	volatile struct nc_dns_stats *stats;
	struct conn conns[MAX_CONNS];
};

static void serve_udp(struct server *s)
{
	uint8_t query[65535], *answer;
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof(peer);
	ssize_t len;
	size_t answer_len;

	len = recvfrom(s->udp_fd, query, sizeof(query), MSG_DONTWAIT, (struct sockaddr *)&peer,
		       &peer_len);
	if (len < 0)
		return;
	answer_len = nc_dns_answer(s->zone, query, (size_t)len, true, s->stats, &answer);
	if (answer)
		sendto(s->udp_fd, answer, answer_len, MSG_DONTWAIT, (struct sockaddr *)&peer,
		       peer_len);
	free(answer);
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->got = c->out_len = c->sent = 0;
}

static bool conn_idle(const struct conn *c)
{
	return c->fd >= 0 && c->got == 0 && !c->out;
}

/* A free slot, else the one idle the longest (to be closed), else NULL:
 * clients that keep their connections open never lock out a new one. */
static struct conn *conn_slot_for_new(struct server *s)
{
	struct conn *oldest = NULL;

	for (size_t i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0)
			return c;
		if (conn_idle(c) && (!oldest || c->idle_since_ms < oldest->idle_since_ms))
			oldest = c;
	}
	return oldest;
}

static void conn_accept(struct server *s)
{
	struct conn *c = conn_slot_for_new(s);
	int fd;

	if (!c)
		return;
	fd = accept4(s->tcp_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (c->fd >= 0)
		conn_close(c);
	c->fd = fd;
	c->idle_since_ms = nc_now_ms();
	c->deadline_ms = c->idle_since_ms + TCP_MESSAGE_MS;
}

static void conn_write(struct conn *c)
{
	ssize_t n = send(c->fd, c->out + c->sent, c->out_len - c->sent,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			conn_close(c);
		return;
	}
	c->sent += (size_t)n;
	if (c->sent < c->out_len)
		return;
	free(c->out);
	c->out = NULL;
	c->idle_since_ms = nc_now_ms();
	c->deadline_ms = c->idle_since_ms + TCP_MESSAGE_MS;	/* the next query's */
}

/* Reads what has come; a whole query gets its answer under way. */
static void conn_read(struct server *s, struct conn *c)
{
	size_t want = c->got < 2 ? 2 : 2 + ((size_t)c->in[0] << 8 | c->in[1]);
	ssize_t n = read(c->fd, c->in + c->got, want - c->got);
	uint8_t *answer;
	size_t len;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			conn_close(c);
		return;
	}
	c->got += (size_t)n;
	if (c->got < 2 || c->got < 2 + ((size_t)c->in[0] << 8 | c->in[1]))
		return;
	len = nc_dns_answer(s->zone, c->in + 2, c->got - 2, false, s->stats, &answer);
	c->got = 0;
	c->deadline_ms = nc_now_ms() + TCP_MESSAGE_MS;
	if (!answer)
		return;
	c->out = malloc(len + 2);
	if (!c->out) {
		free(answer);
		conn_close(c);
		return;
	}
	c->out[0] = (uint8_t)(len >> 8);
	c->out[1] = (uint8_t)len;
	memcpy(c->out + 2, answer, len);
	free(answer);
	c->out_len = len + 2;
	c->sent = 0;
	conn_write(c);
}

static void __attribute__((noreturn)) server_main(struct server *s)
{
	struct pollfd fds[2 + MAX_CONNS];
	struct conn *polled[2 + MAX_CONNS];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (size_t i = 0; i < MAX_CONNS; i++)
		s->conns[i].fd = -1;
	for (;;) {
		long long now = nc_now_ms(), wait_ms = -1;
		nfds_t n = 2;

		fds[0] = (struct pollfd){ .fd = s->udp_fd, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = s->tcp_fd,
					  .events = conn_slot_for_new(s) ? POLLIN : 0 };
		for (size_t i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &s->conns[i];

			if (c->fd < 0)
				continue;
			if (wait_ms < 0 || c->deadline_ms - now < wait_ms)
				wait_ms = c->deadline_ms > now ? c->deadline_ms - now : 0;
			polled[n] = c;
			fds[n++] = (struct pollfd){ .fd = c->fd, .events = c->out ? POLLOUT : POLLIN };
		}
		if (poll(fds, n, (int)wait_ms) < 0 && errno != EINTR)
			_exit(1);
		if (fds[0].revents & POLLIN)
			serve_udp(s);
		if (fds[1].revents & POLLIN)
			conn_accept(s);
		for (nfds_t i = 2; i < n; i++) {
			struct conn *c = polled[i];

			if (!fds[i].revents || c->fd < 0)
				continue;
			if (c->out)
				conn_write(c);
			else
				conn_read(s, c);
		}
		now = nc_now_ms();
		for (size_t i = 0; i < MAX_CONNS; i++)
			if (s->conns[i].fd >= 0 && now >= s->conns[i].deadline_ms)
				conn_close(&s->conns[i]);
	}
}

static int bound_socket(int type, const struct nc_sockaddr *addr)
{
	int fd = socket(addr->sa.sa_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &addr->sa, addr->len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nc_dns_server_start(const struct nc_dns_zone *spec, const struct nc_sockaddr *listen,
			struct nc_dns_server *out)
{
	struct nc_dns_answerer *zone = NULL;
	int udp_fd = -1, tcp_fd = -1, err;
	/* the server is the check's world, not its subject: no mutant in it */
	bool in_body = nc_mutant_scope(false);
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->addr = *listen;
	if (nc_sockaddr_port(listen) == 0)
		nc_sockaddr_set_port(&out->addr, 53);
	err = nc_dns_answerer_new(spec, &zone);
	if (err < 0)
		goto out;
	out->stats = mmap(NULL, sizeof(*out->stats), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (out->stats == MAP_FAILED) {
		out->stats = NULL;
		err = -errno;
		goto out;
	}
	udp_fd = err = bound_socket(SOCK_DGRAM, &out->addr);
	if (err < 0)
		goto out;
	tcp_fd = err = bound_socket(SOCK_STREAM, &out->addr);
	if (err < 0)
		goto out;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto out;
	}
	if (pid == 0) {
		/* The connections' buffers: in the child only. */
		struct server *server = malloc(sizeof(*server));

		if (!server)
			_exit(1);
		*server = (struct server){ .udp_fd = udp_fd, .tcp_fd = tcp_fd, .zone = zone,
					   .stats = out->stats };
		server_main(server);
	}
	out->pid = pid;
	err = 0;
out:
	if (udp_fd >= 0)
		close(udp_fd);
	if (tcp_fd >= 0)
		close(tcp_fd);
	nc_dns_answerer_free(zone);
	if (err < 0 && out->stats) {
		munmap((void *)out->stats, sizeof(*out->stats));
		out->stats = NULL;
	}
	nc_mutant_scope(in_body);
	return err;
}

int nc_dns_server_stop(struct nc_dns_server *server)
{
	int err = 0;

	if (server->pid > 0) {
		if (kill(server->pid, SIGKILL) < 0 ||
		    waitpid(server->pid, NULL, 0) < 0)
			err = -errno;
		server->pid = 0;
	}
	if (server->stats) {
		munmap((void *)server->stats, sizeof(*server->stats));
		server->stats = NULL;
	}
	return err;
}

void nc_dns_server_stats(const struct nc_dns_server *server, struct nc_dns_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!server->stats)
		return;
	out->udp_queries = __atomic_load_n(&server->stats->udp_queries, __ATOMIC_RELAXED);
	out->tcp_queries = __atomic_load_n(&server->stats->tcp_queries, __ATOMIC_RELAXED);
	out->truncated = __atomic_load_n(&server->stats->truncated, __ATOMIC_RELAXED);
	out->malformed = __atomic_load_n(&server->stats->malformed, __ATOMIC_RELAXED);
	out->dropped = __atomic_load_n(&server->stats->dropped, __ATOMIC_RELAXED);
}
