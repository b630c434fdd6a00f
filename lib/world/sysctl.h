/* The sysctls a scenario or a check may set: only per-network-namespace
 * ones, so that a write can never reach the host. */
#ifndef NC_SYSCTL_H
#define NC_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>

/* Whether name ("net.ipv4.tcp_syn_retries") is in the table. */
bool nc_sysctl_known(const char *name);
/* The interface a per-interface name ("net.ipv4.conf.s.rp_filter") is
 * about ("s", or "all", "default"), in buf; NULL for other names. */
const char *nc_sysctl_interface(const char *name, char *buf, size_t size);
/* name known and value well formed for it ("1", "32768 60999")?  Returns 0,
 * or -1 with what is wrong in err. */
int nc_sysctl_check(const char *name, const char *value, char *err, size_t errsize);

/* Through /proc/sys, in the calling thread's network namespace (a /proc/sys/net
 * file shows the namespace of whoever opens it).  Writing is -EOPNOTSUPP
 * when this system has the sysctl read-only (gVisor) or not at all. */
int nc_sysctl_write_here(const char *name, const char *value);
int nc_sysctl_read_here(const char *name, char *buf, size_t size);

#endif
