#include <errno.h>
#include <time.h>

#include "clock.h"
#include "poll_until.h"

int nc_poll_until(nc_poll_cond_fn *cond, void *arg, unsigned deadline_ms,
		  struct nc_backoff backoff)
{
	long long deadline_us = nc_now_us() + (long long)nc_scaled_ms(deadline_ms) * 1000;
	long long pause_us = backoff.first_us ? backoff.first_us : 1;

	for (;;) {
		int ret = cond(arg);
		long long left_us;

		if (ret != 0)
			return ret < 0 ? ret : 0;
		left_us = deadline_us - nc_now_us();
		if (left_us <= 0)
			return -ETIMEDOUT;
		if (pause_us > left_us)
			pause_us = left_us;
		/* EINTR: the next look comes early, which is harmless */
		nanosleep(&(struct timespec){ pause_us / 1000000, pause_us % 1000000 * 1000 },
			  NULL);
		pause_us *= 2;
		if (pause_us > backoff.max_us)
			pause_us = backoff.max_us > 0 ? backoff.max_us : 1;
	}
}
