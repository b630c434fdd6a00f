/* TCP sockets of a host as the kernel sees them: sock_diag through
 * libnl-idiag (idiagnl_msg_alloc_cache dumps with the legacy
 * TCPDIAG_GETSOCK request, which the kernel still serves).
 *
 * Request sockets (a SYN received, the final ACK not yet) live in the
 * established hash as TCP_NEW_SYN_RECV (12) and are dumped only when the
 * state filter has bit 12 or bit TCP_SYN_RECV (3): the kernel widens
 * TCPF_SYN_RECV to TCPF_NEW_SYN_RECV.  They are reported with state
 * TCP_SYN_RECV.  IDIAGNL_SS_ALL is (1 << 12) - 1, so it asks for them only
 * through bit 3; we ask with bit 12 too (tests/tool_net_check.c checks it).
 *
 * The legacy request has no working family filter: the kernel's compat path
 * dumps with AF_UNSPEC whatever idiag_family says, so libnl's family
 * argument is ignored and every dump holds both families.  Callers filter
 * on the family of each socket (it is right in each message). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/cache.h>
#include <netlink/idiag/idiagnl.h>
#include <netlink/idiag/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "diag.h"
#include "error.h"
#include "forced.h"
#include "net.h"
#include "poll_until.h"
#include "topology.h"

#define TCPF_ALL_STATES ((1 << 13) - 1)	/* 1 ESTABLISHED .. 12 NEW_SYN_RECV */
#define NEW_SYN_RECV 12

bool nc_diag_available(void)
{
	int fd;

	if (nc_forced_missing("sock_diag"))
		return false;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int diag_socket(struct nc_host *host, struct nl_sock **out)
{
	struct nl_sock *sk;
	int saved, err;

	if (host->diag) {
		*out = host->diag;
		return 0;
	}
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	/* the socket answers for the namespace it is made in */
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0) {
		nl_socket_free(sk);
		return err;
	}
	err = nc_forced_missing("sock_diag") ? -EPROTONOSUPPORT
					     : nc_errno_from_nle(idiagnl_connect(sk));
	nc_ns_return(saved);
	/* gVisor has no NETLINK_SOCK_DIAG: a capability missing, not a fault */
	if (err == -EPROTONOSUPPORT || err == -EAFNOSUPPORT)
		err = -EOPNOTSUPP;
	if (err < 0) {
		nl_socket_free(sk);
		return err;
	}
	*out = host->diag = sk;
	return 0;
}

static void to_sockaddr(int family, struct nl_addr *addr, uint16_t port_be,
			struct nc_sockaddr *out)
{
	const void *bytes = addr ? nl_addr_get_binary_addr(addr) : NULL;

	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		out->in.sin_family = AF_INET;
		out->in.sin_port = port_be;
		if (bytes)
			memcpy(&out->in.sin_addr, bytes, 4);
		out->len = sizeof(out->in);
	} else {
		out->in6.sin6_family = AF_INET6;
		out->in6.sin6_port = port_be;
		if (bytes)
			memcpy(&out->in6.sin6_addr, bytes, 16);
		out->len = sizeof(out->in6);
	}
}

static void from_msg(struct idiagnl_msg *msg, struct nc_tcp_diag *d)
{
	int family = idiagnl_msg_get_family(msg);

	memset(d, 0, sizeof(*d));
	d->state = idiagnl_msg_get_state(msg);
	d->rqueue = idiagnl_msg_get_rqueue(msg);
	d->wqueue = idiagnl_msg_get_wqueue(msg);
	d->timer = idiagnl_msg_get_timer(msg);
	d->timer_ms = d->timer ? idiagnl_msg_get_expires(msg) : 0;
	d->retransmits = idiagnl_msg_get_retrans(msg);
	to_sockaddr(family, idiagnl_msg_get_src(msg), idiagnl_msg_get_sport(msg), &d->local);
	to_sockaddr(family, idiagnl_msg_get_dst(msg), idiagnl_msg_get_dport(msg), &d->peer);
}

/* Calls fn on each TCP socket (both families) in states; stops when fn
 * returns non-zero and returns that. */
static int dump(struct nc_host *host, int states,
		int (*fn)(const struct nc_tcp_diag *d, void *arg), void *arg)
{
	struct nl_cache *cache = NULL;
	struct nl_sock *sk;
	int err, ret = 0;

	err = diag_socket(host, &sk);
	if (err < 0)
		return nc_error(err, err == -EOPNOTSUPP ? "sock_diag in %s: this system has none"
							 : "sock_diag in %s: socket", host->name);
	err = idiagnl_msg_alloc_cache(sk, AF_UNSPEC, states, &cache);
	if (err < 0)
		return nc_error(nc_errno_from_nle(err), "sock_diag in %s: dump", host->name);
	for (struct nl_object *obj = nl_cache_get_first(cache); obj && !ret;
	     obj = nl_cache_get_next(obj)) {
		struct nc_tcp_diag d;

		from_msg((struct idiagnl_msg *)obj, &d);
		ret = fn(&d, arg);
	}
	nl_cache_free(cache);
	return ret;
}

/* want's port 0 and a wildcard address match anything. */
static bool matches(const struct nc_sockaddr *want, const struct nc_sockaddr *got)
{
	if (want->sa.sa_family != got->sa.sa_family)
		return false;
	if (want->sa.sa_family == AF_INET) {
		return (!want->in.sin_port || want->in.sin_port == got->in.sin_port) &&
		       (want->in.sin_addr.s_addr == INADDR_ANY ||
			want->in.sin_addr.s_addr == got->in.sin_addr.s_addr);
	}
	return (!want->in6.sin6_port || want->in6.sin6_port == got->in6.sin6_port) &&
	       (IN6_IS_ADDR_UNSPECIFIED(&want->in6.sin6_addr) ||
		IN6_ARE_ADDR_EQUAL(&want->in6.sin6_addr, &got->in6.sin6_addr));
}

struct find_query {
	const struct nc_sockaddr *local, *peer;
	struct nc_tcp_diag *out;
};

static int find_one(const struct nc_tcp_diag *d, void *arg)
{
	struct find_query *q = arg;

	if (!matches(q->local, &d->local))
		return 0;
	if (q->peer ? d->state == TCP_LISTEN || !matches(q->peer, &d->peer)
		    : d->state != TCP_LISTEN)
		return 0;
	*q->out = *d;
	return 1;
}

int nc_diag_find(struct nc_host *host, const struct nc_sockaddr *local,
		 const struct nc_sockaddr *peer, struct nc_tcp_diag *out)
{
	struct nc_tcp_diag found;
	struct find_query q = { local, peer, &found };
	int ret;

	if (!host || !local)
		return -EINVAL;
	if (peer && peer->sa.sa_family != local->sa.sa_family)
		return -EAFNOSUPPORT;
	ret = dump(host, TCPF_ALL_STATES, find_one, &q);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return -ENOENT;
	if (out)
		*out = found;
	return 0;
}

struct state_query {
	struct nc_host *host;
	const struct nc_sockaddr *local, *peer;
	int state;
	struct nc_tcp_diag *out;
};

/* Whether the socket is in the state; *out: what was there. */
static int in_state(void *arg)
{
	struct state_query *q = arg;
	struct nc_tcp_diag d;
	int err = nc_diag_find(q->host, q->local, q->peer, &d);

	if (err < 0 && err != -ENOENT)
		return err;
	if (err == -ENOENT) {	/* gone: CLOSED */
		memset(&d, 0, sizeof(d));
		d.state = TCP_CLOSE;
	}
	*q->out = d;
	return d.state == q->state;
}

/* A poll of the dump, not a sleep standing in for one: it returns as soon
 * as the state is there (lib/base/poll_until.h). */
int nc_diag_wait_state(struct nc_host *host, const struct nc_sockaddr *local,
		       const struct nc_sockaddr *peer, int state,
		       unsigned deadline_ms, struct nc_tcp_diag *out)
{
	struct nc_tcp_diag last;
	struct state_query q = { host, local, peer, state, &last };
	int err = nc_poll_until(in_state, &q, deadline_ms, NC_BACKOFF_DUMP);

	if (out && err != -ETIMEDOUT && err < 0)
		memset(out, 0, sizeof(*out));
	else if (out)
		*out = last;
	return err;
}

struct count_query {
	int state;
	int port_be;
	int count;
};

static int count_one(const struct nc_tcp_diag *d, void *arg)
{
	struct count_query *q = arg;
	uint16_t port = d->local.sa.sa_family == AF_INET ? d->local.in.sin_port
							 : d->local.in6.sin6_port;

	if (d->state == q->state && (!q->port_be || port == q->port_be))
		q->count++;
	return 0;
}

int nc_diag_count(struct nc_host *host, int state, int local_port)
{
	struct count_query q = { state, htons((uint16_t)local_port), 0 };
	int states, err;

	if (!host || state < 1 || state > NEW_SYN_RECV || local_port < 0 || local_port > 65535)
		return -EINVAL;
	states = 1 << state;
	if (state == TCP_SYN_RECV)
		states |= 1 << NEW_SYN_RECV;
	err = dump(host, states, count_one, &q);
	return err < 0 ? err : q.count;
}
