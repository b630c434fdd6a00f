/* How long the scheduler kept a check waiting for a CPU: the delay a busy
 * machine adds to every elapsed time the suite measures, which a verdict
 * must not depend on (README "The same verdict under load").
 *
 * The kernel counts, for every task, the time it spent runnable but waiting
 * on a run queue (/proc/PID/task/TID/schedstat, second field, in ns).  What
 * is measured is the body's own process, its threads included: a check's
 * pid 1 mounts a /proc of the check's pid namespace, whose NSpid has one
 * level, so the scan below finds no outer namespace and takes the caller
 * alone.  The namespace's other processes are not counted wholesale:
 * tried, their waits summed over a dozen tasks made a quiet run's
 * getaddrinfo.partial_answer.unspec "too loaded" (998 ms of waiting
 * counted in a 3 s section at load 2); a stopwatch adds the processes its
 * DNS server runs in when that is not the body's (lib/check/timing.h).  Where /proc is
 * an outer namespace's (a process that made a pid namespace without its
 * own /proc), the scan
 * takes every process of the caller's namespace.  libc only: musl bodies
 * measure themselves with the same code. */
#ifndef NC_SCHED_DELAY_H
#define NC_SCHED_DELAY_H

#include <sys/types.h>

#define NC_SCHED_MAX_PROCESSES 64

/* The processes measured (above), found once (a scan of /proc) and then
 * read again and again: a difference between two reads of the same set
 * means what it says.  Outside a nested pid namespace, or in one with its
 * own /proc (a check), the calling process alone. */
struct nc_sched_tasks {
	unsigned n;
	pid_t pids[NC_SCHED_MAX_PROCESSES];	/* as /proc names them */
};
/* 0, or -errno when /proc cannot be read. */
int nc_sched_tasks_find(struct nc_sched_tasks *tasks);

/* The run-queue wait, in ns, summed over the threads of tasks' processes (a
 * process that has exited since counts no more); -ENOTSUP when the kernel
 * keeps no schedstat (CONFIG_SCHED_INFO off, gVisor). */
long long nc_sched_wait_ns(const struct nc_sched_tasks *tasks);
/* The same for the calling process's threads alone: cheap enough for
 * every wait. */
long long nc_sched_wait_self_ns(void);

/* The machine as a whole: the microseconds in which some task waited for
 * a CPU (/proc/pressure/cpu, "some total="), since boot; -ENOTSUP without
 * PSI.  What the runner tells of a check that ran out of time. */
long long nc_cpu_pressure_us(void);

/* The tasks that are runnable right now, the caller not counted
 * (/proc/loadavg's fourth field, less one); -ENOTSUP where that count is
 * not kept (gVisor gives 0). */
int nc_runnable_others(void);

#endif
