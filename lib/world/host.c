/* Changing a host at run time (host.h), from inside it. */
#include <errno.h>
#include <string.h>

#include "error.h"
#include "host.h"
#include "net.h"
#include "netem.h"
#include "sysctl.h"
#include "topology.h"

int nc_sysctl_set(struct nc_host *host, const char *name, const char *value)
{
	char why[200];
	int saved, err;

	if (!host || !name || !value)
		return nc_error(-EINVAL, "sysctl: no host, name or value");
	if (!nc_sysctl_known(name))
		return nc_error(-EPERM, "sysctl %s: not in the table of lib/world/sysctl.c", name);
	if (nc_sysctl_check(name, value, why, sizeof(why)) < 0)
		return nc_error(-EINVAL, "sysctl: %s", why);
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0)
		return nc_error(err, "sysctl %s on %s: setns", name, host->name);
	err = nc_sysctl_write_here(name, value);
	nc_ns_return(saved);
	if (err == -EOPNOTSUPP)
		return nc_error(err, "sysctl %s on %s: read-only or absent in its network namespace",
				name, host->name);
	return err < 0 ? nc_error(err, "sysctl %s %s on %s", name, value, host->name) : 0;
}

int nc_sysctl_get(struct nc_host *host, const char *name, char *buf, size_t size)
{
	int saved, err;

	if (!host || !name || !buf)
		return nc_error(-EINVAL, "sysctl: no host, name or buffer");
	if (!nc_sysctl_known(name))
		return nc_error(-EPERM, "sysctl %s: not in the table of lib/world/sysctl.c", name);
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0)
		return nc_error(err, "sysctl %s on %s: setns", name, host->name);
	err = nc_sysctl_read_here(name, buf, size);
	nc_ns_return(saved);
	return err < 0 ? nc_error(err, "sysctl %s on %s: read", name, host->name) : 0;
}

int nc_link_set_up(struct nc_host *host, const char *ifname, bool up)
{
	int ifindex, err, host_index;

	if (!host || !ifname)
		return nc_error(-EINVAL, "link: no host or interface");
	ifindex = nc_host_ifindex(host, ifname);
	if (ifindex < 0)
		return nc_error(ifindex, "link %s on %s", ifname, host->name);
	err = nc_link_updown(host->rtnl, ifindex, up);
	if (err < 0 || !up)
		return err < 0 ? nc_error(err, "link %s on %s %s", ifname, host->name,
					  up ? "up" : "down") : 0;
	/* Going down, the kernel dropped the IPv6 addresses of the link
	 * (keep_addr_on_down is 0) and the routes through it: put the
	 * scenario's back.  Then it is usable when the call returns, both
	 * ends. */
	host_index = (int)(host - host->net->hosts);
	err = nc_net_put_addrs(host->net, host_index, ifname);
	if (err >= 0)
		err = nc_net_put_routes(host->net, host_index);
	if (err >= 0)
		err = nc_link_wait_running(host->rtnl, ifindex, NC_LINK_DEADLINE_MS);
	for (size_t i = 0; !err && i < host->net->n_hosts; i++) {
		struct nc_host *peer = &host->net->hosts[i];

		if (peer == host || strcmp(peer->name, ifname) != 0)
			continue;
		ifindex = nc_host_ifindex(peer, host->name);
		if (ifindex > 0)
			err = nc_link_wait_running(peer->rtnl, ifindex, NC_LINK_DEADLINE_MS);
	}
	if (err == -ETIMEDOUT)
		return nc_error(err, "link %s on %s: not running after %d ms", ifname, host->name,
				NC_LINK_DEADLINE_MS);
	return err < 0 ? err : nc_net_wait_addrs(host->net, host_index);
}

int nc_netem_set(struct nc_host *host, const char *ifname, const char *spec)
{
	struct nc_netem netem;
	char why[200];
	int ifindex, err;

	if (!host || !ifname || !spec)
		return nc_error(-EINVAL, "netem: no host, interface or spec");
	if (nc_netem_parse(spec, &netem, why, sizeof(why)) < 0)
		return nc_error(-EINVAL, "netem %s: %s", spec, why);
	if (!nc_netem_available())
		return nc_error(-EOPNOTSUPP, "netem: this kernel has no sch_netem");
	ifindex = nc_host_ifindex(host, ifname);
	err = ifindex < 0 ? ifindex : nc_netem_apply(host->rtnl, ifindex, &netem);
	return err < 0 ? nc_error(err, "netem %s on %s %s", spec, host->name, ifname) : 0;
}
