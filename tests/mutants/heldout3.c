/* Held-out mutants, round 3, of the socket calls and the TCP states
 * (heldout3.def; the resolver's are in heldout3_netdb.c): bugs written from
 * the document alone (issue 20).
 *
 * Built as a library of its own, build/heldout3.so, preloaded after
 * heldout.so: heldout.so's functions call these through RTLD_NEXT, and
 * these call the C library's, so each acts as a bug of the C library or
 * the kernel would (heldout_base.c: whether one acts). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "mutants.h"
#include "heldout.h"

/* What a descriptor went through, for the mutants of a sequence or a state. */
#define HELD3_FDS 1024
static struct held3_fd {
	bool connected;		/* connect() called or accepted: a connection's socket */
	bool eof_seen;
	bool accept_failed;	/* the last accept() failed EAGAIN */
	int stashed;		/* an accepted connection held back, + 1 */
	struct sockaddr_storage stashed_addr;
	socklen_t stashed_len;
} held3_fds[HELD3_FDS];

static struct held3_fd *fd_of(int fd)
{
	static struct held3_fd scratch;

	if (fd >= 0 && fd < HELD3_FDS)
		return &held3_fds[fd];
	memset(&scratch, 0, sizeof(scratch));
	return &scratch;
}

static void forget(int fd)
{
	if (fd >= 0 && fd < HELD3_FDS)
		held3_fds[fd] = (struct held3_fd){ 0 };
}

int socket(int domain, int type, int protocol)
{
	int fd = REAL(socket)(domain, type, protocol);

	forget(fd);
	return fd;
}

int close(int fd)
{
	struct held3_fd *h = fd_of(fd);

	if (h->stashed)
		REAL(close)(h->stashed - 1);
	forget(fd);
	return REAL(close)(fd);
}

/* --- connect(), bind(), listen() --- */

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int ret = REAL(connect)(fd, addr, len);

	fd_of(fd)->connected = true;
	if (ret < 0 && (errno == EHOSTUNREACH || errno == ENETUNREACH) && addr &&
	    addr->sa_family == AF_INET6 && !held_mapped(addr, len) && !nonblocking(fd) &&
	    acting(held3_connect_v6_icmp_timedout))
		errno = ETIMEDOUT;
	return ret;
}

static bool wildcard(const struct sockaddr *addr, socklen_t len)
{
	if (addr && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
		return ((const struct sockaddr_in *)addr)->sin_addr.s_addr == htonl(INADDR_ANY);
	return addr && addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6) &&
	       IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	int ret = REAL(bind)(fd, addr, len);

	/* the conflict looked for with the wildcard's own entries only */
	if (ret < 0 && errno == EADDRINUSE && wildcard(addr, len) &&
	    acting(held3_bind_wildcard_timewait_ignored) && held_only_time_wait(held_port(addr, len)))
		return 0;
	return ret;
}

int listen(int fd, int backlog)
{
	if (acting(held3_listen_again_ignored) && tcp_state(fd) == TCP_LISTEN)
		return 0;
	if (acting(held3_listen_cap_64) && (backlog > 64 || backlog < 0))
		backlog = 64;
	return REAL(listen)(fd, backlog);
}

/* --- accept() --- */

static void give_address(struct sockaddr *addr, socklen_t *len, const void *from,
			 socklen_t from_len)
{
	if (!addr || !len)
		return;
	memcpy(addr, from, *len < from_len ? *len : from_len);
	*len = from_len;
}

static int accept_real(int fd, struct sockaddr *addr, socklen_t *len, int flags, bool four)
{
	return four ? REAL(accept4)(fd, addr, len, flags) : REAL(accept)(fd, addr, len);
}

/* LIFO: of two connections queued, the later one given first, the earlier
 * one held back for the next accept(). */
static int accept_newest(int fd, struct sockaddr *addr, socklen_t *len, int flags, bool four)
{
	struct held3_fd *h = fd_of(fd);
	struct sockaddr_storage first, second;
	socklen_t first_len = sizeof(first), second_len = sizeof(second);
	int older, newer, listener_flags;

	if (h->stashed) {
		older = h->stashed - 1;
		h->stashed = 0;
		give_address(addr, len, &h->stashed_addr, h->stashed_len);
		if (flags & SOCK_NONBLOCK)
			fcntl(older, F_SETFL, fcntl(older, F_GETFL) | O_NONBLOCK);
		return older;
	}
	older = accept_real(fd, (struct sockaddr *)&first, &first_len, flags, four);
	if (older < 0 || fd >= HELD3_FDS)
		return older < 0 ? older : (give_address(addr, len, &first, first_len), older);
	listener_flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, listener_flags | O_NONBLOCK);
	newer = accept_real(fd, (struct sockaddr *)&second, &second_len, flags, four);
	fcntl(fd, F_SETFL, listener_flags);
	if (newer < 0) {
		give_address(addr, len, &first, first_len);
		return older;
	}
	h->stashed = older + 1;
	h->stashed_addr = first;
	h->stashed_len = first_len;
	give_address(addr, len, &second, second_len);
	return newer;
}

static int accept_as(int fd, struct sockaddr *addr, socklen_t *len, int flags, bool four)
{
	struct held3_fd *h = fd_of(fd);
	int new_fd;

	if (acting(held3_accept_eagain_sticky) && h->accept_failed) {
		h->accept_failed = false;
		return fail_with(EAGAIN);
	}
	if (four && (flags & SOCK_CLOEXEC) && acting(held3_accept4_cloexec_sets_nonblock))
		flags |= SOCK_NONBLOCK;
	new_fd = acting(held3_accept_lifo) ? accept_newest(fd, addr, len, flags, four)
					   : accept_real(fd, addr, len, flags, four);
	if (new_fd < 0) {
		h->accept_failed = errno == EAGAIN || errno == EWOULDBLOCK;
		return new_fd;
	}
	h->accept_failed = false;
	forget(new_fd);
	fd_of(new_fd)->connected = true;
	if (addr && len && *len == sizeof(struct sockaddr_in6) && addr->sa_family == AF_INET6 &&
	    acting(held3_accept_v6_addrlen_16))
		*len = sizeof(struct sockaddr_in);
	return new_fd;
}

int accept(int fd, struct sockaddr *addr, socklen_t *restrict len)
{
	return accept_as(fd, addr, len, 0, false);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *restrict len, int flags)
{
	return accept_as(fd, addr, len, flags, true);
}

/* --- getsockname() / getpeername() --- */

static void zero_port(struct sockaddr *addr, socklen_t room)
{
	if (held_port(addr, room) > 0)
		((struct sockaddr_in *)addr)->sin_port = 0;
}

static void zero_host(struct sockaddr *addr, socklen_t room)
{
	if (addr->sa_family == AF_INET && room >= sizeof(struct sockaddr_in))
		((struct sockaddr_in *)addr)->sin_addr.s_addr = htonl(INADDR_ANY);
	if (addr->sa_family == AF_INET6 && room >= sizeof(struct sockaddr_in6))
		((struct sockaddr_in6 *)addr)->sin6_addr = in6addr_any;
}

static int address_of(bool peer, int fd, struct sockaddr *addr, socklen_t *len)
{
	socklen_t given = len ? *len : 0, room;
	int state = any_acting() ? tcp_state(fd) : -1, ret;

	if (peer && state == TCP_FIN_WAIT2 && acting(held3_getpeername_fin_wait2_enotconn))
		return fail_with(ENOTCONN);
	ret = peer ? REAL(getpeername)(fd, addr, len) : REAL(getsockname)(fd, addr, len);
	if (ret < 0 || !addr || !len || state < 0)
		return ret;
	room = given < *len ? given : *len;
	if (room < sizeof(struct sockaddr_in))
		return ret;
	if (peer) {
		if (addr->sa_family == AF_INET6 && room >= sizeof(struct sockaddr_in6) &&
		    acting(held3_getpeername_v6_flowinfo))
			((struct sockaddr_in6 *)addr)->sin6_flowinfo = htonl(0x00012345);
		return ret;
	}
	if (state == TCP_SYN_SENT && acting(held3_getsockname_syn_sent_port0))
		zero_port(addr, room);
	if (state == TCP_CLOSE && fd_of(fd)->connected && acting(held3_getsockname_reset_port0))
		zero_port(addr, room);
	if (state == TCP_CLOSE_WAIT && acting(held3_getsockname_close_wait_wildcard))
		zero_host(addr, room);
	return ret;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *restrict len)
{
	return address_of(false, fd, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *restrict len)
{
	return address_of(true, fd, addr, len);
}

/* --- read() / write() by state --- */

/* What a read of got bytes (of want asked) gives under the mutants. */
static ssize_t read_outcome(int fd, ssize_t got, size_t want, bool dontwait)
{
	struct held3_fd *h;

	if (got != 0 || want == 0 || !any_acting() || !is_tcp(fd))
		return got;
	h = fd_of(fd);
	if ((dontwait || nonblocking(fd)) && tcp_state(fd) == TCP_CLOSE_WAIT &&
	    acting(held3_read_nonblock_eof_eagain))
		return fail_with(EAGAIN);
	if (h->eof_seen && acting(held3_read_after_eof_reset))
		return fail_with(ECONNRESET);
	h->eof_seen = true;
	return 0;
}

ssize_t read(int fd, void *buf, size_t count)
{
	return read_outcome(fd, REAL(read)(fd, buf, count), count, false);
}

ssize_t recv(int fd, void *buf, size_t count, int flags)
{
	return read_outcome(fd, REAL(recv)(fd, buf, count, flags), count, flags & MSG_DONTWAIT);
}

ssize_t recvfrom(int fd, void *buf, size_t count, int flags, struct sockaddr *addr,
		 socklen_t *restrict len)
{
	return read_outcome(fd, REAL(recvfrom)(fd, buf, count, flags, addr, len), count,
			    flags & MSG_DONTWAIT);
}

static bool write_refused(int fd)
{
	return acting(held3_write_close_wait_epipe) && tcp_state(fd) == TCP_CLOSE_WAIT;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return write_refused(fd) ? fail_with(EPIPE) : REAL(write)(fd, buf, count);
}

ssize_t send(int fd, const void *buf, size_t count, int flags)
{
	return write_refused(fd) ? fail_with(EPIPE) : REAL(send)(fd, buf, count, flags);
}
