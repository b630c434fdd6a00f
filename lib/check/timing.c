/* Timing bounds judged with the scheduling delay taken out (timing.h). */
#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "clock.h"
#include "sched_delay.h"
#include "state.h"
#include "timing.h"

void nc_stopwatch_server_add(pid_t pid)
{
	nc_check_state.server = pid;
}

/* Whether the scan found pid already (it takes a whole namespace where
 * /proc is an outer one's): no process counted twice. */
static bool measured(const struct nc_sched_tasks *tasks, pid_t pid)
{
	for (unsigned i = 0; i < tasks->n; i++)
		if (tasks->pids[i] == pid)
			return true;
	return false;
}

void nc_stopwatch_start(struct nc_stopwatch *w)
{
	*w = (struct nc_stopwatch){ .wait_ns = -1 };
	if (nc_sched_tasks_find(&w->tasks) == 0) {
		pid_t server = nc_check_state.server;

		if (server > 0 && !measured(&w->tasks, server) && w->tasks.n < NC_SCHED_MAX_PROCESSES)
			w->tasks.pids[w->tasks.n++] = server;
		w->wait_ns = nc_sched_wait_ns(&w->tasks);
	}
	nc_clock_start(&w->start);
}

long nc_stopwatch_stop_unrecorded(struct nc_stopwatch *w)
{
	long long wait_ns;

	w->wall_ms = nc_elapsed_ms(&w->start);
	wait_ns = w->wait_ns >= 0 ? nc_sched_wait_ns(&w->tasks) : -1;
	/* a task that exited in between took its count along: never below 0 */
	w->delay_ms = wait_ns < 0 ? -1 : wait_ns > w->wait_ns ? (long)((wait_ns - w->wait_ns) / 1000000) : 0;
	if (w->delay_ms > w->wall_ms)
		w->delay_ms = w->wall_ms;
	w->ms = w->wall_ms - (w->delay_ms > 0 ? w->delay_ms : 0);
	return w->ms;
}

long nc_stopwatch_stop(struct nc_stopwatch *w)
{
	nc_stopwatch_stop_unrecorded(w);
	nc_stopwatch_record(w);
	return w->ms;
}

void nc_stopwatch_record(const struct nc_stopwatch *w)
{
	nc_observe("wall_ms", "%ld", w->wall_ms);
	if (w->delay_ms >= 0)
		nc_observe("sched_delay_ms", "%ld", w->delay_ms);
	else
		nc_observe("sched_delay_ms", "unknown (no schedstat)");
	/* waiting most of the time, any timer inside (a resolver's, a SYN's)
	 * may have fired for the load alone: whatever failed, no finding */
	if (w->delay_ms >= NC_OVERLOAD_MIN_MS && w->delay_ms * 2 >= w->wall_ms)
		nc_observe("overload", "the check's tasks waited %ld ms for a CPU in %ld ms",
			   w->delay_ms, w->wall_ms);
}

long nc_timing_max(const struct nc_timing_bound *b, double scale)
{
	long max = (long)((double)b->max * (scale >= 1 ? scale : 1) + 0.5);

	/* Stretched no further than the timer it rules out: an answer that
	 * late cannot be told from the timer firing (a TCG guest's scale of 6
	 * took 500 ms past a 1 s resolver timeout, and musl's wait for it
	 * passed as "at once"). */
	if (b->timer_ms > 0 && b->max < b->timer_ms && max >= b->timer_ms)
		max = b->timer_ms - 1;
	return max;
}

enum nc_timing_verdict nc_timing_judge(const struct nc_timing_bound *b, double scale, long wall_ms,
				       long delay_ms)
{
	long max = nc_timing_max(b, scale), delay = delay_ms > 0 ? delay_ms : 0;
	long decisive = b->has_max ? max : b->min;
	if (delay > 0 && delay * 2 >= decisive)
		return b->timer_ms > 0 && wall_ms < b->timer_ms ? NC_TIMING_WITHIN
								 : NC_TIMING_OVERLOADED;
	/* at or past the timer it rules out, the timer may have fired: the
	 * wait taken out cannot make that "at once" */
	if (b->timer_ms > 0 && b->has_max && wall_ms >= b->timer_ms)
		return NC_TIMING_OUTSIDE;
	/* no load makes a timer fire early: the lower bound takes the wall
	 * clock, the upper one the time less the wait */
	if ((b->has_min && wall_ms < b->min) || (b->has_max && wall_ms - delay > max))
		return NC_TIMING_OUTSIDE;
	return NC_TIMING_WITHIN;
}

void nc_expect_elapsed_(const char *key, const struct nc_stopwatch *w,
			const struct nc_timing_bound *b, const char *file, int line)
{
	double scale = nc_time_scale();
	long max = nc_timing_max(b, scale);
	enum nc_timing_verdict verdict = nc_timing_judge(b, scale, w->wall_ms, w->delay_ms);
	bool passed = verdict == NC_TIMING_WITHIN ||
		      (verdict == NC_TIMING_OVERLOADED &&
		       nc_timing_judge(b, scale, w->wall_ms, 0) == NC_TIMING_WITHIN);
	char expected[56], observed[24], message[256];

	if (b->has_min && b->has_max)
		snprintf(expected, sizeof(expected), "%ld..%ld", b->min, max);
	else if (b->has_min)
		snprintf(expected, sizeof(expected), ">= %ld", b->min);
	else
		snprintf(expected, sizeof(expected), "<= %ld", max);
	snprintf(observed, sizeof(observed), "%ld", w->ms);
	snprintf(message, sizeof(message), "%s = %s (%ld on the wall clock, %ld of it waiting for a CPU), expected %s",
		 key, observed, w->wall_ms, w->delay_ms > 0 ? w->delay_ms : 0, expected);
	if (verdict == NC_TIMING_OVERLOADED)
		nc_observe("overload", "the check's tasks waited %ld ms for a CPU in %ld ms: too long to judge %s %s",
			   w->delay_ms, w->wall_ms, key, expected);
	else if (b->timer_ms > 0 && w->wall_ms < b->timer_ms)
		/* the fact outweighs the wait: the result came before any timer */
		nc_observe("overload", "none that matters: %ld ms on the wall clock, before the %ld ms timer",
			   w->wall_ms, b->timer_ms);
	nc_assert_(&(struct nc_assertion){
		.passed = passed, .role = NC_ASSERT_EXPECT, .key = key, .expected = expected,
		.observed = observed, .file = file, .line = line, .message = passed ? "" : message,
	});
}
