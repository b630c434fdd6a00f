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

/* The run's --deadline-scale, which stretches every deadline and timing
 * bound (a slow or busy machine): NETCONFORM_DEADLINE_SCALE in the
 * environment, so that every check the runner forks and every musl body it
 * execs sees it; 1 when unset or not a number from 1 to 100. */
#define NC_DEADLINE_SCALE_ENV "NETCONFORM_DEADLINE_SCALE"
double nc_time_scale(void);
/* ms stretched by it. */
unsigned nc_scaled_ms(unsigned ms);
/* Sets it for this process and the processes it starts.  0 or -errno. */
int nc_time_scale_set(double scale);

#endif
