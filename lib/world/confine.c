/* A check's confinement (lib/world/confine.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine.h"
#include "error.h"
#include "file.h"
#include "sandbox.h"

/* Whether this user namespace maps the whole uid range (the run is root). */
static bool maps_whole_range(void)
{
	char map[128];
	unsigned inside, outside, count;

	return nc_file_read("/proc/self/uid_map", map, sizeof(map)) > 0 &&
	       sscanf(map, "%u %u %u", &inside, &outside, &count) == 3 &&
	       inside == 0 && outside == 0 && count == 4294967295u;
}

/* Every inherited mount read-only and nosuid.  Where mount_setattr() is
 * missing (before 5.12, gVisor), mount by mount from mountinfo. */
static int remount_read_only(void)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID };
	char line[4096], point[4096];
	FILE *mounts;
	int err = 0;

	if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof(attr)) == 0)
		return 0;
	if (errno != ENOSYS)
		return nc_error(-errno, "confine: mount_setattr(/, read-only)");
	mounts = fopen("/proc/self/mountinfo", "re");
	if (!mounts)
		return nc_error(-errno, "confine: /proc/self/mountinfo");
	while (!err && fgets(line, sizeof(line), mounts))
		/* field 5 is the mount point; a mount whose nodev and noexec are
		 * locked (it came from a more privileged namespace) keeps them */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 &&
		    mount(NULL, point, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) < 0 &&
		    mount(NULL, point, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID |
			  MS_NODEV | MS_NOEXEC, NULL) < 0)
			err = nc_error(-errno, "confine: remount %s read-only", point);
	fclose(mounts);
	return err;
}

int nc_confine_prepare(void)
{
	int err = remount_read_only();

	if (err < 0)
		return err;
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return nc_error(-errno, "confine: mount /proc of the check's pid namespace");
	/* The run's supplementary groups (root's) do not go to the body. */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return nc_error(-errno, "confine: setgroups");
	return 0;
}

/* The child's side: waits for its maps, becomes their root. */
static int become_confined(int ready_fd, int go_fd)
{
	char byte = 'x';

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) < 0)
		return nc_error(-errno, "confine: unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS)");
	if (write(ready_fd, &byte, 1) != 1 || read(go_fd, &byte, 1) != 1)
		return nc_error(-EPIPE, "confine: the maps were not written");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return nc_error(-errno, "confine: become the namespace's root");
	/* Changed credentials cleared both: the body still dies with its
	 * parent, and its /proc/self files are still its own. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_DUMPABLE, 1) < 0)
		return nc_error(-errno, "confine: prctl");
	return nc_loopback_up() < 0 ? nc_error(-errno, "confine: lo up") : 0;
}

/* The parent's side: the child's maps, once it is in its namespace. */
static int map_child(pid_t child, int ready_fd, int go_fd)
{
	bool root = maps_whole_range();
	char map[64], path[64], byte;
	int err = read(ready_fd, &byte, 1) == 1 ? 0 : -EPIPE;

	snprintf(map, sizeof(map), root ? "0 %u 65536" : "0 0 1", NC_CONFINED_ID_BASE);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)child);
	if (!err)
		err = nc_file_write(path, map, false);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)child);
	if (!err)
		err = nc_file_write(path, map, false);
	if (!err && write(go_fd, "x", 1) != 1)
		err = -errno;
	return err < 0 ? nc_error(err, "confine: the body's user namespace (%s)", map) : 0;
}

pid_t nc_confine_fork(int *child_err)
{
	int ready[2], go[2], err;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return nc_error(-errno, "confine: pipe");
	if (pipe2(go, O_CLOEXEC) < 0) {
		err = -errno;
		close(ready[0]);
		close(ready[1]);
		return nc_error(err, "confine: pipe");
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		*child_err = become_confined(ready[1], go[0]);
		close(ready[1]);
		close(go[0]);
		return 0;
	}
	close(ready[1]);
	close(go[0]);
	err = pid < 0 ? nc_error(-errno, "confine: fork") : map_child(pid, ready[0], go[1]);
	close(ready[0]);
	close(go[1]);
	if (err < 0 && pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return err < 0 ? err : pid;
}
