/* Links, addresses and routes of one host, through libnl-route on a
 * NETLINK_ROUTE socket opened inside that host.  All return 0 (or an
 * ifindex) or -errno. */
#ifndef NC_TOPOLOGY_H
#define NC_TOPOLOGY_H

#include <stdbool.h>

struct nl_sock;

/* libnl's NLE_* code (either sign) as a negative errno; 0 stays 0. */
int nc_errno_from_nle(int nle);

/* A NETLINK_ROUTE socket bound to the calling thread's network namespace. */
int nc_rtnl_open(struct nl_sock **out);

/* A veth pair: name here (up), peer_name in the namespace of peer_ns_fd
 * (created there directly: IFLA_NET_NS_FD in the peer's info), down: bring
 * it up with nc_link_updown() on a socket of that namespace. */
int nc_veth_add(struct nl_sock *nl, const char *name, const char *peer_name, int peer_ns_fd);
/* The ifindex of name, or -ENODEV. */
int nc_link_index(struct nl_sock *nl, const char *name);
int nc_link_updown(struct nl_sock *nl, int ifindex, bool up);
/* Until the link, if up with carrier, is operationally up.  The end of a
 * veth opened first gets its carrier, and its real qdisc in place of the
 * noop one that drops everything, only when linkwatch runs, a moment after
 * the other end opens: a SYN sent before that is lost.  -ETIMEDOUT. */
int nc_link_wait_running(struct nl_sock *nl, int ifindex, unsigned deadline_ms);
/* nodad: a tentative IPv6 address would make bind() fail with EADDRNOTAVAIL. */
int nc_addr_add(struct nl_sock *nl, int ifindex, const char *cidr, bool nodad);
/* Until every IPv6 address of the namespace is usable.  Even a nodad
 * address is finished by addrconf's work queue after the request returns:
 * only then is its solicited-node group joined (before, a neighbour
 * solicitation for it is dropped and the peer retries 1 s later) and its
 * local route in table local.  Link-local addresses matter too: a router
 * solicits a forwarded packet's next hop from its link-local address, and
 * sends nothing while that is tentative.  The local routes are the fact
 * polled. */
int nc_ipv6_wait_ready(struct nl_sock *nl, unsigned deadline_ms);
/* type: RTN_UNICAST, RTN_UNREACHABLE, RTN_PROHIBIT or RTN_BLACKHOLE.
 * ifindex 0: the kernel finds the device from the gateway; via may be NULL. */
int nc_route_add(struct nl_sock *nl, int family, unsigned char type,
		 const char *dest, const char *via, int ifindex);

#endif
