/* What a check declares it needs (struct nc_check's .needs), checked
 * before its body runs: a missing one makes the check a skip that names
 * it, as LTP's .needs_* do, instead of a skip from wherever the body first
 * meets the lack. */
#ifndef NC_NEEDS_H
#define NC_NEEDS_H

#include <stddef.h>

/* needs: words of
 *   sock_diag     NETLINK_SOCK_DIAG (TCP states of sockets the check holds none of)
 *   nf_tables     the fault rules of scenarios (DROP, REJECT)
 *   veth          links between the scenario's hosts
 *   route_types   blackhole, unreachable and prohibit routes
 *   ipv6          AF_INET6 sockets
 *   sysctl:NAME   a sysctl of lib/world/sysctl.c's table the check writes
 * each also missing when NC_FORCE_MISSING names it (lib/base/forced.h).
 * Returns 0 when this system has them all, 1 with the first missing one's
 * reason in reason ("needs sock_diag, which this kernel has none of"), or
 * -EINVAL with what is wrong there for a word that names nothing. */
int nc_needs_missing(const char *needs, char *reason, size_t size);

#endif
