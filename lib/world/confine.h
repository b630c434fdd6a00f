/* A check's confinement: what its body can do to the host's files and
 * kernel settings, the same whether the run is root or not (README
 * "Reliability").  nc_sandbox_fork() gives the check's pid 1 its own pid and
 * mount namespaces; there:
 *
 *   nc_confine_prepare() makes every mount it inherited read-only and
 *   nosuid (a body writes only to what it mounts itself: its tmpfs, its
 *   hermetic /etc files) and mounts /proc of its own pid namespace;
 *
 *   nc_confine_fork() forks the process that runs the body, in a user
 *   namespace of its own with network and mount namespaces it owns: the
 *   read-only mounts are locked there, and its root is no user of the
 *   host's (as root: uids 0..65535 are host uids from NC_CONFINED_ID_BASE
 *   on; rootless: the caller's uid, as before), so /etc/shadow, root-only
 *   directories and the global (non-net.) sysctls are closed to it, while
 *   net.* of its own network namespace stay its.  pid 1 writes its maps.
 *
 * A device node needs CAP_MKNOD in the host's user namespace, which no
 * check has. */
#ifndef NC_CONFINE_H
#define NC_CONFINE_H

/* 0x70000000: above systemd's container uid range (0x00080000..0x6fffffff)
 * and below its foreign range; no file or process of a host has it. */
#define NC_CONFINED_ID_BASE 1879048192u

/* Returns 0 or -errno with an nc_error() message. */
int nc_confine_prepare(void);
/* As fork(): the child's pid, or 0 in the child, which then finds in
 * *child_err whether it is confined (0) or why not (-errno and a message);
 * -errno in the parent when it could not be made. */
pid_t nc_confine_fork(int *child_err);

#endif
