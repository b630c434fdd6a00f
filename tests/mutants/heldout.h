/* What the held-out mutants' files share (issue 20): heldout.c,
 * heldout_netdb.c, the second round's heldout2.c and heldout2_netdb.c, the
 * third round's heldout3.c and heldout3_netdb.c; heldout_base.c defines the
 * first helpers. */
#ifndef NC_HELDOUT_H
#define NC_HELDOUT_H

#include <errno.h>
#include <netdb.h>
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
/* The caller may bind ports below 1024 (CAP_NET_BIND_SERVICE). */
bool may_bind_protected(void);
/* Every socket on local port (host order) is a connection in TIME_WAIT,
 * and there is one (the kernel's tables, /proc/net/tcp and tcp6). */
bool held_only_time_wait(int port);
/* text is an IPv4 or IPv6 address, as NI_NUMERICHOST writes one. */
bool held_numeric_host(const char *text);

/* The second round (heldout2.def): the functions the first round calls in
 * place of the C library's, each the C library's function with the second
 * round's bug acting in it, if one is chosen. */
int held2_socket(int domain, int type, int protocol);
int held2_connect(int fd, const struct sockaddr *addr, socklen_t len);
int held2_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int held2_bind(int fd, const struct sockaddr *addr, socklen_t len);
int held2_listen(int fd, int backlog);
int held2_accept(int fd, struct sockaddr *addr, socklen_t *len);
int held2_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int held2_close(int fd);
int held2_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int held2_getpeername(int fd, struct sockaddr *addr, socklen_t *len);
struct hostent *held2_gethostbyname(const char *name);
struct hostent *held2_gethostbyaddr(const void *addr, socklen_t len, int type);
struct servent *held2_getservbyname(const char *name, const char *proto);
struct servent *held2_getservbyport(int port, const char *proto);
int held2_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		      struct addrinfo **res);
void held2_freeaddrinfo(struct addrinfo *list);
int held2_getnameinfo(const struct sockaddr *addr, socklen_t addr_len, char *host,
		      socklen_t host_len, char *serv, socklen_t serv_len, int flags);
const char *held2_gai_strerror(int code);
#pragma GCC visibility pop

#endif
