/* The check's DNS server's event loop (dns_serving.h): UDP and TCP of
 * every listener, late answers, connections' deadlines.  The answers are
 * lib/world/dns_answer.c's (ldns, never by hand). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "dns_answer.h"
#include "dns_serving.h"

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
	uint32_t n = s->stats.logged;
	struct nc_dns_query *q;

	if (n < NC_DNS_LOG_MAX) {
		q = (struct nc_dns_query *)&s->stats.log[n];
		q->server = (uint8_t)at->id;
		q->tcp = tcp;
		q->sport = sport;
		q->at_ms = (uint32_t)(nc_now_ms() - s->stats.started_ms);
		q->qtype = nc_dns_question(query, len, q->qname, sizeof(q->qname));
	}
	__atomic_store_n(&s->stats.logged, n + 1, __ATOMIC_RELEASE);
}

/* The answer of listener at to a query, its manner deciding, copied into
 * buf (65535 bytes) with its heap freed: 0 when there is none. */
static size_t answer_into(struct nc_dns_serving *s, const struct listener *at,
			  const uint8_t *query, size_t len, bool udp, uint8_t *buf)
{
	uint8_t *answer = NULL;
	size_t answer_len;

	if (at->manner == NC_DNS_SERVFAILS) {
		__atomic_fetch_add(udp ? &s->stats.udp_queries : &s->stats.tcp_queries, 1,
				   __ATOMIC_RELAXED);
		answer_len = nc_dns_answer_rcode(query, len, NC_DNS_SERVFAIL, &answer);
	} else {
		answer_len = nc_dns_answer(s->zone, query, len, udp, &s->stats, &answer);
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

void nc_dns_serve(struct nc_dns_serving *s)
{
	struct pollfd fds[2 * NC_DNS_MAX_LISTENERS + 1 + MAX_CONNS];
	struct conn *polled[2 * NC_DNS_MAX_LISTENERS + 1 + MAX_CONNS];
	nfds_t n_sockets = 2 * s->n_listeners, stop = n_sockets++;

	for (size_t i = 0; i < MAX_CONNS; i++)
		s->conns[i] = (struct conn){ .fd = -1, .in = s->in[i], .out = s->out[i] };
	for (;;) {
		long long now = nc_now_ms(), wait_ms = -1;
		bool room = conn_slot_for_new(s) != NULL;	/* for one more connection */
		nfds_t n = n_sockets;

		for (size_t i = 0; i < s->n_listeners; i++) {
			long long paused = s->listeners[i].accept_paused_until_ms;
			bool accepting = room && now >= paused;

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
}
