/* The builder: a scenario becomes network namespaces of this process.
 *
 * Each host is made with unshare(CLONE_NEWNET) and held by a descriptor of
 * /proc/thread-self/ns/net; the thread returns to where it was with setns().
 * Nothing is named under /run/netns, so everything goes when the process
 * does.  The costs that matter, measured on the project's VM: ~0.7 ms per
 * namespace, ~1 ms per veth pair, microseconds per other netlink request.
 * Faults are nf_tables rules made in process (lib/world/nftables.c), one
 * netlink transaction per host for both families, tens of microseconds.
 */
#include <errno.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "builder.h"
#include "error.h"
#include "forced.h"
#include "netem.h"
#include "nftables.h"
#include "sandbox.h"
#include "sysctl.h"
#include "topology.h"

/* A sysctl under net.*.conf.IFNAME. needs the host's links first. */
static bool names_an_interface(const char *name)
{
	const char *conf = strstr(name, ".conf.");

	if (!conf)
		return false;
	conf += strlen(".conf.");
	return strncmp(conf, "all.", 4) != 0 && strncmp(conf, "default.", 8) != 0 &&
	       strncmp(conf, "lo.", 3) != 0;
}

/* What a scenario needs and this system lacks, for the skip's reason. */
static __thread char lacking[160];

static int write_sysctls(const struct nc_scenario *scn, int host, bool interfaces,
			 const char **missing)
{
	for (size_t i = 0; i < scn->n_sysctls; i++) {
		const struct nc_scn_sysctl *s = &scn->sysctls[i];
		int err;

		if (s->host != host || names_an_interface(s->name) != interfaces)
			continue;
		err = nc_sysctl_write_here(s->name, s->value);
		/* A bound on a timer that the checks needing it set per socket
		 * (TCP_SYNCNT) where the sysctl cannot be written. */
		if (err == -EOPNOTSUPP && strcmp(s->name, "net.ipv4.tcp_syn_retries") == 0)
			continue;
		if (err == -EOPNOTSUPP && missing) {
			snprintf(lacking, sizeof(lacking), "a writable sysctl %s", s->name);
			*missing = lacking;
		}
		if (err < 0)
			return nc_error(err, "%s:%d: sysctl %s %s on %s", scn->path, s->line,
					s->name, s->value, scn->hosts[host].name);
	}
	return 0;
}

static bool host_has_interface_sysctls(const struct nc_scenario *scn, int host)
{
	for (size_t i = 0; i < scn->n_sysctls; i++)
		if (scn->sysctls[i].host == host && names_an_interface(scn->sysctls[i].name))
			return true;
	return false;
}

static bool uses_ipv6(const struct nc_scenario *scn)
{
	for (size_t i = 0; i < scn->n_addrs; i++)
		if (scn->addrs[i].family == AF_INET6)
			return true;
	return false;
}

static const char *const no_dad[] = {
	"net.ipv6.conf.all.accept_dad",
	"net.ipv6.conf.default.accept_dad",
};

/* Host i's scenario faults, from inside it, in one transaction. */
static int install_faults(const struct nc_scenario *scn, struct nc_net *net, int i,
			  const char **missing)
{
	struct nc_nft_rule *rules = calloc(scn->n_faults + 1, sizeof(*rules));
	size_t n_rules = 0;
	int err;

	if (!rules)
		return -ENOMEM;
	for (size_t f = 0; f < scn->n_faults; f++)
		if (scn->faults[f].host == i) {
			rules[n_rules].fault = &scn->faults[f].rule;
			rules[n_rules++].id = (int)f + 1;	/* as build() lists them */
		}
	err = n_rules ? nc_nft_add(rules, n_rules) : 0;
	free(rules);
	if (err < 0 && nc_nft_refused(err)) {
		if (missing)
			*missing = "nf_tables (CONFIG_NF_TABLES, its reject and numgen)";
		return nc_error(-EOPNOTSUPP, "host %s: faults: the kernel refuses nf_tables (%s)",
				net->hosts[i].name, strerror(-err));
	}
	if (err < 0)
		return nc_error(err, "host %s: faults (nf_tables)", net->hosts[i].name);
	return 0;
}

/* Host i, made here and set up from inside: lo, its netlink socket, no DAD,
 * its plain sysctls and its faults.  Leaves the thread in it. */
static int make_host(const struct nc_scenario *scn, struct nc_net *net, int i,
		     const char **missing)
{
	struct nc_host *host = &net->hosts[i];
	int err;

	if (unshare(CLONE_NEWNET) < 0)
		return nc_error(-errno, "host %s: unshare(CLONE_NEWNET)", host->name);
	host->ns_fd = nc_ns_open_here();
	if (host->ns_fd < 0)
		return nc_error(host->ns_fd, "host %s: /proc/thread-self/ns/net", host->name);
	err = install_faults(scn, net, i, missing);
	if (err < 0)
		return err;
	err = nc_loopback_up();
	if (err < 0)
		return nc_error(err, "host %s: lo up", host->name);
	err = nc_rtnl_open(&host->rtnl);
	if (err < 0)
		return nc_error(err, "host %s: netlink", host->name);
	/* No DAD for link-local addresses either, as for the scenario's (nodad):
	 * no address of a host stays tentative for a second after the build.
	 * Before the scenario's sysctls, which may say otherwise.  A scenario
	 * without IPv6 addresses has no IPv6 traffic to hold up. */
	for (size_t d = 0; uses_ipv6(scn) && d < sizeof(no_dad) / sizeof(no_dad[0]); d++) {
		err = nc_sysctl_write_here(no_dad[d], "0");
		if (err < 0 && err != -EOPNOTSUPP)	/* no IPv6 or no DAD here */
			return nc_error(err, "host %s: %s", host->name, no_dad[d]);
	}
	return write_sysctls(scn, i, false, missing);
}

static int make_links(const struct nc_scenario *scn, struct nc_net *net, const char **missing)
{
	for (size_t i = 0; i < scn->n_links; i++) {
		const struct nc_scn_link *l = &scn->links[i];
		struct nc_host *a = &net->hosts[l->host_a], *b = &net->hosts[l->host_b];
		int err, peer;

		/* gVisor has no veth: EOPNOTSUPP */
		err = nc_forced_missing("veth") ? -EOPNOTSUPP
						: nc_veth_add(a->rtnl, b->name, a->name, b->ns_fd);
		if (err == -EOPNOTSUPP && missing)
			*missing = "veth links (CONFIG_VETH)";
		if (err >= 0) {
			peer = nc_host_ifindex(b, a->name);
			err = peer < 0 ? peer : nc_link_updown(b->rtnl, peer, true);
		}
		if (err < 0)
			return nc_error(err, "%s:%d: link veth %s %s", scn->path, l->line,
					a->name, b->name);
	}
	return 0;
}

/* Until both ends of every link are operationally up. */
static int wait_links(const struct nc_scenario *scn, struct nc_net *net)
{
	for (size_t i = 0; i < scn->n_links; i++) {
		const struct nc_scn_link *l = &scn->links[i];
		struct nc_host *end[2] = { &net->hosts[l->host_a], &net->hosts[l->host_b] };

		for (int e = 0; e < 2; e++) {
			const char *ifname = end[1 - e]->name;
			int ifindex = nc_host_ifindex(end[e], ifname), err;

			err = ifindex < 0 ? ifindex
					  : nc_link_wait_running(end[e]->rtnl, ifindex,
								 NC_LINK_DEADLINE_MS);
			if (err < 0)
				return nc_error(err, "%s:%d: link veth: %s in %s is not running",
						scn->path, l->line, ifname, end[e]->name);
		}
	}
	return 0;
}

static int build(const struct nc_scenario *scn, struct nc_net *net, int home,
		 const char **missing)
{
	int err = 0;

	for (size_t i = 0; i < scn->n_hosts && !err; i++)
		err = make_host(scn, net, (int)i, missing);
	if (setns(home, CLONE_NEWNET) < 0 && !err)
		err = nc_error(-errno, "setns back");
	if (!err)
		err = make_links(scn, net, missing);
	for (size_t i = 0; i < scn->n_hosts && !err; i++) {
		int saved;

		if (!host_has_interface_sysctls(scn, (int)i))
			continue;
		err = nc_ns_visit(net->hosts[i].ns_fd, &saved);
		if (err < 0)
			return nc_error(err, "host %s: setns", net->hosts[i].name);
		err = write_sysctls(scn, (int)i, true, missing);
		nc_ns_return(saved);
	}
	for (size_t i = 0; i < net->n_hosts && !err; i++) {
		err = nc_net_put_addrs(net, (int)i, NULL);
		if (err >= 0)
			err = nc_net_put_routes(net, (int)i);
		if (err == -EOPNOTSUPP && missing)
			*missing = "routes of the scenario's types (prohibit, unreachable)";
	}
	for (size_t i = 0; i < scn->n_netems && !err; i++) {
		const struct nc_scn_netem *ne = &scn->netems[i];
		struct nc_host *host = &net->hosts[ne->host];
		int ifindex = nc_host_ifindex(host, ne->ifname);

		err = ifindex < 0 ? ifindex : nc_netem_apply(host->rtnl, ifindex, &ne->netem);
		if (err < 0)
			err = nc_error(err, "%s:%d: netem %s %s", scn->path, ne->line, host->name,
				       ne->ifname);
	}
	/* Last, so that linkwatch had the time of the steps above. */
	if (!err)
		err = wait_links(scn, net);
	for (size_t i = 0; uses_ipv6(scn) && i < net->n_hosts && !err; i++)
		err = nc_net_wait_addrs(net, (int)i);
	return err;
}

/* The scenario's faults as the network's list, ids 1, 2 ... in file order. */
static int list_faults(const struct nc_scenario *scn, struct nc_net *net)
{
	struct nc_net_fault **tail = &net->faults;

	for (size_t i = 0; i < scn->n_faults; i++) {
		struct nc_net_fault *f = calloc(1, sizeof(*f));

		if (!f)
			return -ENOMEM;
		strcpy(f->name, scn->faults[i].name);
		f->host = &net->hosts[scn->faults[i].host];
		f->id = (int)i + 1;
		f->rule = scn->faults[i].rule;
		*tail = f;
		tail = &f->next;
	}
	net->last_fault_id = (int)scn->n_faults;
	return 0;
}

/* The network without namespaces yet: hosts named, the scenario's faults,
 * addresses and routes copied. */
static struct nc_net *net_alloc(const struct nc_scenario *scn)
{
	struct nc_net *net = calloc(1, sizeof(*net));

	if (!net)
		return NULL;
	net->hosts = calloc(scn->n_hosts, sizeof(*net->hosts));
	net->path = strdup(scn->path);
	net->addrs = malloc((scn->n_addrs + 1) * sizeof(*net->addrs));
	net->routes = malloc((scn->n_routes + 1) * sizeof(*net->routes));
	if (!net->hosts || !net->path || !net->addrs || !net->routes ||
	    list_faults(scn, net) < 0) {
		nc_net_free(net);
		return NULL;
	}
	net->n_hosts = scn->n_hosts;
	for (size_t i = 0; i < scn->n_hosts; i++) {
		net->hosts[i].net = net;
		net->hosts[i].ns_fd = -1;
		strcpy(net->hosts[i].name, scn->hosts[i].name);
	}
	if (scn->n_addrs)	/* memcpy from NULL is undefined, even of 0 bytes */
		memcpy(net->addrs, scn->addrs, scn->n_addrs * sizeof(*net->addrs));
	net->n_addrs = scn->n_addrs;
	if (scn->n_routes)
		memcpy(net->routes, scn->routes, scn->n_routes * sizeof(*net->routes));
	net->n_routes = scn->n_routes;
	return net;
}

int nc_net_build(const struct nc_scenario *scn, struct nc_net **out, const char **missing)
{
	struct nc_net *net;
	int home, err;

	*out = NULL;
	if (missing)
		*missing = NULL;
	nc_error_clear();
	if (nc_scenario_needs_netem(scn) && !nc_netem_available()) {
		if (missing)
			*missing = "sch_netem (CONFIG_NET_SCH_NETEM)";
		return nc_error(-EOPNOTSUPP, "%s: netem: this kernel has no sch_netem", scn->path);
	}
	home = nc_ns_open_here();
	if (home < 0)
		return nc_error(home, "/proc/thread-self/ns/net");
	net = net_alloc(scn);
	err = net ? build(scn, net, home, missing) : nc_error(-ENOMEM, "%s: build", scn->path);
	if (setns(home, CLONE_NEWNET) < 0 && !err)
		err = nc_error(-errno, "setns back");
	close(home);
	if (err < 0) {
		nc_net_free(net);
		return err;
	}
	*out = net;
	return 0;
}
