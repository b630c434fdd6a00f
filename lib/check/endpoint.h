/* TCP endpoints a check needs again and again: a listener on an ephemeral
 * port, a connection accepted through it, a socket option set in one call.
 * All calls return a descriptor or 0 on success, -errno on failure. */
#ifndef NC_ENDPOINT_H
#define NC_ENDPOINT_H

#include "sockaddr.h"

/* A TCP listener bound to addr (a port of 0 picks one); *bound receives the
 * address it got.  reuseaddr sets SO_REUSEADDR before bind(). */
int nc_listener(const char *addr, int backlog, int reuseaddr,
		struct nc_sockaddr *bound);
/* A blocking connect() from a new socket to peer, and the accept() of it on
 * listen_fd: *client and *server are the two ends. */
int nc_connection(int listen_fd, const struct nc_sockaddr *peer,
		  int *client, int *server);
/* The calling namespace's net.ipv4.ip_local_port_range (it also governs
 * IPv6): the ephemeral ports.  0, or -errno (-EIO: unreadable). */
int nc_local_port_range(int *low, int *high);
int nc_setsockopt_int(int fd, int level, int name, int value);
int nc_getsockopt_int(int fd, int level, int name, int *value);

#endif
