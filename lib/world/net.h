/* The network of one check: hosts (network namespaces), links, addresses,
 * routes, sysctls and faults, built in-process from a scenario (lib/scenario.h)
 * and torn down with the check's process.  All calls return 0 (or a
 * non-negative value) on success and -errno on failure; nothing prints.
 *
 * Hosts are network namespaces held open by descriptors of the check's own
 * process, never named under /run/netns: they die with the process.
 */
#ifndef NC_NET_H
#define NC_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sockaddr.h"

struct nc_scenario;
struct nc_net;
struct nc_host;

/* Builds scn in the calling process.  -EOPNOTSUPP when the scenario needs
 * something the kernel lacks (netem); *missing then names it. */
int nc_net_build(const struct nc_scenario *scn, struct nc_net **out,
		 const char **missing);
void nc_net_free(struct nc_net *net);
struct nc_host *nc_net_host(struct nc_net *net, const char *name);
/* What the last failing call of this thread was doing, for the edge to
 * print beside strerror(): "scenarios/x.scn:5: addr c dev s ...: File
 * exists", "host s: iptables-restore: line 2 failed".  "" if nothing. */
const char *nc_net_last_error(void);

/* Moves the calling thread into host's network namespace.  Sockets made
 * before keep their namespace, so a check can make a listener in "s", then
 * enter "c" and connect to it. */
int nc_host_enter(struct nc_host *host);
/* fork(); the child enters host, runs fn(arg) and exits with its return. */
pid_t nc_host_spawn(struct nc_host *host, int (*fn)(void *arg), void *arg);

int nc_sysctl_set(struct nc_host *host, const char *name, const char *value);
int nc_sysctl_get(struct nc_host *host, const char *name, char *buf, size_t size);

/* A fault as a scenario's "fault" line without the host, e.g.
 * "input tcp dport 9 reject tcp-reset".  In force when the call returns.
 * Returns a rule id >= 0.  The faults of the scenario itself have the ids
 * 1, 2, ... in the order of their lines (all hosts counted together); added
 * ones follow. */
int nc_fault_add(struct nc_host *host, const char *rule);
int nc_fault_del(struct nc_host *host, int rule_id);
/* Packets matched by a rule so far (both families' rules summed), read
 * read back from the host's rules in one netlink dump (lib/nftables.c), or
 * with iptables-save -c on the iptables-restore fallback. */
int nc_fault_packets(struct nc_host *host, int rule_id, uint64_t *packets);

/* Up: usable when the call returns, the scenario's addresses and routes on
 * it put back (the kernel drops IPv6 addresses and routes of a link that
 * goes down). */
int nc_link_set_up(struct nc_host *host, const char *ifname, bool up);

/* netem on a host's interface: "delay 100ms loss 10%"; -EOPNOTSUPP without
 * sch_netem.  nc_netem_available() answers without changing anything. */
int nc_netem_set(struct nc_host *host, const char *ifname, const char *spec);
bool nc_netem_available(void);

#endif
