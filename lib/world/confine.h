/* A check's confinement: what its body can do to the host's files and
 * kernel settings, the same whether the run is root or not (README
 * "Reliability").  nc_sandbox_fork() gives the child its own pid, network
 * and mount namespaces; nc_confine() then, in that child:
 *
 *   - makes every mount it inherited read-only and nosuid (a check writes
 *     only to what it mounts itself: its tmpfs, its hermetic /etc files);
 *   - mounts /proc of its own pid namespace;
 *   - enters a user namespace of its own, with new network and mount
 *     namespaces it owns: the read-only mounts are locked there, and its
 *     root is no user of the host's (as root: uids 0..65535 are host uids
 *     from NC_CONFINED_ID_BASE on; rootless: the caller's uid, as before), so
 *     /etc/shadow, root-only directories and the global (non-net.) sysctls
 *     are closed to it, while net.* of its own network namespace stay its.
 *
 * A device node needs CAP_MKNOD in the host's user namespace, which no
 * check has.  Returns 0 or -errno with an nc_error() message. */
#ifndef NC_CONFINE_H
#define NC_CONFINE_H

/* 0x70000000: above systemd's container uid range (0x00080000..0x6fffffff)
 * and below its foreign range; no file or process of a host has it. */
#define NC_CONFINED_ID_BASE 1879048192u

int nc_confine(void);

/* unshare(CLONE_NEWUSER | flags) with the maps given ("0 0 4294967295"),
 * written by a child that stays in the caller's user namespace (as
 * newuidmap does: only there may a map name other ids than the caller's).
 * Returns 0 or -errno. */
int nc_userns_unshare(int flags, const char *uid_map, const char *gid_map);

#endif
