/* The run-queue wait of a check's tasks (sched_delay.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "file.h"
#include "sched_delay.h"

/* The second field of a task's schedstat: ns waiting on a run queue. */
static long long task_wait_ns(const char *pid, const char *tid)
{
	char path[600], text[128];
	unsigned long long on_cpu, waiting;

	snprintf(path, sizeof(path), "/proc/%s/task/%s/schedstat", pid, tid);
	if (nc_file_read(path, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%llu %llu", &on_cpu, &waiting) != 2)
		return -ENOTSUP;
	return (long long)waiting;
}

/* A record of getdents64(), as the kernel writes it (glibc's struct
 * dirent64; musl 1.2.5 names it only under _LARGEFILE64_SOURCE). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Each numbered entry (a pid, a tid) of a /proc directory to each(name,
 * arg), or -errno when the directory cannot be read.  Read without
 * opendir(): musl maps its buffer for each directory and unmaps it at
 * closedir(), a TLB flush each, dear under a hypervisor's paging, and a
 * run's stopwatches read ~1,000 directories. */
static int each_numbered(const char *path, void (*each)(const char *name, void *arg), void *arg)
{
	char entries[4096] __attribute__((aligned(8)));
	int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long got;
	int err;

	if (dir < 0)
		return -errno;
	while ((got = syscall(SYS_getdents64, dir, entries, sizeof(entries))) > 0)
		for (long at = 0; at < got;) {
			const struct linux_dirent64 *e = (const struct linux_dirent64 *)(entries + at);

			at += e->d_reclen;
			if (isdigit((unsigned char)e->d_name[0]))
				each(e->d_name, arg);
		}
	err = got < 0 ? -errno : 0;
	close(dir);
	return err;
}

struct wait_sum {
	const char *pid;
	long long ns;	/* -ENOTSUP until a thread has a schedstat */
};

static void add_thread(const char *tid, void *arg)
{
	struct wait_sum *sum = arg;
	long long ns = task_wait_ns(sum->pid, tid);

	if (ns >= 0)
		sum->ns = (sum->ns < 0 ? 0 : sum->ns) + ns;
}

/* Every thread of process pid (a name under /proc): their sum, or
 * -ENOTSUP when not one of them had a schedstat. */
static long long process_wait_ns(const char *pid)
{
	char path[300];
	struct wait_sum sum = { pid, -ENOTSUP };

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	/* gone since: it counts no more */
	return each_numbered(path, add_thread, &sum) < 0 ? -ENOTSUP : sum.ns;
}

/* A process's pid in the innermost of its pid namespaces, from NSpid
 * ("NSpid:\t4242\t7": 7), and its parent's in /proc's; 0 when it has no
 * nested namespace or is gone. */
static long inner_pid(const char *pid, long *parent)
{
	char path[300], text[4096], *line, *end, *last = NULL;
	unsigned levels = 0;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (nc_file_read(path, text, sizeof(text)) <= 0 ||
	    !(line = strstr(text, "\nPPid:")) || sscanf(line, "\nPPid: %ld", parent) != 1 ||
	    !(line = strstr(text, "\nNSpid:")))
		return 0;
	line += strlen("\nNSpid:");
	if ((end = strchr(line, '\n')) != NULL)
		*end = '\0';
	for (char *save = NULL, *word = strtok_r(line, " \t", &save); word;
	     word = strtok_r(NULL, " \t", &save), levels++)
		last = word;
	return levels > 1 && last ? atol(last) : 0;
}

/* The caller's pid as /proc names it (getpid() is its own namespace's). */
static long proc_self_pid(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);

	if (n <= 0)
		return 0;
	link[n] = '\0';
	return atol(link);
}

/* /proc's pid of the init of the caller's pid namespace (its pid 1): the
 * processes of the namespace came after it, so no pid below it needs a
 * look (short of the pids wrapping around).  0 outside a nested one. */
static long namespace_init(void)
{
	char pid[24] = "self";
	long parent = 0;

	for (int depth = 0; depth < 16; depth++) {
		long inner = inner_pid(pid, &parent);

		if (inner == 0)
			return 0;
		if (inner == 1)
			return strcmp(pid, "self") == 0 ? proc_self_pid() : atol(pid);
		snprintf(pid, sizeof(pid), "%ld", parent);
	}
	return 0;
}

struct pid_search {
	struct nc_sched_tasks *tasks;
	long init;
	struct stat own;
};

static void add_if_inside(const char *pid, void *arg)
{
	struct pid_search *search = arg;
	char path[300];
	struct stat other;

	if (search->tasks->n >= NC_SCHED_MAX_PROCESSES || atol(pid) < search->init)
		return;
	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	if (stat(path, &other) == 0 && other.st_ino == search->own.st_ino &&
	    other.st_dev == search->own.st_dev)
		search->tasks->pids[search->tasks->n++] = (pid_t)atoi(pid);
}

int nc_sched_tasks_find(struct nc_sched_tasks *tasks)
{
	struct pid_search search = { .tasks = tasks, .init = namespace_init() };

	tasks->n = 0;
	if (search.init == 0 || stat("/proc/self/ns/pid", &search.own) < 0) {
		tasks->pids[tasks->n++] = (pid_t)proc_self_pid();
		return 0;
	}
	return each_numbered("/proc", add_if_inside, &search);
}

long long nc_sched_wait_ns(const struct nc_sched_tasks *tasks)
{
	long long sum = -ENOTSUP;

	for (unsigned i = 0; i < tasks->n; i++) {
		char pid[24];
		long long ns;

		snprintf(pid, sizeof(pid), "%d", (int)tasks->pids[i]);
		ns = process_wait_ns(pid);
		if (ns >= 0)
			sum = (sum < 0 ? 0 : sum) + ns;
	}
	return sum;
}

long long nc_sched_wait_self_ns(void)
{
	return process_wait_ns("self");
}

long long nc_cpu_pressure_us(void)
{
	char text[256], *some;
	unsigned long long total;

	if (nc_file_read("/proc/pressure/cpu", text, sizeof(text)) <= 0 ||
	    !(some = strstr(text, "some ")) || !(some = strstr(some, "total=")) ||
	    sscanf(some, "total=%llu", &total) != 1)
		return -ENOTSUP;
	return (long long)total;
}

int nc_runnable_others(void)
{
	char text[128];
	unsigned runnable;

	if (nc_file_read("/proc/loadavg", text, sizeof(text)) <= 0 ||
	    sscanf(text, "%*s %*s %*s %u/", &runnable) != 1 || runnable == 0)
		return -ENOTSUP;
	return (int)runnable - 1;	/* the caller is running */
}
