/* A connected stream pair: a listener, a client connect()ed to it and the
 * accept()ed socket, the setup every teardown and address check starts from.
 * Works for PF_INET, PF_INET6 and PF_LOCAL (lib/check/endpoint.h is TCP from
 * text addresses).  Both ends are SOCK_CLOEXEC.  Returns 0 or -errno. */
#ifndef NC_STREAM_PAIR_H
#define NC_STREAM_PAIR_H

#include "sockaddr.h"

struct nc_host;

struct nc_stream_pair {
	int client;			/* connect()ed */
	int server;			/* accept()ed */
	struct nc_sockaddr client_addr;	/* the client's local address */
	struct nc_sockaddr server_addr;	/* the listener's address (port filled in) */
};

/* Listens on `listen_at` (port 0: the kernel chooses) in server_host, then
 * connects from client_host and accepts.  A NULL host is the calling
 * thread's namespace; a host given is left entered (client_host last).
 * The listener is closed before return: the accepted socket outlives it. */
int nc_stream_pair_open(struct nc_host *server_host, struct nc_host *client_host,
			const struct nc_sockaddr *listen_at, struct nc_stream_pair *out);

/* The abstract PF_LOCAL address "\0name" (per network namespace, no file). */
void nc_sockaddr_abstract(const char *name, struct nc_sockaddr *out);

#endif
