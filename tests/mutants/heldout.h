/* What heldout.c and heldout_netdb.c share (issue 20's held-out mutants). */
#ifndef NC_HELDOUT_H
#define NC_HELDOUT_H

#include <stdbool.h>
#include <sys/socket.h>

#pragma GCC visibility push(hidden)
/* The port of an AF_INET/AF_INET6 address of len bytes (host order), or -1. */
int held_port(const struct sockaddr *addr, socklen_t len);
/* addr is an AF_INET6 address of the form ::ffff:a.b.c.d. */
bool held_mapped(const struct sockaddr *addr, socklen_t len);
#pragma GCC visibility pop

#endif
