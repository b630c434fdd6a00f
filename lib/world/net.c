/* The builder: a scenario becomes network namespaces of this process.
 *
 * Each host is made with unshare(CLONE_NEWNET) and held by a descriptor of
 * /proc/thread-self/ns/net; the thread returns to where it was with setns().
 * Nothing is named under /run/netns, so everything goes when the process
 * does.  The costs that matter, measured on the project's VM: ~0.7 ms per
 * namespace, ~2 ms per exec of iptables-restore, ~1 ms per veth pair,
 * microseconds per other netlink request.  Faults are nf_tables rules made
 * in process (lib/nftables.c, one netlink transaction per host, tens of
 * microseconds).  Only on the iptables-restore fallback (a kernel that
 * refuses nf_tables, lib/firewall.c) is a host with faults made by a forked
 * child that then execs its iptables-restore (one exec per host and family,
 * only for the families that have rules): both run on another CPU while this
 * thread makes the other hosts, the links and the addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "host.h"
#include "netem.h"
#include "nftables.h"
#include "sandbox.h"
#include "sysctl.h"
#include "topology.h"

/* How long a veth may take to become operationally up (it takes well under
 * a millisecond; only a stuck kernel worker comes near this). */
#define LINK_DEADLINE_MS 2000

static __thread char last_error[512];

const char *nc_net_last_error(void)
{
	return last_error;
}

static int __attribute__((format(printf, 2, 3))) set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err;
}

static int open_netns_here(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int nc_ns_visit(int ns_fd, int *saved)
{
	int here = open_netns_here(), err;

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

static void free_faults(struct nc_host *host)
{
	while (host->faults) {
		struct nc_fault_entry *next = host->faults->next;

		free(host->faults);
		host->faults = next;
	}
}

void nc_net_free(struct nc_net *net)
{
	if (!net)
		return;
	for (size_t i = 0; i < net->n_hosts; i++) {
		struct nc_host *host = &net->hosts[i];

		free_faults(host);
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

static int add_fault_entry(struct nc_host *host, int id, const struct nc_fault *rule)
{
	struct nc_fault_entry *entry = calloc(1, sizeof(*entry)), **tail;

	if (!entry)
		return -ENOMEM;
	entry->id = id;
	entry->rule = *rule;
	for (tail = &host->faults; *tail; tail = &(*tail)->next)
		;
	*tail = entry;
	return 0;
}

/* --- Firewall scripts --- */

static const int families[] = { AF_INET, AF_INET6 };

static unsigned family_bit(int family)
{
	return family == AF_INET ? NC_FAULT_IP4 : NC_FAULT_IP6;
}

static const char *family_tool(int family)
{
	return family == AF_INET ? "iptables-restore" : "ip6tables-restore";
}

/* "*filter\n-A INPUT ...\nCOMMIT\n" for the scenario faults of host. */
static char *build_script(const struct nc_scenario *scn, int host, int family)
{
	char *text = NULL, rule[512];
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	int rules = 0;

	if (!out)
		return NULL;
	fputs("*filter\n", out);
	for (size_t i = 0; i < scn->n_faults; i++) {
		const struct nc_scn_fault *f = &scn->faults[i];

		if (f->host != host || !(f->rule.families & family_bit(family)))
			continue;
		if (nc_fault_render(&f->rule, family, f->id, rule, sizeof(rule)) < 0)
			continue;	/* cannot happen: rules are short */
		fprintf(out, "-A %s\n", rule);
		rules++;
	}
	fputs("COMMIT\n", out);
	if (fclose(out) != 0 || rules == 0) {
		free(text);
		return NULL;
	}
	return text;
}

struct restore_job {
	struct nc_fw_job job;
	const char *host;
	int family;
};

static int finish_jobs(struct restore_job *jobs, size_t n_jobs)
{
	char output[512];
	int first = 0;

	for (size_t i = 0; i < n_jobs; i++) {
		int err = nc_fw_wait(&jobs[i].job, output, sizeof(output));

		if (err < 0 && !first) {
			output[strcspn(output, "\n")] = '\0';
			first = set_error(err, "host %s: %s: %s", jobs[i].host,
					  family_tool(jobs[i].family),
					  output[0] ? output : strerror(-err));
		}
	}
	return first;
}

/* --- Building --- */

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

static int write_sysctls(const struct nc_scenario *scn, int host, bool interfaces)
{
	for (size_t i = 0; i < scn->n_sysctls; i++) {
		const struct nc_scn_sysctl *s = &scn->sysctls[i];
		int err;

		if (s->host != host || names_an_interface(s->name) != interfaces)
			continue;
		err = nc_sysctl_write_here(s->name, s->value);
		if (err < 0)
			return set_error(err, "%s:%d: sysctl %s %s: %s", scn->path, s->line,
					 s->name, s->value, strerror(-err));
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

/* The first family host i has rules for (AF_INET first), or 0. */
static int first_rule_family(const struct nc_scenario *scn, int i)
{
	unsigned families = 0;

	for (size_t f = 0; f < scn->n_faults; f++)
		if (scn->faults[f].host == i)
			families |= scn->faults[f].rule.families;
	return families & NC_FAULT_IP4 ? AF_INET : families & NC_FAULT_IP6 ? AF_INET6 : 0;
}

/* Starts host i's first iptables-restore in a child that makes the host's
 * namespace itself: that namespace (~0.7 ms) and the restore (~2 ms) cost
 * another CPU, not this one.  The child hands the namespace back on *sock. */
static int start_host_with_rules(const struct nc_scenario *scn, struct nc_net *net, int i,
				 struct restore_job *jobs, size_t *n_jobs, int *sock)
{
	int family = first_rule_family(scn, i), err;
	char *script = build_script(scn, i, family);

	if (!script)
		return set_error(-ENOMEM, "host %s: out of memory", net->hosts[i].name);
	jobs[*n_jobs].host = net->hosts[i].name;
	jobs[*n_jobs].family = family;
	err = nc_fw_spawn_in_new_netns(family, script, &jobs[*n_jobs].job, sock);
	free(script);
	if (err < 0)
		return set_error(err, "host %s: %s: %s", net->hosts[i].name, family_tool(family),
				 strerror(-err));
	(*n_jobs)++;
	return 0;
}

/* Host i's scenario faults, from inside it, in process: 1 when they are in
 * force, 0 when the kernel refused nf_tables (iptables-restore then does
 * it), or -errno. */
static int install_rules_nft(const struct nc_scenario *scn, struct nc_host *host, int i)
{
	struct nc_nft_rule *rules = calloc(scn->n_faults + 1, sizeof(*rules));
	size_t n_rules = 0;
	int err;

	if (!rules)
		return set_error(-ENOMEM, "host %s: out of memory", host->name);
	for (size_t f = 0; f < scn->n_faults; f++)
		if (scn->faults[f].host == i) {
			rules[n_rules].fault = &scn->faults[f].rule;
			rules[n_rules++].id = scn->faults[f].id;
		}
	err = n_rules ? nc_nft_add(rules, n_rules) : 0;
	free(rules);
	if (n_rules && nc_fw_nft_refused(err))
		return 0;
	return err < 0 ? set_error(err, "host %s: nf_tables: %s", host->name, strerror(-err)) : 1;
}

/* The rest of host i, from inside it: lo, its netlink socket, no DAD, its
 * plain sysctls, and its rules (or the restore of the family not started
 * yet). */
static int setup_host(const struct nc_scenario *scn, struct nc_net *net, int i,
		      int started_family, struct restore_job *jobs, size_t *n_jobs)
{
	struct nc_host *host = &net->hosts[i];
	int err, nft_done = 0;

	if (!started_family && nc_fw_nft_enabled()) {
		nft_done = install_rules_nft(scn, host, i);
		if (nft_done < 0)
			return nft_done;
	}
	for (size_t f = 0; !nft_done && f < 2; f++) {
		char *script;

		if (families[f] == started_family || !(script = build_script(scn, i, families[f])))
			continue;
		jobs[*n_jobs].host = host->name;
		jobs[*n_jobs].family = families[f];
		err = nc_fw_spawn(families[f], false, script, &jobs[*n_jobs].job);
		free(script);
		if (err < 0)
			return set_error(err, "host %s: %s: %s", host->name,
					 family_tool(families[f]), strerror(-err));
		(*n_jobs)++;
	}
	err = nc_loopback_up();
	if (err < 0)
		return set_error(err, "host %s: lo up: %s", host->name, strerror(-err));
	err = nc_rtnl_open(&host->rtnl);
	if (err < 0)
		return set_error(err, "host %s: netlink: %s", host->name, strerror(-err));
	/* No DAD for link-local addresses either, as for the scenario's (nodad):
	 * no address of a host stays tentative for a second after the build.
	 * Before the scenario's sysctls, which may say otherwise.  A scenario
	 * without IPv6 addresses has no IPv6 traffic to hold up. */
	for (size_t d = 0; uses_ipv6(scn) && d < sizeof(no_dad) / sizeof(no_dad[0]); d++) {
		err = nc_sysctl_write_here(no_dad[d], "0");
		if (err < 0 && err != -ENOENT)	/* ENOENT: no IPv6 in this kernel */
			return set_error(err, "host %s: %s: %s", host->name, no_dad[d],
					 strerror(-err));
	}
	return write_sysctls(scn, i, false);
}

/* Makes every host.  Leaves the thread in one of them.  Namespaces are made
 * one after the other: the kernel serializes their creation anyway (two in
 * parallel take longer than two in a row), so what runs beside this thread
 * is the restores' exec and start-up. */
static int make_hosts(const struct nc_scenario *scn, struct nc_net *net,
		      struct restore_job *jobs, size_t *n_jobs)
{
	int *socks = calloc(scn->n_hosts, sizeof(*socks)), err = 0;

	if (!socks)
		return -ENOMEM;
	for (size_t i = 0; i < scn->n_hosts; i++)
		socks[i] = -1;
	/* iptables-restore: hosts with rules made by the child that goes on to
	 * run the restore */
	for (size_t i = 0; i < scn->n_hosts && !err && !nc_fw_nft_enabled(); i++)
		if (first_rule_family(scn, (int)i))
			err = start_host_with_rules(scn, net, (int)i, jobs, n_jobs, &socks[i]);
	for (size_t i = 0; i < scn->n_hosts; i++) {
		struct nc_host *host = &net->hosts[i];

		if (socks[i] < 0)
			continue;
		host->ns_fd = nc_fw_receive_netns(socks[i]);
		socks[i] = -1;
		if (err)
			continue;	/* still collect the others' namespaces */
		if (host->ns_fd < 0)
			err = set_error(host->ns_fd, "host %s: the restore child made no namespace "
					"(%s)", host->name, strerror(-host->ns_fd));
		else if (setns(host->ns_fd, CLONE_NEWNET) < 0)
			err = set_error(-errno, "host %s: setns: %s", host->name, strerror(errno));
		else
			err = setup_host(scn, net, (int)i, first_rule_family(scn, (int)i), jobs,
					 n_jobs);
	}
	/* the others here, while the restores start */
	for (size_t i = 0; i < scn->n_hosts && !err; i++) {
		struct nc_host *host = &net->hosts[i];

		if (host->ns_fd >= 0)
			continue;
		if (unshare(CLONE_NEWNET) < 0) {
			err = set_error(-errno, "host %s: unshare(CLONE_NEWNET): %s", host->name,
					strerror(errno));
			break;
		}
		host->ns_fd = open_netns_here();
		if (host->ns_fd < 0)
			err = set_error(host->ns_fd, "host %s: /proc/thread-self/ns/net: %s",
					host->name, strerror(-host->ns_fd));
		else
			err = setup_host(scn, net, (int)i, 0, jobs, n_jobs);
	}
	free(socks);
	return err;
}

/* The scenario's addresses of host (on ifname only, if not NULL).  Put back
 * after a link went down, an address still there is no error. */
static int add_addrs(struct nc_net *net, int host_index, const char *ifname)
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
			return set_error(err, "%s:%d: addr %s dev %s %s: %s", net->path, a->line,
					 host->name, a->ifname, a->cidr, strerror(-err));
	}
	return 0;
}

static int add_routes(struct nc_net *net, int host_index)
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
			return set_error(err, "%s:%d: route %s %s: %s", net->path, r->line,
					 host->name, r->dest, strerror(-err));
	}
	return 0;
}

/* Until the IPv6 addresses of host answer neighbour solicitations. */
static int wait_addrs(struct nc_net *net, int host_index)
{
	struct nc_host *host = &net->hosts[host_index];
	int err = nc_ipv6_wait_ready(host->rtnl, LINK_DEADLINE_MS);

	if (err < 0)
		return set_error(err, "host %s: IPv6 addresses not usable: %s", host->name,
				 strerror(-err));
	return 0;
}

static int build(const struct nc_scenario *scn, struct nc_net *net, int home,
		 struct restore_job *jobs, size_t *n_jobs)
{
	int err;

	err = make_hosts(scn, net, jobs, n_jobs);
	if (err < 0)
		return err;
	if (setns(home, CLONE_NEWNET) < 0)
		return set_error(-errno, "setns back: %s", strerror(errno));

	for (size_t i = 0; i < scn->n_links; i++) {
		const struct nc_scn_link *l = &scn->links[i];
		struct nc_host *a = &net->hosts[l->host_a], *b = &net->hosts[l->host_b];

		int peer;

		err = nc_veth_add(a->rtnl, b->name, a->name, b->ns_fd);
		if (err >= 0) {
			peer = nc_host_ifindex(b, a->name);
			err = peer < 0 ? peer : nc_link_updown(b->rtnl, peer, true);
		}
		if (err < 0)
			return set_error(err, "%s:%d: link veth %s %s: %s", scn->path, l->line,
					 a->name, b->name, strerror(-err));
	}
	for (size_t i = 0; i < scn->n_hosts; i++) {
		int saved;

		if (!host_has_interface_sysctls(scn, (int)i))
			continue;
		err = nc_ns_visit(net->hosts[i].ns_fd, &saved);
		if (err < 0)
			return set_error(err, "host %s: setns: %s", net->hosts[i].name,
					 strerror(-err));
		err = write_sysctls(scn, (int)i, true);
		nc_ns_return(saved);
		if (err < 0)
			return err;
	}
	for (size_t i = 0; i < net->n_hosts; i++) {
		err = add_addrs(net, (int)i, NULL);
		if (err >= 0)
			err = add_routes(net, (int)i);
		if (err < 0)
			return err;
	}
	for (size_t i = 0; i < scn->n_netems; i++) {
		const struct nc_scn_netem *ne = &scn->netems[i];
		struct nc_host *host = &net->hosts[ne->host];
		int ifindex = nc_host_ifindex(host, ne->ifname);

		err = ifindex < 0 ? ifindex : nc_netem_apply(host->rtnl, ifindex, &ne->netem);
		if (err < 0)
			return set_error(err, "%s:%d: netem %s %s: %s", scn->path, ne->line,
					 host->name, ne->ifname, strerror(-err));
	}
	/* Last, so that linkwatch had the time of the steps above. */
	for (size_t i = 0; i < scn->n_links; i++) {
		const struct nc_scn_link *l = &scn->links[i];
		struct nc_host *end[2] = { &net->hosts[l->host_a], &net->hosts[l->host_b] };

		for (int e = 0; e < 2; e++) {
			const char *ifname = end[1 - e]->name;
			int ifindex = nc_host_ifindex(end[e], ifname);

			err = ifindex < 0 ? ifindex
					  : nc_link_wait_running(end[e]->rtnl, ifindex,
								 LINK_DEADLINE_MS);
			if (err < 0)
				return set_error(err, "%s:%d: link veth: %s in %s is not running: %s",
						 scn->path, l->line, ifname, end[e]->name,
						 strerror(-err));
		}
	}
	for (size_t i = 0; uses_ipv6(scn) && i < net->n_hosts; i++) {
		err = wait_addrs(net, (int)i);
		if (err < 0)
			return err;
	}
	for (size_t i = 0; i < scn->n_faults; i++) {
		const struct nc_scn_fault *f = &scn->faults[i];

		err = add_fault_entry(&net->hosts[f->host], f->id, &f->rule);
		if (err < 0)
			return err;
	}
	net->last_fault_id = (int)scn->n_faults;
	return 0;
}

int nc_net_build(const struct nc_scenario *scn, struct nc_net **out, const char **missing)
{
	struct restore_job *jobs = NULL;
	struct nc_net *net = NULL;
	size_t n_jobs = 0;
	int home, err;

	*out = NULL;
	if (missing)
		*missing = NULL;
	last_error[0] = '\0';
	if (nc_scenario_needs_netem(scn) && !nc_netem_available()) {
		if (missing)
			*missing = "sch_netem (CONFIG_NET_SCH_NETEM)";
		return set_error(-EOPNOTSUPP, "%s: netem: this kernel has no sch_netem",
				 scn->path);
	}
	home = open_netns_here();
	if (home < 0)
		return set_error(home, "/proc/thread-self/ns/net: %s", strerror(-home));
	net = calloc(1, sizeof(*net));
	jobs = calloc(2 * scn->n_hosts, sizeof(*jobs));
	if (!net || !jobs || !(net->hosts = calloc(scn->n_hosts, sizeof(*net->hosts)))) {
		err = -ENOMEM;
		goto out;
	}
	net->n_hosts = scn->n_hosts;
	net->path = strdup(scn->path);
	net->addrs = malloc((scn->n_addrs + 1) * sizeof(*net->addrs));
	net->routes = malloc((scn->n_routes + 1) * sizeof(*net->routes));
	if (!net->path || !net->addrs || !net->routes) {
		err = -ENOMEM;
		goto out;
	}
	if (scn->n_addrs)	/* memcpy from NULL is undefined, even of 0 bytes */
		memcpy(net->addrs, scn->addrs, scn->n_addrs * sizeof(*net->addrs));
	net->n_addrs = scn->n_addrs;
	if (scn->n_routes)
		memcpy(net->routes, scn->routes, scn->n_routes * sizeof(*net->routes));
	net->n_routes = scn->n_routes;
	for (size_t i = 0; i < scn->n_hosts; i++) {
		net->hosts[i].net = net;
		net->hosts[i].ns_fd = -1;
		strcpy(net->hosts[i].name, scn->hosts[i].name);
	}
	err = build(scn, net, home, jobs, &n_jobs);
out:
	if (setns(home, CLONE_NEWNET) < 0 && !err)
		err = set_error(-errno, "setns back: %s", strerror(errno));
	close(home);
	/* rules are in force once every restore has exited 0 */
	if (n_jobs) {
		int job_err = finish_jobs(jobs, n_jobs);

		if (!err)
			err = job_err;
	}
	free(jobs);
	if (err < 0) {
		nc_net_free(net);
		return err;
	}
	*out = net;
	return 0;
}

/* --- Hosts at run time --- */

int nc_host_enter(struct nc_host *host)
{
	if (!host)
		return -EINVAL;
	return setns(host->ns_fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

pid_t nc_host_spawn(struct nc_host *host, int (*fn)(void *arg), void *arg)
{
	pid_t pid;

	if (!host || !fn)
		return -EINVAL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (setns(host->ns_fd, CLONE_NEWNET) < 0)
			_exit(127);
		_exit(fn(arg));
	}
	return pid;
}

int nc_sysctl_set(struct nc_host *host, const char *name, const char *value)
{
	char why[200];
	int saved, err;

	if (!host || !name || !value)
		return -EINVAL;
	if (!nc_sysctl_known(name))
		return set_error(-EPERM, "sysctl %s: not in the table of lib/sysctl.c", name);
	if (nc_sysctl_check(name, value, why, sizeof(why)) < 0)
		return set_error(-EINVAL, "sysctl: %s", why);
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0)
		return err;
	err = nc_sysctl_write_here(name, value);
	nc_ns_return(saved);
	return err;
}

int nc_sysctl_get(struct nc_host *host, const char *name, char *buf, size_t size)
{
	int saved, err;

	if (!host || !name || !buf)
		return -EINVAL;
	if (!nc_sysctl_known(name))
		return -EPERM;
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0)
		return err;
	err = nc_sysctl_read_here(name, buf, size);
	nc_ns_return(saved);
	return err;
}

int nc_link_set_up(struct nc_host *host, const char *ifname, bool up)
{
	int ifindex, err, host_index;

	if (!host || !ifname)
		return -EINVAL;
	ifindex = nc_host_ifindex(host, ifname);
	if (ifindex < 0)
		return ifindex;
	err = nc_link_updown(host->rtnl, ifindex, up);
	if (err < 0 || !up)
		return err;
	/* Going down, the kernel dropped the IPv6 addresses of the link
	 * (keep_addr_on_down is 0) and the routes through it: put the
	 * scenario's back.  Then it is usable when the call returns, both
	 * ends. */
	host_index = (int)(host - host->net->hosts);
	err = add_addrs(host->net, host_index, ifname);
	if (err >= 0)
		err = add_routes(host->net, host_index);
	if (err >= 0)
		err = nc_link_wait_running(host->rtnl, ifindex, LINK_DEADLINE_MS);
	for (size_t i = 0; !err && i < host->net->n_hosts; i++) {
		struct nc_host *peer = &host->net->hosts[i];

		if (peer == host || strcmp(peer->name, ifname) != 0)
			continue;
		ifindex = nc_host_ifindex(peer, host->name);
		if (ifindex > 0)
			err = nc_link_wait_running(peer->rtnl, ifindex, LINK_DEADLINE_MS);
	}
	return err < 0 ? err : wait_addrs(host->net, host_index);
}

/* --- Faults at run time --- */

static struct nc_fault_entry *find_fault(struct nc_host *host, int id)
{
	for (struct nc_fault_entry *e = host->faults; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

/* "-A" or "-D" the rule in each of its families, all in one go. */
static int apply_rule(struct nc_host *host, const char *op, const struct nc_fault *rule,
		      int id, unsigned *done)
{
	struct restore_job jobs[2];
	size_t n_jobs = 0;
	int saved, err;

	*done = 0;
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0)
		return err;
	if (nc_fw_nft_enabled()) {	/* one transaction, both families */
		struct nc_nft_rule nft_rule = { rule, id };

		err = op[1] == 'A' ? nc_nft_add(&nft_rule, 1) : nc_nft_del(id);
		if (!nc_fw_nft_refused(err)) {
			nc_ns_return(saved);
			if (err < 0)
				return set_error(err, "host %s: nf_tables: %s", host->name,
						 strerror(-err));
			*done = rule->families;
			return 0;
		}
		err = 0;	/* the kernel has no nf_tables: iptables-restore */
	}
	for (size_t f = 0; f < 2 && !err; f++) {
		char line[512], script[600];

		if (!(rule->families & family_bit(families[f])))
			continue;
		err = nc_fault_render(rule, families[f], id, line, sizeof(line));
		if (err < 0)
			break;
		snprintf(script, sizeof(script), "*filter\n%s %s\nCOMMIT\n", op, line);
		jobs[n_jobs].host = host->name;
		jobs[n_jobs].family = families[f];
		err = nc_fw_spawn(families[f], false, script, &jobs[n_jobs].job);
		if (err < 0)
			set_error(err, "host %s: %s: %s", host->name, family_tool(families[f]),
				  strerror(-err));
		else
			n_jobs++;
	}
	nc_ns_return(saved);
	for (size_t j = 0; j < n_jobs; j++) {
		int job_err = finish_jobs(&jobs[j], 1);

		if (job_err < 0 && !err)
			err = job_err;
		if (job_err == 0)
			*done |= family_bit(jobs[j].family);
	}
	return err;
}

int nc_fault_add(struct nc_host *host, const char *text)
{
	struct nc_fault rule;
	char why[200];
	unsigned done;
	int id, err;

	if (!host || !text)
		return -EINVAL;
	if (nc_fault_parse(text, &rule, why, sizeof(why)) < 0)
		return set_error(-EINVAL, "fault %s: %s", text, why);
	id = ++host->net->last_fault_id;
	err = apply_rule(host, "-A", &rule, id, &done);
	if (err < 0) {
		if (done) {	/* one family made it: take it back */
			struct nc_fault partial = rule;
			unsigned undone;

			partial.families = done;
			apply_rule(host, "-D", &partial, id, &undone);
		}
		return err;
	}
	err = add_fault_entry(host, id, &rule);
	return err < 0 ? err : id;
}

int nc_fault_del(struct nc_host *host, int id)
{
	struct nc_fault_entry *entry, **link;
	unsigned done;
	int err;

	if (!host)
		return -EINVAL;
	entry = find_fault(host, id);
	if (!entry)
		return -ENOENT;
	err = apply_rule(host, "-D", &entry->rule, id, &done);
	if (err < 0)
		return err;
	for (link = &host->faults; *link != entry; link = &(*link)->next)
		;
	*link = entry->next;
	free(entry);
	return 0;
}

int nc_fault_packets(struct nc_host *host, int id, uint64_t *packets)
{
	enum { SAVE_SIZE = 256 * 1024 };
	struct nc_fault_entry *entry;
	struct restore_job jobs[2];
	size_t n_jobs = 0;
	char *output;
	int saved, err;

	if (!host || !packets)
		return -EINVAL;
	*packets = 0;
	entry = find_fault(host, id);
	if (!entry)
		return -ENOENT;
	err = nc_ns_visit(host->ns_fd, &saved);
	if (err < 0)
		return err;
	if (nc_fw_nft_enabled()) {	/* the rules' counters, one dump */
		err = nc_nft_packets(id, packets);
		nc_ns_return(saved);
		return err;
	}
	for (size_t f = 0; f < 2 && !err; f++) {
		if (!(entry->rule.families & family_bit(families[f])))
			continue;
		jobs[n_jobs].host = host->name;
		jobs[n_jobs].family = families[f];
		err = nc_fw_spawn(families[f], true, NULL, &jobs[n_jobs].job);
		if (!err)
			n_jobs++;
	}
	nc_ns_return(saved);
	output = malloc(SAVE_SIZE);
	for (size_t j = 0; j < n_jobs; j++) {
		unsigned long long count = 0;
		int job_err = output ? nc_fw_wait(&jobs[j].job, output, SAVE_SIZE)
				     : nc_fw_wait(&jobs[j].job, NULL, 0);

		if (!job_err && output)
			job_err = nc_fw_counter(output, id, &count);
		if (job_err < 0 && !err)
			err = job_err;
		*packets += count;
	}
	if (!output && !err)
		err = -ENOMEM;
	free(output);
	return err;
}

/* --- netem --- */

bool nc_netem_available(void)
{
	static int available = -1;	/* unknown */
	int status;
	pid_t pid;

	if (available >= 0)
		return available;
	/* Try it where it changes nothing: on lo of a namespace of our own. */
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		struct nc_netem probe = { .delay_us = 1000 };
		struct nl_sock *sk;

		if (unshare(CLONE_NEWNET) < 0 || nc_rtnl_open(&sk) < 0)
			_exit(2);
		_exit(nc_netem_apply(sk, 1, &probe) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	available = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return available;
}

int nc_netem_set(struct nc_host *host, const char *ifname, const char *spec)
{
	struct nc_netem netem;
	char why[200];
	int ifindex;

	if (!host || !ifname || !spec)
		return -EINVAL;
	if (nc_netem_parse(spec, &netem, why, sizeof(why)) < 0)
		return set_error(-EINVAL, "netem %s: %s", spec, why);
	if (!nc_netem_available())
		return -EOPNOTSUPP;
	ifindex = nc_host_ifindex(host, ifname);
	return ifindex < 0 ? ifindex : nc_netem_apply(host->rtnl, ifindex, &netem);
}
