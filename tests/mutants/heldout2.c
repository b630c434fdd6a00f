/* Held-out mutants of the socket calls, second round (heldout2.def; the
 * resolver's are in heldout2_netdb.c): bugs written from the document
 * alone (issue 20), on the paths the first round did not take.
 *
 * The first round's functions (heldout.c) call these where they would call
 * the C library's, and these call the C library's: the rounds stack in
 * build/heldout.so, one mutant acting at a time.  poll(), read(), recv()
 * and recvfrom() no round interposed before: they are interposed here. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "mutants.h"
#include "heldout.h"

/* What a descriptor went through, as the second round's mutants see it. */
#define HELD2_FDS 1024
#define HELD2_STASH 16
static struct held2_fd {
	pid_t owner;			/* the process that made it */
	bool connecting;		/* a non-blocking connect() said EINPROGRESS */
	bool connected;			/* connect() was called on it */
	bool bound;			/* a bind() succeeded */
	bool accepted, eof_seen, eagain_seen;
	struct sockaddr_storage refused;	/* the address a failed bind() was given */
	socklen_t refused_len;
	int stash[HELD2_STASH];		/* connections accepted ahead (held2_accept_lifo) */
	struct sockaddr_storage stash_addr[HELD2_STASH];
	socklen_t stash_len[HELD2_STASH];
	int stashed;
} held2_fds[HELD2_FDS];

static struct held2_fd *held2_fd(int fd)
{
	static struct held2_fd scratch;

	if (fd >= 0 && fd < HELD2_FDS)
		return &held2_fds[fd];
	memset(&scratch, 0, sizeof(scratch));
	return &scratch;
}

static void fresh(int fd)
{
	if (fd >= 0 && fd < HELD2_FDS)
		held2_fds[fd] = (struct held2_fd){ .owner = getpid() };
}

static int domain_of(int fd)
{
	return sockopt(fd, SO_DOMAIN);
}

/* The local address of fd, its length in *len (0: none). */
static socklen_t local_address(int fd, struct sockaddr_storage *addr)
{
	socklen_t len = sizeof(*addr);

	return REAL(getsockname)(fd, (struct sockaddr *)addr, &len) < 0 ? 0 : len;
}

/* fd is an inet socket with no local port yet. */
static bool unbound(int fd)
{
	struct sockaddr_storage addr;
	socklen_t len = local_address(fd, &addr);

	return len && held_port((struct sockaddr *)&addr, len) == 0;
}

/* A copy of addr in *copy with its port's bytes swapped. */
static const struct sockaddr *port_swapped(const struct sockaddr *addr, socklen_t len,
					   struct sockaddr_storage *copy)
{
	struct sockaddr_in *in = (struct sockaddr_in *)copy;

	if (held_port(addr, len) < 0 || len > sizeof(*copy))
		return addr;
	memcpy(copy, addr, len);
	in->sin_port = (in_port_t)((in->sin_port >> 8) | (in->sin_port << 8));
	return (const struct sockaddr *)copy;
}

/* --- socket() --- */

int held2_socket(int domain, int type, int protocol)
{
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), fd;

	if (acting(held2_socket_local_stream_as_dgram) && domain == AF_UNIX && kind == SOCK_STREAM)
		type = (type & ~kind) | SOCK_DGRAM;
	if (acting(held2_socket_local_nonblock_ignored) && domain == AF_UNIX)
		type &= ~SOCK_NONBLOCK;
	fd = REAL(socket)(domain, type, protocol);
	fresh(fd);
	return fd;
}

/* --- connect() --- */

/* Binds fd to a port below 1024 its family's wildcard allows. */
static void bind_privileged(int fd)
{
	struct sockaddr_storage any = { .ss_family = (sa_family_t)domain_of(fd) };
	socklen_t len = any.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						     sizeof(struct sockaddr_in);

	for (int port = 600; port < 1024; port++) {
		((struct sockaddr_in *)&any)->sin_port = htons((uint16_t)port);
		if (REAL(bind)(fd, (struct sockaddr *)&any, len) == 0)
			return;
	}
}

int held2_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct held2_fd *h = held2_fd(fd);
	struct sockaddr_storage copy;
	bool v6 = addr && addr->sa_family == AF_INET6 && !held_mapped(addr, len);
	int flags, ret;

	h->connected = true;
	if (acting(held2_connect_v6_port_swapped) && v6)
		addr = port_swapped(addr, len, &copy);
	if (acting(held2_connect_short_addrlen_accepted) && addr && addr->sa_family == AF_INET &&
	    len >= offsetof(struct sockaddr_in, sin_zero) && len < sizeof(struct sockaddr_in)) {
		memset(&copy, 0, sizeof(copy));
		memcpy(&copy, addr, len);
		addr = (const struct sockaddr *)&copy;
		len = sizeof(struct sockaddr_in);
	}
	if (acting(held2_connect_ephemeral_privileged) && is_tcp(fd) && unbound(fd))
		bind_privileged(fd);
	if (acting(held2_connect_v6_returns_early) && v6 && is_tcp(fd) && !nonblocking(fd)) {
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		ret = REAL(connect)(fd, addr, len);
		fcntl(fd, F_SETFL, flags);
		return ret < 0 && errno == EINPROGRESS ? 0 : ret;
	}
	ret = REAL(connect)(fd, addr, len);
	if (ret < 0 && errno == EINPROGRESS)
		h->connecting = true;
	if (ret < 0 && v6 && acting(held2_connect_v6_timeout_as_unreach) && errno == ETIMEDOUT)
		errno = EHOSTUNREACH;
	if (ret < 0 && v6 && acting(held2_connect_v6_icmp_as_timedout) &&
	    (errno == EHOSTUNREACH || errno == ENETUNREACH))
		errno = ETIMEDOUT;
	return ret;
}

int held2_getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
	int ret = REAL(getsockopt)(fd, level, name, value, len);

	if (ret == 0 && level == SOL_SOCKET && name == SO_ERROR && value && *len >= sizeof(int) &&
	    acting(held2_connect_nonblock_success_so_error) && held2_fd(fd)->connecting &&
	    *(int *)value == 0 && tcp_state(fd) == TCP_ESTABLISHED)
		*(int *)value = EINPROGRESS;
	return ret;
}

/* A non-blocking connect() that failed: the socket is back to CLOSE. */
static bool connect_failed(int fd)
{
	return fd >= 0 && held2_fd(fd)->connecting && tcp_state(fd) == TCP_CLOSE;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	int ret = REAL(poll)(fds, n, timeout), ready = 0;

	if (ret <= 0 || !acting(held2_connect_nonblock_poll_silent))
		return ret;
	for (nfds_t i = 0; i < n; i++) {
		if (connect_failed(fds[i].fd))
			fds[i].revents = 0;
		ready += fds[i].revents != 0;
	}
	if (ready == 0 && timeout != 0)	/* waits its time out, as for a silent peer */
		REAL(poll)(NULL, 0, timeout < 0 || timeout > 2000 ? 2000 : timeout);
	return ready;
}

/* --- bind() --- */

int held2_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct held2_fd *h = held2_fd(fd);
	struct sockaddr_storage copy;
	int port = held_port(addr, len), ret;

	if (acting(held2_bind_v6_port_swapped) && addr && addr->sa_family == AF_INET6)
		addr = port_swapped(addr, len, &copy);
	if (acting(held2_bind_mapped_eaddrnotavail) && held_mapped(addr, len))
		return fail_with(EADDRNOTAVAIL);
	if (acting(held2_bind_65535_eacces) && port == 65535 && !may_bind_protected())
		return fail_with(EACCES);
	if (acting(held2_bind_port0_eacces) && port == 0 && !may_bind_protected())
		return fail_with(EACCES);
	ret = REAL(bind)(fd, addr, len);
	if (ret == 0) {
		h->bound = true;
		return 0;
	}
	if (acting(held2_bind_twice_ok) && errno == EINVAL && h->bound)
		return 0;
	if (addr && len <= sizeof(h->refused) && errno != EINVAL) {
		memcpy(&h->refused, addr, len);
		h->refused_len = len;
	}
	return ret;
}

/* --- listen() --- */

int held2_listen(int fd, int backlog)
{
	int ret;

	if (acting(held2_listen_above_cap_einval) && backlog > 4096)
		return fail_with(EINVAL);
	if (acting(held2_listen_twice_einval) && tcp_state(fd) == TCP_LISTEN)
		return fail_with(EINVAL);
	if (acting(held2_listen_unbound_edestaddrreq) && is_tcp(fd) && unbound(fd))
		return fail_with(EDESTADDRREQ);
	ret = REAL(listen)(fd, backlog);
	if (ret < 0 && errno == EOPNOTSUPP && acting(held2_listen_udp_ok) &&
	    sockopt(fd, SO_TYPE) == SOCK_DGRAM)
		return 0;
	return ret;
}

/* --- accept() --- */

/* Gives the caller a peer address of whole_len bytes, truncated to *len. */
static void give_address(struct sockaddr *addr, socklen_t *len, const void *whole,
			 socklen_t whole_len)
{
	if (!addr || !len)
		return;
	memcpy(addr, whole, *len < whole_len ? *len : whole_len);
	*len = whole_len;
}

static int accept_one(int fd, struct sockaddr_storage *peer, socklen_t *peer_len, int flags,
		      bool four)
{
	*peer_len = sizeof(*peer);
	return four ? REAL(accept4)(fd, (struct sockaddr *)peer, peer_len, flags) :
		      REAL(accept)(fd, (struct sockaddr *)peer, peer_len);
}

/* held2_accept_lifo: every completed connection taken at once, the last
 * given first; the rest wait in the listener's stash. */
static int accept_last(int fd, struct sockaddr *addr, socklen_t *len, int flags, bool four)
{
	struct held2_fd *h = held2_fd(fd);
	struct pollfd queued = { .fd = fd, .events = POLLIN };

	if (h->stashed == 0) {
		int got = accept_one(fd, &h->stash_addr[0], &h->stash_len[0], flags, four);

		if (got < 0)
			return got;
		h->stash[h->stashed++] = got;
		while (h->stashed < HELD2_STASH && REAL(poll)(&queued, 1, 0) == 1 &&
		       (got = accept_one(fd, &h->stash_addr[h->stashed], &h->stash_len[h->stashed],
					 flags, four)) >= 0)
			h->stash[h->stashed++] = got;
	}
	h->stashed--;
	give_address(addr, len, &h->stash_addr[h->stashed], h->stash_len[h->stashed]);
	return h->stash[h->stashed];
}

/* The peer's address as the mutants of its fields leave it. */
static void peer_mutated(struct sockaddr *addr, socklen_t *len, socklen_t given)
{
	socklen_t room = given < *len ? given : *len;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in as_v4 = { .sin_family = AF_INET };

	if (acting(held2_accept_v6_scope_id) && room >= sizeof(*in6) &&
	    addr->sa_family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr))
		in6->sin6_scope_id = 5;
	if (acting(held2_accept_v4_sin_zero) && room >= sizeof(as_v4) && addr->sa_family == AF_INET)
		memset(((struct sockaddr_in *)addr)->sin_zero, 0xa5, sizeof(as_v4.sin_zero));
	if (acting(held2_accept_mapped_as_inet) && held_mapped(addr, room) &&
	    given >= sizeof(as_v4)) {
		as_v4.sin_port = in6->sin6_port;
		memcpy(&as_v4.sin_addr, &in6->sin6_addr.s6_addr[12], 4);
		memcpy(addr, &as_v4, sizeof(as_v4));
		*len = sizeof(as_v4);
	}
}

static int accept_as(int fd, struct sockaddr *addr, socklen_t *len, int flags, bool four)
{
	struct held2_fd *h = held2_fd(fd);
	socklen_t given = len ? *len : 0;
	bool listener_nonblocking = nonblocking(fd);
	struct pollfd queued = { .fd = fd, .events = POLLIN };
	int new_fd;

	if (acting(held2_accept_after_eagain_stuck) && h->eagain_seen &&
	    REAL(poll)(&queued, 1, 0) == 1) {
		h->eagain_seen = false;
		return fail_with(EAGAIN);
	}
	if (acting(held2_accept_lifo))
		new_fd = accept_last(fd, addr, len, flags, four);
	else
		new_fd = four ? REAL(accept4)(fd, addr, len, flags) : REAL(accept)(fd, addr, len);
	if (new_fd < 0) {
		if (errno == EAGAIN && listener_nonblocking) {
			h->eagain_seen = true;
			if (acting(held2_accept_nonblock_econnaborted))
				errno = ECONNABORTED;
		}
		return new_fd;
	}
	fresh(new_fd);
	held2_fd(new_fd)->accepted = true;
	if (addr && len)
		peer_mutated(addr, len, given);
	if (acting(held2_accept4_cloexec_dropped) && four && (flags & SOCK_CLOEXEC))
		fcntl(new_fd, F_SETFD, 0);
	if (acting(held2_accept_inherits_nonblock) && listener_nonblocking &&
	    !(four && (flags & SOCK_NONBLOCK)))
		fcntl(new_fd, F_SETFL, fcntl(new_fd, F_GETFL) | O_NONBLOCK);
	return new_fd;
}

int held2_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return accept_as(fd, addr, len, 0, false);
}

int held2_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return accept_as(fd, addr, len, flags, true);
}

/* --- close() and read() --- */

int held2_close(int fd)
{
	struct held2_fd *h = held2_fd(fd);
	int state = any_acting() ? tcp_state(fd) : -1;
	bool connected = state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT;

	if (acting(held2_close_dup_client_fin) && connected && h->connected && !h->accepted)
		REAL(shutdown)(fd, SHUT_WR);
	if (acting(held2_close_other_process_fin) && connected && h->owner &&
	    h->owner != getpid())
		REAL(shutdown)(fd, SHUT_WR);
	if (acting(held2_close_v6_rst) && state == TCP_ESTABLISHED && domain_of(fd) == AF_INET6) {
		struct linger abort_it = { .l_onoff = 1, .l_linger = 0 };

		REAL(setsockopt)(fd, SOL_SOCKET, SO_LINGER, &abort_it, sizeof(abort_it));
	}
	while (h->stashed > 0)	/* connections accepted ahead, never given */
		REAL(close)(h->stash[--h->stashed]);
	if (fd >= 0 && fd < HELD2_FDS)
		held2_fds[fd] = (struct held2_fd){ 0 };
	return REAL(close)(fd);
}

/* What a read of want bytes from fd that returned got becomes. */
static ssize_t read_mutated(int fd, size_t want, ssize_t got)
{
	struct held2_fd *h;

	if (!any_acting() || !is_tcp(fd) || want == 0)
		return got;
	h = held2_fd(fd);
	if (got == 0 && acting(held2_read_eof_once) && h->eof_seen)
		return fail_with(ECONNRESET);
	if (got == 0)
		h->eof_seen = true;
	if (got == 0 && acting(held2_read_nonblock_eof_eagain) && nonblocking(fd))
		return fail_with(EAGAIN);
	return got;
}

ssize_t read(int fd, void *buf, size_t n)
{
	return read_mutated(fd, n, REAL(read)(fd, buf, n));
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	ssize_t got = REAL(recv)(fd, buf, n, flags);

	return flags & MSG_PEEK ? got : read_mutated(fd, n, got);
}

ssize_t recvfrom(int fd, void *restrict buf, size_t n, int flags, struct sockaddr *restrict from,
		 socklen_t *restrict from_len)
{
	ssize_t got = REAL(recvfrom)(fd, buf, n, flags, from, from_len);

	return flags & MSG_PEEK ? got : read_mutated(fd, n, got);
}

/* --- getsockname() / getpeername() --- */

static void v4_form(struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = in6->sin6_port };

	memcpy(&v4.sin_addr, &in6->sin6_addr.s6_addr[12], 4);
	memcpy(addr, &v4, sizeof(v4));
	*len = sizeof(v4);
}

int held2_getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct held2_fd *h = held2_fd(fd);
	socklen_t given = len ? *len : 0, room;
	int state = any_acting() ? tcp_state(fd) : -1;
	int ret = REAL(getsockname)(fd, addr, len);

	if (ret < 0 || !addr || !len || !any_acting())
		return ret;
	room = given < *len ? given : *len;
	if (acting(held2_bind_failed_address_shown) && h->refused_len && !h->bound &&
	    held_port(addr, room) == 0) {
		*len = given;
		give_address(addr, len, &h->refused, h->refused_len);
		room = given < *len ? given : *len;
	}
	if (acting(held2_getsockname_connected_wildcard) && h->connected && !h->bound &&
	    state == TCP_ESTABLISHED && room >= sizeof(struct sockaddr_in)) {
		if (addr->sa_family == AF_INET)
			((struct sockaddr_in *)addr)->sin_addr.s_addr = INADDR_ANY;
		else if (room >= sizeof(struct sockaddr_in6))
			((struct sockaddr_in6 *)addr)->sin6_addr = in6addr_any;
	}
	if (held_port(addr, room) > 0 &&
	    ((acting(held2_getsockname_syn_sent_port0) && state == TCP_SYN_SENT) ||
	     (acting(held2_getsockname_reset_port0) && state == TCP_CLOSE && h->connected)))
		((struct sockaddr_in *)addr)->sin_port = 0;
	if (acting(held2_getsockname_local_len_full) && addr->sa_family == AF_UNIX &&
	    *len > offsetof(struct sockaddr_un, sun_path) + 1)
		*len = sizeof(struct sockaddr_un);
	if (acting(held2_getsockname_mapped_as_inet) && held_mapped(addr, room))
		v4_form(addr, len);
	return ret;
}

int held2_getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_storage whole;
	socklen_t whole_len = sizeof(whole), room;
	int ret;

	if (acting(held2_getpeername_fin_wait2_enotconn) && tcp_state(fd) == TCP_FIN_WAIT2)
		return fail_with(ENOTCONN);
	if (acting(held2_getpeername_short_einval) && addr && len &&
	    REAL(getpeername)(fd, (struct sockaddr *)&whole, &whole_len) == 0 && *len < whole_len)
		return fail_with(EINVAL);
	room = len ? *len : 0;
	ret = REAL(getpeername)(fd, addr, len);
	if (ret < 0) {
		if (errno == ENOTSOCK && acting(held2_getpeername_notsock_ebadf))
			errno = EBADF;
		return ret;
	}
	if (acting(held2_getpeername_v6_flowinfo) && addr && len && addr->sa_family == AF_INET6 &&
	    room >= sizeof(struct sockaddr_in6))
		((struct sockaddr_in6 *)addr)->sin6_flowinfo = htonl(0x54321);
	return ret;
}
