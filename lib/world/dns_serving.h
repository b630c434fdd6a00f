/* The check's DNS server as its thread holds it (lib/world/dns_server.h):
 * its listeners, its TCP connections, its late answers and their buffers,
 * shared by the server's life (dns_server.c: sockets bound, the thread
 * started and stopped) and its event loop (dns_loop.c).  lib/world only. */
#ifndef NC_DNS_SERVING_H
#define NC_DNS_SERVING_H

#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dns_server.h"

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
	volatile struct nc_dns_stats stats;	/* what it saw, read by the check */
	int stop_fd;		/* an eventfd: written when the check is done with it */
	sem_t started;		/* posted once own_table is known */
	bool own_table;		/* the thread has a descriptor table of its own */
	struct conn conns[MAX_CONNS];
	struct late late[MAX_LATE];
	/* the buffers apart from what uses them: a server no client connects
	 * to touches none of these pages */
	uint8_t in[MAX_CONNS][2 + 65535], out[MAX_CONNS][2 + 65535];
	uint8_t late_answers[MAX_LATE][65535];
};

/* Answers on s's listeners until s->stop_fd is written; its connections
 * are closed when it returns, its listeners are not. */
void nc_dns_serve(struct nc_dns_serving *s);

#endif
