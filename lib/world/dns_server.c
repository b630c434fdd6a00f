/* The check's DNS server (lib/world/dns_server.h): its sockets and its event
 * loop, in a thread of the check's process.  The answers are
 * lib/world/dns_answer.c's (ldns, never by hand). */
#include <errno.h>
#include <poll.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "dns_answer.h"
#include "dns_server.h"
#include "mutant_scope.h"

/* TCP clients at a time; one more takes the place of the longest idle
 * (RFC 7766 6.2.3: a server may close idle connections), and waits in the
 * backlog only while all are mid-query. */
#define MAX_CONNS 16
#define MAX_LATE 32		/* late UDP answers waiting to go */
#define TCP_MESSAGE_MS 1000	/* per connection: a query in and its answer out */
#define ACCEPT_PAUSE_MS 100	/* after an accept() that failed: no descriptor, say */

/* One address of the server: its sockets and its manner. */
struct listener {
	int udp_fd, tcp_fd;
	long long accept_paused_until_ms;	/* not polled for connections till then */
	int id;
	enum nc_dns_manner manner;
	unsigned delay_ms;
};

/* One TCP client: a 2-byte length-prefixed query coming in, or its answer
 * going out.  The deadline is per message, not per byte: a client that
 * trickles bytes is dropped all the same. */
struct conn {
	int fd;			/* -1: free */
	const struct listener *at;
	uint16_t sport;
	long long deadline_ms;
	long long idle_since_ms;	/* its last answer sent (or accepted) */
	uint8_t *in;		/* 2 + 65535 bytes, in the server's in[] */
	size_t got;
	uint8_t *out;		/* the answer with its prefix, in the server's out[] */
	size_t out_len, sent;	/* out_len 0: none being sent */
};

/* A UDP answer of a late listener, sent at due_ms. */
struct late {
	uint8_t *answer;	/* in the server's late_answers[] */
	size_t len;		/* 0: free */
	int fd;
	long long due_ms;
	struct sockaddr_storage peer;
	socklen_t peer_len;
};

/* UDP and TCP of every address in one event loop: no client holds up
 * another.  Mapped apart from the heap, and every answer is copied into its
 * buffers and its heap freed before it is sent: a check that measures the
 * heap (freeaddrinfo) sees nothing of the server's, whose answer it awaits. */
struct nc_dns_serving {
	struct listener listeners[NC_DNS_MAX_LISTENERS];
	size_t n_listeners;
	const struct nc_dns_answerer *zone;
	volatile struct nc_dns_stats *stats;
	long long start_ms;
	int stop_fd;		/* an eventfd: written when the check is done with it */
	sem_t started;		/* posted once own_table is known */
	bool own_table;		/* the thread has a descriptor table of its own */
	bool listeners_here;	/* the caller's table holds the listeners, to close */
	struct conn conns[MAX_CONNS];
	struct late late[MAX_LATE];
	/* the buffers apart from what uses them: a server no client connects
	 * to touches none of these pages */
	uint8_t in[MAX_CONNS][2 + 65535], out[MAX_CONNS][2 + 65535];
	uint8_t late_answers[MAX_LATE][65535];
};

static uint16_t peer_port(const struct sockaddr_storage *peer)
{
	if (peer->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)peer)->sin_port);
	if (peer->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)peer)->sin6_port);
	return 0;
}

/* Logs the query, in the order it came; the count is published after the
 * entry, so a reader sees whole entries only. */
static void log_query(struct nc_dns_serving *s, const struct listener *at, bool tcp, uint16_t sport,
		      const uint8_t *query, size_t len)
{
	uint32_t n = s->stats->logged;
	struct nc_dns_query *q;

	if (n < NC_DNS_LOG_MAX) {
		q = (struct nc_dns_query *)&s->stats->log[n];
		q->server = (uint8_t)at->id;
		q->tcp = tcp;
		q->sport = sport;
		q->at_ms = (uint32_t)(nc_now_ms() - s->start_ms);
		q->qtype = nc_dns_question(query, len, q->qname, sizeof(q->qname));
	}
	__atomic_store_n(&s->stats->logged, n + 1, __ATOMIC_RELEASE);
}

/* The answer of listener at to a query, its manner deciding, copied into
 * buf (65535 bytes) with its heap freed: 0 when there is none. */
static size_t answer_into(struct nc_dns_serving *s, const struct listener *at,
			  const uint8_t *query, size_t len, bool udp, uint8_t *buf)
{
	uint8_t *answer = NULL;
	size_t answer_len;

	if (at->manner == NC_DNS_SERVFAILS) {
		__atomic_fetch_add(udp ? &s->stats->udp_queries : &s->stats->tcp_queries, 1,
				   __ATOMIC_RELAXED);
		answer_len = nc_dns_answer_rcode(query, len, NC_DNS_SERVFAIL, &answer);
	} else {
		answer_len = nc_dns_answer(s->zone, query, len, udp, s->stats, &answer);
	}
	if (!answer || answer_len > 65535)
		answer_len = 0;
	if (answer_len)
		memcpy(buf, answer, answer_len);
	free(answer);
	return answer_len;
}

/* A late listener's answer to a query, held until its time; none free: it
 * is lost. */
static void answer_late(struct nc_dns_serving *s, const struct listener *at, const uint8_t *query,
			size_t len, const struct sockaddr_storage *peer, socklen_t peer_len)
{
	for (size_t i = 0; i < MAX_LATE; i++)
		if (!s->late[i].len) {
			s->late[i] = (struct late){ .answer = s->late_answers[i], .fd = at->udp_fd,
						    .due_ms = nc_now_ms() + at->delay_ms,
						    .peer = *peer, .peer_len = peer_len };
			s->late[i].len = answer_into(s, at, query, len, true, s->late[i].answer);
			return;
		}
}

static void send_due(struct nc_dns_serving *s, long long now)
{
	for (size_t i = 0; i < MAX_LATE; i++) {
		struct late *l = &s->late[i];

		if (!l->len || now < l->due_ms)
			continue;
		sendto(l->fd, l->answer, l->len, MSG_DONTWAIT, (struct sockaddr *)&l->peer,
		       l->peer_len);
		l->len = 0;
	}
}

static void serve_udp(struct nc_dns_serving *s, const struct listener *at)
{
	uint8_t query[65535], answer[65535];
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof(peer);
	ssize_t len;
	size_t answer_len;

	len = recvfrom(at->udp_fd, query, sizeof(query), MSG_DONTWAIT, (struct sockaddr *)&peer,
		       &peer_len);
	if (len < 0)
		return;
	log_query(s, at, false, peer_port(&peer), query, (size_t)len);
	if (at->manner == NC_DNS_LATE) {
		answer_late(s, at, query, (size_t)len, &peer, peer_len);
		return;
	}
	answer_len = answer_into(s, at, query, (size_t)len, true, answer);
	if (answer_len)
		sendto(at->udp_fd, answer, answer_len, MSG_DONTWAIT, (struct sockaddr *)&peer,
		       peer_len);
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->got = c->out_len = c->sent = 0;
}

static bool conn_idle(const struct conn *c)
{
	return c->fd >= 0 && c->got == 0 && !c->out_len;
}

/* A free slot, else the one idle the longest (to be closed), else NULL:
 * clients that keep their connections open never lock out a new one. */
static struct conn *conn_slot_for_new(struct nc_dns_serving *s)
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

static void conn_accept(struct nc_dns_serving *s, struct listener *at)
{
	struct conn *c = conn_slot_for_new(s);
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof(peer);
	int fd;

	if (!c)
		return;
	fd = accept4(at->tcp_fd, (struct sockaddr *)&peer, &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		/* the client waits in the backlog, the listener stays readable:
		 * without a pause the loop would spin (EMFILE under a check's
		 * RLIMIT_NOFILE) */
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			at->accept_paused_until_ms = nc_now_ms() + ACCEPT_PAUSE_MS;
		return;
	}
	if (c->fd >= 0)
		conn_close(c);
	c->fd = fd;
	c->at = at;
	c->sport = peer_port(&peer);
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
	c->out_len = 0;
	c->idle_since_ms = nc_now_ms();
	c->deadline_ms = c->idle_since_ms + TCP_MESSAGE_MS;	/* the next query's */
}

/* Reads what has come; a whole query gets its answer under way. */
static void conn_read(struct nc_dns_serving *s, struct conn *c)
{
	size_t want = c->got < 2 ? 2 : 2 + ((size_t)c->in[0] << 8 | c->in[1]);
	ssize_t n = read(c->fd, c->in + c->got, want - c->got);
	size_t len;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			conn_close(c);
		return;
	}
	c->got += (size_t)n;
	if (c->got < 2 || c->got < 2 + ((size_t)c->in[0] << 8 | c->in[1]))
		return;
	log_query(s, c->at, true, c->sport, c->in + 2, c->got - 2);
	len = answer_into(s, c->at, c->in + 2, c->got - 2, false, c->out + 2);
	c->got = 0;
	c->deadline_ms = nc_now_ms() + TCP_MESSAGE_MS;
	if (!len)
		return;
	c->out[0] = (uint8_t)(len >> 8);
	c->out[1] = (uint8_t)len;
	c->out_len = len + 2;
	c->sent = 0;
	conn_write(c);
}

static void listeners_close(struct listener *listeners, size_t n);

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every descriptor of the calling thread's table but keep[n], as
 * far as it can. */
static void close_all_but(int *keep, size_t n)
{
	unsigned from = 0;
	char entries[4096];
	long got;
	int dir;

	qsort(keep, n, sizeof(keep[0]), by_number);
	for (size_t i = 0; i <= n; i++) {
		unsigned to = i < n ? (unsigned)keep[i] : ~0u;

		if (to > from && close_range(from, to - 1, 0) < 0)
			break;
		from = to + 1;
		if (i == n)
			return;
	}
	/* no close_range() (gVisor): each one the table lists, read without
	 * malloc() (opendir()'s would give this thread an arena of its own,
	 * which a fork of the check then allocates from) */
	dir = open("/proc/thread-self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;
	while ((got = syscall(SYS_getdents64, dir, entries, sizeof(entries))) > 0) {
		for (long at = 0; at < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(entries + at);
			int fd = atoi(e->d_name);

			at += e->d_reclen;
			if (e->d_name[0] != '.' && fd != dir &&
			    !bsearch(&fd, keep, n, sizeof(keep[0]), by_number))
				close(fd);
		}
	}
	close(dir);
}

/* A descriptor table of its own, holding its sockets and nothing of the
 * check's: a socket the check closes is closed (no copy of the server's
 * holds it open), and the server's connections come and go outside the
 * check's table (its lowest free descriptor stays its own). */
static bool own_table(struct nc_dns_serving *s)
{
	int keep[2 * NC_DNS_MAX_LISTENERS + 1];
	size_t n = 0;

	if (unshare(CLONE_FILES) < 0)
		return false;
	for (size_t i = 0; i < s->n_listeners; i++) {
		keep[n++] = s->listeners[i].udp_fd;
		keep[n++] = s->listeners[i].tcp_fd;
	}
	keep[n++] = s->stop_fd;
	/* its own even where the check's copies cannot all be closed (no
	 * close_range(), no /proc): then they stay open here, and its sockets
	 * are still the thread's alone */
	close_all_but(keep, n);
	return true;
}

/* The server's thread, until stop_fd is written. */
static void *server_main(void *arg)
{
	struct nc_dns_serving *s = arg;
	struct pollfd fds[2 * NC_DNS_MAX_LISTENERS + 1 + MAX_CONNS];
	struct conn *polled[2 * NC_DNS_MAX_LISTENERS + 1 + MAX_CONNS];
	nfds_t n_sockets = 2 * s->n_listeners, stop = n_sockets++;

	s->own_table = own_table(s);
	sem_post(&s->started);
	for (size_t i = 0; i < MAX_CONNS; i++)
		s->conns[i] = (struct conn){ .fd = -1, .in = s->in[i], .out = s->out[i] };
	for (;;) {
		long long now = nc_now_ms(), wait_ms = -1;
		nfds_t n = n_sockets;

		for (size_t i = 0; i < s->n_listeners; i++) {
			long long paused = s->listeners[i].accept_paused_until_ms;
			bool accepting = now >= paused && conn_slot_for_new(s);

			fds[2 * i] = (struct pollfd){ .fd = s->listeners[i].udp_fd, .events = POLLIN };
			fds[2 * i + 1] = (struct pollfd){ .fd = s->listeners[i].tcp_fd,
							  .events = accepting ? POLLIN : 0 };
			if (now < paused && (wait_ms < 0 || paused - now < wait_ms))
				wait_ms = paused - now;
		}
		fds[stop] = (struct pollfd){ .fd = s->stop_fd, .events = POLLIN };
		for (size_t i = 0; i < MAX_LATE; i++)
			if (s->late[i].len && (wait_ms < 0 || s->late[i].due_ms - now < wait_ms))
				wait_ms = s->late[i].due_ms > now ? s->late[i].due_ms - now : 0;
		for (size_t i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &s->conns[i];

			if (c->fd < 0)
				continue;
			if (wait_ms < 0 || c->deadline_ms - now < wait_ms)
				wait_ms = c->deadline_ms > now ? c->deadline_ms - now : 0;
			polled[n] = c;
			fds[n++] = (struct pollfd){ .fd = c->fd, .events = c->out_len ? POLLOUT : POLLIN };
		}
		if (poll(fds, n, (int)wait_ms) < 0 && errno != EINTR)
			break;
		if (fds[stop].revents)
			break;
		for (size_t i = 0; i < s->n_listeners; i++) {
			if (fds[2 * i].revents & POLLIN)
				serve_udp(s, &s->listeners[i]);
			if (fds[2 * i + 1].revents & POLLIN)
				conn_accept(s, &s->listeners[i]);
		}
		for (nfds_t i = n_sockets; i < n; i++) {
			struct conn *c = polled[i];

			if (!fds[i].revents || c->fd < 0)
				continue;
			if (c->out_len)
				conn_write(c);
			else
				conn_read(s, c);
		}
		now = nc_now_ms();
		send_due(s, now);
		for (size_t i = 0; i < MAX_CONNS; i++)
			if (s->conns[i].fd >= 0 && now >= s->conns[i].deadline_ms)
				conn_close(&s->conns[i]);
	}
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_close(&s->conns[i]);
	listeners_close(s->listeners, s->n_listeners);
	return NULL;
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

static void listeners_close(struct listener *listeners, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (listeners[i].udp_fd >= 0)
			close(listeners[i].udp_fd);
		if (listeners[i].tcp_fd >= 0)
			close(listeners[i].tcp_fd);
	}
}

/* Binds each listener's UDP and TCP sockets (port 0: 53). */
static int listeners_bind(const struct nc_dns_listener *spec, size_t n, struct listener *out,
			  struct nc_sockaddr *first)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (struct listener){ .udp_fd = -1, .tcp_fd = -1, .id = spec[i].id,
					    .manner = spec[i].manner,
					    .delay_ms = spec[i].delay_ms };
	for (size_t i = 0; i < n; i++) {
		struct nc_sockaddr addr = spec[i].addr;

		if (nc_sockaddr_port(&addr) == 0)
			nc_sockaddr_set_port(&addr, 53);
		if (i == 0)
			*first = addr;
		out[i].udp_fd = bound_socket(SOCK_DGRAM, &addr);
		if (out[i].udp_fd < 0)
			return out[i].udp_fd;
		out[i].tcp_fd = bound_socket(SOCK_STREAM, &addr);
		if (out[i].tcp_fd < 0)
			return out[i].tcp_fd;
	}
	return 0;
}

/* The caller's descriptors of it closed, its memory unmapped. */
static void serving_free(struct nc_dns_serving *s)
{
	if (s->listeners_here)
		listeners_close(s->listeners, s->n_listeners);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	sem_destroy(&s->started);
	munmap(s, sizeof(*s));
}

static const int own_faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT };

int nc_dns_servers_start(const struct nc_dns_zone *spec, const struct nc_dns_listener *listeners,
			 size_t n, struct nc_dns_server *out)
{
	/* the server is the check's world, not its subject: no mutant in it
	 * (its thread starts outside the scope: tests/mutants/mutants.c) */
	const char *in_body = nc_mutant_scope(NULL);
	struct nc_dns_serving *s = NULL;
	sigset_t all, old;
	int err;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > NC_DNS_MAX_LISTENERS) {
		err = -EINVAL;
		goto out;
	}
	err = nc_dns_answerer_new(spec, &out->zone);
	if (err < 0)
		goto out;
	out->stats = mmap(NULL, sizeof(*out->stats), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (out->stats == MAP_FAILED || s == MAP_FAILED) {
		err = -errno;
		if (s != MAP_FAILED)
			munmap(s, sizeof(*s));
		s = NULL;
		goto out;
	}
	sem_init(&s->started, 0, 0);
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0) {
		err = -errno;
		goto out;
	}
	s->n_listeners = n;	/* listeners_bind() makes each -1 first */
	s->listeners_here = true;
	err = listeners_bind(listeners, n, s->listeners, &out->addr);
	if (err < 0)
		goto out;
	s->zone = out->zone;
	s->stats = out->stats;
	s->start_ms = out->stats->started_ms = nc_now_ms();
	/* every signal blocked in the thread, so that a signal the check sends
	 * its process (to interrupt a call) reaches the check; but for those
	 * its own fault raises, which must kill it with a report (ASan's) */
	sigfillset(&all);
	for (size_t i = 0; i < sizeof(own_faults) / sizeof(own_faults[0]); i++)
		sigdelset(&all, own_faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&out->thread, NULL, server_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err < 0)
		goto out;
	while (sem_wait(&s->started) < 0)
		;
	/* its sockets are the thread's alone now: in its own table, or in
	 * this one, which it closes them in when it ends */
	if (s->own_table)
		listeners_close(s->listeners, s->n_listeners);
	s->listeners_here = false;
	/* named from here: so named once started */
	pthread_setname_np(out->thread, "nc-dns");
	/* its wait for a CPU, which delays an answer as the body's own does,
	 * counts with the body's: a thread of its process (timing.h) */
	out->serving = s;
out:
	if (err < 0 && s)
		serving_free(s);
	if (err < 0) {
		if (out->stats && out->stats != MAP_FAILED)
			munmap((void *)out->stats, sizeof(*out->stats));
		out->stats = NULL;
		nc_dns_answerer_free(out->zone);
		out->zone = NULL;
	}
	nc_mutant_scope(in_body);
	return err;
}

int nc_dns_server_stop(struct nc_dns_server *server)
{
	int err;

	if (server->serving) {
		if (eventfd_write(server->serving->stop_fd, 1) < 0)
			return -errno;
		err = -pthread_join(server->thread, NULL);
		if (err < 0)
			return err;	/* running still: nothing of it freed */
		serving_free(server->serving);
		server->serving = NULL;
	}
	if (server->stats) {
		munmap((void *)server->stats, sizeof(*server->stats));
		server->stats = NULL;
	}
	nc_dns_answerer_free(server->zone);
	server->zone = NULL;
	return 0;
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
	out->logged = __atomic_load_n(&server->stats->logged, __ATOMIC_ACQUIRE);
	out->started_ms = server->stats->started_ms;	/* set before the thread */
	memcpy(out->log, (const void *)server->stats->log,
	       (out->logged < NC_DNS_LOG_MAX ? out->logged : NC_DNS_LOG_MAX) * sizeof(out->log[0]));
}
