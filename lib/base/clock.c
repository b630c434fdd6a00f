#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "strnum.h"

double nc_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long long nc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long nc_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void nc_clock_start(struct timespec *since)
{
	clock_gettime(CLOCK_MONOTONIC, since);
}

long nc_elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - since->tv_sec) * 1000 +
		      (now.tv_nsec - since->tv_nsec) / 1000000);
}

double nc_time_scale(void)
{
	const char *text = getenv(NC_DEADLINE_SCALE_ENV);
	double scale;

	return text && nc_parse_double(text, 1, 100, &scale) == 0 ? scale : 1.0;
}

unsigned nc_scaled_ms(unsigned ms)
{
	return (unsigned)((double)ms * nc_time_scale() + 0.5);
}

int nc_time_scale_set(double scale)
{
	char text[32];

	snprintf(text, sizeof(text), "%.17g", scale);
	return setenv(NC_DEADLINE_SCALE_ENV, text, 1) < 0 ? -errno : 0;
}
