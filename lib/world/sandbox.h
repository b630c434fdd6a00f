/* The sandbox: fresh user, network and mount namespaces for the whole run,
 * and for each check a child in its own pid, network and mount namespaces
 * that dies, with everything it made, when it ends or the runner dies. */
#ifndef NC_SANDBOX_H
#define NC_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

struct nc_sandbox_info {
	bool root;		/* uid 0 outside: the whole uid range is mapped */
	const char *mode;	/* "root+userns" or "userns" */
};

/* Enters new user, network and mount namespaces (mounts made private), maps
 * the caller to root inside and brings lo up.  Returns 0 or -errno. */
int nc_sandbox_enter(struct nc_sandbox_info *info);

/* Forks a child in new pid and mount namespaces that is killed when the
 * caller dies; it gets its network namespace from nc_confine_enter()
 * (lib/world/confine.h).  Returns its pid (>0) in the
 * parent with *exit_fd, a descriptor that polls readable once the child is
 * gone (a pidfd, or a pipe's read end where there is none); 0 in the child;
 * -errno on failure. */
pid_t nc_sandbox_fork(int *exit_fd);

/* SIGKILL to a child of nc_sandbox_fork() not yet reaped. */
void nc_sandbox_kill(pid_t pid, int exit_fd);

/* Brings the loopback device of the current network namespace up. */
int nc_loopback_up(void);

#endif
