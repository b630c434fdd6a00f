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

/* In a nested pid namespace, NSpid has a number per level: "NSpid:\t4242\t7". */
static bool in_nested_pid_ns(void)
{
	char text[4096], *line, *end;
	unsigned levels = 0;

	if (nc_file_read("/proc/self/status", text, sizeof(text)) <= 0 ||
	    !(line = strstr(text, "\nNSpid:")))
		return false;
	line += strlen("\nNSpid:");
	if ((end = strchr(line, '\n')) != NULL)
		*end = '\0';
	for (char *save = NULL, *word = strtok_r(line, " \t", &save); word;
	     word = strtok_r(NULL, " \t", &save))
		levels++;
	return levels > 1;
}

int nc_sched_tasks_find(struct nc_sched_tasks *tasks)
{
	char path[300];
	struct stat own, other;
	struct dirent *e;
	DIR *procs;

	tasks->n = 0;
	if (!in_nested_pid_ns() || stat("/proc/self/ns/pid", &own) < 0) {
		tasks->pids[tasks->n++] = getpid();
		return 0;
	}
	procs = opendir("/proc");
	if (!procs)
		return -errno;
	while ((e = readdir(procs)) != NULL && tasks->n < NC_SCHED_MAX_PROCESSES) {
		if (!isdigit((unsigned char)e->d_name[0]))
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
