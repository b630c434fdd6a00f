/* Time as the suite measures it: CLOCK_MONOTONIC, never the wall clock. */
#ifndef NC_CLOCK_H
#define NC_CLOCK_H

#include <time.h>

/* Seconds since an arbitrary fixed point. */
double nc_now_s(void);
/* Milliseconds since an arbitrary fixed point. */
long long nc_now_ms(void);
/* Microseconds since an arbitrary fixed point. */
long long nc_now_us(void);
/* Milliseconds since *since, which nc_clock_start() set. */
void nc_clock_start(struct timespec *since);
long nc_elapsed_ms(const struct timespec *since);

#endif
