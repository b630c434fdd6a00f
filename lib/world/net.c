/* A built network: its hosts, their namespaces and interfaces, and the
 * scenario's addresses and routes it can put back (net.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "error.h"
#include "net.h"
#include "topology.h"

int nc_ns_open_here(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int nc_ns_visit(int ns_fd, int *saved)
{
	int here = nc_ns_open_here(), err;

	if (here < 0)
		return here;
	if (setns(ns_fd, CLONE_NEWNET) < 0) {
		err = -errno;
		close(here);
		return err;
	}
	*saved = here;
	return 0;
}

int nc_ns_return(int saved)
{
	int err = setns(saved, CLONE_NEWNET) < 0 ? -errno : 0;

	close(saved);
	return err;
}

struct nc_host *nc_net_host(struct nc_net *net, const char *name)
{
	for (size_t i = 0; net && i < net->n_hosts; i++)
		if (strcmp(net->hosts[i].name, name) == 0)
			return &net->hosts[i];
	return NULL;
}

int nc_host_ifindex(struct nc_host *host, const char *ifname)
{
	int ifindex;

	for (int i = 0; i < host->n_ifaces; i++)
		if (strcmp(host->ifaces[i].name, ifname) == 0)
			return host->ifaces[i].ifindex;
	ifindex = nc_link_index(host->rtnl, ifname);
	if (ifindex > 0 && host->n_ifaces < NC_MAX_IFACES &&
	    strlen(ifname) < sizeof(host->ifaces[0].name)) {
		strcpy(host->ifaces[host->n_ifaces].name, ifname);
		host->ifaces[host->n_ifaces++].ifindex = ifindex;
	}
	return ifindex;
}

void nc_net_free(struct nc_net *net)
{
	if (!net)
		return;
	while (net->faults) {
		struct nc_net_fault *next = net->faults->next;

		free(net->faults);
		net->faults = next;
	}
	for (size_t i = 0; i < net->n_hosts; i++) {
		struct nc_host *host = &net->hosts[i];

		nl_socket_free(host->rtnl);	/* accepts NULL */
		nl_socket_free(host->diag);
		if (host->ns_fd >= 0)
			close(host->ns_fd);
	}
	free(net->hosts);
	free(net->path);
	free(net->addrs);
	free(net->routes);
	free(net);
}

int nc_host_enter(struct nc_host *host)
{
	if (!host)
		return nc_error(-EINVAL, "enter a host: no such host");
	if (setns(host->ns_fd, CLONE_NEWNET) < 0)
		return nc_error(-errno, "enter host %s: setns", host->name);
	return 0;
}

int nc_net_put_addrs(struct nc_net *net, int host_index, const char *ifname)
{
	struct nc_host *host = &net->hosts[host_index];

	for (size_t i = 0; i < net->n_addrs; i++) {
		const struct nc_scn_addr *a = &net->addrs[i];
		int ifindex, err;

		if (a->host != host_index || (ifname && strcmp(a->ifname, ifname) != 0))
			continue;
		ifindex = nc_host_ifindex(host, a->ifname);
		/* IPv6 always nodad: a tentative address cannot be bound */
		err = ifindex < 0 ? ifindex
				  : nc_addr_add(host->rtnl, ifindex, a->cidr, a->family == AF_INET6);
		if (err < 0 && !(ifname && err == -EEXIST))
			return nc_error(err, "%s:%d: address %s on %s (dev %s)", net->path, a->line,
					a->cidr, host->name, a->ifname);
	}
	return 0;
}

int nc_net_put_routes(struct nc_net *net, int host_index)
{
	struct nc_host *host = &net->hosts[host_index];

	for (size_t i = 0; i < net->n_routes; i++) {
		const struct nc_scn_route *r = &net->routes[i];
		int ifindex, err;

		if (r->host != host_index)
			continue;
		ifindex = r->ifname[0] ? nc_host_ifindex(host, r->ifname) : 0;
		err = ifindex < 0 ? ifindex
				  : nc_route_add(host->rtnl, r->family, r->type, r->dest, r->via,
						 ifindex);
		if (err < 0 && err != -EEXIST)
			return nc_error(err, "%s:%d: route %s on %s", net->path, r->line, r->dest,
					host->name);
	}
	return 0;
}

int nc_net_wait_addrs(struct nc_net *net, int host_index)
{
	struct nc_host *host = &net->hosts[host_index];
	int err = nc_ipv6_wait_ready(host->rtnl, NC_LINK_DEADLINE_MS);

	if (err < 0)
		return nc_error(err, "host %s: IPv6 addresses not usable", host->name);
	return 0;
}
