/* Dropping privilege inside a check's child, for the errors only an
 * unprivileged caller sees (EPERM for SOCK_RAW, EACCES below port 1024).
 * Needs only the C library: the checks that include it build with musl too. */
#ifndef NC_PRIVILEGE_H
#define NC_PRIVILEGE_H

#include <linux/capability.h>	/* CAP_NET_RAW, ... */
#include <sys/types.h>

/* Removes caps (CAP_*) from the effective, permitted and inheritable sets
 * of the calling process for good.  Returns 0 or -errno. */
int nc_drop_caps(const int *caps, int n_caps);
/* Whether the calling process has cap in its effective set. */
int nc_has_cap(int cap);
/* Becomes uid/gid with no capabilities at all (setresuid after clearing
 * the supplementary groups).  Returns 0 or -errno. */
int nc_become_user(uid_t uid, gid_t gid);

#endif
