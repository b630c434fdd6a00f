/* What the mutants' files share (tests/mutants/): the mutants by name (the
 * X-macro table mutants.def), whether one acts, and the C library's own
 * function underneath.  Hidden: the preloaded library exports only the
 * functions it interposes. */
#ifndef NC_MUTANTS_H
#define NC_MUTANTS_H

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#pragma GCC visibility push(hidden)

enum mutant {
#define MUTANT(name, checks, what) name,
#include "mutants.def"
#undef MUTANT
	NO_MUTANT
};

/* m is the mutant chosen, and a check's body is running. */
bool acting(enum mutant m);
/* Some mutant is chosen, and a check's body is running. */
bool any_acting(void);
/* The next definition of name (the C library's); aborts without one. */
void *real_symbol(const char *name);
/* Sleeps ms, errno kept: the wait of a call that should return at once. */
void wait_ms(int ms);
/* sizeof(struct sockaddr_in / _in6) for the family, else 0. */
socklen_t family_len(sa_family_t family);
/* Swaps the bytes of an inet address's port (none: nothing). */
void port_swap_bytes(void *addr, socklen_t len);

/* text is a decimal number ("4242"), not a name. */
static inline bool is_number(const char *text)
{
	if (!text || !*text)
		return false;
	for (; *text; text++)
		if (*text < '0' || *text > '9')
			return false;
	return true;
}

/* asked names the host whose official name is official by another name:
 * an alias, not the official name itself (any case, a trailing dot), nor
 * its node name completed by the search domain. */
static inline bool is_alias_of(const char *asked, const char *official)
{
	size_t n = strlen(asked);

	if (n && asked[n - 1] == '.')
		n--;
	return strncasecmp(asked, official, n) != 0 ||
	       (official[n] != '\0' && official[n] != '.');
}

#pragma GCC visibility pop

/* The C library's function (races store the same pointer). */
#define REAL(fn) ({							\
	static __typeof__(&fn) real_;					\
	if (!real_)							\
		real_ = (__typeof__(&fn))real_symbol(#fn);		\
	real_;								\
})

/* --- A descriptor as the mutants see it (mutants.c, heldout.c) --- */

/* A SOL_SOCKET option of fd, or -1. */
static inline int sockopt(int fd, int name)
{
	int value = -1;
	socklen_t len = sizeof(value);

	return REAL(getsockopt)(fd, SOL_SOCKET, name, &value, &len) < 0 ? -1 : value;
}

static inline bool is_tcp(int fd)
{
	int domain = sockopt(fd, SO_DOMAIN);

	return (domain == AF_INET || domain == AF_INET6) && sockopt(fd, SO_TYPE) == SOCK_STREAM;
}

/* The TCP state of fd (TCP_ESTABLISHED...), or -1. */
static inline int tcp_state(int fd)
{
	struct tcp_info info;
	socklen_t len = sizeof(info);

	if (!is_tcp(fd) || REAL(getsockopt)(fd, IPPROTO_TCP, TCP_INFO, &info, &len) < 0)
		return -1;
	return info.tcpi_state;
}

static inline bool nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags >= 0 && (flags & O_NONBLOCK);
}

#endif
