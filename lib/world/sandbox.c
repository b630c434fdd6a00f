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

#include "error.h"
#include "file.h"
#include "sandbox.h"

int nc_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -errno;
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

pid_t nc_sandbox_fork(int *pidfd)
{
	struct clone_args args = {
		.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_PIDFD,
		.pidfd = (unsigned long)pidfd,
		.exit_signal = SIGCHLD,
	};
	long pid;

	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return nc_error(-errno, "sandbox: clone3(CLONE_NEWPID | CLONE_NEWNS)");
	if (pid > 0)
		return (pid_t)pid;
	/* The child is pid 1 of its namespace: when it dies, all in it die;
	 * and it dies with the runner, even a runner killed by SIGKILL. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(111);
	if (nc_loopback_up() < 0)
		_exit(112);
	return 0;
}
