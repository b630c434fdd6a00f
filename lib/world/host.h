/* What lib/net.c, lib/diag.c and friends share about a built network: the
 * hosts, each a network namespace held by a descriptor of this process. */
#ifndef NC_HOST_H
#define NC_HOST_H

#include <stdbool.h>

#include "firewall.h"
#include "net.h"
#include "scenario.h"

struct nl_sock;

struct nc_fault_entry {
	int id;
	struct nc_fault rule;
	struct nc_fault_entry *next;
};

struct nc_iface {
	char name[NC_NAME_SIZE];
	int ifindex;		/* 0: not looked up yet */
};

#define NC_MAX_IFACES 16

struct nc_host {
	struct nc_net *net;
	char name[NC_NAME_SIZE];
	int ns_fd;			/* /proc/thread-self/ns/net while inside */
	struct nl_sock *rtnl;		/* NETLINK_ROUTE, opened inside the host */
	struct nl_sock *diag;		/* NETLINK_SOCK_DIAG, opened on first use */
	struct nc_fault_entry *faults;	/* in force, in the order added */
	struct nc_iface ifaces[NC_MAX_IFACES];
	int n_ifaces;
};

struct nc_net {
	struct nc_host *hosts;
	size_t n_hosts;
	int last_fault_id;
	/* the scenario's addresses and routes, put back when a link comes up */
	char *path;
	struct nc_scn_addr *addrs;
	size_t n_addrs;
	struct nc_scn_route *routes;
	size_t n_routes;
};

/* Moves the calling thread into ns_fd, keeping where it was in *saved (an fd
 * to give to nc_ns_return).  Both return 0 or -errno. */
int nc_ns_visit(int ns_fd, int *saved);
int nc_ns_return(int saved);

/* ifindex of one of host's interfaces (lo, or a veth named after its peer). */
int nc_host_ifindex(struct nc_host *host, const char *ifname);

#endif
