/* A built network (lib/world/builder.h makes it): hosts, each a network
 * namespace held open by a descriptor of the check's own process, never
 * named under /run/netns, so that it dies with the process.  Calls return 0
 * (or a non-negative value) or a negative errno with an nc_error() message
 * (lib/base/error.h). */
#ifndef NC_NET_H
#define NC_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "scenario.h"

struct nl_sock;

struct nc_iface {
	char name[NC_NAME_SIZE];
	int ifindex;
};

#define NC_MAX_IFACES 16

struct nc_host {
	struct nc_net *net;
	char name[NC_NAME_SIZE];
	int ns_fd;			/* /proc/thread-self/ns/net while inside */
	struct nl_sock *rtnl;		/* NETLINK_ROUTE, opened inside the host */
	struct nl_sock *diag;		/* NETLINK_SOCK_DIAG, opened on first use */
	struct nc_iface ifaces[NC_MAX_IFACES];	/* looked up so far */
	int n_ifaces;
};

/* A fault in force: the scenario's, or one a check added. */
struct nc_net_fault {
	char name[NC_FAULT_NAME_SIZE];
	struct nc_host *host;
	int id;				/* the backend's tag, unique in the network */
	struct nc_fault rule;
	struct nc_net_fault *next;
};

struct nc_net {
	struct nc_host *hosts;
	size_t n_hosts;
	struct nc_net_fault *faults;	/* in the order added */
	int last_fault_id;
	/* the scenario's addresses and routes, put back when a link comes up */
	char *path;
	struct nc_scn_addr *addrs;
	size_t n_addrs;
	struct nc_scn_route *routes;
	size_t n_routes;
};

void nc_net_free(struct nc_net *net);
/* The host called name, or NULL. */
struct nc_host *nc_net_host(struct nc_net *net, const char *name);

/* Moves the calling thread into host's network namespace.  Sockets made
 * before keep their namespace, so a check can make a listener in "s", then
 * enter "c" and connect to it. */
int nc_host_enter(struct nc_host *host);

/* --- For lib/: namespaces and interfaces --- */

/* A descriptor of the calling thread's network namespace. */
int nc_ns_open_here(void);
/* Moves the calling thread into ns_fd, keeping where it was in *saved (an fd
 * to give to nc_ns_return). */
int nc_ns_visit(int ns_fd, int *saved);
int nc_ns_return(int saved);
/* ifindex of one of host's interfaces (lo, or a veth named after its peer). */
int nc_host_ifindex(struct nc_host *host, const char *ifname);

/* The scenario's addresses of host (on ifname only, if not NULL; then an
 * address still there is no error), its routes, and the wait until its IPv6
 * addresses are usable.  The builder's steps, redone when a link comes up. */
int nc_net_put_addrs(struct nc_net *net, int host_index, const char *ifname);
int nc_net_put_routes(struct nc_net *net, int host_index);
int nc_net_wait_addrs(struct nc_net *net, int host_index);

/* How long a veth may take to become operationally up, or IPv6 addresses
 * usable (well under a millisecond; only a stuck kernel worker comes near). */
#define NC_LINK_DEADLINE_MS 10000

#endif
