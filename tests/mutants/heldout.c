/* Held-out mutants of the socket calls (heldout.def; the resolver's are in
 * heldout_netdb.c): bugs written from the document alone (issue 20).
 *
 * Built as its own library, build/heldout.so, preloaded after mutants.so:
 * mutants.so's functions call these through RTLD_NEXT, and these call the C
 * library's, so each acts as a bug of the C library or the kernel would.
 * Which mutant acts, and whether a check's body is running, mutants.so
 * knows (nc_mutant_acting); this library only asks (heldout_base.c).  Each function calls
 * the second round's (heldout2.c, heldout2_netdb.c) where it would call the
 * C library's: the rounds stack, one acting at a time. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "mutants.h"
#include "heldout.h"

/* What a descriptor went through, for the mutants of a sequence or a state. */
#define HELD_FDS 1024
static struct held_fd {
	bool bind_failed, connect_failed, accepted;
	int so_error;
	struct sockaddr_storage dest, peer;
	socklen_t dest_len, peer_len;
} held_fds[HELD_FDS];

static struct held_fd *held_fd(int fd)
{
	static struct held_fd scratch;

	if (fd >= 0 && fd < HELD_FDS)
		return &held_fds[fd];
	memset(&scratch, 0, sizeof(scratch));
	return &scratch;
}

static void forget(int fd)
{
	if (fd >= 0 && fd < HELD_FDS)
		held_fds[fd] = (struct held_fd){ 0 };
}

static void remember(struct sockaddr_storage *to, socklen_t *to_len, const void *addr,
		     socklen_t len)
{
	if (addr && len <= sizeof(*to)) {
		memcpy(to, addr, len);
		*to_len = len;
	}
}

bool may_bind_protected(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	return syscall(SYS_capget, &header, data) == 0 &&
	       (data[0].effective & (1u << CAP_NET_BIND_SERVICE));
}

/* --- socket() --- */

int socket(int domain, int type, int protocol)
{
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), fd;
	bool inet = domain == AF_INET || domain == AF_INET6;

	if (acting(held_socket_nonblock_ignored) && inet)
		type &= ~SOCK_NONBLOCK;
	if (acting(held_socket_local_dgram_unsupported) && domain == AF_UNIX && kind == SOCK_DGRAM)
		return fail_with(EAFNOSUPPORT);
	if (acting(held_socket_v6_dgram_udplite) && domain == AF_INET6 && kind == SOCK_DGRAM &&
	    protocol == 0)
		protocol = IPPROTO_UDPLITE;
	if (acting(held_socket_tcp_protocol_rejected) && inet && kind == SOCK_STREAM &&
	    protocol == IPPROTO_TCP)
		return fail_with(EPROTONOSUPPORT);
	if (acting(held_socket_raw_v6_unsupported) && domain == AF_INET6 && kind == SOCK_RAW)
		return fail_with(EAFNOSUPPORT);
	fd = held2_socket(domain, type, protocol);
	forget(fd);
	return fd;
}

/* --- connect() --- */

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	static int cached_errno;
	struct held_fd *h = held_fd(fd);
	int ret;

	remember(&h->dest, &h->dest_len, addr, len);
	if (acting(held_connect_port_65535_einval) && held_port(addr, len) == 65535)
		return fail_with(EINVAL);
	if (acting(held_connect_mapped_unreachable) && held_mapped(addr, len))
		return fail_with(ENETUNREACH);
	/* a socket made since (socket() forgets the number's past) */
	if (acting(held_connect_failure_cached) && cached_errno && !h->connect_failed) {
		ret = fail_with(cached_errno);
		cached_errno = 0;
		return ret;
	}
	ret = held2_connect(fd, addr, len);
	if (ret == 0)
		remember(&h->peer, &h->peer_len, addr, len);
	else if (errno != EINPROGRESS && errno != EALREADY && errno != EISCONN && errno != EINTR) {
		cached_errno = errno;
		h->connect_failed = true;
		if (acting(held_connect_v6_refused_as_unreach) && errno == ECONNREFUSED &&
		    addr && addr->sa_family == AF_INET6 && !held_mapped(addr, len))
			errno = ENETUNREACH;
	}
	return ret;
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *restrict len)
{
	int ret = held2_getsockopt(fd, level, name, value, len);
	int *err = value;
	struct held_fd *h;

	if (ret < 0 || level != SOL_SOCKET || name != SO_ERROR || !value || *len < sizeof(int) ||
	    !any_acting())
		return ret;
	h = held_fd(fd);
	if (acting(held_connect_so_error_sticky)) {
		if (*err)
			h->so_error = *err;
		else
			*err = h->so_error;
	}
	if (acting(held_connect_nonblock_refused_as_timedout) && *err == ECONNREFUSED)
		*err = ETIMEDOUT;
	if (acting(held_connect_nonblock_icmp_lost) && (*err == EHOSTUNREACH || *err == ENETUNREACH))
		*err = ETIMEDOUT;
	return ret;
}

/* --- bind() --- */

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	static in_port_t last_port0;	/* network order */
	struct held_fd *h = held_fd(fd);
	struct sockaddr_storage moved;
	int port = held_port(addr, len), one = 1, ret;
	bool v6 = addr && addr->sa_family == AF_INET6;

	if (acting(held_bind_retry_einval) && h->bind_failed)
		return fail_with(EINVAL);
	if (acting(held_bind_1024_eacces) && port == 1024 && !may_bind_protected())
		return fail_with(EACCES);
	if (acting(held_bind_v6_any_v6only) && v6 && len >= sizeof(struct sockaddr_in6) &&
	    IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)addr)->sin6_addr))
		REAL(setsockopt)(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (acting(held_bind_port0_reuses_last) && port == 0 && last_port0 && len <= sizeof(moved)) {
		memcpy(&moved, addr, len);
		((struct sockaddr_in *)&moved)->sin_port = last_port0;
		addr = (const struct sockaddr *)&moved;
	}
	ret = held2_bind(fd, addr, len);
	if (ret < 0) {
		h->bind_failed = true;
		if (acting(held_bind_1023_unprivileged_ok) && errno == EACCES && port == 1023)
			return 0;
		if (acting(held_bind_v6_eacces_as_eperm) && errno == EACCES && v6)
			errno = EPERM;
		/* the TIME_WAIT conflict looked for in IPv4 alone */
		if (acting(held_bind_v6_timewait_ignored) && errno == EADDRINUSE && v6 &&
		    held_only_time_wait(port))
			return 0;
		return ret;
	}
	if (acting(held_bind_port0_reuses_last) && port == 0) {
		struct sockaddr_in6 got;
		socklen_t got_len = sizeof(got);

		if (REAL(getsockname)(fd, (struct sockaddr *)&got, &got_len) == 0)
			last_port0 = got.sin6_port;
	}
	return ret;
}

/* --- listen() --- */

int listen(int fd, int backlog)
{
	int ret;

	if (acting(held_listen_backlog0_einval) && backlog == 0)
		return fail_with(EINVAL);
	if (acting(held_listen_negative_einval) && backlog < 0)
		return fail_with(EINVAL);
	if (acting(held_listen_after_failed_bind_einval) && held_fd(fd)->bind_failed)
		return fail_with(EINVAL);
	if (acting(held_listen_intmax_wraps) && backlog == INT_MAX)
		backlog = 0;
	if (acting(held_listen_backlog_plus_one) && backlog >= 1 && backlog < 128)
		backlog++;
	ret = held2_listen(fd, backlog);
	if (ret < 0 && errno == EINVAL && acting(held_listen_connected_ok) &&
	    tcp_state(fd) == TCP_ESTABLISHED)
		return 0;
	return ret;
}

/* --- accept() --- */

static void accepted(int fd, struct sockaddr *addr, socklen_t *len, socklen_t given)
{
	struct held_fd *h;

	forget(fd);
	h = held_fd(fd);
	h->accepted = true;
	if (!addr || !len)
		return;
	if (given >= *len)
		remember(&h->peer, &h->peer_len, addr, *len);
	if (acting(held_accept_addrlen_not_written_big) && given > *len)
		*len = given;
	if (acting(held_accept_addrlen_zero_writes) && given == 0) {
		struct sockaddr_storage peer;
		socklen_t peer_len = sizeof(peer);

		if (REAL(getpeername)(fd, (struct sockaddr *)&peer, &peer_len) == 0)
			addr->sa_family = peer.ss_family;
	}
	if (acting(held_accept_mapped_v4compat) && held_mapped(addr, given < *len ? given : *len))
		memset(&((struct sockaddr_in6 *)addr)->sin6_addr.s6_addr[10], 0, 2);
}

static int accept_as(int fd, struct sockaddr *addr, socklen_t *len, int flags, bool four)
{
	socklen_t given = len ? *len : 0;
	struct sockaddr_storage whole;
	socklen_t whole_len = sizeof(whole);
	bool overrun = acting(held_accept_overrun_short_buffer) && addr && len &&
		       given < sizeof(whole);
	bool listener_nonblock = four && (flags & SOCK_NONBLOCK) &&
				 acting(held_accept4_nonblock_on_listener);
	int new_fd;

	if (four && !addr && !len && acting(held_accept4_null_efault))
		return fail_with(EFAULT);
	if (acting(held_accept_nonblock_waits) && nonblocking(fd))
		poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, 1000);
	if (listener_nonblock)
		flags &= ~SOCK_NONBLOCK;
	if (overrun) {
		new_fd = four ? held2_accept4(fd, (struct sockaddr *)&whole, &whole_len, flags) :
				held2_accept(fd, (struct sockaddr *)&whole, &whole_len);
		if (new_fd >= 0) {
			memcpy(addr, &whole, whole_len);
			*len = whole_len;
		}
	} else {
		new_fd = four ? held2_accept4(fd, addr, len, flags) : held2_accept(fd, addr, len);
	}
	if (new_fd < 0)
		return new_fd;
	if (listener_nonblock)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	accepted(new_fd, addr, len, given);
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

/* --- close() --- */

int close(int fd)
{
	if (any_acting() && is_tcp(fd)) {
		struct linger abort_it = { .l_onoff = 1, .l_linger = 0 };

		if (acting(held_close_close_wait_rst) && tcp_state(fd) == TCP_CLOSE_WAIT)
			REAL(setsockopt)(fd, SOL_SOCKET, SO_LINGER, &abort_it, sizeof(abort_it));
		if (acting(held_close_accepted_dup_fin) && held_fd(fd)->accepted)
			REAL(shutdown)(fd, SHUT_WR);
		if (acting(held_close_accepted_refcount_leak) && held_fd(fd)->accepted)
			fcntl(fd, F_DUPFD_CLOEXEC, HELD_FDS);	/* the reference kept */
	}
	forget(fd);
	return held2_close(fd);
}

/* --- getsockname() / getpeername() --- */

static int give(struct sockaddr *addr, socklen_t *len, const void *from, socklen_t from_len)
{
	memcpy(addr, from, *len < from_len ? *len : from_len);
	*len = from_len;
	return 0;
}

static int address_of(bool peer, int fd, struct sockaddr *addr, socklen_t *len)
{
	socklen_t given = len ? *len : 0, room;
	struct held_fd *h = held_fd(fd);
	int state = any_acting() ? tcp_state(fd) : -1, ret;

	if (peer && acting(held_getpeername_close_wait_enotconn) && state == TCP_CLOSE_WAIT)
		return fail_with(ENOTCONN);
	ret = peer ? held2_getpeername(fd, addr, len) : held2_getsockname(fd, addr, len);
	if (ret < 0) {
		if (peer && errno == ENOTCONN && addr && len) {
			if (acting(held_getpeername_syn_sent_dest) && state == TCP_SYN_SENT &&
			    h->dest_len)
				return give(addr, len, &h->dest, h->dest_len);
			if (acting(held_getpeername_stale_after_reset) && h->peer_len)
				return give(addr, len, &h->peer, h->peer_len);
			if (acting(held_getpeername_listen_einval) && state == TCP_LISTEN)
				errno = EINVAL;
		}
		if (!peer && errno == EBADF && acting(held_getsockname_ebadf_enotsock))
			errno = ENOTSOCK;
		return ret;
	}
	if (!addr || !len)
		return ret;
	if (peer && given >= *len)
		remember(&h->peer, &h->peer_len, addr, *len);
	room = given < *len ? given : *len;
	if (peer && acting(held_getpeername_mapped_port_host_order) && held_mapped(addr, room))
		((struct sockaddr_in6 *)addr)->sin6_port =
			htons(((struct sockaddr_in6 *)addr)->sin6_port);
	if (peer)
		return ret;
	if (acting(held_getsockname_v6_len_unwritten) && room >= sizeof(sa_family_t) &&
	    addr->sa_family == AF_INET6 && given > *len)
		*len = given;
	if (acting(held_getsockname_short_len_clipped) && given < *len)
		*len = given;
	if (acting(held_getsockname_zero_len_writes) && given == 0) {
		struct sockaddr_storage whole;
		socklen_t whole_len = sizeof(whole);

		if (REAL(getsockname)(fd, (struct sockaddr *)&whole, &whole_len) == 0)
			addr->sa_family = whole.ss_family;
	}
	if (acting(held_getsockname_fin_wait2_port0) && state == TCP_FIN_WAIT2 &&
	    held_port(addr, room) > 0)
		((struct sockaddr_in *)addr)->sin_port = 0;
	if (acting(held_getsockname_unbound_v6_family0) && room >= sizeof(struct sockaddr_in6) &&
	    addr->sa_family == AF_INET6 && held_port(addr, room) == 0 &&
	    IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)addr)->sin6_addr))
		addr->sa_family = AF_UNSPEC;
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
