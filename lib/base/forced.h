/* Capabilities a run can be told to do without, as if the system lacked
 * them: NC_FORCE_MISSING=pidfd,ifflags,... in the environment.  The one
 * place that reads it, so that every fallback of the sandbox and every skip
 * for a missing capability can be proved on a system that has it all
 * (tests/t_degrade.sh).  Names:
 *   pidfd          clone3(CLONE_PIDFD) and pidfd_open(): a pipe tells a
 *                  check's end instead
 *   clone3         clone3() itself: clone() instead
 *   ifflags        SIOCSIFFLAGS: netlink brings lo up instead
 *   sock_diag      NETLINK_SOCK_DIAG (the checks that read TCP states skip)
 *   sysctl:NAME    one read-only sysctl, e.g. sysctl:net.ipv4.tcp_syn_retries
 *   nf_tables, veth, route_types   the scenario features of that name */
#ifndef NC_FORCED_H
#define NC_FORCED_H

#include <stdbool.h>

/* True when NC_FORCE_MISSING names this capability. */
bool nc_forced_missing(const char *capability);

#endif
