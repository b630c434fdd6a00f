/* Namespaces that make a run harmless to the host.  Nothing here is named
 * (no /run/netns, no bind mounts of ns files): every namespace lives exactly
 * as long as the processes in it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/socket.h>

#include "error.h"
#include "file.h"
#include "forced.h"
#include "sandbox.h"
#include "topology.h"

/* lo through netlink, where the flags ioctl is missing. */
static int loopback_up_netlink(void)
{
	struct nl_sock *rtnl;
	int err = nc_rtnl_open(&rtnl);

	if (err < 0)
		return err;
	err = nc_link_updown(rtnl, (int)if_nametoindex("lo"), true);
	nl_socket_free(rtnl);
	return err;
}

/* Never a flags ioctl on a link already up: gVisor's lo is up in a new
 * network namespace and its SIOCSIFFLAGS is ENOTTY. */
int nc_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (nc_forced_missing("ifflags") || ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			err = nc_forced_missing("ifflags") ? -ENOTTY : -errno;
		if (err == -ENOTTY || err == -EOPNOTSUPP)
			err = loopback_up_netlink();
	}
	close(fd);
	return err;
}

/* A mapping of the whole uid range may only be written from the parent user
 * namespace, so a child that stays there writes it for us (as newuidmap does). */
static int map_whole_range(void)
{
	int go[2], status;
	pid_t writer;
	char path[64];
	int err = 0;

	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	writer = fork();
	if (writer < 0) {
		err = -errno;
		close(go[0]);
		close(go[1]);
		return err;
	}
	if (writer == 0) {
		char byte;
		pid_t target = getppid();

		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(1);
		snprintf(path, sizeof(path), "/proc/%d/uid_map", target);
		if (nc_file_write(path, "0 0 4294967295", false) < 0)
			_exit(2);
		snprintf(path, sizeof(path), "/proc/%d/gid_map", target);
		if (nc_file_write(path, "0 0 4294967295", false) < 0)
			_exit(3);
		_exit(0);
	}
	close(go[0]);
	if (unshare(CLONE_NEWUSER) < 0)
		err = -errno;
	if (write(go[1], "x", 1) != 1 && !err)
		err = -errno;
	close(go[1]);
	if (waitpid(writer, &status, 0) < 0 && !err)
		err = -errno;
	else if (!err && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		err = -EPERM;
	return err;
}

static int map_self(uid_t uid, gid_t gid)
{
	char map[64];
	int err;

	if (unshare(CLONE_NEWUSER) < 0)
		return -errno;
	err = nc_file_write("/proc/self/setgroups", "deny", false);
	if (err < 0)
		return err;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	err = nc_file_write("/proc/self/uid_map", map, false);
	if (err < 0)
		return err;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	return nc_file_write("/proc/self/gid_map", map, false);
}

int nc_sandbox_enter(struct nc_sandbox_info *info)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int err;

	err = uid == 0 ? map_whole_range() : map_self(uid, gid);
	if (err < 0)
		return nc_error(err, "sandbox: user namespace (uid %u mapped to root)",
				(unsigned)uid);
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
		return nc_error(-errno, "sandbox: unshare(CLONE_NEWNET | CLONE_NEWNS)");
	/* Mounts made for one check (hermetic /etc files) never reach the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return nc_error(-errno, "sandbox: make / private");
	if (info) {
		info->root = uid == 0;
		info->mode = uid == 0 ? "root, user+net+mount namespaces"
				      : "unprivileged, user+net+mount namespaces";
	}
	return nc_loopback_up();
}

/* The check's network namespace comes from nc_confine_fork() (confine.h). */
static const unsigned long child_namespaces = CLONE_NEWPID | CLONE_NEWNS;

/* clone3() with a pidfd, or -1 with errno. */
static long clone3_pidfd(int *pidfd)
{
	struct clone_args args = {
		.flags = child_namespaces | CLONE_PIDFD,
		.pidfd = (unsigned long)pidfd,
		.exit_signal = SIGCHLD,
	};

	if (nc_forced_missing("pidfd") || nc_forced_missing("clone3")) {
		errno = ENOSYS;
		return -1;
	}
	return syscall(SYS_clone3, &args, sizeof(args));
}

/* Without clone3's pidfd (gVisor: EINVAL; old kernels: ENOSYS), clone()
 * and pidfd_open(); without pidfd_open() either (gVisor: ENOSYS), the read
 * end of a pipe whose write end only the child's namespace holds: it reads
 * end of file once pid 1 and, with it, every process of the check is gone. */
static long clone_exit_fd(int *exit_fd)
{
	int ends[2];
	long pid;

	if (pipe2(ends, O_CLOEXEC) < 0)
		return -1;
	/* fork() with namespaces; no fork handlers run, and the runner forks
	 * from its one thread, so none is needed */
	pid = syscall(SYS_clone, child_namespaces | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		close(ends[0]);
		/* kept across exec: a body the child execs holds it too */
		fcntl(ends[1], F_SETFD, 0);
		return 0;
	}
	close(ends[1]);
	if (pid < 0) {
		close(ends[0]);
		return -1;
	}
	*exit_fd = nc_forced_missing("pidfd") ? -1 : (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (*exit_fd >= 0)
		close(ends[0]);
	else
		*exit_fd = ends[0];
	return pid;
}

pid_t nc_sandbox_fork(int *exit_fd)
{
	static bool no_clone3_pidfd;
	long pid = -1;

	if (!no_clone3_pidfd) {
		pid = clone3_pidfd(exit_fd);
		if (pid < 0 && (errno == EINVAL || errno == ENOSYS || errno == E2BIG))
			no_clone3_pidfd = true;
	}
	if (no_clone3_pidfd)
		pid = clone_exit_fd(exit_fd);
	if (pid < 0)
		return nc_error(-errno, "sandbox: clone(CLONE_NEWPID | CLONE_NEWNS)");
	if (pid > 0)
		return (pid_t)pid;
	/* The child is pid 1 of its namespace: when it dies, all in it die;
	 * and it dies with the runner, even a runner killed by SIGKILL. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(111);
	return 0;
}

void nc_sandbox_kill(pid_t pid, int exit_fd)
{
	/* pid is not reaped yet, so it still names the child */
	if (syscall(SYS_pidfd_send_signal, exit_fd, SIGKILL, NULL, 0) < 0)
		kill(pid, SIGKILL);
}
