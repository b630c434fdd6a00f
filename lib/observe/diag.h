/* TCP sockets of a host as the kernel sees them, through sock_diag:
 * all sockets of the host, whoever made them.  Calls return 0 (or a count)
 * or -errno; nothing prints. */
#ifndef NC_DIAG_H
#define NC_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "sockaddr.h"
#include "tcp_state.h"

struct nc_host;

struct nc_tcp_diag {
	int state;		/* TCP_ESTABLISHED ... (netinet/tcp.h) */
	uint32_t rqueue;	/* listener: connections waiting for accept() */
	uint32_t wqueue;	/* listener: the backlog */
	int timer;		/* 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 probe */
	uint32_t timer_ms;	/* time left on it */
	uint32_t retransmits;
	struct nc_sockaddr local, peer;
};

/* Whether this system has NETLINK_SOCK_DIAG (gVisor has not). */
bool nc_diag_available(void);

/* The socket with this local and peer address (peer NULL: a listener).
 * Port 0 or a wildcard address in local/peer match any.  Request sockets
 * (SYN received, final ACK not yet) are found as TCP_SYN_RECV.  -ENOENT when
 * there is none (CLOSED). */
int nc_diag_find(struct nc_host *host, const struct nc_sockaddr *local,
		 const struct nc_sockaddr *peer, struct nc_tcp_diag *out);
/* Waits until that socket is in state (TCP_CLOSE: gone), or -ETIMEDOUT
 * after deadline_ms; *out then holds the last state seen.  It polls the
 * dump, 1, 2, 4 ... 32 ms apart: it returns as soon as the state is there,
 * it never sleeps a fixed time in the hope that it will be. */
int nc_diag_wait_state(struct nc_host *host, const struct nc_sockaddr *local,
		       const struct nc_sockaddr *peer, int state,
		       unsigned deadline_ms, struct nc_tcp_diag *out);
/* Counts the host's sockets in state, both families (with that local
 * port, or any: 0). */
int nc_diag_count(struct nc_host *host, int state, int local_port);

#endif
