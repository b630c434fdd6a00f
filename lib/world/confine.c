/* A check's confinement (lib/world/confine.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "error.h"
#include "file.h"
#include "sandbox.h"
#include "sanitizer.h"

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

/* The body's side: says where it is (its pid as the runner's /proc names
 * it), gets a user namespace of its own whose maps the runner writes
 * (nc_confine_map), becomes its root and makes network and mount
 * namespaces that user namespace owns: the read-only mounts are locked
 * there. */
static int enter(const struct nc_confine_fds *fds)
{
	char self[32] = "";
	ssize_t n = readlinkat(fds->runner_proc, "self", self, sizeof(self) - 1);
	int pid = n > 0 ? atoi(self) : 0;
	char byte;

	if (pid <= 0)
		return nc_error(n < 0 ? -errno : -EINVAL, "confine: the runner's /proc/self");
	if (unshare(CLONE_NEWUSER) < 0)
		return nc_error(-errno, "confine: unshare(CLONE_NEWUSER)");
	if (write(fds->ready, &pid, sizeof(pid)) != sizeof(pid) || read(fds->go, &byte, 1) != 1)
		return nc_error(-EPIPE, "confine: the maps were not written");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return nc_error(-errno, "confine: become the namespace's root");
	/* Changed credentials cleared both: the body still dies with its
	 * parent, and its /proc/self files are still its own. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_DUMPABLE, 1) < 0)
		return nc_error(-errno, "confine: prctl");
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
		return nc_error(-errno, "confine: unshare(CLONE_NEWNET | CLONE_NEWNS)");
	return nc_loopback_up() < 0 ? nc_error(-errno, "confine: lo up") : 0;
}

/* AddressSanitizer follows a task onto another stack when told, as a
 * coroutine's; else it takes the body's stack for a corrupted one.
 * LeakSanitizer, at the exit of a process the body forks, looks for
 * pointers on the stack it knows: the caller's, which holds the run's
 * state, is one more place to look. */
#ifdef NC_ASAN
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#define stack_switch_begin(bottom, size) __sanitizer_start_switch_fiber(NULL, bottom, size)
#define stack_switch_end(old_bottom, old_size) \
	__sanitizer_finish_switch_fiber(NULL, old_bottom, old_size)
#define stack_keep_scanned(bottom, size) __lsan_register_root_region(bottom, size)
#else
#define stack_switch_begin(bottom, size) ((void)0)
#define stack_switch_end(old_bottom, old_size) ((void)0)
#define stack_keep_scanned(bottom, size) ((void)0)
#endif

struct spawned {
	nc_confine_body_fn *body;
	void *arg;
	const struct nc_confine_fds *fds;
	const void *caller_stack;	/* for AddressSanitizer */
	size_t caller_stack_size;
};

static int body_task(void *data)
{
	struct spawned *s = data;

	stack_switch_end(&s->caller_stack, &s->caller_stack_size);
	stack_keep_scanned(s->caller_stack, s->caller_stack_size);
	int err = enter(s->fds);

	close(s->fds->runner_proc);
	close(s->fds->ready);
	close(s->fds->go);
	s->body(s->arg, err);
	_exit(0);
}

/* The body's stack: as large as a main thread's; only what it touches is
 * ever backed.  Below it a guard that no access passes: an overflow is a
 * SIGSEGV, as on the main stack, not a write into whatever lies below. */
#define BODY_STACK_SIZE (8u << 20)
#define BODY_STACK_GUARD (64u << 10)
/* The top of it, which every body writes (7 pages on average, measured
 * by fault tracing): mapped by one call, not by a page fault a page, ~15
 * us each under a hypervisor's paging. */
#define BODY_STACK_WARM (32u << 10)

/* Mapped once, never unmapped: an munmap() is a TLB flush on each CPU the
 * body ran on (~0.1 ms under a hypervisor's paging, for each check).  One
 * body a process: each check's pid 1 runs one, and the zygote none. */
static char *body_stack;

int nc_confine_reserve(void)
{
	char *guard;

	if (body_stack)
		return 0;
	guard = mmap(NULL, BODY_STACK_GUARD + BODY_STACK_SIZE, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (guard == MAP_FAILED)
		return nc_error(-errno, "confine: the body's stack");
	if (mprotect(guard + BODY_STACK_GUARD, BODY_STACK_SIZE, PROT_READ | PROT_WRITE) < 0) {
		int err = nc_error(-errno, "confine: the body's stack");

		munmap(guard, BODY_STACK_GUARD + BODY_STACK_SIZE);
		return err;
	}
	body_stack = guard + BODY_STACK_GUARD;
	return 0;
}

pid_t nc_confine_spawn(nc_confine_body_fn *body, void *arg, const struct nc_confine_fds *fds)
{
	struct spawned s = { .body = body, .arg = arg, .fds = fds };
	int err = nc_confine_reserve();
	pid_t pid;

	if (err < 0)
		return err;
	/* best effort: before 5.14 (and in gVisor) the body faults them in */
	(void)madvise(body_stack + BODY_STACK_SIZE - BODY_STACK_WARM, BODY_STACK_WARM,
		      MADV_POPULATE_WRITE);
	/* The memory stays the caller's, which sleeps until the body is gone
	 * (as posix_spawn() does): no copy of it, no faults on writing it. */
	stack_switch_begin(body_stack, BODY_STACK_SIZE);
	pid = clone(body_task, body_stack + BODY_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD, &s);
	if (pid < 0) {
		pid = nc_error(-errno, "confine: clone(CLONE_VM | CLONE_VFORK)");
		/* no switch happened: ends the one begun, on this stack */
		stack_switch_end(&s.caller_stack, &s.caller_stack_size);
	}
	/* back on the caller's stack */
	if (s.caller_stack) {
		stack_switch_begin(s.caller_stack, s.caller_stack_size);
		stack_switch_end(NULL, NULL);
	}
	return pid;
}

int nc_confine_map(int ready_fd, int go_fd)
{
	/* the run's own user namespace does not change: read once */
	static int root = -1;
	char map[64], path[64];
	int child = 0;
	int err = read(ready_fd, &child, sizeof(child)) == sizeof(child) && child > 0 ? 0 : -EPIPE;

	if (root < 0)
		root = maps_whole_range();
	snprintf(map, sizeof(map), root ? "0 %u 65536" : "0 0 1", NC_CONFINED_ID_BASE);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", child);
	if (!err)
		err = nc_file_write(path, map, false);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", child);
	if (!err)
		err = nc_file_write(path, map, false);
	if (!err && write(go_fd, "x", 1) != 1)
		err = -errno;
	return err < 0 ? nc_error(err, "confine: the body's user namespace (%s)", map) : 0;
}
