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

/* expected[i]: the seconds tests[i] is expected to take: its time in
 * previous (a results.xml: the last run of the same --out), else, for a
 * check that file lacks or when there is none, its declared deadline
 * (.deadline_ms, or timeout_s), so that an unknown check goes early. */
void nc_schedule_expected(struct nc_test *const *tests, size_t n, const char *previous,
			  unsigned timeout_s, double *expected);
/* order: 0..n-1, the longest expected first, ties in plan order. */
void nc_schedule_order(const double *expected, size_t n, size_t *order);

#endif
