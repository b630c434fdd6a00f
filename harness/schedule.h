/* Which check starts first (harness/schedule.c).  A run lasts at least as
 * long as its longest timer (the 3 s connect() timeouts, the resolver's
 * timeouts): started last, such a check stretches the run by its whole
 * length.  Longest expected first over the --jobs slots (LPT) puts the
 * long ones under the rest.  Only the start order changes: the reports
 * keep the plan's order. */
#ifndef NC_SCHEDULE_H
#define NC_SCHEDULE_H

#include <stddef.h>

struct nc_test;

/* expected[i]: how long tests[i] waits on timers, its declared
 * .longest_timer_ms (3 s for the connect() timeouts, 2 s and 1 s for the
 * resolver's and a SYN's retransmission); the rest, 0, keep the plan's
 * order after them.  The declared deadline was the
 * key before: a 3 s check that declared 6 s started behind every 8 s one,
 * half a second into the run, and the run ended on it (3.51 s against a
 * 3.11 s floor).  The previous run's times were tried and dropped:
 * measured under load they put CPU-heavy checks first, and a run took 16
 * to 18 s against 9 to 12 s shuffled. */
void nc_schedule_expected(struct nc_test *const *tests, size_t n, double *expected);
/* order: 0..n-1, the longest expected first, ties in plan order. */
void nc_schedule_order(const double *expected, size_t n, size_t *order);

#endif
