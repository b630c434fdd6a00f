/* A check's confinement: what its body can do to the host's files and
 * kernel settings, the same whether the run is root or not (README
 * "Reliability").  nc_sandbox_fork() gives the check's pid 1 its own pid and
 * mount namespaces; there:
 *
 *   nc_confine_prepare() makes every mount it inherited read-only and
 *   nosuid (a body writes only to what it mounts itself: its tmpfs, its
 *   hermetic /etc files) and mounts /proc of its own pid namespace;
 *
 *   nc_confine_spawn() then runs the body in a task of its own, in a user
 *   namespace of its own with network and mount namespaces it
 *   owns: the read-only mounts are locked there, and its root is no user of
 *   the host's (as root: uids 0..65535 are host uids from
 *   NC_CONFINED_ID_BASE on; rootless: the caller's uid, as before), so
 *   /etc/shadow, root-only directories and the global (non-net.) sysctls
 *   are closed to it, while net.* of its own network namespace stay its.
 *   The runner writes its maps (nc_confine_map).
 *
 * A device node needs CAP_MKNOD in the host's user namespace, which no
 * check has. */
#ifndef NC_CONFINE_H
#define NC_CONFINE_H

#include <sys/types.h>

/* 0x70000000: above systemd's container uid range (0x00080000..0x6fffffff)
 * and below its foreign range; no file or process of a host has it. */
#define NC_CONFINED_ID_BASE 1879048192u

/* Returns 0 or -errno with an nc_error() message. */
int nc_confine_prepare(void);
/* What the body and the runner talk over: the runner's /proc (open
 * before nc_confine_prepare() mounted the check's own), where the body
 * reads its pid as the runner knows it; the pipe it says that on, once in
 * its user namespace; the pipe it waits on for its maps. */
struct nc_confine_fds {
	int runner_proc;
	int ready;
	int go;
};

/* The body: err is 0 when it is confined, or -errno (with an nc_error()
 * message) when not.  Never returns. */
typedef void nc_confine_body_fn(void *arg, int err);

/* pid 1's side, after nc_confine_prepare(): runs body in a task of its own
 * that shares the caller's memory while the caller sleeps, until the task
 * is gone (a fork would copy, and fault in again, the whole program for
 * every check).  The task says on fds->ready that it is in its user
 * namespace, waits on fds->go for its maps, becomes their root and makes
 * its network and mount namespaces; then body(arg, err).  Returns the
 * task's pid, to be reaped, or -errno with an nc_error() message. */
pid_t nc_confine_spawn(nc_confine_body_fn *body, void *arg, const struct nc_confine_fds *fds);
/* Maps the bodies' stack now (nc_confine_spawn() does, when not yet): in
 * the process that forks the checks, each check inherits it mapped and
 * frees it with everything else when it exits.  0 or -errno. */
int nc_confine_reserve(void);
/* The runner's side, once ready_fd polls readable: the body is in its
 * user namespace (or gone); writes its maps and tells it on go_fd.  Returns
 * 0 or -errno with an nc_error() message. */
int nc_confine_map(int ready_fd, int go_fd);

#endif
