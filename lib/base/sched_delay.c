/* The run-queue wait of a check's tasks (sched_delay.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Every thread of process pid (a name under /proc): their sum, or
 * -ENOTSUP when not one of them had a schedstat. */
static long long process_wait_ns(const char *pid)
{
	char path[300];
	long long sum = -ENOTSUP;
	struct dirent *e;
	DIR *tasks;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	tasks = opendir(path);
	if (!tasks)
		return -ENOTSUP;	/* gone since: it counts no more */
	while ((e = readdir(tasks)) != NULL) {
		long long ns;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		ns = task_wait_ns(pid, e->d_name);
		if (ns >= 0)
			sum = (sum < 0 ? 0 : sum) + ns;
	}
	closedir(tasks);
	return sum;
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

int nc_sched_tasks_find(struct nc_sched_tasks *tasks)
{
	long init = namespace_init();
	char path[300];
	struct stat own, other;
	struct dirent *e;
	DIR *procs;

	tasks->n = 0;
	if (init == 0 || stat("/proc/self/ns/pid", &own) < 0) {
		tasks->pids[tasks->n++] = (pid_t)proc_self_pid();
		return 0;
	}
	procs = opendir("/proc");
	if (!procs)
		return -errno;
	while ((e = readdir(procs)) != NULL && tasks->n < NC_SCHED_MAX_PROCESSES) {
		if (!isdigit((unsigned char)e->d_name[0]) || atol(e->d_name) < init)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/pid", e->d_name);
		if (stat(path, &other) == 0 && other.st_ino == own.st_ino &&
		    other.st_dev == own.st_dev)
			tasks->pids[tasks->n++] = (pid_t)atoi(e->d_name);
	}
	closedir(procs);
	return 0;
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
