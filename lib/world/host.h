/* What a check changes on a host of its network at run time: sysctls, a
 * link going down and up, netem.  Calls return 0 (or a non-negative value)
 * or a negative errno with an nc_error() message. */
#ifndef NC_HOST_H
#define NC_HOST_H

#include <stdbool.h>
#include <stddef.h>

struct nc_host;

/* Only the sysctls of lib/world/sysctl.c's table (per namespace). */
int nc_sysctl_set(struct nc_host *host, const char *name, const char *value);
int nc_sysctl_get(struct nc_host *host, const char *name, char *buf, size_t size);

/* Up: usable when the call returns, the scenario's addresses and routes on
 * it put back (the kernel drops IPv6 addresses and routes of a link that
 * goes down). */
int nc_link_set_up(struct nc_host *host, const char *ifname, bool up);

/* netem on a host's interface: "delay 100ms loss 10%"; -EOPNOTSUPP without
 * sch_netem (nc_netem_available(), lib/world/netem.h). */
int nc_netem_set(struct nc_host *host, const char *ifname, const char *spec);

#endif
