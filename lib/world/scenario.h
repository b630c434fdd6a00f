/* Scenario files (scenarios/NAME.scn, syntax in scenarios/README.md): the small
 * network a check runs in, as data.  A scenario is parsed and validated in
 * full before any namespace is made; lib/world/builder.h builds it.
 *
 * Messages are "file:line: what is wrong" and the parser never prints.
 */
#ifndef NC_SCENARIO_H
#define NC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "fault.h"
#include "netem.h"

/* A host name is also an interface name (the veth towards it), so it fits
 * in IFNAMSIZ. */
#define NC_NAME_SIZE 16
#define NC_CIDR_SIZE 64		/* "2001:db8:...:ffff/128" */
#define NC_SYSCTL_NAME_SIZE 128
#define NC_SYSCTL_VALUE_SIZE 64

struct nc_scn_host {
	char name[NC_NAME_SIZE];
	int line;
};

/* "link veth A B": in A the veth is named B, in B it is named A. */
struct nc_scn_link {
	int line;
	int host_a, host_b;		/* indexes into hosts */
};

struct nc_scn_addr {
	int line;
	int host;
	char ifname[NC_NAME_SIZE];	/* resolved: the host's only link, or "dev" */
	char cidr[NC_CIDR_SIZE];	/* "198.18.0.1/24" */
	int family;			/* AF_INET, AF_INET6 */
};

struct nc_scn_route {
	int line;
	int host;
	unsigned char type;		/* RTN_UNICAST, _UNREACHABLE, _PROHIBIT, _BLACKHOLE */
	int family;
	char dest[NC_CIDR_SIZE];	/* "203.0.113.0/24", "0.0.0.0/0" for default */
	char via[NC_CIDR_SIZE];		/* gateway, or "" */
	char ifname[NC_NAME_SIZE];	/* "dev", or "" (the kernel picks) */
};

struct nc_scn_sysctl {
	int line;
	int host;
	char name[NC_SYSCTL_NAME_SIZE];	/* dotted: "net.ipv4.tcp_syn_retries" */
	char value[NC_SYSCTL_VALUE_SIZE];
};

/* A fault's name is how a check finds it (lib/world/net_fault.h). */
#define NC_FAULT_NAME_SIZE 32

struct nc_scn_fault {
	int line;
	int host;
	char name[NC_FAULT_NAME_SIZE];	/* unique in the scenario */
	struct nc_fault rule;
};

struct nc_scn_netem {
	int line;
	int host;
	char ifname[NC_NAME_SIZE];
	struct nc_netem netem;
};

struct nc_scenario {
	char *path;			/* as given to load/parse: used in messages */
	struct nc_scn_host *hosts;
	size_t n_hosts;
	struct nc_scn_link *links;
	size_t n_links;
	struct nc_scn_addr *addrs;
	size_t n_addrs;
	struct nc_scn_route *routes;
	size_t n_routes;
	struct nc_scn_sysctl *sysctls;
	size_t n_sysctls;
	struct nc_scn_fault *faults;	/* in file order */
	size_t n_faults;
	struct nc_scn_netem *netems;
	size_t n_netems;
};

void nc_scenario_free(struct nc_scenario *scn);

bool nc_scenario_needs_netem(const struct nc_scenario *scn);
/* Index of the host called name, or -1. */
int nc_scenario_host(const struct nc_scenario *scn, const char *name);
/* Whether host has an interface called ifname: lo, or a veth named after
 * the peer of one of its links. */
bool nc_scenario_has_interface(const struct nc_scenario *scn, int host, const char *ifname);
/* How many links host has; *first (if not NULL) names the first one's peer. */
size_t nc_scenario_links(const struct nc_scenario *scn, int host, const char **first);

#endif
