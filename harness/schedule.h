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

/* expected[i]: how long tests[i] may take, its declared deadline
 * (.deadline_ms): the checks with long timers declare long deadlines (8 s
 * for the 3 s connect() timeouts); one that declares none has no timer
 * worth one and goes last (taken as the runner's --timeout, 30 s, it went
 * first: the 3 s checks started a second late, and the run ended on them,
 * 4.2-4.3 s against 3.8-4.0 s).  The previous run's times were tried and
 * dropped: measured under load they put CPU-heavy checks first, and a run
 * took 16 to 18 s against 9 to 12 s shuffled. */
void nc_schedule_expected(struct nc_test *const *tests, size_t n, double *expected);
/* order: 0..n-1, the longest expected first, ties in plan order. */
void nc_schedule_order(const double *expected, size_t n, size_t *order);

#endif
