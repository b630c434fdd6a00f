/* What the held-out mutants' files share (issue 20): heldout.c,
 * heldout_netdb.c, heldout3.c, heldout3_netdb.c; defined in heldout_base.c. */
#ifndef NC_HELDOUT_H
#define NC_HELDOUT_H

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#pragma GCC visibility push(hidden)
/* The port of an AF_INET/AF_INET6 address of len bytes (host order), or -1. */
int held_port(const struct sockaddr *addr, socklen_t len);
/* addr is an AF_INET6 address of the form ::ffff:a.b.c.d. */
bool held_mapped(const struct sockaddr *addr, socklen_t len);

/* -1 with errno err: a call that fails. */
static inline int fail_with(int err)
{
	errno = err;
	return -1;
}
#pragma GCC visibility pop

#endif
