/* Links, addresses and routes through libnl-route.  Every object follows
 * libnl's lifecycle (alloc, set, add, put) and every NLE_* code becomes a
 * negative errno on the way out. */
#include <errno.h>
#include <linux/if.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "forced.h"
#include "poll_until.h"
#include "topology.h"

int nc_errno_from_nle(int nle)
{
	static const int errnos[] = {
		[NLE_SUCCESS] = 0,
		[NLE_FAILURE] = EIO,
		[NLE_INTR] = EINTR,
		[NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,
		[NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,
		[NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,
		[NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP,
		[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,
		[NLE_NOATTR] = ENODATA,
		[NLE_MISSING_ATTR] = EINVAL,
		[NLE_AF_MISMATCH] = EAFNOSUPPORT,
		[NLE_SEQ_MISMATCH] = EPROTO,
		[NLE_MSG_OVERFLOW] = EOVERFLOW,
		[NLE_MSG_TRUNC] = EMSGSIZE,
		[NLE_NOADDR] = EADDRNOTAVAIL,
		[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
		[NLE_MSG_TOOSHORT] = EPROTO,
		[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
		[NLE_OBJ_MISMATCH] = EINVAL,
		[NLE_NOCACHE] = ENOENT,
		[NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
		[NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,
		[NLE_PKTLOC_FILE] = ENOENT,
		[NLE_PARSE_ERR] = EINVAL,
		[NLE_NODEV] = ENODEV,
		[NLE_IMMUTABLE] = EPERM,
		[NLE_DUMP_INTR] = EINTR,
		[NLE_ATTRSIZE] = ERANGE,
	};
	int code = nle < 0 ? -nle : nle;

	if (code == 0)
		return 0;
	if ((size_t)code >= sizeof(errnos) / sizeof(errnos[0]) || errnos[code] == 0)
		return -EIO;
	return -errnos[code];
}

int nc_rtnl_open(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	*out = NULL;
	if (!sk)
		return -ENOMEM;
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(sk);
		return nc_errno_from_nle(err);
	}
	*out = sk;
	return 0;
}

int nc_veth_add(struct nl_sock *nl, const char *name, const char *peer_name, int peer_ns_fd)
{
	struct rtnl_link *link = rtnl_link_veth_alloc(), *peer;
	int err;

	if (!link)
		return -ENOMEM;
	peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(link, name);
	rtnl_link_set_flags(link, IFF_UP);
	rtnl_link_set_name(peer, peer_name);
	/* not IFF_UP: the kernel opens the peer before pairing the two and
	 * veth_open() then fails with ENOTCONN; the caller brings it up */
	rtnl_link_set_ns_fd(peer, peer_ns_fd);
	err = rtnl_link_add(nl, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(peer);
	rtnl_link_put(link);
	return nc_errno_from_nle(err);
}

int nc_link_index(struct nl_sock *nl, const char *name)
{
	struct rtnl_link *link = NULL;
	int err, ifindex;

	err = rtnl_link_get_kernel(nl, 0, name, &link);
	if (err < 0)
		return err == -NLE_OBJ_NOTFOUND ? -ENODEV : nc_errno_from_nle(err);
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex > 0 ? ifindex : -ENODEV;
}

int nc_link_updown(struct nl_sock *nl, int ifindex, bool up)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int err = -NLE_NOMEM;

	if (orig && change) {
		rtnl_link_set_ifindex(orig, ifindex);
		if (up)
			rtnl_link_set_flags(change, IFF_UP);
		else
			rtnl_link_unset_flags(change, IFF_UP);
		err = rtnl_link_change(nl, orig, change, 0);
	}
	rtnl_link_put(change);
	rtnl_link_put(orig);
	return nc_errno_from_nle(err);
}

struct link_query {
	struct nl_sock *nl;
	int ifindex;
};

static int link_running(void *arg)
{
	struct link_query *q = arg;
	struct rtnl_link *link = NULL;
	int err = rtnl_link_get_kernel(q->nl, q->ifindex, NULL, &link);
	unsigned flags;
	uint8_t oper;

	if (err < 0)
		return nc_errno_from_nle(err);
	flags = rtnl_link_get_flags(link);
	oper = rtnl_link_get_operstate(link);
	rtnl_link_put(link);
	/* down, or no carrier (its peer is down): nothing to wait for */
	return !(flags & IFF_UP) || !(flags & IFF_LOWER_UP) || oper == IF_OPER_UP;
}

int nc_link_wait_running(struct nl_sock *nl, int ifindex, unsigned deadline_ms)
{
	struct link_query q = { nl, ifindex };

	/* linkwatch runs as soon as it can (a veth's events are urgent) */
	return nc_poll_until(link_running, &q, deadline_ms, NC_BACKOFF_KERNEL_WORK);
}

/* Whether every IPv6 address of the namespace (link-local ones too) has
 * its local route in table local: addrconf puts it there when it is done
 * with the address. */
static int ipv6_all_local(struct nl_sock *nl, bool *all)
{
	struct nl_cache *addrs = NULL, *routes = NULL;
	int err = rtnl_addr_alloc_cache(nl, &addrs);

	if (err >= 0)
		err = rtnl_route_alloc_cache(nl, AF_INET6, 0, &routes);
	*all = true;
	for (struct nl_object *a = addrs ? nl_cache_get_first(addrs) : NULL; err >= 0 && a && *all;
	     a = nl_cache_get_next(a)) {
		struct nl_addr *local = rtnl_addr_get_local((struct rtnl_addr *)a), *want;
		bool found = false;

		if (!local || nl_addr_get_family(local) != AF_INET6)
			continue;
		want = nl_addr_clone(local);
		if (!want) {
			err = -NLE_NOMEM;
			break;
		}
		nl_addr_set_prefixlen(want, 128);
		for (struct nl_object *o = nl_cache_get_first(routes); o && !found;
		     o = nl_cache_get_next(o)) {
			struct rtnl_route *r = (struct rtnl_route *)o;

			found = rtnl_route_get_type(r) == RTN_LOCAL &&
				nl_addr_cmp(rtnl_route_get_dst(r), want) == 0;
		}
		nl_addr_put(want);
		*all = found;
	}
	nl_cache_free(routes);	/* accepts NULL */
	nl_cache_free(addrs);
	return err < 0 ? nc_errno_from_nle(err) : 0;
}

static int ipv6_ready(void *nl)
{
	bool all = false;
	int err = ipv6_all_local(nl, &all);

	return err < 0 ? err : all;
}

int nc_ipv6_wait_ready(struct nl_sock *nl, unsigned deadline_ms)
{
	return nc_poll_until(ipv6_ready, nl, deadline_ms, NC_BACKOFF_KERNEL_WORK);
}

int nc_addr_add(struct nl_sock *nl, int ifindex, const char *cidr, bool nodad)
{
	struct nl_addr *local = NULL;
	struct rtnl_addr *ra = NULL;
	int err;

	err = nl_addr_parse(cidr, AF_UNSPEC, &local);
	if (err < 0)
		goto out;
	ra = rtnl_addr_alloc();
	if (!ra) {
		err = -NLE_NOMEM;
		goto out;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	if (nodad)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = rtnl_addr_set_local(ra, local);
	if (err >= 0)
		err = rtnl_addr_add(nl, ra, 0);
out:
	rtnl_addr_put(ra);	/* both puts accept NULL */
	nl_addr_put(local);
	return err < 0 ? nc_errno_from_nle(err) : 0;
}

int nc_route_add(struct nl_sock *nl, int family, unsigned char type,
		 const char *dest, const char *via, int ifindex)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct nl_addr *dst = NULL, *gw = NULL;
	int err;

	if (!route)
		return -ENOMEM;
	if (type != RTN_UNICAST && nc_forced_missing("route_types")) {
		rtnl_route_put(route);
		return -EOPNOTSUPP;
	}
	rtnl_route_set_family(route, (uint8_t)family);
	rtnl_route_set_type(route, type);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	err = nl_addr_parse(dest, family, &dst);
	if (err >= 0)
		err = rtnl_route_set_dst(route, dst);
	if (err < 0)
		goto out;
	if (type == RTN_UNICAST) {
		struct rtnl_nexthop *nh = rtnl_route_nh_alloc();

		if (!nh) {
			err = -NLE_NOMEM;
			goto out;
		}
		if (via && *via) {
			err = nl_addr_parse(via, family, &gw);
			if (err < 0) {
				rtnl_route_nh_free(nh);
				goto out;
			}
			rtnl_route_nh_set_gateway(nh, gw);
		}
		if (ifindex > 0)
			rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_add_nexthop(route, nh);	/* the route owns it now */
	} else {
		/* as "ip route add unreachable ..." does; libnl would guess link */
		rtnl_route_set_scope(route, RT_SCOPE_UNIVERSE);
	}
	err = rtnl_route_add(nl, route, NLM_F_EXCL);
out:
	nl_addr_put(gw);
	nl_addr_put(dst);
	rtnl_route_put(route);
	err = err < 0 ? nc_errno_from_nle(err) : 0;
	/* a kernel without the type (gVisor): missing, not broken */
	return type != RTN_UNICAST && err == -EINVAL ? -EOPNOTSUPP : err;
}
