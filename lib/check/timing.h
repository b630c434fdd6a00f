/* Timing bounds that a busy machine cannot turn: "at once" and "at the
 * timeout" judged on the time the check could run, not on the wall clock.
 *
 * A stopwatch reads the wall clock and the run-queue wait of the check's
 * tasks (sched_delay.h) at both ends; the elapsed time a bound judges is
 * the wall time less that wait (a timer's own time is sleeping, never
 * waiting, so it stays in).  The wait is summed over tasks that may have
 * waited side by side, so it can exceed what the check lost: the true time
 * lies between the two.  An upper bound ("at once") judges the time less
 * the wait, and is stretched by --deadline-scale (clock.h); a lower bound
 * ("at the timeout") judges the wall clock, since no load makes a timer
 * fire early.  The reports get the time less the wait under the bound's key
 * ("elapsed_ms"), "wall_ms" and "sched_delay_ms" beside it; a pinned range
 * of a time holds when it meets the two (harness/verdict.c).
 *
 * The sandbox's servers that the body waits on (its DNS server) wait for
 * a CPU too, and their wait delays the answer as much as the body's own (at
 * load 100, a SERVFAIL "at once" came 522 ms after the query, 14 ms of it
 * the body's wait): a stopwatch counts every thread of the body's process,
 * the DNS server's among them, and the processes registered with
 * nc_stopwatch_server_add() (a musl body's glibc worker, whose thread its
 * DNS server is).
 *
 * When the wait alone is too large for the bound to be decided (half the
 * bound or more), or the check's tasks waited half the section or more
 * (at least NC_OVERLOAD_MIN_MS: any timer inside may have fired for the
 * load alone), the check says so with an "overload" value: the runner then
 * calls a failure of the check an error naming the overload, never a
 * finding (harness/verdict.c).  A value led by "none" says a fact (a wall
 * time below the timer ruled out) outweighed the wait.
 *
 * The machine's CPU stall (/proc/pressure/cpu: time in which some task,
 * anyone's, waited) is not taken out: on a busy machine it is most of any
 * section, whether the check was slowed or not (make mutate: a mutant's 800 ms of
 * deliberate delay beside 878 ms of stall and 4 ms of the check's own
 * wait), so a rule excusing what it covers let slow mutants pass. */
#define NC_OVERLOAD_MIN_MS 250
#ifndef NC_TIMING_H
#define NC_TIMING_H

#include <stdbool.h>
#include <time.h>

#include "sched_delay.h"

struct nc_stopwatch {
	struct timespec start;
	struct nc_sched_tasks tasks;	/* the check's processes at the start */
	long long wait_ns;		/* their run-queue wait then; < 0 unknown */
	/* set by nc_stopwatch_stop() */
	long wall_ms;			/* the wall clock's elapsed time */
	long delay_ms;			/* the run-queue wait in it; -1 unknown */
	long ms;			/* wall_ms less delay_ms: what upper bounds judge */
};

void nc_stopwatch_start(struct nc_stopwatch *w);
/* pid, the process the check's DNS server runs in when that is not the
 * body's (a musl body's glibc worker; in its pid namespace), counted by the
 * stopwatches started from now on. */
void nc_stopwatch_server_add(pid_t pid);
/* Stops w and returns w->ms; records "wall_ms" and "sched_delay_ms". */
long nc_stopwatch_stop(struct nc_stopwatch *w);
/* The same, recording nothing: a time inside another stopwatch's (one
 * "wall_ms" and "sched_delay_ms" a check, which the pins of its times read).
 * Its bound's assertion still tells its wall time and wait when it fails. */
long nc_stopwatch_stop_unrecorded(struct nc_stopwatch *w);
/* Records what nc_stopwatch_stop() does, for a stopwatch stopped unrecorded:
 * the one attempt of several that a check judges. */
void nc_stopwatch_record(const struct nc_stopwatch *w);

/* What a bound makes of an elapsed time: the decision, without records. */
enum nc_timing_verdict { NC_TIMING_WITHIN, NC_TIMING_OUTSIDE, NC_TIMING_OVERLOADED };
struct nc_timing_bound {
	long min, max;			/* ms; max before scaling */
	bool has_min, has_max;
	/* The shortest time the behaviour an upper bound rules out would
	 * take: a timer that has to fire (the resolver's 1 s timeout, a SYN's
	 * 1 s retransmission); 0 when there is none.  Under a load too heavy
	 * to judge by the wait, a wall time below it is the fact that decides:
	 * no load makes a timer fire early, so none fired. */
	long timer_ms;
};
/* The upper bound after scale (>= 1). */
long nc_timing_max(const struct nc_timing_bound *b, double scale);
/* wall_ms, of which delay_ms waiting for a CPU, against b under scale:
 * WITHIN or OUTSIDE, or OVERLOADED when delay_ms is half the bound or more
 * (the upper one, scaled; else the lower one) and no fact decides (a wall
 * time below b->timer_ms): then no failure may rest on it. */
enum nc_timing_verdict nc_timing_judge(const struct nc_timing_bound *b, double scale,
				       long wall_ms, long delay_ms);

/* min <= elapsed <= max, judged as above; key is "elapsed_ms" or its kind
 * ("slept_ms").  Records the assertion (expected "<= 500" after scaling),
 * and "overload" when the wait was too large to judge (the assertion then
 * passes only if the wall clock alone is within the bound). */
#define NC_EXPECT_ELAPSED(key, w, min_, max_)				\
	nc_expect_elapsed_((key), (w), &(struct nc_timing_bound){		\
		.min = (min_), .max = (max_), .has_min = true, .has_max = true }, \
		__FILE__, __LINE__)
#define NC_EXPECT_ELAPSED_MAX(key, w, max_)				\
	nc_expect_elapsed_((key), (w), &(struct nc_timing_bound){		\
		.max = (max_), .has_max = true }, __FILE__, __LINE__)
/* "At once": elapsed <= max, where what the bound rules out is a timer of
 * timer_ms firing (see .timer_ms). */
#define NC_EXPECT_AT_ONCE(key, w, max_, timer_)				\
	nc_expect_elapsed_((key), (w), &(struct nc_timing_bound){		\
		.max = (max_), .has_max = true, .timer_ms = (timer_) }, __FILE__, __LINE__)

void nc_expect_elapsed_(const char *key, const struct nc_stopwatch *w,
			const struct nc_timing_bound *b, const char *file, int line);

#endif
